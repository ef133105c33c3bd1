"""Background processing with visible progress: one worker thread, jobs polled by the browser.

A job belongs to the account that started it; others get "not found". Error texts shown are
only those of the product's own errors (which never carry PHI); anything else is a generic line.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFoundError, SessionlensError

log = logging.getLogger("sessionlens.web")
MAX_KEPT = 200


@dataclass
class Job:
    id: str
    owner: str
    state: str = "queued"  # queued, running, done, failed
    step: str = "waiting to start"
    progress: float = 0.0
    session: str | None = None
    message: str = ""

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "step": self.step, "progress": round(self.progress, 2),
                "session": self.session, "message": self.message}


Work = Callable[[Job], None]


@dataclass
class Jobs:
    _items: dict[str, Job] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _pool: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1, thread_name_prefix="sl-job"))
    on_idle: Callable[[], None] | None = None

    def submit(self, owner: str, work: Work) -> Job:
        job = Job(secrets.token_urlsafe(12), owner)
        with self._lock:
            self._items[job.id] = job
            for old in list(self._items)[:-MAX_KEPT]:
                if self._items[old].state in ("done", "failed"):
                    del self._items[old]
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.state = "running"
        try:
            work(job)
            job.state, job.progress = "done", 1.0
        except SessionlensError as exc:
            job.state, job.message = "failed", str(exc)
        except Exception as exc:  # noqa: BLE001 - a job must never take the server down; no PHI in the log
            job.state, job.message = "failed", "processing failed because of an internal error"
            log.error("job failed (%s)", type(exc).__name__)
        if self.on_idle is not None and not self.busy():
            self.on_idle()

    def get(self, owner: str, job_id: str) -> Job:
        with self._lock:
            job = self._items.get(job_id)
        if job is None or job.owner != owner:
            raise NotFoundError("no such job")
        return job

    def busy_owners(self) -> set[str]:
        with self._lock:
            return {j.owner for j in self._items.values() if j.state in ("queued", "running")}

    def busy(self) -> bool:
        with self._lock:
            return any(j.state in ("queued", "running") for j in self._items.values())

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
