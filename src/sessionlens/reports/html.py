"""The self-contained HTML report: one file, inline CSS and SVG, no external assets, no scripts."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, StrictUndefined, select_autoescape

from .. import __version__
from ..analysis.result import SessionAnalysis
from .charts import ROLE_COLOURS, session_map_chart, share_chart
from .summary import clock, summarize


def _environment() -> Environment:
    env = Environment(autoescape=select_autoescape(default=True), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["clock"] = clock
    return env


# Findings that label a single utterance are shown beside it in the transcript, not in the moments list.
ANNOTATION_KINDS = frozenset({"therapist_behaviour", "client_talk"})
HIDDEN_KINDS = frozenset({"role_assignment"})


def _annotations(a: SessionAnalysis) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in a.findings:
        if f.kind in ANNOTATION_KINDS:
            for e in f.evidence:
                for uid in e.utterance_ids:
                    out.setdefault(uid, []).append(f.label)
    return out


def _moments(a: SessionAnalysis) -> dict[str, list]:
    groups: dict[str, list] = {}
    for f in a.findings:
        if f.kind not in ANNOTATION_KINDS | HIDDEN_KINDS:
            groups.setdefault(f.kind.replace("_", " "), []).append(f)
    return groups


def render_html(a: SessionAnalysis) -> str:
    template = resources.files("sessionlens.reports").joinpath("templates/report.html.j2").read_text("utf-8")
    speakers = {s.id: s for s in a.transcript.speakers}
    return _environment().from_string(template).render(
        s=summarize(a),
        a=a,
        speakers=speakers,
        map_chart=session_map_chart(a),
        share_chart=share_chart(a),
        colours=ROLE_COLOURS,
        version=__version__,
        moments=_moments(a),
        annotations=_annotations(a),
    )
