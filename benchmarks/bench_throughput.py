"""Throughput of a 60-minute session (issue 15 item 4): full analysis time, peak memory, model size on disk.

    make bench BENCH=throughput        # the linear coder alone, and with the int8 coding encoder

Each configuration runs ``benchmarks/session_throughput.py`` in a fresh process (so the peak memory is that of one
analysis process, models included) three times and reports the median; the load average of the machine is
printed beside it, because this machine is shared and a loaded run is not a quiet one.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

from benchmarks.run import ROOT, machine

RUNS = int(os.environ.get("BENCH_THROUGHPUT_RUNS", "3"))
TARGET_S, TARGET_MB, TARGET_MODEL_MB = 5.0, 1536, 100
MODELS = ROOT / "src" / "sessionlens" / "models"


def run_once(encoder: bool) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.session_throughput"] + (["--coding-encoder"] if encoder else [])
    out = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True,
                         text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def model_sizes() -> dict[str, float]:
    return {d.name: round(sum(f.stat().st_size for f in d.iterdir() if f.is_file()) / 2**20, 1)
            for d in sorted(MODELS.iterdir()) if d.is_dir()}


def measure(encoder: bool) -> dict:
    load = os.getloadavg()[0]
    runs, loads = [], []
    for _ in range(RUNS):
        loads.append(os.getloadavg()[0])  # per run: the machine is shared and its load moves within a minute
        runs.append(run_once(encoder))
    med = {k: statistics.median(r[k] for r in runs) for k in ("cold_s", "warm_s", "warm_cpu_s", "peak_rss_mb")}
    return {**med, "utterances": runs[0]["utterances"], "load": round(load, 1),
            "warm_all": [(r["warm_s"], at) for r, at in zip(runs, loads, strict=True)]}


def _row(name: str, m: dict) -> str:
    ok = "yes" if m["warm_s"] <= TARGET_S and m["peak_rss_mb"] <= TARGET_MB else "**no**"
    each = ", ".join(f"{v:.1f} @{load:.1f}" for v, load in m["warm_all"])
    return (f"| {name} | {m['utterances']} | {m['warm_s']:.2f} s ({each}) | "
            f"{m['warm_cpu_s']:.2f} s | {m['cold_s']:.2f} s | {m['peak_rss_mb']:.0f} MB | {m['load']} | {ok} |")


def int8_lines() -> list[str]:
    """The int8 coding encoder against its float graph, as ``training.quantize_encoder --ship`` recorded it."""
    q = json.loads((MODELS / "coding_encoder" / "manifest.json").read_text(encoding="utf-8")).get("quantization")
    if not q:
        return []
    rows = [f"| {h} | {v['macro_f1']['float']:.4f} | {v['macro_f1']['int8']:.4f} | {v['f1_change']:+.4f} | "
            f"{100 * v['same_class']:.1f}% | {v['mean_prob_diff']:.4f} | {v['max_prob_diff']:.4f} |"
            for h, v in q["heads"].items()]
    cpu = q["cpu_seconds_one_thread"]
    return [
        "",
        f"The coding encoder is int8 (`nice .venv/bin/python -m training.quantize_encoder --ship`, recorded in "
        f"models/coding_encoder/manifest.json): against the float graph on the {q['held_out_transcripts']} transcripts "
        f"of CV fold 1 of `coding_encoder_cv` ({q['rows']} utterances). The shipped model was trained on "
        f"them, so the F1 values are not held-out accuracy; the change is what int8 costs. CPU on one thread for "
        f"these rows: float {cpu['float']} s, int8 {cpu['int8']} s; {q['sizes_mb']['float']} MB -> "
        f"{q['sizes_mb']['int8']} MB.",
        "",
        "| head | macro-F1 float | macro-F1 int8 | change | same class | mean prob. shift | largest shift |",
        "|---|---|---|---|---|---|---|",
        *rows,
    ]


def main() -> str:
    from sessionlens.config import SETTINGS

    default = next(s.default for s in SETTINGS if s.name == "coding_encoder")
    configs = [(f"coding_encoder off{' (default)' if not default else ''}", False),
               (f"coding_encoder on, int8{' (default)' if default else ''}", True)]
    rows = [_row(name, measure(enc)) for name, enc in configs]
    sizes = model_sizes()
    lines = [
        "## Throughput: a 60-minute session (issue 15)",
        "",
        f"Machine: {machine()}. Command: `{'' if RUNS == 3 else f'BENCH_THROUGHPUT_RUNS={RUNS} '}nice make bench "
        f"BENCH=throughput`. AnnoMI dev transcripts joined into one 60-minute session; full analysis "
        f"(every analyzer; every other setting at its default, so the risk model tier encodes the client turns) in a "
        f"fresh process, median of {RUNS}. *Warm*: a second session of the same length in the "
        f"same process (models loaded, nothing of its text cached); *cold* includes loading and hash-checking every "
        f"model. Targets: ≤ {TARGET_S:g} s, peak memory ≤ {TARGET_MB} MB. *Load* is the 1-minute load average "
        f"when the configuration started, and before each run after its time (2 cores: a load far above 2 means the "
        f"timing is not a quiet one); *warm CPU "
        f"time* is the process's own user+system seconds for the warm session, which the load does not inflate as "
        f"much (on a quiet 2-core machine the wall time lies between CPU/2 and CPU).",
        "",
        "| configuration | utterances | warm (each run @ load) | warm CPU time | cold | peak RSS | load | meets targets |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Model files shipped (MB): " + ", ".join(f"{k} {v}" for k, v in sizes.items())
        + f"; the int8 coding encoder {sizes.get('coding_encoder', 0)} MB (target for the new model ≤ "
        f"{TARGET_MODEL_MB} MB). Peak RSS above includes every model the analysis loads.",
        *int8_lines(),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
