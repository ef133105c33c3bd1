"""Leave-one-recording-out study of the speech-turn parameters (issue 14): short-window length, switch cost,
word pin, VBx-style centroid re-estimation, and the share under which a cluster folds.

    nice .venv/bin/python -m benchmarks.speech_turns_study

Recordings: the 12 shared ones (auto and told the reference count) and the two-person splices of them
(`bench_speech.two_person_splices`, auto and told 2). Whisper runs once per recording (cached in memory); the
per-chunk stage runs once per window length; the clustering and turns are re-run for every setting. For each
held-out group (a recording with the splices made from it) the setting with the lowest mean DER on the other
groups is chosen and scored on the held-out one. Two stages (a full product would take hours here): window,
switch, pin and re-estimation with clusters folding under 4 % of the windows (the setting before); then the
fold share, at the setting stage one chose most often. Prints the held-out means of each stage.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import sys

import numpy as np

from benchmarks import bench_speech as bs

WINDOWS = (0.5, 0.75, 1.0, 1.5)
SWITCHES = (0.6, 1.2, 2.4)
PINS = (0.0, 0.25, 0.5)
ITERATIONS = (0, 1, 2)  # VBx-style: centroids re-estimated from forward-backward posteriors of the short windows
FOLD_SHARES = (0.04, 0.07, 0.10, 0.13)


class _CachedAsr:
    def __init__(self, inner) -> None:  # type: ignore[no-untyped-def]
        self.inner, self.name, self.model_name, self.language = inner, inner.name, inner.model_name, inner.language
        self.memo: dict[str, list] = {}

    def transcribe(self, audio: np.ndarray) -> list:
        key = hashlib.sha1(np.ascontiguousarray(audio).tobytes()).hexdigest()
        if key not in self.memo:
            self.memo[key] = self.inner.transcribe(audio)
        return self.memo[key]


def _collected(pl, src, asr, detector):  # type: ignore[no-untyped-def]
    """The pipeline's per-chunk state for one recording (what clustering and turns start from)."""
    got = {}
    assemble = pl._assemble
    pl._assemble = lambda acc, options, a: got.setdefault("acc", acc) and assemble(acc, options, a)
    try:
        pl.transcribe(src, pl.SpeechOptions(detector=detector), asr=asr)
    finally:
        pl._assemble = assemble
    return got["acc"]


def _posteriors(loglik: np.ndarray, cost: float) -> np.ndarray:
    """Forward-backward over windows for a k-state HMM with a fixed log-cost of changing speaker."""
    n, k = loglik.shape
    stay = -np.log1p((k - 1) * np.exp(-cost))
    trans = np.full((k, k), stay - cost)
    np.fill_diagonal(trans, stay)

    def step(prev: np.ndarray) -> np.ndarray:
        m = prev.max()
        return m + np.log(np.exp(prev - m) @ np.exp(trans))
    alpha, beta = np.empty((n, k)), np.zeros((n, k))
    alpha[0] = loglik[0]
    for i in range(1, n):
        alpha[i] = step(alpha[i - 1]) + loglik[i]
    for i in range(n - 2, -1, -1):
        beta[i] = step(beta[i + 1] + loglik[i + 1])
    post = np.exp((alpha + beta) - (alpha + beta).max(axis=1, keepdims=True))
    return post / post.sum(axis=1, keepdims=True)


def _reestimated(iterations: int, base):  # type: ignore[no-untyped-def]
    """``base`` (the pipeline's ``_resegmentation_windows``) with the centroids re-estimated ``iterations`` times
    first (-1: the clustering's windows instead of the short ones)."""

    def windows(acc, win, cents):  # type: ignore[no-untyped-def]
        if iterations < 0:  # the setting before: the clustering's 1.5 s windows placed words and frames
            return np.array(acc.win_spans, float).reshape(-1, 2), win @ cents.T
        spans, sims = base(acc, win, cents)
        if not iterations or not acc.short_embs or len(cents) < 2:
            return spans, sims
        embs = np.concatenate(acc.short_embs).astype(np.float64)
        c = np.asarray(cents, float)
        for _ in range(iterations):
            post = _posteriors(10.0 * embs @ c.T, 3.0)
            c = post.T @ embs
            c /= np.linalg.norm(c, axis=1, keepdims=True)
        return spans, embs @ c.T
    return windows


def main() -> int:
    from sessionlens.speech import diarize, turns
    from sessionlens.speech import pipeline as pl
    from sessionlens.speech.asr import create_backend
    from training.train_speech_detector import held_out_detectors

    data = bs.shared_audio()
    asr, held = _CachedAsr(create_backend()), held_out_detectors(data)
    items = [(n, w, r, u, w, len({s for *_, s in r})) for n, w, r, u in bs._cases(data)]
    items += [(f"splice {n}", blob, r, u, src, 2) for n, blob, r, u, src in bs.two_person_splices(data)]
    base = (pl.SHORT_WINDOW, turns.SWITCH, turns.WORD_PIN, diarize.MIN_SHARE, pl._resegmentation_windows)
    accs: dict[float, list] = {}

    def run(window: float, sw: float, pin: float, it: int, share: float) -> dict[str, float]:
        if window not in accs:
            pl.SHORT_WINDOW = window  # the pipeline's own binding is what the per-chunk stage reads
            accs[window] = [(n, _collected(pl, src, asr, held[det]), r, u, k) for n, src, r, u, det, k in items]
        turns.SWITCH, turns.WORD_PIN, diarize.MIN_SHARE = sw, pin, share
        pl._resegmentation_windows = _reestimated(it, base[4])
        row = {}
        for n, acc, ref, uem, known in accs[window]:
            for told in (None, known):
                tr = pl._assemble(copy.deepcopy(acc), pl.SpeechOptions(speakers=told), asr)
                row[f"{n}|{told}"] = bs.score(ref, tr, uem)["der"]
        print(f"window {window} switch {sw} pin {pin} iterations {it} fold {share}: "
              f"mean DER {100 * np.mean(list(row.values())):.2f} %", flush=True)
        return row

    try:
        before = run(0.5, 1.2, 0.5, -1, 0.04)  # the setting before
        stage1 = {c + (0.04,): run(*c, 0.04) for c in itertools.product(WINDOWS, SWITCHES, PINS, ITERATIONS)}
        chosen = _report(stage1, before)
        stage2 = {chosen[:4] + (share,): run(*chosen[:4], share) for share in FOLD_SHARES}
        _report(stage2, before)
    finally:
        pl.SHORT_WINDOW, turns.SWITCH, turns.WORD_PIN, diarize.MIN_SHARE, pl._resegmentation_windows = base
    return 0


def _group(run: str) -> str:
    """Runs of one recording and of the splices made from it are held out together."""
    name = run.split("|")[0].removeprefix("splice ")
    return name.split(":")[0].split("/")[-1].removesuffix(".wav")


def _means(src: dict[str, float]) -> str:
    runs = list(src)
    real = [r for r in runs if not r.startswith("splice")]
    auto = [src[r] for r in real if r.endswith("|None")]
    told = [src[r] for r in real if not r.endswith("|None")]
    two = [src[r] for r in runs if r.startswith("splice") or "phone" in r or "trn03" in r]
    return f"recordings auto {100 * np.mean(auto):.1f} % told {100 * np.mean(told):.1f} % | two-person {100 * np.mean(two):.1f} %"


def _report(results: dict[tuple, dict[str, float]], before: dict[str, float]) -> tuple:
    """Print the held-out means; return the setting chosen for the most held-out groups."""
    runs = list(before)
    held: dict[str, float] = {}
    chosen: list[tuple] = []
    for g in sorted({_group(r) for r in runs}):
        train = [r for r in runs if _group(r) != g]
        best = min(results, key=lambda c: float(np.mean([results[c][r] for r in train])))
        chosen.append(best)
        print(f"held out {g}: chose (window, switch, pin, iterations, fold) {best}")
        held.update({r: results[best][r] for r in runs if _group(r) == g})
    print("before:  ", _means(before))
    print("held out:", _means(held))
    return max(set(chosen), key=chosen.count)


if __name__ == "__main__":
    sys.exit(main())
