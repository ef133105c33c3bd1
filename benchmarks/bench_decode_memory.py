"""Peak memory of decoding a long recording to the WAV the transcriber reads (issue 19, item 3).

Reproduce: `make bench BENCH=decode_memory` (BENCH_DECODE_MINUTES, default 30). A synthetic recording
(a 220 Hz tone with noise, 44.1 kHz stereo 16-bit WAV, written by this script) is decoded in a fresh process
per variant, and that process's peak RSS (getrusage ru_maxrss) is reported:

* ``whole`` — the former ``to_wav``: every decoded block kept, concatenated, clipped and converted at once;
* ``blocks`` — ``ingest.audio.to_wav``: each block written into the WAV as it is decoded.

Both hold the source bytes (as the sandboxed decoder is handed them); the difference is the float copies.
Two more variants run the real sandbox and report the parent's and the decoding child's peaks apart:

* ``sandbox.run`` — the former transcription path: the whole recording read, sent to the child, which decodes
  it with ``to_wav`` and sends the whole WAV back;
* ``sandbox.stream`` — the current path (``services.pipeline.streamed_recording``): the recording read in 4 MiB
  pieces (as ``services.pipeline._sealed_pieces`` opens sealed chunks) and fed to the child as it reads; PCM blocks
  come back and are consumed one at a time (``ingest.decoded.decoded_stream``), as transcription takes them: no
  WAV is built in the parent (its "WAV bytes" column is the PCM that passed through).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from benchmarks.run import machine

RATE, CHANNELS = 44100, 2

CHILD = r"""
import io, os, resource, sys, time, wave
import numpy as np
from sessionlens.ingest.audio import SAMPLE_RATE, iter_blocks, to_wav

def whole(src):
    data = np.concatenate(list(iter_blocks(src)), axis=1)
    pcm = (np.clip(data, -1.0, 1.0) * 32767.0).astype("<i2").T.tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(data.shape[0]); w.setsampwidth(2); w.setframerate(SAMPLE_RATE); w.writeframes(pcm)
    return out.getvalue()

def pieces(path):
    with open(path, "rb") as fh:
        while piece := fh.read(4 << 20):
            yield piece

if __name__ == "__main__":
    from sessionlens import sandbox
    from sessionlens.ingest.decoded import decoded_stream
    from benchmarks.bench_decode_memory import reporting_blocks, reporting_wav
    variant, path = sys.argv[1], sys.argv[2]
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    child = 0
    if variant in ("whole", "blocks"):
        src = open(path, "rb").read()
        out_len = len((whole if variant == "whole" else to_wav)(src))
    elif variant == "sandbox.run":
        src = open(path, "rb").read()
        answer = sandbox.run(reporting_wav, src, memory_mib=sandbox.DECODE_MEMORY_MIB)
        out_len, child = len(answer) - 16, int(answer[:16])
    else:
        rss = []
        def blocks():
            for block in sandbox.stream(reporting_blocks, pieces(path), memory_mib=sandbox.DECODE_MEMORY_MIB):
                if block[0] == 255:
                    rss.append(int(block[1:]))
                else:
                    yield block
        out_len = sum(b.nbytes // 2 for b in decoded_stream(blocks()).blocks)  # 16-bit PCM that passed through
        child = rss[0]
    size = os.path.getsize(path)
    print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, size, out_len, time.perf_counter() - t, child)
"""


def reporting_wav(src: bytes) -> bytes:
    """In the sandboxed child: the child's own peak RSS (KiB, 16 digits), then ``to_wav``'s WAV."""
    import resource

    from sessionlens.ingest.audio import to_wav

    wav = to_wav(src)
    return b"%016d" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + wav


def reporting_blocks(src: object) -> Iterator[bytes]:
    """In the sandboxed child: the description and PCM blocks, then a 0xff byte and the peak RSS in KiB."""
    import resource

    from sessionlens.ingest.audio import pcm16_blocks

    yield from pcm16_blocks(src)  # type: ignore[arg-type]  # the sandbox's PipeReader
    yield b"\xff" + str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).encode()


def _write_source(path: Path, minutes: float) -> None:
    rng = np.random.default_rng(7)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(CHANNELS), w.setsampwidth(2), w.setframerate(RATE)
        for _ in range(int(minutes * 6)):  # 10-second pieces
            t = np.arange(RATE * 10) / RATE
            tone = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * rng.standard_normal(t.size)
            w.writeframes((np.stack([tone, tone * 0.8], axis=1) * 32767).astype("<i2").tobytes())


def _measure(variant: str, path: Path) -> tuple[float, float, int, int, float, float]:
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", CHILD, variant, str(path)], capture_output=True, text=True,
                          cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    if done.returncode != 0:
        raise RuntimeError(f"{variant}: exit {done.returncode}: {done.stderr[-800:]}")
    out = done.stdout.split()
    base, peak, src, wav = (int(x) for x in out[:4])
    return base / 1024, peak / 1024, src, wav, float(out[4]), int(out[5]) / 1024


def main() -> str:
    minutes = float(os.environ.get("BENCH_DECODE_MINUTES", "30"))
    load = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="sessionlens-decode-") as tmp:
        path = Path(tmp) / "long.wav"
        _write_source(path, minutes)
        for variant in ("whole", "blocks", "sandbox.run", "sandbox.stream"):
            base, peak, src, wav, seconds, child = _measure(variant, path)
            rows.append(f"| {variant} | {src / 2**20:.0f} | {wav / 2**20:.0f} | {base:.0f} | {peak:.0f} | "
                        f"{peak - base:.0f} | {f'{child:.0f}' if child else '-'} | {seconds:.1f} |")
    return "\n".join([
        "## Decoding a long recording: peak memory (issues 17, 19)\n",
        f"{minutes:g} minutes of synthetic 44.1 kHz stereo WAV decoded to the 16 kHz WAV the transcriber reads, "
        f"one fresh process per variant; {machine()}; load {load:.1f} at start; {time.strftime('%Y-%m-%d')}.",
        "`make bench BENCH=decode_memory` (BENCH_DECODE_MINUTES).\n",
        "| variant | source MiB | WAV MiB | RSS before MiB | peak RSS MiB | peak - before MiB | "
        "sandbox child peak RSS MiB | seconds |",
        "|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "The child's peak includes the fork server's preloaded modules (numpy, PyAV, the parsers). With "
        "``sandbox.stream`` neither process holds the source, and the parent takes the decoded blocks one at a time, "
        "as transcription does (``WAV MiB`` is then the 16-bit PCM that passed through, never held whole).",
    ])


if __name__ == "__main__":
    print(main())
