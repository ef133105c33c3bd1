"""Parse stored JSON documents fast (issue 19).

The web pages read the sealed analysis document (about 1 MB for a 60-minute session) on every
request; orjson parses it in about half the time of :mod:`json`. orjson is stricter (it refuses
``NaN``, ``Infinity`` and integers beyond 64 bits, which :func:`json.dumps` can write), so such a
document falls back to :mod:`json` and reads exactly as before.
"""

from __future__ import annotations

import json
from typing import Any

import orjson


def loads(data: bytes | str) -> Any:  # raw JSON in: the caller types what it reads
    """The JSON value in ``data``; the same value :func:`json.loads` returns."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)
