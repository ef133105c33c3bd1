"""Accessibility: axe-core (the npm package, pinned in tests/web/a11y/package-lock.json and installed by
scripts/ensure-system.sh) runs in Debian's Chromium on every page of the app, signed out and signed in, in the
states a clinician meets them (an empty vault's set-up, a draft and a signed note, a failed job with its Retry
button, the editable settings form). No serious or critical violation is allowed. One server and one browser for the module.

Every HTML page route is visited: a page route added to the app without a place here fails the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

from sessionlens.jobs.stages import PAUSE_ENV
from sessionlens.web.routes import ROUTERS

from .helpers import DEMO, PASSPHRASE, settings
from .live import live_server
from .test_browser import CHROMIUM, browser, shot  # noqa: F401  (the module-scoped Chromium fixture)

AXE = Path(__file__).resolve().parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
# Routes that answer with a file, not a page (their HTML-free bodies have nothing for axe to check).
DOWNLOADS = {"/sessions/{session_id}/export/{what}", "/sessions/{session_id}/note/export/{kind}",
             "/sessions/{session_id}/journal.md", "/packets/{packet_id}/pdf", "/codes/export"}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium)")


def axe_source() -> str:
    if not AXE.exists():
        if shutil.which("npm") is None:
            pytest.skip("npm is not installed, so axe-core is not either (scripts/ensure-system.sh)")
        pytest.fail(f"axe-core is missing ({AXE}): run `bash scripts/ensure-system.sh` (npm ci in tests/web/a11y)")
    return AXE.read_text(encoding="utf-8")


RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      nodes: v.nodes.slice(0, 4).map(n => n.target.join(" "))}));
}"""


def violations(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's serious and critical findings on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)  # evaluated by the test harness, not as a page script: the CSP stays strict
    return [v for v in page.evaluate(RUN) if v["impact"] in BLOCKING]


def page_routes() -> set[str]:
    return {r.path for router in ROUTERS for r in router.routes
            if isinstance(r, APIRoute) and "GET" in r.methods and not r.path.startswith("/api/")} - DOWNLOADS


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A vault owned by alice (a clinician): a client with consent to supervision, a session, a packet; an admin
    and a disabled supervisor."""
    from sessionlens.services import accounts, clients, consent, sessions, supervision, vaults
    from sessionlens.services.roles import Role

    data = tmp_path_factory.mktemp("a11y") / "vault"
    ctx = vaults.init_vault(PASSPHRASE, "alice", data_dir=data, settings=settings()).ctx
    client = clients.add_client(ctx, "Dana Example")["id"]
    consent.record_consent(ctx, client, scopes=("recording", "analysis", "supervision"))
    session = sessions.import_session(ctx, client, DEMO.read_bytes(), source="demo.vtt")["id"]
    packet = supervision.build_packet(ctx, client, [(session, "u10-u20")])["id"]
    accounts.add_account(ctx, "bob", Role.ADMIN, "bob-admin-pass-1")  # the accounts page with its controls
    accounts.add_account(ctx, "sam", Role.SUPERVISOR, "sam-supervisor-1")
    accounts.disable_account(ctx, "sam")
    ctx.vault.close()
    return {"data": str(data), "client": client, "session": session, "packet": packet}


@pytest.fixture(scope="module")
def signed_in(browser, world: dict[str, str]) -> Iterator[tuple[Any, str]]:  # noqa: F811
    with live_server(settings(), Path(world["data"])) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 860})
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(base + "/signin")
        page.get_by_label("Passphrase or password").fill(PASSPHRASE)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/clients")
        yield page, base
        context.close()


def _api(page: Any, base: str, method: str, path: str, **kw: Any) -> Any:
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    answer = page.request.fetch(base + path, method=method, headers={"x-csrf-token": token, **kw.pop("headers", {})},
                                **kw)
    assert answer.ok, answer.text()
    return answer.json()


def _upload(page: Any, base: str, client: str, data: bytes, name: str, until: tuple[str, ...]) -> str:
    job = _api(page, base, "POST", f"/api/clients/{client}/uploads", data=data,
               headers={"content-type": "application/octet-stream", "x-upload-name": name})
    for _ in range(600):
        if _api(page, base, "GET", f"/api/jobs/{job['id']}")["state"] in until:
            return job["id"]
        page.wait_for_timeout(100)
    raise AssertionError(f"job {job['id']} never reached {until}")


def test_every_page_has_no_serious_or_critical_violation(browser, signed_in, world, tmp_path: Path,  # noqa: F811
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    source = axe_source()
    page, base = signed_in
    _api(page, base, "POST", f"/api/sessions/{world['session']}/note/draft", data={"format": "soap"})
    _upload(page, base, world["client"], b"WEBVTT\n\nnot a cue\n", "broken.vtt", ("failed",))  # Retry shown
    monkeypatch.setenv(PAUSE_ENV, "parse:15")  # and a job held running (its Cancel button; no reload)
    running = _upload(page, base, world["client"], DEMO.read_bytes(), "demo.vtt", ("running",))
    c, s = world["client"], world["session"]
    visits = {  # route -> (url, screenshot name or ""); the jobs page first, while its job is held running
        "/jobs": ("/jobs", "19-jobs-cancel-retry"),
        "/": ("/", ""), "/clients": ("/clients", ""), "/clients/{client_id}": (f"/clients/{c}", ""),
        "/clients/{client_id}/record": (f"/clients/{c}/record", ""),
        "/sessions/{session_id}": (f"/sessions/{s}", ""),
        "/sessions/{session_id}/note": (f"/sessions/{s}/note", ""),
        "/settings": ("/settings", "19-settings"), "/reflection": ("/reflection", ""),
        "/sessions/{session_id}/impressions": (f"/sessions/{s}/impressions", ""),
        "/sessions/{session_id}/journal": (f"/sessions/{s}/journal", ""),
        "/sessions/{session_id}/markers": (f"/sessions/{s}/markers", ""),
        "/clients/{client_id}/trends": (f"/clients/{c}/trends", ""), "/me/trends": ("/me/trends", ""),
        "/me/{kind}": ("/me/wellbeing", ""), "/packets": ("/packets", ""),
        "/clients/{client_id}/packet": (f"/clients/{c}/packet", ""),
        "/packets/{packet_id}": (f"/packets/{world['packet']}", ""), "/deidentify": ("/deidentify", ""),
        "/clients/{client_id}/revoke-delete": (f"/clients/{c}/revoke-delete", ""),
        "/accounts": ("/accounts", "19-accounts-roles"),
    }
    extra = [f"/sessions/{s}/note", "/me/standing", "/no-such-page"]  # the note once signed, the 404 page
    assert page_routes() - set(visits) <= {"/signin", "/setup"}, "a page route has no place in this test"
    found: dict[str, list[dict[str, Any]]] = {}
    for route, (url, name) in visits.items():
        page.goto(base + url)
        found[url] = violations(page, source)
        if name:
            shot(page, name)
        if route == "/jobs":  # cancel the running job from its page
            page.get_by_role("button", name="Cancel the transcript job").click()
            page.wait_for_url("**/jobs")
            assert page.locator(f'form[action="/jobs/{running}/cancel"]').count() == 0
            assert "cancelled" in page.content()
            shot(page, "19-jobs-cancelled")
    _api(page, base, "POST", f"/api/sessions/{s}/note/sign")
    for url in extra:
        page.goto(base + url)
        found[url + (" (signed)" if url.endswith("/note") else "")] = violations(page, source)

    # signed out: the sign-in page, and the set-up page of a machine with no vault yet
    anonymous = browser.new_context(viewport={"width": 1280, "height": 860}).new_page()
    anonymous.goto(base + "/signin")
    found["/signin"] = violations(anonymous, source)
    with live_server(settings(), tmp_path / "empty") as fresh:
        anonymous.goto(fresh + "/setup")
        found["/setup"] = violations(anonymous, source)
    anonymous.context.close()
    bad = {url: v for url, v in found.items() if v}
    assert not bad, "axe-core serious/critical violations:\n" + "\n".join(
        f"{url}: {x['impact']} {x['id']} ({x['help']}) at {x['nodes']}" for url, v in bad.items() for x in v)
    assert len(found) >= len(page_routes()) + 2
