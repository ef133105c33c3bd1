"""In Debian's Chromium: impressions before the data and side by side after, and the de-identify page
(its script runs under the strict CSP: no CSP violation or script error)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import DEMO, PASSPHRASE, make_small_vault, settings
from .live import live_server
from .test_browser import ARGS, CHROMIUM, shot, wait_until

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)")


def test_reflection_in_the_browser(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    data = tmp_path / "vault"
    session = make_small_vault(data)["session"]
    with live_server(settings(), data) as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 860})
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(base + "/")
        page.get_by_label("Passphrase or password").fill(PASSPHRASE)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/clients")
        page.get_by_role("link", name="Reflection").first.click()
        page.locator(f"a[href='/sessions/{session}/impressions']").click()
        page.get_by_label("About what share of the talking did you do (percent)?").fill("65")
        page.get_by_role("button", name="Record impressions").click()
        page.get_by_role("link", name="Show them beside the data").click()
        assert "harder on you than the record" in page.locator("#side-by-side").inner_text()
        shot(page, "10-impressions")
        page.goto(base + "/deidentify")
        page.get_by_label("Transcript (VTT, SRT, TXT, CSV, JSON)").set_input_files(str(DEMO))
        page.get_by_role("button", name="De-identify").click()
        wait_until(page, "document.getElementById('deid-out').value.includes('[Client]')", 60)
        assert "Daniel" not in page.locator("#deid-out").input_value()
        shot(page, "11-deidentify")
        browser.close()
    assert not [e for e in errors if "Content Security Policy" in e or "Uncaught" in e], errors
