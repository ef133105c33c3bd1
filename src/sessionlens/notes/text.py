"""Small text helpers for turning the client's own words into note prose.

Third person uses singular "they" (the transcript does not tell us pronouns, and "they" needs no
verb agreement changes: "I feel" -> "they feel"). Fillers and transcription cues are dropped.
"""

from __future__ import annotations

import re

from ..analysis.sentences import clean as clean, sentences as sentences  # one splitter for detectors and prose

_LEAD = re.compile(r"^(?:(?:yeah|yes|yep|okay|ok|so|well|um+|uh+|oh|and|but|honestly|i mean|i guess|i think|"
                   r"you know|like|just|right|huh|mm+|hmm+)\b[,.!?]?\s*)+", re.IGNORECASE)
_FILLERS = re.compile(r",?\s*\b(?:um+|uh+|you know|i mean|kind of like)\b,?", re.IGNORECASE)

# Ordered: longer forms first. Applied to whole words, case-insensitive.
_PERSON3 = (
    (r"am i", "are they"), (r"i'm gonna", "they are going to"), (r"i am gonna", "they are going to"), (r"gonna", "going to"),
    (r"wanna", "want to"), (r"i'm", "they are"), (r"i am", "they are"), (r"i've", "they have"),
    (r"i'd", "they would"), (r"i'll", "they will"), (r"i was", "they were"), (r"i wasn't", "they weren't"),
    (r"myself", "themself"), (r"my", "their"), (r"mine", "theirs"), (r"me", "them"), (r"i", "they"),
)
_PERSON3_RX = [(re.compile(rf"\b{a}\b", re.IGNORECASE), b) for a, b in _PERSON3]


def strip_lead(text: str) -> str:
    """Drop leading fillers and hedges ("Yeah. Okay. I think ...")."""
    prev = None
    while prev != text:
        prev = text
        text = _LEAD.sub("", text).lstrip(" ,.-")
    return text


def tidy(text: str) -> str:
    return _FILLERS.sub("", text).strip(" ,;-")


def person3(text: str) -> str:
    """First person -> third person ("they"), for paraphrasing the client."""
    out = text
    for rx, repl in _PERSON3_RX:
        out = rx.sub(repl, out)
    return out


def lower_first(text: str) -> str:
    if len(text) > 1 and text[0].isupper() and not text[1].isupper() and not text.startswith("I "):
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def end_stop(text: str) -> str:
    text = text.rstrip(" ,;:-")
    return text if text.endswith((".", "!", "?", '"', ")")) else text + "."


def strip_stop(text: str) -> str:
    return text.rstrip(" .!?,;:")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def quote(text: str, max_words: int = 28) -> str:
    """The client's words, trimmed to a readable length with an ellipsis where cut."""
    w = clean(text).split()
    body = " ".join(w[:max_words]) + (" ..." if len(w) > max_words else "")
    return f'"{body}"'


def join_list(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


_WH = re.compile(r"^(what|which|when|where|who|how|why)\b", re.IGNORECASE)
_Q_LEAD = re.compile(r"^(?:(?:and|so|okay|ok|now|then|well|alright)\b[,]?\s*)+", re.IGNORECASE)


def indirect_question(question: str) -> str | None:
    """'Which two nights?' -> 'which two nights'; 'And for the sleep itself?' -> 'about the sleep itself'."""
    q = _Q_LEAD.sub("", strip_stop(clean(question))).strip()
    if not q or len(q.split()) > 12:
        return None
    if _WH.match(q):
        return person_swap_you(lower_first(q))
    m = re.match(r"^(?:for|about|with|regarding)\s+(.+)$", q, re.IGNORECASE)
    if m:
        return "about " + person_swap_you(m.group(1))
    if len(q.split()) <= 3 and not re.match(r"^(do|does|did|is|are|can|could|would|will|have|has)\b", q, re.I):
        return "about " + person_swap_you(q)
    return None


def person_swap_you(text: str) -> str:
    """Therapist's "you/your" seen from the note: the client."""
    text = re.sub(r"\byour\b", "their", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(for|to|with|at|about|from|of|tell|ask|give|help|let) you\b", r"\1 them", text,
                  flags=re.IGNORECASE)
    text = re.sub(r"\byou(?=\W*$)", "them", text, flags=re.IGNORECASE)
    text = re.sub(r"\byou're\b", "they are", text, flags=re.IGNORECASE)
    return re.sub(r"\byou\b", "they", text, flags=re.IGNORECASE)


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"
