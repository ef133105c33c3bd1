"""Cue patterns for the relational detectors, built from the examples in tests/analysis/test_relational*.py.

Kept in one place so the rules can be read (and questioned) together.
"""

from __future__ import annotations

import re

from ...domain import Role, Transcript, Utterance
from ..textcues import compile_cues, norm

# A therapist suggesting a course of action (advice or a proposal), the first half of a "yes, but".
SUGGESTION = compile_cues(
    [
        r"you (?:should|could|might|need to|have to|ought to|can always|might want to|may want to)",
        r"what about",
        r"how about",
        r"why don'?t you",
        r"why not",
        r"have you (?:tried|thought about|considered)",
        r"(?:maybe|perhaps) (?:you|try|if you)",
        r"(?:try|consider|start) \w+ing",
        r"could you",
        r"would you (?:be willing|"
        r"consider|try)",
        r"what if you",
        r"i (?:just )?think (?:you|if)",
        r"it (?:might|would|could) help (?:to|if)",
        r"one (?:option|idea) (?:is|would be)",
        r"instead\?",
        r"the best thing (?:is|would be)",
        r"i'?d suggest",
        r"i recommend",
        r"my advice",
        r"if you (?:just|only|tried)",
    ]
)
# "or stopping work earlier?" — a proposal that opens with "or".
SUGGESTION_OPENING = re.compile(
    r"^\W*(?:or|and|so) (?:maybe )?\w+ing\b|^\W*or (?:maybe |what about |you could )", re.I
)

# The client's reply: an agreement token, then a "but" within a few words.
YES_BUT = re.compile(
    r"^\W*(?:yeah|yes|yep|yea|sure|right|true|ok(?:ay)?|i know|i guess|i see|maybe|in theory|i hear you|"
    r"that'?s true|i suppose|mm+|fair|i (?:would|could|tried|did|have)(?: that| tried)?|that (?:would|could|might) "
    r"(?:be|work)(?: \w+)?|i get (?:it|that)|possibly|probably)"
    r"(?:[\s,.!;:-]+\w+(?:'\w+)?){0,4}?[\s,.!;:-]+but\b",
    re.I,
)

CONFRONTATION = compile_cues(
    [
        r"(?:getting|being|feel(?:ing)?) (?:lectured|judged|graded|critici[sz]ed|blamed|pushed|patroni[sz]ed|"
        r"talked down to)",
        r"you'?re not (?:listening|hearing me|getting it|helping)",
        r"you (?:don'?t|do not|never) (?:understand|get it|listen|care|hear me)",
        r"this (?:isn'?t|is not|isn'?t really) (?:helping|working)",
        r"(?:keep|keeps) going back to this",
        r"why (?:do|are) we (?:keep |still )?(?:going back to|talking about|doing) this",
        r"waste of (?:time|money)",
        r"not what i came (?:here )?(?:for|to talk about)",
        r"i came (?:in|here) to talk about",
        r"stop telling me",
        r"you sound (?:just )?like my",
        r"that'?s not what i (?:said|meant)",
        r"i don'?t (?:need|want) (?:advice|"
        r"a lecture|to be told)",
        r"what'?s the point of (?:this|therapy|coming here)",
        r"you keep (?:saying|asking|"
        r"pushing|telling)",
        r"i'?m (?:annoyed|frustrated|angry|irritated) (?:with|at) you",
        r"back off",
        r"(?:you|this) (?:always|just) (?:do|does) this",
        r"i don'?t (?:think|feel) you (?:get|understand|hear)",
    ]
)
# Dismissive minimal answers: a withdrawal marker on their own.
DISMISSIVE = re.compile(
    r"^\W*(?:it'?s fine|(?:i'?m )?fine|whatever|(?:it )?doesn'?t matter|forget it|never ?mind|nothing|"
    r"i don'?t want to talk about (?:it|that)|can we (?:talk about something else|move on)|let'?s (?:not|move on)|"
    r"anyway)\W*$",
    re.I,
)
# Minimal answers that count only in a run of three or right after confrontation.
MINIMAL = re.compile(
    r"^\W*(?:i guess|i don'?t know|dunno|sure|ok(?:ay)?|maybe|no|yeah|yes|mm+|not really|"
    r"i suppose|if you say so)\W*$",
    re.I,
)
TOPIC_SHIFT = compile_cues(
    [
        r"can we (?:talk about something else|change the subject|move on)",
        r"i don'?t want to (?:talk|get into) (?:about )?(?:it|that|this)",
        r"anyway,",
    ]
)

REPAIR = {
    "acknowledging": compile_cues(
        [
            r"you'?re right",
            r"i got ahead of (?:you|myself)",
            r"i'?m sorry(?: (?:for|that|if) i)?",
            r"my (?:mistake|bad)",
            r"thanks? (?:you )?for (?:saying|telling me|letting me know|being honest|pointing)",
            r"that'?s fair",
            r"fair enough",
            r"i (?:was|went|pushed) (?:too|a bit|ahead)",
            r"i apologi[sz]e",
            r"let me back up",
            r"i (?:didn'?t|should have|shouldn'?t have)",
            r"i hear (?:you|that)(?: (?:felt|came|sounded))",
            r"that (?:came|must have) (?:across|felt)",
            r"i (?:can )?see (?:how|why) (?:that|it) (?:felt|came)",
        ]
    ),
    "exploring the rupture": compile_cues(
        [
            r"what (?:was|is) that like",
            r"what happened (?:there|just now)",
            r"how (?:was|is) (?:that|this) for you",
            r"not (?:completely|totally|entirely|really|quite) fine",
            r"tell me more about (?:that|what (?:happened|felt))",
            r"what did i (?:say|do)",
            r"how are we doing",
            r"what'?s going on for you (?:right )?now",
            r"can you say more about (?:that|how)",
        ]
    ),
    "returning control": compile_cues(
        [
            r"(?:it'?s |that'?s )?(?:your|you'?re the one to) (?:call|choice|decision)",
            r"up to you",
            r"set (?:it|that|this) "
            r"aside",
            r"you decide",
            r"what would you (?:rather|prefer|like)",
            r"we don'?t have to",
            r"if you(?:'d)? want",
            r"where do you want to go",
            r"i'?d (?:much )?rather know",
        ]
    ),
}

HERE_AND_NOW = {
    "the present moment": compile_cues(
        [
            r"right now",
            r"just now",
            r"in here",
            r"in this room",
            r"at this moment",
            r"as we (?:talk|sit|speak)",
            r"what'?s (?:it|this) like",
            r"(?:today|here),? (?:with|in) (?:me|this room)",
            r"in this session",
        ]
    ),
    "the relationship": compile_cues(
        [
            r"(?:with|between) (?:me|us)\b(?! and)",
            r"you and (?:i|me)",
            r"our (?:relationship|work|sessions?|time)",
            r"i (?:notice|noticed|'?m noticing)",
            r"how (?:are|is) (?:this|we|it) (?:going|working)(?: for you)?",
            r"(?:at|to|with) you (?:earlier|just now|today|here)",
            r"(?:snapped|angry|annoyed|mad|upset) (?:at|with) you",
            r"(?:isn'?t|not) fair to you",
            r"(?:easier|harder|different) (?:here|with you)",
            r"here with you",
        ]
    ),
}
# A present-moment cue counts only with an experiential or in-room word nearby (not "busy right now at work").
EXPERIENTIAL = compile_cues(
    [r"feel\w*", r"like", r"talk\w*", r"say\w*", r"here", r"this", r"me", r"us", r"notice\w*"]
)

SELF_DISCLOSURE = {
    "personal information": compile_cues(
        [
            r"i (?:also|too) (?:have|had|struggle\w*|went|lost|drink|felt|was)",
            r"when i was (?:a|your|young|in|little)",
            r"my (?:own )?(?:mom|mother|dad|father|husband|wife|partner|kids?|children|son|daughter|family|brother|sister|"
            r"divorce|experience|therapist|childhood)",
            r"i'?ve been through",
            r"i went through",
            r"i remember when i",
            r"me too",
            r"i had a similar",
            r"(?:same|that) (?:thing )?happened to me",
            r"in my (?:own )?(?:life|experience|"
            r"family)",
            r"personally,? i",
            r"i know (?:what it'?s like|how (?:it|that) feels)",
            r"i used to",
            r"i'?m (?:a|in) recovery",
            r"i lost my",
        ]
    ),
    "in-the-moment reaction": compile_cues(
        [
            r"i'?m (?:really |so |very )?(?:moved|touched)",
            r"i (?:feel|felt) (?:moved|sad|touched|worried|concerned|for you)",
            r"i'?m (?:worried|concerned) about you",
            r"(?:i notice|i'?m noticing) i(?:'m| feel| am)",
        ]
    ),
}

BACKCHANNEL = re.compile(r"^\W*(?:mm+(?:-?hm+)?|uh-?huh|right|ok(?:ay)?|yeah|sure|hmm+)\W*$", re.I)


def is_backchannel(u: Utterance) -> bool:
    return bool(BACKCHANNEL.match(norm(u.text)))


def substantive(t: Transcript) -> list[Utterance]:
    """Utterances that carry a turn: therapist backchannels ("mm-hm") are skipped, client ones kept."""
    return [u for u in t.utterances if not (u.role == Role.THERAPIST and is_backchannel(u))]


def is_suggestion(text: str) -> str | None:
    t = norm(text)
    m = SUGGESTION.search(t) or SUGGESTION_OPENING.search(t)
    return m.group(0) if m else None


def yes_but(text: str) -> str | None:
    m = YES_BUT.search(norm(text))
    return m.group(0) if m else None


def confrontation(text: str) -> str | None:
    m = CONFRONTATION.search(norm(text))
    return m.group(0) if m else None
