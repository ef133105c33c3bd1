"""What the client page's trend chart is drawn from (web.routes.client_pages -> web.views.charts)."""

from types import SimpleNamespace

from typing_extensions import NotRequired, TypedDict


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


class ChartLabel(TypedDict):
    """A text label inside a chart."""

    x: float
    y: float
    text: str


class Mark(TypedDict):
    """A block or band on a bar chart; ``uid`` and ``start`` let the browser jump there."""

    x: float
    y: float
    w: float
    h: float
    cls: str
    title: str
    uid: str | None
    start: float


class BarChart(TypedDict):
    """The session map (marks as namespaces: hundreds of them, read by attribute) or the share windows."""

    width: float
    height: float
    marks: list[Mark] | list[SimpleNamespace]
    labels: list[ChartLabel]
    ticks: list[Tick]
    axis_y: NotRequired[float]


class ArcLine(TypedDict):
    cls: str
    points: str
    role: str


class ArcPoint(TypedDict):
    x: float
    y: float
    cls: str
    uid: str | None
    title: str


class EmotionArcChart(TypedDict):
    """Per role, the mean emotional intensity across the parts of the session."""

    width: float
    height: float
    lines: list[ArcLine]
    points: list[ArcPoint]
    labels: list[ChartLabel]
