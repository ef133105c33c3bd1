"""Practice-server commands: `sessionlens worker` (Celery) and `sessionlens recover-keys` (break glass).

The worker reads its settings from the environment (SESSIONLENS_DATABASE_URL, SESSIONLENS_BROKER_URL,
SESSIONLENS_KEYRING_SECRET_FILE, SESSIONLENS_JOB_LEASE_SECONDS, ...) and, where that sets nothing, from the
settings saved on the settings page (``settings.json`` in its data directory, SESSIONLENS_HOME), read again
for every job. It logs JSON lines without PHI to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..config import Settings
from ..errors import ConfigError
from .app import app
from .vault_common import DataDir, Json, User, emit, secret, signed_in


@app.command("worker")
def worker(
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, max=64,
                                             help="Worker processes (default 1).")] = 1,
    pool: Annotated[str, typer.Option("--pool", help="prefork (default) or solo (one process, for debugging).")]
    = "prefork",
    name: Annotated[Optional[str], typer.Option("--name", help="Worker name in job histories.")] = None,
    new_secret: Annotated[Optional[Path], typer.Option(
        "--new-secret", help="Create the keyring secret file (0600) at this path and exit.")] = None,
) -> None:
    """Run Celery workers that execute processing jobs (needs PostgreSQL, Redis and the keyring secret)."""
    from ..services.keyring import load_secret, write_secret

    if new_secret is not None:
        try:
            write_secret(new_secret)
        except FileExistsError:
            raise ConfigError(f"{new_secret} exists; refusing to overwrite a keyring secret") from None
        typer.echo(f"keyring key pair written: {new_secret} (private, mode 0600) for the workers' "
                   f"SESSIONLENS_KEYRING_SECRET_FILE, {new_secret}.pub for the web server's SESSIONLENS_KEYRING_PUBLIC_FILE")
        return
    from ..jobs.runner import job_settings

    settings = job_settings(Settings())  # as the web app and the CLI: saved settings where the environment is silent
    if not settings.database_url.startswith("postgresql"):
        raise ConfigError("workers need the practice server's PostgreSQL: set SESSIONLENS_DATABASE_URL")
    if not settings.keyring_secret_file:
        raise ConfigError("set SESSIONLENS_KEYRING_SECRET_FILE (create one with `sessionlens worker --new-secret PATH`)")
    load_secret(settings.keyring_secret_file)  # fail now, not at the first job
    if pool not in ("prefork", "solo"):
        raise ConfigError("--pool is prefork or solo")
    import logging

    from .. import logs
    from ..jobs.celery_app import make_app, queue

    logs.configure(logging.INFO)
    argv = ["worker", "--loglevel=INFO", f"--pool={pool}", f"--concurrency={concurrency}", f"--queues={queue()}",
            "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if name:
        import os

        os.environ["SESSIONLENS_WORKER_NAME"] = name
        argv.append(f"--hostname={name}@%h")
    make_app(settings).worker_main(argv=argv)


@app.command("recover-keys")
def recover_keys(username: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Break glass: re-open an account's keys with the vault recovery key and set a new password (audited).

    The recovery key comes from a prompt or SESSIONLENS_RECOVERY_KEY, the new password from a prompt or
    SESSIONLENS_NEW_PASSWORD. The clinician should change the password at the next sign-in."""
    from ..services import key_recovery

    recovery = secret("SESSIONLENS_RECOVERY_KEY", "Vault recovery key")
    password = secret("SESSIONLENS_NEW_PASSWORD", f"New password for {username}", confirm=True)
    with signed_in(data_dir, user) as ctx:
        result = key_recovery.recover_account_keys(ctx, username, recovery, password)
    emit(result, as_json, f"the keys of {username} are wrapped under the new password; ask them to change it")
