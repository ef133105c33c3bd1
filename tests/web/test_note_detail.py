"""The note editor's length choice (concise or full; the note_detail setting is the default) on the
first-draft form, the API and the confirmed redraft; and the export form a clinician files from
(header choices in a CSRF-checked body, never in the URL)."""

from __future__ import annotations

import re

from .conftest import SignedIn
from .helpers import browser, sign_in

WORD = re.compile(r"[A-Za-z']+")


def _words(note: dict) -> int:
    return sum(len(WORD.findall(s["text"])) for sec in note["sections"] for s in sec["sentences"])


def test_first_draft_form_offers_concise_and_full_with_the_setting_checked(vault) -> None:
    directory, ids = vault
    sid = ids["session"]
    with browser(directory, note_detail="full") as client:
        sign_in(client)
        page = client.get(f"/sessions/{sid}/note").text
        assert re.search(r'name="detail" value="full" checked', page)
        assert 'name="detail" value="concise">' in page


def test_draft_full_then_redraft_concise_through_the_forms(alice: SignedIn) -> None:
    client, sid, csrf = alice.client, alice.sid, alice.csrf
    r = client.post(f"/sessions/{sid}/note/draft", data={"csrf": csrf, "format": "soap", "detail": "full"})
    assert r.status_code == 303, r.text
    full = client.get(f"/api/sessions/{sid}/note").json()
    assert full["meta"]["detail"] == "full"
    page = client.get(f"/sessions/{sid}/note").text
    assert "(SOAP, full)" in page and 'id="redraft-form"' in page and 'name="replace" value="on"' in page
    again = client.post(f"/sessions/{sid}/note/draft", data={"csrf": csrf, "format": "soap", "detail": "concise"})
    assert again.status_code == 400  # a draft exists: only the redraft form (replace=on) discards it
    r = client.post(f"/sessions/{sid}/note/draft",
                    data={"csrf": csrf, "format": "soap", "detail": "concise", "replace": "on"})
    assert r.status_code == 303, r.text
    concise = client.get(f"/api/sessions/{sid}/note").json()
    assert concise["meta"]["detail"] == "concise" and _words(concise) < _words(full)
    bad = client.post(f"/sessions/{sid}/note/draft",
                      data={"csrf": csrf, "format": "soap", "detail": "huge", "replace": "on"})
    assert bad.status_code == 400 and "concise or full" in bad.text and "huge" not in bad.text


def test_api_draft_takes_detail(alice: SignedIn) -> None:
    client, sid, h = alice.client, alice.sid, alice.h
    r = client.post(f"/api/sessions/{sid}/note/draft", json={"format": "dap", "detail": "full"}, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["note"]["meta"]["detail"] == "full"
    assert client.post(f"/api/sessions/{sid}/note/draft", json={"detail": "short"}, headers=h).status_code == 422


def test_export_form_files_a_signed_note(alice: SignedIn) -> None:
    client, sid, csrf, h = alice.client, alice.sid, alice.csrf, alice.h
    assert client.post(f"/api/sessions/{sid}/note/draft", json={"format": "soap"}, headers=h).status_code == 201
    assert client.post(f"/api/sessions/{sid}/note/sign", headers=h).status_code == 200
    page = client.get(f"/sessions/{sid}/note").text
    assert 'id="export-form"' in page and 'name="appendix"' in page and 'type="date"' in page
    form = {"csrf": csrf, "kind": "text", "client": "name", "appendix": "on", "date": "2026-11-27",
            "start": "14:00", "clinician": "Alice Moreno, LMFT"}
    r = client.post(f"/sessions/{sid}/note/export", data=form)
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == f'attachment; filename="{sid}-note.txt"'
    assert r.headers["cache-control"] == "no-store"
    assert r.text.startswith("SOAP PROGRESS NOTE\nClient: Dana Example\nDate of service: 2026-11-27\n"
                             "Start time: 14:00\n")
    assert "Clinician: Alice Moreno, LMFT" in r.text and "EVIDENCE APPENDIX" in r.text and "[u" not in r.text
    pdf = client.post(f"/sessions/{sid}/note/export", data={**form, "kind": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert client.post(f"/sessions/{sid}/note/export", data={**form, "csrf": "wrong"}).status_code == 403
    for bad in ({"kind": "exe"}, {"date": "27/11/2026"}, {"start": "25:99"}, {"client": "initials"}):
        r = client.post(f"/sessions/{sid}/note/export", data={**form, **bad})
        assert r.status_code == 400 and next(iter(bad.values())) not in r.text, (bad, r.status_code)
    plain = client.get(f"/sessions/{sid}/note/export/markdown")  # the default: pseudonym, no appendix
    assert plain.status_code == 200 and "Dana Example" not in plain.text and "Appendix" not in plain.text
    named = client.get(f"/sessions/{sid}/note/export/markdown?client=name&appendix=true")
    assert "| **Client** | Dana Example |" in named.text and "## Appendix: evidence" in named.text
