"""Progress notes whose every sentence shows its evidence.

``draft_note(analysis, "soap")`` writes a note with the default (offline) writer and runs the
grounding check; see :mod:`.writer_llm` for the optional local-LLM writer and :mod:`.workflow` for
editing, signing and addenda.
"""

from __future__ import annotations

from .formats import FORMATS, get_format
from .model import Note, Section, Sentence, note_from_dict, note_to_dict
from .service import draft_note

__all__ = ["FORMATS", "Note", "Section", "Sentence", "draft_note", "get_format", "note_from_dict", "note_to_dict"]
