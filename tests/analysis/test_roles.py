"""Role assignment: given names, source labels, and the behavioural guess with its evidence."""

from __future__ import annotations

import pytest

from sessionlens.domain import Role, Speaker, Transcript
from sessionlens.errors import TranscriptError
from sessionlens.speech.roles import assign_roles

from .fixtures import hand_session, utt


def roles(t: Transcript) -> dict[str, Role]:
    return {s.id: s.role for s in t.speakers}


def test_behaviour_guess_picks_the_questioner_and_reflector():
    t, findings = assign_roles(hand_session())
    assert roles(t) == {"A": Role.THERAPIST, "B": Role.CLIENT}
    therapist = next(f for f in findings if f.label == "therapist")
    assert 0.5 < therapist.confidence < 1.0
    assert "questions" in therapist.explanation and therapist.source == "roles.v1"
    assert {"u1", "u4"} <= {uid for e in therapist.evidence for uid in e.utterance_ids}
    assert all(u.role == roles(t)[u.speaker] for u in t.utterances)


def test_named_therapist_wins_over_behaviour():
    t, findings = assign_roles(hand_session(), therapist=["b"])
    assert roles(t) == {"A": Role.CLIENT, "B": Role.THERAPIST}
    assert next(f for f in findings if f.data["speaker"] == "B").confidence == 1.0


def test_source_labels_decide_roles():
    t = Transcript(
        (utt(1, "CLIENT", 0, 1, "I feel fine?"), utt(2, "Therapist", 1, 2, "Good.")),
        (Speaker("CLIENT", "CLIENT"), Speaker("Therapist", "Therapist")),
    )
    t2, _ = assign_roles(t)
    assert roles(t2) == {"CLIENT": Role.CLIENT, "Therapist": Role.THERAPIST}


def test_short_labels_and_numbered_clients():
    labels = ["T", "C1", "Client 2"]
    t = Transcript(tuple(utt(i, s, i, i + 1, "Hello.") for i, s in enumerate(labels, 1)),
                   tuple(Speaker(s, s) for s in labels))
    t2, _ = assign_roles(t)
    assert roles(t2)["T"] is Role.THERAPIST and roles(t2)["Client 2"] is Role.CLIENT
    assert roles(t2)["C1"] is Role.CLIENT  # not the therapist, so a client (couples, families)


def test_family_session_one_therapist_several_clients():
    rows = [(1, "Dr Lee", 0, 3, "What brings you both here today?"), (2, "Ana", 3, 6, "We argue a lot."),
            (3, "Ben", 6, 9, "I think she worries too much."), (4, "Dr Lee", 9, 12, "It sounds like you both feel unheard."),
            (5, "Ana", 12, 14, "Yes."), (6, "Ben", 14, 15, "Maybe.")]
    t = Transcript(tuple(utt(*r) for r in rows), tuple(Speaker(s, s) for s in ("Dr Lee", "Ana", "Ben")))
    t2, _ = assign_roles(t)
    assert roles(t2) == {"Dr Lee": Role.THERAPIST, "Ana": Role.CLIENT, "Ben": Role.CLIENT}


def test_unknown_name_is_a_clear_error_without_listing_content():
    with pytest.raises(TranscriptError, match="--therapist: no speaker"):
        assign_roles(hand_session(), therapist=["Zed"])


def test_same_speaker_both_roles_refused():
    with pytest.raises(TranscriptError, match="both"):
        assign_roles(hand_session(), therapist=["A"], client=["A"])


def test_one_speaker_refused():
    t = Transcript((utt(1, "A", 0, 1, "Hello?"),), (Speaker("A", "A"),))
    with pytest.raises(TranscriptError, match="1 speaker"):
        assign_roles(t)


def test_an_earlier_stage_decision_with_its_reason_is_kept():
    from dataclasses import replace

    t = hand_session()
    voiced = replace(t.speakers[1], role=Role.THERAPIST, role_confidence=0.93,
                     role_reason="voice matches the enrolled voiceprint (similarity 0.93)")
    t2, findings = assign_roles(replace(t, speakers=(t.speakers[0], voiced)))
    assert roles(t2) == {"A": Role.CLIENT, "B": Role.THERAPIST}
    assert "enrolled voiceprint" in next(f for f in findings if f.label == "therapist").explanation
