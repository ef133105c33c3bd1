"""Cookies, sessions (rotation, idle and absolute expiry, server-side sign-out), headers, CSRF, hosts."""

from __future__ import annotations

import re

import pytest

from sessionlens.web import headers as H

from fastapi.testclient import TestClient

from .conftest import SignedIn
from .helpers import BASE, CAROL_PASSWORD, PASSPHRASE, browser, post_signin, pre_of, sign_in


def _set_cookie(response, name: str) -> str:
    return next(v for k, v in response.headers.multi_items() if k == "set-cookie" and v.startswith(name + "="))


def test_session_cookie_attributes_and_rotation(vault) -> None:
    directory, _ = vault
    with browser(directory) as client:
        first = post_signin(client, "", PASSPHRASE)
        cookie = _set_cookie(first, H.SESSION_COOKIE)
        for part in ("__Host-sl_session=", "Path=/", "HttpOnly", "SameSite=Strict", "Secure"):
            assert part in cookie
        assert "Domain" not in cookie
        old = client.cookies.get(H.SESSION_COOKIE)
        sign_in(client)
        new = client.cookies.get(H.SESSION_COOKIE)
        assert new != old
        client.cookies.set(H.SESSION_COOKIE, old, domain="127.0.0.1")
        assert client.get("/api/clients").status_code == 401  # the old id died at the new sign-in


def test_sign_out_ends_the_session_on_the_server(alice: SignedIn) -> None:
    client, csrf = alice.client, alice.csrf
    stolen = client.cookies.get(H.SESSION_COOKIE)
    assert client.post("/signout", data={"csrf": csrf}).status_code == 303
    client.cookies.set(H.SESSION_COOKIE, stolen, domain="127.0.0.1")
    assert client.get("/api/clients").status_code == 401
    assert client.get("/clients").headers["location"] == "/signin"
    assert client.app.state.web.vault is None  # the last session ended: the key is dropped


@pytest.mark.parametrize("kind", ["idle", "absolute"])
def test_sessions_expire(alice: SignedIn, kind: str) -> None:
    client = alice.client
    store = client.app.state.web.sessions
    now = [store.clock()]
    store.clock = lambda: now[0]
    if kind == "idle":
        now[0] += store.idle + 1
    else:
        for _ in range(int(store.lifetime // store.idle) + 2):  # active all along, but too long
            now[0] += store.idle - 1
            client.get("/api/health")
            client.get("/api/clients")
    assert client.get("/api/clients").status_code == 401
    assert client.get("/clients").status_code == 303


def test_wrong_passphrase_and_password(vault) -> None:
    directory, _ = vault
    with browser(directory) as client:
        bad = post_signin(client, "", "not the passphrase at all")
        assert bad.status_code == 401 and H.SESSION_COOKIE not in bad.headers.get("set-cookie", "")
        locked = client.post("/signin", data={"pre": pre_of(bad.text), "username": "carol", "secret": CAROL_PASSWORD})
        # vault locked (owner first): the same answer as a wrong password, so a stranger learns nothing
        assert locked.status_code == 401 and "cannot sign in now" in locked.text and "locked" not in locked.text
        sign_in(client)
        other = TestClient(client.app, base_url=BASE, follow_redirects=False)  # same server, second browser
        assert sign_in(other, "carol", CAROL_PASSWORD)


def test_sign_in_form_needs_its_token(vault) -> None:
    directory, _ = vault
    with browser(directory) as client:
        client.get("/signin")
        answer = client.post("/signin", data={"pre": "forged", "secret": "correct horse battery staple"})
        assert answer.status_code == 403


def test_forged_cross_site_requests_are_refused(alice: SignedIn) -> None:
    client, csrf = alice.client, alice.csrf
    form = {"csrf": csrf, "name": "Forged"}
    assert client.post("/clients", data=form, headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post("/clients", data=form, headers={"sec-fetch-site": "cross-site"}).status_code == 403
    assert client.post("/clients", data={"name": "Forged"}).status_code == 403
    assert client.post("/api/clients", json={"name": "Forged"}).status_code == 403
    assert client.post("/api/clients", json={"name": "Forged"}, headers={"x-csrf-token": "x" * 43}).status_code == 403
    ok = client.post("/api/clients", json={"name": "Real"}, headers={"x-csrf-token": csrf})
    assert ok.status_code == 201


def test_foreign_host_header_is_refused(vault) -> None:
    directory, _ = vault
    with browser(directory) as client:
        assert client.get("/api/health", headers={"host": "attacker.example"}).status_code == 400


def test_headers_on_pages_api_errors_and_static(alice: SignedIn) -> None:
    client, ids = alice.client, alice.ids
    for url in ("/clients", f"/sessions/{ids['session']}", "/api/clients", "/sessions/s-zzzzzzzz",
                "/api/health", "/no/such/page"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["cache-control"] == "no-store", url
    static = client.get("/static/app.css")
    assert static.headers["cache-control"].startswith("private") and "nosniff" in static.headers[
        "x-content-type-options"]


def test_pages_carry_no_inline_script_or_style_and_no_names_in_urls(alice: SignedIn) -> None:
    client, ids = alice.client, alice.ids
    for url in ("/clients", f"/clients/{ids['client']}", f"/sessions/{ids['session']}",
                f"/sessions/{ids['session']}/note", "/settings", f"/clients/{ids['client']}/record"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers
        for link in re.findall(r'(?:href|src|action)="([^"]*)"', html):
            assert "Dana" not in link and "Example" not in link
        assert "cdn" not in html.lower() and "googleapis" not in html
