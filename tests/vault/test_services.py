"""Use cases end to end: consent gate, import, reads, sharing, retention, shredding, backup/restore."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from sessionlens.errors import AuthError, ConsentError, InputError, IntegrityError, NotFoundError
from sessionlens.reports.document import analysis_document
from sessionlens.services import analyses, backup, clients, consent, exports, notes, retention, sessions, vaults
from sessionlens.services.analysis import analyze_transcript
from sessionlens.ingest import parse_transcript
from sessionlens.vault import store
from sessionlens.vault.models import audit_log, blobs, client_keys

from .helpers import BACKENDS, DEMO, PASSPHRASE, client_with_session, make_settings


def _actions(world) -> list[tuple[str, str]]:
    with world.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(audit_log.c.action, audit_log.c.target)
                                               .order_by(audit_log.c.seq)).all()]


@BACKENDS
def test_import_requires_consent_to_recording_and_analysis(world):
    client = clients.add_client(world.alice, "No Consent Yet")["id"]
    with pytest.raises(ConsentError, match=client):
        sessions.import_session(world.alice, client, DEMO.read_bytes(), source="demo.vtt")
    assert _actions(world)[-1] == ("refused:session.import", client)
    consent.record_consent(world.alice, client, ["recording"])
    with pytest.raises(ConsentError):
        sessions.import_session(world.alice, client, DEMO.read_bytes(), source="demo.vtt")
    consent.record_consent(world.alice, client)
    assert sessions.import_session(world.alice, client, DEMO.read_bytes(), source="demo.vtt")["utterances"] > 0
    consent.revoke_consent(world.alice, client)
    with pytest.raises(ConsentError):
        sessions.import_session(world.alice, client, DEMO.read_bytes(), source="demo.vtt")


def test_consent_has_date_and_scope_and_refuses_nonsense(world):
    client = clients.add_client(world.alice, "Dated")["id"]
    rec = consent.record_consent(world.alice, client, ["analysis", "recording"], date(2025, 3, 1))
    assert rec["given_on"] == "2025-03-01" and rec["scopes"] == ["analysis", "recording"]
    status = consent.consent_status(world.alice, client)
    assert status["may_process"] and status["current"]["given_on"] == "2025-03-01"
    with pytest.raises(InputError):
        consent.record_consent(world.alice, client, ["marketing"])
    with pytest.raises(InputError):
        consent.record_consent(world.alice, client, given_on=date.today() + timedelta(days=2))


@BACKENDS
def test_revoking_consent_offers_deletion_and_can_shred(world):
    client, session = client_with_session(world)
    kept = consent.revoke_consent(world.alice, client)
    assert kept["deletion_offered"] and not kept["deleted"]
    assert sessions.show_session(world.alice, session)
    gone = consent.revoke_consent(world.alice, client, delete=True)
    assert gone["deleted"] and gone["receipt"]["keys"] == 1
    with pytest.raises(NotFoundError):
        sessions.show_session(world.alice, session)


@BACKENDS
def test_import_stores_original_transcript_and_analysis_sealed(world):
    client, session = client_with_session(world)
    shown = sessions.show_session(world.alice, session)
    assert sorted(r["kind"] for r in shown["records"]) == ["analysis", "original", "transcript"]
    assert "talk_time" in shown["metrics"]
    expected = analysis_document(analyze_transcript(parse_transcript(DEMO.read_bytes(), source="demo.vtt"),
                                                    make_settings()))
    stored = analyses.read_analysis(world.alice, session)
    assert stored["metrics"] == json.loads(json.dumps(expected["metrics"]))
    assert len(stored["utterances"]) == len(expected["utterances"])
    assert exports.export_session(world.alice, session, "original") == DEMO.read_bytes()
    assert analyses.read_transcript(world.alice, session).utterances[0].text
    with world.engine.connect() as conn:
        raw = b"".join(r[0] for r in conn.execute(select(blobs.c.content)).all())
    assert b"WEBVTT" not in raw
    assert ("session.import", session) in _actions(world)


@BACKENDS
def test_supervisor_sees_only_what_is_shared_and_denials_are_audited(world):
    client, s1 = client_with_session(world)
    _, s2 = client_with_session(world)
    assert sessions.list_sessions(world.bob) == []
    with pytest.raises(NotFoundError, match=s1):
        analyses.read_analysis(world.bob, s1)
    assert _actions(world)[-1] == ("refused:analysis.read", s1)
    sessions.share_session(world.alice, s1, "bob")
    listed = sessions.list_sessions(world.bob)
    assert [s["id"] for s in listed] == [s1] and "source_name" not in listed[0]
    assert analyses.read_analysis(world.bob, s1)["utterances"]
    assert "source_name" not in sessions.show_session(world.bob, s1)
    with pytest.raises(NotFoundError):
        sessions.show_session(world.bob, s2)
    sessions.unshare_session(world.alice, s1, "bob")
    with pytest.raises(NotFoundError):
        analyses.read_analysis(world.bob, s1)
    assert client


@BACKENDS
def test_sharing_needs_supervision_consent_and_a_supervisor(world):
    _, session = client_with_session(world, scopes=("recording", "analysis"))
    with pytest.raises(ConsentError):
        sessions.share_session(world.alice, session, "bob")
    _, other = client_with_session(world)
    with pytest.raises(InputError):
        sessions.share_session(world.alice, other, "carol")


@BACKENDS
def test_other_clinicians_records_do_not_exist_for_you(world):
    client, session = client_with_session(world)
    assert clients.list_clients(world.carol) == []
    for call in (lambda: clients.show_client(world.carol, client), lambda: clients.shred_client(world.carol, client),
                 lambda: sessions.show_session(world.carol, session),
                 lambda: exports.export_session(world.carol, session)):
        with pytest.raises(NotFoundError):
            call()


@BACKENDS
def test_notes_round_trip_newest_wins(world):
    _, session = client_with_session(world)
    with pytest.raises(NotFoundError):
        notes.read_note(world.alice, session)
    notes.store_note(world.alice, session, {"format": "SOAP", "v": 1})
    notes.store_note(world.alice, session, {"format": "SOAP", "v": 2})
    assert notes.read_note(world.alice, session)["v"] == 2


@BACKENDS
def test_retention_deletes_audio_after_transcription_with_receipts(world):
    world.vault.settings = make_settings(retention_audio="after_transcription")  # the default is until_signed
    _, session = client_with_session(world)
    audio = sessions.attach_media(world.alice, session, b"\x01\x02" * 500)["id"]
    result = retention.apply_retention(world.alice)
    assert [r["record"] for r in result["deleted"]] == [audio]
    receipts = [a for a in _actions(world) if a == ("delete.blob", audio)]
    assert len(receipts) == 1
    assert sorted(r["kind"] for r in sessions.show_session(world.alice, session)["records"]) == \
        ["analysis", "original", "transcript"]


@BACKENDS
def test_retention_keep_and_days(world, monkeypatch):
    _, session = client_with_session(world)
    sessions.attach_media(world.alice, session, b"\x00" * 10)
    world.vault.settings = make_settings(retention_audio="keep", retention_days=30)
    assert retention.apply_retention(world.alice)["deleted"] == []
    import sessionlens.services.retention as mod
    from sessionlens.vault.ids import now

    monkeypatch.setattr(mod, "now", lambda: now() + timedelta(days=31))
    deleted = retention.apply_retention(world.dave)["deleted"]
    assert {"record": session, "kind": "session"} in deleted
    assert ("delete.session", session) in _actions(world)


@BACKENDS
def test_shred_destroys_key_and_rows_and_keeps_a_receipt(world):
    client, session = client_with_session(world)
    other, other_session = client_with_session(world, name="Stays Here")
    with world.engine.connect() as conn:
        wrapped = conn.execute(select(client_keys.c.wrapped).where(client_keys.c.client_id == client)).scalar()
    receipt = clients.shred_client(world.alice, client)
    assert receipt["keys"] == 1 and receipt["sessions"] == 1 and receipt["blobs"] == 3
    with world.engine.connect() as conn:
        for table in ("clients", "client_keys", "sessions", "blobs", "consents", "reflections", "jobs"):
            n = conn.execute(text(f"SELECT count(*) FROM {table} WHERE "
                                  f"{'id' if table == 'clients' else 'client_id'} = :c"), {"c": client}).scalar()
            assert n == 0, table
    with pytest.raises(NotFoundError):
        clients.show_client(world.alice, client)
    assert ("client.shred", client) in _actions(world)
    assert analyses.read_analysis(world.alice, other_session)  # others untouched
    if world.engine.dialect.name == "sqlite":
        db = world.engine.url.database
        raw = b"".join(open(p, "rb").read() for p in (db, db + "-wal") if __import__("os").path.exists(p))
        assert wrapped not in raw, "the destroyed key's bytes linger in the database files"
    assert other


@BACKENDS
def test_backup_and_restore_verified_byte_for_byte(world, tmp_path):
    _, session = client_with_session(world)
    made = backup.create_backup(world.dave, tmp_path / "vault.slbk")
    assert made["verified"]
    with pytest.raises(InputError, match="exists"):
        backup.create_backup(world.dave, tmp_path / "vault.slbk")
    with pytest.raises(AuthError):
        backup.restore_backup(tmp_path / "vault.slbk", passphrase="wrong passphrase!", data_dir=tmp_path / "r0",
                              settings=make_settings())
    restored = backup.restore_backup(tmp_path / "vault.slbk", passphrase=PASSPHRASE, data_dir=tmp_path / "r1",
                                     settings=make_settings())
    assert restored["verified"] and restored["sha256"] == made["sha256"] and restored["audit_ok"]
    vault = vaults.open_vault(passphrase=PASSPHRASE, data_dir=tmp_path / "r1", settings=make_settings())
    ctx = vaults.sign_in_owner(vault)
    assert analyses.read_analysis(ctx, session) == analyses.read_analysis(world.alice, session)
    vault.close()
    with pytest.raises(InputError, match="already"):
        backup.restore_backup(tmp_path / "vault.slbk", passphrase=PASSPHRASE, data_dir=tmp_path / "r1",
                              settings=make_settings())


def test_restore_with_the_recovery_key_and_a_damaged_backup(world, tmp_path, template):
    client_with_session(world)
    path = tmp_path / "b.slbk"
    backup.create_backup(world.alice, path)
    ok = backup.restore_backup(path, recovery_key=template.recovery_key, data_dir=tmp_path / "r",
                               settings=make_settings())
    assert ok["verified"]
    data = bytearray(path.read_bytes())
    data[-100] ^= 1
    (tmp_path / "bad.slbk").write_bytes(bytes(data))
    with pytest.raises(IntegrityError, match="backup"):
        backup.restore_backup(tmp_path / "bad.slbk", passphrase=PASSPHRASE, data_dir=tmp_path / "r2",
                              settings=make_settings())
    (tmp_path / "short.slbk").write_bytes(path.read_bytes()[: len(data) // 2])
    with pytest.raises(IntegrityError):
        backup.restore_backup(tmp_path / "short.slbk", passphrase=PASSPHRASE, data_dir=tmp_path / "r3",
                              settings=make_settings())
    (tmp_path / "junk").write_bytes(b"hello")
    with pytest.raises(InputError, match="not a sessionlens backup"):
        backup.restore_backup(tmp_path / "junk", passphrase=PASSPHRASE, data_dir=tmp_path / "r4",
                              settings=make_settings())


@pytest.mark.postgres
def test_restore_into_postgres(world, tmp_path, template):
    """A SQLite vault restores into PostgreSQL (same dump bytes, same schema)."""
    from .helpers import _drop_pg_schema, _pg_schema

    _, session = client_with_session(world)
    backup.create_backup(world.alice, tmp_path / "b.slbk")
    schema, url = _pg_schema()
    try:
        settings = make_settings(database_url=url)
        result = backup.restore_backup(tmp_path / "b.slbk", passphrase=PASSPHRASE, settings=settings,
                                       data_dir=tmp_path / "unused")
        assert result["verified"]
        vault = vaults.open_vault(passphrase=PASSPHRASE, settings=settings, data_dir=tmp_path / "unused")
        assert analyses.read_analysis(vaults.sign_in_owner(vault), session)["metrics"]
        vault.close()
    finally:
        _drop_pg_schema(schema)


@BACKENDS
def test_bad_import_input_is_an_input_error_and_stores_nothing(world):
    client = clients.add_client(world.alice, "Bad Input")["id"]
    consent.record_consent(world.alice, client)
    for data in (b"", b"\x00\x01\x02binary", b"just one line with no speakers"):
        with pytest.raises(InputError):
            sessions.import_session(world.alice, client, data, source="bad.txt")
    with world.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(blobs)).scalar() == 0
    assert store


@BACKENDS
def test_audio_goes_in_the_transaction_that_stores_its_transcript(world):
    world.vault.settings = make_settings(retention_audio="after_transcription")  # the default is until_signed
    _, session = client_with_session(world)
    audio = sessions.attach_media(world.alice, session, b"\x05" * 300)["id"]
    with world.vault.transaction() as conn:  # what a transcription job does when it stores the transcript
        receipts = retention.after_transcription(world.alice, conn, session)
    assert [r["record"] for r in receipts] == [audio]
    assert ("delete.blob", audio) in _actions(world)
    world.vault.settings = make_settings(retention_audio="keep")
    kept = sessions.attach_media(world.alice, session, b"\x06" * 300)["id"]
    with world.vault.transaction() as conn:
        assert retention.after_transcription(world.alice, conn, session) == []
    assert kept in [r["id"] for r in sessions.show_session(world.alice, session)["records"]]
