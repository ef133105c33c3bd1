"""Is this short string a speaker label ("Therapist", "T", "Speaker 2", "Dr. Lee")?

Labels are short (≤ 4 words, ≤ 40 characters), carry no sentence punctuation and look like
names: capitalised words, numbers, or a known role word. That keeps "I said: no" and
"So: what now" from being read as speakers.
"""

from __future__ import annotations

import re
from functools import lru_cache

ROLE_WORDS = frozenset(
    """therapist client counselor counsellor patient interviewer interviewee participant doctor dr
    clinician speaker t c p i q a r mother father mom dad parent child son daughter partner husband
    wife moderator facilitator coach respondent unknown psychologist psychiatrist nurse social worker
    supervisor trainee family member""".split()
)
# Capitalised words that start sentences far more often than they name a speaker.
_NOT_LABELS = frozenset(
    """so well yes no and but then okay ok like because he she we they it this that also now
    note example answer question um uh hmm yeah right sure oh anyway basically actually first
    second finally remember listen look""".split()
)
_PARTICLES = frozenset("de der van von da di la le du bin al of the".split())
_INITIALS = re.compile(r"(?:[A-Z]\.)+")  # J. / J.R.
_TITLES = frozenset("dr mr mrs ms mx prof jr sr st rev".split())
_MACHINE = re.compile(r"[A-Za-z]{1,10}[_-]?\d{1,4}")  # spk1, speaker_00, SPEAKER_01
_FORBIDDEN = set('?!,;"“”…:<>[]{}()=')


@lru_cache(maxsize=4096)  # a transcript repeats a handful of labels thousands of times
def is_label(text: str) -> bool:
    s = text.strip()
    if not s or len(s) > 40 or any(c in _FORBIDDEN for c in s):
        return False
    words = s.split()
    if len(words) > 4 or not all(_word_ok(w) for w in words):
        return False
    if len(words) == 1 and s.lower().rstrip(".") in _NOT_LABELS:
        return False
    first = words[0]
    if not (first[0].isupper() or _is_role(first) or _MACHINE.fullmatch(first)):
        return False
    return all(_later_word_ok(w) for w in words[1:])


def _later_word_ok(w: str) -> bool:
    return w[0].isupper() or w[0].isdigit() or w[0] == "#" or _is_role(w) or w in _PARTICLES


def is_speakerish(text: str) -> bool:
    """Stricter: used for a bare "00:00:05 Speaker 1" header line without a colon."""
    s = text.strip()
    if not is_label(s):
        return False
    words = s.split()
    return (
        any(c.isdigit() for c in s)
        or any(_is_role(w) for w in words)
        or s.isupper()
        or len(words) >= 2
    )


def _word_ok(w: str) -> bool:
    if "." in w:  # only titles and initials: "Wait." ends a sentence
        return bool(_INITIALS.fullmatch(w)) or (w.endswith(".") and w.lower().rstrip(".") in _TITLES)
    return w[0].isalnum() or w[0] in "#_"


def _is_role(w: str) -> bool:
    return w.lower().rstrip(".") in ROLE_WORDS
