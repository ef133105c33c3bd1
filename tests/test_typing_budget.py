"""Issue 16, item 3: fewer than 100 ``dict[str, Any]`` under src/, each at a true boundary that says so, and no
``type: ignore`` without a reason.

A boundary says so with a comment on the same line (``# raw JSON in: ...``) or matches one of ``BOUNDARIES``
below. Read with ``tokenize``: a mention inside a string or a comment is not an occurrence.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from fnmatch import fnmatch

from .conftest import REPO

BUDGET = 100
SHAPE = ("dict", "[", "str", ",", "Any", "]")
# (path pattern, line pattern, why the line is a boundary without saying so itself)
BOUNDARIES: tuple[tuple[str, str, str], ...] = (
    ("src/sessionlens/vault/*.py", r"Row\[\*tuple\[Any, \.\.\.\]\] \| dict\[str, Any\]",
     "a database row or the column values it is made from (SQLAlchemy rows are untyped)"),
    ("src/sessionlens/vault/*.py", r"def \w*values\(.*\) -> dict\[str, Any\]:",
     "column values for a SQLAlchemy insert or update"),
    ("src/sessionlens/vault/tenancy.py", r"def _wrapped\(.*\) -> tuple\[dict\[str, Any\], bytes\]:",
     "the account_keys column values for a SQLAlchemy update, and the password's key"),
)
_IGNORE = re.compile(r"type:\s*ignore(\[[^\]]*\])?")
_NOT_A_REASON = re.compile(r"type:\s*ignore(\[[^\]]*\])?|noqa(:\s*[A-Z0-9, ]+)?|#")


@dataclass(frozen=True)
class Hit:
    path: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text.strip()}"


def _comments(tokens: list[tokenize.TokenInfo]) -> dict[int, str]:
    return {t.start[0]: t.string for t in tokens if t.type == tokenize.COMMENT}


def _has_reason(comment: str) -> bool:
    return re.search(r"\w", _NOT_A_REASON.sub(" ", comment)) is not None


def _occurrences(tokens: list[tokenize.TokenInfo]) -> Iterator[int]:
    code = [t for t in tokens if t.type in (tokenize.NAME, tokenize.OP)]
    for i in range(len(code) - len(SHAPE) + 1):
        if tuple(t.string for t in code[i:i + len(SHAPE)]) == SHAPE:
            yield code[i].start[0]


def _allowed(path: str, text: str) -> bool:
    return any(fnmatch(path, p) and re.search(rx, text) for p, rx, _why in BOUNDARIES)


def scan(path: str, source: str) -> tuple[list[Hit], list[Hit], list[Hit]]:
    """(every ``dict[str, Any]``, those without a stated reason, ``type: ignore`` without a reason)."""
    lines = source.splitlines()
    tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    comments = _comments(tokens)
    found = [Hit(path, n, lines[n - 1]) for n in _occurrences(tokens)]
    unexplained = [h for h in found if not _has_reason(comments.get(h.line, "")) and not _allowed(path, h.text)]
    ignores = [Hit(path, n, lines[n - 1]) for n, c in comments.items()
               if (m := _IGNORE.search(c)) and not _has_reason(c[m.end():])]
    return found, unexplained, ignores


def _scan_src() -> tuple[list[Hit], list[Hit], list[Hit]]:
    found: list[Hit] = []
    unexplained: list[Hit] = []
    ignores: list[Hit] = []
    for file in sorted((REPO / "src").rglob("*.py")):
        f, u, i = scan(file.relative_to(REPO).as_posix(), file.read_text(encoding="utf-8"))
        found += f
        unexplained += u
        ignores += i
    return found, unexplained, ignores


def test_dict_str_any_stays_under_budget_and_each_says_why() -> None:
    found, unexplained, _ = _scan_src()
    assert len(found) < BUDGET, f"{len(found)} dict[str, Any] under src/ (budget {BUDGET}):\n" + "\n".join(
        map(str, found))
    assert not unexplained, ("dict[str, Any] without a reason: type it (a payloads/ TypedDict), or, at a true "
                             "boundary, say why on the line (# raw JSON in: ...):\n" + "\n".join(map(str, unexplained)))


def test_every_type_ignore_gives_its_reason() -> None:
    _, _, ignores = _scan_src()
    assert not ignores, ("type: ignore without a reason after it (# type: ignore[code]  # why):\n"
                         + "\n".join(map(str, ignores)))


def test_the_scan_finds_what_it_must_and_nothing_else() -> None:
    source = '''from typing import Any
a: dict[str, Any] = {}
b: dict[str, Any] = {}  # raw JSON in: a stored document
c: dict[ str,Any ] = {}  # noqa: F841
d = "dict[str, Any] in a string"  # dict[str, Any] in a comment
e: dict[str, object] = {}
f = g(  # type: ignore[arg-type]
    1)  # type: ignore[misc]  # a reason
h = 1  # type: ignore
'''
    found, unexplained, ignores = scan("src/sessionlens/x.py", source)
    assert [h.line for h in found] == [2, 3, 4]
    assert [h.line for h in unexplained] == [2, 4]
    assert [h.line for h in ignores] == [7, 9]
    row = "def f(row: Row[*tuple[Any, ...]] | dict[str, Any]) -> None:\n"
    assert scan("src/sessionlens/vault/x.py", row)[1] == []
    assert len(scan("src/sessionlens/web/x.py", row)[1]) == 1  # the allow-list is for the vault's rows only
