"""Structured logs without PHI: one JSON object per line, from a fixed vocabulary of fields.

Only ids, stage names, counts, timings and exception *type* names are ever logged; a field outside
:data:`FIELDS` is dropped, and a string value is kept only if it looks like an id or a label (no spaces
beyond a short label, bounded length) — so a transcript line, a client name or an exception message
cannot reach a log file even by mistake.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from typing import Any

log = logging.getLogger("sessionlens.events")
FIELDS = frozenset({"job", "stage", "worker", "seconds", "state", "attempt", "account", "kind", "error",
                    "countdown", "route", "method", "status", "ms", "queue", "component", "check", "ok"})
_SAFE = re.compile(r"^[A-Za-z0-9_.:@/{}-]{0,80}$")


def clean(fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in fields.items():
        if k not in FIELDS:
            continue
        if isinstance(v, bool | int | float) or v is None:
            out[k] = v
        elif isinstance(v, str):
            out[k] = v if _SAFE.match(v) else "<redacted>"
    return out


def event(name: str, level: int = logging.INFO, **fields: Any) -> None:
    log.log(level, name, extra={"sl_fields": clean(fields)})


class JsonFormatter(logging.Formatter):
    """``{"ts", "level", "logger", "event", ...fields}``; messages of other loggers keep only their template."""

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {"ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + "Z",
                               "level": record.levelname.lower(), "logger": record.name,
                               "event": record.msg if isinstance(record.msg, str) else type(record.msg).__name__}
        doc.update(getattr(record, "sl_fields", {}))
        if record.exc_info and record.exc_info[0] is not None:
            doc["error"] = record.exc_info[0].__name__  # the type only: messages may carry content
        return json.dumps(doc, separators=(",", ":"))


def configure(level: int = logging.INFO, stream: Any = None) -> logging.Handler:
    """Send every sessionlens/celery log line to ``stream`` (stderr) as JSON; argument values are never formatted."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return handler
