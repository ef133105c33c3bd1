"""Relationship-centred markers of a session (``reflection.markers``): read by the web, the CLI and packets."""

from typing_extensions import TypedDict


class Marker(TypedDict):
    """One marker: a short value, whether it was present, a descriptive sentence and its evidence."""

    key: str
    label: str
    value: int | str
    """A count, or a short phrase such as "2 of 3" or "not detected"."""
    present: bool
    sentence: str
    evidence: list[str]
    """Utterance ids, at most eight."""
