"""Read AnnoMI from ../shared/data/annomi into sessions of labelled turns.

Only AnnoMI is read here. mi_welivita (CC BY-NC-SA) is evaluation-only and deliberately has no
loader in training/ (tests/analysis/test_coding_training.py checks that).
"""

from __future__ import annotations

import csv
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
THERAPIST_LABELS = ("question", "reflection", "therapist_input", "other")
CLIENT_LABELS = ("change", "neutral", "sustain")
SUB_FIELDS = {"question": "question_subtype", "reflection": "reflection_subtype",
              "therapist_input": "therapist_input_subtype"}
MULTI_ANNOTATED = ("7", "27", "55", "56", "66", "109", "130")


def shared_data_dir() -> Path:
    env = os.environ.get("SESSIONLENS_SHARED_DATA")
    return Path(env) if env else (REPO.parent / "shared" / "data").resolve()


def annomi_dir() -> Path:
    path = shared_data_dir() / "annomi"
    if not (path / "AnnoMI-simple.dev.csv").exists():
        raise FileNotFoundError(f"AnnoMI not found at {path} (see ../shared/data/README.md)")
    return path


@dataclass
class Row:
    transcript_id: str
    index: int
    role: str  # therapist | client
    seconds: int
    text: str
    label: str  # main behaviour or talk type
    subcodes: dict[str, str] = field(default_factory=dict)  # e.g. {"question": "open"}


def _seconds(stamp: str) -> int:
    h, m, s = (int(x) for x in stamp.split(":"))
    return h * 3600 + m * 60 + s


def _majority(values: list[str]) -> str:
    """Most common non-empty value; ties go to the first seen (deterministic)."""
    vals = [v for v in values if v]
    return Counter(vals).most_common(1)[0][0] if vals else ""


def load_full_rows(path: Path | None = None) -> list[dict[str, str]]:
    with open((path or annomi_dir()) / "AnnoMI-full.dev.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def load_sessions(path: Path | None = None) -> dict[str, list[Row]]:
    """transcript id -> its turns in order, main labels from the simple file, sub-codes by majority."""
    base = path or annomi_dir()
    subs: dict[tuple[str, int], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in load_full_rows(base):
        if r["interlocutor"] == "therapist":
            for key, col in SUB_FIELDS.items():
                subs[(r["transcript_id"], int(r["utterance_id"]))][key].append(r[col])
    sessions: dict[str, list[Row]] = defaultdict(list)
    with open(base / "AnnoMI-simple.dev.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            role = r["interlocutor"]
            key = (r["transcript_id"], int(r["utterance_id"]))
            label = r["main_therapist_behaviour"] if role == "therapist" else r["client_talk_type"]
            sub = {k: _majority(v) for k, v in subs.get(key, {}).items()}
            sessions[r["transcript_id"]].append(
                Row(r["transcript_id"], key[1], role, _seconds(r["timestamp"]), r["utterance_text"], label,
                    {k: v for k, v in sub.items() if v}))
    for rows in sessions.values():
        rows.sort(key=lambda x: x.index)
    return dict(sorted(sessions.items(), key=lambda kv: int(kv[0])))
