"""De-identify a whole transcript: speakers become their roles, every utterance's identifiers
become consistent placeholders, and the result is written back in the transcript's own format."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..domain import Role, Speaker, Transcript
from ..errors import TranscriptError
from .replace import Replacer
from .spans import find_spans, find_spans_many

NOTICE = ("No automatic de-identification is complete. Names, places, dates and other details can remain, "
          "and context alone can identify a person. Read every line before sharing.")


@dataclass
class Result:
    text: str
    replaced: Counter[str] = field(default_factory=Counter)


def speaker_labels(speakers: Iterable[Speaker]) -> dict[str, str]:
    """Speaker id -> a role label: Therapist, Client (numbered when several), Speaker N when unknown."""
    speakers = list(speakers)
    by_role: dict[Role, list[Speaker]] = {}
    for s in speakers:
        by_role.setdefault(s.role, []).append(s)
    names = {Role.THERAPIST: "Therapist", Role.CLIENT: "Client", Role.OTHER: "Speaker"}
    labels = {}
    for role, group in by_role.items():
        for n, s in enumerate(group, 1):
            many = len(group) > 1 or role is Role.OTHER
            labels[s.id] = f"{names.get(role, 'Speaker')} {n}" if many else names.get(role, "Speaker")
    return labels


def with_roles(t: Transcript) -> Transcript:
    """Roles guessed as the analysis does, so speakers can be labelled by role; unknown if it cannot."""
    if all(s.role is not Role.OTHER for s in t.speakers):
        return t
    from ..speech.roles import assign_roles

    try:
        return assign_roles(t)[0]
    except TranscriptError:
        return t


def replacer_for(speakers: Iterable[Speaker], extra_names: Iterable[str] = ()) -> Replacer:
    labels = speaker_labels(speakers)
    fixed = {}
    for s in speakers:
        for name in {s.id, s.name}:
            if name and name.lower() not in {"therapist", "client", "counselor", "counsellor"}:
                fixed[name] = labels[s.id]
    for name in extra_names:
        fixed.setdefault(name, "Client")
    return Replacer(fixed)


def deidentify_text(text: str, replacer: Replacer, known_names: Iterable[str] = ()) -> str:
    return replacer.apply(text, find_spans(text, known_names))


def deidentify_transcript(t: Transcript, extra_names: Iterable[str] = (),
                          replacer: Replacer | None = None) -> tuple[Transcript, Replacer]:
    """A copy with role labels for speakers, placeholders in the text and no word-level tokens."""
    t = with_roles(t)
    extra_names = [n for n in extra_names if n.strip()]
    rep = replacer or replacer_for(t.speakers, extra_names)
    known = [*(n for s in t.speakers for n in (s.id, s.name)), *extra_names]
    labels = speaker_labels(t.speakers)
    spans = find_spans_many([u.text for u in t.utterances], known)
    utts = tuple(replace(u, speaker=labels[u.speaker], text=rep.apply(u.text, s), words=())
                 for u, s in zip(t.utterances, spans, strict=True))
    speakers = tuple(replace(s, id=labels[s.id], name=labels[s.id]) for s in t.speakers)
    return replace(t, utterances=utts, speakers=speakers, metadata={}), rep


def deidentify_bytes(data: bytes, *, source: str, fmt: str | None = None) -> tuple[bytes, str, Counter[str]]:
    """Parse any transcript, de-identify it, write it in its own format: (bytes, format, counts)."""
    from ..ingest import parse_transcript, render_transcript

    t = parse_transcript(data, source=source, fmt=fmt)
    clean, rep = deidentify_transcript(t)
    return render_transcript(clean, t.source_format), t.source_format, rep.replaced
