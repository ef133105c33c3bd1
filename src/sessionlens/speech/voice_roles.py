"""The enrolled clinician's voice: which diarized speaker is the therapist.

``enrollment_voiceprint`` turns a recording of the clinician alone into a 256-value voiceprint;
``match_voiceprint`` runs before the linguistic role guess (speech/roles.py): a speaker whose voice
matches is named "Therapist", which the role assignment then takes as a source label.
A voiceprint is biometric data: it is only ever stored sealed in the vault (never written here).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..domain import Role, Speaker
from ..errors import InputError
from ..ingest.audio import SAMPLE_RATE, Source
from ..payloads.speech_audio import VoiceprintMatch

MATCH = 0.75  # cosine similarity of a speaker's centroid to the voiceprint that counts as the same voice
MIN_ENROLL_SPEECH = 8.0  # seconds of speech needed for a stable voiceprint
ONE_VOICE = 0.7  # windows this far from the mean suggest a second voice in the enrollment recording
SECOND_VOICE = 0.25  # a second voice (as the diarizer counts voices) holding this share of the windows refuses


def enrollment_voiceprint(src: Source) -> np.ndarray:
    """A unit-length voiceprint from a recording of one voice (the clinician reading or talking)."""
    from ..ingest.audio import iter_blocks
    from .chunking import iter_chunks
    from .diarize import cluster, window_spans
    from .embeddings import voice_encoder
    from .vad import SileroVad, speech_regions

    embs, speech = [], 0.0
    for chunk in iter_chunks(iter_blocks(src), SileroVad()):
        regions = speech_regions(chunk.probs, limit=chunk.duration)
        speech += sum(e - s for s, e in regions)
        spans = [(int(s * SAMPLE_RATE), int(e * SAMPLE_RATE)) for s, e in window_spans(regions)]
        embs.append(voice_encoder().embed_segments(chunk.mono, spans))
    vectors = np.concatenate(embs) if embs else np.zeros((0, 256))
    if speech < MIN_ENROLL_SPEECH or len(vectors) < 3:
        raise InputError(f"needs at least {MIN_ENROLL_SPEECH:.0f} s of speech to enroll a voice "
                         f"(found {speech:.1f} s)")
    mean = vectors.mean(axis=0)
    mean /= np.linalg.norm(mean)
    voices = np.sort(np.bincount(cluster(vectors).labels))[::-1]  # similar voices pass the median test
    if np.median(vectors @ mean) < ONE_VOICE or (len(voices) > 1 and voices[1] >= SECOND_VOICE * len(vectors)):
        raise InputError("the recording seems to hold more than one voice; enroll with the clinician alone")
    return mean.astype(np.float32)


def match_voiceprint(speakers: list[Speaker], centroids: np.ndarray, voiceprint: np.ndarray,
                     threshold: float = MATCH) -> tuple[list[Speaker], VoiceprintMatch]:
    """Name the best-matching speaker "Therapist" when the match is close enough."""
    vp = voiceprint / max(float(np.linalg.norm(voiceprint)), 1e-9)
    sims = centroids @ vp
    best = int(np.argmax(sims))
    info: VoiceprintMatch = {"similarities": {s.id: round(float(v), 3) for s, v in zip(speakers, sims)},
                            "threshold": threshold, "matched": None}
    if sims[best] < threshold:
        return speakers, info
    out = list(speakers)
    out[best] = replace(out[best], name="Therapist", role=Role.THERAPIST, role_confidence=round(float(sims[best]), 3),
                        role_reason=f"voice matches the enrolled voiceprint (similarity {sims[best]:.2f})")
    info["matched"] = out[best].id
    return out, info


__all__ = ["MATCH", "enrollment_voiceprint", "match_voiceprint"]
