"""What the backup use cases return (services.backup): the CLI prints them as JSON."""

from typing_extensions import TypedDict


class BackupCreated(TypedDict):
    path: str
    bytes: int
    sha256: str
    verified: bool


class BackupRestored(TypedDict):
    vault: str
    data_dir: str
    backup_created: str
    sha256: str
    verified: bool
    audit_ok: bool
    shreds_reapplied: int
