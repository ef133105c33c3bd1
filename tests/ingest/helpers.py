"""Shared helpers for the ingest tests: fixture paths, parsing shortcuts, Transcript strategies."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from sessionlens.domain import Role, Speaker, Timing, Transcript, Utterance, Word
from sessionlens.ingest.formats import parse_transcript

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "transcripts"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def parse(data: str | bytes, fmt: str | None = None, name: str = "t.txt", **kw) -> Transcript:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return parse_transcript(raw, source=name, fmt=fmt, **kw)


def rows(t: Transcript) -> list[tuple]:
    """(speaker, start, end, text) per utterance: the compact shape most assertions use."""
    return [(u.speaker, u.start, u.end, u.text) for u in t.utterances]


def slips(t: Transcript) -> list[tuple[str, str]]:
    """(where, problem) per utterance marked ``Timing.INCONSISTENT``, in source order."""
    return [(s["where"], s["problem"]) for s in t.metadata.get("timing_slips", [])]


def timings(t: Transcript) -> list[str]:
    return [u.timing.value for u in t.utterances]


# Labels every text-ish format can carry; texts free of layout characters (":" after a label
# word, "-->", tags) that would make a text format ambiguous by construction.
LABELS = st.sampled_from(["Therapist", "Client", "Speaker 2", "Dr. Lee", "SPEAKER_01", "T", "Mother"])
WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éü'&,.?!-",
               min_size=1, max_size=10)
TEXT = st.lists(WORD, min_size=1, max_size=12).map(" ".join)
MS = st.integers(min_value=0, max_value=10_000_000).map(lambda ms: ms / 1000)


@st.composite
def transcripts(draw, *, with_words: bool = False) -> Transcript:
    """Valid source-timed transcripts as the builder would produce them: ms times, ordered starts,
    no two utterances with the same times, no gap near an hour (those are timing slips)."""
    n = draw(st.integers(1, 12))
    steps = draw(st.lists(st.integers(0, 600_000), min_size=n, max_size=n))
    starts = [sum(steps[: k + 1]) / 1000 for k in range(n)]
    utts = []
    previous: tuple[float, float] | None = None
    for i, start in enumerate(starts, start=1):
        dur = draw(st.integers(0, 60_000)) / 1000
        end = round(start + dur, 3)
        if (start, end) == previous:
            end = round(end + 0.001, 3)
        previous = (start, end)
        text = draw(TEXT)
        words: tuple[Word, ...] = ()
        if with_words and draw(st.booleans()):
            words = tuple(
                Word(w, draw(st.none() | MS), draw(st.none() | MS), draw(st.none() | st.floats(0, 1)))
                for w in text.split()
            )
        utts.append(Utterance(f"u{i}", draw(LABELS), Role.OTHER, start, end, text, words, None,
                              Timing.SOURCE, None))
    speakers = tuple(Speaker(s, s, Role.OTHER) for s in dict.fromkeys(u.speaker for u in utts))
    return Transcript(tuple(utts), speakers, "test", Timing.SOURCE)


@st.composite
def rich_transcripts(draw) -> Transcript:
    """Anything the domain allows — for the lossless sessionlens_json round trip."""
    n = draw(st.integers(1, 8))
    ids = draw(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=4, unique=True))
    speakers = tuple(
        Speaker(i, draw(st.text(max_size=12)), draw(st.sampled_from(list(Role))),
                draw(st.none() | st.floats(0, 1)), draw(st.text(max_size=20)))
        for i in ids
    )
    utts = []
    for _ in range(n):
        start = draw(st.none() | MS)
        end = None if start is None else draw(st.none() | MS.map(lambda d, s=start: round(s + d, 3)))
        words = tuple(
            Word(draw(st.text(min_size=1, max_size=8)), draw(st.none() | MS), draw(st.none() | MS),
                 draw(st.none() | st.floats(0, 1)))
            for _ in range(draw(st.integers(0, 3)))
        )
        utts.append(Utterance(draw(st.text(min_size=1, max_size=6)), draw(st.sampled_from(ids)),
                              draw(st.sampled_from(list(Role))), start, end, draw(st.text(max_size=40)), words,
                              draw(st.none() | st.floats(0, 1)), draw(st.sampled_from(list(Timing))),
                              draw(st.none() | st.integers(1, 10**6))))
    return Transcript(tuple(utts), speakers, draw(st.sampled_from(["text", "vtt", "sessionlens"])),
                      draw(st.sampled_from(list(Timing))), draw(st.none() | st.sampled_from(["en", "de"])),
                      {"k": draw(st.integers())})
