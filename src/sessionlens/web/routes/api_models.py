"""Request and response shapes of the JSON API (they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Scope = Literal["recording", "analysis", "supervision"]
RoleName = Literal["therapist", "client", "other"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClientIn(Strict):
    name: str = Field(min_length=1, max_length=200)
    consent: list[Scope] = Field(default_factory=list, max_length=3)


class ConsentIn(Strict):
    scopes: list[Scope] = Field(min_length=1, max_length=3)


class SpeakerFix(Strict):
    name: str | None = Field(default=None, max_length=80)
    role: RoleName | None = None


class SpeakersIn(Strict):
    speakers: dict[str, SpeakerFix] = Field(default_factory=dict, max_length=50)
    utterances: dict[str, str] = Field(default_factory=dict, max_length=5000)


class SentenceIn(Strict):
    text: str = Field(max_length=4000)


class SectionIn(Strict):
    key: str = Field(min_length=1, max_length=40)
    sentences: list[SentenceIn] = Field(max_length=400)


class NoteIn(Strict):
    sections: list[SectionIn] = Field(max_length=20)


class DraftIn(Strict):
    format: Literal["soap", "dap", "birp", "girp"] = "soap"
    detail: Literal["concise", "full"] | None = Field(
        default=None, description="concise: clinical length by salience; full: everything found. "
                                  "Omitted: the note_detail setting.")


class SignedNoteOut(BaseModel):
    """A note just signed: when, and the hash of exactly what was signed."""

    session: str
    status: str
    signed_at: str
    sha256: str = Field(pattern="^[0-9a-f]{64}$")



