"""Practice-server commands: `sessionlens worker` (Celery; `worker list|approve|revoke`) and
`sessionlens recover-keys` (break glass).

Each worker has its own key pair in its own state directory and consumes only its own queue; it gets job
grants once an admin approved its key (``services.workers``). The worker reads its settings from the
environment (SESSIONLENS_DATABASE_URL, SESSIONLENS_BROKER_URL, SESSIONLENS_JOB_LEASE_SECONDS, ...) and, where that sets nothing, from the
settings saved on the settings page (``settings.json`` in its data directory, SESSIONLENS_HOME), read again
for every job. It logs JSON lines without PHI to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..config import Settings
from ..errors import ConfigError
from .app import app
from .vault_common import DataDir, Json, User, emit, secret, signed_in


worker_app = typer.Typer(help="Run a processing worker; list, approve and revoke workers (admin).",
                         invoke_without_command=True)
app.add_typer(worker_app, name="worker")
WorkerArg = Annotated[str, typer.Argument(help="The worker id (printed by the worker at start; `worker list`).")]


@worker_app.callback()
def worker(
    ctx: typer.Context,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, max=64,
                                             help="Worker processes (default 1).")] = 1,
    pool: Annotated[str, typer.Option("--pool", help="prefork (default) or solo (one process, for debugging).")]
    = "prefork",
    name: Annotated[Optional[str], typer.Option("--name", help="Worker name in job histories.")] = None,
    state_dir: Annotated[Optional[Path], typer.Option(
        "--state-dir", help="This worker's own directory for its key pair (default <data dir>/workers/<name>).")]
    = None,
) -> None:
    """Run Celery workers that execute processing jobs (needs PostgreSQL, Redis and an approved key)."""
    if ctx.invoked_subcommand is not None:
        return
    import os

    from ..jobs.runner import job_settings
    from ..jobs.worker_identity import STATE_ENV, hold, load_or_create
    from ..jobs.worker_identity import state_dir as default_state_dir

    settings = job_settings(Settings())  # as the web app and the CLI: saved settings where the environment is silent
    if not settings.database_url.startswith("postgresql"):
        raise ConfigError("workers need the practice server's PostgreSQL: set SESSIONLENS_DATABASE_URL")
    if pool not in ("prefork", "solo"):
        raise ConfigError("--pool is prefork or solo")
    os.environ[STATE_ENV] = str((state_dir or default_state_dir(settings, name)).expanduser().resolve())
    held = hold(Path(os.environ[STATE_ENV]))  # one running worker per state directory (per key pair)
    try:
        identity = load_or_create(Path(os.environ[STATE_ENV]))  # before the pool forks: every child reads it
        typer.echo(f"worker {identity.id}, key fingerprint {identity.fingerprint}; it gets jobs once an admin runs "
                   f"`sessionlens worker approve {identity.id}` (compare the fingerprint)", err=True)
        _run(settings, identity, concurrency, pool, name)
    finally:
        held.close()


def _run(settings: Settings, identity: Any, concurrency: int, pool: str, name: str | None) -> None:
    import logging
    import os

    import redis

    from .. import logs
    from ..jobs.celery_app import make_app
    from ..services.keyring import broker_url
    from ..services.worker_registry import Presence, queue_of

    logs.configure(logging.INFO)
    argv = ["worker", "--loglevel=INFO", f"--pool={pool}", f"--concurrency={concurrency}",
            f"--queues={queue_of(identity.id)}", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    if name:
        os.environ["SESSIONLENS_WORKER_NAME"] = name
        argv.append(f"--hostname={name}@%h")
    client = redis.Redis.from_url(broker_url(settings), socket_timeout=5, socket_connect_timeout=5)
    presence = Presence(client, "sessionlens", identity.public, name or identity.id).start()
    try:
        make_app(settings).worker_main(argv=argv)
    finally:
        presence.stop()


def _admin_keyring(settings: Settings) -> Any:
    from ..services.keyring import RedisKeyring, broker_url

    return RedisKeyring(broker_url(settings))


@worker_app.command("list")
def worker_list(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Workers approved or running now: id, approved, live, queued jobs, key fingerprint."""
    from ..services import workers

    with signed_in(data_dir, user) as ctx:
        result = workers.list_workers(ctx, keyring=_admin_keyring(ctx.vault.settings))
    lines = [f"{w['id']}  {'approved' if w['approved'] else 'NOT approved'}  {'live' if w['live'] else 'down'}  "
             f"queued {w['queued']}  {w['name']}  {w['fingerprint']}" for w in result]
    emit(result, as_json, "\n".join(lines) or "no workers")


@worker_app.command("approve")
def worker_approve(worker_id: WorkerArg, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Approve a running worker's key (signed by the audit anchor key): it may now receive job grants."""
    from ..services import workers

    with signed_in(data_dir, user) as ctx:
        result = workers.approve_worker(ctx, worker_id, keyring=_admin_keyring(ctx.vault.settings))
    emit(result, as_json, f"approved {result['id']} (key fingerprint {result['fingerprint']})")


@worker_app.command("revoke")
def worker_revoke(worker_id: WorkerArg, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Take a worker off the approved list: it gets no new job grant."""
    from ..services import workers

    with signed_in(data_dir, user) as ctx:
        result = workers.revoke_worker(ctx, worker_id, keyring=_admin_keyring(ctx.vault.settings))
    emit({"id": result}, as_json, f"revoked {result}")


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
