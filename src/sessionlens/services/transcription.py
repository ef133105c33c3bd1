"""Use case: transcribe a stored session's audio, then analyse and store it (the pipeline, run in this thread).

The audio is read from the vault into memory and decoded there; recognition and analysis run under the
network guard and outside any transaction; the transcript and analysis are stored sealed in one
transaction and the session becomes ``ready`` (see :mod:`.pipeline`, which the durable jobs run too).
"""

from __future__ import annotations

from .pipeline import Progress, process_audio

transcribe_session = process_audio  # the use case's established name (CLI, tests)


__all__ = ["Progress", "transcribe_session"]
