"""Use cases: self-reflection — impressions held against data, the private journal, relationship
markers, PHQ-9 / GAD-7, trends, and the clinician's own check-ins.

Records live in the ``reflections`` table, one sealed JSON payload per row: under the client's key
(so shredding a client shreds them too), or for the clinician's own check-ins under that account's own
DEK (``own_key``: wrapped by the account's KEK on a practice server, so the admin cannot read them).
Only the account that wrote a record reads it; supervisors see markers of sessions shared with them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, and_, delete, insert, or_, select, update

from ..errors import NotFoundError
from ..payloads.document import AnalysisDocument
from ..payloads.reflection_checkins import CheckIn, JournalEntry, WellbeingHistoryRow
from ..payloads.reflection_impressions import ImpressionTally
from ..payloads.reflection_trends import ClinicianTrends, MeasureScore, SessionPoint
from ..payloads.services_reflection import (CheckInRecorded, ClientTrendsShown, ImpressionsCompared, ImpressionsRecorded,
                                            ImpressionsStatus, ImpressionStored, JournalEntryShown, JournalWritten,
                                            MeasureRecorded, MeasureShown, ReflectionRow, SessionMarkers,
                                            StandingOverview, StandingRecorded, WellbeingRecorded)
from ..reflection import impressions as imp
from ..reflection import journal, markers, measures, standing, trends, wellbeing
from ..vault import blobs, records
from ..vault.roles import Role
from ..vault.blobs import BlobKind
from ..vault.ids import new_id, now_iso
from ..vault.models import audit_log, client_keys, clients, reflections, sessions
from ..vault.vault import Vault
from .consent import consented
from .context import Ctx
from .permissions import Action, Refused, client_row, require, session_row, unit_of_work

SEEN_DATA = ("analysis.read", "transcript.read", "export", "markers.read", "impressions.compare")

# --- sealed records (helpers running inside the caller's transaction) ------------------------------


def record_id(prefix: str = "r") -> str:
    return f"{prefix}-{new_id('blob')[2:]}"


def _aad(row: Mapping[str, Any]) -> dict[str, str | None]:
    return {"table": "reflections", **{k: row[k] for k in ("owner_id", "kind", "client_id", "session_id",
                                                           "recipient_id", "created_at")}}


def _key(vault: Vault, conn: Connection, row: Mapping[str, Any]) -> tuple[bytes, str, int]:
    if row["key_id"] is None:  # written before issue 17: derived from the vault KEK (the owner/admin could read it)
        return records.derived_key(vault.kek, f"sessionlens-reflection-v1:{row['owner_id']}"), "self", 0
    return vault.client_key(conn, row["key_id"], row["key_version"]), row["key_id"], row["key_version"]


def own_key(vault: Vault, conn: Connection, account_id: str) -> tuple[str, int]:
    """The account's own DEK for records about no client (check-ins): ``client_keys`` row ``self:<account>``,
    wrapped by that account's own KEK on a practice server — the admin's vault KEK does not open it, and it
    rotates with the account's KEK. On a laptop the owner's vault KEK wraps it, as it wraps everything."""
    holder = f"self:{account_id}"
    row = conn.execute(select(client_keys.c.key_id, client_keys.c.version)
                       .where(client_keys.c.client_id == holder)).first()
    if row is not None:
        return row.key_id, row.version
    return vault.new_client_key(conn, holder, owner=account_id)


def seal(vault: Vault, conn: Connection, row: Mapping[str, Any], payload: Mapping[str, Any]) -> bytes:
    key, key_id, version = _key(vault, conn, row)
    return records.seal_json(key, payload, key_id=key_id, key_version=version, record_id=row["id"], aad=_aad(row))


def unseal(vault: Vault, conn: Connection, row: Any) -> Any:
    """A record's sealed payload, raw JSON: its shape depends on the row's kind (the callers name it)."""
    m = row._mapping
    key, key_id, version = _key(vault, conn, m)
    return records.open_json(key, m["sealed"], key_id=key_id, key_version=version, record_id=m["id"], aad=_aad(m))


def put(vault: Vault, conn: Connection, *, owner_id: str, kind: str, payload: Mapping[str, Any],
        keyed_by: Any = None, session_id: str | None = None, recipient_id: str | None = None,
        rid: str | None = None) -> ReflectionRow:
    """Insert a sealed record; ``keyed_by`` is the client or session row whose key seals it (None: self)."""
    key_id, key_version = own_key(vault, conn, owner_id) if keyed_by is None else (keyed_by.key_id,
                                                                                    keyed_by.key_version)
    row: ReflectionRow = {"id": rid or record_id(), "owner_id": owner_id, "kind": kind,
           "client_id": None if keyed_by is None else getattr(keyed_by, "client_id", None) or keyed_by.id,
           "session_id": session_id, "recipient_id": recipient_id,
           "key_id": key_id, "key_version": key_version, "created_at": now_iso()}
    conn.execute(insert(reflections).values(**row, sealed=seal(vault, conn, row, payload)))
    return row


def replace_payload(vault: Vault, conn: Connection, row: Any, payload: Mapping[str, Any]) -> None:
    conn.execute(update(reflections).where(reflections.c.id == row.id)
                 .values(sealed=seal(vault, conn, row._mapping, payload)))


def purge_orphans(conn: Connection) -> int:
    """Records whose session was deleted or whose client was shredded go too (their keys may be gone)."""
    gone = or_(and_(reflections.c.session_id.is_not(None), reflections.c.session_id.not_in(select(sessions.c.id))),
               and_(reflections.c.client_id.is_not(None), reflections.c.client_id.not_in(select(clients.c.id))))
    return conn.execute(delete(reflections).where(gone)).rowcount


def rows(conn: Connection, owner_id: str, kind: str, *, client_id: str | None = None,
         session_id: str | None = None) -> list[Any]:
    q = select(reflections).where(reflections.c.owner_id == owner_id, reflections.c.kind == kind)
    if client_id is not None:
        q = q.where(reflections.c.client_id == client_id)
    if session_id is not None:
        q = q.where(reflections.c.session_id == session_id)
    return list(conn.execute(q.order_by(reflections.c.created_at, reflections.c.id)))


def _analysis(ctx: Ctx, conn: Connection, session_id: str) -> AnalysisDocument:
    blob_id = blobs.find(conn, session_id, BlobKind.ANALYSIS)
    if blob_id is None:
        raise NotFoundError(f"session {session_id} has no analysis record")
    return cast(AnalysisDocument, json.loads(blobs.get(ctx.vault, conn, blob_id)))  # the stored analysis


def _seen_data(ctx: Ctx, conn: Connection, session_id: str) -> bool:
    q = select(audit_log.c.seq).where(audit_log.c.actor == ctx.who, audit_log.c.action.in_(SEEN_DATA),
                                      or_(audit_log.c.target == session_id,
                                          audit_log.c.detail.contains(f'"{session_id}"')))
    return conn.execute(q.limit(1)).first() is not None


# --- memory against data ------------------------------------------------------------------------


def record_impressions(ctx: Ctx, session_id: str, answers: Mapping[str, object]) -> ImpressionsRecorded:
    """Keep the clinician's recollection of a session; notes whether its data had been opened first."""
    payload = imp.validate(answers)
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.REFLECTION_WRITE, session_id)
        consented(ctx, conn, row.client_id, action=Action.REFLECTION_WRITE, target=session_id)
        purge_orphans(conn)
        blind = not _seen_data(ctx, conn, session_id)
        rec = put(ctx.vault, conn, owner_id=ctx.actor.id, kind="impression", keyed_by=row, session_id=session_id,
                  payload={"answers": payload, "blind": blind})
        ctx.vault.audit(conn, actor=ctx.who, action="impressions.record", target=session_id,
                        detail={"record": rec["id"], "blind": blind})
    return {"id": rec["id"], "session": session_id, "blind": blind, "items": sorted(payload)}


def _latest_impression(ctx: Ctx, conn: Connection, session_id: str) -> ImpressionStored:
    found = rows(conn, ctx.actor.id, "impression", session_id=session_id)
    if not found:
        raise NotFoundError(f"no impressions recorded for session {session_id}")
    stored: ImpressionStored = unseal(ctx.vault, conn, found[-1])
    return stored


def has_impressions(ctx: Ctx, session_id: str) -> ImpressionsStatus:
    """Whether impressions exist (and were recorded blind) — without opening any session data."""
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.REFLECTION_READ, session_id)
        found = rows(conn, ctx.actor.id, "impression", session_id=session_id)
        seen = _seen_data(ctx, conn, session_id)
    return {"session": session_id, "recorded": bool(found), "data_opened": seen}


def compare_impressions(ctx: Ctx, session_id: str) -> ImpressionsCompared:
    """The recorded impressions side by side with what the analysis recorded."""
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.REFLECTION_READ, session_id)
        stored = _latest_impression(ctx, conn, session_id)
        doc = _analysis(ctx, conn, session_id)
        ctx.vault.audit(conn, actor=ctx.who, action="impressions.compare", target=session_id)
    return {"session": session_id, "blind": stored["blind"], "note": stored["answers"].get("note", ""),
            "rows": imp.compare(stored["answers"], doc)}


def recollection_over_time(ctx: Ctx) -> ImpressionTally:
    """Across every session with impressions: where recollection was harder on the clinician than the data."""
    with unit_of_work(ctx) as conn:
        require(ctx, Action.REFLECTION_READ)
        purge_orphans(conn)
        comparisons = []
        for r in rows(conn, ctx.actor.id, "impression"):
            stored: ImpressionStored = unseal(ctx.vault, conn, r)
            comparisons.append(imp.compare(stored["answers"], _analysis(ctx, conn, r.session_id)))
        ctx.vault.audit(conn, actor=ctx.who, action="impressions.compare", target="-",
                        detail={"sessions": len(comparisons)})
    return imp.over_time(comparisons)


# --- the private journal ------------------------------------------------------------------------


def add_journal_entry(ctx: Ctx, session_id: str, text: str) -> JournalWritten:
    payload = journal.entry(text)
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.REFLECTION_WRITE, session_id)
        consented(ctx, conn, row.client_id, action=Action.REFLECTION_WRITE, target=session_id)
        rec = put(ctx.vault, conn, owner_id=ctx.actor.id, kind="journal", keyed_by=row, session_id=session_id,
                  payload=payload)
        ctx.vault.audit(conn, actor=ctx.who, action="journal.write", target=session_id, detail={"record": rec["id"]})
    return {"id": rec["id"], "session": session_id, "written_at": payload["written_at"]}


def _entries(ctx: Ctx, conn: Connection, session_id: str) -> list[JournalEntryShown]:
    out: list[JournalEntryShown] = []
    for r in rows(conn, ctx.actor.id, "journal", session_id=session_id):
        entry: JournalEntry = unseal(ctx.vault, conn, r)
        out.append({**entry, "id": r.id})
    return out


def read_journal(ctx: Ctx, session_id: str) -> list[JournalEntryShown]:
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.REFLECTION_READ, session_id)
        out = _entries(ctx, conn, session_id)
        ctx.vault.audit(conn, actor=ctx.who, action="journal.read", target=session_id, detail={"entries": len(out)})
    return out


def export_journal(ctx: Ctx, session_id: str) -> bytes:
    """The one way a journal leaves the vault: the clinician asks for it (audited as an export)."""
    with unit_of_work(ctx) as conn:
        session_row(ctx, conn, Action.EXPORT, session_id)
        require(ctx, Action.REFLECTION_READ, session_id)
        out = _entries(ctx, conn, session_id)
        if not out:
            raise NotFoundError(f"session {session_id} has no journal entries")
        ctx.vault.audit(conn, actor=ctx.who, action="export", target=session_id,
                        detail={"session": session_id, "what": "journal", "entries": len(out)})
    return journal.as_markdown(f"session {session_id}", out).encode("utf-8")


# --- markers and measures -----------------------------------------------------------------------


def _measures(ctx: Ctx, conn: Connection, client_id: str) -> list[MeasureShown]:
    out: list[MeasureShown] = []
    for r in rows(conn, ctx.actor.id, "measure", client_id=client_id):
        scored: MeasureScore = unseal(ctx.vault, conn, r)
        out.append({**scored, "id": r.id, "session": r.session_id})
    return out


def session_markers(ctx: Ctx, session_id: str) -> SessionMarkers:
    """Relationship-centred markers; for the clinician, beside the client's recorded symptom measures."""
    with unit_of_work(ctx) as conn:
        row = session_row(ctx, conn, Action.MARKERS_READ, session_id)
        doc = _analysis(ctx, conn, session_id)
        ms = _measures(ctx, conn, row.client_id) if ctx.role is Role.CLINICIAN else []
        ctx.vault.audit(conn, actor=ctx.who, action="markers.read", target=session_id)
    return {"session": session_id, "client": row.client_id, "markers": markers.session_markers(doc),
            "measures": trends.measure_series(ms)}


def record_measure(ctx: Ctx, client_id: str, instrument: str, answers: Sequence[int],
                   taken_on: date | None = None, session_id: str | None = None) -> MeasureRecorded:
    scored = measures.score(instrument, answers, taken_on)
    with unit_of_work(ctx) as conn:
        client = client_row(ctx, conn, Action.REFLECTION_WRITE, client_id)
        if session_id is not None and session_row(ctx, conn, Action.REFLECTION_WRITE, session_id).client_id != client_id:
            raise Refused(NotFoundError(f"record {session_id} not found"), Action.REFLECTION_WRITE.value, session_id)
        rec = put(ctx.vault, conn, owner_id=ctx.actor.id, kind="measure", keyed_by=client, session_id=session_id,
                  payload=scored)
        ctx.vault.audit(conn, actor=ctx.who, action="measure.record", target=client_id,
                        detail={"record": rec["id"], "instrument": scored["instrument"]})
    return {"id": rec["id"], "client": client_id, **scored}


def list_measures(ctx: Ctx, client_id: str) -> list[MeasureShown]:
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.REFLECTION_READ, client_id)
        out = _measures(ctx, conn, client_id)
        ctx.vault.audit(conn, actor=ctx.who, action="measure.read", target=client_id, detail={"count": len(out)})
    return sorted(out, key=lambda m: (m["taken_on"], m["id"]))


# --- trends -------------------------------------------------------------------------------------


def _docs(ctx: Ctx, conn: Connection, session_rows: Sequence[Any]) -> list[tuple[Any, AnalysisDocument]]:
    return [(s, _analysis(ctx, conn, s.id)) for s in session_rows if blobs.find(conn, s.id, BlobKind.ANALYSIS)]


def _points(ctx: Ctx, conn: Connection, session_rows: Sequence[Any]) -> list[SessionPoint]:
    return [trends.session_point(s.id, s.client_id, s.created_at, doc) for s, doc in _docs(ctx, conn, session_rows)]


def client_trends(ctx: Ctx, client_id: str) -> ClientTrendsShown:
    with unit_of_work(ctx) as conn:
        client_row(ctx, conn, Action.REFLECTION_READ, client_id)
        srows = conn.execute(select(sessions).where(sessions.c.client_id == client_id)
                             .order_by(sessions.c.created_at, sessions.c.id)).all()
        docs, ms = _docs(ctx, conn, srows), _measures(ctx, conn, client_id)
        points = [trends.session_point(s.id, s.client_id, s.created_at, doc) for s, doc in docs]
        ctx.vault.audit(conn, actor=ctx.who, action="trends.read", target=client_id, detail={"sessions": len(points)})
    return {"client": client_id, **trends.client_trends(points, ms, [(s.id, doc) for s, doc in docs])}


def clinician_trends(ctx: Ctx) -> ClinicianTrends:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.REFLECTION_READ)
        mine = select(clients.c.id).where(clients.c.owner_id == ctx.actor.id)
        srows = conn.execute(select(sessions).where(sessions.c.client_id.in_(mine))
                             .order_by(sessions.c.created_at, sessions.c.id)).all()
        points = _points(ctx, conn, srows)
        by_client = {c: _measures(ctx, conn, c) for c in {p["client"] for p in points}}
        ctx.vault.audit(conn, actor=ctx.who, action="trends.read", target="-", detail={"sessions": len(points)})
    return trends.clinician_trends(points, by_client)


# --- the clinician's own check-ins --------------------------------------------------------------


def _checkin(ctx: Ctx, kind: str, entry: CheckIn) -> CheckInRecorded:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.REFLECTION_WRITE)
        rec = put(ctx.vault, conn, owner_id=ctx.actor.id, kind=kind, payload=entry)
        ctx.vault.audit(conn, actor=ctx.who, action=f"{kind}.record", target=rec["id"])
    return {"id": rec["id"], **entry}


def _checkins(ctx: Ctx, kind: str) -> list[CheckIn]:
    with unit_of_work(ctx) as conn:
        require(ctx, Action.REFLECTION_READ)
        out: list[CheckIn] = [unseal(ctx.vault, conn, r) for r in rows(conn, ctx.actor.id, kind)]
        ctx.vault.audit(conn, actor=ctx.who, action=f"{kind}.read", target="-", detail={"count": len(out)})
    return out


def record_wellbeing(ctx: Ctx, answers: Mapping[str, object]) -> WellbeingRecorded:
    with unit_of_work(ctx):
        require(ctx, Action.REFLECTION_WRITE)  # before validating: a refusal says nothing about the answers
    entry = _checkin(ctx, "wellbeing", wellbeing.record(answers))
    return {**entry, "summary": wellbeing.summary(entry)}


def wellbeing_history(ctx: Ctx) -> list[WellbeingHistoryRow]:
    with unit_of_work(ctx):
        require(ctx, Action.REFLECTION_READ)
    return wellbeing.history(_checkins(ctx, "wellbeing"))


def record_standing(ctx: Ctx, answers: Mapping[str, object]) -> StandingRecorded:
    with unit_of_work(ctx):
        require(ctx, Action.REFLECTION_WRITE)
    entry = _checkin(ctx, "standing", standing.record(answers))
    return {**entry, "dimensions": standing.describe(entry)}


def standing_history(ctx: Ctx) -> StandingOverview:
    """Where the clinician placed themselves over time, beside what their session data shows."""
    with unit_of_work(ctx):
        require(ctx, Action.REFLECTION_READ)
    history = standing.history(_checkins(ctx, "standing"))
    beside = recollection_over_time(ctx)
    load = clinician_trends(ctx)
    return {"history": history, "recollection": beside["sentences"], "heavy_sessions": len(load["heavy_sessions"]),
            "prompts": load["prompts"]}
