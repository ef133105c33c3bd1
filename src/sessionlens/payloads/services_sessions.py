"""What the session use cases return (services.sessions): receipts of attaching, deleting and sharing."""

from typing_extensions import TypedDict


class MediaAttached(TypedDict):
    id: str
    session: str
    kind: str


class SessionDeleted(TypedDict):
    id: str
    deleted: bool
    reason: str


class SessionShared(TypedDict):
    session: str
    shared_with: str


class SessionUnshared(TypedDict):
    session: str
    unshared: str
