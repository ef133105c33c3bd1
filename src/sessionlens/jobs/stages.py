"""The pipeline as resumable stages: each stage's output is a sealed checkpoint, the last one stores the result.

``transcript`` jobs: input (sealed at submit) → parse → analyze → store.
``audio`` jobs (the audio is already a sealed blob of the session): transcribe → analyze → store.

A stage whose checkpoint exists is not run again (a job resumed on another worker picks up where the
last checkpoint left it). ``store`` is one transaction — session row, sealed records, audit entry,
retention, job ``done`` and checkpoint deletion — fenced by the worker's lease, so a worker killed at
any moment leaves either nothing or everything. Jobs run as the clinician who approved them: the same
permission and consent checks as a request, the same audit trail.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from sqlalchemy import insert, select, update

from ..codec import transcript_from_dict, transcript_to_dict
from ..errors import ConsentError, InputError, SessionlensError
from ..offline import offline
from ..reports.document import analysis_document
from ..services.analysis import analyze_transcript
from ..services.consent import require_processing_consent
from ..services.context import Ctx
from ..services.permissions import Action, Refused, session_row, unit_of_work
from ..services.transcription import audio_for_transcription
from ..vault import accounts, blobs, records, store
from ..vault.blobs import BlobKind
from ..vault.ids import new_id, now_iso
from ..vault.models import jobs as jobs_table
from ..vault.models import clients, sessions
from ..vault.vault import Vault
from . import records as R
from ..logs import event

STAGES = {"transcript": ("parse", "analyze", "store"), "audio": ("transcribe", "analyze", "store")}
LABELS = {"parse": "reading the transcript", "transcribe": "transcribing the audio",
          "analyze": "analysing the session", "store": "storing the results"}
PAUSE_ENV = "SESSIONLENS_TEST_PAUSE_AFTER_STAGE"  # fault injection for the kill tests: "stage:seconds"


class LeaseLost(Exception):
    """Another worker took the job over (this one was too slow or presumed dead): stop without writing."""


def pack_input(meta: dict[str, Any], data: bytes) -> bytes:
    head = json.dumps(meta).encode()
    return len(head).to_bytes(4, "big") + head + data


def unpack_input(blob: bytes) -> tuple[dict[str, Any], bytes]:
    n = int.from_bytes(blob[:4], "big")
    return json.loads(blob[4 : 4 + n]), blob[4 + n :]


class Heartbeat:
    """Renews the lease and publishes step/progress while a stage computes (its own connections)."""

    def __init__(self, vault: Vault, job_id: str, worker: str, lease: float) -> None:
        self.vault, self.job_id, self.worker, self.lease = vault, job_id, worker, lease
        self.step, self.progress, self.lost = "", 0.0, False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="sl-lease")

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def beat(self) -> None:
        with store.transaction(self.vault.engine) as conn:
            if not R.renew(conn, self.job_id, self.worker, self.lease, step=self.step[:64], progress=self.progress):
                self.lost = True

    def _run(self) -> None:
        while not self._stop.wait(min(self.lease / 3, 2.0)):
            try:
                self.beat()
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease covers three of them
                pass


def _fence(conn: Any, job_id: str, worker: str) -> None:
    row = conn.execute(select(jobs_table.c.worker, jobs_table.c.state).where(jobs_table.c.id == job_id)
                       .with_for_update()).first()
    if row is None or row.worker != worker or row.state != R.RUNNING:
        raise LeaseLost(job_id)


def _pause_after(stage: str) -> None:
    spec = os.environ.get(PAUSE_ENV, "")
    name, _, seconds = spec.partition(":")
    if name == stage:
        time.sleep(float(seconds or 30))


def execute(vault: Vault, job_id: str, worker: str, *, lease: float = 60.0) -> str:
    """Run (or resume) a claimed job to its end; returns the final state. Raises for the caller to retry."""
    with store.transaction(vault.engine) as conn:
        job = R.get(conn, job_id)
        if job is None or job.state not in (R.RUNNING,):
            return job.state if job else R.FAILED
        ctx = Ctx(vault, accounts.get_by_id(vault, conn, job.owner_id))
        done = R.stages_stored(conn, job_id)
    names = STAGES[job.kind]
    prev: bytes | None = None
    with Heartbeat(vault, job_id, worker, lease) as hb:
        for i, name in enumerate(names):
            hb.step, hb.progress = LABELS[name], i / len(names)
            if name == "store":
                _store(ctx, job, worker, prev, hb)
                event("job.done", job=job_id, worker=worker)
                return R.DONE
            if name in done:
                with store.transaction(vault.engine) as conn:
                    prev = R.load_stage(vault, conn, job_id, name)
                event("job.stage_skipped", job=job_id, stage=name, worker=worker)
                continue
            started = time.perf_counter()
            hb.beat()
            out = _compute(ctx, job, name, prev, hb)
            seconds = round(time.perf_counter() - started, 3)
            with store.transaction(vault.engine) as conn:
                _fence(conn, job_id, worker)
                client = conn.execute(select(clients.c.key_id, clients.c.key_version)
                                      .where(clients.c.id == job.client_id)).first()
                if client is None:
                    raise InputError("the client was deleted while the job ran")
                R.save_stage(vault, conn, job_id, name, client.key_id, client.key_version, out)
                R.add_history(conn, job_id, {"stage": name, "worker": worker, "seconds": seconds})
            event("job.stage_done", job=job_id, stage=name, worker=worker, seconds=seconds)
            prev = out
            _pause_after(name)
    return R.DONE


def _hosts(vault: Vault) -> tuple[str, ...]:
    return store.network_hosts(vault.engine) + tuple(h for h in os.environ.get("SESSIONLENS_ALLOW_HOSTS", "")
                                                     .split(",") if h)


def _compute(ctx: Ctx, job: R.JobRow, name: str, prev: bytes | None, hb: Heartbeat) -> bytes:
    settings = ctx.vault.settings
    if name == "parse":
        with store.transaction(ctx.vault.engine) as conn:
            blob = R.load_stage(ctx.vault, conn, job.id, "input")
        if blob is None:
            raise InputError("the job's input is missing")
        meta, data = unpack_input(blob)
        from ..ingest import parse_transcript

        with offline(allow=_hosts(ctx.vault)):
            transcript = parse_transcript(data, source=meta["source"], fmt=meta.get("fmt"),
                                          speech_rate_wpm=settings.speech_rate_wpm)
        return json.dumps({"transcript": transcript_to_dict(transcript), "meta": meta}).encode()
    if name == "transcribe":
        from ..speech.pipeline import SpeechOptions, transcribe

        data = audio_for_transcription(ctx, job.session_id or "")
        from ..services.permissions import allowed
        from ..services.voiceprints import voiceprint_for

        # The clinician's enrolled voice labels them, as in the in-process transcription (audited read).
        voice = voiceprint_for(ctx, purpose="transcribe") if allowed(ctx, Action.VOICE_READ) else None

        def report(done: float, total: float | None, stage: str) -> None:
            hb.step = stage[:64]
            if total:
                hb.progress = 0.6 * min(done / total, 1.0)

        with offline(allow=_hosts(ctx.vault)):
            transcript = transcribe(data, SpeechOptions(
                model=settings.speech_model, language=settings.speech_language or None,
                speakers=settings.speech_speakers or None, chunk_seconds=settings.speech_chunk_seconds,
                threads=settings.speech_threads or None, voiceprint=voice), progress=report)
        return json.dumps({"transcript": transcript_to_dict(transcript), "meta": {}}).encode()
    if name == "analyze":
        doc = json.loads(prev or b"{}")
        with offline(allow=_hosts(ctx.vault)):
            analysis = analyze_transcript(transcript_from_dict(doc["transcript"]), settings,
                                          therapist=tuple(doc["meta"].get("therapist", ())))
            out = {"transcript": transcript_to_dict(analysis.transcript), "document": analysis_document(analysis),
                   "meta": doc["meta"]}
        return json.dumps(out, ensure_ascii=False, separators=(",", ":")).encode()
    raise ValueError(f"unknown stage {name}")


def _put(ctx: Ctx, conn: Any, row: Any, kind: BlobKind, data: bytes) -> blobs.BlobInfo:
    m = row if isinstance(row, dict) else row._mapping
    return blobs.put(ctx.vault, conn, client_id=m["client_id"], session_id=m["id"], kind=kind, data=data,
                     key_id=m["key_id"], key_version=m["key_version"])


def _store(ctx: Ctx, job: R.JobRow, worker: str, prev: bytes | None, hb: Heartbeat) -> None:
    from ..services.permissions import client_row
    from ..services.retention import after_transcription

    doc = json.loads(prev or b"{}")
    t_bytes = json.dumps(doc["transcript"], ensure_ascii=False, separators=(",", ":")).encode()
    a_bytes = json.dumps(doc["document"], ensure_ascii=False, separators=(",", ":")).encode()
    n = len(doc["transcript"]["utterances"])
    with unit_of_work(ctx) as conn:
        _fence(conn, job.id, worker)
        try:
            require_processing_consent(ctx.vault, conn, job.client_id)  # it may have been revoked meanwhile
        except ConsentError as exc:
            raise Refused(exc, Action.SESSION_IMPORT.value, job.client_id) from None
        if job.kind == "transcript":
            client = client_row(ctx, conn, Action.SESSION_IMPORT, job.client_id)
            meta_in, original = unpack_input(R.load_stage(ctx.vault, conn, job.id, "input") or b"\0\0\0\2{}")
            row = {"id": new_id("session"), "client_id": job.client_id, "key_id": client.key_id,
                   "key_version": client.key_version, "created_at": now_iso()}
            meta = {"source_name": PurePath(meta_in["source"]).name, "source_format": doc["transcript"]["source_format"],
                    "therapist": list(meta_in.get("therapist", ())), "utterances": n, "imported_by": ctx.actor.id}
            conn.execute(insert(sessions).values(**row, sealed=records.seal_row(ctx.vault, conn, "sessions", row,
                                                                                 meta)))
            stored = [_put(ctx, conn, row, k, d) for k, d in ((BlobKind.ORIGINAL, original),
                                                               (BlobKind.TRANSCRIPT, t_bytes),
                                                               (BlobKind.ANALYSIS, a_bytes))]
            session_id = row["id"]
            ctx.vault.audit(conn, actor=ctx.who, action="session.import", target=session_id,
                            detail={"client": job.client_id, "blobs": [b.id for b in stored], "job": job.id})
        else:
            srow = session_row(ctx, conn, Action.SESSION_IMPORT, job.session_id or "")
            for k, d in ((BlobKind.TRANSCRIPT, t_bytes), (BlobKind.ANALYSIS, a_bytes)):
                _put(ctx, conn, srow, k, d)
            meta = records.open_row(ctx.vault, conn, "sessions", srow)
            meta.update(status="ready", status_note="", utterances=n)
            conn.execute(update(sessions).where(sessions.c.id == srow.id).values(
                sealed=records.seal_row(ctx.vault, conn, "sessions", srow._mapping, meta)))
            session_id = srow.id
            ctx.vault.audit(conn, actor=ctx.who, action="session.transcribe", target=session_id,
                            detail={"utterances": n, "job": job.id})
        after_transcription(ctx, conn, session_id)
        R.drop_stages(conn, job.id)
        R.add_history(conn, job.id, {"stage": "store", "worker": worker, "seconds": 0})
        conn.execute(update(jobs_table).where(jobs_table.c.id == job.id).values(session_id=session_id))
        R.set_state(conn, job.id, R.DONE, step=f"done: {n} utterances analysed", message="")


def fail_message(exc: BaseException) -> str:
    """A product error's own message (never PHI); anything else a generic line."""
    if isinstance(exc, SessionlensError):
        return str(exc)
    return "processing failed because of an internal error"


Progress = Callable[[float, str], None]
