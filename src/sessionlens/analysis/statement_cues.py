"""Word lists the statement, plan and technique analyzers read a transcript with. Transparent on
purpose: each list names what it finds, so every finding (and the note sentence built on it) can say
why it is there. Topics, goals, commitments, agreed plans, therapist techniques, safety questions.
"""

from __future__ import annotations

import re


def rx(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")", re.IGNORECASE)


# topic -> (label used in prose, cue)
TOPICS: dict[str, tuple[str, re.Pattern[str]]] = {
    "work": ("work", rx(r"work\b(?! out)", r"working", r"workload", r"job", r"boss", r"manager", r"promot", r"meetings?\b", r"career",
                        r"office", r"deadlines?", r"team\b", r"cowork", r"colleague", r"inbox", r"fired",
                        r"laid off", r"unemploy", r"shifts?\b", r"salary", r"employ")),
    "sleep": ("sleep", rx(r"sleep", r"insomnia", r"awake\b", r"wake up", r"wak(?:e|ing) at", r"nightmares?",
                          r"rested", r"in bed\b", r"bedtime", r"to bed\b")),
    "alcohol": ("alcohol use", rx(r"alcohol", r"drink(?:s|ing)?\b", r"drank", r"wine", r"beers?\b", r"booze",
                                  r"drunk", r"hangover", r"vodka", r"liquor", r"whiskey", r"sober", r"bottle")),
    "smoking": ("smoking", rx(r"smok", r"cigarette", r"vap(?:e|ing)", r"nicotine", r"tobacco", r"quit(?:ting)? "
                              r"(?:smoking|cigarettes)")),
    "drugs": ("substance use", rx(r"weed\b", r"marijuana", r"cannabis", r"cocaine", r"heroin", r"opioid", r"meth\b",
                                  r"drugs?\b", r"high\b")),
    "family": ("family relationships", rx(r"mom\b", r"mum\b", r"mother", r"dad\b", r"father", r"sister", r"brother",
                                          r"parents?\b", r"family", r"cousin", r"nephews?", r"nieces?", r"aunt",
                                          r"uncle", r"grandm", r"grandf")),
    "children": ("parenting", rx(r"kids?\b", r"children", r"my son", r"my daughter", r"parenting", r"baby\b")),
    "partner": ("the relationship with their partner", rx(r"partner", r"wife", r"husband", r"girlfriend",
                                                           r"boyfriend", r"marriage", r"divorce", r"spouse")),
    "grief": ("grief and loss", rx(r"died", r"death", r"funeral", r"passed away", r"grief", r"griev", r"loss\b",
                                   r"lost (?:him|her|them|my)", r"miss (?:him|her|them)", r"heart attack")),
    "mood": ("low mood", rx(r"depress", r"sad\b", r"sadness", r"hopeless", r"empty\b", r"numb\b", r"crying",
                            r"cry\b", r"down lately", r"feel(?:ing)? down", r"low\b")),
    "anxiety": ("stress and worry", rx(r"anxi", r"worr", r"panic", r"stress", r"overwhelm", r"nervous", r"drowning",
                                       r"on edge", r"behind\b")),
    "anger": ("irritability", rx(r"angry", r"anger", r"snapped", r"irritab", r"short with", r"frustrat", r"rage",
                                 r"yell")),
    "health": ("physical health", rx(r"doctor", r"pain\b", r"diabet", r"blood pressure", r"weight\b", r"diet\b",
                                     r"medication", r"health", r"pregnan", r"hospital", r"blood sugar", r"heart\b")),
    "exercise": ("physical activity", rx(r"run(?:ning)? in the mornings?", r"used to run", r"go(?:ing)? for a run", r"jog", r"walks?\b", r"gym\b", r"exercis", r"climbing",
                                         r"workout")),
    "self_worth": ("self-worth", rx(r"not enough", r"i'm enough", r"failure", r"proud of", r"good enough",
                                    r"worthless", r"graded", r"don't really know what i'm doing")),
    "friends": ("friendships", rx(r"friends?\b", r"friendships?", r"lonely", r"loneliness", r"isolat")),
}

PROBLEM = rx(r"can't", r"cannot", r"haven't been", r"hard\b", r"harder", r"difficult", r"behind\b", r"worse",
             r"too much", r"stress", r"awful", r"hate", r"guilt", r"tired", r"drowning", r"struggl", r"problem",
             r"worr", r"never\b", r"every (?:night|day)", r"keep", r"more than", r"lie there", r"snapped",
             r"doesn't feel", r"don't know", r"lost", r"died", r"scared", r"afraid", r"alone", r"crept",
             r"more since", r"half the bottle", r"whole bottle", r"anymore", r"not good", r"bad\b", r"trouble")
FEELING = rx(r"i feel", r"i felt", r"feeling", r"i'm (?:so |really |just )?(?:tired|sad|angry|anxious|stressed|"
             r"exhausted|worried|scared|lonely|guilty|lighter|better|worse|overwhelmed|fine|okay|good)",
             r"tired", r"foggy", r"guilty", r"lighter", r"drowning", r"exhausted", r"miserable")

# Client: wanting, needing and able to change (preparatory), and committing to it (mobilizing).
GOAL = re.compile(r"\b(?:i|we)\s+(?:really\s+|just\s+|actually\s+|do\s+)?(?:want|wanna|would like|'d like|'d love|"
                  r"need|hope|wish i could|have to|got to|gotta)\b(?:\s+to)?|\bmy goal\b|\bi'd like\b|\bi want things\b"
                  r"|\bi want (?:it|this) to\b", re.IGNORECASE)
ABILITY = re.compile(r"\bi\s+(?:could|can)\s+(?:probably\s+|maybe\s+|definitely\s+|actually\s+)?(?!not\b|n't\b)"
                     r"(?:stop|start|cut|try|do|call|go|get|make|quit|walk|run|talk|ask|set|put|keep|replace|play|"
                     r"drink|eat|hang|spend|join|find|use|switch|change|reduce|limit|avoid|take|read|write|"
                     r"exercise|tell|bring|check|visit|join|save|swap|leave)\b", re.IGNORECASE)
COMMIT = re.compile(r"\b(?:i'm going to|i am going to|i'm gonna|i am gonna|i will|i'll|i plan to|i'm planning to|"
                    r"i am planning to|i've decided to|i have decided to|i decided to|i'm ready to|i am ready to|"
                    r"i can do that|i can do it|i can do|i'm willing to|i promise|i'll try|going to try|gonna try|"
                    r"i'm starting|i'll start|i commit|i'm committed to|"
                    r"i've cut|i've stopped)\b", re.IGNORECASE)
NOT_COMMIT = re.compile(r"\b(?:i'll (?:see|be|never|guess|let you know|have to see|think about it)|i will never|"
                        r"(?:i'm|i am) (?:going to|gonna) (?:be|die|lose|fail|get fired|get sick)|"
                        r"i'll (?:probably )?(?:fail|lose)|(?:worried|afraid|scared|fear|worry) (?:that )?(?:i'm|i am|i'll)|"
                        r"(?:don't|do not) know what (?:else )?(?:i'm|i am|i'll))", re.IGNORECASE)
# Therapist requests that are not proposals for the client to act on (asking leave to talk, to hear more)
NOT_PROPOSAL = rx(r"can i (?:talk|ask)", r"may i (?:talk|ask)", r"tell me more", r"can we talk", r"can you tell me")
# "We have to discuss it", "you told me I need to": the words of a goal cue, not a goal
NOT_GOAL = rx(r"you (?:told|said|keep telling|have told|'ve told)", r"told me", r"have to (?:discuss|talk|say|admit|be honest|tell)",
              r"need to (?:discuss|talk about this|say|admit|be honest|tell you)")
NEGATED_GOAL = re.compile(r"\b(?:don't|do not|didn't|never|not)\s+(?:really\s+)?(?:want|need|plan|think)", re.IGNORECASE)
REPORTED = re.compile(r"\b(?:said|says|told (?:him|her|them|me)|goes|went),?\s*\"?\s*(?:\w+,?\s+){0,2}$", re.IGNORECASE)
PRONOUN_END = re.compile(r"\b(?:it|that|this|them|there|those)\W*$", re.IGNORECASE)

# Client agreement / refusal as a reply
AGREE = re.compile(r"^\W*(?:yes|yeah|yep|yup|sure|okay|ok|sounds good|that works|that's it|no,? that's it|right|"
                   r"i can do that|i will|i can|absolutely|definitely|fine|deal|agreed|works for me|"
                   r"(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.IGNORECASE)
DECLINE = re.compile(r"^\W*(?:no\b(?!,? that's it)|not really|leave it|i don't think so|nah|maybe not)", re.IGNORECASE)

# Therapist prompts that open a plan, ask for a goal, summarise, schedule, check safety, defer.
PLAN_PROMPT = rx(r"concrete", r"which (?:day|night|two|one|evening|morning)s?", r"what will you", r"when will you",
                 r"how will you", r"next step", r"this week", r"homework", r"for the [a-z ]+ itself",
                 r"what would make it", r"plan\b", r"between now and", r"by next", r"what could you", r"and \w+\?$",
                 r"what might you", r"what do you want to do", r"what are you going to", r"try this week",
                 r"how about", r"what's one thing", r"work on\b", r"next time you", r"come back", r"in the next",
                 r"need to do", r"make (?:it|things|that) easier", r"anything else (?:you could|to make|you can)",
                 r"what else (?:could|can|might) you", r"instead of", r"could you do", r"can you do",
                 r"what would it take", r"can you think of")
# A short follow-on question that continues a planning exchange ("Anything else?", "What else?")
PLAN_FOLLOW_ON = re.compile(r"^\W*(?:(?:okay|and|so)\W+)*(?:anything else|what else|any other (?:ideas?|ways?))\b"
                            r"[^?]{0,30}\?\s*$", re.IGNORECASE)
# The next visit, however it is put ("coming back in a week")
NEXT_VISIT = rx(r"come back", r"coming back", r"next (?:week|session|appointment|visit)", r"in a week",
                r"in two weeks", r"see you (?:next|on|in)", r"follow[- ]up appointment")
GOAL_PROMPT = rx(r"what would make (?:today|this)", r"what would you like", r"what do you want",
                 r"where do you want to go with", r"what are you hoping", r"goals?\b", r"what would be different", r"like to be different",
                 r"what would you want", r"what brings you", r"hoping for", r"want to change")
SUMMARY = re.compile(r"^\W*(?:so|okay,? so|to sum up|let me summari[sz]e|so far)\b.*(?:,.*(?:and|,)|:)", re.IGNORECASE)
SUMMARY_CHECK = rx(r"anything missing", r"did i (?:get|miss)", r"is that right", r"does that sound", r"have i got",
                   r"anything else", r"is that it", r"sound right")
SCHEDULE = rx(r"next (?:week|session|time|appointment|monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
              r"same time", r"see you (?:on |next )", r"(?:monday|tuesday|wednesday|thursday|friday) at")
DEFER = rx(r"leave it for next time", r"next time\?", r"another time", r"come back to it", r"for later")
THERAPIST_FOLLOWUP = rx(r"i'll check in", r"we'll come back to", r"i will check in", r"i'll send", r"i'll follow up",
                        r"next time we'll", r"we'll look at", r"i'll bring")
HOMEWORK = rx(r"homework", r"journal", r"diary", r"log\b", r"keep track", r"track(?:ing)?\b", r"write (?:it |them |things )?down",
              r"mark (?:it )?down", r"worksheet", r"practi[cs]e", r"record\b", r"count(?:ing)?\b", r"thought record",
              r"exercise sheet", r"read (?:the|that|this)\b")
PAST_CHANGE = rx(r"i've (?:stopped|started|cut|been)", r"i have (?:stopped|started|cut)", r"i (?:stopped|started|cut)\b")
REFERRAL = rx(r"refer(?:ral|red|ring)?\b", r"(?:see|call|contact|book|make an appointment with) (?:a |my |your |the )?"
              r"(?:doctor|gp|psychiatrist|specialist|nurse|dietitian|nutritionist|counsel+or|pharmacist)",
              r"appointment (?:with|to see) (?:a |my |your |the )?(?:doctor|gp|psychiatrist|specialist|nurse|dietitian)",
              r"support group", r"\baa\b", r"alcoholics anonymous", r"quit ?line", r"program(?:me)?\b", r"clinic\b")
SAFETY_AGREE = rx(r"crisis line", r"call (?:me|988|911|999|112|someone|the crisis)", r"reach out",
                  r"(?:tell me|let me know) (?:if|when|right away|straight away)",
                  r"safety plan", r"emergency", r"get really heavy")

# Therapist techniques a note names (used when no coded therapist behaviours exist)
AGENDA = rx(r"where do you want to start", r"save (?:a few|some) minutes", r"what would you like to (?:talk|focus)",
            r"agenda", r"what should we focus", r"what do you want to talk about")
PERMISSION = rx(r"would it help if i shared", r"is it (?:okay|ok|alright) if", r"would it be (?:okay|ok|alright)",
                r"do you mind if", r"can i share", r"may i", r"could i share", r"would you like (?:to hear|some|me to)",
                r"can i tell you", r"can i give you", r"would you be interested")
SCALING = rx(r"one to ten", r"1 to 10", r"zero to ten", r"0 to 10", r"on a scale", r"how confident", r"how important",
             r"how ready", r"what would make it a")
AFFIRM = rx(r"that takes (?:courage|guts|strength)", r"good for you", r"well done", r"you did a lot of",
            r"you've done", r"i appreciate", r"you've worked", r"thank you for telling", r"impressive",
            r"you really care", r"you care about", r"says a lot about", r"solid start")
ADVICE = rx(r"you should", r"you need to", r"you have to", r"you must", r"you've got to", r"why don't you",
            r"what about (?:a|trying)", r"or stopping", r"you could try")
IMMEDIACY = rx(r"right now", r"just now", r"with me\b", r"in here", r"between us", r"in this room",
               r"about us\b", r"talking (?:about this )?with me")
REFLECT_START = re.compile(r"^\W*(?:so\s+)?(?:you|you're|you've|your|it sounds|sounds like|part of you|"
                           r"it seems|seems like|a lot of|those moments)\b", re.IGNORECASE)
OPEN_Q = re.compile(r"^\W*(?:(?:and|so|okay|now|well)\W+)*(?:what|how|why|tell me|describe|where|which|"
                    r"help me understand)\b", re.IGNORECASE)

# "Yes, but" openings (the relational analyzer finds the chains; the formulation scaffold reads this)
YES_BUT = re.compile(r"^\W*(?:yeah|yes|sure|i know|ok|okay|maybe)?[,.]?\s*but\b", re.IGNORECASE)
ALLIANCE = rx(r"easier here", r"feel heard", r"this helps", r"helpful", r"didn't expect", r"feel (?:a bit )?lighter",
              r"glad i came", r"comfortable", r"i trust", r"good weird", r"haven't said any of this",
              r"never told anyone", r"feels good to talk")

# Safety screening asked by the therapist; the client's reply polarity
SCREEN = {
    "suicidal thoughts": rx(r"thoughts of (?:ending|killing|taking) your", r"suicid", r"kill(?:ing)? yourself",
                            r"end(?:ing)? your life", r"want to die", r"better off dead", r"thoughts of death"),
    "a plan or means": rx(r"made a plan", r"how you'd do it", r"how you would do it", r"access to (?:a gun|pills|"
                          r"weapons|firearms)", r"means to"),
    "self-harm": rx(r"hurt(?:ing)? yourself", r"harm(?:ing)? yourself", r"self[- ]harm", r"cutting"),
    "harm to others": rx(r"hurt(?:ing)? (?:someone|anyone|others|him|her)", r"harm(?:ing)? (?:someone|anyone|others)"),
    "safety at home": rx(r"safe at home", r"feel safe", r"anyone hurting you", r"hit you"),
}
NEGATIVE_REPLY = re.compile(r"^\W*(?:no\b|nope|never|not\b|i haven't|i have not|i wouldn't|i would never|nothing "
                            r"like that|i don't)", re.IGNORECASE)
POSITIVE_REPLY = re.compile(r"^\W*(?:yes|yeah|sometimes|i have|a little|kind of|maybe)\b", re.IGNORECASE)
NONVERBAL = re.compile(r"\[(laughs?|laughing|laughter|sighs?|sighing|cries|crying|tearful|pause|long pause|"
                       r"silence|sniffs?|clears throat)\]", re.IGNORECASE)
HABITUAL_PROMPT = rx(r"typical", r"usually", r"normally", r"what's (?:a|an|the) \w+ (?:\w+ )?like", r"how do you usually")
HABITUAL = rx(r"usually", r"normally", r"most nights", r"every (?:night|day|evening)", r"after a long day", r"when i get home",
              r"i'll come home", r"around (?:one|two|three|four|"
              r"five|six|seven|eight|nine|ten|eleven|twelve|\d)", r"then i'll", r"sometimes i'll")
FILLER_SENTENCE = re.compile(r"^\W*(?:i don't know|i guess|maybe|yeah|yes|okay|ok|honestly|huh|mm+|hmm+|right|"
                             r"sure|well)\W*$", re.IGNORECASE)
INSIGHT = rx(r"never (?:really )?thought of it", r"never connected", r"makes sense", r"i realiz", r"i didn't realiz",
             r"that's exactly", r"i see (?:that|now)", r"i guess that's why", r"huh\. they do", r"you're right")
