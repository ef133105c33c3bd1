"""The private reflection journal: entries a clinician writes about a session (countertransference,
what stayed with them). Sealed in the vault; never part of any export unless chosen."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


from ..errors import InputError
from ..payloads.reflection_checkins import JournalEntry
from ..vault.ids import now_iso

MAX_ENTRY = 20_000


def entry(text: str) -> JournalEntry:
    text = text.strip()
    if not text:
        raise InputError("a journal entry needs some text")
    if len(text) > MAX_ENTRY:
        raise InputError(f"a journal entry is limited to {MAX_ENTRY} characters")
    return {"text": text, "written_at": now_iso()}


def as_markdown(session_label: str, entries: Sequence[Mapping[str, Any]]) -> str:  # stored entries (raw JSON)
    lines = [f"# Reflection journal: {session_label}", "",
             "Private notes. Exported because you chose to; keep this file somewhere safe.", ""]
    for e in entries:
        lines += [f"## {e['written_at']}", "", e["text"], ""]
    return "\n".join(lines)
