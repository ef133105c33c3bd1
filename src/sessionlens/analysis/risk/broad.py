"""The broad tier: concept co-occurrence within one sentence, for phrasings no fixed cue anticipates.

Round 2 of the risk benchmark showed fixed phrases miss about half of freshly written statements; round 3
(recall 0.63 with a first broad tier) showed the concept fields were still too narrow, and they were widened
by semantic field (ways of dying, self-directed violence, control and money in abuse, withdrawal signs). These
patterns pair a concept (death, damage to the body, violence, a substance) with what makes it risk talk
(the speaker or a person as its object, a crisis word) inside one sentence (no ``.?!`` between them).
They fire more often on ordinary talk, so their hits carry low confidence ("possible") and are still
shown for review — recall first, as a safety tool must.

Round 5 (sets 1–4 all development data, plus two throw-away probes of freshly worded sentences) added whole
concepts rather than synonyms: means and preparations, passive wishes, the absent self as a condition ("if I
wasn't here they'd cope"), contemplation at a place, wounds by their course, violence by its result or target,
financial and coercive control, children's fear, and substance use by amount, frequency, place and aftermath.
Words that are common in ordinary talk (a bridge, a bottle, tablets) only count when they meet a second concept.
Grief facts stay out: "my" counts as the speaker only when it is not someone else's ("my dad is dead").
"""

from __future__ import annotations

import re

_GAP = r"[^.?!]{0,45}?"  # the rest of the same sentence, bounded
_KIN = (
    r"(?:mum|mom|mother|dad|father|parents?|husband|wife|partner|boyfriend|girlfriend|ex|son|daughter|kids?|children|"
    r"baby|brother|sister|sibling|grand\w+|uncle|aunt|auntie|cousin|nephew|niece|friend|colleague|coworker|boss|"
    r"neighbou?r|dog|cat|pet|stepdad|stepmum|stepmom|step\w+|carer|teacher|coach|in-laws?|\w+-in-law|family)"
)
# The speaker: "my" counts only when it is not someone else's ("my dad is dead" is a grief fact, not ideation).
_SELF = (
    r"\b(?:i|i'm|i've|i'd|i'll|im|ive|me|myself|my(?! (?:late |poor |dear |old |best |own )?"
    + _KIN
    + r"\b))\b"
)
_PERP = (
    r"\b(?:he|she|they|he's|she's|his|her|my (?:dad|father|mum|mom|mother|stepmum|stepmom|stepdad|stepfather|"
    r"husband|wife|partner|boyfriend|girlfriend|ex|brother|sister|uncle|aunt|grandfather|grandad|coach|teacher|"
    r"parents?|carer|caregiver|babysitter|foster \w+|guardian|grandson|granddaughter|son|daughter|nephew|niece|"
    r"cousin|landlord|flatmate|roommate|step\w+|\w+-in-law)|(?:the|our|his|her|their) (?:dad|father|mum|mom|"
    r"stepdad|stepfather|mother|carer|babysitter|uncle)|(?:mum|mom)'s (?:boyfriend|partner))\b"
)
_VICTIM = r"\b(?:me|us|her|him|them|our (?:son|daughter|kids|children|baby)|the (?:kids|children|baby)|my (?:kids|son|daughter|mum|mom|mother|sister|brother))\b"


def _pair(a: str, b: str) -> str:
    """a then b, or b then a, in the same sentence."""
    return rf"(?:{a}{_GAP}{b}|{b}{_GAP}{a})"


_DEATH = (
    r"\b(?:die|dying|dead|death|suicid\w*|not (?:to )?exist\w*|end (?:it|things|my life)|ending it|be over|"
    r"way out|no future|disappear\w*|never com(?:e|ing) back|taking up space|noose|kill myself|ways to die|"
    r"not be(?:ing)? here|just stop|stop everything|no point|no use|the use of living|(?:was|were|'m|am|be|being) (?:already |just |long |all )?gone|"
    r"unaliv\w*|off myself|top myself|do myself in|end myself|cease to exist|stop existing|fade away|vanish\w*|"
    r"not (?:be )?(?:around|alive)|no longer (?:be )?(?:here|around|alive)|leave this world|sleep and not|"
    r"permanent(?:ly)? (?:solution|sleep|rest)|final (?:goodbye|exit)|easy way out|(?:want|wanting|wish|be|"
    r"being|stay|staying) alive|my own funeral|rope|overdos\w*|attempt(?:ed|s)?|sleep forever|want out|"
    r"over with|be remembered|waste of space|pointless|my will|not coming back|engine running|the edge|poison\w*)\b"
)
_BODY = r"\bmy (?:skin|arms?|wrists?|legs?|thighs?|body|stomach|face)\b"
_DAMAGE = (
    r"\b(?:bled|bleed\w*|cut\w*|carv\w*|burn\w*|scratch\w*|pick(?:ed|ing)|marks|scars?|wounds?|bruis\w*|"
    r"slash\w*|pinch\w*|blade|razor|bit|bite|biting|punch\w*|hit)\b"
)
_VIOLENCE = (
    r"\b(?:hurt\w*|kill\w*|die|dead|attack\w*|burn\w*|beat\w*|hit|hitting|punch\w*|stab\w*|shoot\w*|"
    r"destroy\w*|smash\w*|threaten\w*|run|running|ran|push\w*|shov\w*|throw\w*|threw|strangl\w*|chok\w*|"
    r"get back at|suffer|poison\w*|smother\w*|suffocat\w*|drown\w*|glass(?:ed)?|knife)\b"
)
_INTENT = (
    r"\b(?:want\w*|wish\w*|going to|gonna|'ll|will|could|thinking about|thought about|fantasi\w+|dream\w*|"
    r"picture\w*|imagin\w*|urges?|plan\w*|tempted)\b"
)
_TARGET = (
    r"\b(?:him|her|them|someone|somebody|anyone|people|the people|strangers|a guy|the guy|the man|a man|"
    r"a woman|the woman|his \w+|her \w+|"
    r"their \w+|my (?:ex|boss|manager|neighbou?r|stepfather|stepdad|father|dad|mother|mum|mom|brother|sister|"
    r"husband|wife|partner|kids?|children|baby|son|daughter))\b"
)
_ABUSE_ACT = (
    r"\b(?:hit\w*|hurt(?:s|ing)?|beat\w*|kick\w*|grab\w*|dragg?\w*|starv\w*|forc\w*|touch\w*|violent|violence|"
    r"slap\w*|chok\w*|punch\w*|rap(?:e|ed|ing)|abus\w*|threat\w*|lock\w*|scream\w*|bruis\w*|burn\w*|"
    r"slamm?\w*|broke my|throw\w*|threw|shov\w*|push\w*)\b"
)
_SUBSTANCE = (
    r"\b(?:drink\w*|drank|drunk|alcohol|booze|vodka|wine|beer|gin|whisk(?:e)?y|coke|cocaine|"
    r"weed|high|using|inject\w*|snort\w*|stash|drugs?|heroin|smack|ketamine|mdma|speed|spice|sober|painkillers|"
    r"benzos?|opioids?)\b"
)
# Prescribed medicines are everyday talk ("I take my tablets every morning"); they count only with misuse words.
_MEDS = r"\b(?:pills|tablets|meds|medication|prescription)\b"
_MISUSE = (
    r"\b(?:too many|more than (?:i'?m|i am|prescribed|the doctor|it says|you'?re)|extra|double|(?:the )?whole|"
    r"someone else'?s|(?:my )?(?:mum|mom|dad|nan|gran|partner)'s|steal\w*|stole|nick\w*|off the (?:internet|street|"
    r"dark web)|online|dealer|with (?:alcohol|drink|wine|vodka|beer|booze)|to get (?:high|out of it|wasted|through)|"
    r"crush\w*|snort\w*|run(?:ning)? out early|(?:ran|run) out (?:early|before)|can'?t stop|hooked|addicted)\b"
)
_CRISIS = (
    r"\b(?:in the morning|first thing|when i wake|as soon as i wake|before breakfast|get up|wake up|shak\w*|seizures?|arrest\w*|drove|driv\w*|every (?:day|night)|can'?t "
    r"(?:control|stop|go a day|cope)|no memory|black\w*|street|more and more|on purpose|too many|hospital|a&e|"
    r"kids|hid\w*|hiding|again|relaps\w*|withdraw\w*|pass(?:ed)? out|to feel normal|in (?:\w+ )?months|"
    r"out of control|ambulance|before work|at work|alone|a day|a night|(?:whole|entire|full) bottle|aches?|(?:had|have|having) a fit|trembl\w*|"
    r"lost count|too high|too drunk|missed work|all my money|someone else's|my (?:mum|mom|dad|partner)'s)\b"
)

BROAD: dict[str, list[str]] = {
    "suicidal_ideation": [
        _pair(_SELF, _DEATH),
        r"\bno (?:way out|future|hope|reason to)\b",
        r"\bwhat'?s the (?:use|point)\b",
        r"\bdone with (?:everything|it all|life)\b",
        r"\bcan'?t (?:see|imagine) (?:a|any) (?:future|way)\b",
        r"\bhow (?:much )?longer i can\b",
        r"\b(?:better|happier|easier) (?:off )?without me\b",
        r"\b(?:notice|care|miss me) if i (?:was|were|'m) gone\b",
        r"\b(?:said|say|saying) (?:my )?goodbyes?\b",
        r"\b(?:letters?|notes?) (?:to|for) (?:my|the) (?:kids|children|family|wife|husband|parents)\b",
        r"\b(?:saved|saving|hoard\w*|collect\w*|lined up|stash\w*) (?:up )?(?:all )?(?:my |the )?(?:pills|tablets|medication|meds)\b",
        r"\b(?:stood|standing|stand|went up|climbed) (?:on|onto|to) (?:the |a )?(?:bridge|ledge|roof|edge|tracks)\b",
        r"\b(?:knife|blade|razor) (?:to|against) my\b",
        r"\b(?:how|ways) to (?:die|end it|kill myself)\b",
        r"\bcrash (?:the|my) car\b",
        r"\brelief (?:not to|to not)\b",
        r"\bpeaceful\b" + _GAP + r"\b(?:stop|sleep|not)\b",
        r"\b(?:tried|try|trying|attempt\w*) to (?:kill|hang|drown|poison|end|gas|suffocate|shoot) (?:myself|my life)\b",
        r"\bi(?:'ve| have)? attempted\b",
        r"\bnothing matters\b",
        r"\bno light at the end\b",
        r"\bbetter off (?:with|without)\b",
        r"\b(?:sorted|sorting|written|wrote|made|updat\w*) (?:out )?my will\b",
        r"\bmade (?:my )?peace with\b",
        r"\b(?:tall|high) (?:buildings|places|bridges)\b",
        r"\bwalk(?:ing|ed)? into the (?:sea|river|lake|traffic)\b",
        r"\b(?:it'?s )?all pointless\b",
        r"\blast (?:christmas|birthday|summer) (?:i'?ll|i will)\b",
        r"\bdecided how\b",
        r"\bhow i'?d do it\b",
        r"\b(?:only|no) way out\b",
        r"\bno point (?:to|in)\b",
        r"\bcar(?:e|es|ing) (?:if|whether) i (?:live|die|wake)\b",
        r"\b(?:pills|tablets|meds|medication) (?:\w+ )?(?:lined up|saved|stashed|hoarded|counted out)\b",
    ],
    "self_harm": [
        _pair(_BODY, _DAMAGE),
        (
            r"\bi (?:still |sometimes |don'?t |used to )?cut\b(?! (?:the|my hair|down|back|it|out|off|"
            r"corners|in|ties|class))"
        ),
        r"\bcuts? on (?:my|her|his) (?:arms?|wrists?|legs?|thighs?)\b",
        (
            r"\b(?:i'?m|i am|i was|been|back to|started|start|stop|stopped|keep|kept) cutting\b(?! (?:back|down|corners|the|"
            r"my hair|it|out|off|ties|class|costs))"
        ),
        r"\bcutting (?:to cope|myself|again)\b",
        r"\b(?:punch\w*|hit\w*|kick\w*) (?:a|the) wall\b",
        r"\b(?:bang\w*|hit\w*) my head\b",
        r"\bhead against (?:the |a )?(?:wall|floor|door)\b",
        r"\b(?:blade|razor|knife) on my\b",
    ],
    "harm_to_others": [
        _INTENT + _GAP + _VIOLENCE + r"\s+" + _TARGET,
        _TARGET + r"\s+to die\b",
        r"\blaid a hand on\b",
        r"\bthreaten\w* " + _TARGET,
        r"\battacked " + _TARGET,
        r"\b(?:going to|gonna|will|'ll) kill\b",
        r"\b(?:run|running|ran) (?:him|her|them) over\b",
        r"\bsmash (?:his|her|their) face\b",
        r"\bget back at (?:him|her|them)\b",
        r"\bbeat (?:a|the|some) (?:guy|man|woman|bloke|person|kid) up\b",
        r"\b(?:see|want|wish) (?:him|her|them|my \w+|his \w+|her \w+) (?:dead|to suffer|to die)\b",
        r"\bthrew (?:a|the) \w+ at\b",
        r"\bviolent (?:with|towards|to) (?:anyone|someone|him|her|them|people)\b",
    ],
    "abuse_neglect": [
        _PERP + _GAP + _ABUSE_ACT,
        _ABUSE_ACT + _GAP + _VICTIM + _GAP + r"\b(?:when|until|if|because)\b",
        r"\b(?:not allowed|won'?t let me|checks my (?:phone|messages))\b",
        r"\b(?:scared|afraid|terrified) of (?:what )?(?:he|she|him|her)\b",
        r"\bhide\b" + _GAP + r"\bwhen (?:he|she)\b",
        r"\bcareful what i say\b",
        r"\bloses it\b",
        r"\b(?:nobody|no one|never) (?:fed|feeds|looked after|took care)\b",
        r"\balways hungry\b",
        r"\bleft alone\b",
        r"\bown (?:money|bank card|account|phone)\b",
        r"\bbeing (?:hit|beaten|hurt|abused|kicked|slapped|choked|strangled)\b",
        r"\btakes? (?:all )?my (?:wages|money|pay|benefits)\b",
        r"\ban allowance\b",
        r"\bflinch\w*\b",
        r"\b(?:scared|afraid|terrified) of (?:their|my|our|his|her) (?:dad|father|mum|mom|mother|stepdad|husband)\b",
    ],
    "substance_crisis": [
        _pair(_SUBSTANCE, _CRISIS),
        _pair(_MEDS, _MISUSE),
        r"\bno memory of (?:the night|last night|what happened|how)\b",
        r"\bmy stash\b",
        r"\bwithdrawing\b",
        r"\blost count of how much\b",
        r"\blast sober day\b",
        r"\btoo (?:high|drunk|hungover) to\b",
        (
            r"\b(?:taking|took|using|stealing|stole) (?:my |someone else's |\w+'s )(?:painkillers|pills|"
            r"meds|medication|tablets)\b"
        ),
    ],
}

# Round-4 lessons (sets 1–4 all development data now): the misses were not new words for the same ideas but
# whole concepts the fields lacked — means and preparations (a packet of tablets, the roof of a car park,
# goodbye letters), passive wishes (welcoming an accident, not minding if something happened), hopelessness
# about getting through, self-injury named by the injury (a broken finger, bleeding knuckles), violence named by
# its result (a broken jaw, beaten to death) or its target (a dog, a school), financial and coercive control,
# children's fear, and substance use named by where or how it happens (before school, injecting in the legs).
# Each field below is one such concept; where a word is common in ordinary talk it must meet a second concept.

_PILLS = (
    r"\b(?:pills|tablets|paracetamol|tylenol|acetaminophen|ibuprofen|aspirin|painkillers|sleeping pills|"
    r"antidepressants|meds|medication|medicine|co-?codamol|codeine|insulin|lithium|sertraline|citalopram|"
    r"amitriptyline|diazepam|valium|xanax|zopiclone|propranolol|prescription)\b"
)
_AMOUNT = (
    r"\b(?:whole|entire|(?:handful|packets?|box(?:es)?|bottles?|strips?|tub|load|stash) of|all of (?:my|the|them)|all (?:my|the|those) \w+ at|"
    r"at once|in one go|(?:saved|saving|stockpil\w*|hoard\w*|collect\w*|counted|lined) (?:up|out)?|"
    r"too many|how many|lethal|enough (?:[\w']+ )?to (?:kill|die|end|not wake|do it))\b"
)
_TAKE = r"\b(?:swallow\w*|took|take|taking|downed|necked|had|ate|overdos\w*|tipped|poured)\b"
_HEIGHT = (
    r"\b(?:roof(?:top)?|ledge|bridge|cliffs?|(?:railway|train) (?:tracks|line)|tracks|platform|balcony|car ?park|"
    r"multi-?stor(?:e)?y|top floor|window ?sill|the edge|railings?|overpass|flyover|viaduct|tower block|pier)\b"
)
_FALL_ACT = (
    r"\b(?:jump\w*|throw(?:ing)? myself|threw myself|let (?:myself )?(?:go|fall|drop)|step(?:ped|ping)? (?:off|onto|out|"
    r"over|in front)|lean\w* over|over the (?:edge|side|railings?|rail)|looked down|look(?:ing)? down|the drop|how high|"
    r"how far (?:down|it is)|climb\w* (?:over|up|onto))\b"
)
_HOPELESS = [
    (
        r"\b(?:can'?t|cannot|couldn'?t|don'?t|do not) see (?:a|any|the) (?:way (?:forward|out|through|past)|future|"
        r"point|end to (?:it|this)|reason)\b"
    ),
    r"\bno way (?:forward|through|past this)\b",
    (
        r"\b(?:can'?t|cannot|couldn'?t|don'?t) see (?:myself|me) (?:getting through|making it|being (?:here|around|alive)|"
        r"surviving|lasting|getting (?:past|to)|still (?:here|around|alive))\b"
    ),
    r"\bonly way (?:this|it|things|the pain|all this) (?:ends|stops|will (?:end|stop)|is going to (?:end|stop)|gets better)\b",
    r"\bme (?:not|no longer) (?:being )?(?:here|around|alive|existing|in it|on this earth)\b",
    r"\b(?:ready|about|going) to give up\b",
    r"\bgiv(?:e|ing|en) up\W+(?:on )?(?:all of it|it all|everything|life|living|myself|on me|trying|the fight|fighting)\b",
    (
        r"\b(?:my )?life (?:[\w']+ ){0,3}(?:pointless|meaningless|worthless|not worth (?:[\w']+ ){0,2}(?:living|anything|it)|"
        r"worth (?:nothing|anything|living)|over|a waste)\b"
    ),
    (
        r"\b(?:feels?|felt|seems?|everything(?:'s| is)|it all(?:'s| is)|all of it(?:'s| is)|all) (?:so |completely |"
        r"totally |just |utterly )?(?:pointless|meaningless)\b"
    ),
    r"\bi'?(?:ll| will)(?: still)? be (?:around|here|alive) (?:much |for )?(?:longer|long|by|next|at)\b",
    r"\b(?:don'?t|do not|can'?t|cannot) (?:[\w']+ ){0,2}(?:go on|carry on|keep going|do this) (?:much )?(?:any ?more|longer|like this)\b",
    (
        r"\b(?:no|the|any|what'?s the|see the) point (?:in |of |to )?(?:carrying on|continuing|going on|trying|living|"
        r"waking up|getting up|staying|being alive|me|existing|being here|keep(?:ing)? going)\b"
    ),
    r"\bwaste of (?:space|oxygen|air|skin|a life|life|breath)\b",
    r"\b(?:don'?t|do not|didn'?t) deserve to (?:live|be (?:here|alive|happy)|exist)\b",
    r"\b(?:tired|exhausted|sick) of (?:fighting|being alive|existing|living|everything|it all|waking up|trying)\b",
    r"\b(?:want|need|make) (?:it|everything|the pain|all of it|the thoughts) (?:all )?to (?:stop|end|be over)\b",
    r"\bin (?:everyone'?s|everybody'?s) way\b",
    (
        r"\b(?:i'?m|i am|i was|i'?ve been|i feel|i felt|feel like|felt like|being|you'?re|you are|you feel|become|i'?d be|"
        r"i'?ll be)(?: [\w']+){0,2} (?:a|such a|just a|the) (?:huge |massive |big |real )?burden\b"
    ),
    r"\b(?:no one|nobody|noone) would (?:notice|miss me|care|even know)\b",
]
_PASSIVE = [
    (
        r"\b(?:welcome|hope for|pray(?:ed)? for|wish(?:ed)? for|wouldn'?t mind|would not mind|not mind) (?:an? |the )?"
        r"(?:accident|crash|car crash|heart attack|illness|cancer|plane crash|bus)\b"
    ),
    r"\bif (?:something|anything) (?:bad )?(?:happened|happens|were to happen|was to happen) to me\b",
    r"\b(?:wouldn'?t|don'?t|didn'?t|would not|do not|won'?t) (?:really |even )?(?:care|mind|be sad|be upset)\b"
    + _GAP
    + r"\b(?:hit by|run over|died|dead|die|didn'?t wake|don'?t wake|never woke|never wake|not wake|crash\w*|"
    r"killed|gone|cancer|accident|happened to me)\b",
    r"\b(?:hit|run over|killed|knocked down) by (?:a|the) (?:bus|car|train|lorry|truck|van|tram)\b",
    r"\b(?:hope|hoping|pray|praying|wish|wishing)\b"
    + _GAP
    + r"\b(?:plane|car|bus|train) (?:crash\w*|goes down|went down|came off)\b",
    r"\b(?:fall|falling|go|going|drift\w*) (?:to |off )?(?:a)?sleep\b"
    + _GAP
    + r"\b(?:be it|never|not wake|forever|for good|"
    r"that'?s it|that would be it|not have to wake)\b",
    r"\bwish (?:it|that) had been me\b",
    r"\b(?:join|be with) (?:him|her|them|my \w+) (?:again|up there|in heaven|on the other side)\b",
]
_PREPARE = [
    r"\bgoodbye (?:letters?|notes?|messages?|texts?|emails?|videos?|cards?)\b",
    (
        r"\b(?:wrote|written|writing|write|left|leave|draft\w*|typed) (?:a |my |some |the )?(?:letters?|notes?|"
        r"messages?) (?:to|for) (?:everyone|everybody|each|my|the|all|mum|mom|dad)\b"
    ),
    r"\b(?:research\w*|googl\w*|look\w* up|look\w* into|read up on|search\w*) (?:about |on |for )?(?:how|ways|methods|"
    r"the best way|what (?:dose|amount)|lethal|how much|how many|how long it)\b"
    + _GAP
    + r"\b(?:die|kill|end|overdose|dose|take|hang|drown|pills|tablets|painless|it takes|fatal|lethal)\b",
    r"\b(?:lethal|fatal) dose\b",
    r"\b(?:re-?homed|rehome|found a home for|giving away) (?:my|the) (?:dog|cat|pets?)\b",
    r"\b(?:sorted|sorting|put|putting) (?:out )?(?:my )?(?:affairs|things|papers) in order\b",
    r"\b(?:gun|rope|noose|belt|cord|pills|tablets|razor|blade) (?:[\w']+ ){0,2}in my hands?\b",
    r"\b(?:looked into|getting|get|buy|buying|bought) (?:a|the) (?:gun|rope|firearm|shotgun|rifle)\b",
    r"\b(?:rope|noose|belt|cord|cable|scarf) (?:[\w']+ ){0,3}(?:neck|beam|loft|banister|bannister|hook|tree|door)\b",
    r"\b(?:hose|pipe|tube) (?:[\w']+ ){0,3}exhaust\b|\bexhaust (?:pipe )?(?:[\w']+ ){0,3}(?:hose|pipe|window|garage)\b",
    r"\bcharcoal\b" + _GAP + r"\b(?:car|room|tent|burn\w*|sealed|windows)\b",
    r"\bwalk(?:ing|ed)? (?:into|out into) (?:the )?(?:sea|river|lake|water|waves|ocean|canal)\b",
]
_SAFETY_Q = [
    (
        r"\bact(?:ed|ing)? on (?:those|these|the|them|it|that|any)(?: \w+)? ?(?:thoughts?|urges?|feelings?|plans?)?\b"
        r"(?<!on it)(?<!on that)"
    ),
    r"\bkeep(?:ing)? (?:yourself|you|themselves|himself|herself) safe\b",
    r"\bsafety plan\w*\b",
    r"\bcrisis (?:line|team|number|service|plan|team's number)\b",
    r"\b(?:samaritans|988|hotline|helpline)\b",
    r"\b(?:do|did|done|doing) (?:anything|something) to (?:yourself|myself|himself|herself|themselves)\b",
    r"\b(?:gets?|got|getting) (?:that|really|so|too) bad\b"
    + _GAP
    + r"\b(?:do|did|done) (?:anything|something)\b",
]

_INJURY = (
    r"\b(?:broke|break|breaking|broken|bled|bleed\w*|bruis\w*|cut\w*|burn\w*|burnt|scald\w*|scratch\w*|slash\w*|"
    r"smash\w*|slamm?\w*|crush\w*|pinch\w*|stab\w*|punch\w*|hit|hitting|bang\w*|carv\w*|pick\w*|injur\w*|hurt\w*|"
    r"sprain\w*|fractur\w*|dislocat\w*|scars?|wounds?|marks)\b"
)
_MY_BODY = (
    r"\bmy (?:own )?(?:skin|arms?|wrists?|legs?|thighs?|body|stomach|face|hands?|fingers?|thumbs?|knuckles?|fists?|"
    r"head|hair|nails|ribs|chest|hips?|ankles?|feet|foot|toes?|scalp|neck|shoulders?|lips?|cheeks?|eyelashes|"
    r"eyebrows|forearms?|upper arms?)\b"
)
_ON_PURPOSE = (
    r"\b(?:deliberately|on purpose|intentionally|to punish myself|to feel something|to feel (?:the )?pain|so it "
    r"(?:would )?hurts?|so i (?:could|would) feel|to make myself (?:feel|bleed|hurt)|until (?:it|they|my \w+) "
    r"(?:bled|bleed|bruised|broke|hurt))\b"
)
_SH_VERBS = (
    r"(?:cut|cutting|burn|burning|burned|burnt|hurt|hurting|harm|harming|hit|hitting|punch\w*|scratch\w*|"
    r"starv\w*|bit|bite|biting|punish\w*|injur\w*|pinch\w*|bruis\w*|scald\w*|slash\w*|stab\w*|strangl\w*|"
    r"chok\w*|suffocat\w*|poison\w*|mutilat\w*|bang\w*|smash\w*|carv\w*)"
)
_SELF_HARM_MORE = [
    _pair(_ON_PURPOSE, r"(?:" + _MY_BODY + r"|\bmyself\b)"),
    r"\bi\b (?:[\w']+ ){0,2}" + _INJURY + _GAP + _ON_PURPOSE,
    r"\b"
    + _SH_VERBS
    + r"(?:,? (?:and|or|,) "
    + _SH_VERBS
    + r")+ (?:myself|herself|himself|themselves|yourself)\b",
    (
        r"\b(?:punch\w*|hit\w*|kick\w*|bang\w*|smash\w*|head-?butt\w*) (?:the |a |my |our )?(?:walls?|doors?|mirrors?|"
        r"windows?|brick)\b"
    ),
    (
        r"\buntil (?:my )?(?:hands?|knuckles?|fists?|fingers?|head|skin|arms?|legs?) (?:bled|bleed|bruised|broke|"
        r"swelled|cracked|split|were raw|was raw)\b"
    ),
    (
        r"\b(?:haven'?t|have not|hasn'?t|has not|not|didn'?t|no longer|stopped) (?:been )?(?:cut|cutting|burned|"
        r"burnt|burning|hurt myself|harmed|self-harmed|self harmed)(?: myself)? (?:in|for|since|at all)\b"
    ),
    r"\b(?:clean|free) (?:from|of) (?:cutting|self[- ]?harm\w*|sh|burning)\b",
    r"\b(?:urges?|urge|itch|tempted|temptation|craving) to (?:cut|burn|hurt myself|self[- ]?harm|scratch|pick|hit myself|sh)\b",
    r"\bmak(?:e|es|ing) myself (?:sick|throw up|vomit|bleed|hurt|starve)\b",
    (
        r"\b(?:i|i'?m|been|started|start|stop\w*|keep) purg(?:e|ed|ing)\b|\bpurg(?:e|ed|ing) (?:after|again|every|when|"
        r"my (?:food|meals?|dinner))\b"
    ),
    r"\b(?:starv(?:e|ed|ing) myself|not (?:let|letting) myself eat)\b",
    (
        r"\b(?:knife|blade|razor|scissors|lighter|compass|glass) (?:[\w']+ ){0,3}(?:to|on|against|into|across) my (?:skin|arms?|"
        r"wrists?|legs?|thighs?|stomach|body)\b"
    ),
    r"\b(?:relapsed|relapse|clean|urges?) (?:on|from|to) sh\b",
]

_HARM_VERB = (
    r"(?:kill\w*|hurt\w*|attack\w*|beat(?:s|en|ing)?|batter\w*|punch\w*|stab\w*|shoot\w*|shot|strangl\w*|chok\w*|"
    r"poison\w*|smother\w*|suffocat\w*|drown\w*|kick\w*|slap\w*|glass(?:ed|ing)?|knife|knifed|headbutt\w*|"
    r"head-butt\w*|knock\w* (?:out|down)|run (?:over|down)|ran (?:over|down)|push\w*|shov\w*|throttl\w*|maim\w*|"
    r"torture\w*|burn\w*|smash\w*|hit|hitting|go for|went for|lash\w* out at|hurt)"
)
_ANYONE = (
    r"(?:him|her|them|someone|somebody|anyone|anybody|people|everyone|everybody|strangers?|the lot of them|"
    r"(?:a|the|some|this|that) (?:guy|man|woman|bloke|lad|girl|boy|kid|person|stranger|fella|idiot|driver|teacher|"
    r"student|customer|neighbou?r)|(?:my|his|her|their|our|the) (?:"
    + _KIN.strip("(?:").rstrip(")")
    + r"|ex|boss|manager|landlord|flatmate|roommate|students?|pupils?|patients?|clients?|customers?)"
    + r"|(?:his|her|their) (?:face|head|jaw|nose|throat|neck|food|drink|car|tea|coffee))"
)
_ANIMAL = r"(?:(?:my|the|our|his|her|their|a|next door'?s|the neighbou?r'?s) (?:dog|cat|puppy|kitten|pet|rabbit|hamster|horse|bird|animals?))"
_WEAPON = r"(?:knife|knives|blade|gun|guns|weapon|weapons|bat|machete|knuckle-?dusters?|taser|crossbow|pistol|rifle|shotgun|axe|hammer)"
_HARM_MORE = [
    r"\b(?:i|i'?ve|i'?d|i'?ll|we|i was|i nearly|i almost|i could have|could|would|wanted to|want to|going to|gonna)\s+"
    r"(?:[\w']+ ){0,3}"
    + _HARM_VERB
    + r"\s+"
    + _ANYONE
    + r"\b(?! (?:up|a (?:message|text|line|email)|at (?:cards|chess|pool)))",
    r"\b" + _HARM_VERB + r"\s+(?:[\w']+ ){0,2}to death\b",
    (
        r"\b(?:shoot|shooting|shot|bomb\w*|blow\w* up|attack\w*) (?:up )?(?:the|my|a|our|his|her) (?:school|office|"
        r"work|workplace|church|mosque|synagogue|mall|college|university|class|building|house)\b"
    ),
    (
        r"\b(?:i|we)\b[^.?!]{0,30}?\b(?:broke|break|breaking|smashed|fractured|bust(?:ed)?) (?:a |the |his |her |their |some |this |that )?"
        r"(?:\w+'s |\w+s' )?(?:jaw|nose|arm|ribs?|legs?|face|teeth|skull|cheekbone|eye socket|fingers?|wrist|collarbone)\b"
        r"(?<!my jaw)(?<!my nose)(?<!my arm)(?<!my rib)(?<!my ribs)(?<!my leg)(?<!my legs)(?<!my face)(?<!my teeth)"
        r"(?<!my wrist)(?<!my finger)(?<!my fingers)"
    ),
    r"\b(?:carry|carrying|carried|bring|bringing|brought|keep|keeping|kept|hide|hiding|hid|took|take|taking|have|"
    r"got|get|getting|bought|buy|buying|sharpen\w*) (?:a |my |the |his |her |some )?"
    + _WEAPON
    + r"\b"
    + _GAP
    + r"\b(?:on (?:him|her|them)|for (?:him|her|them|protection|when|if)|to (?:use|school|work|the pub|"
    r"town|get|hurt|scare|threaten|teach|show)|in (?:case|my (?:bag|pocket|car|coat))|under (?:my|the) (?:bed|pillow|seat)|"
    r"just in case|with me)",
    r"\b(?:carry|carrying|carried|carries) (?:a |my |the )?" + _WEAPON + r"\b",
    r"\b" + _HARM_VERB + r"\s+" + _ANIMAL + r"\b",
    r"\b(?:lay|laid|put|putting|laying) (?:a )?(?:finger|hand)s? on\b",
    r"\b(?:get|got|getting|gets|been|be|was|were|went|go|gone) (?:[\w']+ )?physical (?:with|towards|on)\b",
    (
        r"\b(?:i|we) (?:[\w']+ )?(?:got|get|keep getting|ended up|end up) (?:into|in) (?:a |another |these |some )?"
        r"(?:fights?|scraps?|brawls?|punch-?ups?|fist ?fights?)\b"
    ),
    r"\b(?:rage|anger|temper)\b"
    + _GAP
    + r"\b(?:hurt|kill|hit|attack|punch|strangle|stab) (?:someone|somebody|"
    r"anyone|him|her|them|people)\b",
    (
        r"\b(?:scared|afraid|frightened|terrified|worried) (?:that |of what )?i(?:'ll|'d| will| would| might| could| may)"
        r"(?: \w+){0,2} (?:hurt|hit|kill|do something to|lash out|attack|snap)\b"
    ),
]

_MONEY = (
    r"(?:pension|wages|money|benefits|salary|pay|pay ?cheque|paycheck|bank ?cards?|cards?|savings|income|allowance|"
    r"earnings|account|universal credit|child benefit|pin)"
)
_ABUSE_MORE = [
    r"\b(?:takes?|took|taking|steals?|stole|stealing|controls?|controlling|control of|has control of|keeps? hold of|"
    r"holds? on to|hand over|hands over|handing over|handed over|give (?:him|her|them) all|spends? all|spent all|"
    r"won'?t give me|wouldn'?t give me|drain\w*|emptie?d?s?|cleared out|runs? up debts? (?:in|on)) (?:all )?(?:of )?"
    r"(?:my|her|his|our|mum'?s|mom'?s|dad'?s|gran'?s|nan'?s) " + _MONEY + r"\b",
    r"\bhave to (?:ask|beg) (?:him|her|them|my \w+) (?:for|before|if)\b",
    r"\b(?:not allowed|never allowed) (?:to have )?(?:my own|any) (?:money|cash|card|phone|friends)\b",
    _PERP
    + r"\s+(?:[\w']+ ){0,2}(?:reads?|read|checks?|checked|goes through|went through|going through|monitors?|"
    r"tracks?|tracked|track(?:ing)?|looks? through|scroll\w* through|listens to) (?:all )?(?:of )?(?:my|her|his|our|"
    r"the kids'?) (?:messages|phone|texts|emails?|location|post|mail|bank|dms|whatsapps?|social media|calls|diary|"
    r"search history)\b",
    (
        r"\b(?:tells?|told|decides?|decided|chooses?|picks?) (?:me|her|him|us) (?:who|where|what|when) (?:i|she|he|we) "
        r"(?:can|could|am allowed|was allowed|'m allowed|may|should)\b"
    ),
    (
        r"\b(?:cut|cuts|cutting|kept|keeps|keeping|isolat\w*) (?:me|her|him|us) (?:off )?(?:from|away from) (?:my|her|his|our|"
        r"all|everyone|friends|family)\b"
    ),
    r"\b(?:go|goes|went|going|are|were|get|gets|got|fall|falls) (?:very |really |so |all |completely |dead )?"
    r"(?:quiet|silent|still|scared|frightened|terrified|jumpy|tense|nervous)\b"
    + _GAP
    + r"\bwhen (?:he|she|their \w+|his \w+|her \w+|my \w+|dad|mum|mom|daddy|mummy)(?:'s| is)? (?:[\w']+ )?(?:comes? "
    r"(?:home|in|back)|gets? (?:home|in|back)|walks in|drinks|drinking|drunk|angry|shouts?|in one of his|in a mood|around)\b",
    r"\b(?:hide|hides|hid|hiding|lock (?:ourselves|themselves|myself)|freeze|froze|flinch\w*|wet the bed|tiptoe\w*)"
    + _GAP
    + r"\bwhen (?:he|she|their \w+|his \w+|her \w+|my \w+|dad|mum|mom)\b",
    (
        r"\b(?:left|leaves|leaving|being left|been left|are left|were left|was left) (?:[\w']+ ){0,2}(?:without|with no) "
        r"(?:food|anything to eat|heating|electricity|water|an adult|anyone|supervision|a meal|money for food|nappies|"
        r"clean clothes)\b"
    ),
    (
        r"\b(?:nothing|no food|nothing to eat|no dinner|no meals?) (?:[\w']+ ){0,2}(?:in the (?:house|fridge|cupboards?)|"
        r"for (?:the kids|them|days|a day|two days))\b"
    ),
    r"\b(?:left|leaves|leaving) (?:the |his |her |their |my |our )?(?:kids|children|baby|toddler|son|daughter|"
    r"little ones?|\w+ year old)\b"
    + _GAP
    + r"\b(?:alone|on (?:their|his|her) own|by (?:themselves|himself|herself)|"
    r"unsupervised|for hours|all day|all night|overnight|in the car)\b",
    (
        r"\b(?:made|makes|make|forced|forces|force|pressured|pressures|got) (?:me|her|him|us|them) (?:to )?(?:do (?:things|"
        r"stuff|sexual)|touch (?:him|her|it)|watch (?:porn|things|videos)|keep (?:it|a secret|secrets|quiet)|take my clothes|"
        r"undress|send (?:pictures|photos|nudes)|sleep with|have sex)\b"
    ),
    r"\b(?:touched|touches|touching|fondl\w*|grop\w*) (?:me|her|him|my|us)\b(?! (?:on the (?:shoulder|arm)|base|up on))",
    (
        r"\b(?:came|comes|come|would come|used to come) (?:in|into) (?:my|her|his|our|the kids'?) (?:room|bed|bedroom) "
        r"(?:at night|when|and)\b"
    ),
    r"\b(?:without|didn'?t (?:get|give)) (?:my|her|his|their) consent\b|\bdidn'?t consent\b|\bi said no and (?:he|she|they)\b",
    r"\bsent (?:me|her|him) (?:pictures|photos|videos) of (?:himself|herself|his|her)\b",
    r"\b(?:keep|keeps|kept|told me to keep|made me keep) (?:it |this |our )?(?:a |our )?secret\b",
    r"\bwhen (?:he|she) (?:drinks|has been drinking|is drunk|gets drunk|'s drunk)\b"
    + _GAP
    + r"\b(?:scared|hide|afraid|frightened|violent|dangerous|nasty|rough)\b",
    r"\b(?:bruises?|marks|burns?|injur\w*) (?:[\w']+ ){0,3}(?:couldn'?t|can'?t|won'?t|didn'?t|don'?t|wouldn'?t) explain\b",
    r"\b(?:unexplained|funny-shaped|hand-?shaped|finger-?shaped) (?:bruises?|marks|burns?|injur\w*)\b",
    (
        r"\b(?:not|isn'?t|aren'?t|wasn'?t|never been) (?:being )?(?:fed|washed|changed|bathed|looked after|taken to "
        r"(?:the )?(?:doctor|school|dentist|gp))\b"
    ),
]

_SUBSTANCE_MORE = (
    r"\b(?:drink\w*|drank|drunk|alcohol|booze|vodka|wine|beer|cans|spirits|cider|gin|rum|whisk(?:e)?y|pills|"
    r"coke|cocaine|weed|using|inject\w*|snort\w*|drugs?|heroin|smack|ketamine|ket|mdma|spice|painkillers|"
    r"benzos?|valium|diazepam|xanax|codeine|tramadol|opioids?|oxy\w*|fent\w*|crystal|meth|gear|lean|pingers|pills)\b"
)
_CRISIS_MORE = (
    r"\b(?:before (?:school|college|class|lectures|work|driving|i drive|the school run)|at (?:school|college|lunch)|"
    r"in (?:the|my) car|in secret|secretly|in the (?:toilets?|bathroom|loo|shed|garage)|my (?:legs|arms|veins|"
    r"groin|neck|feet|toes)|in my (?:legs|arms|veins|groin|neck|feet|toes)|steal\w*|stole|nick\w*|pawn\w*|owe|"
    r"dealer|pass(?:ed|ing|es)? out|came round|come round|way more|more than (?:i|before|ever|usual)|need more|"
    r"needing more|my tolerance|tolerance (?:is|has|'s) (?:gone|going|higher|up)|sick without|sweats|sweating|"
    r"shaking|hands shake|seeing things|hearing things|"
    r"seizures?|nodding off|nodded off|turned blue|went blue|narcan|naloxone|stomach pumped|a&e|er|emergency room|"
    r"paramedics|rent money|food money|lost (?:my|the) (?:licen[cs]e|job|kids)|dui|dwi|drink[- ]driv\w*|the kids|"
    r"pregnant|on my own every|alone every|every single (?:day|night)|by (?:ten|10|eleven|noon|lunchtime|midday)|"
    r"breakfast|to stop the shakes|to stop shaking|get through the day|can'?t sleep without|can'?t function|on top of)\b"
)
_SUBSTANCE_CRISIS_MORE = [
    _pair(_SUBSTANCE_MORE, _CRISIS_MORE),
    (
        r"\binject(?:ing|ed|s)?\b(?! (?:my |the |her |his )?(?:insulin|ozempic|b12|epipen|vaccine|hormones?|fertility|"
        r"testosterone|medication|heparin|the cat|the dog|methotrexate))"
    ),
    (
        r"\b(?:steal\w*|stole|nick\w*|pinch\w*|swip\w*|took|taking|take) (?:[\w']+ ){0,2}(?:pills|tablets|meds|medication|"
        r"painkillers|prescriptions?|diazepam|valium|xanax|oxy\w*|codeine|tramadol) (?:from|off|out of) (?:my|her|his|"
        r"the|their|someone|a)\b"
    ),
    r"\b(?:steal\w*|stole|nick\w*) (?:[\w']+ ){0,2}(?:money|cash) (?:for|to buy) (?:drink|booze|drugs|gear|weed|a fix)\b",
    r"\bpass(?:ed|ing|es)? out (?:drunk|high|wasted|from (?:drink|drinking|the drink|the drugs))\b",
    r"\b(?:drunk|high|wasted|off my (?:face|head|nut)) (?:and|then) pass(?:ed|ing)? out\b",
    (
        r"\b(?:can'?t|couldn'?t|don'?t|didn'?t|no) (?:even )?(?:remember|recall|memory of) (?:getting|how i got|coming|"
        r"driving|walking|the drive|the journey|the rest of the (?:night|evening)|most of the (?:night|evening)|"
        r"anything (?:about|from|after) (?:last night|that night|the night|the party)|last night)\b"
    ),
    r"\bwoke up (?:[\w']+ ){0,3}(?:no (?:idea|memory)|not knowing|didn'?t know (?:where|how))\b",
    (
        r"\b(?:using|drinking|taking|smoking|snorting)(?: \w+)? (?:way |much |a lot |loads |so much |even )?more "
        r"(?:than (?:i|before|ever|usual|i used to)|and more|every (?:day|week)|each (?:day|week))\b"
    ),
    (
        r"\b(?:haven'?t|hasn'?t|have not|has not|not|didn'?t|never) (?:[\w']+ )?(?:used|had a drink|had a drop|drunk|"
        r"touched (?:a drop|a drink|drugs|alcohol|the stuff|it|anything)|picked up) (?:in|for|since|at all|again)\b"
    ),
    r"\b(?:clean|sober|dry) (?:for|since) (?:[\w']+ ){0,2}(?:days?|weeks?|months?|years?|christmas|\w+day)\b",
    r"\b(?:days?|weeks?|months?|years?) (?:clean|sober|dry)\b",
    r"\b(?:mix|mixing|mixed|combine\w*|on top of) (?:[\w']+ ){0,2}(?:pills|tablets|benzos?|xanax|valium|diazepam|"
    r"painkillers|codeine|sleeping pills|meds|methadone|opioids?|heroin|ketamine|coke)\b"
    + _GAP
    + r"\b(?:with|and|alcohol|drink\w*|booze|wine|vodka|beer)\b",
    r"\b(?:naloxone|narcan|stomach pumped|methadone|subutex|buprenorphine)\b",
    r"\b(?:my|the) dealer\b",
    r"\b(?:need|needed|needing) (?:a|my) (?:fix|hit|drink|line|score)\b(?! of)",
    r"\b(?:sick|ill|rattling|clucking|hanging) (?:without|from not|when i don'?t) (?:it|using|drinking|a drink|my)\b",
    r"\brattling\b|\bclucking\b",
]

# Probe lessons (a second dev probe, sentences written to vary the wording): the absent self as a condition
# ("if I wasn't in the picture"), relief for others, contemplation at a place, wishes for illness or accident.
_ABSENT_SELF = (
    r"\b(?:if|when|once|after|the day) i(?:'m| am| was| were)? (?:just |ever |finally |really )?(?:died|die|"
    r"was dead|were dead|(?:was|were|'m) gone|(?:wasn'?t|weren'?t|was not|were not|'m not) (?:here|there|around|"
    r"in the picture|in (?:their|your|his|her) li(?:fe|ves)|alive|about|on this earth|in the way)|disappeared|"
    r"vanished|didn'?t exist|stopped existing|didn'?t wake up|never woke up|went away for good|left for good|"
    r"killed myself|ended it)\b"
)
_FOR_OTHERS = (
    r"\b(?:favou?r|relief|relieved|easier|better|lighter|simpler|happier|cope|manage|fine|okay|ok|move on|get over it|"
    r"not (?:even )?notice|notice|miss me|care)\b"
)
_CONTEMPLATE = (
    r"\b(?:thinking about it|thought about it|sat there|sitting there|stood there|standing there|look(?:ed|ing)? (?:down|over)|"
    r"for (?:an hour|hours|ages|a long time|a while)|alone at night|in the dark|wanted to|the drop|how easy|how far down|"
    r"keep (?:going|driving|walking) (?:back|past)|keep looking at|kept looking at|found myself)\b"
)
_PROBE_SI = [
    _pair(_ABSENT_SELF, _FOR_OTHERS),
    r"\b(?:doing|do) (?:them|everyone|everybody|my \w+|the world) a favou?r\b",
    r"\b(?:easier|better|lighter|simpler) for (?:them|everyone|everybody|my \w+|all of them)\b"
    + _GAP
    + r"\b(?:if i|without me|me gone|i'?m gone|i wasn'?t|i go)\b",
    _pair(r"(?:" + _HEIGHT + r"|\b(?:river|rope|railway|motorway bridge)\b)", _CONTEMPLATE),
    (
        r"\b(?:hope|hopes|hoping|wish|wishing|pray\w*)\b(?: [\w']+){0,4} (?:cancer|illness|tumou?r|the (?:illness|disease|"
        r"infection)|it) (?:comes? back|returns?|spreads?|gets me|takes me|is terminal|finishes me)\b"
    ),
    (
        r"\b(?:hope|hoping|wish|wishing|pray\w*) (?:that )?i (?:get|got|catch|caught|had|have|develop) (?:cancer|covid|"
        r"something (?:serious|terminal|fatal)|ill|sick|hit|run over|killed|in an accident)\b"
    ),
    (
        r"\bcrash\w* (?:the|my) car\b|\b(?:swerv\w*|steer\w*|veer\w*|drive|driving|drove) (?:[\w']+ ){0,2}(?:into|off|in front of) "
        r"(?:a |an |the )?(?:wall|tree|lorry|truck|oncoming|traffic|bridge|cliff|road|motorway|river|lamppost|barrier|bus)\b"
    ),
    (
        r"\b(?:(?:the|my|a) will (?:is|was|'s)|(?:updat|writ|wrote|written|sort|made|make|mak|chang|redo|redid|redone)\w* "
        r"(?:my |a |the )will)\b"
    ),
    (
        r"\bwho (?:gets|will get|should get|would get|can have) (?:my|all my) (?:things|stuff|belongings|jewellery|"
        r"records|books|clothes|car|dog|cat|money)\b"
    ),
    r"\b(?:passwords|insurance|life insurance|bank details|funeral plans?|funeral wishes)\b"
    + _GAP
    + r"\b(?:just in case|in case|for when|after i'?m|if anything|if something)\b",
    (
        r"\b(?:nearly|almost|should have|wish i had|wish i'd) (?:died|killed myself|been killed|not survived)\b"
        r"(?! (?:laughing|of (?:laughter|embarrassment|shame|boredom|fright|shock)|when (?:she|he|they) (?:said|told)))"
    ),
    r"\b(?:have|had|has|ever|you)(?: \w+)? tried to (?:kill|hurt|end|take)\b",
    r"\b(?:tried|try|trying|attempt\w*) to (?:take|end) (?:my|his|her|their|your) (?:own )?li(?:fe|ves)\b",
]
_PROBE_SH = [
    r"\bdig(?:s|ging)? (?:my|her|his) (?:nails|fingernails|nails) into\b",
    r"(?:"
    + _MY_BODY
    + r"|\bmyself\b)"
    + _GAP
    + r"\b(?:until|till|til) (?:it|they|i|my [\w']+) (?:bleeds?|bled|bruise[ds]?|"
    r"breaks?|broke|blister\w*|scar\w*|marks?|goes numb|went numb|hurts?|hurt|split|is raw|are raw)\b",
    r"(?:"
    + _MY_BODY
    + r"|\bmyself\b)"
    + _GAP
    + r"\b(?:when (?:i'?m|i am|i get|i feel|it gets?|things get) (?:\w+ )?(?:upset|"
    r"angry|overwhelmed|stressed|bad|too much|low|numb|anxious|panicky)|to cope|to calm (?:myself )?down|to feel (?:\w+ )?"
    r"(?:something|better|real|calm)|as punishment|to punish)\b(?<!bite my nails when)",
    (
        r"\b(?:cigarettes?|lighter|matches|hot (?:iron|water|pan|knife)|ice) (?:[\w']+ ){0,2}(?:on|to|against) my (?:skin|arms?|"
        r"wrists?|legs?|thighs?|hands?|stomach|body)\b"
    ),
    r"\bburn\w* myself\b|\bmyself with (?:a |the )?(?:cigarettes?|lighter|matches|iron|knife|razor|blade|compass|scissors)\b",
]
_PROBE_HARM = [
    r"\bmake (?:him|her|them|\w+) (?:regret|pay|suffer|sorry|bleed)\b",
    r"\bregret the day (?:he|she|they|you) (?:was|were) born\b",
    (
        r"\b(?:set|sets|setting|light|lit|lighting) (?:fire|light) to\b|\bburn (?:his|her|their|the) (?:house|flat|car|place) "
        r"down\b|\bpetrol (?:through|in|on) (?:his|her|their) (?:letterbox|door|car)\b"
    ),
]
_PROBE_ABUSE = [
    (
        r"\b(?:did|does|do|doing|done|would do) (?:things|stuff|bad things|sexual things|something|horrible things) to "
        r"(?:me|her|him|us|my \w+)\b"
    ),
    (
        r"\b(?:threaten\w*|says?|said|swears?|swore|told (?:me|her|him)) (?:that )?(?:he|she|they)(?:'ll| will| would|'d|'s going "
        r"to| is going to| was going to) (?:kill|hurt|hit|take the kids|take my kids|burn|find)\b"
    ),
    (
        r"\b(?:kill|hurt) (?:me|us|her|him) if (?:i|she|he|we) (?:ever )?(?:leave|left|go|tell|told|report|call|try|"
        r"tried|walk out|speak)\b"
    ),
    (
        r"\b(?:taking|took|takes|steal\w*|stole|nick\w*|help\w* (?:himself|herself|themselves) to) (?:[\w']+ ){0,2}"
        r"(?:money|cash|cards?|jewellery|pension|savings) (?:from|out of|off) (?:my|her|his|their|mum'?s|mom'?s|dad'?s|"
        r"gran'?s|nan'?s|the) (?:[\w']+ )?(?:purse|wallet|account|bank|handbag|savings|pension)\b"
    ),
    (
        r"\b(?:shak(?:e|es|ing|en)|shook) (?:the|my|her|his|our|their) "
        r"(?:baby|toddler|infant|son|daughter|little one|newborn)\b"
    ),
    (
        r"\b(?:not|isn'?t|aren'?t|wasn'?t|weren'?t|hasn'?t|haven'?t|hadn'?t|never)(?: been| being| getting| got)? "
        r"(?:fed|washed|changed|bathed|looked after|taken to (?:the )?(?:doctor|school|dentist|gp))(?: properly)?\b"
    ),
]
_PROBE_SUBST = [
    (
        r"\b(?:buy\w*|bought|order\w*|get(?:ting)?|got) (?:[\w']+ ){0,2}(?:pills|tablets|benzos?|xanax|valium|diazepam|"
        r"codeine|tramadol|oxy\w*|opioids?|painkillers|drugs|weed|coke|pregabalin|gabapentin) (?:off|from|on) (?:the "
        r"(?:internet|street|dark web)|online|a (?:guy|bloke|mate|dealer)|someone|my dealer)\b"
    ),
    (
        r"\b(?:spent|spend|spending|blew|blow|blowing|used) (?:[\w']+ ){0,3}(?:rent|wages|benefits|savings|food money|"
        r"money|pay|pension|shopping money) (?:on|for) (?:drink|booze|drugs|coke|weed|gear|pills|vodka|alcohol|crack|"
        r"heroin|cans)\b"
    ),
    r"\b(?:bring|brought|bringing) me (?:round|around|back)\b",
    (
        r"\b(?:woke|wake|came|come) (?:up|round|to) in (?:hospital|a&e|an ambulance|the back of an ambulance|a cell|"
        r"the cells|resus)\b"
    ),
    (
        r"\b(?:nearly|almost|could have) died (?:from|after|of|because of) (?:what i|the (?:drugs|drink|pills)|an? "
        r"(?:overdose|mix))\b"
    ),
    r"\b(?:drink\w*|drank|vodka|wine|beer|cans|booze|alcohol|a drink)\b"
    + _GAP
    + r"\b(?:in the morning|first thing|"
    r"when i wake|as soon as i wake|before breakfast|with breakfast)\b",
]

# Probe-2 lessons (lower-case, disfluent, young and reported wording): reflexive euphemisms for anyone ("top
# himself"), announced intentions ("going to end it tonight"), means held in the hand, wounds described by their
# course ("the cuts are getting deeper"), passive abuse ("I get hit if..."), substance use named by amount,
# frequency, or its aftermath (waking on the floor, not knowing who you went home with).
_SELVES = r"(?:my|him|her|them|your|our)sel(?:f|ves)|themself"
_PROBE2_SI = [
    r"\b(?:top|topp\w+|off|offed|offing|end|ended|ending|unaliv\w*) (?:" + _SELVES + r")\b",
    r"\b(?:do|does|did|doing|done) (?:" + _SELVES + r") in\b",
    r"\b(?:not|n't|never) (?:meant|supposed) to be (?:here|alive|born|around|on this earth)\b",
    (
        r"\b(?:going to|gonna|will|'ll|want to|wanna|wanted to|planning to|plan to|decided to|thinking of|about to|"
        r"ready to|was going to|were going to) end it\b(?! (?:with|between))"
    ),
    r"\bend it (?:tonight|all|now|soon|today|this week|for good|once and for all)\b",
    (
        r"\b(?:just|should|could|might|'ll|will|gonna) jump\b(?! (?:in|at|on|into|to|ship|the|through|over|up|around|back|"
        r"straight|right|queue|start))"
    ),
    (
        r"\b(?:painless|quick|quickest|easy|easiest|best|surest|peaceful) (?:ways?|methods?|means) (?:to (?:go|die|do it|"
        r"end it|check out|kill)|of (?:dying|going|doing it|suicide))\b"
    ),
    (
        r"\bfound myself (?:[\w']+ ){0,3}(?:at|on|by|near|standing|on top of) (?:the|a) (?:station|platform|bridge|river|"
        r"tracks|edge|cliffs?|roof|top|water|motorway|railway|sea|canal|lake)\b"
    ),
    (
        r"\b(?:look|looking|looked|stare|staring|stared) (?:down )?(?:at|into) the (?:trains|tracks|water|drop|traffic|"
        r"river|edge|waves)\b"
    ),
    (
        r"\b(?:won'?t|not|n't|never|i'?ll|i will|i'?m going to|i can) (?:going to |gonna |even |still |actually )?make it "
        r"(?:to|through|past|until|till) (?:christmas|summer|"
        r"new year|my birthday|the (?:end of the )?(?:year|month|week|weekend|spring|winter|summer|autumn)|next "
        r"(?:year|month|week)|spring|winter|autumn|tomorrow|the morning)\b"
    ),
    (
        r"\b(?:everything|it all|the world|my mind|my head|it) to (?:go|fade to|fade|turn|switch|stop and go) "
        r"(?:black|dark|quiet|silent|off|away|still)\b"
    ),
    r"\b(?:switch|turn|shut) (?:it all|everything|myself|my brain|my head) off (?:for good|forever|permanently)\b",
    r"\b(?:never|not) (?:wake|come) (?:up|back)(?: again)?\b(?<!come up)",
    _pair(
        r"\b(?:hold|held|holding|pick(?:ed)? up|picking up|had|got out|take out|took out|grab\w*) (?:the|a|my|his|her) "
        r"(?:knife|blade|razor|rope|gun|pills|tablets|belt|cord|bottle of pills)\b",
        r"\b(?:think(?:ing)? about (?:it|using it|doing it)|thought about (?:it|using it|doing it)|wanted to|nearly|"
        r"almost|on myself|to my (?:wrist|throat|skin|arm|neck|head)|for (?:ages|an hour|a long time))\b",
    ),
]
_PROBE2_SH = [
    (
        r"\b(?:cuts|scars|marks|burns|wounds) (?:are |were |have been |keep |kept )?(?:getting |got |get )?(?:deeper|worse|"
        r"bigger|longer|infected)\b"
    ),
    r"\b(?:fresh|new|deep|deeper|infected) (?:cuts|marks|scars|burns|wounds)\b",
    r"\bmy (?:cuts|scars|wounds|burns)\b",
    (
        r"\b(?:doing|did|do|done) it (?:again|more|every night|every day)?\W{0,2} ?(?:on|to|into) my (?:arms?|legs?|wrists?|"
        r"thighs?|stomach|skin|body|hips?|chest)\b"
    ),
    (
        r"\b(?:hurting|cutting|burning|harming|hitting|punching|starving|scratching) (?:my|his|her|their|him|her|them)"
        r"sel(?:f|ves)\b"
    ),
]
_PROBE2_HARM = [
    (
        r"\b(?:fist|foot|boot|head|knife|bottle|glass|brick) (?:through|into|in) (?:his|her|their|someone'?s|your|that "
        r"\w+'s) (?:face|head|teeth|chest|throat|skull|window)\b"
    ),
    (
        r"\b(?:people|someone|somebody|him|her|them|everyone|anyone|a few people|names)\s+(?:that |who )?(?:i|i'?d)\s+"
        r"(?:really |still |actually )?(?:want|wanna|would like|'d like|like|could|am going|'m going|plan|need|intend)(?: to)? "
        r"(?:hurt|kill|shoot|stab|punish|get|attack|hit|make suffer|pay back)\b"
    ),
    r"\b(?:a |my )?list of (?:people|names|targets)\b",
    r"\b(?:smash|kick|cave|punch|bash) (?:his|her|their|your|that \w+'s) (?:face|head|teeth|skull) in\b",
]
_PROBE2_ABUSE = [
    (
        r"\b(?:holds?|held|pins?|pinned|pinning|holding|pushes|pushed|shoves|shoved) (?:me|her|him|us|them) (?:down|"
        r"against|up against|to the (?:floor|wall|ground|bed))\b"
    ),
    _PERP + _GAP + r"\bcan'?t breathe\b",
    (
        r"\b(?:i|we|he|she|they|the kids|the children|my (?:son|daughter|brother|sister)) (?:\w+ )?(?:get|got|gets|getting|"
        r"was|were|am|is|are|used to get|would get|being) (?:hit|beaten|slapped|smacked|kicked|punched|belted|whipped|"
        r"strapped|battered|thrashed|hurt)\b(?! (?:off|out)\b)(?! by (?:a|the) (?:ball|car|bus|wave|stone|door|branch))"
    ),
    r"\b(?:spits?|spitting|spat) (?:on|at|in) (?:me|her|him|us|my face|her face)\b",
    (
        r"\b(?:calls?|called|calling) (?:me|her|him|us) (?:worthless|useless|stupid|fat|ugly|pathetic|disgusting|a slut|"
        r"a whore|a bitch|a waste|an idiot|a failure|names)\b"
    ),
    (
        r"\b(?:always|constantly|often|every time|usually)\b(?: [\w']+){0,2} (?:filthy|dirty|unwashed|smelly|starving|"
        r"hungry|in the same clothes|covered in (?:bruises|lice|nits|sores))\b"
    ),
    r"\b(?:filthy|dirty|unwashed|smelly) and (?:hungry|starving|cold|scared)\b",
]
_PROBE2_SUBST = [
    r"\b(?:threw|throw|throwing|coughing|cough|coughed) up blood\b|\bvomit\w* blood\b",
    _pair(_SUBSTANCE, r"\buntil i (?:threw up|was sick|passed out|collapsed|couldn'?t (?:stand|walk|see))\b"),
    _pair(
        r"\b(?:drunk|wasted|high|smashed|off my (?:face|head|nut|tits)|out of it|hammered|mashed|twatted|plastered)\b",
        r"\b(?:(?:don'?t|didn'?t|do not|did not) (?:even )?know (?:who|how|where|what (?:happened|i did))|can'?t "
        r"remember|couldn'?t remember|woke up|no idea (?:who|how|where)|fell|fight|police|arrested|hospital|a&e)\b",
    ),
    (
        r"\b(?:doing|did|do|does|snort\w*|rack\w*|cut(?:ting)? out) (?:a few |some |more |loads of )?lines\b|\blines of "
        r"(?:coke|cocaine|ket|speed|meth)\b"
    ),
    (
        r"\b(?:woke|wake|came|come|waking) (?:up|round|to) on (?:the|a|someone'?s) (?:bathroom |kitchen |bedroom |hall )?"
        r"(?:floor|pavement|street|bench|stairs|doorstep)\b"
    ),
    r"\bcovered in (?:sick|vomit|my own sick)\b",
    _pair(
        r"\b(?:ketamine|ket|coke|cocaine|mdma|speed|spice|ghb|mephedrone|benzos?|xanax|valium|diazepam|codeine|"
        r"tramadol|pills|weed|vodka|drinking|drunk|using)\b",
        r"\b(?:most (?:days|nights|mornings)|daily|every (?:weekend|morning|night|day|single)|all weekend|all day|"
        r"nearly every|all the time|round the clock|on my own|by myself|to sleep|to get to sleep|to get up)\b",
    ),
]

BROAD["suicidal_ideation"] += _PROBE2_SI
BROAD["self_harm"] += _PROBE2_SH
BROAD["harm_to_others"] += _PROBE2_HARM
BROAD["abuse_neglect"] += _PROBE2_ABUSE
BROAD["substance_crisis"] += _PROBE2_SUBST

BROAD["suicidal_ideation"] += _PROBE_SI
BROAD["self_harm"] += _PROBE_SH
BROAD["harm_to_others"] += _PROBE_HARM
BROAD["abuse_neglect"] += _PROBE_ABUSE
BROAD["substance_crisis"] += _PROBE_SUBST

BROAD["suicidal_ideation"] += (
    [
        _pair(_PILLS, _AMOUNT) + r"(?<!\bprescription)",
        _pair(_HEIGHT, _FALL_ACT),
    ]
    + _HOPELESS
    + _PASSIVE
    + _PREPARE
    + _SAFETY_Q
)
BROAD["self_harm"] += _SELF_HARM_MORE
BROAD["harm_to_others"] += _HARM_MORE
BROAD["abuse_neglect"] += _ABUSE_MORE
BROAD["substance_crisis"] += _SUBSTANCE_CRISIS_MORE

BROAD_RX = {cat: [re.compile(p, re.IGNORECASE) for p in ps] for cat, ps in BROAD.items()}
