"""ASGI middleware: a read request (GET/HEAD) is audited by one entry, committed before it answers.

Inside the request the vault defers its audit events (vault/audit_batch.py) and SQLite reads do not
take the write lock, so concurrent readers no longer queue behind each other. When the response is
about to start, the request's entry goes to the vault's single audit writer and the answer waits
until it is committed; if it cannot be, the client gets a 500 and none of what was read.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.concurrency import run_in_threadpool

from ..logs import server_error
from ..services import request_audit as audit_batch

Scope = MutableMapping[str, Any]
READS = frozenset({"GET", "HEAD"})


def _route(scope: Scope) -> str:
    return str(getattr(scope.get("route"), "path", "-"))  # the template, never the filled-in path


class AuditScope:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") not in READS:
            await self.app(scope, receive, send)
            return
        with audit_batch.request_scope() as collector:
            failed = False

            async def answer(message: MutableMapping[str, Any]) -> None:
                nonlocal failed
                if message["type"] == "http.response.start" and collector.events:
                    try:
                        await run_in_threadpool(audit_batch.flush, collector, _route(scope), message["status"])
                    except Exception as exc:  # noqa: BLE001 - unaudited content must not leave
                        server_error(_route(scope), scope.get("method", "GET"), 500, exc)
                        failed = True
                        await send({"type": "http.response.start", "status": 500,
                                    "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
                        await send({"type": "http.response.body", "body": b"The request could not be audited; "
                                    b"nothing was shown. Try again.\n"})
                        return
                if failed:
                    return
                await send(message)

            await self.app(scope, receive, answer)
            if collector.events and not failed:  # audited after the answer started (a streamed body)
                await run_in_threadpool(audit_batch.flush, collector, _route(scope), 200)
