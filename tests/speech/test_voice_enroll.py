"""`voice enroll`: the clinician's voiceprint, sealed in the vault, labels them as the therapist in later sessions.

Fixtures are our own espeak-ng recordings (make_fixtures.py): enroll_a/enroll_b are the dialogue's two voices
reading a passage that is not in the dialogue. Voice B is the one that *answers* in the dialogue, so when B is
enrolled, labelling B as the therapist can only come from the voice, never from the linguistic guess.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests/vault/helpers are parameters here)
from __future__ import annotations

import base64
import json
import logging

import numpy as np
import pytest
from sqlalchemy import select, update

from sessionlens.cli import run
from sessionlens.errors import IntegrityError, NotFoundError, PermissionDeniedError
from sessionlens.services import accounts as account_service
from sessionlens.services import clients, consent, media_sessions, voiceprints
from sessionlens.services.analyses import read_transcript
from sessionlens.services.transcription import transcribe_session
from sessionlens.vault import store
from sessionlens.vault.models import audit_log, client_keys
from sessionlens.vault.models import voiceprints as vp_table
from sessionlens.vault.vault import KeysLockedError, Vault

from ..server.conftest import PASSPHRASE as SERVER_PASSPHRASE
from ..server.conftest import pg_url, server, server_template  # noqa: F401  (fixtures)
from ..server.conftest import settings as server_settings
from ..vault.helpers import BACKENDS, PASSPHRASE, _derive_once, db_url, template, world  # noqa: F401  (fixtures)
from .conftest import DATA, DIALOGUE, RATE, TURNS, wav_bytes

ENROLL_A = DATA / "enroll_a.opus"  # the dialogue's first voice (asks the questions)
ENROLL_B = DATA / "enroll_b.opus"  # the dialogue's second voice (answers them)


@pytest.fixture(scope="module")
def two_voice_clip() -> bytes:
    """The first 16 s of the dialogue (A, B, A, B), as WAV bytes."""
    from sessionlens.ingest.audio import decode_audio

    return wav_bytes(decode_audio(DIALOGUE).mono[: 16 * RATE])


def _last_action(world) -> str:
    with world.engine.connect() as conn:
        return conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq.desc())).scalars().first()


def _canaries(vector: np.ndarray) -> list[bytes]:
    """Every way the vector could leak: raw float32 bytes (whole, a slice), base64, hex, decimal text."""
    raw = vector.astype("<f4").tobytes()
    decimals = [f"{v:.6f}".encode() for v in vector[:8] if abs(v) >= 0.01]
    return [raw, raw[32:64], base64.b64encode(raw), base64.b64encode(raw[:30]), raw[:16].hex().encode(),
            *decimals, json.dumps([float(v) for v in vector[:3]]).encode()[1:-1]]


@BACKENDS
def test_enrolled_voiceprint_is_sealed_per_account(world, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    result = voiceprints.enroll_voice(world.alice, ENROLL_A.read_bytes(), "/home/alice/my reading.opus")
    assert result["enrolled"] and not result["replaced"] and result["source"] == "my reading.opus"
    vector = voiceprints.voiceprint_for(world.alice)
    assert vector.shape == (256,) and abs(float(np.linalg.norm(vector)) - 1) < 1e-4
    canaries = _canaries(vector)
    with world.engine.connect() as conn:
        row = conn.execute(select(vp_table)).one()
        trail = " ".join(" ".join(map(str, r)) for r in conn.execute(select(audit_log)))
    assert row.account_id == world.alice.actor.id
    assert not any(c in bytes(row.sealed) for c in canaries)
    assert b"my reading" not in bytes(row.sealed)  # the file name is sealed too
    assert "reading" not in trail and "voice.enroll" in trail and "voice.read" in trail
    assert not any(c.decode("latin-1") in caplog.text for c in canaries)
    if world.engine.dialect.name == "sqlite":  # canary scan of every byte on disk (db, WAL, SHM)
        files = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert files
        for path in files:
            data = path.read_bytes()
            assert not any(c in data for c in canaries), path.name
    # Re-enrolling replaces it; the row stays bound to its account and time.
    again = voiceprints.enroll_voice(world.alice, ENROLL_A.read_bytes(), "again.opus")
    assert again["replaced"] and voiceprints.voice_status(world.alice)["source"] == "again.opus"
    with world.vault.transaction() as conn:
        conn.execute(update(vp_table).values(created_at="2020-01-01T00:00:00.000000Z"))
    with pytest.raises(IntegrityError, match="voiceprint:"):
        voiceprints.voiceprint_for(world.alice)


def test_a_voiceprint_moved_to_another_account_does_not_open(world):
    voiceprints.enroll_voice(world.alice, ENROLL_A.read_bytes(), "a.opus")
    with world.engine.connect() as conn:
        row = conn.execute(select(vp_table)).one()
    with world.vault.transaction() as conn:
        conn.execute(vp_table.insert().values(account_id=world.carol.actor.id, key_id=row.key_id,
                                              key_version=row.key_version, created_at=row.created_at,
                                              sealed=row.sealed))
    with pytest.raises(IntegrityError):
        voiceprints.voiceprint_for(world.carol)


def test_only_the_account_itself_reads_its_voiceprint(world):
    voiceprints.enroll_voice(world.alice, ENROLL_A.read_bytes(), "a.opus")
    assert voiceprints.voiceprint_for(world.carol) is None  # carol has none; alice's is not hers
    assert voiceprints.voice_status(world.carol) == {"account": "carol", "enrolled": False}
    with pytest.raises(NotFoundError):
        voiceprints.voiceprint_for(world.carol, "alice")
    assert _last_action(world) == "refused:voice.read"
    with pytest.raises(NotFoundError):
        voiceprints.voiceprint_for(world.carol, "nobody")  # indistinguishable from an account without one
    for other in (world.bob, world.dave):  # supervisor, admin: not theirs to hold a voiceprint at all
        with pytest.raises(PermissionDeniedError):
            voiceprints.voiceprint_for(other)
        assert _last_action(world) == "refused:voice.read"
    voiceprints.enroll_voice(world.carol, ENROLL_B.read_bytes(), "b.opus")
    a, b = voiceprints.voiceprint_for(world.alice), voiceprints.voiceprint_for(world.carol)
    assert float(a @ b) < 0.95  # each has their own


def test_forget_deletes_the_voiceprint(world):
    voiceprints.enroll_voice(world.alice, ENROLL_A.read_bytes(), "a.opus")
    assert voiceprints.forget_voice(world.alice) == {"account": "alice", "forgotten": True}
    assert _last_action(world) == "voice.forget"
    assert voiceprints.voiceprint_for(world.alice) is None
    assert voiceprints.voice_status(world.alice)["enrolled"] is False
    with world.engine.connect() as conn:
        assert conn.execute(select(vp_table)).first() is None
        holder = voiceprints.key_holder(world.alice.actor.id)
        assert conn.execute(select(client_keys).where(client_keys.c.client_id == holder)).first() is None  # shredded
    assert voiceprints.forget_voice(world.alice)["forgotten"] is False  # nothing left: not an error


@pytest.mark.postgres
def test_on_a_practice_server_the_voiceprint_is_under_the_clinicians_own_key(server):
    alice = server.ctx["alice"]
    voiceprints.enroll_voice(alice, ENROLL_A.read_bytes(), "a.opus")
    before = voiceprints.voiceprint_for(alice)
    with server.vault.transaction() as conn:
        key = conn.execute(select(client_keys)
                           .where(client_keys.c.client_id == voiceprints.key_holder(alice.actor.id))).one()
    assert key.wrapped_by == alice.actor.id
    # The vault passphrase (the practice admin) does not open it.
    admin_vault = Vault.open(store.make_engine(server.url), passphrase=SERVER_PASSPHRASE, settings=server_settings())
    with admin_vault.transaction() as conn, pytest.raises(KeysLockedError):
        admin_vault.client_key(conn, key.key_id, key.version)
    admin_vault.close()
    # Changing her password gives alice a new KEK; her voiceprint key is rewrapped with her client keys.
    account_service.set_password(alice, "alice", "alice-password-2")
    assert np.array_equal(voiceprints.voiceprint_for(alice), before)
    # Signed out (her KEK gone from the server's memory): the voiceprint no longer opens.
    server.vault.drop_account_kek(alice.actor.id)
    with pytest.raises(KeysLockedError):
        voiceprints.voiceprint_for(alice)


def _audio_session(world, clip: bytes) -> str:
    client = clients.add_client(world.alice, "Jane Example")["id"]
    consent.record_consent(world.alice, client, ("recording", "analysis"))
    return media_sessions.create_audio_session(world.alice, client, status="awaiting_transcription",
                                               mime="audio/wav", data=clip)["id"]


def _therapists(t) -> set[str]:
    return {s.id for s in t.speakers if s.role.value == "therapist"}


def _voice_of(t, turn: int) -> str:
    """The speaker of the utterance overlapping dialogue turn ``turn`` most."""
    _, s, e = TURNS[turn]
    return max(t.utterances, key=lambda u: min(u.end, e) - max(u.start, s)).speaker


def test_vault_transcription_labels_the_enrolled_voice_as_therapist(world, two_voice_clip):
    # Without an enrolled voice the linguistic guess picks the one asking the questions (voice A).
    session = _audio_session(world, two_voice_clip)
    transcribe_session(world.alice, session)
    t = read_transcript(world.alice, session)
    assert "voiceprint" not in t.metadata
    assert _therapists(t) == {_voice_of(t, 0)}
    # With voice B enrolled, B is the therapist: only the voice can say so.
    voiceprints.enroll_voice(world.alice, ENROLL_B.read_bytes(), "b.opus")
    session = _audio_session(world, two_voice_clip)
    transcribe_session(world.alice, session)
    t = read_transcript(world.alice, session)
    b = _voice_of(t, 1)
    assert b != _voice_of(t, 0) and _therapists(t) == {b}
    assert t.metadata["voiceprint"]["matched"] == b
    assert next(s for s in t.speakers if s.id == b).name == "Therapist"
    with world.engine.connect() as conn:
        reads = conn.execute(select(audit_log.c.detail).where(audit_log.c.action == "voice.read")).scalars().all()
    assert any('"purpose":"transcribe"' in d for d in reads)


# --- command line ----------------------------------------------------------------------------------------


def _err(capsys) -> str:
    err = capsys.readouterr().err
    assert err.startswith("sessionlens: error:") and err.count("\n") == 1 and "Traceback" not in err, err
    return err


def test_voice_commands_and_bad_input(capsys, tmp_path, monkeypatch, two_voice_clip):
    monkeypatch.setenv("SESSIONLENS_HOME", str(tmp_path / "vault"))
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASSPHRASE)
    monkeypatch.delenv("SESSIONLENS_USER", raising=False)
    monkeypatch.delenv("SESSIONLENS_DATABASE_URL", raising=False)
    assert run(["init", "--user", "alice", "--json"]) == 0
    capsys.readouterr()
    bad = {"notes.txt": b"T: hello there\nC: hi, how are you\n" * 20, "empty.wav": b"",
           "short.wav": wav_bytes(np.zeros(RATE)), "dialogue.opus": DIALOGUE.read_bytes()}
    from sessionlens.ingest.audio import decode_audio

    bad["short.wav"] = wav_bytes(decode_audio(ENROLL_A).mono[: 4 * RATE])
    expected = {"notes.txt": "not an audio", "empty.wav": "empty", "short.wav": "at least 8 s",
                "dialogue.opus": "more than one voice"}
    for name, data in bad.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert run(["voice", "enroll", str(path)]) == 2, name
        err = _err(capsys)
        assert name in err and expected[name] in err, err
    assert run(["voice", "enroll", str(tmp_path / "missing.wav")]) == 2
    assert "not found" in _err(capsys)
    assert run(["voice", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["enrolled"] is False

    assert run(["voice", "enroll", str(ENROLL_B), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["enrolled"] is True and out["source"] == "enroll_b.opus" and "vector" not in out
    assert run(["voice", "status"]) == 0
    assert "voice enrolled for alice" in capsys.readouterr().out

    # `transcribe AUDIO` outside the vault uses the enrolled voice when the passphrase unlocks one ...
    clip = tmp_path / "clip.wav"
    clip.write_bytes(two_voice_clip)
    assert run(["transcribe", str(clip), "--json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["speech"]["voiceprint"]["matched"]
    therapist = [s["id"] for s in doc["speakers"] if s["role"] == "therapist"]
    answerer = next(u["speaker"] for u in doc["utterances"] if u["start"] >= TURNS[1][1] - 0.5)
    assert therapist == [answerer]
    # ... and the linguistic guess without it (no passphrase: no vault, no prompt).
    monkeypatch.delenv("SESSIONLENS_PASSPHRASE")
    assert run(["transcribe", str(clip), "--json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert "voiceprint" not in doc["speech"] and not any(s["role"] == "therapist" for s in doc["speakers"])
    # A wrong passphrase is one note on stderr, and transcription goes on without the voice.
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", "not the right passphrase")
    assert run(["transcribe", str(clip), "-q"]) == 0
    captured = capsys.readouterr()
    assert "enrolled voice was not used" in captured.err and "Therapist" not in captured.out

    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASSPHRASE)
    assert run(["voice", "forget"]) == 0
    assert "voice forgotten" in capsys.readouterr().out
    assert run(["voice", "status", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["enrolled"] is False
    assert run(["audit", "verify"]) == 0
