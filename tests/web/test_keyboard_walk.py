"""Keyboard only, in Debian's Chromium: sign in → client → session review (play from a line) → speaker
correction → note edit → sign. No mouse and no element.click(): every step is Tab / Shift+Tab to a control, then Enter, Space, arrow keys
or typing, as a person using only the keyboard would. Each control reached shows a visible focus indicator.
Screenshots 19-keyboard-*.png in tests/web/artifacts/ (git-ignored)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .helpers import PASSPHRASE, make_small_vault, settings
from .live import live_server
from .test_browser import CHROMIUM, browser, shot, tone_wav, wait_until  # noqa: F401  (browser: the fixture)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)")

FOCUS_SHOWN = """() => {
  const el = document.activeElement, s = getComputedStyle(el);
  return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
}"""


def tab_to(page: Any, selector: str, *, back: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate("s => document.activeElement !== null && document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_SHOWN), f"no visible focus indicator on {selector}"
            return
    raise AssertionError(f"{limit} presses of {'Shift+Tab' if back else 'Tab'} never reached {selector}")


def focused(page: Any, selector: str) -> bool:
    return bool(page.evaluate("s => document.activeElement !== null && document.activeElement.matches(s)", selector))


def test_keyboard_only_walk(browser, tmp_path: Path) -> None:  # noqa: F811
    data = tmp_path / "vault"
    ids = make_small_vault(data)
    client, session = ids["client"], ids["session"]
    with live_server(settings(), data) as base:
        page = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
        page.set_default_timeout(20_000)
        page.goto(base + "/")
        page.wait_for_url("**/signin")

        # sign in: the skip link comes first; the owner leaves the account name empty
        page.keyboard.press("Tab")
        assert focused(page, "a.skip") and page.evaluate(FOCUS_SHOWN)
        tab_to(page, "#secret")
        page.keyboard.type(PASSPHRASE)
        page.keyboard.press("Enter")
        page.wait_for_url("**/clients")
        token = page.locator('meta[name="csrf-token"]').get_attribute("content")  # set-up, not part of the walk:
        added = page.request.post(f"{base}/api/sessions/{session}/audio", data=tone_wav(),  # the recording
                                  headers={"x-csrf-token": token, "content-type": "application/octet-stream"})
        assert added.ok, added.text()

        # the client, from the list
        tab_to(page, f'a[href="/clients/{client}"]')
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/clients/{client}")

        # the session, from the client's page
        tab_to(page, f'a[href="/sessions/{session}"]')
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/sessions/{session}")
        page.wait_for_selector("#u2 button.who")

        # the transcript: Enter on a line's time plays the recording from that line
        tab_to(page, "#u3 button.t")
        page.keyboard.press("Enter")
        wait_until(page, "document.getElementById('player').currentTime > 10.2")
        page.evaluate("document.getElementById('player').pause()")

        # speaker correction: give line u2 to the other speaker (Enter opens the form, focus moves into it)
        before = page.locator("#u2").get_attribute("class")
        tab_to(page, "#u2 button.who", back=True)  # the line before: Shift+Tab
        page.keyboard.press("Enter")
        assert focused(page, "#move-to"), "opening the correction did not move focus to the speaker choice"
        page.keyboard.press("Escape")  # changed one's mind: closed, and focus is back on the speaker
        assert page.locator("#move-form").is_hidden() and focused(page, "#u2 button.who")
        page.keyboard.press("Enter")
        assert focused(page, "#move-to")
        current = page.locator("#move-to").input_value()
        options = page.locator("#move-to option").evaluate_all("os => os.map(o => o.value)")
        target = next(o for o in options if o != current)
        page.keyboard.press("ArrowDown" if options.index(target) > options.index(current) else "ArrowUp")
        assert page.locator("#move-to").input_value() == target
        shot(page, "19-keyboard-speaker")
        page.keyboard.press("Tab")
        assert focused(page, "#move-form button[type=submit]")
        with page.expect_navigation():
            page.keyboard.press("Enter")  # saved, then the page reloads with the corrected analysis
        page.wait_for_selector("#u2 button.who")
        assert page.locator("#u2").get_attribute("class") != before, "the line's speaker did not change"
        assert "correction(s) kept" in page.content()

        # the note: from the review, write a first draft, edit a sentence, save
        tab_to(page, f'a[href="/sessions/{session}/note"]')
        page.keyboard.press("Enter")
        page.wait_for_url("**/note")
        tab_to(page, "form[action$=\"/note/draft\"] button[type=submit]")  # "Write a first draft" (SOAP kept)
        page.keyboard.press("Enter")
        page.wait_for_selector("#note-form")
        tab_to(page, ".sentence textarea")
        page.keyboard.press("Control+A")
        page.keyboard.type("Session of about sixteen minutes; the client described stress at work.")
        tab_to(page, "#save-note")
        page.keyboard.press("Enter")
        page.wait_for_selector("#note-status:has-text('Draft saved')")

        # sign: the confirmation dialog takes focus; Enter on Sign signs
        tab_to(page, "#sign-note")
        page.keyboard.press("Enter")
        page.wait_for_selector("#sign-dialog[open]")
        if not focused(page, "#sign-confirm"):
            tab_to(page, "#sign-confirm")
        assert page.evaluate("document.getElementById('sign-dialog').contains(document.activeElement)")
        shot(page, "19-keyboard-sign")
        page.keyboard.press("Enter")
        page.wait_for_selector(".signed")
        assert "sixteen minutes" in page.content()
        page.locator(".signed").scroll_into_view_if_needed()
        shot(page, "19-keyboard-signed")
        page.context.close()
