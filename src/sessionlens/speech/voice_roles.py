"""The enrolled clinician's voice: which diarized speaker is the therapist.

Runs before the linguistic role guess (speech/roles.py): a speaker whose voice matches the
enrolled voiceprint is named "Therapist", which the role assignment then takes as a source label.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from ..domain import Role, Speaker

MATCH = 0.75  # cosine similarity of a speaker's centroid to the voiceprint that counts as the same voice


def match_voiceprint(speakers: list[Speaker], centroids: np.ndarray, voiceprint: np.ndarray,
                     threshold: float = MATCH) -> tuple[list[Speaker], dict[str, Any]]:
    """Name the best-matching speaker "Therapist" when the match is close enough."""
    vp = voiceprint / max(float(np.linalg.norm(voiceprint)), 1e-9)
    sims = centroids @ vp
    best = int(np.argmax(sims))
    info: dict[str, Any] = {"similarities": {s.id: round(float(v), 3) for s, v in zip(speakers, sims)},
                            "threshold": threshold, "matched": None}
    if sims[best] < threshold:
        return speakers, info
    out = list(speakers)
    out[best] = replace(out[best], name="Therapist", role=Role.THERAPIST, role_confidence=round(float(sims[best]), 3),
                        role_reason=f"voice matches the enrolled voiceprint (similarity {sims[best]:.2f})")
    info["matched"] = out[best].id
    return out, info


__all__ = ["MATCH", "match_voiceprint"]
