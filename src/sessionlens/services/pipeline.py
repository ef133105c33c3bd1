"""The one processing path: a transcript file is parsed, or a session's audio transcribed; then analysed; then stored.

Each stage takes and returns JSON bytes — exactly what a durable job seals as its checkpoint — so the
same functions serve every caller: ``jobs.stages`` runs them with leases and resumable checkpoints
(web uploads, Celery workers), and :func:`process_transcript` / :func:`process_audio` run them in this
thread (``session add``, tests, benchmarks). Nothing else in the product parses, transcribes, analyses
or stores a session:

* the speech settings become :class:`~sessionlens.speech.pipeline.SpeechOptions` only in
  :func:`speech_options`;
* processing runs under the network guard, which leaves reachable only the hosts :func:`network_hosts`
  names from the settings (the database server; on a practice server, the broker);
* :func:`store` is the one transaction that writes the results — session row, sealed records, audit
  entry, retention — after checking again that the client's consent still stands.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from sqlalchemy import Connection, insert, update

from ..errors import ConsentError, InputError
from ..payloads.services_session_meta import AnalysedSession, SessionMeta, TranscriptInput
from ..payloads.services_sessions import SessionImported, SessionStored, SessionTranscribed
from ..offline import offline
from ..vault import blobs, records, store
from ..vault.audit_batch import reading
from ..vault.blobs import BlobKind
from ..vault.ids import new_id, now_iso
from ..vault.models import sessions
from ..vault.vault import Vault, acting_as
from .consent import consented
from .context import Ctx
from .permissions import Action, Refused, allowed, client_row, session_row, unit_of_work

if TYPE_CHECKING:
    from ..config import Settings
    from ..domain import Transcript
    from ..ingest.decoded import DecodedStream
    from ..speech.pipeline import SpeechOptions

STAGES = {"transcript": ("parse", "analyze", "store"), "audio": ("transcribe", "analyze", "store")}
LABELS = {"parse": "reading the transcript", "transcribe": "transcribing the audio",
          "analyze": "analysing the session", "store": "storing the results"}
Progress = Callable[[float, float | None, str], None]


def pack_input(meta: TranscriptInput, data: bytes) -> bytes:
    """A transcript file and what the clinician said about it (source name, format, therapist labels)."""
    head = json.dumps(meta).encode()
    return len(head).to_bytes(4, "big") + head + data


def unpack_input(blob: bytes) -> tuple[TranscriptInput, bytes]:
    n = int.from_bytes(blob[:4], "big")
    meta: TranscriptInput = json.loads(blob[4 : 4 + n])  # written by pack_input in this process or a worker
    return meta, blob[4 + n :]


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def network_hosts(vault: Vault) -> tuple[str, ...]:
    """Hosts the guard leaves reachable while processing: the configured database and broker servers only."""
    hosts = store.network_hosts(vault.engine)
    if vault.settings.job_runner == "celery":
        broker = urlsplit(vault.settings.broker_url).hostname
        hosts += (broker,) if broker else ()
    return hosts


def speech_options(settings: Settings, voiceprint: Any = None, people: int | None = None) -> SpeechOptions:
    """The speech_* settings as recogniser options: every path that transcribes gets them from here.
    ``people`` (the clinician's count for this session) wins over the ``speech_speakers`` setting."""
    from ..speech.pipeline import SpeechOptions

    return SpeechOptions(model=settings.speech_model, language=settings.speech_language or None,
                         speakers=people or settings.speech_speakers or None,
                         chunk_seconds=settings.speech_chunk_seconds,
                         threads=settings.speech_threads or None, voiceprint=voiceprint)


# --- the stages ----------------------------------------------------------------------------------

def parse_stage(vault: Vault, packed: bytes) -> bytes:
    """A packed transcript file → ``{"transcript", "meta"}``. The parsers read an untrusted file: they run
    in a keyless child with resource limits (:mod:`sessionlens.sandbox`), whoever asks — CLI, web or worker."""
    from .. import sandbox

    return sandbox.run(parse_packed, packed, float(vault.settings.speech_rate_wpm), what="the transcript parser")


def decoded_wav(data: bytes) -> bytes:
    """A recording decoded to a plain WAV in a keyless, limited child (:mod:`sessionlens.sandbox`): only that
    WAV reaches this process's FFmpeg. Every path that transcribes prepares its audio with this."""
    from .. import sandbox
    from ..ingest.audio import to_wav

    return sandbox.run(to_wav, data, what="the audio decoder", memory_mib=sandbox.DECODE_MEMORY_MIB)


def streamed_recording(pieces: Iterable[bytes], label: str = "audio") -> DecodedStream:
    """A recording, given piece by piece (sealed chunks as they are opened), decoded in the keyless, limited
    child as it is read (:func:`sessionlens.sandbox.stream`): its description, then 16 kHz blocks taken as they
    are consumed. Neither process holds the whole recording, encoded or decoded (except an MP4/M4A, whose
    index may come last: the child buffers that one)."""
    from .. import sandbox
    from ..ingest.audio import pcm16_blocks
    from ..ingest.decoded import decoded_stream

    return decoded_stream(sandbox.stream(pcm16_blocks, pieces, label, what="the audio decoder",
                                         memory_mib=sandbox.DECODE_MEMORY_MIB), label)


def recording_stream(path: str | Path) -> DecodedStream:
    """A recording on disk (``sessionlens transcribe`` / ``analyze``), read 4 MiB at a time into the sandboxed
    decoder (:func:`streamed_recording`): the CLI's process, which may hold the enrolled voice's keys, only
    reads 16 kHz PCM."""
    from ..ingest.audio import check_path

    p = check_path(path)

    def pieces() -> Iterator[bytes]:
        with open(p, "rb") as fh:
            while piece := fh.read(4 << 20):
                yield piece

    return streamed_recording(pieces(), str(path))


def sandboxed_transcript(path: str | Path, fmt: str | None, transcript_id: str | None,
                         speech_rate_wpm: float) -> Transcript:
    """``sessionlens analyze TRANSCRIPT``: the file parsed in the keyless, limited child, as every other path;
    the child answers with the transcript as JSON (a plain document, rebuilt and checked here)."""
    from .. import sandbox
    from ..codec import transcript_from_dict

    doc = sandbox.run(_load_transcript, str(path), fmt, transcript_id, speech_rate_wpm,
                      what="the transcript parser")
    return transcript_from_dict(json.loads(doc))


def _load_transcript(path: str, fmt: str | None, transcript_id: str | None, speech_rate_wpm: float) -> bytes:
    from ..codec import transcript_to_dict
    from ..ingest import load_transcript

    transcript = load_transcript(path, fmt=fmt, transcript_id=transcript_id, speech_rate_wpm=speech_rate_wpm)
    return _json(transcript_to_dict(transcript))


def _sealed_pieces(ctx: Ctx, blob_id: str, size: int = 4 << 20) -> Iterator[bytes]:
    """A sealed blob's plaintext, ``size`` bytes at a time, each read in a short transaction of its own (a
    long decode never holds one open), each range authenticated; the total is checked against the sealed size."""
    vault = ctx.vault
    with acting_as(ctx.actor.id), vault.transaction() as conn:
        total = blobs.size_of(vault, conn, blob_id)
    for start in range(0, total, size):
        with acting_as(ctx.actor.id), reading(), vault.transaction() as conn:
            piece = blobs.read_range(vault, conn, blob_id, start, start + size)
        if len(piece) != min(size, total - start):
            raise InputError("the stored recording is shorter than its seal says")
        yield piece


def parse_packed(packed: bytes, speech_rate_wpm: float) -> bytes:
    """The parse itself, keyless and vault-free (durable jobs run it in ``sessionlens.sandbox``)."""
    from ..codec import transcript_to_dict
    from ..ingest import parse_transcript

    meta, data = unpack_input(packed)
    transcript = parse_transcript(data, source=meta["source"], fmt=meta.get("fmt"), speech_rate_wpm=speech_rate_wpm)
    return _json({"transcript": transcript_to_dict(transcript), "meta": meta})


def transcribe_stage(ctx: Ctx, session_id: str, progress: Progress | None = None) -> bytes:
    """A session's sealed audio → ``{"transcript", "meta"}``, labelled with the clinician's enrolled voice.

    The audio is read (audited) only with current processing consent, streamed chunk by chunk into the
    sandboxed decoder (:func:`streamed_recording`), and only the 16 kHz blocks it sends are transcribed here, as
    they come."""
    from ..codec import transcript_to_dict
    from ..speech.pipeline import transcribe
    from .media_sessions import people_in_room
    from .voiceprints import voiceprint_for

    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.SESSION_IMPORT, session_id)
        consented(ctx, conn, row.client_id, target=session_id)
        blob_id = blobs.find(conn, session_id, BlobKind.AUDIO)
        if blob_id is None:
            raise Refused(ConsentError("this session has no audio to transcribe"), "transcribe", session_id)
        people = people_in_room(ctx, conn, row)
        ctx.vault.audit(conn, actor=ctx.who, action="media.read", target=blob_id,
                        detail={"session": session_id, "purpose": "transcribe"})
    voice = voiceprint_for(ctx, purpose="transcribe") if allowed(ctx, Action.VOICE_READ) else None
    with offline(allow=network_hosts(ctx.vault)):  # the sealed pieces are read from the database as decoded
        transcript = transcribe(streamed_recording(_sealed_pieces(ctx, blob_id)), speech_options(ctx.vault.settings, voice, people), progress=progress)
    return _json({"transcript": transcript_to_dict(transcript), "meta": {}})


def analyze_stage(vault: Vault, prev: bytes) -> bytes:
    """``{"transcript", "meta"}`` → ``{"transcript" (with roles), "document", "meta"}``."""
    from ..codec import transcript_from_dict, transcript_to_dict
    from ..reports.document import analysis_document
    from .analysis import analyze_transcript

    doc = json.loads(prev)
    with offline(allow=network_hosts(vault)):
        analysis = analyze_transcript(transcript_from_dict(doc["transcript"]), vault.settings,
                                      therapist=tuple(doc["meta"].get("therapist", ())))
        return _json({"transcript": transcript_to_dict(analysis.transcript), "document": analysis_document(analysis),
                      "meta": doc["meta"]})


# --- the one store transaction -------------------------------------------------------------------

def put_record(ctx: Ctx, conn: Connection, row: Any, kind: BlobKind, data: bytes) -> blobs.BlobInfo:
    m = row if isinstance(row, dict) else row._mapping
    return blobs.put(ctx.vault, conn, client_id=m["client_id"], session_id=m["id"], kind=kind, data=data,
                     key_id=m["key_id"], key_version=m["key_version"])


def store_results(ctx: Ctx, conn: Connection, analysed: bytes, *, client_id: str | None = None,
                  packed_input: bytes | None = None, session_id: str | None = None,
                  job_id: str | None = None) -> SessionStored:
    """Write an analysed session inside the caller's transaction: a new session for a transcript file
    (``client_id`` and ``packed_input``), or the transcript and analysis of an audio session (``session_id``)."""
    from .retention import after_transcription  # retention deletes through services.sessions

    doc: AnalysedSession = json.loads(analysed)  # written by analyze_stage, in this process or a worker
    t_bytes, a_bytes = _json(doc["transcript"]), _json(doc["document"])
    n = len(doc["transcript"]["utterances"])
    job = {"job": job_id} if job_id else {}
    result: SessionStored
    if session_id is None:
        assert client_id is not None and packed_input is not None
        result = _store_import(ctx, conn, client_id, packed_input, doc, (t_bytes, a_bytes), job)
    else:
        row = session_row(ctx, conn, Action.SESSION_IMPORT, session_id)
        consented(ctx, conn, row.client_id)  # it may have been revoked while the session was processed
        for kind, payload in ((BlobKind.TRANSCRIPT, t_bytes), (BlobKind.ANALYSIS, a_bytes)):
            put_record(ctx, conn, row, kind, payload)
        meta = cast(SessionMeta, records.open_row(ctx.vault, conn, "sessions", row))
        meta.update({"status": "ready", "status_note": "", "utterances": n})
        conn.execute(update(sessions).where(sessions.c.id == session_id).values(
            sealed=records.seal_row(ctx.vault, conn, "sessions", row._mapping, meta)))
        ctx.vault.audit(conn, actor=ctx.who, action="session.transcribe", target=session_id,
                        detail={"utterances": n, **job})
        result = SessionTranscribed(id=session_id, utterances=n, status="ready")
    # Retention (default): a recording goes in the transaction that stores its transcript.
    after_transcription(ctx, conn, result["id"])
    return result


def _store_import(ctx: Ctx, conn: Connection, client_id: str, packed_input: bytes, doc: AnalysedSession,
                  sealed: tuple[bytes, bytes], job: dict[str, str]) -> SessionImported:
    client = client_row(ctx, conn, Action.SESSION_IMPORT, client_id)
    consented(ctx, conn, client_id)  # it may have been revoked while the file was analysed
    meta_in, original = unpack_input(packed_input)
    row = {"id": new_id("session"), "client_id": client_id, "key_id": client.key_id,
           "key_version": client.key_version, "created_at": now_iso()}
    meta: SessionMeta = {"source_name": PurePath(meta_in["source"]).name, "source_format": doc["transcript"]["source_format"],
            "therapist": list(meta_in.get("therapist", ())), "utterances": len(doc["transcript"]["utterances"]),
            "imported_by": ctx.actor.id}
    conn.execute(insert(sessions).values(**row, sealed=records.seal_row(ctx.vault, conn, "sessions", row, meta)))
    stored = [put_record(ctx, conn, row, kind, payload) for kind, payload in (
        (BlobKind.ORIGINAL, original), (BlobKind.TRANSCRIPT, sealed[0]), (BlobKind.ANALYSIS, sealed[1]))]
    ctx.vault.audit(conn, actor=ctx.who, action="session.import", target=row["id"],
                    detail={"client": client_id, "blobs": [b.id for b in stored], **job})
    return {"id": row["id"], "client": client_id, "blobs": {b.kind.value: b.id for b in stored},
            "utterances": meta["utterances"], "source_format": meta["source_format"]}


# --- the stages run in this thread (no job row) --------------------------------------------------

def transcript_input(client_id: str, data: bytes, *, source: str, fmt: str | None,
                     therapist: Sequence[str]) -> bytes:
    if not data:
        raise InputError("the file is empty", source=source)
    return pack_input({"source": source, "fmt": fmt, "therapist": list(therapist)}, data)


def process_transcript(ctx: Ctx, client_id: str, data: bytes, *, source: str, fmt: str | None = None,
                       therapist: Sequence[str] = ()) -> SessionImported:
    """Parse, analyse and store a transcript file now; permission and consent are checked before and after."""
    from ..analysis.coding.artifact import using
    from .code_corrections import local_model

    packed = transcript_input(client_id, data, source=source, fmt=fmt, therapist=therapist)
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.SESSION_IMPORT, client_id)
        consented(ctx, conn, client_id)
        heads = local_model(ctx, conn)  # the clinician's re-trained coding heads (`code retrain`), if kept
    with using(heads):
        analysed = analyze_stage(ctx.vault, parse_stage(ctx.vault, packed))
    with unit_of_work(ctx) as conn:
        # a new session from a file: store_results returns what _store_import does
        return cast(SessionImported, store_results(ctx, conn, analysed, client_id=client_id, packed_input=packed))


def process_audio(ctx: Ctx, session_id: str, progress: Progress | None = None) -> SessionTranscribed:
    """Transcribe, analyse and store a session's audio now."""
    with unit_of_work(ctx) as conn:  # refuse early, before the audio is decoded
        session_row(ctx, conn, Action.SESSION_IMPORT, session_id)
    analysed = analyze_stage(ctx.vault, transcribe_stage(ctx, session_id, progress))
    with unit_of_work(ctx) as conn:
        # an existing audio session: store_results returns the transcribed receipt
        return cast(SessionTranscribed, store_results(ctx, conn, analysed, session_id=session_id))
