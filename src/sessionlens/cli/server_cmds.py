"""Practice-server commands: `sessionlens worker` (Celery; `worker id|list|approve|revoke|redis-acl`) and
`sessionlens recover-keys` (break glass).

Each worker has its own key pair in its own state directory and consumes only its own queue; it gets job
grants once an admin approved its key (``services.workers``), and its own Redis user once the admin put
the line `worker redis-acl` prints for it into Redis's ACL file (``services.redis_acl``). The worker reads its settings from the
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
    client = redis.Redis.from_url(broker_url(settings, worker=identity.id), socket_timeout=5, socket_connect_timeout=5)
    try:
        presence = Presence(client, "sessionlens", identity.public, name or identity.id).start()
    except (redis.exceptions.AuthenticationError, redis.exceptions.NoPermissionError):
        raise ConfigError(f"Redis refused worker {identity.id}: an admin approves it and adds its Redis user "
                          "(`sessionlens worker redis-acl`, docs/deployment.md)") from None
    try:
        make_app(settings, identity.id).worker_main(argv=argv)
    finally:
        presence.stop()


@worker_app.command("id")
def worker_id_cmd(
    name: Annotated[Optional[str], typer.Option("--name", help="The worker's name (for its default state dir).")]
    = None,
    state_dir: Annotated[Optional[Path], typer.Option(
        "--state-dir", help="This worker's own directory for its key pair (default <data dir>/workers/<name>).")]
    = None,
    as_json: Json = False,
) -> None:
    """Print this worker's id, key fingerprint and public key (made at the first call); no Redis needed."""
    from ..jobs.worker_identity import load_or_create
    from ..jobs.worker_identity import state_dir as default_state_dir

    me = load_or_create((state_dir or default_state_dir(Settings(), name)).expanduser().resolve())
    shown = {"id": me.id, "fingerprint": me.fingerprint, "public_key": me.public.hex()}
    emit(shown, as_json, f"worker {me.id}\nkey fingerprint {me.fingerprint}\npublic key {me.public.hex()}\n"
                         f"(the admin: `sessionlens worker approve {me.id} --public-key {me.public.hex()}`)")


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
def worker_approve(
    worker_id: WorkerArg,
    public_key: Annotated[Optional[str], typer.Option(
        "--public-key", help="The key `sessionlens worker id` printed (hex); without it, the running worker's.")]
    = None,
    name: Annotated[str, typer.Option("--name", help="A name to show for it (with --public-key).")] = "",
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Approve a worker's key (signed by the audit anchor key): it may now receive job grants."""
    from ..services import workers

    public = _hex_key(public_key) if public_key is not None else None
    with signed_in(data_dir, user) as ctx:
        result = workers.approve_worker(ctx, worker_id, keyring=_admin_keyring(ctx.vault.settings), public=public,
                                        name=name)
    emit(result, as_json, f"approved {result['id']} (key fingerprint {result['fingerprint']}); next: its Redis "
                          "user (`sessionlens worker redis-acl`)")


def _hex_key(text: str) -> bytes:
    from ..errors import InputError

    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        key = b""
    if len(key) != 32:
        raise InputError("--public-key takes the 64 hex digits `sessionlens worker id` printed")
    return key


@worker_app.command("redis-acl")
def worker_redis_acl(
    password: Annotated[Optional[list[str]], typer.Option(
        "--password", help="ID=FILE: the file holding that worker's Redis password (made when missing).")] = None,
    password_dir: Annotated[Optional[Path], typer.Option(
        "--password-dir", help="Passwords of the other approved workers: DIR/<id> (made when missing).")] = None,
    base: Annotated[Optional[Path], typer.Option(
        "--base", help="Printed first: deploy/redis/users.acl with its hashes filled in.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Print Redis's ACL file: BASE, then one user per approved worker (only its own keys and queue)."""
    from ..errors import InputError
    from ..services import redis_acl
    from .vault_common import settings_for

    files: dict[str, Path] = {}
    for item in password or []:
        wid, sep, path = item.partition("=")
        if not sep or not wid or not path:
            raise InputError("--password takes ID=FILE")
        files[wid.strip()] = Path(path).expanduser()
    settings, _ = settings_for(data_dir)
    typer.echo(redis_acl.users_file(settings, files, password_dir, base), nl=False)


@worker_app.command("revoke")
def worker_revoke(worker_id: WorkerArg, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Take a worker off the approved list: it gets no new job grant."""
    from ..services import workers

    with signed_in(data_dir, user) as ctx:
        result = workers.revoke_worker(ctx, worker_id, keyring=_admin_keyring(ctx.vault.settings))
    emit({"id": result}, as_json, f"revoked {result}; its Redis user goes once you run `sessionlens worker redis-acl` "
                                  "again and ACL LOAD the result")


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
