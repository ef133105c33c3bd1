"""Code corrections over HTTP: the review page's form (CSRF), the JSON API, agreement and the export."""

from __future__ import annotations

import json
import re

from fastapi.testclient import TestClient

from .helpers import BASE, CAROL_PASSWORD, browser, sign_in


def _line(doc: dict, role: str, **codes: str) -> dict:
    return next(u for u in doc["utterances"] if u.get("role") == role and u.get("codes")
                and all(u["codes"].get(k) == v for k, v in codes.items()))


def test_review_form_corrects_a_code_and_the_measures_follow(vault) -> None:
    directory, ids = vault
    sid = ids["session"]
    with browser(directory) as client:
        csrf = sign_in(client)
        page = client.get(f"/sessions/{sid}")
        assert 'id="code-form"' in page.text and f'action="/sessions/{sid}/codes"' in page.text
        form = re.search(r'<form method="post" action="/sessions/[^"]+/codes".*?</form>', page.text, re.DOTALL).group(0)
        assert "<script" not in form and "style=" not in form and 'name="csrf"' in form
        before = client.get(f"/api/sessions/{sid}/analysis").json()
        q = _line(before, "therapist", therapist_behaviour="question")
        fields = {"utterance": q["id"], "therapist_behaviour": "reflection", "subcodes": "complex"}
        assert client.post(f"/sessions/{sid}/codes", data=fields).status_code == 403  # no CSRF token
        done = client.post(f"/sessions/{sid}/codes", data={**fields, "csrf": csrf})
        assert done.status_code == 303 and done.headers["location"] == f"/sessions/{sid}?corrected={q['id']}#{q['id']}"
        after = client.get(f"/api/sessions/{sid}/analysis").json()
        assert _line(after, "therapist", therapist_behaviour="reflection", corrected=True)["id"] == q["id"]
        iv, iv0 = after["metrics"]["interventions"], before["metrics"]["interventions"]
        assert iv["counts"]["reflection"] == iv0["counts"]["reflection"] + 1
        assert iv["reflections"]["complex"] == iv0["reflections"]["complex"] + 1
        shown = client.get(done.headers["location"]).text
        assert f'<option value="{q["id"]}" selected>' in shown and "Correction saved" in shown
        assert "Correction saved" not in client.get(f"/sessions/{sid}?corrected=%3Cb%3E").text
        assert re.search(rf'id="{q["id"]}".*?<span class="code">reflection \(complex\)</span>', shown, re.DOTALL)
        wrong = client.post(f"/sessions/{sid}/codes", data={"utterance": q["id"], "client_talk": "change",
                                                             "csrf": csrf})
        assert wrong.status_code == 400 and q["text"] not in wrong.text


def test_api_list_agreement_export_and_another_clinician(vault) -> None:
    directory, ids = vault
    sid = ids["session"]
    with browser(directory) as client:
        h = {"x-csrf-token": sign_in(client)}
        c = _line(client.get(f"/api/sessions/{sid}/analysis").json(), "client", client_talk="neutral")
        body = {"utterance_id": c["id"], "client_talk": "change", "note": "why I recoded it"}
        assert client.post(f"/api/sessions/{sid}/codes", json=body).status_code == 403  # no CSRF header
        ok = client.post(f"/api/sessions/{sid}/codes", json=body, headers=h)
        assert ok.status_code == 200 and ok.json()["codes"]["client_talk"] == "change"
        assert client.post(f"/api/sessions/{sid}/codes", json={**body, "client_talk": "maybe"},
                           headers=h).status_code == 400
        listed = client.get(f"/api/sessions/{sid}/codes").json()
        assert listed["corrections"][0]["model"] == "neutral" and listed["agreement"]["client_talk"]["n"] == 1
        report = client.get("/api/codes/agreement").json()
        assert report["sessions"][0]["session"] == sid and report["overall"]["client_talk"]["agreement"] == 0.0
        export = client.get("/codes/export")
        assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
        row = json.loads(export.text.splitlines()[0])
        assert row["label"] == "change" and row["model_label"] == "neutral" and row["utterance_text"] == c["text"]
        other = TestClient(client.app, base_url=BASE, follow_redirects=False)  # the vault stays unlocked
        h = {"x-csrf-token": sign_in(other, "carol", CAROL_PASSWORD)}
        assert other.get(f"/api/sessions/{sid}/codes").status_code == 404
        assert other.post(f"/api/sessions/{sid}/codes", json=body, headers=h).status_code == 404
        assert other.get("/api/codes/agreement").json()["sessions"] == []
        assert other.get("/codes/export").content == b""
