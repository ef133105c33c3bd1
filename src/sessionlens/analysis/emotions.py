"""Emotions per utterance and the session's emotional arc per role.

Per utterance: the 28 GoEmotions probabilities from the packaged classifier. Per role: the session cut
into equal parts (by time where there are times, else by utterance order), each with its most present
emotion and an intensity. Intensity of an utterance is its strongest *affect* label relative to that
label's decision threshold (0.5 = at the threshold, 1.0 = twice it or more); "approval", "realization",
"curiosity" and "confusion" are left out of intensity and of the arc because in conversation they mostly
mark agreement and thinking ("yeah", "huh"), not feeling. The model was trained on Reddit comments, not
therapy talk: numbers are indications, and the confidence says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..domain import Evidence, Finding, Transcript, Utterance
from ..payloads.analysis_emotions import EmotionsMetrics, RoleArc, UtteranceEmotions
from ..payloads.findings import EmotionArcData, EmotionPeakData, EmotionSegment
from .emotion_model import EKMAN, LABELS, EmotionModel
from .textcues import looks_english, quote

SOURCE = "goemotions-tfidf-linear-v1"
SEGMENTS = 5
PEAKS = 3
MIN_WORDS = 3  # shorter utterances carry too little text for the model; they get no weight in the arc
NOT_AFFECT = frozenset({"neutral", "approval", "realization", "curiosity", "confusion"})
AFFECT = tuple(lab for lab in LABELS if lab not in NOT_AFFECT)
EKMAN_OF = {
    lab: grp
    for grp, labs in {
        "anger": ("anger", "annoyance", "disapproval"),
        "disgust": ("disgust",),
        "fear": ("fear", "nervousness"),
        "joy": (
            "joy",
            "amusement",
            "approval",
            "excitement",
            "gratitude",
            "love",
            "optimism",
            "relief",
            "pride",
            "admiration",
            "desire",
            "caring",
        ),
        "sadness": ("sadness", "disappointment", "embarrassment", "grief", "remorse"),
        "surprise": ("surprise", "realization", "confusion", "curiosity"),
        "neutral": ("neutral",),
    }.items()
    for lab in labs
}


@dataclass(frozen=True)
class UtteranceEmotion:
    utterance: Utterance
    probs: dict[str, float]  # 28 GoEmotions labels
    ekman: dict[str, float]
    labels: tuple[str, ...]  # labels at or above their tuned threshold
    strength: dict[str, float]  # affect label -> P / threshold
    intensity: float  # strongest affect label: min(1, P / (2 × threshold))
    weight: float  # words (0 when too short or not English-looking)


def score(t: Transcript, model: EmotionModel) -> list[UtteranceEmotion]:
    texts = [u.text for u in t.utterances]
    p28, p7 = model.predict(texts)
    decided = model.goemotions.decide(p28) if len(texts) else np.zeros((0, len(LABELS)), bool)
    out = []
    th = dict(zip(LABELS, model.goemotions.thresholds))
    for k, u in enumerate(t.utterances):
        n = len(u.text.split())
        usable = n >= MIN_WORDS and looks_english(u.text)
        probs = {lab: round(float(p28[k, j]), 4) for j, lab in enumerate(LABELS)}
        strength = {lab: round(probs[lab] / float(th[lab]), 3) for lab in AFFECT}
        out.append(
            UtteranceEmotion(
                u,
                probs,
                {lab: round(float(p7[k, j]), 4) for j, lab in enumerate(EKMAN)},
                tuple(LABELS[j] for j in np.flatnonzero(decided[k])),
                strength,
                round(min(1.0, max(strength.values()) / 2), 3),
                float(n) if usable else 0.0,
            )
        )
    return out


def utterance_fields(scored: Sequence[UtteranceEmotion]) -> dict[str, UtteranceEmotions]:
    return {e.utterance.id: {"emotions": e.probs, "emotion_labels": list(e.labels)} for e in scored}


def _segment_of(u: Utterance, k: int, n: int, t0: float | None, t1: float | None) -> int:
    if t0 is not None and t1 is not None and t1 > t0 and u.start is not None:
        return min(SEGMENTS - 1, int(SEGMENTS * (u.start - t0) / (t1 - t0)))
    return min(SEGMENTS - 1, int(SEGMENTS * k / max(n, 1)))


def role_arc(
    scored: Sequence[UtteranceEmotion], role: str, t0: float | None, t1: float | None
) -> RoleArc:
    """Segments of one role's speech: dominant non-neutral Ekman group, intensity, and the peak utterance."""
    n = len(scored)
    buckets: list[list[UtteranceEmotion]] = [[] for _ in range(SEGMENTS)]
    for k, e in enumerate(scored):
        if e.utterance.role.value == role:
            buckets[_segment_of(e.utterance, k, n, t0, t1)].append(e)
    segments = [_segment(b) for b in buckets]
    mine = [e for b in buckets for e in b if e.weight > 0]
    peaks = sorted(mine, key=lambda e: -max(e.strength.values()))[:PEAKS]  # uncapped, so ties are rare
    return {
        "segments": segments,
        "mean_intensity": _weighted([e.intensity for e in mine], [e.weight for e in mine]),
        "top_emotions": _top_labels(mine),
        "peaks": [
            {
                "utterance_id": e.utterance.id,
                "start": e.utterance.start,
                "intensity": e.intensity,
                "emotion": _dominant(e.strength),
                "labels": list(e.labels),
            }
            for e in peaks
        ],
        "utterances_scored": len(mine),
    }


def _segment(bucket: list[UtteranceEmotion]) -> EmotionSegment:
    usable = [e for e in bucket if e.weight > 0]
    if not usable:
        return {
            "utterances": len(bucket),
            "dominant": None,
            "intensity": None,
            "peak_utterance": None,
            "ekman": {},
        }
    w = [e.weight for e in usable]
    mean = {lab: _weighted([e.strength[lab] for e in usable], w) or 0.0 for lab in AFFECT}
    top = sorted(mean, key=lambda k: -mean[k])[:3]
    peak = max(usable, key=lambda e: max(e.strength.values()))
    return {
        "utterances": len(bucket),
        "dominant": top[0],
        "ekman_group": EKMAN_OF[top[0]],
        "intensity": _weighted([e.intensity for e in usable], w),
        "peak_utterance": peak.utterance.id,
        "top": {lab: mean[lab] for lab in top},
    }


def _weighted(values: Sequence[float], weights: Sequence[float]) -> float | None:
    total = sum(weights)
    return round(sum(v * w for v, w in zip(values, weights)) / total, 3) if total else None


def _dominant(strength: dict[str, float]) -> str:
    return max(strength, key=lambda k: strength[k])


def _top_labels(scored: Sequence[UtteranceEmotion], k: int = 5) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in scored:
        for lab in e.labels:
            if lab in AFFECT:
                counts[lab] = counts.get(lab, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1])[:k])


def session_emotions(t: Transcript, scored: Sequence[UtteranceEmotion]) -> EmotionsMetrics:
    starts = [u.start for u in t.utterances if u.start is not None]
    t0, t1 = (min(starts), t.duration) if starts else (None, None)
    roles = sorted({u.role.value for u in t.utterances})
    usable = sum(e.weight > 0 for e in scored)
    return {
        "roles": {r: role_arc(scored, r, t0, t1) for r in roles},
        "segments": SEGMENTS,
        "utterances": len(scored),
        "utterances_scored": usable,
        "low_confidence": usable < max(3, 0.3 * len(scored)),
        "intensity_scale": "0.5 = strongest affect label at its decision threshold; 1.0 = twice the threshold or more",
        "note": "GoEmotions classifier trained on Reddit comments; sarcasm and context are missed. Indications only.",
    }


def arc_findings(metrics: EmotionsMetrics, t: Transcript) -> list[Finding]:
    by_id = {u.id: u for u in t.utterances}
    out = []
    for role, arc in metrics["roles"].items():
        segs = [s for s in arc["segments"] if s["dominant"]]
        if not segs:
            continue
        ev = tuple(
            Evidence(
                (s["peak_utterance"],),
                by_id[s["peak_utterance"]].start,
                by_id[s["peak_utterance"]].end,
                f"peak of part {k + 1}: {s['dominant']}, intensity {s['intensity']:.2f}",
            )
            for k, s in enumerate(arc["segments"])
            if s["dominant"] and s["peak_utterance"]  # a part with a dominant emotion has its peak
        )
        path = " → ".join(
            f"{s['dominant']} ({s['intensity']:.2f})" for s in segs
        )  # label (intensity) per part
        conf = 0.3 if metrics["low_confidence"] else 0.55
        out.append(
            Finding(
                "emotion_arc",
                role,
                conf,
                ev,
                SOURCE,
                f"most present emotion and intensity in each fifth of the session: {path}.",
                EmotionArcData(segments=arc["segments"], mean_intensity=arc["mean_intensity"]),
            )
        )
        for p in arc["peaks"]:
            u = by_id[p["utterance_id"]]
            out.append(
                Finding(
                    "emotion_peak",
                    p["emotion"],
                    round(min(0.9, p["intensity"]), 2),
                    (Evidence((u.id,), u.start, u.end, f'"{quote(u.text, 80)}"'),),
                    SOURCE,
                    f"{role} utterance with high emotion intensity {p['intensity']:.2f}; labels: "
                    + (", ".join(p["labels"]) or "none above threshold")
                    + ".",
                    EmotionPeakData(role=role, intensity=p["intensity"], labels=p["labels"]),
                )
            )
    return out
