"""What the supervision-packet use cases return (services.supervision); the packet itself is
payloads/supervision_packet.py."""

from typing_extensions import NotRequired, TypedDict

from .supervision_packet import SupervisionPacket


class PacketBuilt(TypedDict):
    id: str
    client: str
    status: str
    replaced: dict[str, int]
    """Kind of identifier -> how many were replaced."""


class PacketState(TypedDict):
    id: str
    status: str


class PacketListed(TypedDict):
    id: str
    created_at: str
    status: str
    sessions: int
    client: NotRequired[str]
    """Clinicians only: a supervisor never sees the client id."""


class PacketShown(SupervisionPacket):
    """A packet as its reader sees it: the sealed packet and its record id."""

    id: str
