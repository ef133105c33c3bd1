"""How the model tier joins the rules: which utterances get a model flag (a pure function over scores).

The rules run first and explain (words, rule id, negation). The model adds a flag only where no rule fired, only
on what the client (not the therapist) says, and only when it is sure on its own (``strict``) or fairly sure
beside an utterance a rule flagged (``threshold`` within ``reach`` utterances): risk talk comes in runs, while a
lone middling score on ordinary talk is the typical false alarm on conversation. The therapist's risk language
is mostly questions, which the rules catch and mark as asked; on held-out even-numbered AnnoMI transcripts a
third of the model's flags were therapist turns (see BENCHMARKS.md, "Risk language").
"""

from __future__ import annotations

from collections.abc import Sequence

NEIGHBOUR_REACH = 2  # utterances either side in which a rule flag lets the recall threshold apply


def model_flags(
    scores: Sequence[float | None],
    ruled: Sequence[bool],
    therapist: Sequence[bool],
    threshold: float,
    strict: float,
    reach: int = NEIGHBOUR_REACH,
) -> list[int]:
    """Indices of utterances the model flags. ``scores[i]`` is None where the utterance was not scored
    (empty text); ``ruled[i]`` says a rule already flagged it; ``therapist[i]`` that the therapist said it."""
    if not len(scores) == len(ruled) == len(therapist):
        raise ValueError("model_flags: one score, one rule verdict and one role per utterance")
    out = []
    for i, (s, r, th) in enumerate(zip(scores, ruled, therapist, strict=True)):
        if r or th or s is None or s < threshold:
            continue
        near = any(ruled[max(0, i - reach) : i + reach + 1])
        if s >= strict or near:
            out.append(i)
    return out
