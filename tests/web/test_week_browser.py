"""Issue 19's new pages in Debian's Chromium: jobs, accounts, an addendum to a signed note, revoke consent and
delete. Screenshots in tests/web/artifacts/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessionlens.jobs.stages import PAUSE_ENV

from .helpers import DEMO, PASSPHRASE, make_vault, settings
from .live import live_server
from .test_browser import browser, pytestmark, shot  # noqa: F401  (the module's Chromium fixture and skip)


def _api(page, base: str, method: str, path: str, **kw):  # same cookie as the page, CSRF header from its meta tag
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    answer = page.request.fetch(base + path, method=method, headers={"x-csrf-token": token, **kw.pop("headers", {})},
                                **kw)
    assert answer.ok, answer.text()
    return answer


def test_new_pages_in_chromium(browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    monkeypatch.setenv(PAUSE_ENV, "parse:2")  # the job is still running when the jobs page opens
    data = tmp_path / "vault"
    ids = make_vault(data)
    with live_server(settings(), data) as base:
        page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
        page.set_default_timeout(20_000)
        page.goto(base + "/")
        page.get_by_label("Passphrase or password").fill(PASSPHRASE)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/clients")

        _api(page, base, "POST", f"/api/clients/{ids['client']}/uploads", data=DEMO.read_bytes(),
             headers={"content-type": "application/octet-stream", "x-upload-name": "demo.vtt"})
        page.get_by_role("link", name="Jobs").click()
        page.wait_for_url("**/jobs")
        assert page.locator("tr[data-active] td.state").inner_text() in ("queued", "running")
        page.evaluate("window.stillTheSamePage = true")
        # the page follows the job by itself, and reloads when it ends: its Review link appears
        page.get_by_role("link", name="Review").wait_for(timeout=60_000)
        assert page.evaluate("window.stillTheSamePage === undefined") and page.locator("tr[data-active]").count() == 0
        shot(page, "19-jobs")

        page.goto(base + "/settings")
        page.get_by_role("link", name="Manage accounts").click()
        page.wait_for_url("**/accounts")
        page.get_by_label("Username").fill("bob")
        page.get_by_label("Role", exact=True).select_option("admin")
        page.get_by_label("Password", exact=True).fill("bob-admin-pass-1")
        page.get_by_role("button", name="Add account").click()
        page.wait_for_url("**/accounts")
        assert page.get_by_role("cell", name="bob", exact=True).count() == 1
        shot(page, "19-accounts")

        sid = ids["session"]
        _api(page, base, "POST", f"/api/sessions/{sid}/note/draft", data={"format": "soap"})
        _api(page, base, "POST", f"/api/sessions/{sid}/note/sign")
        page.goto(base + f"/sessions/{sid}/note")
        page.get_by_label("Add an addendum").fill("Client phoned next day; plan unchanged.")
        page.get_by_role("button", name="Add addendum").click()
        page.wait_for_url("**/note#addenda")
        assert "Client phoned next day; plan unchanged." in page.content()
        page.locator("#addenda").scroll_into_view_if_needed()
        shot(page, "19-note-addendum")

        page.goto(base + f"/clients/{ids['client']}")
        page.get_by_role("link", name="Revoke consent and delete all data…").click()
        page.wait_for_url("**/revoke-delete")
        shot(page, "19-revoke-delete")
        page.get_by_label("Type delete to confirm").fill("delete")
        page.get_by_role("button", name="Revoke consent and delete").click()
        page.get_by_role("table", name="Deletion receipt").wait_for()
        shot(page, "19-revoke-deleted")
