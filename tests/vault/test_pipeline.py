"""The one processing path: in-process runs honour the speech settings; the guard lets through only configured hosts."""

from __future__ import annotations

# ruff: noqa: F811  (pytest fixtures imported from helpers are parameters here)
import io
import wave

import pytest

from sessionlens.errors import InputError, TranscriptError
from sessionlens.services import clients, consent, media_sessions, pipeline
from sessionlens.services.transcription import transcribe_session

from .helpers import BACKENDS, _derive_once, db_url, make_settings, template, world  # noqa: F401


def _wav(seconds: float = 1.0, rate: int = 16000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(b"\0\0" * int(seconds * rate))
    return out.getvalue()


def test_in_process_transcription_uses_the_speech_settings(world, monkeypatch) -> None:
    """`session add RECORDING` runs process_audio: a configured model the jobs would refuse is refused here too."""
    monkeypatch.setattr(world.vault, "settings", make_settings(speech_model="large-v9"))
    client = clients.add_client(world.alice, "Settings")["id"]
    consent.record_consent(world.alice, client)
    session = media_sessions.create_audio_session(world.alice, client, status="awaiting_transcription",
                                                  mime="audio/wav", data=_wav())["id"]
    with pytest.raises(InputError, match="unknown model 'large-v9'"):
        transcribe_session(world.alice, session)


def test_every_speech_setting_reaches_the_recogniser() -> None:
    options = pipeline.speech_options(make_settings(speech_model="base", speech_language="de", speech_speakers=2,
                                                    speech_chunk_seconds=30.0, speech_threads=3))
    assert (options.model, options.language, options.speakers, options.chunk_seconds, options.threads) == \
        ("base", "de", 2, 30.0, 3)


def test_guard_allows_only_configured_servers(world, monkeypatch) -> None:
    monkeypatch.setenv("SESSIONLENS_ALLOW_HOSTS", "198.51.100.7")  # an environment variable widens nothing
    assert "198.51.100.7" not in pipeline.network_hosts(world.vault)
    monkeypatch.setattr(world.vault, "settings", make_settings(job_runner="celery",
                                                               broker_url="redis://10.9.8.7:6379/0"))
    assert pipeline.network_hosts(world.vault)[-1] == "10.9.8.7"


def test_in_process_runs_parse_and_decode_in_the_keyless_sandbox(world, monkeypatch) -> None:
    """`session add FILE` (CLI, in this process, which holds the keys) parses and decodes untrusted input in
    the limited child, exactly as the durable jobs do (issue 17): the real sandbox runs, and is watched."""
    from sessionlens import sandbox
    from sessionlens.services import sessions

    ran: list[str] = []
    real = sandbox.run

    def watched(fn, *args, **kw):  # type: ignore[no-untyped-def]  # records what ran there, then runs it there
        ran.append(fn.__name__)
        return real(fn, *args, **kw)

    real_stream = sandbox.stream

    def watched_stream(fn, pieces, *args, **kw):  # type: ignore[no-untyped-def]  # the recording goes in by pieces
        ran.append(fn.__name__)
        return real_stream(fn, pieces, *args, **kw)

    monkeypatch.setattr(sandbox, "run", watched)
    monkeypatch.setattr(sandbox, "stream", watched_stream)
    client = clients.add_client(world.alice, "Sandboxed")["id"]
    consent.record_consent(world.alice, client)
    sessions.import_session(world.alice, client, b"WEBVTT\n\n00:00.000 --> 00:02.000\n<v Therapist>Hello.\n\n"
                            b"00:02.000 --> 00:04.000\n<v Client>Hi.\n", source="short.vtt")
    assert ran == ["parse_packed"]
    with pytest.raises(InputError, match="not a transcript|could not|no utterances|format"):
        sessions.import_session(world.alice, client, b"\x00\x01 not a transcript", source="x.vtt")
    session = media_sessions.create_audio_session(world.alice, client, status="awaiting_transcription",
                                                  mime="audio/wav", data=_wav(3.0))["id"]
    with pytest.raises(TranscriptError, match="speaker"):  # a silent recording: decoded, then nobody spoke
        transcribe_session(world.alice, session)
    assert ran[-1] == "pcm16_blocks"  # the sealed chunks streamed into the sandboxed decoder
