"""The review page's moments (web.views.moments): findings grouped, each with the moment it links to."""

from typing_extensions import TypedDict


class Moment(TypedDict):
    kind: str  # a readable label of the finding's kind
    label: str
    explanation: str
    confidence: float | None
    source: str
    utterance: str | None  # the first evidence utterance: the transcript and audio jump there
    start: float | None
    clock: str
    note: str


class MomentGroup(TypedDict):
    key: str
    title: str
    items: list[Moment]
