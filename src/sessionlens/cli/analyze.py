"""`sessionlens analyze` and `sessionlens demo`: objective session data from a transcript."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..config import Settings
from ..errors import InputError
from ..lazy import lazy
from .app import app

if TYPE_CHECKING:  # for annotations only: the modules themselves load on first use
    from ..analysis.result import SessionAnalysis

_console = lazy("rich.console")
_result = lazy("sessionlens.analysis.result")
_ingest = lazy("sessionlens.ingest")
_document = lazy("sessionlens.reports.document")
_html = lazy("sessionlens.reports.html")
_markdown = lazy("sessionlens.reports.markdown")
_terminal = lazy("sessionlens.reports.terminal")
_analysis = lazy("sessionlens.services.analysis")

DEMO_RESOURCE = "demo_session.vtt"


def write_report(path: Path, text: str) -> Path:
    """Write a report the user asked for; refuse directories and missing parent folders clearly."""
    if path.is_dir():
        raise InputError("is a directory; give a file name for the report", source=str(path))
    if not path.parent.exists():
        raise InputError("the folder for the report does not exist", source=str(path))
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report ({exc.strerror})", source=str(path)) from None
    return path


def emit(a: SessionAnalysis, *, as_json: bool, as_markdown: bool, html: Path | None, quiet_terminal: bool) -> None:
    if html is not None:
        write_report(html, _html.render_html(a))
    if as_json:
        sys.stdout.write(json.dumps(_document.analysis_document(a), ensure_ascii=False, indent=2) + "\n")
    elif as_markdown:
        sys.stdout.write(_markdown.render_markdown(a))
    elif not quiet_terminal:
        _terminal.render_terminal(a, _console.Console())
    if html is not None and not as_json and not as_markdown:
        _console.Console(stderr=True).print(f"HTML report written to {html.resolve()}")


@app.command()
def analyze(
    file: Annotated[Path, typer.Argument(help="Transcript (text, WebVTT, SRT, Whisper JSON, CSV, DOCX, sessionlens JSON) or a recording (audio/video).")],
    therapist: Annotated[Optional[list[str]], typer.Option("--therapist", help="Speaker who is the therapist (repeatable).")] = None,
    client: Annotated[Optional[list[str]], typer.Option("--client", help="Speaker who is a client (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON (docs/analysis.schema.json).")] = False,
    html: Annotated[Optional[Path], typer.Option("--html", help="Write a self-contained HTML report to this file.")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print the summary as Markdown.")] = False,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Force the input format instead of detecting it.")] = None,
    transcript_id: Annotated[Optional[str], typer.Option("--transcript-id", help="Pick one transcript from a CSV holding several.")] = None,
    silence_threshold: Annotated[Optional[float], typer.Option(help="Shortest silence to report, in seconds (default 3).")] = None,
    window: Annotated[Optional[float], typer.Option(help="Window for talk share over time, in seconds (default 300).")] = None,
) -> None:
    """Report who talked how much, how the turns went and where the silences fell."""
    if as_json and markdown:
        raise InputError("choose one of --json and --markdown")
    if fmt is not None and fmt not in _ingest.FORMATS:
        raise InputError(f"--format must be one of: {', '.join(sorted(_ingest.FORMATS))}")
    settings = Settings({"silence_threshold": silence_threshold, "window_seconds": window})
    from ..ingest.audio import is_media_file  # audio/video, detected by content
    from .speech_cmds import analyze_audio

    if fmt is None and is_media_file(file):
        a = analyze_audio(file, settings, therapist=therapist or (), client=client or ())
    else:
        from ..services.pipeline import sandboxed_transcript  # parsed in the keyless, limited sandbox

        transcript = sandboxed_transcript(file, fmt, transcript_id, settings.speech_rate_wpm)
        a = _analysis.analyze_transcript(transcript, settings, therapist=therapist or (), client=client or ())
    emit(a, as_json=as_json, as_markdown=markdown, html=html, quiet_terminal=False)


def demo_analysis() -> SessionAnalysis:
    data = resources.files("sessionlens.data").joinpath(DEMO_RESOURCE).read_bytes()
    return _analysis.analyze_transcript(_ingest.parse_transcript(data, source=f"demo:{DEMO_RESOURCE}"))


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="Folder for the demo's reports.")] = Path("out"),
) -> None:
    """Analyse the bundled fictional session and write its HTML and JSON reports."""
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", source=str(out))
    out.mkdir(parents=True, exist_ok=True)
    a = demo_analysis()
    console = _console.Console()
    _terminal.render_terminal(a, console)
    html = write_report(out / "demo-report.html", _html.render_html(a))
    doc = write_report(out / "demo-analysis.json", json.dumps(_document.analysis_document(a), ensure_ascii=False, indent=2))
    console.print("\nDemo session analysed (a fictional session written for sessionlens).")
    console.print(f"HTML report: {html.resolve()}")
    console.print(f"JSON:        {doc.resolve()}")
