"""Sign in through the shipped reverse proxy: Debian's caddy running deploy/Caddyfile, Debian's Chromium.

The Caddyfile is used as shipped; only the public name becomes ``localhost:<port>``, the app's port the
test's own, and a global block keeps Caddy on loopback with its own local CA (no ACME, no trust store,
no admin endpoint). Issue 17, finding 13: the proxy refused ``Origin: null``, which Chromium sends for a
same-origin form post under ``Referrer-Policy: no-referrer``, so nobody could sign in through it.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from tests.web.helpers import PASSPHRASE, make_vault
from tests.web.helpers import settings as web_settings
from tests.web.live import free_port, live_server

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "deploy" / "Caddyfile"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "web" / "artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--ignore-certificate-errors"]

pytestmark = [
    pytest.mark.skipif(shutil.which("caddy") is None,
                       reason="Debian's caddy is not installed (scripts/ensure-system.sh installs it): "
                              "the proxy sign-in test cannot run"),
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)"),
]


def render(caddyfile: str, https_port: int, app_port: int, storage: Path) -> str:
    site = caddyfile.replace("sessions.example.org", f"localhost:{https_port}")
    site = site.replace("127.0.0.1:8765", f"127.0.0.1:{app_port}")
    return (f"{{\n\tadmin off\n\tlocal_certs\n\tskip_install_trust\n\tauto_https disable_redirects\n"
            f"\thttp_port {free_port()}\n\thttps_port {https_port}\n\tdefault_bind 127.0.0.1\n"
            f"\tstorage file_system {storage}\n}}\n\n{site}")


def _wait_port(port: int, proc: subprocess.Popen, log: Path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"caddy exited: {log.read_text()[-2000:]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"caddy did not listen on {port}: {log.read_text()[-2000:]}")


def sign_in_through_proxy(tmp_path: Path, caddyfile: str) -> tuple[str, str]:
    """(final path, page text) after signing in as the owner through Caddy in Chromium."""
    sync_api = pytest.importorskip("playwright.sync_api")
    directory = tmp_path / "vault"
    make_vault(directory)
    https_port = free_port()
    with live_server(web_settings(), directory) as base:
        app_port = int(base.rsplit(":", 1)[1])
        config = tmp_path / "Caddyfile"
        config.write_text(render(caddyfile, https_port, app_port, tmp_path / "caddy-data"))
        log = tmp_path / "caddy.log"
        env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg-data"),
               "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")}
        with open(log, "wb") as out:
            proc = subprocess.Popen(["caddy", "run", "--config", str(config), "--adapter", "caddyfile"],
                                    stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            _wait_port(https_port, proc, log)
            with sync_api.sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
                try:
                    page = browser.new_page(ignore_https_errors=True)
                    page.goto(f"https://localhost:{https_port}/signin")
                    page.fill("#secret", PASSPHRASE)
                    page.click("button[type=submit]")
                    page.wait_for_load_state()
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "17-caddy-signed-in.png"), full_page=True)
                    from urllib.parse import urlsplit

                    return urlsplit(page.url).path, page.content()
                finally:
                    browser.close()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def test_caddy_sign_in_through_the_shipped_proxy_config(tmp_path: Path) -> None:
    path, text = sign_in_through_proxy(tmp_path, CADDYFILE.read_text())
    assert path.startswith("/clients"), text[:500]
    assert "Dana Example" in text  # the owner's client list, served through the proxy


def test_caddy_refuses_a_cross_site_post(tmp_path: Path) -> None:
    """The proxy's own check still stands: a post with a foreign Origin never reaches the app."""
    import ssl
    import urllib.request

    https_port = free_port()
    config = tmp_path / "Caddyfile"
    config.write_text(render(CADDYFILE.read_text(), https_port, free_port(), tmp_path / "caddy-data"))
    log = tmp_path / "caddy.log"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "xdg-data")}
    with open(log, "wb") as out:
        proc = subprocess.Popen(["caddy", "run", "--config", str(config), "--adapter", "caddyfile"],
                                stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_port(https_port, proc, log)
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        codes = {}
        for name, headers in {"foreign origin": {"Origin": "https://evil.example"},
                              "cross-site fetch": {"Sec-Fetch-Site": "cross-site"},
                              "ready from outside": {}}.items():
            method = "GET" if name == "ready from outside" else "POST"
            url = f"https://localhost:{https_port}/" + ("api/ready" if method == "GET" else "signin")
            request = urllib.request.Request(url, data=b"" if method == "POST" else None, headers=headers,
                                             method=method)
            try:
                urllib.request.urlopen(request, context=context, timeout=10)
                codes[name] = 200
            except urllib.error.HTTPError as exc:
                codes[name] = exc.code
        assert codes == {"foreign origin": 403, "cross-site fetch": 403, "ready from outside": 404}
    finally:
        proc.terminate()
        proc.wait(timeout=10)
