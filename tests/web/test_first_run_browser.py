"""The first run in Debian's Chromium, against a real `sessionlens serve --open` process over an empty
SESSIONLENS_HOME: --open hands the URL to the default browser ($BROWSER, here a script that writes it
down), the set-up page shows strength as the passphrase is typed, the recovery key is confirmed, the
clinician lands on the empty client list and adds a first client; a second tab whose set-up form was
opened before is refused.

Screenshots: tests/web/artifacts/2*.png (git-ignored).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .live import free_port
from .test_browser import ARGS, CHROMIUM, browser, shot, wait_until  # noqa: F401  (browser is a fixture)

PASSPHRASE = "lantern orchard quietly seventeen"
KEY = re.compile(r"^[A-Z0-9]{4}(-[A-Z0-9]{1,4})+$")


@pytest.fixture
def served(tmp_path: Path):
    """`sessionlens serve --open` over an empty home; yields (url the browser was asked to open, home)."""
    home, opened = tmp_path / "home", tmp_path / "opened.txt"
    fake_browser = tmp_path / "browser.sh"
    fake_browser.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n')
    fake_browser.chmod(0o700)
    env = {**os.environ, "SESSIONLENS_HOME": str(home), "SESSIONLENS_KDF_MEMORY_MIB": "64",
           "SESSIONLENS_KDF_PARALLELISM": "1", "BROWSER": str(fake_browser)}
    env.pop("SESSIONLENS_DATABASE_URL", None)
    command = [sys.executable, "-m", "sessionlens", "serve", "--port", str(free_port()), "--open"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 60
        while not opened.exists() or not opened.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                said = proc.stdout.read() if proc.stdout else ""
                raise AssertionError(f"--open never opened a browser: {said}")
            time.sleep(0.1)
        assert not home.exists()  # serving and opening made no vault
        yield opened.read_text(), home
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_first_run_from_serve_open_to_a_first_client(browser, served) -> None:  # noqa: F811
    url, home = served
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)
    context = browser.new_context(viewport={"width": 1100, "height": 820})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # a second tab of the same browser opens the set-up form too, before any vault exists
    other = context.new_page()
    other.set_default_timeout(20_000)
    other.goto(url + "signin")
    assert other.url.endswith("/setup")

    page.goto(url)  # the URL --open handed over leads to set-up
    assert page.url.endswith("/setup")
    assert page.locator("h1").inner_text() == "Set up your vault"

    page.fill("#passphrase", "short one")
    wait_until(page, "document.getElementById('strength-text').textContent.includes('at least 12')")
    shot(page, "20-setup-too-short")
    page.fill("#passphrase", "password1234")
    wait_until(page, "['very weak', 'weak'].includes(document.getElementById('setup-form').dataset.strength)")
    page.fill("#passphrase", PASSPHRASE)
    wait_until(page, "/Strength: (very )?strong/.test(document.getElementById('strength-text').textContent)")
    assert page.evaluate("document.getElementById('strength-meter').value") >= 3
    page.fill("#confirm", PASSPHRASE + "x")
    assert page.locator("#match-text").inner_text() == "The two entries differ."
    page.fill("#confirm", PASSPHRASE)
    assert page.locator("#match-text").inner_text() == "The two entries match."
    shot(page, "21-setup-strong")
    assert PASSPHRASE not in page.url
    page.click("#create")

    page.wait_for_selector("#recovery-key")
    key = page.locator("#recovery-key").inner_text()
    assert KEY.match(key), key
    shot(page, "22-recovery-key")
    page.click("#continue")  # not ticked: the browser keeps the page (the box is required)
    assert page.locator("#recovery-key").is_visible()
    page.check("#stored")
    page.click("#continue")
    page.wait_for_url("**/clients")
    assert page.locator("main").inner_text().count("No clients yet.") == 1
    assert page.locator(".who").inner_text().startswith("Signed in as ")
    shot(page, "23-empty-client-list")

    page.fill("#name", "Robin First")
    page.click("form[action='/clients'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/clients/c-[a-z0-9]+$"))
    assert "Robin First" in page.locator("h1").inner_text()
    shot(page, "24-first-client")
    page.goto(url + "clients")
    assert "Robin First" in page.locator("table.data").inner_text()

    # the second tab, whose form was opened before the vault existed, is refused; so is opening set-up again
    other.fill("#passphrase", "another passphrase entirely")
    other.fill("#confirm", "another passphrase entirely")
    other.click("#create")
    other.wait_for_selector("#setup-refused")
    assert other.locator("#setup-refused").inner_text().startswith("A vault already exists here")
    shot(other, "25-second-tab-refused")
    answer = other.goto(url + "setup")
    assert answer is not None and answer.status == 409
    assert other.locator("#setup-form").count() == 0
    assert errors == [] or all("409" in e for e in errors), errors  # only the refused page's own status
    context.close()
