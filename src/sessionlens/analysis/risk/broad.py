"""The broad tier: concept co-occurrence within one sentence, for phrasings no fixed cue anticipates.

Round 2 of the risk benchmark showed fixed phrases miss about half of freshly written statements; round 3
(recall 0.63 with a first broad tier) showed the concept fields were still too narrow, and they were widened
by semantic field (ways of dying, self-directed violence, control and money in abuse, withdrawal signs). These
patterns pair a concept (death, damage to the body, violence, a substance) with what makes it risk talk
(the speaker or a person as its object, a crisis word) inside one sentence (no ``.?!`` between them).
They fire more often on ordinary talk, so their hits carry low confidence ("possible") and are still
shown for review — recall first, as a safety tool must.
"""

from __future__ import annotations

import re

_GAP = r"[^.?!]{0,45}?"  # the rest of the same sentence, bounded
_SELF = r"\b(?:i|i'm|i've|i'd|i'll|me|my|myself)\b"
_PERP = (
    r"\b(?:he|she|they|he's|she's|his|her|my (?:dad|father|mum|mom|mother|stepmum|stepmom|stepdad|stepfather|"
    r"husband|wife|partner|boyfriend|girlfriend|ex|brother|sister|uncle|aunt|grandfather|grandad|coach|teacher|"
    r"parents?|carer|caregiver|babysitter|foster \w+|guardian)|(?:mum|mom)'s boyfriend)\b"
)
_VICTIM = r"\b(?:me|us|her|him|them|our (?:son|daughter|kids|children|baby)|the (?:kids|children|baby)|my (?:kids|son|daughter|mum|mom|mother|sister|brother))\b"


def _pair(a: str, b: str) -> str:
    """a then b, or b then a, in the same sentence."""
    return rf"(?:{a}{_GAP}{b}|{b}{_GAP}{a})"


_DEATH = (
    r"\b(?:die|dying|dead|death|suicid\w*|not (?:to )?exist\w*|end (?:it|things|my life)|ending it|be over|"
    r"way out|no future|disappear\w*|never com(?:e|ing) back|taking up space|noose|kill myself|ways to die|"
    r"not be(?:ing)? here|just stop|stop everything|no point|no use|the use of living|gone|(?:want|wanting|wish|be|"
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
    r"get back at|suffer)\b"
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
    r"\b(?:drink\w*|drank|drunk|alcohol|booze|vodka|wine|beer|gin|whisk(?:e)?y|pills|tablets|coke|cocaine|"
    r"weed|high|using|inject\w*|snort\w*|stash|drugs?|heroin|smack|ketamine|mdma|speed|spice|sober|painkillers|"
    r"benzos?|meds|opioids?)\b"
)
_CRISIS = (
    r"\b(?:morning|get up|wake up|shak\w*|seizures?|arrest\w*|drove|driv\w*|every (?:day|night)|can'?t "
    r"(?:control|stop|go a day|cope)|no memory|black\w*|street|more and more|on purpose|too many|hospital|a&e|"
    r"kids|hid\w*|hiding|again|relaps\w*|withdraw\w*|pass(?:ed)? out|to feel normal|in (?:\w+ )?months|"
    r"since|out of control|ambulance|before work|at work|alone|a day|a night|bottle|aches?|(?:had|have|having) a fit|trembl\w*|"
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
        r"\bi (?:still |sometimes |don'?t |used to )?cut\b(?! (?:the|my hair|down|back|it|out|off|"
        r"corners|in|ties|class))",
        r"\bcuts? on (?:my|her|his) (?:arms?|wrists?|legs?|thighs?)\b",
        r"\b(?:i'?m|i am|i was|been|back to|started|start|stop|stopped|keep|kept) cutting\b(?! (?:back|down|corners|the|"
        r"my hair|it|out|off|ties|class|costs))",
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
        r"\bno memory of (?:the night|last night|what happened|how)\b",
        r"\bmy stash\b",
        r"\bwithdrawing\b",
        r"\blost count of how much\b",
        r"\blast sober day\b",
        r"\btoo (?:high|drunk|hungover) to\b",
        r"\b(?:taking|took|using|stealing|stole) (?:my |someone else's |\w+'s )(?:painkillers|pills|"
        r"meds|medication|tablets)\b",
    ],
}

BROAD_RX = {cat: [re.compile(p, re.IGNORECASE) for p in ps] for cat, ps in BROAD.items()}
