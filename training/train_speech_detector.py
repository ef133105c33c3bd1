"""Train the frame-level speech detector (sessionlens/models/speech_detector) on the shared AMI audio.

    nice .venv/bin/python -m training.train_speech_detector [--study] [--write]

The clips we train on are also our only measurement, so every number reported is leave-one-file-out:
the file scored was never seen by the model that scored it. ``--study`` prints, per file, missed speech
and false alarm (frame level, over the .uem, after the same region building the pipeline uses) for
Silero alone and for the detector at several thresholds. ``--write`` fits on all files and writes the
artifact with its manifest (SHA-256). Audio is read from ../shared/data, never copied.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.bench_speech import read_rttm, shared_audio
from sessionlens.artifacts import write_manifest
from sessionlens.ingest.audio import iter_blocks
from sessionlens.speech.detector import NAMES, Detector, features, with_missed
from sessionlens.speech.vad import FRAME_SECONDS, SileroVad, VadOptions, speech_regions

OUT = Path(__file__).resolve().parents[1] / "src" / "sessionlens" / "models" / "speech_detector"
C = 1.0
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
HYSTERESIS = 0.1  # once in speech, stay until the probability is this far below the threshold


@dataclass
class File:
    name: str
    x: np.ndarray  # (frames, features)
    y: np.ndarray  # reference speech at the frame's centre
    scored: np.ndarray  # frame inside the .uem
    silero: np.ndarray
    duration: float


def _cases(data: Path) -> list[tuple[str, Path, list[tuple[float, float]], tuple[float, float]]]:
    rttm = read_rttm(data / "ami_clips" / "reference.rttm")
    uem = {f[0]: (float(f[2]), float(f[3])) for f in
           (ln.split() for ln in (data / "ami_clips" / "reference.uem").read_text().splitlines()) if f}
    cases = [("phone_call", data / "phone_call" / "sample.wav", read_rttm(data / "phone_call" / "sample.rttm")["sample"],
              (0.0, 30.0)),
             ("mixture", data / "ami_mixture" / "mixture.wav", read_rttm(data / "ami_mixture" / "mixture.rttm")["mixture"],
              (0.0, 60.0))]
    cases += [(n, data / "ami_clips" / f"{n}.wav", rttm.get(n, []), uem[n]) for n in sorted(uem)]
    return [(n, p, [(s, e) for s, e, _ in ref], u) for n, p, ref, u in cases]


def load_file(name: str, path: Path, ref: list[tuple[float, float]], uem: tuple[float, float]) -> File:
    audio = np.concatenate(list(iter_blocks(path)), axis=1)
    mono = audio[0] if audio.shape[0] == 1 else audio.mean(axis=0)
    vad = SileroVad()
    probs = np.concatenate([vad.feed(mono), vad.flush()])
    centres = (np.arange(len(probs)) + 0.5) * FRAME_SECONDS
    y = np.zeros(len(probs), bool)
    for s, e in ref:
        y |= (centres >= s) & (centres < e)
    scored = (centres >= uem[0]) & (centres < uem[1])
    return File(name, features(mono, probs), y, scored, probs, len(mono) / 16000)


def _mask(regions: list[tuple[float, float]], n: int) -> np.ndarray:
    centres = (np.arange(n) + 0.5) * FRAME_SECONDS
    mask = np.zeros(n, bool)
    for s, e in regions:
        mask |= (centres >= s) & (centres < e)
    return mask


def adopted_mask(f: File, probs: np.ndarray, threshold: float) -> np.ndarray:
    """As the pipeline does it: Silero's regions plus the detector's regions that touch none of them."""
    opts = VadOptions(threshold=threshold, neg_threshold=threshold - HYSTERESIS)
    found = speech_regions(probs, opts, limit=f.duration)
    return _mask(with_missed(speech_regions(f.silero, limit=f.duration), found), len(probs))


def frame_mask(probs: np.ndarray, threshold: float | VadOptions, duration: float) -> np.ndarray:
    """Frames inside the speech regions the pipeline would build from these probabilities."""
    opts = threshold if isinstance(threshold, VadOptions) else VadOptions(threshold=threshold,
                                                                          neg_threshold=threshold - HYSTERESIS)
    return _mask(speech_regions(probs, opts, limit=duration), len(probs))


def rates(f: File, mask: np.ndarray) -> tuple[float, float]:
    """(missed, false alarm) as shares of the reference speech frames."""
    y, m = f.y[f.scored], mask[f.scored]
    speech = max(int(y.sum()), 1)
    return float((y & ~m).sum() / speech), float((~y & m).sum() / speech)


def fit(files: list[File]) -> dict[str, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    x = np.concatenate([f.x[f.scored] for f in files])
    y = np.concatenate([f.y[f.scored] for f in files])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=C, max_iter=2000).fit((x - mean) / scale, y)
    return {"mean": mean, "scale": scale, "coef": model.coef_[0], "intercept": np.array(model.intercept_[0])}


def predict(w: dict[str, np.ndarray], x: np.ndarray) -> np.ndarray:
    z = ((x - w["mean"]) / w["scale"]) @ w["coef"] + float(w["intercept"])
    return 1.0 / (1.0 + np.exp(-z))


def study(files: list[File]) -> dict[float, list[tuple[float, float]]]:
    """Leave-one-file-out (missed, false alarm) per threshold, the detector alone and as adopted (Silero
    plus the regions it missed); prints both tables and returns the adopted one."""
    base = [rates(f, frame_mask(f.silero, VadOptions(), f.duration)) for f in files]  # as the pipeline had it
    alone: dict[float, list[tuple[float, float]]] = {t: [] for t in THRESHOLDS}
    adopted: dict[float, list[tuple[float, float]]] = {t: [] for t in THRESHOLDS}
    for i, f in enumerate(files):
        p = predict(fit(files[:i] + files[i + 1:]), f.x)
        for t in THRESHOLDS:
            alone[t].append(rates(f, frame_mask(p, t, f.duration)))
            adopted[t].append(rates(f, adopted_mask(f, p, t)))
    print("Detector alone (replacing Silero):\n")
    _table(files, base, alone)
    print("\nAdopted: Silero's regions plus the detector's regions that touch none of them:\n")
    _table(files, base, adopted)
    return adopted


def _table(files: list[File], base: list[tuple[float, float]], held: dict[float, list[tuple[float, float]]]) -> None:
    head = "| file | Silero (0.15 / 0.1) missed / FA | " + " | ".join(f"p>={t} missed / FA" for t in THRESHOLDS) + " |"
    print(head)
    print("|" + "---|" * (2 + len(THRESHOLDS)))
    for i, f in enumerate(files):
        cells = [f"{100 * base[i][0]:.0f} / {100 * base[i][1]:.0f}"]
        cells += [f"{100 * held[t][i][0]:.0f} / {100 * held[t][i][1]:.0f}" for t in THRESHOLDS]
        print(f"| {f.name} | " + " | ".join(cells) + " |")
    mean = [f"{100 * np.mean([m for m, _ in base]):.1f} / {100 * np.mean([a for _, a in base]):.1f}"]
    mean += [f"{100 * np.mean([m for m, _ in held[t]]):.1f} / {100 * np.mean([a for _, a in held[t]]):.1f}"
             for t in THRESHOLDS]
    print("| mean | " + " | ".join(mean) + " |")


def held_out_detectors(data: Path) -> dict[Path, Detector]:
    """For each audio file, the detector trained on all the others (the benchmark scores files with these)."""
    cases = _cases(data)
    files = [load_file(*case) for case in cases]
    out = {}
    for i, (_, path, _, _) in enumerate(cases):
        w = fit(files[:i] + files[i + 1:])
        out[path] = Detector(w["mean"], w["scale"], w["coef"], float(w["intercept"]))
    return out


def write(files: list[File], threshold: float, held: dict[float, list[tuple[float, float]]]) -> None:
    w = fit(files)
    OUT.mkdir(parents=True, exist_ok=True)
    np.savez(OUT / "weights.npz", **w)
    per_file = {f.name: {"missed": round(held[threshold][i][0], 3), "false_alarm": round(held[threshold][i][1], 3)}
                for i, f in enumerate(files)} if threshold in held else {}
    write_manifest(OUT, ["weights.npz"], {"features": list(NAMES), "threshold": threshold, "C": C,
                                          "trained_on": [f.name for f in files],
                                          "leave_one_file_out": per_file})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--study", action="store_true", help="leave-one-file-out table")
    ap.add_argument("--write", type=float, default=None, metavar="THRESHOLD", help="fit on all files, write artifact")
    args = ap.parse_args(argv)
    data = shared_audio()
    if not data.is_dir():
        print(f"error: {data} not found", file=sys.stderr)
        return 2
    files = [load_file(*case) for case in _cases(data)]
    held = study(files) if args.study or args.write is not None else {}
    if args.write is not None:
        write(files, args.write, held)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
