"""`sessionlens voice enroll|status|forget`: the clinician's voice, sealed in the vault, labels them "Therapist".

Also ``ambient_voiceprint()``: what `transcribe` and `analyze` use outside the vault. When
SESSIONLENS_PASSPHRASE is set and a vault is there (SESSIONLENS_HOME / the default data directory /
SESSIONLENS_DATABASE_URL), the signed-in clinician's enrolled voice is read from it; otherwise the roles
come from the linguistic guess as before. It never prompts: a missing secret means "no voice".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import InputError, SessionlensError
from ..lazy import lazy
from .app import app
from .vault_common import DataDir, Json, User, emit, settings_for, signed_in

if TYPE_CHECKING:  # for annotations only: the modules themselves load on first use
    import numpy

np = lazy("numpy")
vaults = lazy("sessionlens.services.vaults")
_voiceprints = lazy("sessionlens.services.voiceprints")

voice_app = typer.Typer(help="Your voice: enroll it once and your sessions label you as the therapist.",
                        no_args_is_help=True)
app.add_typer(voice_app, name="voice")


def _read(path: Path) -> bytes:
    if not path.exists():
        raise InputError("file not found", source=str(path))
    if path.is_dir():
        raise InputError("is a directory, not an audio file", source=str(path))
    if path.stat().st_size > _voiceprints.MAX_ENROLL_BYTES:
        raise InputError(f"is larger than {_voiceprints.MAX_ENROLL_BYTES // 2**20} MB; enroll with a short recording "
                         "(10-60 s of your voice alone)", source=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source=str(path)) from None


@voice_app.command("enroll")
def voice_enroll(
    file: Annotated[Path, typer.Argument(help="A recording of your voice alone: 10-60 s of reading or talking.")],
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Store your voiceprint, sealed; later sessions label the speaker with your voice as the therapist."""
    data = _read(file)
    with signed_in(data_dir, user) as ctx:
        result = _voiceprints.enroll_voice(ctx, data, file.name)
    verb = "replaced" if result["replaced"] else "enrolled"
    emit(result, as_json, f"voice {verb} for {result['account']} (from {result['source']}); sessions you "
                          "transcribe from now on label your voice as the therapist")


@voice_app.command("status")
def voice_status_cmd(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Whether your voice is enrolled (the voiceprint itself is never shown)."""
    with signed_in(data_dir, user) as ctx:
        result = _voiceprints.voice_status(ctx)
    if result["enrolled"]:
        human = f"voice enrolled for {result['account']} on {result['enrolled_at'][:10]} (from {result['source']})"
    else:
        human = f"no voice enrolled for {result['account']}: roles are guessed from what is said"
    emit(result, as_json, human)


@voice_app.command("forget")
def voice_forget(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Delete your voiceprint (sessions already stored keep their labels)."""
    with signed_in(data_dir, user) as ctx:
        result = _voiceprints.forget_voice(ctx)
    emit(result, as_json, f"voice forgotten for {result['account']}" if result["forgotten"]
         else f"no voice was enrolled for {result['account']}; nothing to forget")


def _env_password(user: str) -> str:
    password = os.environ.get("SESSIONLENS_PASSWORD")
    if not password:
        raise InputError(f"SESSIONLENS_PASSWORD is not set for {user}")
    return password


def ambient_voiceprint() -> numpy.ndarray | None:
    """The enrolled voice for `transcribe` / `analyze` outside the vault, or None (never prompts).

    Used only when SESSIONLENS_PASSPHRASE is set and a vault exists; a vault that cannot be opened
    is reported on stderr in one line and the roles are then guessed as without a vault.
    """
    if not os.environ.get("SESSIONLENS_PASSPHRASE"):
        return None
    settings, directory = settings_for(None)
    if not vaults.exists(settings, directory):
        return None
    try:
        with vaults.signed_in(os.environ["SESSIONLENS_PASSPHRASE"], settings=settings, data_dir=directory,
                              user=os.environ.get("SESSIONLENS_USER"),
                              password=lambda: _env_password(os.environ.get("SESSIONLENS_USER", ""))) as ctx:
            if ctx.role.value != "clinician":
                return None
            return _voiceprints.voiceprint_for(ctx, purpose="cli")
    except SessionlensError as exc:
        sys.stderr.write(f"sessionlens: note: the enrolled voice was not used ({exc}); roles are guessed "
                         "from what is said\n")
        return None


__all__ = ["ambient_voiceprint", "voice_app"]
