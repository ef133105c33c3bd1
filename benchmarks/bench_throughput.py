"""Throughput of a 60-minute session (issue 15 item 4): full analysis time, peak memory, model size on disk.

    make bench BENCH=throughput        # BENCH_THROUGHPUT_ENCODER=1 also times the fine-tuned coding encoder

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
    runs = [run_once(encoder) for _ in range(RUNS)]
    med = {k: statistics.median(r[k] for r in runs) for k in ("cold_s", "warm_s", "warm_cpu_s", "peak_rss_mb")}
    return {**med, "utterances": runs[0]["utterances"], "load": round(load, 1),
            "warm_all": [r["warm_s"] for r in runs]}


def _row(name: str, m: dict) -> str:
    ok = "yes" if m["warm_s"] <= TARGET_S and m["peak_rss_mb"] <= TARGET_MB else "**no**"
    return (f"| {name} | {m['utterances']} | {m['warm_s']:.2f} s ({', '.join(f'{v:.1f}' for v in m['warm_all'])}) | "
            f"{m['warm_cpu_s']:.2f} s | {m['cold_s']:.2f} s | {m['peak_rss_mb']:.0f} MB | {m['load']} | {ok} |")


def main() -> str:
    configs = [("default (coding_encoder off)", False)]
    if os.environ.get("BENCH_THROUGHPUT_ENCODER"):
        configs.append(("coding_encoder on", True))
    rows = [_row(name, measure(enc)) for name, enc in configs]
    sizes = model_sizes()
    runtime = {k: v for k, v in sizes.items() if k != "coding_encoder"}
    lines = [
        "## Throughput: a 60-minute session (issue 15)",
        "",
        f"Machine: {machine()}. Command: `make bench BENCH=throughput` (`BENCH_THROUGHPUT_ENCODER=1` adds the "
        f"fine-tuned coding encoder). AnnoMI dev transcripts joined into one 60-minute session; full analysis "
        f"(every analyzer) in a fresh process, median of {RUNS}. *Warm*: a second session of the same length in the "
        f"same process (models loaded, nothing of its text cached); *cold* includes loading and hash-checking every "
        f"model. Targets: ≤ {TARGET_S:g} s, peak memory ≤ {TARGET_MB} MB. *Load* is the 1-minute load average "
        f"when the configuration started (2 cores: a load far above 2 means the timing is not a quiet one); *warm CPU "
        f"time* is the process's own user+system seconds for the warm session, which the load does not inflate as "
        f"much (on a quiet 2-core machine the wall time lies between CPU/2 and CPU).",
        "",
        "| configuration | utterances | warm (each run) | warm CPU time | cold | peak RSS | load | meets targets |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Model files shipped (MB): " + ", ".join(f"{k} {v}" for k, v in sizes.items())
        + f". Loaded by the default analysis: {sum(runtime.values()):.1f} MB; the MiniLM encoder itself "
        f"{sizes.get('encoder', 0)} MB (target for the new model ≤ {TARGET_MODEL_MB} MB).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
