"""De-identification: presidio with the packaged spaCy small English model, patterns and word
lists, and consistent placeholders. Never complete: everything it produces is reviewed by a person."""

from __future__ import annotations

from .replace import Replacer
from .spans import TYPES, Span, find_spans
from .transcript import NOTICE, deidentify_bytes, deidentify_text, deidentify_transcript, replacer_for

__all__ = ["NOTICE", "TYPES", "Replacer", "Span", "deidentify_bytes", "deidentify_text", "deidentify_transcript",
           "find_spans", "replacer_for"]
