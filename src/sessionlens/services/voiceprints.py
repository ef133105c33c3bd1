"""Use cases: the clinician's enrolled voice, which labels them "Therapist" in every session they process.

A voiceprint (256 numbers from the voice encoder, speech/voice_roles.py) is biometric data and is kept like
PHI: one row per account in ``voiceprints``, sealed with AES-256-GCM under a data key of its own. That key
sits in ``client_keys`` (client id ``voice:<account id>``) and is wrapped exactly like the clinician's client
keys — by their own account KEK on a practice server (so it follows password changes and break-glass
recovery), by the vault KEK on a laptop. The table, account id, key and creation time are bound into the
associated data. Re-enrolling makes a new key; forgetting destroys the key with the row (crypto-shredding).
It is never written in plaintext, never put in the audit trail (which records only that it was enrolled,
read or forgotten), never logged, and left out of backups so that ``forget_voice`` is not undone by a restore.
Only the account itself may enroll, read or forget its voiceprint; asking for another account's is "not
found" and audited, exactly like a record that does not exist.
"""

from __future__ import annotations

import base64
from pathlib import PurePath
from typing import Any, TypedDict, cast

import numpy as np
from sqlalchemy import Connection, delete, insert, select, text

from ..errors import InputError, IntegrityError, NotFoundError
from ..offline import offline
from ..payloads.services_voice import VoiceEnrolled, VoiceForgotten, VoiceprintRecord, VoiceStatus
from ..vault import records, store
from ..vault.ids import now_iso
from ..vault.models import voiceprints
from .context import Ctx
from .permissions import Action, Refused, require, unit_of_work

MAX_ENROLL_BYTES = 100 * 1024 * 1024
MAX_ENROLL_SECONDS = 600.0  # enrollment needs 10-60 s of the clinician alone; a whole session is the wrong file
DIM = 256


class VoiceprintRow(TypedDict):
    """The cleartext columns of a ``voiceprints`` row (bound into the sealed payload's associated data)."""

    account_id: str
    key_id: str
    key_version: int
    created_at: str


def key_holder(account_id: str) -> str:
    """The ``client_keys.client_id`` under which an account's voiceprint key is kept."""
    return f"voice:{account_id}"


def _aad(account_id: str, created_at: str) -> dict[str, str]:
    return {"table": "voiceprints", "account_id": account_id, "created_at": created_at}


def _seal(ctx: Ctx, conn: Connection, row: VoiceprintRow, payload: VoiceprintRecord) -> bytes:
    key = ctx.vault.client_key(conn, row["key_id"], row["key_version"])
    return records.seal_json(key, payload, key_id=row["key_id"], key_version=row["key_version"],
                             record_id=f"voiceprint:{row['account_id']}", aad=_aad(row["account_id"], row["created_at"]))


def _open(ctx: Ctx, conn: Connection, row: Any) -> VoiceprintRecord:
    try:
        key = ctx.vault.client_key(conn, row.key_id, row.key_version)
    except NotFoundError:  # the key is gone (or was swapped): the record cannot be trusted or opened
        raise IntegrityError(f"record voiceprint:{row.account_id} has no key; enroll again") from None
    opened = records.open_json(key, row.sealed, key_id=row.key_id, key_version=row.key_version,
                               record_id=f"voiceprint:{row.account_id}", aad=_aad(row.account_id, row.created_at))
    return cast(VoiceprintRecord, opened)  # authenticated: enroll_voice sealed exactly this shape


def _vector(payload: VoiceprintRecord) -> np.ndarray:
    vec = np.frombuffer(base64.b64decode(payload["vector"]), dtype="<f4")
    if vec.shape != (DIM,) or not np.all(np.isfinite(vec)):
        raise InputError("the stored voiceprint has an unexpected shape; enroll again")
    return vec.astype(np.float32)


def _relabelled(exc: InputError, name: str) -> InputError:
    """The decoder names in-memory audio "audio"; name the clinician's file instead."""
    message = str(exc)
    if exc.source is not None and message.startswith(f"{exc.source}: "):
        message = message[len(exc.source) + 2:]
    return InputError(message, source=name)


def _voiceprint_of(audio: bytes, name: str, ctx: Ctx) -> tuple[np.ndarray, float | None]:
    from ..ingest.audio import probe
    from ..speech.voice_roles import enrollment_voiceprint  # heavy (models) only when enrolling
    from .pipeline import decoded_wav

    if not audio:
        raise InputError("the file is empty (0 bytes)", source=name)
    if len(audio) > MAX_ENROLL_BYTES:
        raise InputError(f"is larger than {MAX_ENROLL_BYTES // 2**20} MB; enroll with a short recording "
                         "(10-60 s of your voice alone)", source=name)
    try:
        audio = decoded_wav(audio)  # the untrusted container decoded in the keyless sandbox; plain WAV from here
        with offline(allow=store.network_hosts(ctx.vault.engine)):
            info = probe(audio)
            if info.duration is not None and info.duration > MAX_ENROLL_SECONDS:
                raise InputError(f"is {info.duration / 60:.0f} minutes long; enroll with a short recording "
                                 "(10-60 s of your voice alone)")
            return enrollment_voiceprint(audio), info.duration
    except InputError as exc:
        raise _relabelled(exc, name) from None


def enroll_voice(ctx: Ctx, audio: bytes, source: str) -> VoiceEnrolled:
    """Compute the actor's voiceprint from a recording of their voice alone and store it sealed (replacing
    an earlier one). Raises InputError for audio that is not usable (not audio, too short, several voices)."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VOICE_ENROLL, ctx.actor.id)  # refused before the recording is even decoded
    name = PurePath(source).name or "recording"
    vector, duration = _voiceprint_of(audio, name, ctx)
    payload: VoiceprintRecord = {"format": 1, "vector": base64.b64encode(vector.astype("<f4").tobytes()).decode(), "dim": DIM,
               "encoder": "resemblyzer", "source": name,
               "seconds": None if duration is None else round(duration, 1)}
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VOICE_ENROLL, ctx.actor.id)
        existing = conn.execute(delete(voiceprints).where(voiceprints.c.account_id == ctx.actor.id)).rowcount
        ctx.vault.destroy_client_keys(conn, key_holder(ctx.actor.id))  # a fresh key for every enrollment
        key_id, version = ctx.vault.new_client_key(conn, key_holder(ctx.actor.id), owner=ctx.actor.id)
        created = now_iso()
        row: VoiceprintRow = {"account_id": ctx.actor.id, "key_id": key_id, "key_version": version, "created_at": created}
        conn.execute(insert(voiceprints).values(**row, sealed=_seal(ctx, conn, row, payload)))
        ctx.vault.audit(conn, actor=ctx.who, action="voice.enroll", target=ctx.actor.id,
                        detail={"replaced": bool(existing)})
    return {"account": ctx.who, "enrolled": True, "enrolled_at": created, "replaced": bool(existing),
            "source": name, "seconds": payload["seconds"]}


def voiceprint_for(ctx: Ctx, username: str | None = None, *, purpose: str = "transcribe") -> np.ndarray | None:
    """The actor's enrolled voiceprint (unit vector), or None. Only one's own: asking for another account's
    is NotFoundError, audited like any refusal. Every read is audited (with whether one was found)."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VOICE_READ, ctx.actor.id)
        if username is not None and username != ctx.who:
            raise Refused(NotFoundError("no enrolled voice for that account"), Action.VOICE_READ.value, username)
        row = conn.execute(select(voiceprints).where(voiceprints.c.account_id == ctx.actor.id)).first()
        vector = _vector(_open(ctx, conn, row)) if row is not None else None
        ctx.vault.audit(conn, actor=ctx.who, action="voice.read", target=ctx.actor.id,
                        detail={"found": vector is not None, "purpose": purpose[:32]})
    return vector


def voice_status(ctx: Ctx) -> VoiceStatus:
    """Whether the actor has an enrolled voice, since when and from which file (the vector itself stays in)."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VOICE_READ, ctx.actor.id)
        row = conn.execute(select(voiceprints).where(voiceprints.c.account_id == ctx.actor.id)).first()
        payload = _open(ctx, conn, row) if row is not None else None  # authenticates the row too
        ctx.vault.audit(conn, actor=ctx.who, action="voice.status", target=ctx.actor.id,
                        detail={"enrolled": payload is not None})
    if payload is None or row is None:
        return {"account": ctx.who, "enrolled": False}
    return {"account": ctx.who, "enrolled": True, "enrolled_at": row.created_at, "source": payload.get("source"),
            "seconds": payload.get("seconds"), "encoder": payload.get("encoder")}


def forget_voice(ctx: Ctx) -> VoiceForgotten:
    """Delete the actor's voiceprint; sessions are then labelled by the linguistic role guess again."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VOICE_FORGET, ctx.actor.id)
        deleted = conn.execute(delete(voiceprints).where(voiceprints.c.account_id == ctx.actor.id)).rowcount
        ctx.vault.destroy_client_keys(conn, key_holder(ctx.actor.id))  # crypto-shred any copy of the ciphertext
        ctx.vault.audit(conn, actor=ctx.who, action="voice.forget", target=ctx.actor.id,
                        detail={"deleted": int(deleted)})
    if deleted:
        _compact(ctx)
    return {"account": ctx.who, "forgotten": bool(deleted)}


def _compact(ctx: Ctx) -> None:
    """Push the deleted rows out of the files: WAL checkpoint (SQLite, secure_delete zeroes the page) or VACUUM."""
    engine = ctx.vault.engine
    store.compact(engine)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("voiceprints", "client_keys"):
                conn.execute(text(f"VACUUM {table}"))


__all__ = ["enroll_voice", "forget_voice", "voice_status", "voiceprint_for"]
