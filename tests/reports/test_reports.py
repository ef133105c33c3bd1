"""Reports: self-contained HTML, escaping, Markdown, terminal, and the JSON document contract."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace

import jsonschema
from rich.console import Console

from sessionlens.analysis.pipeline import run_analysis
from sessionlens.config import Settings
from sessionlens.reports.document import analysis_document
from sessionlens.reports.html import render_html
from sessionlens.reports.markdown import render_markdown
from sessionlens.reports.terminal import render_terminal
from sessionlens.speech.roles import assign_roles

from ..analysis.fixtures import hand_session
from ..conftest import REPO

SCHEMA = json.loads((REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8"))


def analysis(transcript=None):
    t, findings = assign_roles(transcript or hand_session())
    return run_analysis(t, Settings(), findings)


def test_html_is_self_contained():
    html = render_html(analysis())
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html), "external reference in the report"
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert "Content-Security-Policy" in html
    assert html.count("<rect") >= 7  # a block per turn plus silences


def test_html_escapes_transcript_content():
    t = hand_session()
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    t = replace(t, utterances=(replace(t.utterances[0], text=hostile),) + t.utterances[1:])
    html = render_html(analysis(t))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_html_links_silences_and_map_to_utterances():
    html = render_html(analysis())
    assert 'id="u4"' in html and 'href="#u4"' in html


def test_markdown_tables():
    md = render_markdown(analysis())
    assert "| therapist | 0:12 | 47% |" in md
    assert "2 silences of 3.0 s or more" in md


def test_terminal_summary_describes_without_grading():
    buf = io.StringIO()
    render_terminal(analysis(), Console(file=buf, width=160))
    out = buf.getvalue()
    assert "Talk time by role" in out and "Silences" in out
    for judgement in ("too much", "too little", "poor ", "bad ", "excellent", "you should", "grade", "failed to"):
        assert judgement not in out.lower(), judgement


def test_document_contract_names():
    doc = analysis_document(analysis())
    jsonschema.validate(doc, SCHEMA)
    assert set(doc) >= {"utterances", "speakers", "metrics", "silences", "findings"}
    assert doc["metrics"]["talk_time"]["therapist"]["seconds"] == 11.5
    assert {"id", "speaker", "role", "start", "end", "text"} <= set(doc["utterances"][0])
    assert doc["silences"][0]["after_role"] == "therapist"
    assert json.loads(json.dumps(doc)) == doc
