"""What a filed note carries besides its prose: the header a records clerk or an EHR reviewer reads
first, and the signature block.

The header is plain data the caller fills in (the service knows the client, the session's time and
the clinician; a transcript file knows less). A field the caller could not fill is shown as "not
recorded" rather than guessed: a date of service on a clinical record must be true or absent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ...errors import InputError
from ..model import Note

NOT_RECORDED = "not recorded"


@dataclass(frozen=True, slots=True)
class Quote:
    """One evidence moment for the appendix: when, who, and a short quote of what was said."""

    uid: str
    clock: str
    role: str
    text: str


@dataclass(frozen=True, slots=True)
class EvidenceEntry:
    """One sentence of the note (opening words) and the moments it rests on."""

    section: str
    sentence: str
    quotes: tuple[Quote, ...]


@dataclass(frozen=True, slots=True)
class ExportHeader:
    client: str = NOT_RECORDED  # the name or the pseudonym, as the clinician chose
    date_of_service: str = NOT_RECORDED  # YYYY-MM-DD
    start_time: str = NOT_RECORDED  # HH:MM and the zone
    duration: str = NOT_RECORDED  # "50 min"
    clinician: str = NOT_RECORDED


@dataclass(frozen=True, slots=True)
class ExportOptions:
    header: ExportHeader = field(default_factory=ExportHeader)
    appendix: tuple[EvidenceEntry, ...] = ()  # empty: no evidence appendix


def format_name(note: Note) -> str:
    return note.format.upper()


def status(note: Note) -> str:
    if note.signature is None:
        return "DRAFT - not signed"
    extra = f", {len(note.addenda)} addend{'um' if len(note.addenda) == 1 else 'a'}" if note.addenda else ""
    return f"Signed{extra}"


def header_rows(note: Note, h: ExportHeader) -> list[tuple[str, str]]:
    """(label, value) pairs in the order every export shows them."""
    return [("Client", h.client), ("Date of service", h.date_of_service), ("Start time", h.start_time),
            ("Duration", h.duration), ("Clinician", h.clinician), ("Note format", format_name(note)),
            ("Status", status(note))]


def signature_lines(note: Note) -> list[str]:
    """The signature block: who signed, when, and the content hash that makes later changes visible."""
    s = note.signature
    if s is None:
        return ["DRAFT - not signed. This note has not been reviewed and signed by the clinician."]
    return [f"Electronically signed by {s.signer} on {readable_utc(s.signed_at)}.",
            f"Content SHA-256: {s.content_sha256}"]


def readable_utc(stamp: str) -> str:
    """'2026-11-27T20:00:00.000000Z' -> '2026-11-27 20:00 UTC' (unparseable stamps are shown as they are)."""
    try:
        ts = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return ts.strftime("%Y-%m-%d %H:%M UTC") if ts.utcoffset() is not None else ts.strftime("%Y-%m-%d %H:%M")


def session_times(started: datetime | None) -> tuple[str, str]:
    """Date of service and start time from an aware timestamp, in this computer's time zone."""
    if started is None:
        return NOT_RECORDED, NOT_RECORDED
    local = started.astimezone()
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M %Z").strip()


def duration_text(seconds: float | None) -> str:
    if not seconds or seconds <= 0:
        return NOT_RECORDED
    return f"{max(1, round(seconds / 60))} min"


def parse_date(text: str) -> str:
    """The clinician's --date, checked: YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise InputError("the date of service must be a date written YYYY-MM-DD") from None


def parse_start(text: str) -> str:
    """The clinician's --start, checked: HH:MM (24-hour)."""
    try:
        return datetime.strptime(text.strip(), "%H:%M").strftime("%H:%M")
    except ValueError:
        raise InputError("the start time must be HH:MM (24-hour)") from None
