"""The number of people the clinician says were in the room reaches the speaker separation (web, CLI, services)."""

from __future__ import annotations

# ruff: noqa: F811  (pytest fixtures imported from tests/vault/helpers are parameters here)
import pytest

from sessionlens.errors import InputError
from sessionlens.services import clients, consent, media_sessions
from sessionlens.services.analyses import read_transcript
from sessionlens.services.pipeline import speech_options
from sessionlens.services.transcription import transcribe_session

from ..vault.helpers import BACKENDS, PASSPHRASE, _derive_once, db_url, template, world  # noqa: F401
from .test_voice_enroll import two_voice_clip  # noqa: F401  (fixture)


def test_the_sessions_count_wins_over_the_setting(world):
    settings = world.vault.settings.__class__({**dict(world.vault.settings), "speech_speakers": 4}, env={})
    assert speech_options(settings).speakers == 4
    assert speech_options(settings, None, 3).speakers == 3


@pytest.mark.parametrize("bad", [0, 9, -1])
def test_a_count_out_of_range_is_refused(world, bad):
    client = clients.add_client(world.alice, "Jane Example")["id"]
    consent.record_consent(world.alice, client, ("recording", "analysis"))
    with pytest.raises(InputError, match="between 1 and 8"):
        media_sessions.create_audio_session(world.alice, client, status="awaiting_transcription",
                                            mime="audio/wav", data=b"RIFF....", people=bad)


def test_three_people_said_two_voices_heard(world, two_voice_clip):
    client = clients.add_client(world.alice, "Jane Example")["id"]
    consent.record_consent(world.alice, client, ("recording", "analysis"))
    session = media_sessions.create_audio_session(world.alice, client, status="awaiting_transcription",
                                                  mime="audio/wav", data=two_voice_clip, people=3)["id"]
    transcribe_session(world.alice, session)
    meta = read_transcript(world.alice, session).metadata
    assert meta["diarization"]["requested"] == 3
    said = " ".join(meta.get("notes", []))
    assert len({t["speaker"] for t in meta["speech_turns"]}) == 3 or "3 people were said to be in the room" in said
