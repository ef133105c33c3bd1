"""Tenancy on the practice server (PostgreSQL): clinician carol asking for any of clinician alice's resources
gets "not found" — every service use case that takes a record id, and every web route that names one — and
each attempt leaves a ``refused:`` audit entry naming carol and the record."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
import time
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

import sessionlens.services as services_pkg
from sessionlens.errors import NotFoundError
from sessionlens.services.keyring import MemoryKeyring
from sessionlens.services import clients, consent, notes, server_jobs, sessions
from sessionlens.vault.models import audit_log
from sessionlens.web import create_app
from sessionlens.web.routes import ROUTERS

from .conftest import DEMO, PASSWORDS, settings

pytestmark = pytest.mark.postgres
ID_PARAMS = ("client_id", "session_id", "job_id")
# Record ids this matrix cannot mint generically (another feature's own matrix covers them).
OTHER_RECORDS = ("packet_id",)


class Recorder:
    def dispatch(self, job_id: str) -> None:
        pass


ARGS: dict[str, Any] = {
    "data": DEMO.read_bytes(), "source": "demo.vtt", "name": "demo.vtt", "seq": 0, "mime": "audio/wav",
    "status": "ready", "text": "a line", "change": {"sections": []}, "note": {"text": "x"}, "answers": {},
    "instrument": "phq9", "kind": "markdown", "username": "bob", "chosen": [], "runner": Recorder(),
    "keyring": MemoryKeyring(), "scopes": ("recording", "analysis"), "utterance_id": "u1",
}


def _overrides() -> dict[str, dict[str, Any]]:
    """Valid inputs where a use case checks its input before the record (that leaks nothing, but the matrix
    wants the record check itself)."""
    out: dict[str, dict[str, Any]] = {"reflection.record_measure": {"instrument": "phq9", "answers": [0] * 9},
                                      "speaker_corrections.correct_speakers": {"speakers": {"A": {"role": "client"}}},
                                      "supervision.build_packet": {"chosen": lambda ids: [(ids["session_id"], None)]},
                                      "clients.set_client_modality": {"modality": "cbt"},
                                      "retention.set_client_policy": {"policy": "keep"}}
    try:
        from sessionlens.reflection.impressions import ITEMS

        item = ITEMS[0]
        out["reflection.record_impressions"] = {"answers": {item.key: item.choices[0] if item.choices else 50}}
    except ImportError:
        pass
    return out


def _use_cases() -> list[tuple[str, Any]]:
    found = []
    for mod in pkgutil.iter_modules(services_pkg.__path__):
        if mod.name in ("analysis", "context", "permissions"):
            continue
        module = importlib.import_module(f"sessionlens.services.{mod.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or name.startswith("_"):
                continue
            params = list(inspect.signature(fn).parameters)
            if params and params[0] == "ctx" and any(p in ID_PARAMS for p in params) and "conn" not in params:
                found.append((f"{mod.name}.{name}", fn))
    return sorted(found, key=lambda x: x[0])


def _call(name: str, fn: Any, ctx: Any, ids: dict[str, str]) -> Any:
    kwargs: dict[str, Any] = {k: v(ids) if callable(v) else v for k, v in _overrides().get(name, {}).items()}
    for p in list(inspect.signature(fn).parameters.values())[1:]:
        if p.name in ids:
            kwargs[p.name] = ids[p.name]
        elif p.default is inspect.Parameter.empty and p.name not in kwargs:
            kwargs[p.name] = ARGS.get(p.name, "x")  # a use case added elsewhere: a plain value
    return fn(ctx, **kwargs)


@pytest.fixture
def owned(server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A client of alice with consent, an imported session with a note, and a job."""
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Jane Example")["id"]
    consent.record_consent(alice, cid, ("recording", "analysis", "supervision"))
    sid = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    notes.store_note(alice, sid, {"text": "note"})
    job = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=Recorder(),
                                        keyring=MemoryKeyring())["id"]
    return {"client_id": cid, "session_id": sid, "job_id": job}


def _last(server) -> Any:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()


def test_service_matrix_every_foreign_record_is_not_found_and_audited(server, owned) -> None:
    carol = server.sign_in("carol")
    cases = _use_cases()
    assert len(cases) >= 25, [n for n, _ in cases]
    for name, fn in cases:
        try:
            _call(name, fn, carol, owned)
        except NotFoundError:
            pass
        except Exception as exc:  # noqa: BLE001 - say which use case, and how to give it a valid input
            pytest.fail(f"{name} answered {type(exc).__name__} ({exc}) instead of not-found; if it checks its input "
                        "before the record, give it a valid input in _overrides()")
        else:
            pytest.fail(f"{name} let carol act on alice's record")
        last = _last(server)
        assert last.action.startswith("refused:") and last.actor == "carol", (name, last.action, last.actor)
        assert last.target in owned.values(), (name, last.target)
    # ... and alice's data is untouched by the attempts
    assert sessions.show_session(server.ctx["alice"], owned["session_id"])["utterances"] > 10


def _sign_in(client: TestClient, username: str) -> str:
    page = client.get("/signin")
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)
    answer = client.post("/signin", data={"pre": pre, "username": username, "secret": PASSWORDS[username]})
    assert answer.status_code == 303, answer.text
    page = client.get("/clients")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


FILL = {"seq": "0", "what": "analysis", "kind": "markdown"}
BODIES = {"/consent": {"scopes": ["recording", "analysis"]}, "/speakers": {"speakers": {"A": {"role": "client"}}},
          "/note": {"sections": []}, "/codes": {"utterance_id": "u2", "client_talk": "change"},
          "/retention": {"audio": "keep"}}


def _wav() -> bytes:
    import io
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000), w.writeframes(b"\0\0" * 1600)
    return buf.getvalue()


def _form(csrf: str, ids: dict[str, str]) -> dict[str, str]:
    form = {"csrf": csrf, "scope_analysis": "on", "scope_recording": "on", "text": "x", "instrument": "phq9",
            "therapist_behaviour": "question",
            **{f"item{n}": "0" for n in range(1, 10)}, f"session_{ids['session_id']}": "on",
            "utterance": "u2", "client_talk": "change"}
    for name, value in _overrides().get("reflection.record_impressions", {}).get("answers", {}).items():
        form[name] = str(value)
    return form


def _body(path: str) -> bytes:
    import json

    if path.endswith(("/audio", "/uploads", "/chunks/{seq}")):
        return _wav()
    for end, body in BODIES.items():
        if path.endswith(end):
            return json.dumps(body).encode()
    return b"{}"


def _until_settled(browser: TestClient, job_id: str) -> None:
    """Wait for a job the sign-in took up again (its audit entries would land among carol's)."""
    for _ in range(600):
        if browser.get(f"/api/jobs/{job_id}").json().get("state") in ("done", "failed", "cancelled"):
            return
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never finished")


def test_route_matrix_every_foreign_record_is_not_found_and_audited(server, owned) -> None:
    app = create_app(settings(database_url=server.url))
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as alice_browser:
        _sign_in(alice_browser, "alice")  # the server opens with alice's own keys: no passphrase anywhere
        _until_settled(alice_browser, owned["job_id"])  # her sign-in resumed the job: let it finish first
        carol = TestClient(app, base_url="https://127.0.0.1", follow_redirects=False)
        csrf = _sign_in(carol, "carol")
        checked = []
        for route in (r for router in ROUTERS for r in router.routes):
            if not isinstance(route, APIRoute):
                continue
            names = re.findall(r"\{(\w+)\}", route.path)
            if not any(n in ID_PARAMS for n in names) or any(n in OTHER_RECORDS for n in names):
                continue
            url = re.sub(r"\{(\w+)\}", lambda m: owned.get(m.group(1)) or FILL[m.group(1)], route.path)
            for method in sorted(route.methods - {"HEAD"}):
                before = _last(server).seq
                if method == "GET":
                    r = carol.get(url)
                elif url.startswith("/api/"):
                    r = carol.request(method, url, headers={"x-csrf-token": csrf, "content-type": "application/json"},
                                      content=_body(route.path))
                else:  # an HTML form
                    r = carol.request(method, url, data=_form(csrf, owned))
                assert r.status_code == 404, (method, url, r.status_code, r.text[:200])
                assert "Jane" not in r.text
                last = _last(server)
                assert last.seq > before and last.action.startswith("refused:") and last.actor == "carol", \
                    (method, url, last.action)
                checked.append((method, route.path))
        assert len(checked) >= 20, checked
