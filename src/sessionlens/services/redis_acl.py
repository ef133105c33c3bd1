"""One Redis ACL user per approved worker: the ``users.acl`` lines, made from the anchor-signed approved list.

Worker ``<id>`` signs in to Redis as ``sessionlens-<id>`` (its broker URL says ``sessionlens-{worker}``;
``services.keyring.broker_url`` puts its id there) with a password of its own, and may touch only:

* ``<prefix>:w:<id>:*`` — its announcement and the job grants sealed to it (``services.worker_registry``);
* ``<base>.<id>*`` — its own Celery queue (and kombu's priority lists and unacknowledged-message keys
  beside it), and ``_kombu.binding.<base>.<id>`` / ``_kombu.binding_permanent.<base>.<id>``, its queue's
  binding (kombu 5.7 keeps both);
* ``<prefix>:jobroute:*`` read-only (``%R~``): is a job it was sent now routed to another worker?

Everything else the web owns (other workers' grants, queues and announcements, routes, sent markers,
account holds) answers NOPERM, so a compromised worker can neither read, delete nor overwrite another
worker's keys, push to another worker's queue, nor re-route a job. No pub/sub channel, no admin or
dangerous command, no SCAN or RANDOMKEY (key names would tell it which jobs and workers exist).

Passwords never appear on a command line: each comes from a file (made here, random, 0600, when missing);
the line carries only its SHA-256.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..vault import worker_approvals
from .worker_registry import queue_of, space

PREFIX = "sessionlens"  # the keyring's key prefix (services.keyring.RedisKeyring)
USER_TEMPLATE = "sessionlens-{worker}"
COMMANDS = ("-@all +@read +@write +@keyspace +@list +@set +@sortedset +@hash +@string +@scripting +@transaction "
            "+@connection -@admin -@dangerous -@pubsub -scan -randomkey").split()


def user_of(wid: str) -> str:
    """Worker ``wid``'s Redis user."""
    return USER_TEMPLATE.format(worker=wid)


def worker_rules(wid: str, prefix: str = PREFIX, base: str | None = None) -> list[str]:
    """The ACL rules of worker ``wid`` (without ``on`` and its password hash)."""
    queue = queue_of(wid, base)
    return ["resetkeys", f"~{space(prefix, wid)}:*", f"~{queue}*", f"~_kombu.binding.{queue}",
            f"~_kombu.binding_permanent.{queue}", f"%R~{prefix}:jobroute:*", "resetchannels", *COMMANDS]


def read_password(path: Path) -> str:
    """A worker's Redis password from its file, made (random, 0600) when the file does not exist yet."""
    try:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            path.touch(mode=0o600, exist_ok=False)
            path.write_text(secrets.token_urlsafe(32) + "\n", encoding="utf-8")
        if path.stat().st_mode & 0o077:
            raise ConfigError(f"password file {path} must be readable by its owner only (chmod 600)")
        password = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"password file {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"password file {path} is not a text file") from None
    if len(password) < 16:
        raise ConfigError(f"password file {path} must hold a password of 16 characters or more")
    return password


def worker_line(wid: str, password: str, prefix: str = PREFIX, base: str | None = None) -> str:
    digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
    return " ".join(["user", user_of(wid), "on", f"#{digest}", *worker_rules(wid, prefix, base)])


def approved_lines(anchor_dir: Path, password_files: Mapping[str, Path], password_dir: Path | None,
                   base: str | None = None) -> list[str]:
    """One line per approved worker, in id order. Its password comes from ``password_files[id]``, else
    ``password_dir/<id>`` (made when missing). A list that fails its anchor signature raises IntegrityError:
    no line is made from it."""
    approved = worker_approvals.approved_keys(anchor_dir)
    unknown = sorted(set(password_files) - set(approved))
    if unknown:
        raise ConfigError(f"worker {unknown[0]} is not on the approved list: approve it first")
    lines = []
    for wid in sorted(approved):
        path = password_files.get(wid) or (password_dir / wid if password_dir else None)
        if path is None:
            raise ConfigError(f"no password file for worker {wid}: give --password {wid}=FILE or --password-dir")
        lines.append(worker_line(wid, read_password(path), base=base))
    return lines


def users_file(settings: Any, password_files: Mapping[str, Path], password_dir: Path | None,
               base: Path | None = None) -> str:
    """``users.acl`` as Redis loads it: ``base`` (the shipped file with the web's hash filled in) and then a
    line per approved worker (read from this server's anchor directory)."""
    head = ""
    if base is not None:
        try:
            head = base.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"ACL base file {base}: {exc.strerror}") from None
        except UnicodeDecodeError:
            raise ConfigError(f"ACL base file {base} is not a text file") from None
        # Redis refuses an ACL file with comment lines (it would not start): only the user lines are kept,
        # and no earlier worker line (the approved list decides those).
        kept = [line.strip() for line in head.splitlines()
                if line.strip().startswith("user ") and not line.strip().startswith(f"user {user_of('w-')}")]
        head = "".join(line + "\n" for line in kept)
    lines = approved_lines(worker_approvals.directory(settings), password_files, password_dir)
    return head + "".join(line + "\n" for line in lines)
