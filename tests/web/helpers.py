"""Shared by the web tests: a small vault (two clinicians), an app over it, signed-in clients."""

from __future__ import annotations

import io
import re
import time
import wave
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from sessionlens.config import Settings
from sessionlens.services import accounts, audit, clients, consent, sessions, vaults
from sessionlens.vault.accounts import Role
from sessionlens.vault.audit import load
from sessionlens.web import create_app

PASSPHRASE = "correct horse battery staple"
CAROL_PASSWORD = "carol-password-1"
DEMO = Path(__file__).resolve().parents[2] / "src" / "sessionlens" / "data" / "demo_session.vtt"
BASE = "https://127.0.0.1"


def settings(**overrides: object) -> Settings:
    return Settings({"kdf_memory_mib": 64, "kdf_parallelism": 1, **overrides}, env={})


def make_vault(directory: Path, extra: Callable[[Any, dict[str, str]], None] | None = None) -> dict[str, str]:
    """A vault owned by alice (clinician) with carol (clinician); alice has a client with a session.

    ``extra(ctx, ids)``, if given, adds what one module needs more, as alice, before the vault is closed."""
    ctx = vaults.init_vault(PASSPHRASE, "alice", data_dir=directory, settings=settings()).ctx
    accounts.add_account(ctx, "carol", Role.CLINICIAN, CAROL_PASSWORD)
    ids = _client_with_session(ctx)
    ids["bare_client"] = clients.add_client(ctx, "No Consent Yet")["id"]
    if extra is not None:
        extra(ctx, ids)
    ctx.vault.close()
    return ids


def make_small_vault(directory: Path) -> dict[str, str]:
    """Alice alone, with one consenting client and the demo session: what the browser walks start from."""
    ctx = vaults.init_vault(PASSPHRASE, "alice", data_dir=directory, settings=settings()).ctx
    ids = _client_with_session(ctx)
    ctx.vault.close()
    return ids


def _client_with_session(ctx: Any) -> dict[str, str]:
    client = clients.add_client(ctx, "Dana Example")
    consent.record_consent(ctx, client["id"])
    session = sessions.import_session(ctx, client["id"], DEMO.read_bytes(), source="demo.vtt")
    return {"client": client["id"], "session": session["id"]}


@contextmanager
def opened(directory: Path, **overrides: object) -> Iterator[Any]:
    """The vault opened directly (no web app), closed again after: to set up or read back what the app did."""
    vault = vaults.open_vault(passphrase=PASSPHRASE, data_dir=directory, settings=settings(**overrides))
    try:
        yield vault
    finally:
        vault.close()


def browser(directory: Path, **overrides: object) -> TestClient:
    return TestClient(create_app(settings(**overrides), directory), base_url=BASE, follow_redirects=False)


def sign_in(client: TestClient, username: str = "", secret: str = PASSPHRASE) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    answer = post_signin(client, username, secret)
    assert answer.status_code == 303, answer.text
    return csrf_of(client)


def post_signin(client: TestClient, username: str, secret: str, ip: str | None = None) -> httpx.Response:
    """Fill in the sign-in form as a browser would (its one-time ``pre`` value first); any answer."""
    headers = {"x-forwarded-for": ip} if ip else {}
    return client.post("/signin", data={"pre": pre_of(client.get("/signin").text), "username": username,
                                        "secret": secret}, headers=headers)


def pre_of(page: str) -> str:
    """The sign-in form's one-time value on a page."""
    return re.search(r'name="pre" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def csrf_of(client: TestClient) -> str:
    page = client.get("/clients")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def audit_trail(directory: Path) -> tuple[list[Any], dict[str, Any]]:
    """The vault's audit entries and the chain's verdict, read as the owner (which itself adds two entries)."""
    with opened(directory) as vault:
        verdict = audit.verify_audit(vaults.sign_in_owner(vault))
        with vault.transaction() as conn:
            return load(conn), verdict


def wait_for_job(client: TestClient, job_id: str, tries: int = 200) -> dict[str, Any]:
    """Poll the job until it is done or failed (the in-process runner works in the background)."""
    for _ in range(tries):
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError("job never finished")


def upload(client: TestClient, client_id: str, data: bytes, name: str, csrf: str) -> httpx.Response:
    """A transcript or recording sent as the upload page sends it."""
    return client.post(f"/api/clients/{client_id}/uploads", content=data,
                       headers={"x-csrf-token": csrf, "x-upload-name": name,
                                "content-type": "application/octet-stream"})


def pcm_wav(frames: bytes, rate: int, sample_width: int) -> bytes:
    """A mono WAV file around the given PCM frames."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(sample_width)
        w.setframerate(rate)
        w.writeframes(frames)
    return out.getvalue()
