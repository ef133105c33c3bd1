"""The `sessionlens` command. Each command module registers itself on the root app."""

from __future__ import annotations

import sys

from . import analyze as _analyze  # noqa: F401  (registers commands)
from . import vault_cmds as _vault_cmds  # noqa: F401  (registers vault commands)
from . import web_cmds as _web_cmds  # noqa: F401  (registers serve)
from . import speech_cmds as _speech_cmds  # noqa: F401  (registers transcribe, voice)
from . import note_cmds as _note_cmds  # noqa: F401  (registers note)
from . import server_cmds as _server_cmds  # noqa: F401  (registers worker, recover-keys)
from . import voice_cmds as _voice_cmds  # noqa: F401  (registers voice)
from . import reflection_cmds as _reflection_cmds  # noqa: F401  (registers reflect)
from . import supervision_cmds as _supervision_cmds  # noqa: F401  (registers packet)
from . import deid_cmds as _deid_cmds  # noqa: F401  (registers deidentify)
from . import coding_cmds as _coding_cmds  # noqa: F401  (registers code)
from . import job_cmds as _job_cmds  # noqa: F401  (registers jobs, account role)
from .app import app, run

__all__ = ["app", "main"]


def main() -> None:
    sys.exit(run(sys.argv[1:]))
