"""What the audit-chain and key-recovery use cases return (services.audit, services.key_recovery)."""

from typing_extensions import TypedDict


class AuditVerified(TypedDict):
    ok: bool
    checked: int
    first_bad: int | None
    reason: str
    message: str


class AuditHeadExport(TypedDict):
    """The chain's head, to keep somewhere else and check later (``audit verify --head``)."""

    vault: str
    seq: int
    hash: str
    exported_at: str


class KeysRecovered(TypedDict):
    account: str
    recovered: bool
