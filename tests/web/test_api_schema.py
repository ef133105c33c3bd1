"""The JSON API against its own OpenAPI schema: Schemathesis finds no 5xx; without a session every
non-public operation answers 401; a route-by-route matrix for headers and CSRF on every route."""

from __future__ import annotations

import re

import pytest
import schemathesis
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings

from sessionlens.web.routes import ROUTERS

from .helpers import browser, sign_in

PUBLIC = {"/api/health", "/api/ready", "/api/openapi.json"}
FILL = {"client_id": "c-abcdefgh", "session_id": "s-abcdefgh", "job_id": "abcdefgh12", "seq": "0",
        "what": "analysis", "kind": "markdown", "packet_id": "p-abcdefgh", "username": "carol", "action": "disable"}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def _path(template: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: FILL[m.group(1)], template)


@pytest.fixture
def signed(vault):
    directory, ids = vault
    with browser(directory) as client:
        csrf = sign_in(client)
        yield client, csrf, ids


def _routes(app):
    for route in (r for router in ROUTERS for r in router.routes):
        if isinstance(route, APIRoute):
            for method in sorted(route.methods - {"HEAD"}):
                yield route, method


def test_every_api_operation_needs_a_session(vault) -> None:
    directory, _ = vault
    with browser(directory) as client:
        schema = client.app.openapi()
        checked = 0
        for path, ops in schema["paths"].items():
            for method in ops:
                r = client.request(method.upper(), _path(path), content=b"{}")
                expected = 200 if path in PUBLIC else 401
                assert r.status_code == expected, (method, path, r.status_code)
                checked += 1
        assert checked >= 15


def test_route_matrix_headers_and_csrf(signed) -> None:
    """Every route: security headers and no-store (signed in); every state change refused without the token."""
    client, csrf, _ = signed
    rows = []
    for route, method in _routes(client.app):
        url = _path(route.path)
        r = client.request(method, url, data={"x": "1"}) if method in UNSAFE else client.get(url)
        assert "frame-ancestors 'none'" in r.headers.get("content-security-policy", ""), url
        assert r.headers.get("x-content-type-options") == "nosniff", url
        assert r.headers.get("referrer-policy") == "no-referrer", url
        assert r.headers.get("cache-control") == "no-store", url
        assert r.status_code < 500, (method, url, r.status_code)
        if method in UNSAFE:
            assert r.status_code == 403, (method, url, r.status_code)  # no CSRF token
            cross = client.request(method, url, data={"csrf": csrf}, headers={"x-csrf-token": csrf,
                                                                               "sec-fetch-site": "cross-site"})
            assert cross.status_code == 403, (method, url)
        rows.append((method, route.path))
    assert len([m for m, _ in rows if m in UNSAFE]) >= 10
    assert len(rows) >= 30


@pytest.fixture
def api(vault):
    """A signed-in client of an app that also answers to the test client's host name."""
    directory, _ = vault
    with browser(directory, web_host="testserver") as client:
        csrf = sign_in(client)
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        yield client, {"cookie": cookie, "x-csrf-token": csrf}


def test_schemathesis_finds_no_server_errors(api) -> None:
    """Every operation of the schema, with generated (mostly invalid) input, signed in: never a 5xx."""
    client, headers = api
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", client.app)
    failures: list[str] = []
    statuses: set[int] = set()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(operation.as_strategy())
        def check(case) -> None:
            response = case.call(headers=headers)
            statuses.add(response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}")

        check()
    assert not failures, failures
    assert 200 in statuses and 401 not in statuses, statuses  # signed in, and some requests got through
