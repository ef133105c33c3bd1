"""Relational detectors: precision and recall per detector on the project's own labelled examples.

Reproduce: `make bench BENCH=relational`. Data: benchmarks/data/relational_labelled.jsonl, written after the rules
and kept apart from the rule-building examples in tests/analysis/test_relational.py (see benchmarks/data/README.md).
Each example is a one- to three-utterance session built the way the detector sees a real one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from benchmarks.run import machine
from sessionlens.analysis.relational.here_and_now import here_and_now_cues
from sessionlens.analysis.relational.repair import repair_findings
from sessionlens.analysis.relational.rupture import rupture_episodes, rupture_markers
from sessionlens.analysis.relational.self_disclosure import self_disclosure_findings
from sessionlens.analysis.relational.yes_but import yes_but_pairs
from sessionlens.domain import Role, Speaker, Transcript, Utterance

DATA = Path(__file__).resolve().parent / "data" / "relational_labelled.jsonl"
T, C = Role.THERAPIST, Role.CLIENT
CONFRONTING = "I feel like you're not listening to me."  # the rupture a repair example answers


def session(*turns: tuple[Role, str]) -> Transcript:
    utts = tuple(
        Utterance(f"u{i}", "T" if r == T else "C", r, 10.0 * i, 10.0 * i + 5, text)
        for i, (r, text) in enumerate(turns, 1)
    )
    return Transcript(utts, (Speaker("T", "T", T), Speaker("C", "C", C)))


def predict(it: dict) -> bool:
    det, text = it["detector"], it["text"]
    if det == "yes_but":
        return bool(yes_but_pairs(session((T, it["prev"]), (C, text))))
    if det == "confrontation":
        return any(
            m.kind == "confrontation"
            for m in rupture_markers(session((T, "What's on your mind?"), (C, text)))
        )
    if det == "withdrawal":
        return any(m.kind == "withdrawal" for m in rupture_markers(session((T, it["prev"]), (C, text))))
    if det == "repair":
        t = session((T, "I think you should cut down."), (C, CONFRONTING), (T, text))
        return bool(repair_findings(t, rupture_episodes(t)))
    if det == "here_and_now":
        role = T if it.get("role") == "therapist" else C
        return bool(here_and_now_cues(Utterance("u1", "x", role, 0, 1, text)))
    if det == "self_disclosure":
        return bool(self_disclosure_findings(session((T, text))))
    raise ValueError(det)


def evaluate() -> dict[str, dict[str, float]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "n": 0})
    errors = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        it = json.loads(line)
        got, want = predict(it), bool(it["label"])
        c = counts[it["detector"]]
        c["n"] += 1
        c["tp"] += got and want
        c["fp"] += got and not want
        c["fn"] += want and not got
        if got != want:
            errors.append(it)
    out = {
        d: {
            "precision": _r(c["tp"], c["tp"] + c["fp"]),
            "recall": _r(c["tp"], c["tp"] + c["fn"]),
            "n": c["n"],
        }
        for d, c in counts.items()
    }
    out["_errors"] = errors  # type: ignore[assignment]
    return out


def _r(a: int, b: int) -> float:
    return a / b if b else float("nan")


def main() -> str:
    r = evaluate()
    r.pop("_errors")
    rows = "\n".join(f"| {d} | {v['precision']:.2f} | {v['recall']:.2f} | {v['n']} |" for d, v in r.items())
    return f"""## Relational detectors (project-written examples)

Machine: {machine()}. Reproduce: `make bench BENCH=relational`.
Examples in benchmarks/data/relational_labelled.jsonl (about half positive per detector), written after the rules and
not used to build them; each is run as a tiny session. Small sets: one example moves a number by 0.05–0.10.

| detector | precision | recall | examples |
|---|---|---|---|
{rows}
"""


if __name__ == "__main__":
    for e in evaluate()["_errors"]:
        print("ERR", e)
    print(main())
