"""Shared by the web tests: a small vault (two clinicians), an app over it, signed-in clients."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from sessionlens.config import Settings
from sessionlens.services import accounts, clients, consent, sessions, vaults
from sessionlens.vault.accounts import Role
from sessionlens.web import create_app

PASSPHRASE = "correct horse battery staple"
CAROL_PASSWORD = "carol-password-1"
DEMO = Path(__file__).resolve().parents[2] / "src" / "sessionlens" / "data" / "demo_session.vtt"
BASE = "https://127.0.0.1"


def settings(**overrides: object) -> Settings:
    return Settings({"kdf_memory_mib": 64, "kdf_parallelism": 1, **overrides}, env={})


def make_vault(directory: Path) -> dict[str, str]:
    """A vault owned by alice (clinician) with carol (clinician); alice has a client with a session."""
    created = vaults.init_vault(PASSPHRASE, "alice", data_dir=directory, settings=settings())
    ctx = created.ctx
    accounts.add_account(ctx, "carol", Role.CLINICIAN, CAROL_PASSWORD)
    client = clients.add_client(ctx, "Dana Example")
    consent.record_consent(ctx, client["id"])
    session = sessions.import_session(ctx, client["id"], DEMO.read_bytes(), source="demo.vtt")
    bare = clients.add_client(ctx, "No Consent Yet")
    ctx.vault.close()
    return {"client": client["id"], "session": session["id"], "bare_client": bare["id"]}


def browser(directory: Path, **overrides: object) -> TestClient:
    return TestClient(create_app(settings(**overrides), directory), base_url=BASE, follow_redirects=False)


def sign_in(client: TestClient, username: str = "", secret: str = PASSPHRASE) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    page = client.get("/signin")
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)
    answer = client.post("/signin", data={"pre": pre, "username": username, "secret": secret})
    assert answer.status_code == 303, answer.text
    return csrf_of(client)


def csrf_of(client: TestClient) -> str:
    page = client.get("/clients")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
