"""Speech benchmark: WER, DER, real-time factor and peak memory on the public audio in ../shared/data.

Reproduce: `make bench BENCH=speech` (needs the `bench` extra: `pip install -e '.[bench]'`).
Targets (issue 14): two-person files DER <= 0.15 and worst talk-share error <= 5 points, with and without
the known speaker count; four-person files missed speech <= 15 %, DER <= 0.35; a known count honoured on
every file; whole-pipeline RTF <= 0.15, peak RSS <= 2 GB; phone-call WER no worse than 12.3 %.
Every file is run twice: speakers detected, and told the reference count. The hypothesis scored is the
transcript's speech turns (voice activity x speaker). DER: pyannote.metrics, collar 0.25 s, over the .uem.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import wave
from itertools import permutations
from pathlib import Path

import numpy as np

from benchmarks.run import machine

ROOT = Path(__file__).resolve().parents[1]
COLLAR = 0.25


def shared_audio() -> Path:
    env = os.environ.get("SESSIONLENS_SHARED_DATA")
    return (Path(env) if env else ROOT.parent / "shared" / "data") / "audio_ami"


def norm_words(text: str) -> list[str]:
    text = text.lower().replace("_", "")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def wer(ref: list[str], hyp: list[str]) -> tuple[int, int]:
    """(edit distance, reference length) over words."""
    d = np.arange(len(hyp) + 1)
    for i, r in enumerate(ref, 1):
        prev, d = d, np.empty_like(d)
        d[0] = i
        for j, h in enumerate(hyp, 1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (r != h))
    return int(d[-1]), len(ref)


def cp_wer(refs: dict[str, list[str]], hyps: dict[str, list[str]]) -> float:
    """Concatenated minimum-permutation WER: each reference speaker matched to one hypothesis speaker."""
    r_ids, h_ids = list(refs), list(hyps) + [f"_none{i}" for i in range(len(refs))]
    total = sum(len(v) for v in refs.values())
    best = None
    for perm in permutations(h_ids, len(r_ids)):
        errs = sum(wer(refs[r], hyps.get(h, []))[0] for r, h in zip(r_ids, perm))
        errs += sum(len(hyps[h]) for h in hyps if h not in perm)  # unmatched hypothesis speakers: insertions
        best = errs if best is None else min(best, errs)
    return (best or 0) / max(total, 1)


def read_rttm(path: Path) -> dict[str, list[tuple[float, float, str]]]:
    out: dict[str, list[tuple[float, float, str]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        f = line.split()
        if f and f[0] == "SPEAKER":
            out.setdefault(f[1], []).append((float(f[3]), float(f[3]) + float(f[4]), f[7]))
    return out


def _annotation(items: list[tuple[float, float, str]]):  # type: ignore[no-untyped-def]
    from pyannote.core import Annotation, Segment

    a = Annotation()
    for s, e, who in items:
        if e > s:
            a[Segment(s, e)] = who
    return a


def der(ref: list[tuple[float, float, str]], hyp: list[tuple[float, float, str]], uem: tuple[float, float]) -> dict:
    from pyannote.core import Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    ann = _annotation
    metric = DiarizationErrorRate(collar=COLLAR, skip_overlap=False)
    comp = metric(ann(ref), ann(hyp), uem=Timeline([Segment(*uem)]), detailed=True)
    total = comp["total"] or 1.0
    return {"der": comp["diarization error rate"], "missed": comp["missed detection"] / total,
            "false_alarm": comp["false alarm"] / total, "confusion": comp["confusion"] / total,
            "scored_seconds": comp["total"]}


def overlap_floor(ref: list[tuple[float, float, str]], uem: tuple[float, float]) -> float:
    """DER a perfect one-speaker-at-a-time system would still get: overlapped speech / all speech."""
    count = np.zeros(int(round((uem[1] - uem[0]) * 100)))
    for s, e, _ in ref:
        count[int(max(s - uem[0], 0) * 100):int(max(e - uem[0], 0) * 100)] += 1
    return float(np.clip(count - 1, 0, None).sum() / max(count.sum(), 1))


def hyp_segments(transcript) -> list[tuple[float, float, str]]:  # type: ignore[no-untyped-def]
    """The speech turns (what talk time is computed from); utterances for a transcript without them."""
    turns = transcript.metadata.get("speech_turns")
    if turns is not None:
        return [(t["start"], t["end"], t["speaker"]) for t in turns]
    return [(u.start, u.end, u.speaker) for u in transcript.utterances if u.start is not None]


def _seconds(items: list[tuple[float, float, str]], uem: tuple[float, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for s, e, who in items:
        out[who] = out.get(who, 0.0) + max(0.0, min(e, uem[1]) - max(s, uem[0]))
    return out


def talk_share_errors(ref: list[tuple[float, float, str]], hyp: list[tuple[float, float, str]],
                      uem: tuple[float, float]) -> dict[str, float]:
    """Per reference speaker: |share of speaking time in ref - share of the matched hyp speaker|, in points,
    after the best one-to-one mapping (the one pyannote's DER uses: most time in common)."""
    from pyannote.metrics.diarization import DiarizationErrorRate

    mapping = DiarizationErrorRate().optimal_mapping(_annotation(ref), _annotation(hyp)) if hyp else {}
    r_sec, h_sec = _seconds(ref, uem), _seconds(hyp, uem)
    r_tot, h_tot = sum(r_sec.values()) or 1.0, sum(h_sec.values()) or 1.0
    matched = {r: h for h, r in mapping.items()}
    return {r: 100 * abs(r_sec[r] / r_tot - h_sec.get(matched.get(r, ""), 0.0) / h_tot) for r in r_sec if r_sec[r] > 0}


def score(ref: list[tuple[float, float, str]], tr, uem: tuple[float, float]) -> dict:  # type: ignore[no-untyped-def]
    """``speakers``: voices heard (speakers holding speech); ``listed``: speakers of the transcript (a told count
    lists everyone); ``unheard_named``: every listed speaker without speech is named in the notes."""
    hyp = hyp_segments(tr)
    errs = talk_share_errors(ref, hyp, uem)
    heard = {who for *_, who in hyp}
    notes = " ".join(tr.metadata.get("notes", []))
    return {**der(ref, hyp, uem), "speakers": len(heard), "listed": len(tr.speakers),
            "unheard_named": all(re.search(rf"\b{s.id}\b", notes) for s in tr.speakers if s.id not in heard),
            "ref_speakers": len({s for *_, s in ref}), "share_errors": errs,
            "worst_share": max(errs.values(), default=0.0)}


def wav_bytes(parts: list[np.ndarray]) -> bytes:
    pcm = np.clip(np.concatenate(parts), -1, 1)
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16000)
        w.writeframes((pcm * 32767).astype("<i2").tobytes())
    return buf.getvalue()


def _run(path: Path | bytes, asr, **kw):  # type: ignore[no-untyped-def]
    from sessionlens.speech.pipeline import SpeechOptions, transcribe

    t0, c0 = time.perf_counter(), time.process_time()
    tr = transcribe(path, SpeechOptions(**kw), asr=asr)
    return tr, time.perf_counter() - t0, time.process_time() - c0


def _cases(data: Path) -> list[tuple[str, Path, list[tuple[float, float, str]], tuple[float, float]]]:
    rttm = read_rttm(data / "ami_clips" / "reference.rttm")
    uem = {f[0]: (float(f[2]), float(f[3])) for f in
           (line.split() for line in (data / "ami_clips" / "reference.uem").read_text().splitlines()) if f}
    return ([("phone_call/sample.wav", data / "phone_call" / "sample.wav",
              read_rttm(data / "phone_call" / "sample.rttm")["sample"], (0.0, 30.0)),
             ("ami_mixture/mixture.wav", data / "ami_mixture" / "mixture.wav",
              read_rttm(data / "ami_mixture" / "mixture.rttm")["mixture"], (0.0, 60.0))]
            + [(f"ami_clips/{n}.wav", data / "ami_clips" / f"{n}.wav", rttm.get(n, []), uem[n]) for n in sorted(uem)])


def two_person_splices(data: Path) -> list[tuple[str, bytes, list[tuple[float, float, str]], tuple[float, float], Path]]:
    """Two-person recordings made from the annotated AMI audio: for each pair of speakers with at least 3 s
    alone each, the stretches (>= 0.2 s) where one of the two talks and nobody else does, in time order,
    joined by 0.2 s of the file's quietest audio. Same room, same microphone, real voices and real quick
    exchanges; the splice points are the only artefact. (name, wav bytes, reference, uem, source file.)"""
    from itertools import combinations

    from sessionlens.ingest.audio import decode_audio

    out = []
    for name, wav, ref, uem in _cases(data):
        if name.startswith("phone_call"):
            continue
        audio = decode_audio(wav).mono
        n = int((uem[1] - uem[0]) * 100)
        people = sorted({who for *_, who in ref})
        act = np.zeros((len(people), n), bool)
        for s, e, who in ref:
            act[people.index(who), int(max(s - uem[0], 0) * 100):int(min(e - uem[0], uem[1]) * 100)] = True
        alone = act & (act.sum(axis=0) == 1)
        level = np.convolve(audio[: len(audio) // 160 * 160].reshape(-1, 160).std(axis=1), np.ones(20), "valid")
        quiet = audio[int(np.argmin(level)) * 160:][:3200]
        for i, j in combinations(range(len(people)), 2):
            if alone[i].sum() < 300 or alone[j].sum() < 300:
                continue
            lab = np.where(alone[i], 0, np.where(alone[j], 1, -1))
            edges = np.flatnonzero(np.diff(np.concatenate([[-2], lab, [-2]])) != 0)
            pieces, items, pos = [], [], 0.0
            for a, b in zip(edges[:-1], edges[1:]):
                if lab[a] < 0 or b - a < 20:
                    continue
                seg = audio[int((uem[0] + a / 100) * 16000):int((uem[0] + b / 100) * 16000)]
                items.append((pos, pos + len(seg) / 16000, people[(i, j)[lab[a]]]))
                pieces += [seg, quiet]
                pos += (len(seg) + len(quiet)) / 16000
            out.append((f"{wav.stem}: {people[i]} + {people[j]}", wav_bytes(pieces), items, (0.0, pos), wav))
    return out


def _worded(tr):
    """Utterances with recognised words ("[inaudible]" stand-ins for untranscribed speech are not words)."""
    from sessionlens.speech.pipeline import is_untranscribed

    return [u for u in tr.utterances if not is_untranscribed(u)]


def evaluate(model: str | None = None) -> dict:
    """Every figure of the benchmark for one model (models loaded once, as in a long session)."""
    from sessionlens.speech.asr import create_backend
    from training.train_speech_detector import held_out_detectors

    data = shared_audio()
    asr = create_backend(model=model)
    held_out = held_out_detectors(data)  # the speech detector is trained on these files: score each held out
    res: dict = {"model": asr.model_name, "files": []}
    stm = (data / "phone_call" / "sample.stm").read_text(encoding="utf-8").splitlines()
    ref_words = [w for line in stm for w in norm_words(line.split(" ", 5)[5])]
    refs = {p.name.split(".")[1]: norm_words(p.read_text(encoding="utf-8"))
            for p in sorted((data / "ami_mixture" / "text").glob("*.txt"))}
    for name, wav, ref, uem in _cases(data):
        known = len({s for *_, s in ref})
        for speakers in (None, known):
            tr, wall, cpu = _run(wav, asr, speakers=speakers, detector=held_out[wav])
            row = {"file": name, "told": speakers, "seconds": tr.metadata["duration"], "wall": wall, "cpu": cpu,
                   **score(ref, tr, uem), "overlap_floor": overlap_floor(ref, uem)}
            if name.startswith("phone_call"):
                row["wer"] = wer(ref_words, [w for u in _worded(tr) for w in norm_words(u.text)])[0] / len(ref_words)
                res.setdefault("phone_wer", row["wer"])
            if name.startswith("ami_mixture"):
                hyps: dict[str, list[str]] = {}
                for u in _worded(tr):
                    hyps.setdefault(u.speaker, []).extend(norm_words(u.text))
                row["cpwer"] = cp_wer(refs, hyps)
                res.setdefault("mixture_cpwer", row["cpwer"])
            res["files"].append(row)
    res["splices"] = []
    for name, blob, ref, uem, source in two_person_splices(data):
        for speakers in (None, 2):
            tr, wall, cpu = _run(blob, asr, speakers=speakers, detector=held_out[source])
            res["splices"].append({"file": name, "told": speakers, "seconds": tr.metadata["duration"],
                                   **score(ref, tr, uem)})
    auto = [f for f in res["files"] if f["told"] is None]
    res["der_mean"] = float(np.mean([f["der"] for f in auto]))
    res["der_mean_told"] = float(np.mean([f["der"] for f in res["files"] if f["told"] is not None]))
    res["honoured"] = sum(f["speakers"] == f["told"] for f in res["files"] if f["told"] is not None)
    res["listed"] = sum(f["listed"] == f["told"] and f["unheard_named"] for f in res["files"] if f["told"] is not None)
    res["told_files"] = len(auto)
    audio = sum(f["seconds"] for f in res["files"])
    res["rtf_wall"] = sum(f["wall"] for f in res["files"]) / audio
    res["rtf_cpu"] = sum(f["cpu"] for f in res["files"]) / audio
    res["rtf_median"] = float(np.median([f["wall"] / f["seconds"] for f in res["files"]]))
    return res


def long_run(model: str | None, minutes: float) -> dict:
    """Whole pipeline in a fresh process (model loading included) on a long in-memory recording."""
    code = (
        "import json,resource,sys,time;from benchmarks.bench_speech import _long_child;"
        f"print(json.dumps(_long_child({model!r},{minutes!r})))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _long_child(model: str | None, minutes: float) -> dict:
    import resource

    from sessionlens.ingest.audio import decode_audio
    from sessionlens.speech.pipeline import SpeechOptions, transcribe

    data = shared_audio()
    files = sorted((data / "ami_clips").glob("*.wav")) + [data / "ami_mixture" / "mixture.wav",
                                                          data / "phone_call" / "sample.wav"]
    parts = [decode_audio(f).mono for f in files]
    need = int(minutes * 60 * 16000)
    loop, size = [], 0
    while size < need:
        for p in parts:
            loop.append(p)
            size += len(p)
    blob = wav_bytes(loop)[: 44 + need * 2]
    del parts, loop
    stages = _time_stages()
    load = os.getloadavg()[0]
    t0, c0 = time.perf_counter(), time.process_time()
    tr = transcribe(blob, SpeechOptions(model=model))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"seconds": need / 16000, "wall": wall, "cpu": cpu, "rtf_wall": wall / (need / 16000),
            "rtf_cpu": cpu / (need / 16000), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "utterances": len(tr.utterances), "speakers": len(tr.speakers), "stages": stages,
            "load": [load, os.getloadavg()[0]]}


def _time_stages() -> dict[str, list[float]]:
    """Wrap the pipeline's stages to add up their wall and CPU seconds (this process, all threads): where the
    wall time goes, and whether a stage waits (CPU/wall well under its thread count) or computes."""
    from sessionlens.speech import detector, embeddings, pipeline, vad

    totals: dict[str, list[float]] = {}

    def timed(name: str, fn):
        def run(*a, **k):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **k)
            finally:
                tot = totals.setdefault(name, [0.0, 0.0])
                tot[0] += time.perf_counter() - t0
                tot[1] += time.process_time() - c0
        return run

    pipeline._recognise = timed("recognition (ctranslate2)", pipeline._recognise)
    for meth in ("embed_segments", "embed_windows"):
        setattr(embeddings.VoiceEncoder, meth, timed("voice embeddings (onnxruntime)",
                                                     getattr(embeddings.VoiceEncoder, meth)))
    pipeline.prosody.tracks = timed("pitch and energy (parselmouth)", pipeline.prosody.tracks)
    vad.SileroVad.feed = timed("Silero VAD (onnxruntime)", vad.SileroVad.feed)
    detector.Detector.probabilities = timed("speech detector (numpy)", detector.Detector.probabilities)
    pipeline._assemble = timed("speakers, turns, utterances", pipeline._assemble)
    return totals


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def _row(f: dict, rtf: bool = True) -> str:
    per = ", ".join(f"{v:.0f}" for v in f["share_errors"].values())
    cells = [f["file"], "told " + str(f["told"]) if f["told"] else "auto",
             f"{f['speakers']} / {f['listed']} / {f['ref_speakers']}", _pct(f["der"]), _pct(f["missed"]),
             _pct(f["false_alarm"]), _pct(f["confusion"])]
    cells += [_pct(f["overlap_floor"])] if "overlap_floor" in f else []
    cells += [per, f"{f['worst_share']:.1f}"] + ([f"{f['wall'] / f['seconds']:.3f}"] if rtf else [])
    return "| " + " | ".join(cells) + " |"


def section(results: list[dict], longs: list[dict]) -> str:
    lines = [
        "## Speech pipeline (issues 4 and 14)\n",
        f"Machine: {machine()}; the 2 cores are shared with other work (load average at the long run below),",
        "and the benchmark runs under `nice`, so wall-clock RTF is an upper bound — CPU-time RTF (process time /",
        "audio time, both cores counted) is shown beside it.",
        "Reproduce: `make bench BENCH=speech` (after `pip install -e '.[bench]'`; `SPEECH_MODELS=tiny.en` for one",
        "model). Data: ../shared/data/audio_ami (public AMI clips, an AMI mixture and a phone call; never copied",
        "into the repo). Hypothesis = the transcript's speech turns (voice activity x speaker, untranscribed",
        "speech included). DER: pyannote.metrics, collar 0.25 s, overlap scored, over the .uem region (first",
        "30 s of each clip). Talk-share error: per reference speaker, |reference share - our share| of the",
        "speaking time in points, after pyannote's optimal one-to-one mapping. Each file runs twice: speakers",
        "detected (auto), and told the reference count (told). The speech detector is trained on these same",
        "files, so each file is scored by one trained on the other eleven (leave one file out).",
        "Speakers: voices heard (holding speech) / listed in the transcript (a told count lists everyone and",
        "names who was not heard) / in the reference. See docs/speech.md for what limits each error.\n",
        "| model | phone-call WER (≤ 12.3 %) | mixture cpWER | DER mean auto / told | told count: voices heard "
        "= told / everyone listed, the unheard named | RTF wall median / CPU |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['model']} | {_pct(r['phone_wer'])} | {_pct(r['mixture_cpwer'])} | "
                     f"{_pct(r['der_mean'])} / {_pct(r['der_mean_told'])} | {r['honoured']} of {r['told_files']} / "
                     f"{r['listed']} of {r['told_files']} | {r['rtf_median']:.3f} / {r['rtf_cpu']:.3f} |")
    lines += ["", "Whole pipeline in a fresh process, models loaded included, on a long in-memory recording",
              "(the public clips looped; target RTF ≤ 0.15, peak RSS ≤ 2 GB):\n",
              "| model | audio | wall | RTF wall | RTF CPU | peak RSS | load average (start, end) |",
              "|---|---|---|---|---|---|---|"]
    for lr in longs:
        lines.append(f"| {lr['model']} | {lr['seconds'] / 60:.1f} min | {lr['wall']:.0f} s | {lr['rtf_wall']:.3f} | "
                     f"{lr['rtf_cpu']:.3f} | {lr['peak_rss_mb']:.0f} MB | {lr['load'][0]:.1f}, {lr['load'][1]:.1f} |")
    for lr in longs[:1]:
        lines += ["", f"Where the time of that run went, by stage ({lr['model']}; CPU/wall near 1 per busy thread means",
                  "the stage computes, well under it means it waited for a core):\n",
                  "| stage | wall | share of wall | CPU | CPU / wall |", "|---|---|---|---|---|"]
        for name, (w, c) in sorted(lr["stages"].items(), key=lambda kv: -kv[1][0]):
            lines.append(f"| {name} | {w:.1f} s | {100 * w / lr['wall']:.0f} % | {c:.1f} s | {c / max(w, 1e-9):.2f} |")
        rest = lr["wall"] - sum(w for w, _ in lr["stages"].values())
        lines.append(f"| the rest (decoding, chunking, models loading) | {rest:.1f} s | {100 * rest / lr['wall']:.0f} % | | |")
    head = ("| file | run | speakers heard / listed / known | DER | missed | false alarm | confusion | {}"
            "talk-share error per speaker (points) | worst |{}")
    for r in results:
        lines += ["", f"Per file, model {r['model']}:\n", head.format("overlap floor | ", " RTF wall |"),
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        lines += [_row(f) for f in r["files"]]
        lines += ["", "Two-person recordings spliced from the annotated AMI audio (`two_person_splices`: the stretches",
                  "where one of two speakers talks alone, in order, 0.2 s of quiet between; target DER ≤ 15 %, worst",
                  f"talk share ≤ 5 points, auto and told 2), model {r['model']}:\n", head.format("", ""),
                  "|---|---|---|---|---|---|---|---|---|"]
        lines += [_row(f, rtf=False) for f in r["splices"]]
    return "\n".join(lines) + "\n"


def main() -> str:
    models = os.environ.get("SPEECH_MODELS", "tiny.en").split(",")
    minutes = float(os.environ.get("SPEECH_LONG_MINUTES", "10"))
    results = [evaluate(m) for m in models]
    longs = [{"model": m, **long_run(m, minutes)} for m in models[:1]]
    return section(results, longs)


if __name__ == "__main__":
    print(json.dumps(evaluate(sys.argv[1] if len(sys.argv) > 1 else None), indent=1))
