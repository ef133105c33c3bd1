"""Cue lists: the hand-built lexical features, named so explanations can quote them.

Each cue is a compiled regular expression over lower-cased text. The lists come from
motivational-interviewing coding manuals (MITI 4.2.1, MISC 2.5) and common usage, not from
the evaluation data. They feed the trained models as features and drive the rule-only MITI
behaviours (affirm, autonomy, ...) for which no public training labels exist.
"""

from __future__ import annotations

import re

WH_START = re.compile(r"^(?:\W*(?:so|and|but|okay|ok|well|now|um|uh|right|yeah|alright)\W+)*"
                      r"(what|how|why|when|where|who|which|tell me|describe|help me understand)\b")
AUX_START = re.compile(r"^(?:\W*(?:so|and|but|okay|ok|well|now|um|uh|right|yeah|alright)\W+)*"
                       r"(do|does|did|is|are|was|were|have|has|had|can|could|would|will|should|may|"
                       r"might|am|shall|isn't|aren't|don't|doesn't|didn't|haven't|won't|wouldn't)\b")


def _rx(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


THERAPIST_CUES: dict[str, re.Pattern[str]] = {
    "wh_word": _rx("what", "how", "why", "when", "where", "who", "which"),
    "tell_me": _rx("tell me", "help me understand", "describe", "say more", "talk about"),
    "sounds_like": _rx("sounds like", "it sounds", "it seems", "seems like", "you sound", "looks like"),
    "you_feel": _rx("you feel", "you're feeling", "you are feeling", "you felt", "you're worried",
                    "you're concerned", "you're not sure", "you're wondering"),
    "so_you": re.compile(r"^(?:\W*(?:so|okay|ok|well|um|uh|yeah)\W+)*(?:so )?(?:you|you're|you've|your)\b"),
    "reflect_frame": _rx("what i'm hearing", "you're saying", "you said", "part of you", "on one hand",
                         "on the other hand", "for you", "you mean", "in other words", "at the same time"),
    "advice": _rx("you should", "you need to", "you have to", "you must", "i recommend", "i suggest",
                  "i'd suggest", "i would suggest", "i'd recommend", "you might want to", "you could try",
                  "try to", "my advice", "i want you to", "make sure", "it's important that you"),
    "information": _rx("research", "studies", "study", "evidence", "percent", "risk", "increase",
                       "guidelines", "recommended", "doctor", "medication", "means that", "can cause",
                       "is associated", "per week", "per day", "a day", "a week", "limit"),
    "permission": _rx("is it okay if", "is it ok if", "would it be okay", "would it be ok", "do you mind if",
                      "would you mind if", "can i share", "may i", "could i share", "would you like",
                      "would you be interested", "is it alright", "can i tell you", "can i give you"),
    "options": _rx("options", "some people", "one option", "other people have", "a few ideas",
                   "several ways", "either", "or you could"),
    "negotiation": _rx("plan", "goal", "agenda", "next step", "next time", "follow up", "follow-up",
                       "schedule", "appointment", "come back", "see you", "talk about today"),
    "affirm": _rx("good for you", "great job", "well done", "that's great", "that's impressive",
                  "impressive", "i appreciate", "you've done", "you've worked", "you've managed",
                  "strength", "courage", "proud", "that takes", "you care", "you really care",
                  "thank you for", "thanks for sharing", "you're committed", "determined"),
    "autonomy": _rx("up to you", "your choice", "your decision", "you decide", "you're the expert",
                    "you're in charge", "it's your call", "you know yourself", "whatever you decide",
                    "whatever you choose", "in control", "your life"),
    "collaboration": _rx("together", "we could", "we can", "let's", "work with you", "what do you think",
                         "how does that sound", "does that make sense", "any ideas", "your ideas",
                         "what would you like", "shall we", "brainstorm"),
    "confront": _rx("you're in denial", "denial", "you're not listening", "you don't care",
                    "you have a problem", "you're an alcoholic", "that's not true", "you're wrong",
                    "you're kidding yourself", "face the fact", "admit", "you're just making excuses",
                    "excuses", "irresponsible", "you obviously", "you're lying"),
    "persuade": _rx("you really should", "you need to", "you have to", "you must", "you've got to",
                    "you better", "you'd better", "don't you think", "wouldn't it be", "the only way",
                    "it's dangerous", "you'll die", "you will die", "it's bad for you"),
    "hedge": _rx("maybe", "perhaps", "kind of", "sort of", "i guess", "i wonder", "might", "possibly"),
    "backchannel": re.compile(r"^\W*(?:mm+-?hmm+|mhm+|uh-huh|okay|ok|yeah|yes|right|sure|alright|"
                              r"hmm+|i see|good|great|wow|oh)\W*$"),
    "greeting": _rx("hi", "hello", "welcome", "nice to meet", "good morning", "good afternoon",
                    "thank you", "thanks", "bye", "take care"),
}

CLIENT_CUES: dict[str, re.Pattern[str]] = {
    "desire": _rx("i want to", "i'd like to", "i would like to", "i wish", "i hope", "i want"),
    "ability": _rx("i can", "i could", "i'm able", "i am able", "i think i can", "i might be able"),
    "reason": _rx("because", "better", "healthier", "health", "for my kids", "my family", "my son",
                  "my daughter", "worried", "scared", "afraid", "concerned", "problem", "hurt", "damage"),
    "need": _rx("i need to", "i have to", "i've got to", "i should", "i must", "i gotta", "need to"),
    "commit": _rx("i will", "i'll", "i'm going to", "i am going to", "gonna", "i promise", "i'm ready",
                  "i've decided", "i plan", "definitely", "let's do", "i'll try", "i'm willing"),
    "steps": _rx("i started", "i've started", "i've been trying", "i tried", "i cut", "i quit", "i stopped",
                 "cut down", "cut back", "quit", "stop", "reduce", "less", "fewer", "exercise", "walk"),
    "sustain": _rx("i don't want", "i don't think", "i can't", "i won't", "i'm not going", "not ready",
                   "not a problem", "no problem", "not that bad", "it's fine", "i'm fine", "i like",
                   "i enjoy", "enjoy", "relax", "relaxes", "helps me", "everybody", "everyone does",
                   "all my friends", "not really", "never", "don't need", "why should", "it's not",
                   "i'm not", "nothing wrong", "only on", "just a few", "just one", "handle it", "but"),
    "negation": _rx("not", "no", "never", "don't", "can't", "won't", "isn't", "didn't", "doesn't", "nothing"),
    "yes_no": re.compile(r"^\W*(?:yes|yeah|yep|no|nope|nah|sure|okay|ok|mm+-?hmm+|uh-huh|right)\W*$"),
    "first_person": _rx("i", "i'm", "i've", "i'd", "i'll", "me", "my", "myself"),
    "target": _rx("drink", "drinking", "alcohol", "smoke", "smoking", "cigarettes", "weight", "eat",
                  "eating", "exercise", "drugs", "weed", "medication", "meds", "diet", "beer"),
}

# Rule-only (not a model feature, so the shipped weights stay valid): recommendation phrases that
# make an input turn advice in the MITI sense. The model's "advice" cue plus common suggestion forms.
_MORE_ADVICE_PHRASES = [
    "why don't you", "have you tried", "have you considered", "if i were you", "it might help to",
    "it would help to", "it may help to", "i'd encourage you", "i would encourage you", "i encourage you",
    "you may want to", "you ought to", "you'd be better off", "the best thing", "it's best to",
]
_MORE_ADVICE = "|".join(_MORE_ADVICE_PHRASES)
ADVICE_RULE = re.compile(THERAPIST_CUES["advice"].pattern[:-3] + f"|{_MORE_ADVICE})\\b")

# Rule-only: a sentence that opens with a recommendation is input (advice), whatever the model
# says. AnnoMI's demonstration therapists rarely talk like this (5 of 2,971 turns, CV macro-F1
# unchanged), but it is the pattern a clinician reviewing "did I jump to advice?" looks for.
LEAD_ADVICE = re.compile(r"(?:^|[.!] )(?:\w+, )?(?:you should|you need to|you have to|you must|i recommend|"
                         r"i suggest|i'd suggest|i would suggest|i'd recommend|you might want to|you could try|"
                         r"why don't you|my advice|you ought to)\b")

# Rule-only persuasion cues for the MITI "persuade" code; the model feature list above is wider
# ("you have to" also reads "the ways you have to unwind"), so the rule uses this narrower list.
PERSUADE_RULE = re.compile(r"\b(?:you really should|you must|you've got to|you better|you'd better|"
                           r"don't you think you|wouldn't it be better|the only way|it's dangerous|"
                           r"you'll die|you will die|it's bad for you|you're killing yourself)\b")
