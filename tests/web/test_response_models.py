"""Every JSON API route declares a typed response model, so /openapi.json describes every response."""

from __future__ import annotations

import typing

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel
from typing_extensions import is_typeddict

from sessionlens.web.routes import ROUTERS

# Routes that answer something other than a JSON body, by endpoint name (module.name).
NOT_JSON = {
    "api_sessions.audio": "a file download (audio bytes, Range)",
}
# JSON routes outside /api (form helpers of the HTML pages), held to the same rule.
JSON_OUTSIDE_API = {"setup_pages.strength"}
# Owned by another engineer and not typed yet (issue 16): listed, so the test still catches any new route;
# a name leaves this list when its route gets a model.
PENDING = {
    "api_sessions.analysis": "hA: the analysis document is written as raw bytes for speed",
}


def _name(route: APIRoute) -> str:
    return f"{route.endpoint.__module__.rsplit('.', 1)[-1]}.{route.name}"


def _json_routes() -> list[APIRoute]:
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    return [r for r in routes if (r.path.startswith("/api/") or _name(r) in JSON_OUTSIDE_API)
            and _name(r) not in NOT_JSON and r.status_code != 204]


def _typed(model: object) -> bool:
    """A pydantic model or TypedDict, or a list of one; a bare ``dict`` describes nothing."""
    if typing.get_origin(model) is list:
        (model,) = typing.get_args(model)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return True
    return is_typeddict(model)  # typing's misses typing_extensions.TypedDict (the one pydantic takes on 3.11)


def test_every_json_route_has_a_typed_response_model() -> None:
    untyped = sorted(_name(r) for r in _json_routes() if not _typed(r.response_model))
    assert [n for n in untyped if n not in PENDING] == []


def test_exempt_names_exist() -> None:
    names = {_name(r) for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)}
    assert set(NOT_JSON) | set(PENDING) <= names


@pytest.mark.parametrize("path", ["/api/health", "/api/clients", "/api/codes/agreement", "/api/jobs"])
def test_openapi_describes_the_response(path: str) -> None:
    app = FastAPI()
    for router in ROUTERS:
        app.include_router(router)
    get = app.openapi()["paths"][path]["get"]
    ok = next(v for k, v in get["responses"].items() if k.startswith("2"))
    assert ok["content"]["application/json"]["schema"]  # a schema, not an empty object
