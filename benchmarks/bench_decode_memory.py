"""Peak memory of decoding a long recording to the WAV the transcriber reads (issue 19, item 3).

Reproduce: `make bench BENCH=decode_memory` (BENCH_DECODE_MINUTES, default 30). A synthetic recording
(a 220 Hz tone with noise, 44.1 kHz stereo 16-bit WAV, written by this script) is decoded in a fresh process
per variant, and that process's peak RSS (getrusage ru_maxrss) is reported:

* ``whole`` — the former ``to_wav``: every decoded block kept, concatenated, clipped and converted at once;
* ``blocks`` — the current ``ingest.audio.to_wav``: each block written into the WAV as it is decoded.

Both hold the source bytes (as the sandboxed decoder is handed them); the difference is the float copies.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

from benchmarks.run import machine

RATE, CHANNELS = 44100, 2

CHILD = r"""
import io, resource, sys, time, wave
import numpy as np
from sessionlens.ingest.audio import SAMPLE_RATE, iter_blocks, to_wav

def whole(src):
    data = np.concatenate(list(iter_blocks(src)), axis=1)
    pcm = (np.clip(data, -1.0, 1.0) * 32767.0).astype("<i2").T.tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(data.shape[0]); w.setsampwidth(2); w.setframerate(SAMPLE_RATE); w.writeframes(pcm)
    return out.getvalue()

src = open(sys.argv[2], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
wav = (whole if sys.argv[1] == "whole" else to_wav)(src)
print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(src), len(wav), time.perf_counter() - t)
"""


def _write_source(path: Path, minutes: float) -> None:
    rng = np.random.default_rng(7)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(CHANNELS), w.setsampwidth(2), w.setframerate(RATE)
        for _ in range(int(minutes * 6)):  # 10-second pieces
            t = np.arange(RATE * 10) / RATE
            tone = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(t.size)
            w.writeframes((np.stack([tone, tone * 0.8], axis=1) * 32767).astype("<i2").tobytes())


def _measure(variant: str, path: Path) -> tuple[float, float, int, int, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, variant, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{variant}: exit {done.returncode}: {done.stderr[-800:]}")
    out = done.stdout.split()
    base, peak, src, wav = (int(x) for x in out[:4])
    return base / 1024, peak / 1024, src, wav, float(out[4])


def main() -> str:
    minutes = float(os.environ.get("BENCH_DECODE_MINUTES", "30"))
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="sessionlens-decode-") as tmp:
        path = Path(tmp) / "long.wav"
        _write_source(path, minutes)
        for variant in ("whole", "blocks"):
            base, peak, src, wav, seconds = _measure(variant, path)
            rows.append(f"| {variant} | {src / 2**20:.0f} | {wav / 2**20:.0f} | {base:.0f} | {peak:.0f} | "
                        f"{peak - base:.0f} | {seconds:.1f} |")
    return "\n".join([
        "## Decoding a long recording: peak memory (issue 19)\n",
        f"{minutes:g} minutes of synthetic 44.1 kHz stereo WAV decoded to the 16 kHz WAV the transcriber reads, "
        f"one fresh process per variant; {machine()}; load {load:.1f} at start; {time.strftime('%Y-%m-%d')}.",
        "`make bench BENCH=decode_memory` (BENCH_DECODE_MINUTES).\n",
        "| variant | source MiB | WAV MiB | RSS before MiB | peak RSS MiB | peak - before MiB | seconds |",
        "|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Remaining: the source bytes and the WAV are both in memory (in the sandboxed child, then the WAV in the "
        "parent); streaming the sealed chunks into the child over a pipe is not built yet.",
    ])


if __name__ == "__main__":
    print(main())
