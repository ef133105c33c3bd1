"""What an audit anchor lists besides its head (vault.anchor): shredded clients and restores."""

from typing_extensions import TypedDict


class ShredMark(TypedDict):
    """A client shredded at audit entry ``seq``: a restore of an older backup must shred it again."""

    client: str
    seq: int
    at: str


class RestoreMark(TypedDict):
    """A restore the anchor restarted after (the chain begins again at the restored head)."""

    at: str
    backup_created: str
    shreds_reapplied: int
