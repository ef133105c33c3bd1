"""What the client page's trend chart is drawn from (web.routes.client_pages -> web.views.charts)."""

from typing_extensions import TypedDict


class SessionTrendRow(TypedDict):
    """One session's row on the client page, with the headline numbers the trend chart plots."""

    id: str
    date: str
    format: str
    status: str
    utterances: int
    therapist_share: float | None
    client_share: float | None


class Tick(TypedDict):
    """A time label under a chart."""

    x: float
    text: str
