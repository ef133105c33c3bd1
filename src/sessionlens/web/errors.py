"""Errors become plain answers: the product's own message and status, nothing else.

Validation errors name the field and the problem but never echo the submitted value (it may be
PHI). Pages get a small HTML page; the API gets ``{"detail": "..."}``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from ..errors import IntegrityError, SessionlensError
from ..logs import server_error
from .middleware import route_template
from .render import render

INTEGRITY = "Stored data failed its integrity check; it was not shown. Run `sessionlens audit verify`."


def answer(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html.j2", {"status": status, "message": message}, status=status)


async def product_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SessionlensError)
    status = exc.http_status if 400 <= exc.http_status < 600 else 400
    if status >= 500:
        server_error(route_template(request.scope), request.method, status, exc)
    return answer(request, status, INTEGRITY if isinstance(exc, IntegrityError) else str(exc))


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "Not found.", 405: "That method is not allowed here."}
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else \
        messages.get(exc.status_code, "The request could not be handled.")
    return answer(request, exc.status_code, detail)


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for err in exc.errors()[:5]:
        loc = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{loc or 'body'}: {err.get('msg', 'invalid')}")
    return answer(request, 422, "The request does not fit: " + "; ".join(parts))


def install(app: FastAPI) -> None:
    app.add_exception_handler(SessionlensError, product_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
