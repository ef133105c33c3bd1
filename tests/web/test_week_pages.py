"""Issue 19, first part: the jobs page and a readiness check that reports no broker on the laptop."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

from .conftest import SignedIn
from .helpers import BASE, CAROL_PASSWORD, DEMO, browser, csrf_of, sign_in, upload, wait_for_job


def _upload(client, client_id: str, data: bytes, name: str, csrf: str) -> dict:
    answer = upload(client, client_id, data, name, csrf)
    assert answer.status_code == 202, answer.text
    return wait_for_job(client, answer.json()["id"], tries=400)


def test_ready_reports_no_broker_for_the_in_memory_keyring(vault) -> None:
    directory, _ = vault
    with browser(directory) as client:
        sign_in(client)  # the in-process runner and its memory keyring exist now
        answer = client.get("/api/ready")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ready", "checks": {"database": True}}


def test_jobs_page_lists_own_jobs_with_a_phi_free_reason(vault) -> None:
    directory, ids = vault
    with browser(directory) as client:
        assert client.get("/jobs").headers["location"] == "/signin"
        csrf = sign_in(client)
        assert "No processing jobs yet" in client.get("/jobs").text
        done = _upload(client, ids["client"], DEMO.read_bytes(), "demo.vtt", csrf)
        canary = b"WEBVTT\n\nnot a cue CANARY-Zebulon-Quartz\n"
        failed = _upload(client, ids["client"], canary, "broken.vtt", csrf)
        page = html.unescape(client.get("/jobs").text)
    assert done["state"] == "done" and failed["state"] == "failed", (done, failed)
    assert f'href="/sessions/{done["session"]}"' in page
    assert "failed" in page and failed["message"] and failed["message"] in page
    assert "Zebulon" not in page and "Dana Example" not in page  # no transcript text, no client name


def test_jobs_page_shows_only_the_accounts_own_jobs(alice: SignedIn) -> None:
    client, ids, csrf = alice.client, alice.ids, alice.csrf
    _upload(client, ids["client"], DEMO.read_bytes(), "demo.vtt", csrf)
    assert "Review</a>" in client.get("/jobs").text
    other = TestClient(client.app, base_url=BASE, follow_redirects=False)  # carol signs in on the same server
    sign_in(other, "carol", CAROL_PASSWORD)
    assert "No processing jobs yet" in other.get("/jobs").text


def test_revoke_consent_and_delete_needs_the_typed_confirmation(vault) -> None:
    from sessionlens.vault import audit, store

    directory, ids = vault
    target = f"/clients/{ids['client']}/revoke-delete"
    with browser(directory) as client:
        csrf = sign_in(client)
        assert target in client.get(f"/clients/{ids['client']}").text
        page = client.get(target)
        assert page.status_code == 200 and "cannot be undone" in page.text
        other = TestClient(client.app, base_url=BASE, follow_redirects=False)  # carol: not her client
        carol_csrf = sign_in(other, "carol", CAROL_PASSWORD)
        assert other.post(target, data={"csrf": carol_csrf, "confirm": "delete"}).status_code == 404
        assert client.post(target, data={"confirm": "delete"}).status_code == 403  # no CSRF token
        for word in ("", "yes", "x" * 5000, "dele\x00te"):
            refused = client.post(target, data={"csrf": csrf, "confirm": word})
            assert refused.status_code == 400 and "type 'delete' to confirm" in html.unescape(refused.text)
        assert client.get(f"/clients/{ids['client']}").status_code == 200  # nothing deleted yet
        done = client.post(target, data={"csrf": csrf, "confirm": " Delete "})
        assert done.status_code == 200 and "Deletion receipt" in done.text, done.text
        assert "Dana Example" not in done.text
        assert client.get(f"/clients/{ids['client']}").status_code == 404
        assert client.get(f"/sessions/{ids['session']}").status_code == 404
        with store.transaction(client.app.state.web.vault.engine) as conn:
            actions = [e.action for e in audit.entries_for(conn, ids["client"])]
    assert actions.index("consent.revoke") < actions.index("client.shred")  # the receipt, after the revocation


def test_addendum_to_a_signed_note(vault) -> None:
    directory, ids = vault
    sid = ids["session"]
    target = f"/sessions/{sid}/note/addenda"
    with browser(directory) as client:
        csrf = sign_in(client)
        h = {"x-csrf-token": csrf}
        assert client.post(f"/api/sessions/{sid}/note/draft", json={"format": "soap"}, headers=h).status_code == 201
        early = client.post(target, data={"csrf": csrf, "text": "Too early."})
        assert early.status_code == 400 and "addenda are for signed notes" in early.text  # a draft is edited instead
        assert client.post(f"/api/sessions/{sid}/note/sign", headers=h).status_code == 200
        assert 'action="/sessions/' + sid + '/note/addenda"' in client.get(f"/sessions/{sid}/note").text
        assert client.post(target, data={"text": "No token."}).status_code == 403
        for bad in ("", "   ", "x" * 4001):
            refused = client.post(target, data={"csrf": csrf, "text": bad})
            assert refused.status_code == 400 and "characters" in refused.text
        too_big = client.post(target, content=b"csrf=" + csrf.encode() + b"&text=" + b"y" * 70_000,
                              headers={"content-type": "application/x-www-form-urlencoded"})
        assert 400 <= too_big.status_code < 500
        added = client.post(target, data={"csrf": csrf, "text": "Client phoned next day; plan unchanged."})
        assert added.status_code == 303 and added.headers["location"].endswith("/note#addenda")
        note = client.get(f"/api/sessions/{sid}/note").json()
        other = TestClient(client.app, base_url=BASE, follow_redirects=False)
        carol_csrf = sign_in(other, "carol", CAROL_PASSWORD)
        assert other.post(target, data={"csrf": carol_csrf, "text": "Not mine."}).status_code == 404
    assert [a["text"] for a in note["addenda"]] == ["Client phoned next day; plan unchanged."]
    assert note["addenda"][0]["author"] == "alice" and note["status"] == "signed"


def test_accounts_page_for_admins_without_clinical_content(vault) -> None:
    directory, ids = vault
    with browser(directory) as owner:
        csrf = sign_in(owner)
        page = owner.get("/accounts")
        assert page.status_code == 200 and "carol" in page.text and "Dana Example" not in page.text
        assert owner.post("/accounts", data={"username": "bob", "role": "admin",
                                             "password": "bob-admin-pass-1"}).status_code == 403  # no token
        for bad in ({"username": "bob", "role": "root", "password": "bob-admin-pass-1"},
                    {"username": "b o b!" * 40, "role": "admin", "password": "bob-admin-pass-1"},
                    {"username": "bob", "role": "admin", "password": ""}):
            refused = owner.post("/accounts", data={"csrf": csrf, **bad})
            assert 400 <= refused.status_code < 500 and "\n" not in html.unescape(refused.text).split(
                'class="message"')[-1].split("</p>")[0].strip(), refused.text
        added = owner.post("/accounts", data={"csrf": csrf, "username": "bob", "role": "admin",
                                              "password": "bob-admin-pass-1"})
        assert added.status_code == 303, added.text
        assert owner.post("/accounts/carol/explode", data={"csrf": csrf}).status_code == 400
        assert owner.post("/accounts/" + "c" * 500 + "/disable", data={"csrf": csrf}).status_code == 400
        assert owner.post("/accounts/nobody/disable", data={"csrf": csrf}).status_code == 404
        admin = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        sign_in(admin, "bob", "bob-admin-pass-1")
        assert "bob" in admin.get("/accounts").text
        assert "Dana Example" not in admin.get("/clients").text  # an admin sees no clinical content
        assert admin.get(f"/sessions/{ids['session']}").status_code in (403, 404)
        carol = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        sign_in(carol, "carol", CAROL_PASSWORD)
        assert carol.get("/accounts").status_code == 403  # clinicians do not manage accounts
        admin_csrf = csrf_of(admin)
        assert admin.post("/accounts/carol/disable", data={"csrf": admin_csrf}).status_code == 303
        assert "disabled" in admin.get("/accounts").text
        reset = admin.post("/accounts/carol/password", data={"csrf": admin_csrf, "password": "carol-new-pass-22"})
        assert reset.status_code == 303, reset.text
        assert admin.post("/accounts/carol/enable", data={"csrf": admin_csrf}).status_code == 303
        again = TestClient(owner.app, base_url=BASE, follow_redirects=False)
        sign_in(again, "carol", "carol-new-pass-22")
