"""Which workers are running now, and which one gets the next job (practice server, Redis).

A running ``sessionlens worker`` announces itself every few seconds (:class:`Presence`):
``<prefix>:w:<id>:presence`` holds its public key and name and lapses :data:`LIVE_SECONDS` after the last
announcement. An announcement decides nothing on its own: the web picks among workers that are live *and*
on the anchor-signed approved list (``vault.worker_approvals``) with the same key (:func:`live_approved`),
the least loaded first, and routes the job to that worker's own Celery queue (:func:`queue_of`).

Every key a worker writes carries its id, so that each worker's own Redis ACL user
(``services.redis_acl``) may touch its own keys and no other worker's: ``<prefix>:w:<id>:*`` (its
announcement, the job grants sealed to it), its queue ``<base>.<id>`` with kombu's unacknowledged-message
keys beside it (:func:`unacked_keys`), and its queue's binding ``_kombu.binding.<base>.<id>``.
"""

from __future__ import annotations

import json
import os
import random
import threading
from dataclasses import dataclass
from typing import Any, cast

from ..vault.worker_approvals import worker_id

LIVE_SECONDS = 15  # a worker silent this long is not offered new jobs (a killed one: at most this long)
BEAT_SECONDS = 5
BASE_QUEUE = "sessionlens"


def base_queue() -> str:
    """SESSIONLENS_QUEUE (tests and benchmarks beside a live server), else ``sessionlens``."""
    return os.environ.get("SESSIONLENS_QUEUE", BASE_QUEUE)


def queue_of(wid: str, base: str | None = None) -> str:
    """The Celery queue only worker ``wid`` consumes."""
    return f"{base or base_queue()}.{wid}"


def unacked_keys(wid: str, base: str | None = None) -> dict[str, str]:
    """kombu's Redis transport options for worker ``wid``: its messages taken but not yet acknowledged live
    beside its own queue, not in the transport's one shared ``unacked`` hash (which any worker could
    rewrite to move another worker's messages). A dead worker's messages come back when it restarts (the same
    key pair, the same id); a job whose worker never returns is re-sealed for another at a sign-in."""
    queue = queue_of(wid, base)
    return {"unacked_key": f"{queue}.unacked", "unacked_index_key": f"{queue}.unacked_index",
            "unacked_mutex_key": f"{queue}.unacked_mutex"}


def space(prefix: str, wid: str) -> str:
    """The keyring keys of one worker (its ACL user's own key pattern is this and ``:*``)."""
    return f"{prefix}:w:{wid}"


def grant_key(prefix: str, wid: str, job_id: str) -> str:
    """Where the grant of a job routed to ``wid`` waits (sealed to that worker's key)."""
    return f"{space(prefix, wid)}:job:{job_id}"


@dataclass(frozen=True)
class Announced:
    id: str
    public: bytes
    name: str


def _key(prefix: str, wid: str) -> str:
    return f"{space(prefix, wid)}:presence"


def announce(client: Any, prefix: str, public: bytes, name: str, ttl: int = LIVE_SECONDS) -> str:
    """Say this worker is running (for ``ttl`` seconds); returns its id."""
    wid = worker_id(public)
    client.set(_key(prefix, wid), json.dumps({"public": public.hex(), "name": name[:80]}), ex=ttl)
    return wid


def withdraw(client: Any, prefix: str, wid: str) -> None:
    client.delete(_key(prefix, wid))


def announced(client: Any, prefix: str) -> dict[str, Announced]:
    """Workers live now, by id; an entry whose id does not match its key (forged), or that is no announcement
    at all (a worker may write its own key as any Redis type), is left out."""
    from redis.exceptions import ResponseError

    found: dict[str, Announced] = {}
    for raw_key in client.scan_iter(match=_key(prefix, "*"), count=200):
        try:
            doc = json.loads(cast(bytes | None, client.get(raw_key)) or b"")
            public = bytes.fromhex(doc["public"])
        except (ResponseError, ValueError, KeyError, TypeError):
            continue
        wid = raw_key.decode().rsplit(":", 2)[-2]  # <prefix>:w:<id>:presence
        if worker_id(public) == wid:
            found[wid] = Announced(wid, public, str(doc.get("name", "")))
    return found


def live_approved(client: Any, prefix: str, approved: dict[str, bytes]) -> dict[str, bytes]:
    """Workers that are both live and approved with the very key they announce."""
    return {wid: a.public for wid, a in announced(client, prefix).items() if approved.get(wid) == a.public}


def queued(client: Any, wid: str) -> int | None:
    """Messages waiting in worker ``wid``'s queue; None when its queue is not a list (a worker may write its
    own queue key as anything: its load is then unknown, and it is offered no job)."""
    from redis.exceptions import ResponseError

    try:
        return int(client.llen(queue_of(wid)))
    except ResponseError:
        return None


def least_loaded(client: Any, candidates: dict[str, bytes]) -> str | None:
    """The candidate whose queue holds the fewest waiting jobs (ties at random); None when there is none."""
    loads = {wid: n for wid in candidates if (n := queued(client, wid)) is not None}
    if not loads:
        return None
    low = min(loads.values())
    return random.choice(sorted(w for w, n in loads.items() if n == low))


class Presence:
    """A worker's announcement, renewed on a daemon thread until :meth:`stop` (which withdraws it)."""

    def __init__(self, client: Any, prefix: str, public: bytes, name: str) -> None:
        self.client, self.prefix, self.public, self.name = client, prefix, public, name
        self.id = worker_id(public)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sl-presence", daemon=True)

    def start(self) -> Presence:
        announce(self.client, self.prefix, self.public, self.name)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            try:
                announce(self.client, self.prefix, self.public, self.name)
            except Exception:  # noqa: BLE001 - Redis briefly away: the next beat tries again
                continue

    def stop(self) -> None:
        self._stop.set()
        withdraw(self.client, self.prefix, self.id)
