"""First run in the browser (issue 13, item 3): with no vault every page leads to /setup; the passphrase is
judged by the same rule as `sessionlens init`; the vault is made by the same service; the recovery key is
shown once and confirmed before the session cookie is handed over; a second tab, a second post and hostile
input are refused with a 4xx, never a 500 and never a second vault; a practice server keeps `init`.
"""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sessionlens.errors import InputError
from sessionlens.services import vaults
from sessionlens.web import create_app
from sessionlens.web.routes import setup_pages

from .helpers import BASE, settings

PASSPHRASE = "lantern orchard quietly seventeen"
RECOVERY = re.compile(r'id="recovery-key">([A-Z0-9-]+)<')


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"  # does not exist yet: a newcomer's empty SESSIONLENS_HOME


def client_for(home: Path, **overrides: object) -> TestClient:
    return TestClient(create_app(settings(**overrides), home), base_url=BASE, follow_redirects=False)


def pre_token(page_text: str) -> str:
    return re.search(r'name="pre" value="([^"]+)"', page_text).group(1)


def open_form(client: TestClient) -> str:
    page = client.get("/setup")
    assert page.status_code == 200 and 'id="setup-form"' in page.text
    return pre_token(page.text)


def post_setup(client: TestClient, pre: str, passphrase: str = PASSPHRASE, confirm: str | None = None):
    return client.post("/setup", data={"pre": pre, "passphrase": passphrase,
                                       "confirm": passphrase if confirm is None else confirm})


def message(page_text: str) -> str:
    return re.search(r'role="alert"[^>]*>([^<]*)<', page_text).group(1)


def exists(home: Path) -> bool:
    return vaults.vault_exists(data_dir=home, settings=settings())


# --- no vault: every page leads to the set-up page ----------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/signin", "/clients", "/settings", "/reflection", "/packets"])
def test_every_page_leads_to_setup(home: Path, path: str) -> None:
    answer = client_for(home).get(path)
    assert answer.status_code == 303 and answer.headers["location"] == "/setup"


def test_api_still_answers_401_and_looking_creates_nothing(home: Path) -> None:
    client = client_for(home)
    assert client.get("/api/clients").status_code == 401
    page = client.get("/setup")
    assert page.status_code == 200
    assert "at least 12 characters" in page.text and 'type="password"' in page.text
    assert not home.exists()  # pages and redirects never make a vault file


def test_signin_page_returns_once_a_vault_exists(home: Path) -> None:
    vaults.init_vault(PASSPHRASE, "alice", data_dir=home, settings=settings()).ctx.vault.close()
    client = client_for(home)
    assert client.get("/").headers["location"] == "/signin"
    assert client.get("/signin").status_code == 200


# --- the passphrase: the init rule, the live strength, the confirmation -------------------------------------

def test_strength_is_the_rule_of_init(home: Path) -> None:
    client = client_for(home)
    pre = open_form(client)
    short = client.post("/setup/strength", data={"pre": pre, "passphrase": "x" * 11}).json()
    assert short == {"acceptable": False, "score": 0, "label": "very weak", "length": 11, "minimum": 12,
                     "advice": "the passphrase must have at least 12 characters"}
    weak_but_allowed = client.post("/setup/strength", data={"pre": pre, "passphrase": "password1234"}).json()
    assert weak_but_allowed["acceptable"] and weak_but_allowed["score"] <= 1 and weak_but_allowed["advice"]
    strong = client.post("/setup/strength", data={"pre": pre, "passphrase": PASSPHRASE}).json()
    assert strong["acceptable"] and strong["score"] >= 3 and strong["label"] in ("strong", "very strong")
    huge = client.post("/setup/strength", data={"pre": pre, "passphrase": "ab1" * 2000}).json()
    assert not huge["acceptable"] and "at most 1024" in huge["advice"]
    assert client.post("/setup/strength", data={"passphrase": PASSPHRASE}).status_code == 403  # no token


@pytest.mark.parametrize("length", [11, 12, 1024, 1025])
def test_web_and_init_accept_and_refuse_the_same(tmp_path: Path, length: int) -> None:
    passphrase = ("river stone " * 100)[:length]
    try:
        made = vaults.init_vault(passphrase, "alice", data_dir=tmp_path / "cli", settings=settings())
        made.ctx.vault.close()
        cli_ok = True
    except InputError:
        cli_ok = False
    client = client_for(tmp_path / "web")
    answer = post_setup(client, open_form(client), passphrase)
    assert (answer.status_code == 200) == cli_ok == (12 <= length <= 1024)
    assert exists(tmp_path / "web") == cli_ok


def test_weak_passphrase_is_refused_and_makes_nothing(home: Path) -> None:
    client = client_for(home)
    answer = post_setup(client, open_form(client), "too short")
    assert answer.status_code == 400
    assert message(answer.text) == "The passphrase must have at least 12 characters."
    assert not exists(home) and not (home / "vault.db").exists()
    assert 'id="setup-form"' in answer.text and "too short" not in answer.text  # never echoed


def test_mismatch_is_refused_and_makes_nothing(home: Path) -> None:
    client = client_for(home)
    answer = post_setup(client, open_form(client), PASSPHRASE, PASSPHRASE + "!")
    assert answer.status_code == 400
    assert message(answer.text) == "The two entries differ. Type the same passphrase twice."
    assert not exists(home) and PASSPHRASE not in answer.text
    assert post_setup(client, pre_token(answer.text)).status_code == 200  # the fresh form works


# --- the whole first run ------------------------------------------------------------------------------------

def test_first_run_to_a_first_client(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    client = client_for(home)
    created = post_setup(client, open_form(client))
    assert created.status_code == 200 and "shown\n<strong>this once</strong>" in created.text
    key = RECOVERY.search(created.text).group(1)
    assert "sl_session" not in created.headers.get("set-cookie", "")  # not signed in before the confirmation
    assert client.get("/clients").headers["location"] == "/signin"

    # the vault is real: the passphrase opens it, and so does the key that was shown
    for how in ({"passphrase": PASSPHRASE}, {"recovery_key": key}):
        vaults.open_vault(data_dir=home, settings=settings(), **how).close()

    csrf = re.search(r'name="csrf" value="([^"]+)"', created.text).group(1)
    assert client.post("/setup/stored", data={"csrf": "forged", "stored": "on"}).status_code == 403
    unticked = client.post("/setup/stored", data={"csrf": csrf})
    assert unticked.status_code == 400 and key not in unticked.text  # asked again, the key is not shown again
    landed = client.post("/setup/stored", data={"csrf": csrf, "stored": "on"})
    assert landed.status_code == 303 and landed.headers["location"] == "/clients"

    clients_page = client.get("/clients")
    assert clients_page.status_code == 200 and "No clients yet." in clients_page.text
    assert f"Signed in as {vaults.default_owner()}" in clients_page.text
    token = re.search(r'name="csrf-token" content="([^"]+)"', clients_page.text).group(1)
    added = client.post("/clients", data={"csrf": token, "name": "Robin First", "scope_recording": "on",
                                          "scope_analysis": "on"})
    assert added.status_code == 303 and added.headers["location"].startswith("/clients/c-")
    assert "Robin First" in client.get("/clients").text

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert PASSPHRASE not in logged and key not in logged


def test_setup_cookie_is_no_session_cookie(home: Path) -> None:
    client = client_for(home)
    post_setup(client, open_form(client))
    client.cookies.delete(setup_pages.SETUP_COOKIE)
    answer = client.post("/setup/stored", data={"csrf": "x", "stored": "on"})
    assert answer.status_code == 403 and "sign in with your passphrase" in answer.text
    assert "sl_session" not in answer.headers.get("set-cookie", "")


# --- once a vault exists: refused ---------------------------------------------------------------------------

def test_second_tab_is_refused(home: Path) -> None:
    first, second = client_for(home), client_for(home)
    stale = open_form(second)  # a second tab opened the form before the vault existed
    post_setup(first, open_form(first))
    vault_id = vaults.open_vault(passphrase=PASSPHRASE, data_dir=home, settings=settings())
    vault_id, _ = vault_id.vault_id, vault_id.close()

    answer = post_setup(second, stale, "another passphrase entirely")
    assert answer.status_code == 409
    assert message(answer.text).startswith("A vault already exists here")
    assert second.get("/setup").status_code == 409
    assert second.post("/setup/strength", data={"pre": stale, "passphrase": "x"}).status_code == 409
    reopened = vaults.open_vault(passphrase=PASSPHRASE, data_dir=home, settings=settings())
    assert reopened.vault_id == vault_id  # the same vault, the first passphrase
    reopened.close()


def test_second_tab_of_the_same_browser_is_refused(home: Path) -> None:
    """Tabs share cookies: both forms carry the browser's one token; the later post is refused, not a 403."""
    browser_ = client_for(home)
    first, second = open_form(browser_), open_form(browser_)
    assert first == second
    assert post_setup(browser_, first).status_code == 200
    answer = post_setup(browser_, second, "another passphrase entirely")
    assert answer.status_code == 409 and message(answer.text).startswith("A vault already exists here")


def test_two_concurrent_posts_make_one_vault(home: Path) -> None:
    app = create_app(settings(), home)
    tabs = [TestClient(app, base_url=BASE, follow_redirects=False) for _ in range(2)]
    tokens = [open_form(t) for t in tabs]
    secrets_ = [PASSPHRASE, "a different passphrase 2"]
    results: list[int] = [0, 0]
    go = threading.Barrier(2)

    def post(i: int) -> None:
        go.wait()
        results[i] = post_setup(tabs[i], tokens[i], secrets_[i]).status_code

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [200, 409]
    winner = secrets_[results.index(200)]
    vaults.open_vault(passphrase=winner, data_dir=home, settings=settings()).close()


def test_the_database_refuses_a_second_create_without_the_web_lock(home: Path) -> None:
    """Two `init`s racing in two threads (no web lock): one vault and VaultExists, no database error."""
    outcomes: list[object] = []
    go = threading.Barrier(2)

    def create(passphrase: str) -> None:
        go.wait()
        try:
            made = vaults.init_vault(passphrase, "alice", data_dir=home, settings=settings())
            made.ctx.vault.close()
            outcomes.append("made")
        except Exception as exc:  # noqa: BLE001 - the kind of failure is what is checked
            outcomes.append(type(exc))

    threads = [threading.Thread(target=create, args=(p,)) for p in (PASSPHRASE, "a different passphrase 2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, outcomes)) == sorted(["made", str(vaults.VaultExists)])


# --- hostile input: a 4xx with a plain message, never a 500 -------------------------------------------------

def test_hostile_and_huge_input(home: Path) -> None:
    client = client_for(home)
    pre = open_form(client)
    huge = client.post("/setup", content=b"pre=" + pre.encode() + b"&passphrase=" + b"a" * 70_000,
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert huge.status_code == 413
    long = post_setup(client, pre, "b" * 5000)
    assert long.status_code == 400
    assert message(long.text) == "The passphrase must have at most 1024 characters."
    assert post_setup(client, "not-the-token").status_code == 403
    assert client.post("/setup", data={"passphrase": PASSPHRASE, "confirm": PASSPHRASE}).status_code == 403
    assert client.post("/setup", json={"pre": pre}).status_code == 400
    assert client.post("/setup", content=b"pre=\xff\xfe&passphrase=\xff",
                       headers={"content-type": "application/x-www-form-urlencoded"}).status_code == 400
    cross = client.post("/setup", data={"pre": pre, "passphrase": PASSPHRASE, "confirm": PASSPHRASE},
                        headers={"origin": "https://evil.example", "sec-fetch-site": "cross-site"})
    assert cross.status_code == 403
    assert client.get("/setup?passphrase=x").status_code == 200  # a query string is ignored, never used
    assert not exists(home)


# --- a practice server keeps `sessionlens init` -------------------------------------------------------------

def test_practice_server_keeps_init(home: Path) -> None:
    from ..server.conftest import drop_schema, pg_schema

    schema, url = pg_schema()
    try:
        client = client_for(home, database_url=url)
        assert client.get("/").headers["location"] == "/setup"
        page = client.get("/setup")
        assert page.status_code == 200 and "sessionlens init --role admin" in page.text
        assert 'id="setup-form"' not in page.text
        client.cookies.set("__Host-sl_pre", "t" * 43)
        form = {"pre": "t" * 43, "passphrase": PASSPHRASE, "confirm": PASSPHRASE}
        refused = client.post("/setup", data=form)
        assert refused.status_code == 403 and "practice server" in refused.text
        assert not vaults.vault_exists(settings=settings(database_url=url))
    finally:
        drop_schema(schema)


# --- sessionlens serve --open -------------------------------------------------------------------------------

def test_serve_open_hands_the_url_to_the_default_browser(tmp_path: Path) -> None:
    """A real `sessionlens serve --open` process: $BROWSER (python's webbrowser) gets the URL once it listens,
    and that URL leads a newcomer to set-up; nothing is written to the empty home."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    from .live import free_port

    home, opened, script = tmp_path / "home", tmp_path / "opened.txt", tmp_path / "browser.sh"
    script.write_text(f'#!/bin/sh\nprintf "%s" "$1" > "{opened}"\n')
    script.chmod(0o700)
    env = {**os.environ, "SESSIONLENS_HOME": str(home), "BROWSER": str(script)}
    env.pop("SESSIONLENS_DATABASE_URL", None)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "sessionlens", "serve", "--port", str(port), "--open"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not (opened.exists() and opened.read_text()):
            assert proc.poll() is None and time.monotonic() < deadline, "--open never opened a browser"
            time.sleep(0.1)
        assert opened.read_text() == f"http://127.0.0.1:{port}/"

        class Keep(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                return None

        try:
            urllib.request.build_opener(Keep).open(opened.read_text(), timeout=10)
            raise AssertionError("expected a redirect")
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 303 and redirect.headers["location"] == "/setup"
        assert not home.exists()
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_open_gives_up_when_the_server_never_listens() -> None:
    from types import SimpleNamespace

    from sessionlens.cli.web_cmds import open_when_listening

    stopped = SimpleNamespace(started=False, should_exit=True)
    assert open_when_listening(stopped, "http://127.0.0.1:1/") is False
