"""Ingest: turn files into domain types (transcripts now, audio later)."""

from __future__ import annotations

from .formats import FORMATS, detect_format, load_transcript, parse_transcript, render_transcript

__all__ = ["FORMATS", "detect_format", "load_transcript", "parse_transcript", "render_transcript"]
