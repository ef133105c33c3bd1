"""A backup file's cleartext header (vault.backup): what restore needs before it can unlock the body."""

from typing_extensions import TypedDict


class KdfJson(TypedDict):
    memory_kib: int
    time_cost: int
    parallelism: int


class BackupHeader(TypedDict):
    format: int
    vault_id: str
    created_at: str
    anchor_dir: str | None  # where the vault's audit anchor lived, for restore to find its shred list
    kdf: KdfJson
    kdf_salt: str  # base64, like the wrapped keys and the salt below
    kek_by_passphrase: str
    kek_by_recovery: str
    backup_salt: str
