"""Response shapes of the sessions API (issue 19 / 16): the fields always returned are named;
``extra="allow"`` keeps the sealed session metadata (source format, utterance count, status...) and the
optional headline ``metrics`` as the service returns them, so a model documents the contract, never trims it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


class SessionSummaryOut(Out):
    id: str
    client: str
    created_at: str


class RecordOut(Out):
    id: str
    kind: str
    bytes: int


class SessionShownOut(SessionSummaryOut):
    records: list[RecordOut]


class SpeakerOut(Out):
    id: str
    name: str
    role: str


class SpeakersCorrectedOut(Out):
    session: str
    speakers: list[SpeakerOut]
    corrections: int
