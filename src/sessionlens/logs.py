"""Structured logs without PHI: one JSON object per line, from a fixed vocabulary of fields.

Only ids, stage names, counts, timings and exception *type* names are ever logged; a field outside
:data:`FIELDS` is dropped, and a string value is kept only if it looks like an id or a label (no spaces
beyond a short label, bounded length) — so a transcript line, a client name or an exception message
cannot reach a log file even by mistake. Other libraries' lines (uvicorn, Celery) keep their message
template and their %-arguments, each argument passed through the same filter.

Every server error is logged with :func:`server_error` (route template, method, status, exception type);
the CLI's error boundary uses :func:`internal_error`. Nothing is printed until :func:`configure` installs
the JSON handler (``serve`` on a practice server, ``worker``); until then a NullHandler keeps Python's
last-resort handler from printing bare event names.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Mapping
from typing import Any

log = logging.getLogger("sessionlens.events")
logging.getLogger("sessionlens").addHandler(logging.NullHandler())
FIELDS = frozenset({"job", "stage", "worker", "seconds", "state", "attempt", "account", "kind", "error",
                    "countdown", "route", "method", "status", "ms", "queue", "component", "check", "ok",
                    "command"})
_SAFE = re.compile(r"^[A-Za-z0-9_.:@/{}-]{0,80}$")
# Another library's argument is kept only if it also looks machine-made (a digit or separator, or an
# upper-case token like GET): a lone word could be a name.
_MACHINE = re.compile(r"[0-9_.:/{}-]|^[A-Z]{1,7}$")


def safe_value(v: Any) -> Any:
    """Numbers, booleans and id-like strings as they are; any other value as a placeholder."""
    if isinstance(v, bool | int | float) or v is None:
        return v
    if isinstance(v, str):
        return v if _SAFE.match(v) else "<redacted>"
    return f"<{type(v).__name__}>"


def clean(fields: Mapping[str, object]) -> dict[str, object]:
    return {k: safe_value(v) for k, v in fields.items()
            if k in FIELDS and (isinstance(v, bool | int | float | str) or v is None)}


def event(name: str, level: int = logging.INFO, **fields: Any) -> None:
    log.log(level, name, extra={"sl_fields": clean(fields)})


def server_error(route: str, method: str, status: int, exc: BaseException) -> None:
    """The one line every web server error leaves: which route, which answer, which exception type."""
    event("web.server_error", logging.ERROR, route=route, method=method, status=status,
          error=type(exc).__name__)


def internal_error(command: str, exc: BaseException) -> None:
    """A CLI command failed unexpectedly: the command name and the exception type, never its message."""
    event("cli.internal_error", logging.ERROR, command=command, error=type(exc).__name__)


def _args(record: logging.LogRecord) -> list[Any] | None:
    if not record.args:
        return None
    values = record.args.values() if isinstance(record.args, dict) else record.args
    return [v if isinstance(v, str) and _SAFE.match(v) and _MACHINE.search(v) else
            "<redacted>" if isinstance(v, str) else safe_value(v) for v in values]


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "event", "args"?, ...fields}``; other loggers keep template and cleaned args."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, object] = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
                               "level": record.levelname.lower(), "logger": record.name,
                               "event": record.msg if isinstance(record.msg, str) else type(record.msg).__name__}
        args = _args(record)
        if args is not None:
            doc["args"] = args
        doc.update(getattr(record, "sl_fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            doc["error"] = record.exc_info[0].__name__  # the type only: messages may carry content
        return json.dumps(doc, separators=(",", ":"))


def configure(level: int = logging.INFO, stream: Any = None) -> logging.Handler:
    """Send every sessionlens/celery log line to ``stream`` (stderr) as JSON (arguments filtered, never formatted)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return handler
