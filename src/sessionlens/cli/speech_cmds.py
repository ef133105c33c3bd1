"""`sessionlens transcribe` (audio/video -> diarized transcript) and the audio path of `analyze`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from .. import __version__
from ..config import Settings
from ..errors import InputError
from ..lazy import lazy
from .app import app

if TYPE_CHECKING:  # for annotations only: the modules themselves load on first use
    from ..analysis.result import SessionAnalysis
    from ..domain import Transcript
    from ..speech.pipeline import Progress, SpeechOptions

_console = lazy("rich.console")
_progress = lazy("rich.progress")
_result = lazy("sessionlens.analysis.result")
_codec = lazy("sessionlens.codec")
_domain = lazy("sessionlens.domain")
_ingest = lazy("sessionlens.ingest")
_audio = lazy("sessionlens.ingest.audio")
_pipeline = lazy("sessionlens.speech.pipeline")

__all__ = ["analyze_audio", "transcribe", "transcript_document"]

_FORMATS = {"vtt": "vtt", "srt": "srt", "txt": "text"}


def speech_options(settings: Settings, *, model: str | None = None, speakers: int | None = None,
                   language: str | None = None) -> SpeechOptions:
    """CLI options over settings (env) over defaults."""
    count = speakers if speakers is not None else settings.speech_speakers
    if count is not None and not 0 <= count <= 8:
        raise InputError("--speakers must be between 1 and 8 (0: detect)")
    return _pipeline.SpeechOptions(model=model or settings.speech_model, speakers=count or None,
                         language=language or settings.speech_language or None,
                         chunk_seconds=settings.speech_chunk_seconds, threads=settings.speech_threads or None)


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Progress]:
    """A progress bar with a time estimate on stderr (silent when stderr is not a terminal)."""
    console = _console.Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield lambda done, total, stage: None
        return
    columns = (_progress.TextColumn("{task.description:<18}"), _progress.BarColumn(), _progress.TextColumn("{task.percentage:>3.0f}%"),
               _progress.TimeElapsedColumn(), _progress.TextColumn("left"), _progress.TimeRemainingColumn())
    with _progress.Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("loading models", total=None)

        def update(done: float, total: float | None, stage: str) -> None:
            bar.update(task, description=stage, completed=done, total=total or None)

        yield update


def transcribe_file(path: Path, options: SpeechOptions, *, show_progress: bool = True) -> Transcript:
    if not _audio.is_media_file(path) and path.is_file() and path.stat().st_size > 0:
        # Let FFmpeg judge formats without a known signature, but refuse obvious text early.
        with path.open("rb") as fh:
            head = fh.read(512)
        if head and all(32 <= b < 127 or b in (9, 10, 13) for b in head):
            raise InputError("is a text file, not audio or video (for a transcript use `sessionlens analyze`)",
                             source=str(path))
    from ..services.pipeline import recording_stream

    decoded = recording_stream(path)  # decoded in the keyless, limited sandbox; this process reads only PCM
    with progress_bar(show_progress) as report:
        return _pipeline.transcribe(decoded, options, report)


def transcript_document(t: Transcript) -> dict[str, Any]:  # raw JSON out: printed by `transcribe --json`
    """The transcript in the shape of the analysis document's ``speakers`` and ``utterances``."""
    cues = t.metadata.get("paralinguistics", {})
    meta = {k: v for k, v in t.metadata.items() if k not in ("paralinguistics", "vocal_events")}
    return {
        "document_version": 1,
        "generator": f"sessionlens {__version__}",
        "source_format": t.source_format,
        "timing": t.timing.value,
        "language": t.language,
        "speakers": [_codec.speaker_to_dict(s) for s in t.speakers],
        "utterances": [{**_codec.utterance_to_dict(u), "paralinguistics": cues.get(u.id)} for u in t.utterances],
        "vocal_events": t.metadata.get("vocal_events", []),
        "speech": meta,
    }


def _clock(t: float | None) -> str:
    t = t or 0.0
    return f"{int(t // 3600):02d}:{int(t % 3600 // 60):02d}:{t % 60:04.1f}"


def readable(t: Transcript) -> str:
    """Plain reading view: every turn, with long pauses and wordless sounds shown, not smoothed away."""
    if not t.utterances:
        return f"({t.metadata.get('message', 'no speech')})\n"
    names = {s.id: s.name for s in t.speakers}
    events = sorted(t.metadata.get("vocal_events", []), key=lambda e: e["start"])
    lines: list[str] = []
    prev_end: float | None = None
    for u in t.utterances:
        while events and events[0]["start"] < (u.start or 0):
            ev = events.pop(0)
            lines.append(f"[{_clock(ev['start'])}]   ({ev['label']}, {ev['end'] - ev['start']:.1f} s)")
        if prev_end is not None and (u.start or 0) - prev_end >= 2.0:
            lines.append(f"                ... pause {(u.start or 0) - prev_end:.1f} s ...")
        lines.append(f"[{_clock(u.start)}] {names.get(u.speaker, u.speaker)}: {u.text}")
        prev_end = u.end
    lines += [f"[{_clock(ev['start'])}]   ({ev['label']}, {ev['end'] - ev['start']:.1f} s)" for ev in events]
    return "\n".join(lines) + "\n"


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    from .analyze import write_report

    write_report(out, text)


@app.command()
def transcribe(
    audio: Annotated[Path, typer.Argument(help="Recording: wav, flac, mp3, m4a/aac, ogg/opus, webm, or the audio of mp4/mov.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON: speakers and utterances with words and cues.")] = False,
    vtt: Annotated[bool, typer.Option("--vtt", help="WebVTT subtitles with speaker voices.")] = False,
    srt: Annotated[bool, typer.Option("--srt", help="SubRip subtitles.")] = False,
    txt: Annotated[bool, typer.Option("--txt", help="Plain text transcript (sessionlens text format).")] = False,
    model: Annotated[Optional[str], typer.Option("--model", help="tiny.en (default), base, or a CTranslate2 Whisper folder.")] = None,
    speakers: Annotated[Optional[int], typer.Option("--speakers", help="Number of speakers (default: detect 1-4).")] = None,
    language: Annotated[Optional[str], typer.Option("--language", help="Language code for multilingual models.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of standard output.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Transcribe a recording offline: who said what, when, with pauses and vocal cues."""
    chosen = [name for name, on in (("json", as_json), ("vtt", vtt), ("srt", srt), ("txt", txt)) if on]
    if len(chosen) > 1:
        raise InputError("choose one of --json, --vtt, --srt and --txt")
    options = speech_options(Settings(), model=model, speakers=speakers, language=language)
    t = transcribe_file(audio, _with_enrolled_voice(options), show_progress=not quiet)
    if not t.utterances:
        _console.Console(stderr=True).print(f"sessionlens: {t.metadata.get('message', 'no speech found')}")
    fmt = chosen[0] if chosen else None
    if fmt == "json":
        _write(json.dumps(transcript_document(t), ensure_ascii=False, indent=2) + "\n", out)
    elif fmt is not None:
        _write(_ingest.render_transcript(t, _FORMATS[fmt]).decode("utf-8") if t.utterances else "", out)
    else:
        _write(readable(t), out)


def _with_enrolled_voice(options: SpeechOptions) -> SpeechOptions:
    """The vault's enrolled voice when SESSIONLENS_PASSPHRASE unlocks one (docs/speech.md), else as it was."""
    from dataclasses import replace

    from .voice_cmds import ambient_voiceprint

    voice = ambient_voiceprint()
    return options if voice is None else replace(options, voiceprint=voice)


def analyze_audio(path: Path, settings: Settings, *, therapist: Sequence[str] = (),
                  client: Sequence[str] = ()) -> SessionAnalysis:
    """`sessionlens analyze RECORDING`: transcribe, then the same analysis as for a transcript."""
    from ..services.analysis import analyze_transcript

    options = speech_options(settings)
    if not therapist and not client:  # the clinician's own word wins over the enrolled voice
        options = _with_enrolled_voice(options)
    t = transcribe_file(path, options)
    if not t.utterances:
        raise InputError(t.metadata.get("message", "no speech found"), source=str(path))
    return analyze_transcript(t, settings, therapist=therapist, client=client)
