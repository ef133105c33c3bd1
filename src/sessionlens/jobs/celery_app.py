"""The Celery application: one task, ``sessionlens.run_job(job_id)``, on each worker's own queue.

Every ``sessionlens worker`` consumes only its own queue, ``sessionlens.<worker id>``
(``services.worker_registry.queue_of``): the web sends a job there when it seals the job's grant to that
worker's key, so no other worker is handed the job's message or can open its grant. A worker keeps the
messages it has taken but not acknowledged beside its own queue (``worker_registry.unacked_keys``), not in
kombu's one shared hash: its own Redis ACL user (``services.redis_acl``) reaches no other worker's.

Delivery is *at least once*: a message is acknowledged only after the job reached a final state
(``acks_late``), a worker child lost mid-task hands it back (``reject_on_worker_lost``), and a worker
killed outright leaves the message unacknowledged in Redis, where another worker restores it after
``visibility_timeout`` (the job lease). Duplicates are harmless: the lease lets one worker run a job
at a time, finished stages are not run again, and a finished job is a no-op.

Only job ids travel through Redis. Keys come from the keyring (one sealed grant per job: that job's
client's data keys only, sealed to the one worker it is routed to); PHI never does.
"""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from celery import Celery
from celery.signals import worker_init, worker_process_init

from ..config import Settings
from ..logs import event

QUEUE = "sessionlens"
# Workers are batch work: at this niceness the web server's interactive requests win the CPU (issue 19).
WORKER_NICE = 10


def lower_priority(target: int = WORKER_NICE) -> int:
    """Raise this process's niceness to ``target`` (never lower it: systemd's Nice= may already have set it)."""
    current = os.nice(0)
    return os.nice(target - current) if current < target else current


def _on_worker_init(**_: Any) -> None:
    # The main worker process, before the prefork pool forks: every child inherits the niceness.
    niceness = lower_priority()
    event("worker.nice", niceness=niceness)


def _on_child_init(**_: Any) -> None:
    """A prefork pool child (billiard) is daemonic, and multiprocessing starts no process from a daemonic one,
    nor pickles billiard's authkey: without this, the sandbox (parsers and decoders in a keyless child,
    ``sessionlens.sandbox``) fails every job with AssertionError under the default pool. The child still ends
    after its one job (``worker_max_tasks_per_child``); its sandbox children are joined before that."""
    import multiprocessing.process

    mp: Any = multiprocessing.process  # AuthenticationString is not in its stubs
    me: Any = mp.current_process()  # billiard's process object: private fields, untyped
    me._config.pop("daemon", None)  # the flag multiprocessing checks; billiard set it
    me._config["authkey"] = mp.AuthenticationString(os.urandom(32))  # a key multiprocessing's pickler accepts


def queue() -> str:
    """The queue name (SESSIONLENS_QUEUE lets tests and benchmarks run beside a live server)."""
    return os.environ.get("SESSIONLENS_QUEUE", QUEUE)


def make_app(settings: Settings | None = None, worker_id: str | None = None) -> Celery:
    """The web's app (it sends), or worker ``worker_id``'s (it consumes, as its own Redis user)."""
    settings = settings or Settings()
    from ..services.keyring import broker_url
    from ..services.worker_registry import unacked_keys

    app = Celery("sessionlens", broker=broker_url(settings, worker=worker_id), backend=None, set_as_current=False)
    lease = int(settings.job_lease_seconds)
    own = unacked_keys(worker_id) if worker_id else {}
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        # Every job in a fresh child process (prefork pool): whatever a hostile upload did to one child's
        # memory — and the one job grant it held — is gone before the next job's grant arrives.
        worker_max_tasks_per_child=1,
        # No remote control (pidbox): nobody on the broker can shut workers down or change them, and the
        # Redis ACL users need no keys beyond the queue and the keyring.
        worker_enable_remote_control=False,
        task_default_queue=queue(),
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": lease, "unacked_restore_interval": max(1, lease // 5),
                                  "unacked_restore_throttle": 1, **own},
    )
    app.task(name="sessionlens.run_job", bind=True, max_retries=None)(_run_job)
    worker_init.connect(_on_worker_init, weak=False)  # fires only in `sessionlens worker`, not in the web
    worker_process_init.connect(_on_child_init, weak=False)  # each prefork child, after the fork
    return app


@cache
def _worker_state() -> tuple[Any, Settings, Any, str]:
    """Per worker process: the engine, settings and keyring (created after fork)."""
    from ..vault import store
    from ..services.keyring import for_worker
    from .runner import worker_name
    from .worker_identity import load_or_create, state_dir

    settings = Settings()
    if not settings.database_url:
        raise RuntimeError("set SESSIONLENS_DATABASE_URL for the worker")
    name = os.environ.get("SESSIONLENS_WORKER_NAME")
    identity = load_or_create(state_dir(settings, name))  # made by `sessionlens worker` before the pool forks
    engine = store.make_engine(settings.database_url)
    from ..offline import allow_services

    allow_services(settings)  # the heartbeat thread keeps its database while a stage runs offline
    keyring = for_worker(settings, identity.private)  # this worker's own key: opens grants routed to it only
    # Unique per process (prefork children share the name given on the command line): a lease names one process.
    return engine, settings, keyring, f"{name}:{os.getpid()}" if name else worker_name()


def _run_job(self: Any, job_id: str) -> str:
    from .runner import job_settings, run_once

    engine, settings, keyring, worker = _worker_state()
    # the settings saved from the browser too (speech_*, caps, retention), read again for every job
    outcome, wait = run_once(engine, job_settings(settings), keyring, job_id, worker)
    if outcome == "moved":  # the job now belongs to another worker's queue: this message ends here
        event("job.moved", job=job_id, worker=worker)
        return outcome
    if outcome in ("wait", "busy", "retry"):
        event("job.requeued", job=job_id, worker=worker, state=outcome, countdown=wait)
        raise self.retry(countdown=wait)
    return outcome
