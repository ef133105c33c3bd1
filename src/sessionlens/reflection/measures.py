"""PHQ-9 and GAD-7: standard scoring and severity bands for the scores a clinician records.

Answers are the nine (seven) item scores, each 0-3, as on the published questionnaires (free to use;
the item wording is not reproduced here). PHQ-9 item 9 above 0 is flagged for the clinician's review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..errors import InputError
from ..payloads.reflection_trends import MeasureScore


@dataclass(frozen=True)
class Instrument:
    name: str
    items: int
    bands: tuple[tuple[int, str], ...]  # (lowest total, band)
    reliable_change: int  # a change of at least this many points is commonly read as reliable


PHQ9 = Instrument("PHQ-9", 9, ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately severe"),
                               (20, "severe")), 5)
GAD7 = Instrument("GAD-7", 7, ((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")), 4)
INSTRUMENTS = {"phq9": PHQ9, "gad7": GAD7}


def instrument(name: str) -> Instrument:
    key = name.lower().replace("-", "").replace("_", "")
    if key not in INSTRUMENTS:
        raise InputError(f"unknown measure {name[:20]!r}; known: PHQ-9, GAD-7")
    return INSTRUMENTS[key]


def band(inst: Instrument, total: int) -> str:
    return [label for low, label in inst.bands if total >= low][-1]


def parse_answers(text: str) -> list[int]:
    """"0 1 2 3 ..." or "0,1,2,..." or "012312..." -> item scores (validated by :func:`score`)."""
    parts = text.replace(",", " ").split()
    if len(parts) == 1 and parts[0].isdigit():
        parts = list(parts[0])
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise InputError("answers must be whole numbers from 0 to 3, e.g. 1 0 2 1 0 0 1 0 0") from None


def score(name: str, answers: Sequence[int], taken_on: date | None = None) -> MeasureScore:
    inst = instrument(name)
    if len(answers) != inst.items:
        raise InputError(f"{inst.name} has {inst.items} items; {len(answers)} answers were given")
    if any(not isinstance(a, int) or isinstance(a, bool) or not 0 <= a <= 3 for a in answers):
        raise InputError(f"each {inst.name} answer is 0, 1, 2 or 3")
    when = taken_on or date.today()
    if when > date.today():
        raise InputError("a measure cannot be dated in the future")
    total = sum(answers)
    out: MeasureScore = {"instrument": inst.name, "answers": list(answers), "total": total,
                           "max": inst.items * 3, "band": band(inst, total), "taken_on": when.isoformat()}
    if inst is PHQ9 and answers[8] > 0:
        out["review"] = "item 9 was answered above 0: for the clinician's review"
    return out


def change(inst_name: str, first: int, last: int) -> str:
    """A descriptive reading of the change between two totals (no judgement of anyone)."""
    inst = instrument(inst_name)
    delta = last - first
    if abs(delta) < inst.reliable_change:
        return f"within {inst.reliable_change - 1} points of the first score"
    return f"{abs(delta)} points {'lower' if delta < 0 else 'higher'} than the first score"
