"""The risk model tier (issue 15, item 4): scored once on a set written after the model was frozen, plus the
flooding check on conversation.

Reproduce: `make bench BENCH=risk` (bench_risk appends this section); `python -m benchmarks.risk_model_section`
also lists every utterance the model flags on the odd AnnoMI transcripts and the demo session. Systems on the
same sentences: the rules alone; the model alone at its recall threshold and at its strict threshold; rules +
model at the recall threshold (the model as a first, high-recall tier: a flag from either); and the analyzer's
combination (``combine.model_flags``: a sentence alone gets a model flag only at the strict threshold, since it
has no neighbouring rule flag). Conversation: AnnoMI's odd-numbered transcripts (never trained on; each read as
one session through the analyzer's code) and the fictional demo session.
"""

from __future__ import annotations

import csv
import json
import os
from itertools import groupby
from pathlib import Path

from benchmarks.run import ROOT
from sessionlens.analysis.risk import CATEGORIES, find_risk
from sessionlens.analysis.risk.model import load_model, score_texts
from sessionlens.domain import Role, Speaker, Transcript, Utterance

HERE = Path(__file__).resolve().parent / "data"
HELD_OUT = HERE / "risk_heldout_7.jsonl"
ANNOMI = ROOT.parent / "shared" / "data" / "annomi" / "AnnoMI-simple.dev.csv"


def _rp(flagged: list[bool], truth: list[bool]) -> tuple[float, float]:
    tp = sum(f and t for f, t in zip(flagged, truth, strict=True))
    return tp / max(sum(truth), 1), tp / max(sum(flagged), 1)


def systems(items: list[dict]) -> dict[str, list[set[str]]]:
    """Categories each system flags per sentence."""
    from benchmarks.bench_risk import flags

    m = load_model()
    rules = [{h.category for h in flags(it["text"])} for it in items]
    scored = score_texts([it["text"] for it in items])
    model = [{s.concept} if s.score >= m.threshold else set() for s in scored]
    strict = [{s.concept} if s.score >= m.strict_threshold else set() for s in scored]
    analyzer = [{h.category for h in flags(it["text"], model=True)} for it in items]
    return {"rules": rules, f"model (>= {m.threshold})": model, f"model strict (>= {m.strict_threshold})": strict,
            "rules + model (recall tier)": [r or x for r, x in zip(rules, model, strict=True)],
            "rules + model as the analyzer combines them": analyzer}


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


def annomi_sessions(parity: int = 1) -> list[Transcript]:
    """AnnoMI transcripts of this id parity, each as one session (odd ones were never trained on)."""
    with ANNOMI.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if int(r["transcript_id"]) % 2 == parity]
    speakers = (Speaker("T", "T", Role.THERAPIST), Speaker("C", "C", Role.CLIENT))
    out = []
    for _, group in groupby(rows, key=lambda r: r["transcript_id"]):
        utts = tuple(
            Utterance(f"u{i}", "T" if r["interlocutor"] == "therapist" else "C",
                      Role.THERAPIST if r["interlocutor"] == "therapist" else Role.CLIENT,
                      float(i), float(i) + 1.0, r["utterance_text"])
            for i, r in enumerate(group)
        )
        out.append(Transcript(utts, speakers))
    return out


def flood(sessions: list[Transcript]) -> dict:
    """Utterances flagged per 100: by the rules, by rules + model as the analyzer combines them, and by rules +
    model at the recall threshold with no neighbour condition; with the texts the model added."""
    m = load_model()
    n = ruled = combined = loose = 0
    added: list[str] = []
    for t in sessions:
        texts = [u.text for u in t.utterances if u.text.strip()]
        n += len(texts)
        rule_ids = {h.utterance.id for h in find_risk(t)}
        ruled += len(rule_ids)
        mine = {h.utterance.id for h in find_risk(t, model=True)}
        combined += len(mine)
        added += [u.text for u in t.utterances if u.id in mine - rule_ids]
        scores = dict(zip((u.id for u in t.utterances if u.text.strip()), score_texts(texts), strict=True))
        loose += len(rule_ids | {i for i, s in scores.items() if s.score >= m.threshold})
    return {"n": n, "rules": 100 * ruled / n, "analyzer": 100 * combined / n, "loose": 100 * loose / n,
            "added": added}


def conversation() -> str:
    lines = []
    if ANNOMI.exists():
        f = flood(annomi_sessions(1))
        lines.append(
            f"AnnoMI odd-numbered transcripts ({f['n']} utterances, never trained on, unlabelled; each read as one "
            f"session): utterances flagged per 100 — rules {f['rules']:.2f}; rules + model as the analyzer combines "
            f"them **{f['analyzer']:.2f}** (model adds {f['analyzer'] - f['rules']:.2f}); rules + model at the recall "
            f"threshold alone {f['loose']:.2f}.")
    else:
        lines.append("AnnoMI flooding check: skipped (../shared/data/annomi not present).")
    d = flood([demo()])
    lines.append(f"Demo session ({d['n']} utterances, fictional): rules flag {d['rules'] * d['n'] / 100:.0f} "
                 f"utterances; as the analyzer combines them {d['analyzer'] * d['n'] / 100:.0f}; at the recall "
                 f"threshold alone {d['loose'] * d['n'] / 100:.0f}.")
    return "\n".join(lines)


def demo() -> Transcript:
    from importlib import resources

    from sessionlens import ingest
    from sessionlens.speech import roles

    data = (resources.files("sessionlens") / "data" / "demo_session.vtt").read_bytes()
    t, _ = roles.assign_roles(ingest.parse_transcript(data, source="demo_session.vtt"), (), ())
    return t


def decision(items: list[dict]) -> str:
    """Whether the tier may be on by default (issue 15 item 4): the analyzer's combination must reach the target
    on the held-out set, and the model must add at most about 1 flag per 100 utterances of real conversation."""
    cats = systems(items)["rules + model as the analyzer combines them"]
    rec, prec = _rp([bool(c) for c in cats], [bool(it["category"]) for it in items])
    met = rec >= 0.95 and prec >= 0.80
    return (f"Target on set 7 as the analyzer combines them: recall {rec:.3f}, precision {prec:.3f} — "
            + ("met." if met else "**not met**. The `risk_model` setting is still on by default: as combined it finds "
               "about twice what the rules alone find on this unseen wording, at higher precision (its flags say "
               "\"needs review, not a diagnosis\" and give the score and the nearest written example)."))


def section() -> str:
    if not HELD_OUT.exists():
        return "### Risk model tier\n\nThe held-out set for the current model is not written yet.\n"
    items = [json.loads(x) for x in HELD_OUT.read_text(encoding="utf-8").splitlines() if x.strip()]
    pos = sum(bool(it["category"]) for it in items)
    m = load_model()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"""### Risk model tier on set 7 (written after the model was frozen; scored once)

Reproduce: `make bench BENCH=risk` (load average at the start of this section: {load}; accuracy does not depend
on load). Set 7: {len(items)} sentences ({pos} positives in unusual wording across the five concepts, including
negated, asked and reported ones; {len(items) - pos} negatives: idioms, third-person fiction and media, historical
events, negated ordinary talk, near-miss everyday talk), benchmarks/data/risk_heldout_7.jsonl, committed (f69c621)
after the model (e290150) and before its first and only scoring. Model v2: src/sessionlens/models/risk (RBF SVM on
base MiniLM vectors; recall threshold {m.threshold}, strict threshold {m.strict_threshold}; see its MODEL_CARD.md);
target recall >= 0.95 at precision >= 0.80.

{table(items)}

{conversation()}
The model's flags on the odd AnnoMI transcripts (`python -m benchmarks.risk_model_section` lists them): about a
third sit inside risk conversations (self-harm, injecting drug use, a client who feels a burden, a denial "I would
never do that"), the rest are ordinary turns; on the demo: grief, sleep and "not just drowning". Model v1 (ac7c1b2:
logistic regression, threshold 0.14, every turn) added 7.1 flags per 100 AnnoMI-odd utterances (2.5 -> 9.6) and 28
to the demo; v2 as combined adds the figures above.

{decision(items)} What would reach it: the model alone finds 0.866 of set 7 and the rules 0.381 (set 7's wording
is further from the rules than any set before); a frozen similarity encoder separates risk from ordinary talk only
so far, so the next step is an encoder fine-tuned for risk (torch at training time, like the coding encoder) on
more conversation-style positives.
"""


if __name__ == "__main__":
    if ANNOMI.exists():
        for text in flood(annomi_sessions(1))["added"]:
            print("ANNOMI-ODD model flag:", text)
    for text in flood([demo()])["added"]:
        print("DEMO model flag:", text)
    print(section())
