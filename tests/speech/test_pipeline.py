"""The whole pipeline with the real models on short audio we made ourselves."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sessionlens.domain import Timing
from sessionlens.speech.pipeline import SpeechOptions, transcribe

from .conftest import RATE, SCRIPT, TURNS, wav_bytes, word_error_rate
from .make_fixtures import encode


def _speaker_at(t, when: float) -> str:
    for u in t.utterances:
        for w in u.words:
            if w.start <= when <= w.end + 0.05:
                return u.speaker
    raise AssertionError(f"no word at {when}")


def test_dialogue_text_speakers_and_times(dialogue_transcript):
    t = dialogue_transcript
    assert t.source_format == "audio" and t.timing == Timing.SOURCE
    assert word_error_rate(SCRIPT, " ".join(u.text for u in t.utterances)) < 0.25
    assert [s.id for s in t.speakers] == ["SPEAKER_1", "SPEAKER_2"]
    # Every word inside its utterance, utterances in order.
    for u in t.utterances:
        assert u.start <= u.words[0].start and u.words[-1].end <= u.end
        assert u.text == " ".join(w.text for w in u.words)
    starts = [u.start for u in t.utterances]
    assert starts == sorted(starts)
    # Each turn's middle is attributed to its own voice.
    label = {who: _speaker_at(t, (s + e) / 2) for who, s, e in TURNS[:2]}
    assert label["A"] != label["B"]
    for who, s, e in TURNS:
        if e - s > 1:
            assert _speaker_at(t, (s + e) / 2) == label[who], (who, s, e)


def test_a_lone_short_reply_gets_its_own_speaker(dialogue_transcript):
    t = dialogue_transcript
    yes = [u for u in t.utterances if "yes" in u.text.lower()]
    assert yes, "the short reply was not recognised"
    assert yes[0].word_count <= 2
    before = [u for u in t.utterances if u.end <= yes[0].start][-1]
    after = [u for u in t.utterances if u.start >= yes[0].end][0]
    assert yes[0].speaker != before.speaker and yes[0].speaker != after.speaker


def test_cues_and_the_long_pause_are_kept(dialogue_transcript):
    t = dialogue_transcript
    cues = t.metadata["paralinguistics"]
    assert set(cues) == {u.id for u in t.utterances}
    first = cues[t.utterances[0].id]
    assert 100 < first["speech_rate_wpm"] < 300
    assert first["f0_mean_hz"] is not None and first["f0_sd_semitones"] is not None
    assert first["energy_db"] < 0
    last = t.utterances[-1]
    assert cues[last.id]["pause_before"] >= 2.5  # the 3.2 s pause before the last answer
    # The two synthetic voices differ in pitch (espeak pitch 35 vs 70).
    f0 = {}
    for u in t.utterances:
        if cues[u.id]["f0_mean_hz"]:
            f0.setdefault(u.speaker, []).append(cues[u.id]["f0_mean_hz"])
    assert abs(np.median(f0["SPEAKER_1"]) - np.median(f0["SPEAKER_2"])) > 20


def test_pure_silence_gives_an_empty_transcript_and_a_message(asr):
    rng = np.random.default_rng(3)
    quiet = rng.normal(0, 0.001, 10 * RATE)
    t = transcribe(wav_bytes(quiet), asr=asr)
    assert t.utterances == () and t.speakers == ()
    assert "no speech" in t.metadata["message"]


def test_telephone_band_audio_still_transcribes(asr, dialogue_audio):
    narrow = dialogue_audio[: 15 * RATE][::2]  # 8 kHz
    t = transcribe(wav_bytes(narrow, rate=8000), asr=asr)
    hyp = " ".join(u.text for u in t.utterances)
    first_15s = SCRIPT[: SCRIPT.index("happens?") + len("happens?")]
    assert word_error_rate(first_15s, hyp) < 0.4
    assert any("narrowband" in n for n in t.metadata.get("notes", []))


def test_narrowband_is_still_said_after_the_sandboxed_decoder_resampled_it(asr, dialogue_audio):
    """Every real path transcribes the 16 kHz WAV the keyless child made: the 8 kHz source must survive it."""
    from sessionlens.services.pipeline import decoded_wav, streamed_recording

    narrow = wav_bytes(dialogue_audio[: 6 * RATE][::2], rate=8000)
    for decoded in (decoded_wav(narrow), streamed_recording([narrow[:5000], narrow[5000:]])):
        t = transcribe(decoded, asr=asr)
        assert t.metadata["source_audio"]["sample_rate"] == 8000
        assert any("narrowband" in n for n in t.metadata.get("notes", []))


def test_truncated_mp3_gives_the_part_that_survived(asr, dialogue_audio):
    data = encode(dialogue_audio[: 10 * RATE], fmt="mp3", codec="libmp3lame", bit_rate=64000)
    t = transcribe(data[: len(data) // 2], asr=asr)
    assert "good morning" in " ".join(u.text for u in t.utterances).lower()
    assert t.duration is not None and t.duration < 7


def test_fixed_speaker_count_is_respected(asr, dialogue_audio):
    t = transcribe(wav_bytes(dialogue_audio[: 16 * RATE]), SpeechOptions(speakers=1), asr=asr)
    assert len(t.speakers) == 1


def test_one_speaker_per_channel_is_used_as_such(asr, dialogue_audio):
    clip = dialogue_audio[: 16 * RATE]
    left, right = np.zeros_like(clip), np.zeros_like(clip)
    for who, s, e in TURNS[:4]:
        a, b = int(s * RATE), int(e * RATE)
        (left if who == "A" else right)[a:b] = clip[a:b]
        (right if who == "A" else left)[a:b] = 0.02 * clip[a:b]  # a little bleed
    t = transcribe(wav_bytes(np.stack([left, right])), asr=asr)
    assert t.metadata["diarization"]["method"] == "channels"
    assert [u.speaker for u in t.utterances][:4] == ["SPEAKER_1", "SPEAKER_2", "SPEAKER_1", "SPEAKER_2"]


def test_enrolled_voice_labels_the_therapist(asr, dialogue_audio):
    from sessionlens.speech.embeddings import voice_encoder

    a, b = int(TURNS[0][1] * RATE), int(TURNS[0][2] * RATE)
    print_a = voice_encoder().embed_segments(dialogue_audio, [(a, b)])[0]
    t = transcribe(wav_bytes(dialogue_audio[: 16 * RATE]), SpeechOptions(voiceprint=print_a), asr=asr)
    therapist = [s for s in t.speakers if s.name == "Therapist"]
    assert len(therapist) == 1 and therapist[0].id == t.utterances[0].speaker
    assert t.metadata["voiceprint"]["matched"] == therapist[0].id


@pytest.mark.slow
def test_memory_is_bounded_by_the_chunk_not_the_file(asr, dialogue_audio):
    """Three minutes in 20 s chunks: the largest chunk is what is held, and results span the whole file."""
    import sessionlens.speech.pipeline as pipeline

    longer = np.concatenate([dialogue_audio] * 5)  # about 3 minutes
    seen: list[float] = []
    original = pipeline._process

    def spy(chunk, *args):
        seen.append(chunk.duration)
        return original(chunk, *args)

    pipeline._process = spy
    try:
        t = transcribe(wav_bytes(longer), SpeechOptions(chunk_seconds=20), asr=asr)
    finally:
        pipeline._process = original
    assert len(seen) >= 8 and max(seen) <= 20.5
    assert t.utterances[-1].end > 170
    assert len(t.speakers) == 2


def test_enrollment_voiceprint_from_one_voice(dialogue_audio):
    from sessionlens.errors import InputError
    from sessionlens.speech.voice_roles import enrollment_voiceprint

    a_only = np.concatenate([dialogue_audio[int(s * RATE):int(e * RATE)] for who, s, e in TURNS if who == "A"])
    vp = enrollment_voiceprint(wav_bytes(a_only))
    assert vp.shape == (256,) and abs(float(np.linalg.norm(vp)) - 1) < 1e-5
    with pytest.raises(InputError, match="at least"):
        enrollment_voiceprint(wav_bytes(a_only[: 3 * RATE]))


def test_a_told_count_lists_every_person_and_names_the_ones_not_heard(asr, dialogue_audio):
    from sessionlens.speech.roles import assign_roles

    # two voices told six: the six clusters exist, but the turns give speech to only some of them
    t = transcribe(wav_bytes(dialogue_audio[: 16 * RATE]), SpeechOptions(speakers=6), asr=asr)
    heard = {turn["speaker"] for turn in t.metadata["speech_turns"]}
    assert [s.id for s in t.speakers] == [f"SPEAKER_{i}" for i in range(1, 7)]
    silent = [s.id for s in t.speakers if s.id not in heard]
    assert silent  # the case this test is about
    notes = " ".join(t.metadata.get("notes", []))
    named = set(re.findall(r"SPEAKER_\d+", notes.split("were heard:")[-1]))
    assert named == set(silent) and "6 people were said to be in the room" in notes
    assert t.metadata["diarization"]["speakers"] == len(heard)
    assign_roles(t)  # roles are given to everyone listed, heard or not


def test_people_told_but_not_heard_take_the_numbers_the_heard_leave_free() -> None:
    from sessionlens.speech.pipeline import unheard_speakers

    assert [s.id for s in unheard_speakers([0, 1], 4)] == ["SPEAKER_3", "SPEAKER_4"]
    # a cluster holding no speech leaves a gap: the unheard never repeat a heard id
    assert [s.id for s in unheard_speakers([0, 2], 3)] == ["SPEAKER_2"]
    assert unheard_speakers([0, 1, 2], 2) == []
