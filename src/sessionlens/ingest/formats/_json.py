"""Strict JSON loading and path-naming field access for the JSON formats.

Errors name the JSON path (``utterances[3].start``), never the value.
"""

from __future__ import annotations

import builtins
import json
import math
from typing import Any

from ...errors import ParseError, TimestampError


def load_json(text: str, source: str) -> Any:
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:  # exc.msg is a fixed phrase ("Expecting value"), never content
        message = f"invalid JSON ({exc.msg}, column {exc.colno})"
        raise ParseError(message, source=source, line=exc.lineno) from None
    except (ValueError, RecursionError):
        message = "invalid JSON (nested too deeply, NaN/Infinity, or a number out of range)"
        raise ParseError(message, source=source) from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


class Obj:
    """A JSON object plus its path, with typed getters that raise ParseError naming the path."""

    def __init__(self, value: Any, path: str, source: str) -> None:
        if not isinstance(value, dict):
            raise ParseError(f"{path or 'top level'}: expected an object", source=source)
        self.d, self.path, self.source = value, path, source

    def _where(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, what: str) -> ParseError:
        return ParseError(f"{self._where(key)}: expected {what}", source=self.source)

    def has(self, key: str) -> bool:
        return key in self.d

    def str(self, key: str, default: str | None = None) -> str:
        """A string; required unless ``default`` is given (used when the key is absent or null)."""
        v = self.d.get(key)
        if v is None:
            if default is None:
                raise self.fail(key, "a string")
            return default
        if not isinstance(v, str):
            raise self.fail(key, "a string")
        return v

    def opt_str(self, key: builtins.str) -> builtins.str | None:
        v = self.d.get(key)
        if v is not None and not isinstance(v, str):
            raise self.fail(key, "a string or null")
        return v

    def num(self, key: builtins.str, *, required: bool = False, time: bool = False) -> float | None:
        """A number (ints accepted, bools not); ``time=True`` also rejects negative and non-finite."""
        v = self.d.get(key)
        if v is None:
            if required:
                raise self.fail(key, "a number")
            return None
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise self.fail(key, "a number" if required else "a number or null")
        try:
            f = float(v)
        except OverflowError:
            f = math.inf
        if time and (not math.isfinite(f) or f < 0):
            raise TimestampError(f"{self._where(key)}: negative or non-finite time", source=self.source)
        if not math.isfinite(f):
            raise self.fail(key, "a finite number")
        return f

    def int(self, key: builtins.str) -> int | None:
        v = self.d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int):
            raise self.fail(key, "an integer or null")
        return v

    def list(self, key: builtins.str, *, required: bool = False) -> list[Any]:
        v = self.d.get(key)
        if v is None and not required:
            return []
        if not isinstance(v, list):
            raise self.fail(key, "a list")
        return v

    def obj(self, key: builtins.str) -> dict[builtins.str, Any]:
        v = self.d.get(key)
        if v is None:
            return {}
        if not isinstance(v, dict):
            raise self.fail(key, "an object")
        return v

    def item(self, key: builtins.str, i: builtins.int, value: Any) -> Obj:
        return Obj(value, f"{self._where(key)}[{i}]", self.source)
