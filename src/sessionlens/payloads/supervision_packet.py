"""A de-identified supervision packet (``supervision.packet.build_packet``), sealed in the vault as JSON."""

from typing_extensions import TypedDict

MeasureValue = str | int | float | None
"""A session measure as shown ("42%", 1.3, "none"), None when not measured."""


class PacketLine(TypedDict):
    id: str
    who: str
    """A placeholder label ("Therapist", "Client A"), never a name."""
    time: str
    text: str
    code: str


class PacketSession(TypedDict):
    label: str
    session: str
    scope: str
    measures: dict[str, MeasureValue]
    """Display label ("therapist talk share") -> value."""
    markers: list[str]
    lines: list[PacketLine]


class RelativeMeasure(TypedDict):
    """A symptom score with weeks since the first one instead of a date (dates identify)."""

    instrument: str
    week: int
    total: int
    band: str


class SupervisionPacket(TypedDict):
    title: str
    notice: str
    status: str
    questions: list[str]
    sessions: list[PacketSession]
    symptom_measures: list[RelativeMeasure]
    replaced: dict[str, int]
    """Kind of identifier -> how many were replaced."""
    about: str
