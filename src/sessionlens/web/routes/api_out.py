"""Response shapes of the JSON API (clients, consent, retention, notes, media, codes, jobs, meta).

Each model names the fields the service always returns, so /openapi.json describes every response.
``extra="allow"`` keeps any conditional field a service adds (a signed note's ``signed_by``, a
consent's ``receipt``): a response model must document the contract, never silently trim it.
Nested values that are the clinician's own free-form data (client details, note meta) stay ``JsonValue``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, JsonValue


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class HealthOut(Out):
    status: str
    version: str


class ReadyOut(Out):
    status: str
    checks: dict[str, bool]


class ClientSummary(Out):
    id: str
    name: str
    created_at: str
    consent: list[str]


class ConsentEntry(Out):
    id: str
    scopes: list[str]
    given_on: str
    revoked_on: str | None = None


class ConsentRecorded(Out):
    id: str
    client: str
    scopes: list[str]
    given_on: str


class ClientAdded(Out):
    id: str
    created_at: str
    consent: ConsentRecorded | None = None  # only when consent was recorded with the client


class ClientOut(Out):
    id: str
    name: str
    details: dict[str, JsonValue]
    created_at: str
    consent: ConsentEntry | None
    sessions: list[str]


class ConsentStatus(Out):
    client: str
    current: ConsentEntry | None
    history: list[ConsentEntry]
    may_process: bool


class RetentionOut(Out):
    client: str
    audio: str
    chosen: bool


class RetentionSet(Out):
    client: str
    audio: str
    deleted: list[JsonValue]


class NoteOut(Out):
    format: str
    status: str
    writer: str
    sections: list[JsonValue]
    messages: list[str]
    draft: list[JsonValue]
    signature: dict[str, str] | None
    addenda: list[JsonValue]
    revision: dict[str, JsonValue]
    meta: dict[str, JsonValue]


class DraftOut(Out):
    session: str
    version: str
    note: NoteOut


class MediaSessionOut(Out):
    id: str
    client: str
    status: str
    audio: str | None


class ChunkOut(Out):
    session: str
    seq: int
    bytes: int


class AudioAttached(Out):
    id: str
    session: str


class CodeCorrected(Out):
    session: str
    utterance: str
    codes: dict[str, JsonValue]
    corrections: int
    not_applicable: int
    interventions: JsonValue
    client_talk: JsonValue


class CodeCorrections(Out):
    session: str
    corrections: list[dict[str, JsonValue]]
    effective: int
    not_applicable: int
    agreement: dict[str, JsonValue]


class CodeAgreement(Out):
    sessions: list[dict[str, JsonValue]]
    overall: dict[str, JsonValue]
    note: str


class Deidentified(Out):
    format: str
    replaced: dict[str, int]  # replacements per kind (names, places, dates ...)
    notice: str
    text: str


class StrengthOut(Out):
    """The setup form's passphrase verdict (asked while typing; the passphrase itself never comes back)."""

    acceptable: bool
    score: int
    label: str
    advice: str
    length: int
    minimum: int
