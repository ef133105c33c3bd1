"""The key hierarchy.

::

    passphrase ──Argon2id(salt, ≥64 MiB, t≥3, p)──► passphrase key ─┐
    recovery key (256 random bits, shown once) ──HKDF──► recovery key ┤ each wraps the same
                                                                      ▼
                                          KEK (random, 256 bit, never stored in the clear)
                                             ├── wraps one DEK per client (AES-256-GCM)
                                             └── HKDF ► audit MAC key, row MAC key, backup keys

Changing the passphrase rewraps the KEK only. Destroying a client's wrapped DEK makes every
record sealed under it unreadable (crypto-shredding).
"""

from __future__ import annotations

import base64
import hmac
import os
from dataclasses import dataclass
from hashlib import sha256

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ..errors import AuthError, ConfigError, IntegrityError
from . import crypto

MIN_MEMORY_KIB = 64 * 1024
MIN_TIME_COST = 3
SALT_BYTES = 16
KEK_ID = "kek"


@dataclass(frozen=True, slots=True)
class KdfParams:
    """Argon2id cost parameters; refused when below the floor the design promises."""

    memory_kib: int
    time_cost: int
    parallelism: int

    def check(self) -> KdfParams:
        if self.memory_kib < MIN_MEMORY_KIB or self.time_cost < MIN_TIME_COST or not 1 <= self.parallelism <= 16:
            raise ConfigError(
                f"Argon2id parameters below the floor (need ≥{MIN_MEMORY_KIB // 1024} MiB, t≥{MIN_TIME_COST}, "
                f"1≤p≤16; got {self.memory_kib // 1024} MiB, t={self.time_cost}, p={self.parallelism})"
            )
        return self


def new_salt() -> bytes:
    return os.urandom(SALT_BYTES)


def derive_passphrase_key(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    """Argon2id: the one deliberately slow step of unlocking."""
    if not passphrase:
        raise AuthError("the passphrase is empty")
    params.check()
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=crypto.KEY_BYTES,
        type=Type.ID,
    )


def subkey(key: bytes, purpose: str) -> bytes:
    """A purpose-bound key derived from ``key`` with HKDF-SHA256."""
    return HKDF(algorithm=hashes.SHA256(), length=crypto.KEY_BYTES, salt=None, info=purpose.encode()).derive(key)


# --- recovery key -------------------------------------------------------------------------------

def new_recovery_key() -> str:
    """256 random bits as base32 in groups of four, plus a 2-character check (catches typos)."""
    raw = os.urandom(32)
    text = base64.b32encode(raw + sha256(raw).digest()[:1]).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def recovery_key_bytes(text: str) -> bytes:
    """Parse a recovery key as printed; AuthError on a malformed or mistyped key."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        data = base64.b32decode(compact + "=" * (-len(compact) % 8))
    except (ValueError, TypeError):
        raise AuthError("the recovery key is malformed") from None
    if len(data) != 33 or not hmac.compare_digest(sha256(data[:32]).digest()[:1], data[32:]):
        raise AuthError("the recovery key is malformed or mistyped")
    return subkey(data[:32], "sessionlens-recovery-v1")


# --- wrapping -----------------------------------------------------------------------------------

def wrap_kek(wrapping_key: bytes, kek: bytes, *, vault_id: str, via: str) -> bytes:
    return crypto.seal(wrapping_key, kek, key_id=via, key_version=1, record_id=f"kek:{vault_id}")


def unwrap_kek(wrapping_key: bytes, wrapped: bytes, *, vault_id: str, via: str) -> bytes:
    """AuthError when the passphrase / recovery key is wrong — the vault cannot tell tampering apart."""
    try:
        return crypto.open_sealed(wrapping_key, wrapped, key_id=via, key_version=1, record_id=f"kek:{vault_id}")
    except IntegrityError:
        what = "passphrase" if via == "passphrase" else "recovery key"
        raise AuthError(f"wrong {what}: the vault stays locked") from None


def wrap_dek(kek: bytes, dek: bytes, *, key_id: str, version: int, client_id: str, kek_id: str = KEK_ID) -> bytes:
    """``kek_id`` names the wrapping key: the vault KEK, or ``akek:<account>`` for an account's own KEK."""
    return crypto.seal(kek, dek, key_id=kek_id, key_version=1, record_id=f"dek:{key_id}",
                       extra={"client_id": client_id, "dek_version": version})


def unwrap_dek(kek: bytes, wrapped: bytes, *, key_id: str, version: int, client_id: str,
               kek_id: str = KEK_ID) -> bytes:
    return crypto.open_sealed(kek, wrapped, key_id=kek_id, key_version=1, record_id=f"dek:{key_id}",
                              extra={"client_id": client_id, "dek_version": version})


def mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, sha256).hexdigest()


def mac_equal(expected: str, stored: object) -> bool:
    """Constant-time comparison that tolerates garbage (non-ASCII, non-str) in the stored value."""
    if not isinstance(stored, str):
        return False
    return hmac.compare_digest(expected.encode(), stored.encode("utf-8", "surrogatepass"))
