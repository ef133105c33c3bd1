"""Full analysis of one 60-minute session (about 800 utterances) in a fresh process: time and peak memory.

    PYTHONPATH=. .venv/bin/python -m benchmarks.session_throughput [--coding-encoder]   # prints one JSON line

The session is AnnoMI dev transcripts joined end to end (ids and times renumbered) until it holds
``UTTERANCES`` turns over 60 minutes. "cold" includes loading and hash-checking every model; "warm" is a second
session of the same length with different text (nothing cached from the first).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from sessionlens.domain import Role, Speaker, Transcript, Utterance
from training.annomi import load_sessions

UTTERANCES = 800
MINUTES = 60
SPEAKERS = (Speaker("T", "T", Role.THERAPIST), Speaker("C", "C", Role.CLIENT))


def long_session(offset: int) -> Transcript:
    rows = [r for _, turns in list(load_sessions().items())[offset:] for r in turns][:UTTERANCES]
    step = MINUTES * 60 / len(rows)
    return Transcript(tuple(Utterance(f"u{k}", r.role[0].upper(), Role(r.role), k * step, (k + 0.9) * step, r.text)
                            for k, r in enumerate(rows)), SPEAKERS)


def main(coding_encoder: bool = False) -> dict:
    from sessionlens.services.analysis import analyze_transcript

    settings = {"coding_encoder": coding_encoder}
    first, second = long_session(0), long_session(40)
    t0 = time.perf_counter()
    analyze_transcript(first, settings, therapist=("T",), client=("C",))
    cold = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    analyze_transcript(second, settings, therapist=("T",), client=("C",))
    warm, cpu = time.perf_counter() - t0, time.process_time() - c0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"utterances": len(first.utterances), "cold_s": round(cold, 2), "warm_s": round(warm, 2), "warm_cpu_s": round(cpu, 2),
            "peak_rss_mb": round(peak)}


if __name__ == "__main__":
    print(json.dumps(main("--coding-encoder" in sys.argv[1:])))
