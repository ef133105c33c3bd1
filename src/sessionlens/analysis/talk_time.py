"""Talk time, words, speech rate and turn statistics per speaker and per role.

For a recording, talk time is the length of the speech turns (``metadata.speech_turns``: voice
activity x speaker, untranscribed speech included), not of the utterances that hold the
recognised words; everything else (words, rate, turn statistics) comes from the utterances.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from ..domain import Role, Timing, Transcript
from .turns import Turn


@dataclass(frozen=True, slots=True)
class TalkStats:
    seconds: float
    share: float
    words: int
    words_share: float
    utterances: int
    turns: int
    words_per_minute: float | None
    mean_turn_seconds: float | None
    median_turn_seconds: float | None
    longest_turn_seconds: float | None
    longest_turn_utterance_ids: tuple[str, ...]
    mean_turn_words: float | None


def _stats(
    seconds: float, words: int, utterances: int, turns: list[Turn], total_s: float, total_w: int,
    rate: tuple[int, float] | None,
) -> TalkStats:
    """``rate`` is (words, seconds) of the utterances whose times can give a speech rate, or None."""
    durations = [d for d in (t.duration for t in turns) if d is not None]
    longest = max(turns, key=lambda t: t.duration or 0.0, default=None)
    return TalkStats(
        seconds=round(seconds, 3),
        share=round(seconds / total_s, 4) if total_s > 0 else 0.0,
        words=words,
        words_share=round(words / total_w, 4) if total_w else 0.0,
        utterances=utterances,
        turns=len(turns),
        words_per_minute=round(rate[0] / (rate[1] / 60.0), 1) if rate and rate[1] > 0 else None,
        mean_turn_seconds=round(statistics.fmean(durations), 3) if durations else None,
        median_turn_seconds=round(statistics.median(durations), 3) if durations else None,
        longest_turn_seconds=round(longest.duration, 3) if longest and longest.duration is not None else None,
        longest_turn_utterance_ids=longest.utterance_ids if longest else (),
        mean_turn_words=round(sum(t.words for t in turns) / len(turns), 1) if turns else None,
    )


def _group(t: Transcript, turns: Iterable[Turn], key: str) -> dict[str, TalkStats]:
    seconds: dict[str, float] = {}
    words: dict[str, int] = {}
    count: dict[str, int] = {}
    timed: dict[str, tuple[int, float]] = {}  # words and seconds of the utterances whose times fit
    by_turns: dict[str, list[Turn]] = {}
    for u in t.utterances:
        k = u.speaker if key == "speaker" else u.role.value
        seconds[k] = seconds.get(k, 0.0) + max(u.duration or 0.0, 0.0)
        words[k] = words.get(k, 0) + u.word_count
        count[k] = count.get(k, 0) + 1
        if u.timing != Timing.INCONSISTENT:  # its duration is the assumed rate: it would only echo it
            w, s = timed.get(k, (0, 0.0))
            timed[k] = (w + u.word_count, s + max(u.duration or 0.0, 0.0))
    for turn in turns:
        k = turn.speaker if key == "speaker" else turn.role.value
        by_turns.setdefault(k, []).append(turn)
    voiced = voiced_seconds(t, key)
    if voiced is not None:
        seconds = voiced
    total_s = sum(seconds.values())
    total_w = sum(words.values())
    # A speech rate computed from estimated times would only echo the assumed rate.
    rate_ok = t.timing not in (Timing.ESTIMATED, Timing.INCONSISTENT)
    return {
        k: _stats(seconds[k], words.get(k, 0), count.get(k, 0), by_turns.get(k, []), total_s, total_w,
                  timed.get(k) if rate_ok else None)
        for k in seconds
    }


def voiced_seconds(t: Transcript, key: str = "speaker") -> dict[str, float] | None:
    """Seconds of speech per speaker (or role) from a recording's speech turns; None without them."""
    turns = t.metadata.get("speech_turns") if isinstance(t.metadata, dict) else None
    if not isinstance(turns, list):
        return None
    roles = {s.id: s.role.value for s in t.speakers}
    out: dict[str, float] = {}
    for turn in turns:
        who = str(turn.get("speaker"))
        k = who if key == "speaker" else roles.get(who, Role.OTHER.value)
        out[k] = out.get(k, 0.0) + max(0.0, float(turn.get("end", 0.0)) - float(turn.get("start", 0.0)))
    return out


def talk_by_speaker(t: Transcript, turns: Iterable[Turn]) -> dict[str, TalkStats]:
    return _group(t, turns, "speaker")


def talk_by_role(t: Transcript, turns: Iterable[Turn]) -> dict[str, TalkStats]:
    stats = _group(t, turns, "role")
    return {r.value: stats[r.value] for r in Role if r.value in stats}
