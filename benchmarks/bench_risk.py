"""Risk-language benchmark: recall and precision per category on the project's own labelled sentences.

Reproduce: `make bench BENCH=risk`. Held-out data: benchmarks/data/risk_heldout_5.jsonl (set 5; see
benchmarks/data/README.md for how it was written: after the last rule change, committed before its first and only
scoring). Sets 1–4 are development data now and are reported as such. Target: overall recall >= 0.95.
Each sentence is analysed alone, as a one-utterance client session, exactly as the analyzer would see it.
The model tier (issue 15) is scored on set 7, written after it was frozen: see benchmarks/risk_model_section.py.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

from benchmarks import risk_model_section
from benchmarks.run import ROOT, machine
from sessionlens.analysis.risk import CATEGORIES, find_risk
from sessionlens.domain import Role, Speaker, Transcript, Utterance

HERE = Path(__file__).resolve().parent / "data"
DATA = HERE / "risk_heldout_5.jsonl"  # held out: written after the last rule change, scored once
SET4 = HERE / "risk_labelled.jsonl"  # held out until round 5, development data since
ROUNDS = [HERE / f"risk_round{i}.jsonl" for i in (1, 2, 3)] + [SET4]
# Recall and precision recorded at each set's first and only held-out scoring (before any rule was fitted to it).
# Sets 6 and 7 were written for the model tier; no rule was changed after set 5, so their rule scores are first too.
FIRST_RUN = {1: (0.812, 0.994), 2: (0.523, 1.000), 3: (0.629, 0.978), 4: (0.736, 0.946), 5: (0.649, 0.916),
             6: (0.600, 0.964), 7: (0.381, 0.755)}
# Real conversation no one here wrote, read at run time when present (never copied): a flag-rate check, not labels.
ANNOMI = ROOT.parent / "shared" / "data" / "annomi" / "AnnoMI-simple.dev.csv"


def load(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def flags(text: str, model: bool = False) -> list:
    u = Utterance("u1", "C", Role.CLIENT, 0.0, 5.0, text)
    return find_risk(Transcript((u,), (Speaker("C", "C", Role.CLIENT),)), model=model)


def evaluate(items: list[dict], model: bool = False) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    neg_ok = neg_total = 0
    any_tp = any_fp = any_fn = 0
    misses, false_alarms = [], []
    for it in items:
        hits = flags(it["text"], model)
        got = {h.category for h in hits}
        want = it["category"]
        for c in got:
            (tp if c == want else fp)[c] += 1
        if want and want not in got:
            fn[want] += 1
            misses.append(it)
        if want and got:
            any_tp += 1
            mine = [h for h in hits if h.category == want] or hits
            neg_total += 1
            neg_ok += any(h.negated is not None for h in mine) == it["negated"]
        elif want:
            any_fn += 1
        elif got:
            any_fp += 1
            false_alarms.append(it)
    per_cat = {
        c: (_ratio(tp[c], tp[c] + fn[c]), _ratio(tp[c], tp[c] + fp[c]), tp[c] + fn[c]) for c in CATEGORIES
    }
    return {
        "per_category": per_cat,
        "recall": _ratio(any_tp, any_tp + any_fn),
        "strict_recall": _ratio(sum(tp.values()), sum(tp.values()) + sum(fn.values())),
        "precision": _ratio(any_tp, any_tp + any_fp),
        "negation_agreement": _ratio(neg_ok, neg_total),
        "misses": misses,
        "any_misses": [it for it in misses if not flags(it["text"], model)],
        "false_alarms": false_alarms,
        "n": len(items),
    }


def _ratio(a: int, b: int) -> float:
    return a / b if b else float("nan")


def annomi_flag_rate() -> str:
    """Share of real MI-session utterances (AnnoMI dev) that get any flag: a flooding check, not a precision."""
    if not ANNOMI.exists():
        return "AnnoMI flag rate: skipped (../shared/data/annomi not present)."
    with ANNOMI.open(encoding="utf-8") as f:
        texts = [r["utterance_text"] for r in csv.DictReader(f) if len(r["utterance_text"]) >= 3]
    flagged = sum(bool(flags(t)) for t in texts)
    return (
        f"Flag rate on real conversation (AnnoMI dev, {len(texts)} utterances of motivational-interviewing sessions, "
        f"many about alcohol and drugs; unlabelled, so a flooding check rather than a precision): "
        f"{flagged} flagged ({flagged / len(texts):.1%})."
    )


def main() -> str:
    r = evaluate(load())
    devs = [evaluate(load(p)) for p in ROUNDS]
    rows = "\n".join(
        f"| {c} | {rec:.3f} | {prec:.3f} | {n} |" for c, (rec, prec, n) in r["per_category"].items()
    )
    kinds = Counter(it["kind"] for it in r["any_misses"])
    firsts = "; ".join(f"set {k}: {v[0]:.3f} / {v[1]:.3f}" for k, v in FIRST_RUN.items())
    dev = ", ".join(f"set {i} {d['recall']:.3f} / {d['precision']:.3f}" for i, d in enumerate(devs, start=1))
    return f"""## Risk language (project-written sets)

Machine: {machine()}. Reproduce: `make bench BENCH=risk`.
Held out: {r["n"]} sentences written by the project (benchmarks/data/risk_heldout_5.jsonl, set 5; see
benchmarks/data/README.md), each analysed as a one-utterance client session. A sentence counts as found when any
risk flag fires on it; "strict" needs the labelled category. Negated, hypothetical, asked and reported mentions are
positives (they are for review); idioms and everyday talk (grief facts, ordinary drinking, accidents) are negatives.

| category | recall | precision | sentences |
|---|---|---|---|
{rows}

Set 5 overall: recall **{r["recall"]:.3f}** (target ≥ 0.95, not reached), strict recall {r["strict_recall"]:.3f},
precision {r["precision"]:.3f}; negation marked as labelled on {r["negation_agreement"]:.3f} of found positives.
Missed sentences by kind: {dict(kinds) or "none"}; false alarms: {len(r["false_alarms"])}.
Set 5 was written after the last rule change and committed before it was scored; this is its first and only
scoring, and no rule has been fitted to it.

Recall / precision at each set's first scoring (each set written fresh, scored once, only then used to change
rules) — {firsts}. Today, as development data (the rules were fitted to these; not a measure of new wording):
{dev}.
{annomi_flag_rate()}
Caveat: the same team wrote the rules and the sets. Fitting the rules to a set lifts it to about 1.0 while the
next fresh set lands between 0.52 and 0.81: hand-written rules do not reach 0.95 on new wording, and real
transcripts (ASR errors, disfluency, context across turns) will do worse than one-sentence examples.

{risk_model_section.section()}"""


if __name__ == "__main__":
    r = evaluate(load())
    for it in r["misses"]:
        print("MISS", it["category"], it["kind"], it["text"])
    for it in r["false_alarms"]:
        print("FALSE", it["kind"], it["text"])
    print(main())
