"""Code corrections through the services and the CLI: sealed at rest, measures recomputed, the model's
code kept, agreement over sessions, training rows, refusals (bad input, another clinician)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from sqlalchemy import select

from sessionlens.errors import InputError, NotFoundError, PermissionDeniedError
from sessionlens.services import analyses, sessions
from sessionlens.services import code_corrections as cc
from sessionlens.vault.models import audit_log

from ..conftest import REPO
from ..vault import helpers as vault_fixtures
from ..vault.helpers import client_with_session

# The vault fixtures (a fresh copy of one template vault per test; Argon2 derived once per input).
_derive_once, db_url, template, world = (vault_fixtures._derive_once, vault_fixtures.db_url, vault_fixtures.template,
                                         vault_fixtures.world)

CANARY = "Quokkafrobnicate-7Q2"


def _utt(doc: dict, role: str, **codes: object) -> dict:
    """The first utterance of ``role`` whose codes match ``codes``."""
    return next(u for u in doc["utterances"] if u.get("role") == role and u.get("codes")
                and all(u["codes"].get(k) == v for k, v in codes.items()))


def _last_audit(world) -> tuple[str, str]:
    with world.engine.connect() as conn:
        row = conn.execute(select(audit_log.c.action, audit_log.c.detail).order_by(audit_log.c.seq.desc())).first()
    return row.action, str(row.detail)


def test_correction_recomputes_measures_keeps_the_model_code_and_is_sealed(world, tmp_path):
    _, sid = client_with_session(world)
    before = analyses.read_analysis(world.alice, sid)
    q = _utt(before, "therapist", therapist_behaviour="question")
    iv = before["metrics"]["interventions"]
    out = cc.correct_code(world.alice, sid, q["id"], therapist_behaviour="reflection", therapist_subcodes=["complex"],
                          note=CANARY)
    assert out["codes"]["therapist_behaviour"] == "reflection" and out["codes"]["corrected"]
    after = analyses.read_analysis(world.alice, sid)
    u = next(x for x in after["utterances"] if x["id"] == q["id"])
    assert u["codes"]["therapist_subcodes"] == ["complex"] and u["codes"]["confidence"] == 1.0
    assert u["codes"]["model"]["therapist_behaviour"] == "question"  # the model's code beside the correction
    assert u["codes"]["model"]["confidence"] == q["codes"]["confidence"]
    new = after["metrics"]["interventions"]
    assert new["counts"]["question"] == iv["counts"]["question"] - 1
    assert new["counts"]["reflection"] == iv["counts"]["reflection"] + 1
    assert new["reflections"]["complex"] == iv["reflections"]["complex"] + 1
    assert "interventions" not in after["metrics"]["coding"] and after["metrics"]["coding"]["corrections"] == 2
    jsonschema.validate(after, json.loads((REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8")))
    finding = next(f for f in after["findings"] if f["kind"] == "therapist_behaviour"
                   and f["evidence"][0]["utterance_ids"][0] == q["id"])
    assert finding["label"] == "reflection" and finding["data"]["model"]["label"] == "question"
    # a second correction of the same line replaces the first, and the model's value is still the original
    cc.correct_code(world.alice, sid, q["id"], therapist_behaviour="question", therapist_subcodes=["open"])
    again = analyses.read_analysis(world.alice, sid)
    assert again["metrics"]["interventions"]["counts"] == iv["counts"]
    assert next(x for x in again["utterances"] if x["id"] == q["id"])["codes"]["model"]["therapist_behaviour"] \
        == "question"
    listed = cc.list_corrections(world.alice, sid)
    assert len(listed["corrections"]) == 4 and listed["effective"] == 2
    assert listed["corrections"][0]["model"] == "question" and listed["corrections"][0]["note"] == CANARY
    assert listed["agreement"]["therapist_behaviour"] == {"n": 1, "agreement": 1.0, "kappa": None}
    # sealed: nothing of the correction is readable in the database files (WAL included, then checkpointed)
    db = Path(world.engine.url.database)
    open_files = {p.name: p.read_bytes() for p in db.parent.iterdir() if p.is_file()}
    world.vault.close()
    for name, data in [*open_files.items(), ("closed db", db.read_bytes())]:
        assert CANARY.encode() not in data and b"code_corrections" not in data, name
    assert len(open_files) >= 2 and db.stat().st_size > 0  # the database and its write-ahead log


def test_client_talk_correction_moves_the_client_measures(world):
    _, sid = client_with_session(world)
    doc = analyses.read_analysis(world.alice, sid)
    c = _utt(doc, "client", client_talk="neutral")
    before = doc["metrics"]["client_talk"]["counts"]
    cc.correct_code(world.alice, sid, c["id"], client_talk="sustain")
    after = analyses.read_analysis(world.alice, sid)["metrics"]["client_talk"]["counts"]
    assert after["sustain"] == before["sustain"] + 1 and after["neutral"] == before["neutral"] - 1


@pytest.mark.parametrize("kwargs, message", [
    ({"client_talk": "change"}, "takes a therapist code"),
    ({"therapist_behaviour": "lecture"}, "must be one of"),
    ({"therapist_behaviour": "question", "therapist_subcodes": ["complex"]}, "does not belong"),
    ({"therapist_subcodes": ["open", "closed"], "therapist_behaviour": "question"}, "not several"),
    ({}, "nothing to correct"),
])
def test_bad_corrections_are_refused_and_change_nothing(world, kwargs, message):
    _, sid = client_with_session(world)
    doc = analyses.read_analysis(world.alice, sid)
    t = _utt(doc, "therapist")
    with pytest.raises(InputError, match=message):
        cc.correct_code(world.alice, sid, t["id"], **kwargs)
    c = _utt(doc, "client")
    with pytest.raises(InputError, match="takes a client talk type"):
        cc.correct_code(world.alice, sid, c["id"], therapist_behaviour="reflection")
    with pytest.raises(InputError, match="no utterance"):
        cc.correct_code(world.alice, sid, "u9999", client_talk="change")
    assert cc.list_corrections(world.alice, sid)["corrections"] == []
    assert analyses.read_analysis(world.alice, sid) == doc


def test_other_accounts_cannot_correct_and_are_audited(world):
    _, sid = client_with_session(world)
    uid = _utt(analyses.read_analysis(world.alice, sid), "client")["id"]
    with pytest.raises(NotFoundError):
        cc.correct_code(world.carol, sid, uid, client_talk="change")
    assert _last_audit(world)[0] == "refused:note.write"
    sessions.share_session(world.alice, sid, "bob")
    for who in (world.bob, world.dave):
        with pytest.raises(PermissionDeniedError):
            cc.correct_code(who, sid, uid, client_talk="change")
        assert _last_audit(world)[0] == "refused:note.write"
    assert cc.list_corrections(world.alice, sid)["corrections"] == []


def test_agreement_over_two_sessions_and_training_rows(world):
    _, s1 = client_with_session(world)
    _, s2 = client_with_session(world)
    d1 = analyses.read_analysis(world.alice, s1)
    t1, c1 = _utt(d1, "therapist", therapist_behaviour="question"), _utt(d1, "client", client_talk="neutral")
    cc.correct_code(world.alice, s1, t1["id"], therapist_behaviour="question")  # a confirmation
    cc.correct_code(world.alice, s1, c1["id"], client_talk="change")
    c2 = _utt(analyses.read_analysis(world.alice, s2), "client", client_talk="neutral")
    cc.correct_code(world.alice, s2, c2["id"], client_talk="neutral", note=CANARY)
    report = cc.agreement(world.alice)
    assert [r["session"] for r in report["sessions"]] == [s1, s2]
    assert report["sessions"][0]["therapist_behaviour"]["agreement"] == 1.0
    assert report["sessions"][0]["client_talk"]["agreement"] == 0.0
    assert report["sessions"][1]["client_talk"]["agreement"] == 1.0
    assert report["overall"]["client_talk"]["n"] == 2 and report["overall"]["client_talk"]["agreement"] == 0.5
    assert _last_audit(world)[0] == "code.agreement"
    assert cc.agreement(world.carol)["sessions"] == []  # her own sessions only
    rows = [json.loads(line) for line in cc.export_training_rows(world.alice).decode().splitlines()]
    assert len(rows) == 3 and all(r["corrected"] for r in rows)
    changed = next(r for r in rows if r["utterance_id"] == c1["id"])
    assert changed["label"] == "change" and changed["model_label"] == "neutral"
    assert changed["interlocutor"] == "client" and changed["utterance_text"] == c1["text"]
    action, detail = _last_audit(world)
    assert action == "code.export" and c1["text"] not in detail and CANARY not in detail
    every = cc.export_training_rows(world.alice, context=True).decode().splitlines()
    assert len(every) > 3
    for who in (world.bob, world.dave):
        with pytest.raises(PermissionDeniedError):
            cc.export_training_rows(who)
        with pytest.raises(PermissionDeniedError):
            cc.agreement(who)


# --- the CLI (in process, against a real vault directory) ---------------------------------------------

def test_cli_correct_list_agreement_export(tmp_path, monkeypatch, capsys):
    from sessionlens.cli import run
    from sessionlens.services import clients, consent, vaults

    from ..web.helpers import DEMO, PASSPHRASE, settings

    directory = tmp_path / "vault"
    ctx = vaults.init_vault(PASSPHRASE, "alice", data_dir=directory, settings=settings()).ctx
    client = clients.add_client(ctx, "Zed Example")["id"]
    consent.record_consent(ctx, client)
    sid = sessions.import_session(ctx, client, DEMO.read_bytes(), source="demo.vtt")["id"]
    doc = analyses.read_analysis(ctx, sid)
    ctx.vault.close()
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("SESSIONLENS_KDF_MEMORY_MIB", "64")
    d = ["--data-dir", str(directory)]

    def ok(*args: str) -> dict:
        capsys.readouterr()
        assert run([*args, "--json", *d]) == 0, capsys.readouterr().err
        return json.loads(capsys.readouterr().out)

    t, c = _utt(doc, "therapist", therapist_behaviour="question"), _utt(doc, "client")
    out = ok("code", "correct", sid, t["id"], "--therapist-behaviour", "reflection", "--subcode", "complex")
    assert out["codes"]["therapist_subcodes"] == ["complex"]
    for bad in (["--therapist-behaviour", "reflection"], ["--client-talk", "maybe"], []):
        capsys.readouterr()
        assert run(["code", "correct", sid, c["id"], *bad, *d]) == 2
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and err.startswith("sessionlens: error:") and c["text"] not in err
    assert len(ok("code", "list", sid)["corrections"]) == 2  # behaviour and sub-codes
    assert ok("code", "agreement")["overall"]["therapist_behaviour"]["n"] == 1
    assert run(["code", "export", "-o", str(directory / "rows.jsonl"), *d]) == 2
    assert not (directory / "rows.jsonl").exists()
    target = tmp_path / "rows.jsonl"
    assert ok("code", "export", "-o", str(target))["rows"] == 1
    assert json.loads(target.read_text().splitlines()[0])["label"] == "reflection"
    assert target.stat().st_mode & 0o777 == 0o600
    assert run(["code", "export", "-o", str(target), *d]) == 2  # never overwrites
    capsys.readouterr()
    assert run(["code", "list", sid, *d]) == 0 and "reflection" in capsys.readouterr().out


def test_reapply_after_a_reanalysis_restores_the_corrections(world):
    """A speaker correction re-analyses from scratch; ``reapply`` (its one-line hook) puts the codes back."""
    from sessionlens.services import speaker_corrections

    _, sid = client_with_session(world)
    doc = analyses.read_analysis(world.alice, sid)
    c = _utt(doc, "client", client_talk="neutral")
    cc.correct_code(world.alice, sid, c["id"], client_talk="change")
    speaker_corrections.correct_speakers(world.alice, sid, speakers={"Daniel": {"name": "D."}})
    with world.vault.transaction() as conn:
        assert cc.reapply(world.alice, conn, sid) == 0
    after = analyses.read_analysis(world.alice, sid)
    assert next(u for u in after["utterances"] if u["id"] == c["id"])["codes"]["client_talk"] == "change"
    assert next(s for s in after["speakers"] if s["id"] == "Daniel")["name"] == "D."
    # the line moves to the therapist: the client-talk correction no longer fits and is set aside, not lost
    speaker_corrections.correct_speakers(world.alice, sid, utterances={c["id"]: "Helen Varga"})
    with world.vault.transaction() as conn:
        assert cc.reapply(world.alice, conn, sid) == 1
    listed = cc.list_corrections(world.alice, sid)
    assert len(listed["corrections"]) == 1 and listed["not_applicable"] == 1


def test_revoked_consent_stops_corrections_and_leaves_the_session_out_of_the_export(world):
    from sessionlens.errors import ConsentError
    from sessionlens.services import consent

    client, sid = client_with_session(world)
    uid = _utt(analyses.read_analysis(world.alice, sid), "client")["id"]
    cc.correct_code(world.alice, sid, uid, client_talk="sustain")
    assert cc.export_training_rows(world.alice).count(b"\n") == 1
    consent.revoke_consent(world.alice, client)
    with pytest.raises(ConsentError):
        cc.correct_code(world.alice, sid, uid, client_talk="change")
    assert cc.export_training_rows(world.alice) == b""
    assert cc.agreement(world.alice)["sessions"][0]["client_talk"]["n"] == 1  # labels only: still reported
