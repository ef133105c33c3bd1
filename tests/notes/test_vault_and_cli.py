"""The note use cases on a real vault (permissions, audit, signed notes never overwritten) and the
`sessionlens note` commands, on a transcript file and on a stored session."""

from __future__ import annotations

import io
import json
import sys

import pytest

from sessionlens.cli import run
from sessionlens.errors import InputError, NotFoundError, PermissionDeniedError
from sessionlens.notes import workflow as wf
from sessionlens.services import exports, note_workflow as nw

from .helpers import DEMO, PASS, vault_with_client


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    directory = tmp_path_factory.mktemp("vault")
    ctx, client, (sid, sid2) = vault_with_client(directory, imports=2)
    yield ctx, client, sid, sid2, directory
    ctx.vault.close()


def test_draft_edit_sign_addendum_export(stored):
    ctx, _, sid, _, _ = stored
    out = nw.draft_session_note(ctx, sid, "soap")
    assert out["note"]["sections"][0]["sentences"][0]["evidence"]
    with pytest.raises(InputError, match="already has a draft"):
        nw.draft_session_note(ctx, sid, "dap")
    nw.draft_session_note(ctx, sid, "dap", replace_draft=True)
    note = nw.edit_session_note(ctx, sid, lambda n: wf.edit_sentence(n, "plan", 1, "Plan as agreed in session."))
    assert note.section("plan").sentences[0].basis == "clinician"
    signed = nw.sign_session_note(ctx, sid)
    assert signed.signature.signer == "alice" and signed.revision["edited"] == 1
    with pytest.raises(InputError, match="signed"):
        nw.draft_session_note(ctx, sid, "soap", replace_draft=True)
    with pytest.raises(InputError, match="signed"):
        nw.edit_session_note(ctx, sid, lambda n: wf.add_sentence(n, "plan", "x"))
    nw.add_session_addendum(ctx, sid, "Client phoned to confirm Wednesday.")
    again = nw.read_session_note(ctx, sid)
    wf.verify(again)
    assert len(again.addenda) == 1 and again.status == "signed"
    fhir = json.loads(exports.export_session_note(ctx, sid, "fhir-composition"))
    assert fhir["status"] == "amended"
    actions = [e["action"] for e in _audit(ctx)]
    for a in ("note.draft", "note.edit", "note.sign", "note.addendum", "export"):
        assert a in actions


def _audit(ctx):
    from sqlalchemy import select
    from sessionlens.vault.models import audit_log
    with ctx.vault.transaction() as conn:
        return [dict(r._mapping) for r in conn.execute(select(audit_log))]


def test_no_note_yet_and_unknown_session(stored):
    ctx, _, _, sid2, _ = stored
    with pytest.raises(NotFoundError):
        nw.read_session_note(ctx, sid2)
    with pytest.raises(NotFoundError):
        nw.sign_session_note(ctx, "session_doesnotexist")


def test_supervisor_cannot_write_notes(stored):
    ctx, _, sid, _, _ = stored
    from dataclasses import replace
    from sessionlens.vault.accounts import Role
    sup = replace(ctx, actor=replace(ctx.actor, role=Role.SUPERVISOR, is_owner=False))
    with pytest.raises((PermissionDeniedError, NotFoundError)):
        nw.draft_session_note(sup, sid, "soap")


def test_conceptualization_across_sessions(stored):
    ctx, client, *_ = stored
    f = nw.client_conceptualization(ctx, client, "5p")
    presenting = [h for h in f.items if h.category == "presenting"]
    assert presenting and "2 of 2 session(s)" in presenting[0].text
    assert all(h.status == "proposed" and h.evidence for h in f.items)


# --- CLI -----------------------------------------------------------------------------------------

def _cli(args, capsys, stdin: str = "", monkeypatch=None):
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = run(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_draft_on_a_file_json(capsys):
    code, out, _ = _cli(["note", "draft", str(DEMO), "--format", "soap", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    assert d["format"] == "soap" and [s["title"] for s in d["sections"]][-2:] == ["Relational process", "Plan"]
    assert all(isinstance(x["evidence"], list) for s in d["sections"] for x in s["sentences"])


def test_cli_bad_inputs_are_one_line_errors(capsys, tmp_path):
    bad = tmp_path / "t.j2"
    bad.write_text("{{ ().__class__.__mro__ }}")
    cases = [["note", "draft", str(DEMO), "--format", "narrative"],
             ["note", "draft", str(DEMO), "--template", str(bad)],
             ["note", "draft", str(DEMO), "--llm-url", "http://example.org:8080"],
             ["note", "draft", str(DEMO), "--llm-model", str(tmp_path / "missing.gguf")],
             ["note", "export", str(DEMO), "--to", "rtf"]]
    for args in cases:
        code, out, err = _cli(args, capsys)
        assert code == 2 and err.startswith("sessionlens: error:") and err.count("\n") == 1, (args, err)
        assert "Traceback" not in err


def test_cli_llm_server_down_falls_back(capsys):
    code, out, err = _cli(["note", "draft", str(DEMO), "--llm-url", "http://127.0.0.1:9", "--llm-timeout", "2"],
                          capsys)
    assert code == 0 and "# SOAP progress note" in out and "default writer" in err


def test_cli_export_pdf_and_formulation(capsys, tmp_path):
    target = tmp_path / "note.pdf"
    code, _, err = _cli(["note", "export", str(DEMO), "--to", "pdf", "-o", str(target), "--format", "birp"], capsys)
    assert code == 0, err
    assert target.read_bytes().startswith(b"%PDF-")
    code, out, _ = _cli(["note", "formulation", str(DEMO), "--model", "cbt", "--json"], capsys)
    assert code == 0 and json.loads(out)["model"] == "cbt"


def test_cli_vault_flow(stored, capsys, monkeypatch):
    _, _, _, sid2, directory = stored
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASS)
    dd = ["--data-dir", str(directory)]
    assert _cli(["note", "draft", sid2, "--format", "girp", *dd], capsys)[0] == 0
    code, out, err = _cli(["note", "edit", sid2, "--section", "plan", "--add", *dd], capsys,
                          "Client to bring a sleep diary next week.\n", monkeypatch)
    assert code == 0, err and "sleep diary" in out
    code, out, _ = _cli(["note", "sign", sid2, *dd], capsys)
    assert code == 0 and "signed by alice" in out
    code, out, err = _cli(["note", "addendum", sid2, *dd], capsys, "Late entry: client called.\n", monkeypatch)
    assert code == 0, err
    code, out, _ = _cli(["note", "diff", sid2, *dd], capsys)
    assert json.loads(out)["added"] == 1
    code, out, _ = _cli(["note", "show", sid2, "--json", *dd], capsys)
    d = json.loads(out)
    assert d["status"] == "signed" and d["addenda"][0]["text"] == "Late entry: client called."
    code, _, err = _cli(["note", "export", sid2, "--to", "docx", "-o", str(directory / "x.docx"), *dd], capsys)
    assert code == 2 and "inside the vault" in err
