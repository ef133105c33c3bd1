"""What the retention use cases return (services.retention): receipts of what policy deleted."""

from typing_extensions import NotRequired, TypedDict


class DeletionReceipt(TypedDict):
    """One deleted record: a blob (with the audit entry that records it) or a whole session."""

    record: str
    kind: str
    audit_seq: NotRequired[int]


class ClientRetention(TypedDict):
    client: str
    audio: str
    chosen: bool


class ClientRetentionSet(TypedDict):
    client: str
    audio: str
    deleted: list[DeletionReceipt]


class RetentionApplied(TypedDict):
    deleted: list[DeletionReceipt]
