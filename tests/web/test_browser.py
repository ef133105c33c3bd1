"""The whole flow in Debian's Chromium: sign in, add a client with consent, upload the demo transcript,
review it, play from a line, correct a speaker, edit and sign the note, sign out.

Screenshots are kept in tests/web/artifacts/ (git-ignored). Needs /usr/bin/chromium (Debian's
``chromium`` package); never ``playwright install``.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from .helpers import DEMO, PASSPHRASE, pcm_wav, settings
from .live import live_server

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
        "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)")


def tone_wav(seconds: float = 40.0, rate: int = 8000) -> bytes:
    """A quiet 220 Hz tone written by this test (8-bit mono), long enough to play the first lines."""
    frames = bytes(int(128 + 20 * math.sin(2 * math.pi * 220 * i / rate)) for i in range(int(seconds * rate)))
    return pcm_wav(frames, rate, sample_width=1)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def wait_until(page, expression: str, seconds: float = 15.0) -> None:
    """Poll an expression (wait_for_function compiles with eval, which our CSP rightly forbids)."""
    for _ in range(int(seconds * 10)):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"never true: {expression}")


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def test_clinician_flow(browser, tmp_path: Path) -> None:
    from sessionlens.services import vaults

    data = tmp_path / "vault"
    vaults.init_vault(PASSPHRASE, "alice", data_dir=data, settings=settings()).ctx.vault.close()
    audio = tmp_path / "session.wav"
    audio.write_bytes(tone_wav())
    with live_server(settings(), data) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.set_default_timeout(20_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

        # sign in: the vault unlocks; the cookie is __Host-, HttpOnly, SameSite=Strict
        page.goto(base + "/")
        page.get_by_label("Passphrase or password").fill(PASSPHRASE)
        shot(page, "01-signin")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/clients")
        cookie = next(c for c in context.cookies() if c["name"] == "__Host-sl_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/"

        # add a client with consent to recording and analysis (the default boxes)
        page.get_by_label("Name").fill("Dana Example")
        page.get_by_role("button", name="Add client").click()
        page.wait_for_url("**/clients/c-*")
        assert "Recorded on" in page.content()

        # upload the demo transcript; progress shows, then the review opens
        page.get_by_label("Transcript (VTT, SRT, TXT, CSV, JSON, DOCX) or audio").set_input_files(str(DEMO))
        page.get_by_role("button", name="Upload and analyse").click()
        page.wait_for_url("**/sessions/s-*")
        shot(page, "02-review")
        assert page.locator("li.line").count() > 100
        assert page.locator("#map-h").is_visible()

        # attach the recording, then play from a line: the playing line follows the audio
        page.get_by_label("Add the recording").set_input_files(str(audio))
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_selector("audio#player")
        page.locator("#u3 button.t").click()
        wait_until(page, "document.getElementById('player').currentTime > 10.2")
        page.wait_for_selector("li.line.playing")
        playing = page.locator("li.line.playing").get_attribute("id")
        assert playing in {"u3", "u4"}
        page.evaluate("document.getElementById('player').pause()")
        shot(page, "03-playing")

        # a moment link jumps to its line
        page.locator("#g-timing ~ ul a.moment").first.click()
        assert page.locator("li.line.target").count() == 1

        # correct a speaker: give line u2 to the therapist; the correction is kept after reload
        page.locator("#u2 button.who").click()
        page.get_by_label("Give this line to").select_option("Helen Varga")
        page.locator("#move-form button[type=submit]").click()
        page.wait_for_load_state("load")
        page.wait_for_selector("#u2.role-therapist")
        assert "correction(s) kept" in page.content()

        # the note: edit a sentence, see its evidence, save, sign
        page.get_by_role("link", name="Write the note").click()
        page.wait_for_url("**/note")
        page.get_by_label("Format").select_option("dap")
        page.get_by_role("button", name="Write a first draft").click()
        page.wait_for_selector("#note-form")
        first = page.locator(".sentence textarea").first
        first.fill("Session of about sixteen minutes; the client described stress at work.")
        page.locator(".sentence").first.hover()
        assert page.locator(".sentence details.evidence").first.get_attribute("open") is not None
        page.get_by_role("button", name="Add a sentence to Assessment").click()
        page.keyboard.type("Client is weighing a change in how they handle stress.")
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_selector("#note-status:has-text('Draft saved')")
        page.get_by_role("button", name="Sign the note").click()
        page.get_by_role("button", name="Sign", exact=True).click()
        page.wait_for_selector(".signed")
        shot(page, "04-signed-note")
        assert "sixteen minutes" in page.content()

        # tablet width: still usable (no horizontal scrolling of the page)
        page.set_viewport_size({"width": 800, "height": 1100})
        page.go_back()
        page.goto(page.url.rsplit("/note", 1)[0])
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(page, "05-tablet-review")

        # sign out: the session ends on the server
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/signin")
        page.goto(base + "/clients")
        assert page.url.endswith("/signin")
        assert not [e for e in errors if "Content Security Policy" in e], errors
        context.close()
