"""Regenerate tests/speech/data/dialogue.opus (Ogg Opus): a short fictional two-voice dialogue spoken by espeak-ng.

Written for sessionlens (no recorded person, no shared data). Run: `python tests/speech/make_fixtures.py`
(needs `apt-get install espeak-ng`). The turn times are printed so tests/speech/dialogue.py can check them.
`python tests/speech/make_fixtures.py enroll` writes only the one-voice enrollment clips (enroll_a.opus,
enroll_b.opus): each dialogue voice reading a passage that is not in the dialogue, for `voice enroll` tests.
"""

from __future__ import annotations

import io
import subprocess
import wave
from pathlib import Path

import numpy as np

OUT = Path(__file__).parent / "data" / "dialogue.opus"
RATE = 16000
VOICES = {"A": ["-v", "en-us+m3", "-p", "35", "-s", "150"], "B": ["-v", "en-gb+f4", "-p", "70", "-s", "165"]}
# (speaker, text, pause after in seconds)
TURNS = [
    ("A", "Good morning. How have you been sleeping since we last met?", 0.7),
    ("B", "Not great, honestly. I wake up at three and my mind starts racing.", 0.6),
    ("A", "That sounds exhausting. What goes through your mind when that happens?", 0.6),
    ("B", "Mostly work. The deadlines, and the emails I have not answered.", 0.5),
    ("A", "So the work follows you home, even in the middle of the night.", 0.35),
    ("B", "Yes.", 0.35),
    ("A", "And what have you tried so far to help yourself sleep?", 3.2),
    ("B", "I stopped drinking coffee after lunch, and I put my phone in the kitchen.", 0.0),
]


# One voice alone, reading text that is not in the dialogue (what a clinician does to enroll).
ENROLL = ("I am recording this short passage so that the program can learn my voice. The north wind and the sun "
          "were disputing which was the stronger, when a traveller came along wrapped in a warm cloak. "
          "They agreed that the one who first made the traveller take off his cloak should be considered stronger.")
ENROLL_OUT = {who: OUT.with_name(f"enroll_{who.lower()}.opus") for who in VOICES}


def build_enroll(who: str) -> np.ndarray:
    rng = np.random.default_rng(11)
    pcm = 0.5 * speak(who, ENROLL)
    audio = np.concatenate([np.zeros(int(0.5 * RATE)), pcm, np.zeros(int(0.5 * RATE))])
    return (audio + rng.normal(0, 0.002, len(audio))).astype(np.float32)


def speak(who: str, text: str) -> np.ndarray:
    raw = subprocess.run(["espeak-ng", *VOICES[who], "--stdout", text], capture_output=True, check=True).stdout
    with wave.open(io.BytesIO(raw)) as w:
        pcm = np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.float32) / 32768
        rate = w.getframerate()
    t = np.arange(int(len(pcm) * RATE / rate)) * rate / RATE
    pcm = np.interp(t, np.arange(len(pcm)), pcm)
    nz = np.flatnonzero(np.abs(pcm) > 1e-3)  # trim espeak's own leading/trailing silence
    return pcm[nz[0]: nz[-1] + 1] if len(nz) else pcm


def build() -> tuple[np.ndarray, list[tuple[str, float, float]]]:
    rng = np.random.default_rng(7)
    parts, times, t = [np.zeros(int(0.8 * RATE))], [], 0.8
    for who, text, pause in TURNS:
        pcm = 0.5 * speak(who, text)
        times.append((who, round(t, 2), round(t + len(pcm) / RATE, 2)))
        parts += [pcm, np.zeros(int(pause * RATE))]
        t += len(pcm) / RATE + pause
    parts.append(np.zeros(int(0.8 * RATE)))
    audio = np.concatenate(parts)
    audio += rng.normal(0, 0.002, len(audio))  # a quiet room, not digital silence
    return audio.astype(np.float32), times


def encode(audio: np.ndarray, fmt: str = "ogg", codec: str = "libopus", rate: int = RATE,
           bit_rate: int | None = 32000) -> bytes:
    """Encode mono float audio in memory with PyAV (also used by the tests for mp3, 8 kHz...)."""
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=48000 if codec == "libopus" else rate, layout="mono")
        if bit_rate:
            stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray((np.clip(audio, -1, 1) * 32767).astype("<i2")[None], format="s16",
                                           layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format=stream.codec_context.format.name, layout="mono",
                                      rate=stream.codec_context.sample_rate)
        for f in resampler.resample(frame) + resampler.resample(None):
            for packet in stream.encode(f):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["enroll"]:
        for who, path in ENROLL_OUT.items():
            clip = build_enroll(who)
            path.write_bytes(encode(clip, bit_rate=16000))
            print(f"{path}: {len(clip) / RATE:.1f} s, {path.stat().st_size} bytes")
        raise SystemExit(0)
    audio, times = build()
    OUT.write_bytes(encode(audio))
    print(f"{OUT}: {len(audio) / RATE:.1f} s, {OUT.stat().st_size} bytes")
    for row in times:
        print(row)
