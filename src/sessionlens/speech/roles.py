"""Role assignment: who is the therapist, who the client(s).

Sources of truth, strongest first: the clinician's own word (``--therapist``/``--client``), an
earlier stage's decision that carries its reason (the enrolled voice matched), the source's labels ("Therapist:", "CLIENT", "T:"), and a behavioural guess (who asks the
questions, who reflects, who opens the session). Every decision is reported as a Finding with
its confidence and the utterances it rests on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..domain import Evidence, Finding, Role, Speaker, Transcript, Utterance
from ..payloads.findings import RoleAssignmentData
from ..errors import TranscriptError

SOURCE = "roles.v1"

_THERAPIST_LABELS = {
    "therapist", "counselor", "counsellor", "clinician", "interviewer", "t", "th", "thx", "doctor", "dr",
    "psychologist", "psychotherapist", "provider", "coach", "facilitator", "social worker", "practitioner",
}
_CLIENT_LABELS = {"client", "patient", "c", "p", "pt", "cl", "interviewee", "consumer", "participant"}

_WH = re.compile(r"^(what|how|why|when|where|who|which|tell me|could you|can you|would you|do you|did you|"
                 r"are you|is there|have you)\b", re.I)
_REFLECT = re.compile(
    r"\b(it sounds like|sounds like|you feel|you're feeling|you are feeling|you're saying|you've been|"
    r"so you|you seem|it seems like|you mentioned|you want|on the one hand|part of you|what i'm hearing)\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(i|i'm|i've|i'd|my|me|myself)\b", re.I)
_SECOND_PERSON = re.compile(r"\b(you|you're|you've|your|yourself)\b", re.I)


@dataclass(frozen=True, slots=True)
class _Score:
    speaker: str
    value: float
    questions: tuple[str, ...]
    reflections: tuple[str, ...]
    why: str


def normalise_label(label: str) -> str:
    """Lower-case a label and drop punctuation and numbering ("Dr. Lee" stays distinct from "Dr")."""
    text = re.sub(r"[^\w\s]", " ", label.lower())
    return re.sub(r"\s+", " ", text).strip()


def _label_role(label: str) -> Role | None:
    norm = normalise_label(label)
    stripped = re.sub(r"\s*\d+$", "", norm)  # "client 2" is a client
    if norm in _THERAPIST_LABELS or stripped in _THERAPIST_LABELS:
        return Role.THERAPIST
    if norm in _CLIENT_LABELS or stripped in _CLIENT_LABELS:
        return Role.CLIENT
    return None


def _match(names: Sequence[str], speakers: Sequence[Speaker], option: str) -> set[str]:
    found: set[str] = set()
    for name in names:
        want = normalise_label(name)
        hits = [s.id for s in speakers if want in (normalise_label(s.id), normalise_label(s.name))]
        if not hits:
            raise TranscriptError(
                f"{option}: no speaker in the transcript has that name "
                f"({len(speakers)} speakers; names are compared without case or punctuation)"
            )
        found.update(hits)
    return found


def _score_speaker(speaker: str, utts: Sequence[Utterance], opener: str) -> _Score:
    mine = [u for u in utts if u.speaker == speaker]
    n = max(len(mine), 1)
    questions = tuple(u.id for u in mine if u.text.rstrip().endswith("?") or _WH.match(u.text.strip()))
    reflections = tuple(u.id for u in mine if _REFLECT.search(u.text))
    words = " ".join(u.text for u in mine)
    first = len(_FIRST_PERSON.findall(words))
    second = len(_SECOND_PERSON.findall(words))
    pronoun = (second - first) / max(first + second, 1)
    value = 2.0 * len(questions) / n + 2.0 * len(reflections) / n + 1.0 * pronoun + (0.3 if speaker == opener else 0)
    why = (
        f"{len(questions)} of {len(mine)} utterances are questions, {len(reflections)} use reflective phrasing, "
        f"'you' vs 'I' balance {pronoun:+.2f}" + (", opened the session" if speaker == opener else "")
    )
    return _Score(speaker, value, questions, reflections, why)


def _behaviour_guess(t: Transcript, candidates: Sequence[str]) -> tuple[str, float, _Score]:
    opener = t.utterances[0].speaker if t.utterances else ""
    scores = sorted((_score_speaker(s, t.utterances, opener) for s in candidates), key=lambda s: -s.value)
    top = scores[0]
    runner = scores[1].value if len(scores) > 1 else top.value - 1.0
    confidence = 1.0 / (1.0 + math.exp(-4.0 * (top.value - runner)))  # margin → (0.5, 1)
    return top.speaker, round(min(confidence, 0.99), 3), top  # a guess is never certain


def assign_roles(
    transcript: Transcript,
    therapist: Sequence[str] = (),
    client: Sequence[str] = (),
) -> tuple[Transcript, tuple[Finding, ...]]:
    """Return the transcript with roles set on speakers and utterances, and the role findings."""
    speakers = transcript.speakers
    if len(speakers) < 2:
        raise TranscriptError(
            f"the transcript has {len(speakers)} speaker; session data needs at least two (therapist and client)"
        )
    given_t = _match(therapist, speakers, "--therapist")
    given_c = _match(client, speakers, "--client")
    if given_t & given_c:
        raise TranscriptError("the same speaker was named with both --therapist and --client")
    decided: dict[str, tuple[Role, float, str, tuple[str, ...]]] = {}
    for sid in given_t:
        decided[sid] = (Role.THERAPIST, 1.0, "named with --therapist", ())
    for sid in given_c:
        decided[sid] = (Role.CLIENT, 1.0, "named with --client", ())
    for s in speakers:  # an earlier stage's decision with its reason (e.g. the enrolled voice matched)
        if s.id not in decided and s.role is not Role.OTHER and s.role_reason:
            decided[s.id] = (s.role, s.role_confidence or 0.9, s.role_reason, ())
    for s in speakers:
        label_role = _label_role(s.id) or _label_role(s.name)
        if s.id not in decided and label_role is not None:
            decided[s.id] = (label_role, 0.95, f"the source labels this speaker '{s.name}'", ())
    if not any(r == Role.THERAPIST for r, *_ in decided.values()):
        undecided = [s.id for s in speakers if s.id not in decided]
        if undecided:
            _guess_therapist(transcript, undecided, decided)
    _rest_are_clients(speakers, decided)
    new_speakers = tuple(
        replace(s, role=decided[s.id][0], role_confidence=decided[s.id][1], role_reason=decided[s.id][2])
        for s in speakers
    )
    findings = tuple(_finding(transcript, s, decided[s.id][3]) for s in new_speakers)
    return transcript.with_speakers(new_speakers), findings


def _rest_are_clients(speakers: Sequence[Speaker], decided: dict) -> None:
    therapist_conf = [c for r, c, *_ in decided.values() if r == Role.THERAPIST]
    # With two speakers the client is as certain as the therapist; with more, less so.
    conf = min(therapist_conf, default=0.5) * (1.0 if len(speakers) == 2 else 0.8)
    for s in speakers:
        if s.id not in decided:
            decided[s.id] = (Role.CLIENT, round(conf, 3), "not the therapist, so taken as a client", ())


def _guess_therapist(t: Transcript, candidates: list[str], decided: dict) -> None:
    if len(candidates) == 1 and any(r == Role.CLIENT for r, *_ in decided.values()):
        decided[candidates[0]] = (Role.THERAPIST, 0.8, "the only speaker not labelled as a client", ())
        return
    sid, confidence, score = _behaviour_guess(t, candidates)
    evidence = (score.questions[:3] + score.reflections[:3])[:5]
    decided[sid] = (Role.THERAPIST, confidence, f"guessed from behaviour: {score.why}", evidence)


def _finding(t: Transcript, s: Speaker, evidence_ids: tuple[str, ...]) -> Finding:
    by_id = {u.id: u for u in t.utterances} if evidence_ids else {}
    evidence = tuple(
        Evidence((uid,), by_id[uid].start, by_id[uid].end, "behaviour cue") for uid in evidence_ids if uid in by_id
    )
    return Finding(
        kind="role_assignment",
        label=s.role.value,
        confidence=s.role_confidence or 0.0,
        evidence=evidence,
        source=SOURCE,
        explanation=s.role_reason,
        data=RoleAssignmentData(speaker=s.id),
    )
