"""What every vault command shares: options, secrets from prompt or environment, signing in, output.

Secrets never come from command-line arguments (they would land in shell history and the
process list): the passphrase is prompted with hidden input or read from
``SESSIONLENS_PASSPHRASE``; a non-owner account's password from a prompt or ``SESSIONLENS_PASSWORD``.
Client names are PHI for the same reason: they are prompted or read from standard input.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ..config import Settings
from ..errors import InputError
from ..lazy import lazy
from ..services import locations as home

if TYPE_CHECKING:
    from ..services.context import Ctx

vaults = lazy("sessionlens.services.vaults")  # SQLAlchemy and the crypto load when a command opens a vault

DataDir = Annotated[Optional[Path], typer.Option("--data-dir", help="Vault data directory (default: "
                                                 "SESSIONLENS_HOME, else the platform user data directory).")]
Json = Annotated[bool, typer.Option("--json", help="Machine-readable JSON output.")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o", help="A new file (else standard output).")]
User = Annotated[Optional[str], typer.Option("--user", envvar="SESSIONLENS_USER",
                                             help="Act as this account (default: the vault owner).")]


def interactive() -> bool:
    return sys.stdin.isatty()


def secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    """A secret from ``env`` or a hidden prompt; never from argv."""
    value = os.environ.get(env)
    if value:
        return value
    if not interactive():
        raise InputError(f"no terminal to ask for it: set {env} (never pass secrets as arguments)")
    value = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} (again): ") != value:
        raise InputError("the two entries differ")
    return value


def passphrase(*, confirm: bool = False) -> str:
    return secret("SESSIONLENS_PASSPHRASE", "Vault passphrase", confirm=confirm)


def line_from_user(prompt: str) -> str:
    """One line of (PHI) text: prompted on a terminal, else the first line of standard input."""
    if interactive():
        return typer.prompt(prompt)
    line = sys.stdin.readline()
    if not line.strip():
        raise InputError(f"{prompt.lower()}: expected one line on standard input")
    return line.strip()


def settings_for(data_dir: Path | None) -> tuple[Settings, Path]:
    """The environment's settings, with those saved from the web settings page where it sets nothing."""
    from ..services import saved_settings

    settings = Settings()
    directory = home.data_dir(settings, data_dir)
    return saved_settings.effective(settings, directory), directory


@contextmanager
def signed_in(data_dir: Path | None, user: str | None = None) -> Iterator[Ctx]:
    """Unlock the vault with the passphrase and sign in (owner, or ``user`` with their password)."""
    settings, directory = settings_for(data_dir)
    with vaults.signed_in(passphrase(), settings=settings, data_dir=directory, user=user,
                          password=lambda: secret("SESSIONLENS_PASSWORD", f"Password for {user}")) as ctx:
        yield ctx


def run_signed_in(data_dir: Path | None, user: str | None, as_json: bool, use_case: Callable[[Ctx], Any],
                  human: str) -> None:
    """The common command: sign in, run one use case, print its result (JSON or ``human``)."""
    with signed_in(data_dir, user) as ctx:
        result = use_case(ctx)
    emit(result, as_json, human)


def emit(result: Any, as_json: bool, human: str | None = None) -> None:
    """JSON (for scripts) or a short human-readable text."""
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2, default=str) + "\n")
    else:
        typer.echo(human if human is not None else json.dumps(result, ensure_ascii=False, indent=2, default=str))


def confirm(question: str, yes: bool) -> None:
    if yes:
        return
    if not interactive():
        raise InputError("this deletes data for good: pass --yes to confirm when not at a terminal")
    if not typer.confirm(question, default=False):
        raise InputError("not confirmed; nothing was changed")


def inside(path: Path, directory: Path) -> bool:
    try:
        path.resolve().relative_to(directory.resolve())
        return True
    except ValueError:
        return False
