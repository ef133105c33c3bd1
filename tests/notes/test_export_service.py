"""Filing a stored session's note: the header comes from the vault (pseudonym or the sealed name, as
the clinician chooses; the session record's date and time; the transcript's length; the signer), the
clinician can correct date/time/name, bad choices are one-line errors, and every export is audited
without the path or the name. Also `sessionlens note export` with the new flags."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from sessionlens.cli import run
from sessionlens.errors import InputError
from sessionlens.services import note_workflow as nw
from sessionlens.services.exports import NoteExportChoice, export_session_note
from sessionlens.vault.models import audit_log

from .helpers import DEMO, PASS, vault_with_client

NAME = "Fictional Client Rowan"


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    directory = tmp_path_factory.mktemp("vault")
    ctx, client, (sid,) = vault_with_client(directory, NAME)
    nw.draft_session_note(ctx, sid, "soap")
    nw.sign_session_note(ctx, sid)
    yield ctx, client, sid, directory
    ctx.vault.close()


def _text(ctx, sid, **choice) -> str:
    return export_session_note(ctx, sid, "text", NoteExportChoice(**choice)).decode()


def test_header_from_the_vault_with_pseudonym_by_default(stored):
    ctx, client, sid, _ = stored
    txt = _text(ctx, sid)
    assert f"Client: {client}\n" in txt and NAME not in txt
    assert re.search(r"^Date of service: \d{4}-\d\d-\d\d$", txt, re.M)
    assert re.search(r"^Start time: \d\d:\d\d", txt, re.M)
    assert "Duration: 16 min\n" in txt  # the demo transcript spans about 16 minutes
    assert "Clinician: alice\n" in txt and "Note format: SOAP\n" in txt and "Status: Signed\n" in txt
    note = nw.read_session_note(ctx, sid)
    assert f"Content SHA-256: {note.signature.content_sha256}" in txt and "[u" not in txt


def test_name_date_start_and_clinician_as_chosen(stored):
    ctx, client, sid, _ = stored
    txt = _text(ctx, sid, client="name", date="2026-11-27", start="9:30", clinician="Alice Moreno, LMFT",
                appendix=True)
    assert f"Client: {NAME}\n" in txt and client not in txt.split("SUBJECTIVE")[0]
    assert "Date of service: 2026-11-27\nStart time: 09:30\n" in txt and "Clinician: Alice Moreno, LMFT\n" in txt
    assert "EVIDENCE APPENDIX" in txt and re.search(r'^  \d\d:\d\d Client: "', txt, re.M)


@pytest.mark.parametrize("choice,words", [({"client": "initials"}, "pseudonym or name"),
                                          ({"date": "27.11.2026"}, "YYYY-MM-DD"),
                                          ({"start": "half nine"}, "HH:MM"),
                                          ({"clinician": "x" * 201}, "at most 200")])
def test_bad_choices_are_input_errors(stored, choice, words):
    ctx, _, sid, _ = stored
    with pytest.raises(InputError, match=words):
        _text(ctx, sid, **choice)


def test_export_is_audited_without_name_or_path(stored):
    ctx, _, sid, _ = stored
    export_session_note(ctx, sid, "pdf", NoteExportChoice(client="name", appendix=True))
    with ctx.vault.transaction() as conn:
        last = [dict(r._mapping) for r in conn.execute(select(audit_log))][-1]
    assert last["action"] == "export" and NAME not in str(last)
    detail = json.loads(last["detail"])
    assert detail["client_shown_by"] == "name" and detail["appendix"] is True and detail["what"] == "note:pdf"
    assert set(detail) == {"session", "what", "bytes", "client_shown_by", "appendix"}  # no path, no name


def test_cli_export_flags_on_a_stored_session(stored, tmp_path, monkeypatch):
    ctx, _, sid, directory = stored
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASS)
    out = tmp_path / "note.md"
    code = run(["note", "export", sid, "--to", "markdown", "--client", "name", "--appendix", "--date", "2026-11-27",
                "--data-dir", str(directory), "-o", str(out)])
    assert code == 0
    md = out.read_text()
    assert f"| **Client** | {NAME} |" in md and "| **Date of service** | 2026-11-27 |" in md
    assert "## Appendix: evidence" in md
    assert run(["note", "export", sid, "--to", "text", "--start", "25:61", "--data-dir", str(directory)]) == 2


def test_cli_export_of_a_transcript_file(tmp_path, capsys):
    out = tmp_path / "note.txt"
    assert run(["note", "export", str(DEMO), "--to", "text", "--date", "2026-11-27", "-o", str(out)]) == 0
    txt = out.read_text()
    assert "Client: not recorded\nDate of service: 2026-11-27\nStart time: not recorded\n" in txt
    assert "Duration: 16 min" in txt and "Status: DRAFT - not signed" in txt
    assert run(["note", "export", str(DEMO), "--to", "text", "--client", "name"]) == 2
    assert "no client record" in capsys.readouterr().err
