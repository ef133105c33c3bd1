"""The risk model tier (issue 15, item 4) on set 6, written after the model was frozen and scored once.

Reproduce: `make bench BENCH=risk` (bench_risk appends this section). Three systems on the same sentences: the
rules alone, the model alone (score >= its threshold), and both (a flag from either: the model as a first,
high-recall tier). Plus the flooding check on conversation: AnnoMI's odd-numbered transcripts (never trained
on) and the fictional demo session.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from benchmarks.run import ROOT
from sessionlens.analysis.risk import CATEGORIES, find_risk
from sessionlens.analysis.risk.model import load_model, score_texts

SET6 = Path(__file__).resolve().parent / "data" / "risk_heldout_6.jsonl"
ANNOMI = ROOT.parent / "shared" / "data" / "annomi" / "AnnoMI-simple.dev.csv"


def _rp(flagged: list[bool], truth: list[bool]) -> tuple[float, float]:
    tp = sum(f and t for f, t in zip(flagged, truth, strict=True))
    return tp / max(sum(truth), 1), tp / max(sum(flagged), 1)


def systems(items: list[dict]) -> dict[str, list[set[str]]]:
    """Categories each system flags per sentence."""
    from benchmarks.bench_risk import flags

    th = load_model().threshold
    rules = [{h.category for h in flags(it["text"])} for it in items]
    model = [{c} if s >= th else set() for s, c in score_texts([it["text"] for it in items])]
    both = [r or m for r, m in zip(rules, model, strict=True)]
    return {"rules": rules, "model": model, "rules + model": both}


def table(items: list[dict]) -> str:
    got = systems(items)
    truth = [bool(it["category"]) for it in items]
    lines = ["| system | recall | precision | " + " | ".join(f"{c} recall" for c in CATEGORIES) + " |",
             "|---" * (3 + len(CATEGORIES)) + "|"]
    for name, cats in got.items():
        rec, prec = _rp([bool(c) for c in cats], truth)
        per = [_rp([c in g for g in cats], [it["category"] == c for it in items])[0] for c in CATEGORIES]
        lines.append(f"| {name} | {rec:.3f} | {prec:.3f} | " + " | ".join(f"{r:.3f}" for r in per) + " |")
    return "\n".join(lines)


def conversation_flags() -> str:
    """Share of utterances flagged in real talk the model never saw (odd AnnoMI transcripts)."""
    if not ANNOMI.exists():
        return "AnnoMI flooding check: skipped (../shared/data/annomi not present)."
    from benchmarks.bench_risk import flags

    with ANNOMI.open(encoding="utf-8") as f:
        texts = [r["utterance_text"] for r in csv.DictReader(f)
                 if int(r["transcript_id"]) % 2 == 1 and len(r["utterance_text"]) >= 3]
    rules = [bool(flags(t)) for t in texts]
    th = load_model().threshold
    model = [s >= th for s, _ in score_texts(texts)]
    both = sum(r or m for r, m in zip(rules, model, strict=True))
    n = len(texts)
    return (f"AnnoMI odd-numbered transcripts ({n} utterances, never trained on, unlabelled): rules flag "
            f"{sum(rules)} ({sum(rules) / n:.1%}); rules + model flag {both} ({both / n:.1%}).")


def demo_flags() -> str:
    from importlib import resources

    from sessionlens import ingest
    from sessionlens.speech import roles

    data = (resources.files("sessionlens") / "data" / "demo_session.vtt").read_bytes()
    t, _ = roles.assign_roles(ingest.parse_transcript(data, source="demo_session.vtt"), (), ())
    rules, both = find_risk(t), find_risk(t, model=True)
    return (f"Demo session ({len(t.utterances)} utterances, fictional): rules flag {len(rules)}, "
            f"rules + model {len(both)}.")


def section() -> str:
    items = [json.loads(x) for x in SET6.read_text(encoding="utf-8").splitlines() if x.strip()]
    pos = sum(bool(it["category"]) for it in items)
    return f"""### Risk model tier on set 6 (written after the model was frozen; scored once)

Set 6: {len(items)} sentences ({pos} positives, {len(items) - pos} idioms and near-miss everyday talk),
benchmarks/data/risk_heldout_6.jsonl, committed (c99e455) after the model (ac7c1b2) and before any scoring.
Model: src/sessionlens/models/risk (threshold {load_model().threshold}); target recall >= 0.95 at precision
>= 0.80.

{table(items)}

{conversation_flags()}
{demo_flags()}
"""
