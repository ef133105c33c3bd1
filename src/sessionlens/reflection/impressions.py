"""Memory held against data: impressions recorded before the session's data is opened, compared
item by item with what the analysis recorded, and tallied over time.

Each comparison says whether the recollection was close to the record, more self-critical than the
record (remembering more talk, fewer open questions, earlier advice ... than happened), or less.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import InputError
from ..payloads.reflection_impressions import ImpressionRow, ImpressionTally, ItemValue
from .language import kind

CLOSE, HARSHER, GENTLER, DIFFERENT, UNKNOWN = ("close", "more self-critical", "less self-critical", "different",
                                               "not measurable")


@dataclass(frozen=True)
class Item:
    key: str
    question: str
    choices: tuple[str, ...] = ()  # empty: a percentage 0-100; ordered from the gentlest recollection

    def parse(self, value: object) -> ItemValue:
        if not self.choices:
            try:
                number = float(str(value).strip().rstrip("%"))
            except ValueError:
                raise InputError(f"{self.key}: a percentage from 0 to 100") from None
            if not 0 <= number <= 100:
                raise InputError(f"{self.key}: a percentage from 0 to 100")
            return round(number)
        text = str(value).strip().lower()
        if text not in self.choices:
            raise InputError(f"{self.key}: one of {', '.join(self.choices)}")
        return text


ITEMS: tuple[Item, ...] = (
    Item("talk_share", "About what share of the talking did you do (percent)?"),
    Item("open_questions", "Of your questions, about what share were open ones (percent)?"),
    Item("reflections", "Compared with your questions, did you reflect more, about the same, or less?",
         ("more", "about the same", "less")),
    Item("advice_early", "Did you offer advice before the client asked for it or agreed to hear it?",
         ("no", "yes")),
    Item("change_talk", "How did the client talk about change?",
         ("mostly about change", "a mix", "mostly about staying the same")),
    Item("rupture", "Was there a strain between you?",
         ("no", "yes, and we repaired it", "yes, and it stayed unrepaired")),
    Item("risk", "Did risk (such as thoughts of suicide) come up?", ("no", "yes")),
)
BY_KEY = {i.key: i for i in ITEMS}
LABELS = {"talk_share": "Your share of the talking", "open_questions": "Open questions",
          "reflections": "Reflections compared with questions", "advice_early": "Advice before it was asked for",
          "change_talk": "The client's change talk", "rupture": "Strain and repair", "risk": "Risk coming up"}
MAX_NOTE = 4000


def validate(answers: Mapping[str, object]) -> dict[str, ItemValue]:
    """Known items only; at least one answered. A free-text ``note`` is kept but never compared."""
    unknown = set(answers) - set(BY_KEY) - {"note"}
    if unknown:
        raise InputError(f"unknown impression item(s); known: {', '.join(BY_KEY)}, note")
    out: dict[str, ItemValue] = {k: BY_KEY[k].parse(v) for k, v in answers.items()
                           if k in BY_KEY and str(v).strip() != ""}
    note = str(answers.get("note", "")).strip()
    if len(note) > MAX_NOTE:
        raise InputError(f"the note is longer than {MAX_NOTE} characters")
    if not out and not note:
        raise InputError("record at least one impression")
    return {**out, "note": note} if note else out


@dataclass(frozen=True)
class _Read:
    """The parts of a stored analysis document (raw JSON) the comparison reads."""

    talk: float | None
    iv: Mapping[str, Any]
    ct: Mapping[str, Any]
    rel: Mapping[str, Any]
    risk: Mapping[str, Any]
    premature: int


def _metrics(doc: Mapping[str, Any]) -> _Read:
    m = doc.get("metrics", {})
    return _Read(talk=(m.get("talk_time", {}).get("therapist") or {}).get("share"),
                 iv=m.get("interventions") or {}, ct=m.get("client_talk") or {},
                 rel=m.get("relational") or {}, risk=m.get("risk") or {},
                 premature=sum(1 for f in doc.get("findings", []) if f.get("kind") == "premature_advice"))


def _ordinal(item: Item, recalled: str, recorded: str | None) -> str:
    if recorded is None:
        return UNKNOWN
    a, b = item.choices.index(recalled), item.choices.index(recorded)
    return CLOSE if a == b else HARSHER if a > b else GENTLER


def _percent(recalled: float, recorded: float | None, tolerance: float, harsh_if_higher: bool) -> str:
    if recorded is None:
        return UNKNOWN
    if abs(recalled - recorded) <= tolerance:
        return CLOSE
    return HARSHER if (recalled > recorded) == harsh_if_higher else GENTLER


def _round(value: float | None) -> int | None:
    return None if value is None else round(value)


def recorded_values(doc: Mapping[str, Any]) -> dict[str, ItemValue | None]:
    """What the analysis recorded, in the same terms as the questions."""
    x = _metrics(doc)
    rq, pct_change = x.iv.get("reflection_to_question_ratio"), x.ct.get("percent_change_of_change_and_sustain")
    ruptures = (x.rel.get("counts") or {}).get("rupture")
    out: dict[str, ItemValue | None] = {
        "talk_share": None if x.talk is None else round(100 * x.talk),
        "open_questions": _round((x.iv.get("questions") or {}).get("percent_open")),
        "reflections": None if rq is None else "more" if rq > 1.25 else "less" if rq < 0.8 else "about the same",
        "advice_early": None if not x.iv else
        "yes" if x.premature or x.iv.get("advice_without_permission") else "no",
        "change_talk": None if pct_change is None else "mostly about change" if pct_change > 60 else
        "mostly about staying the same" if pct_change < 40 else "a mix",
        "rupture": None if ruptures is None else "no" if ruptures == 0 else
        "yes, and we repaired it" if x.rel.get("ruptures_followed_by_repair", 0) >= ruptures
        else "yes, and it stayed unrepaired",
        "risk": None if not x.risk else "yes" if x.risk.get("mentions", 0) else "no",
    }
    return out


def _agreement(key: str, recalled: Any, recorded: Any) -> str:  # int for percentages, str for choices
    item = BY_KEY[key]
    if key == "talk_share":
        return _percent(recalled, recorded, 10, harsh_if_higher=True)
    if key == "open_questions":
        return _percent(recalled, recorded, 15, harsh_if_higher=False)
    if key == "risk":
        return UNKNOWN if recorded is None else CLOSE if recalled == recorded else DIFFERENT
    return _ordinal(item, recalled, recorded)


_SAYS = {CLOSE: "Your recollection is close to the record.",
         HARSHER: "Your recollection was harder on you than the record is.",
         GENTLER: "The record shows more of this than you recalled.",
         DIFFERENT: "Your recollection and the record differ; the tool hears only words, so both may hold.",
         UNKNOWN: "The record has no measure for this (for example, no coded questions)."}


def _show(key: str, value: Any) -> str:
    return "not measured" if value is None else f"{value}%" if key in ("talk_share", "open_questions") \
        else str(value)


def compare(impressions: Mapping[str, Any], doc: Mapping[str, Any]) -> list[ImpressionRow]:
    """Side by side: each recorded impression, what the data shows, and how they relate."""
    recorded = recorded_values(doc)
    rows: list[ImpressionRow] = []
    for item in ITEMS:
        if item.key not in impressions:
            continue
        rec = recorded[item.key]
        agreement = _agreement(item.key, impressions[item.key], rec)
        sentence = f"You recalled {_show(item.key, impressions[item.key])}; the record shows " \
                   f"{_show(item.key, rec)}. {_SAYS[agreement]}"
        rows.append({"item": item.key, "question": item.question, "recalled": impressions[item.key],
                     "recorded": rec, "agreement": agreement, "sentence": kind(sentence)})
    return rows


def over_time(comparisons: Iterable[list[ImpressionRow]]) -> ImpressionTally:
    """Per item, how often recollection was close / more / less self-critical than the record."""
    per: dict[str, Counter[str]] = {}
    sessions = 0
    for rows in comparisons:
        sessions += 1
        for r in rows:
            per.setdefault(r["item"], Counter())[r["agreement"]] += 1
    lines = []
    for key, c in per.items():
        n = sum(v for k, v in c.items() if k != UNKNOWN)
        if n:
            lines.append(kind(f"{LABELS[key]}: in {c[HARSHER]} of {n} sessions your recollection was "
                              f"harder on you than the record, in {c[CLOSE]} close to it, in {c[GENTLER]} "
                              f"gentler."))
    return {"sessions": sessions, "items": {k: dict(c) for k, c in per.items()}, "sentences": lines}
