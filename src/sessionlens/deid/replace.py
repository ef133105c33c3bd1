"""Consistent replacement: the same identifier becomes the same placeholder everywhere in one
document or packet ("Tom" and "Tom Baker" are one [Name-1]); people whose role is known keep it
([Client], [Therapist])."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from .spans import Span, name_parts

_TITLE = re.compile(r"(?i)^(?:dr|mr|mrs|ms|miss|mx|prof)\.?\s+")


def _key(text: str) -> str:
    text = re.sub(r"(?:'s|’s)$", "", text.strip())
    return re.sub(r"\s+", " ", _TITLE.sub("", text)).lower()


class Replacer:
    """Hands out placeholders; ``fixed`` maps known names to labels (e.g. a speaker to "Client")."""

    def __init__(self, fixed: Mapping[str, str] | None = None) -> None:
        self._tokens: dict[tuple[str, str], str] = {}
        self._counts: Counter[str] = Counter()
        self.replaced: Counter[str] = Counter()
        for name, label in (fixed or {}).items():
            self._register("Name", name, f"[{label}]")

    def _register(self, kind: str, text: str, token: str) -> None:
        parts = name_parts(text) if kind == "Name" else [text]
        for part in parts:
            self._tokens.setdefault((kind, _key(part)), token)

    def token(self, kind: str, text: str) -> str:
        key = (kind, _key(text))
        known = [t for (k, norm), t in self._tokens.items() if norm == key[1]]
        if key not in self._tokens and known:  # one identifier, typed differently in another sentence
            self._tokens[key] = known[0]
        if key not in self._tokens:
            self._counts[kind] += 1
            self._register(kind, text, f"[{kind}-{self._counts[kind]}]")
            self._tokens.setdefault(key, f"[{kind}-{self._counts[kind]}]")
        self.replaced[kind] += 1
        return self._tokens[key]

    def apply(self, text: str, spans: Sequence[Span]) -> str:
        out, pos = [], 0
        for s in sorted(spans, key=lambda s: s.start):
            out += [text[pos:s.start], self.token(s.kind, text[s.start:s.end])]
            pos = s.end
        return "".join(out) + text[pos:]
