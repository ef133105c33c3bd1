"""The reflection and supervision pages through the web app (TestClient): every page renders, forms
need the CSRF token, refusals are clean answers, and nothing the pages say about the clinician grades."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sessionlens.reflection.language import violations
from sessionlens.services import accounts, consent
from sessionlens.vault.accounts import Role

from ..web.helpers import BASE, DEMO, browser, make_vault, sign_in

BOB = "bob-password-123"


def _bob_supervises(ctx: Any, ids: dict[str, str]) -> None:
    accounts.add_account(ctx, "bob", Role.SUPERVISOR, BOB)
    consent.record_consent(ctx, ids["client"], ["recording", "analysis", "supervision"])


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    directory = tmp_path_factory.mktemp("reflection-web")
    return directory, make_vault(directory, _bob_supervises)


@pytest.fixture
def app(template, tmp_path):
    source, ids = template
    shutil.copytree(source, tmp_path / "v")
    client = browser(tmp_path / "v")
    token = sign_in(client)
    return client, token, ids


def second_browser(first: TestClient) -> TestClient:
    """Another browser (own cookies) on the same running app."""
    return TestClient(first.app, base_url=BASE, follow_redirects=False)


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_reflection_pages_render_and_forms_work(app, deid_model):
    c, csrf, ids = app
    s, cl = ids["session"], ids["client"]
    pages = ["/reflection", f"/sessions/{s}/impressions", f"/sessions/{s}/journal", f"/clients/{cl}/trends",
             "/me/trends", "/me/wellbeing", "/me/standing", "/packets", f"/clients/{cl}/packet", "/deidentify"]
    for url in pages:
        r = c.get(url)
        assert r.status_code == 200, (url, r.text[:300])
    assert c.post(f"/sessions/{s}/impressions", data={"talk_share": "70", "csrf": csrf}).status_code == 303
    page = c.get(f"/sessions/{s}/impressions?compare=1").text
    assert "Recorded before you opened" in page and "harder on you than the record" in page
    assert c.post(f"/sessions/{s}/journal", data={"text": "I felt tired.", "csrf": csrf}).status_code == 303
    assert "I felt tired." in c.get(f"/sessions/{s}/journal").text
    assert c.get(f"/sessions/{s}/journal.md").text.startswith("# Reflection journal")
    items = {f"item{n}": "1" for n in range(1, 10)}
    assert c.post(f"/clients/{cl}/measures", data={"instrument": "phq9", **items, "csrf": csrf}).status_code == 303
    assert "9 (mild)" in c.get(f"/sessions/{s}/markers").text
    wb = {k: "2" for k in ("rest", "carry", "support", "meaning", "boundaries")}
    assert c.post("/me/wellbeing", data={**wb, "csrf": csrf}).status_code == 303
    st = {k: "3" for k in ("goal", "setbacks", "resistance", "limits", "supervision")}
    assert c.post("/me/standing", data={**st, "csrf": csrf}).status_code == 303
    for url in pages + [f"/sessions/{s}/markers", f"/sessions/{s}/impressions?compare=1"]:
        assert not violations(_text(c.get(url).text)), url


def test_packet_flow_and_refusals(app, deid_model):
    c, csrf, ids = app
    s, cl = ids["session"], ids["client"]
    assert c.post(f"/clients/{cl}/packet", data={"csrf": csrf}).status_code == 400  # nothing selected
    r = c.post(f"/clients/{cl}/packet", data={f"session_{s}": "on", f"excerpt_{s}": "u1-u12",
                                              "questions": "How do I help Dana?", "csrf": csrf})
    assert r.status_code == 303
    pid = r.headers["location"].rsplit("/", 1)[1]
    page = c.get(f"/packets/{pid}").text
    assert "No automatic de-identification is complete" in page and "Daniel" not in page and "Dana" not in page
    assert c.get(f"/packets/{pid}/pdf").status_code == 400  # not reviewed yet
    assert c.post(f"/packets/{pid}", data={"action": "approve", "csrf": csrf}).status_code == 303
    assert c.get(f"/packets/{pid}/pdf").content.startswith(b"%PDF")
    sealed = c.post(f"/packets/{pid}/sealed", data={"supervisor": "bob", "csrf": csrf})
    assert sealed.content.startswith(b"SLPACKET1")
    assert c.post(f"/packets/{pid}/sealed", data={"supervisor": "bob"}).status_code == 403  # no CSRF token
    bare = c.post(f"/clients/{ids['bare_client']}/packet", data={f"session_{s}": "on", "csrf": csrf})
    assert bare.status_code in (404, 409) and "Dana" not in bare.text


def test_supervisor_sees_only_packets_addressed_to_them(app, tmp_path, deid_model):
    c, csrf, ids = app
    r = c.post(f"/clients/{ids['client']}/packet", data={f"session_{ids['session']}": "on", "csrf": csrf})
    pid = r.headers["location"].rsplit("/", 1)[1]
    sup = second_browser(c)
    sign_in(sup, "bob", BOB)
    assert sup.get(f"/packets/{pid}").status_code == 403  # not sealed for bob yet
    assert sup.get("/reflection").status_code == 403
    assert pid not in sup.get("/packets").text
    c.post(f"/packets/{pid}", data={"action": "approve", "csrf": csrf})
    c.post(f"/packets/{pid}/sealed", data={"supervisor": "bob", "csrf": csrf})
    assert pid in sup.get("/packets").text
    page = sup.get(f"/packets/{pid}").text
    assert "No automatic de-identification is complete" in page and "Replace line" not in page


def test_deidentify_api(app, deid_model):
    c, csrf, _ = app
    r = c.post("/api/deidentify", content=DEMO.read_bytes(), headers={"X-CSRF-Token": csrf, "X-Upload-Name": "d.vtt"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["format"] == "vtt" and "Daniel" not in body["text"] and "[Client]" in body["text"]
    assert c.post("/api/deidentify", content=b"x").status_code == 403  # CSRF header missing
