"""A worker's own X25519 key pair, kept in the worker's own state directory.

::

    <state dir>/worker.key   the private key (32 bytes, mode 0600, directory 0700)

The key is made at the worker's first start and read at every later one, so a restarted worker keeps its
id (``vault.worker_approvals.worker_id``) and its approval. Each ``sessionlens worker`` instance has its own
state directory (``--state-dir``, SESSIONLENS_WORKER_STATE_DIR, else ``<data dir>/workers/<name>``); two
instances must not share one, or they share a key. Deleting the directory retires the key: the new one
must be approved again (and the old id should be revoked).
"""

from __future__ import annotations

import fcntl
import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ..config import Settings
from ..errors import ConfigError
from ..services.keyring import load_secret
from ..vault import grants, home
from ..vault.worker_approvals import fingerprint, worker_id

KEY_FILE = "worker.key"
LOCK_FILE = "worker.lock"
STATE_ENV = "SESSIONLENS_WORKER_STATE_DIR"


@dataclass(frozen=True)
class Identity:
    private: bytes
    public: bytes

    @property
    def id(self) -> str:
        return worker_id(self.public)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public)


def state_dir(settings: Settings, name: str | None) -> Path:
    """SESSIONLENS_WORKER_STATE_DIR, else ``<data dir>/workers/<name or 'default'>``."""
    chosen = os.environ.get(STATE_ENV)
    if chosen:
        return Path(chosen).expanduser().resolve()
    return home.data_dir(settings) / "workers" / (name or "default")


def _ensure_dir(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ConfigError(f"worker state directory {directory}: {exc.strerror or 'cannot be made'}") from None
    if not directory.is_dir():
        raise ConfigError(f"worker state directory {directory} is not a directory")


def load_or_create(directory: Path) -> Identity:
    """The worker's key pair from ``directory`` (made there, 0600, at the first start)."""
    _ensure_dir(directory)
    path = directory / KEY_FILE
    if not path.exists():
        private, _ = grants.new_worker_key()
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process of this worker made it a moment ago
            return load_or_create(directory)
        with os.fdopen(fd, "wb") as f:
            f.write(private)
            f.flush()
            os.fsync(f.fileno())
    private = load_secret(path)
    return Identity(private, grants.public_of(private))


def hold(directory: Path) -> IO[bytes]:
    """Claim the state directory for this worker's lifetime (kept open; prefork children inherit it): a second
    instance pointed at it refuses to start instead of sharing the key pair."""
    _ensure_dir(directory)
    handle = open(directory / LOCK_FILE, "ab")  # noqa: SIM115 - held open until the process ends
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ConfigError(f"worker state directory {directory} is in use by another running worker; give each "
                          "worker its own --state-dir") from None
    return handle
