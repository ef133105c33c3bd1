"""Pages kept per signed-in account (issue 19): a repeated view of a session's review or note editor, in
any tab of the account, is served without decrypting and re-rendering the analysis, yet each view is still
permission-checked and audited, every change to what the page shows makes a new page, each tab gets its
own CSRF token, and the account's last sign-out drops the kept pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from sessionlens.services import analyses
from sessionlens.web.page_cache import CSRF_SLOT

from .helpers import audit_trail, browser, sign_in


@pytest.fixture
def decrypts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sessions whose analysis document was decrypted and parsed (the real function, counted)."""
    seen: list[str] = []
    real = analyses.read_analysis

    def counted(ctx, session_id):  # type: ignore[no-untyped-def]  # a counting wrapper of the real function
        seen.append(session_id)
        return real(ctx, session_id)

    monkeypatch.setattr(analyses, "read_analysis", counted)
    return seen


def _web_session(client):  # the one browser session of this test's client
    (session,) = client.app.state.web.sessions._items.values()
    return session


def test_review_page_is_kept_until_the_analysis_changes_and_every_view_is_audited(vault, decrypts) -> None:
    directory, ids = vault
    sid = ids["session"]
    with browser(directory) as client:
        csrf = sign_in(client)
        first = client.get(f"/sessions/{sid}")
        before = len(audit_trail(directory)[0])
        again = client.get(f"/sessions/{sid}")
        assert first.status_code == again.status_code == 200 and first.text == again.text
        assert decrypts == [sid]  # the second view was the kept page
        new = audit_trail(directory)[0][before:-2]
        assert len(new) == 1 and '"analysis.read"' in new[0].detail and '"session.read"' in new[0].detail

        renamed = client.post(f"/api/sessions/{sid}/speakers", headers={"x-csrf-token": csrf},
                              json={"speakers": {"Daniel": {"name": "Dr Renamed"}}})
        assert renamed.status_code == 200, renamed.text
        after = client.get(f"/sessions/{sid}")
        assert "Dr Renamed" in after.text and "Dr Renamed" not in first.text
        assert decrypts == [sid, sid]


def test_note_editor_shows_each_saved_edit(vault, decrypts) -> None:
    directory, ids = vault
    sid = ids["session"]
    with browser(directory) as client:
        h = {"x-csrf-token": sign_in(client)}
        assert client.post(f"/api/sessions/{sid}/note/draft", json={"format": "soap"}, headers=h).status_code == 201
        page = client.get(f"/sessions/{sid}/note").text
        assert client.get(f"/sessions/{sid}/note").text == page and decrypts == [sid]
        note = client.get(f"/api/sessions/{sid}/note").json()
        sections = [{"key": sec["key"], "sentences": [{"text": s["text"]} for s in sec["sentences"]]}
                    for sec in note["sections"]]
        sections[0]["sentences"].append({"text": "Client named one next step."})
        assert client.put(f"/api/sessions/{sid}/note", json={"sections": sections}, headers=h).status_code == 200
        assert "Client named one next step." in client.get(f"/sessions/{sid}/note").text


def test_tabs_of_one_account_share_pages_each_with_its_own_csrf_token(vault, decrypts) -> None:
    directory, ids = vault
    sid = ids["session"]
    with browser(directory) as first:
        first_csrf = sign_in(first)
        shown = first.get(f"/sessions/{sid}/note").text  # note_start: no analysis read
        one = first.get(f"/sessions/{sid}").text
        second = TestClient(first.app, base_url=str(first.base_url), follow_redirects=False)
        second_csrf = sign_in(second)
        two = second.get(f"/sessions/{sid}").text
        assert decrypts == [sid] and first_csrf != second_csrf and shown
        assert one == two.replace(second_csrf, first_csrf) and second_csrf in two and first_csrf not in two
        assert CSRF_SLOT not in one + two  # the placeholder never leaves


def test_signing_out_drops_the_kept_pages(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        csrf = sign_in(client)
        assert client.get(f"/sessions/{ids['session']}").status_code == 200
        session = _web_session(client)
        assert len(session.pages) == 1
        assert client.post("/signout", data={"csrf": csrf}).status_code == 303
        assert len(session.pages) == 0
