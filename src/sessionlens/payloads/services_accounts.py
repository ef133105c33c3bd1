"""An account as an admin sees it (services.accounts): no keys, no password hash, no clinical content."""

from typing_extensions import TypedDict


class AccountShown(TypedDict):
    """An account as an admin sees it: no keys, no password hash, no clinical content."""

    id: str
    username: str
    role: str
    owner: bool
    disabled: bool
    locked_until: str | None
