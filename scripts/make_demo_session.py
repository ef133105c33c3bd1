#!/usr/bin/env python3
"""Generate the bundled demo session: src/sessionlens/data/demo_session.vtt.

The session is entirely fictional and was written for sessionlens. Nobody in it
is a real person: "Helen Varga" is a counselor, "Daniel" an adult client in his
second session. It runs about 15 minutes.

The dialogue is data, in scripts/demo_dialogue.tsv; each utterance is (speaker, pause_before_s, text[,
duration_s]):

* pause_before_s is the gap between the end of the talk so far and the start of
  this utterance; a negative value makes it overlap the previous cue (a
  backchannel or an interruption).
* duration_s is optional; when omitted it is computed from the word count at a
  speaking rate drawn from 140-160 wpm with a fixed seed, so the output is
  deterministic. Stage directions such as "[laughs]" add a little time but are
  not words.

Run:  python scripts/make_demo_session.py
"""

from __future__ import annotations

import random
import re
from pathlib import Path

SEED = 20240517
START_OFFSET_S = 1.2
OUT = Path(__file__).resolve().parent.parent / "src" / "sessionlens" / "data" / "demo_session.vtt"

SPEAKERS = {"H": "Helen Varga", "D": "Daniel"}  # counselor, client
DIALOGUE_FILE = Path(__file__).resolve().parent / "demo_dialogue.tsv"


def read_dialogue(path: Path = DIALOGUE_FILE) -> list[tuple]:
    """The utterances of the dialogue file: (speaker, pause_before_s, text[, duration_s])."""
    out: list[tuple] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        code, pause, duration, text = line.split("\t")
        entry = (SPEAKERS[code], float(pause), text)
        out.append(entry + (float(duration),) if duration else entry)
    return out


STAGE = re.compile(r"\[[^\]]*\]")


def word_count(text: str) -> int:
    return len(STAGE.sub(" ", text).split())


def speaking_time(text: str, rng: random.Random) -> float:
    wpm = rng.uniform(140.0, 160.0)
    seconds = word_count(text) * 60.0 / wpm
    seconds += 0.9 * len(STAGE.findall(text))  # a laugh or sigh takes a moment
    return max(seconds, 0.5)


def timestamp(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build_cues() -> list[tuple[float, float, str, str]]:
    rng = random.Random(SEED)
    cues = []
    cursor = START_OFFSET_S  # end of all talk so far
    last_start = 0.0
    for entry in read_dialogue():
        speaker, pause, text = entry[:3]
        duration = entry[3] if len(entry) > 3 else speaking_time(text, rng)
        start = max(cursor + pause, last_start + 0.1)
        end = start + duration
        cues.append((start, end, speaker, text))
        cursor = max(cursor, end)
        last_start = start
    return cues


def render(cues) -> str:
    lines = ["WEBVTT", "", "NOTE Fictional demo session written for sessionlens. No real people.", ""]
    for start, end, speaker, text in cues:
        lines += [f"{timestamp(start)} --> {timestamp(end)}", f"<v {speaker}>{escape(text)}", ""]
    return "\n".join(lines)


def main() -> None:
    cues = build_cues()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(render(cues), encoding="utf-8")
    print(f"wrote {OUT} ({len(cues)} cues, {timestamp(cues[-1][1])})")


if __name__ == "__main__":
    main()
