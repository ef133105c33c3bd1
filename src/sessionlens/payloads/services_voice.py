"""The clinician's enrolled voice (services.voiceprints): its sealed payload and what the use cases return."""

from typing_extensions import NotRequired, TypedDict


class VoiceprintRecord(TypedDict):
    """The sealed payload of a ``voiceprints`` row: the encoder's vector (little-endian float32, base64)."""

    format: int
    vector: str
    dim: int
    encoder: str
    source: str
    seconds: float | None


class VoiceEnrolled(TypedDict):
    account: str
    enrolled: bool
    enrolled_at: str
    replaced: bool
    source: str
    seconds: float | None


class VoiceStatus(TypedDict):
    account: str
    enrolled: bool
    enrolled_at: NotRequired[str]
    source: NotRequired[str | None]
    seconds: NotRequired[float | None]
    encoder: NotRequired[str | None]


class VoiceForgotten(TypedDict):
    account: str
    forgotten: bool
