"""Guards against Whisper's known failures: invented text in silence or music, and loops.

Only speech regions are decoded in the first place (VAD); these checks then drop what the
decoder itself flags as unreliable. Every drop is counted so the transcript can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import AsrSegment

NO_SPEECH_PROB = 0.6  # with a low log-probability: Whisper's own "this was not speech"
LOW_LOGPROB = -1.0
MAX_COMPRESSION = 2.4  # gzip ratio of the text; loops compress very well
MAX_REPEATS = 4  # an n-gram repeated back to back more than this is a loop, not speech

# Phrases Whisper produces from silence, noise and music (subtitle credits, sign-offs).
_STOCK = re.compile(
    r"^(thank you( (so|very) much)?( for watching| for listening)?|thanks for watching|please subscribe.*|"
    r"subtitles? by.*|captions? by.*|transcribed by.*|you|bye|\W*)$", re.I)


@dataclass
class GuardReport:
    dropped_no_speech: int = 0
    dropped_loops: int = 0
    dropped_stock: int = 0
    trimmed_repeats: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {"dropped_no_speech": self.dropped_no_speech, "dropped_loops": self.dropped_loops,
                "dropped_stock_phrases": self.dropped_stock, "trimmed_repeated_words": self.trimmed_repeats}


def _norm(text: str) -> str:
    return re.sub(r"[^\w' ]", "", text.lower()).strip()


def keep_segment(s: AsrSegment, report: GuardReport) -> AsrSegment | None:
    """The segment, trimmed of loops, or None when it should not be trusted."""
    if not s.words:
        return None
    if s.no_speech_prob > NO_SPEECH_PROB and s.avg_logprob < LOW_LOGPROB:
        report.dropped_no_speech += 1
        return None
    if s.compression_ratio > MAX_COMPRESSION:
        report.dropped_loops += 1
        return None
    if _STOCK.match(_norm(s.text)) and (s.no_speech_prob > 0.3 or s.avg_logprob < -0.6):
        report.dropped_stock += 1
        return None
    words = trim_repeats(s.words, report)
    return s if words is s.words else replace(s, words=words, text=" ".join(w.text for w in words))


def trim_repeats(words, report: GuardReport):
    """Cut any n-gram (n = 1..6) that repeats back to back more than MAX_REPEATS times."""
    keys = [_norm(w.text) for w in words]
    out_idx: list[int] = []
    i = 0
    while i < len(keys):
        cut = _loop_at(keys, i)
        if cut:
            n, reps = cut
            out_idx.extend(range(i, i + n * MAX_REPEATS))
            report.trimmed_repeats += n * (reps - MAX_REPEATS)
            i += n * reps
        else:
            out_idx.append(i)
            i += 1
    if len(out_idx) == len(words):
        return words
    return tuple(words[j] for j in out_idx)


def _loop_at(keys: list[str], i: int) -> tuple[int, int] | None:
    for n in range(1, 7):
        gram = keys[i:i + n]
        if len(gram) < n or not any(gram):
            return None
        reps = 1
        while keys[i + reps * n:i + (reps + 1) * n] == gram:
            reps += 1
        if reps > MAX_REPEATS:
            return n, reps
    return None


__all__ = ["GuardReport", "keep_segment", "trim_repeats"]
