"""What the client and consent use cases return (services.clients, services.consent): the CLI's JSON and the
web API's ``/api/clients`` responses. Fields may be added, never renamed or removed."""

from typing_extensions import NotRequired, TypedDict


class ConsentRecord(TypedDict):
    """A consent as sealed under the client's key (``consents.sealed``)."""

    scopes: list[str]
    given_on: str
    revoked_on: str | None
    recorded_by: str


class Consent(ConsentRecord):
    """A consent record with its row id."""

    id: str


class ConsentRecorded(TypedDict):
    id: str
    client: str
    scopes: list[str]
    given_on: str


class ShredReceipt(TypedDict):
    """Rows deleted by a shred (vault.shred.delete_client), per table, and the keys destroyed."""

    shares: int
    blobs: int
    reflections: int
    jobs: int
    sessions: int
    consents: int
    keys: int


class ClientShredded(ShredReceipt):
    id: str
    shredded: bool


class ConsentRevoked(TypedDict):
    client: str
    revoked: list[str]
    revoked_on: str
    deletion_offered: bool
    deleted: bool
    receipt: NotRequired[ClientShredded]


class ConsentStatus(TypedDict):
    client: str
    current: Consent | None
    history: list[Consent]
    may_process: bool


class ClientProfile(TypedDict):
    """A client's sealed profile (``clients.sealed``): the name and identifying details."""

    name: str
    details: dict[str, str]
    audio_retention: NotRequired[str]
    """The client's own audio policy (services.retention), when one was chosen."""


class ClientAdded(TypedDict):
    id: str
    created_at: str
    consent: NotRequired[ConsentRecorded]
    """Set by the web API when consent is recorded with the client at once."""


class ClientListed(TypedDict):
    id: str
    name: str
    created_at: str
    consent: list[str]


class ClientShown(TypedDict):
    id: str
    name: str
    details: dict[str, str]
    created_at: str
    consent: Consent | None
    sessions: list[str]


class ClientModality(TypedDict):
    id: str
    modality: str
