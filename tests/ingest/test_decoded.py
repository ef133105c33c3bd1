"""What the sandboxed decoder sends back: its description read strictly (never trusted blindly), its PCM blocks
checked, and the description kept inside the WAV it becomes."""

from __future__ import annotations

import io
import json
import struct
import wave

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionlens.errors import InputError
from sessionlens.ingest.audio import decode_audio, pcm16_blocks, probe, wav_from
from sessionlens.ingest.audio_info import AudioInfo
from sessionlens.ingest.decoded import (CHUNK_ID, append_chunk, chunk_from_block, decoded_stream, info_block,
                                        source_of)

PHONE = AudioInfo(12.5, 8000, 1, "pcm_mulaw", False)


def _pcm_block(seconds: float = 1.0, channels: int = 1) -> bytes:
    tone = (np.sin(np.arange(int(16000 * seconds)) / 7) * 9000).astype("<i2")
    return bytes([channels]) + np.repeat(tone, channels).tobytes()


def _info(doc: object) -> bytes:
    return b"\x00" + json.dumps(doc).encode()


def _doc(**change: object) -> dict[str, object]:
    return {"sample_rate": 8000, "codec": "pcm_mulaw", "channels": 1, "had_video": False, "duration": 12.5, **change}


def test_a_description_sent_ahead_of_the_audio_is_kept_and_ffmpeg_still_reads_the_wav() -> None:
    wav = wav_from([info_block(PHONE), _pcm_block()])
    assert source_of(wav) == PHONE
    assert probe(wav).sample_rate == 16000  # the chunk after the audio does not disturb the WAV itself
    assert abs(decode_audio(wav).duration - 1.0) < 0.02
    with wave.open(io.BytesIO(wav)) as w:
        assert w.getnframes() == 16000


def test_the_decoder_describes_the_source_first() -> None:
    narrow = io.BytesIO()
    with wave.open(narrow, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(8000)
        w.writeframes((np.sin(np.arange(8000 * 2) / 3) * 5000).astype("<i2").tobytes())
    decoded = decoded_stream(pcm16_blocks(narrow.getvalue()))
    assert (decoded.info.sample_rate, decoded.info.channels, decoded.info.codec) == (8000, 1, "pcm_s16le")
    samples = np.concatenate(list(decoded.blocks), axis=1)
    assert samples.shape[0] == 1 and abs(samples.shape[1] - 32000) < 200 and samples.dtype == np.float32


def test_a_stream_without_a_description_or_with_a_bad_block_is_a_one_line_input_error() -> None:
    with pytest.raises(InputError, match="did not describe"):
        decoded_stream([_pcm_block()])
    with pytest.raises(InputError, match="did not describe"):
        decoded_stream([])
    with pytest.raises(InputError, match="not audio"):
        list(decoded_stream([info_block(PHONE), _pcm_block(channels=2)]).blocks)  # says mono, sends stereo
    with pytest.raises(InputError, match="not audio"):
        list(decoded_stream([info_block(PHONE), b"\x01\x00"]).blocks)  # half a sample
    with pytest.raises(InputError, match="no audio"):
        list(decoded_stream([info_block(PHONE)]).blocks)


def test_a_wav_without_the_chunk_has_no_source_and_nothing_breaks() -> None:
    assert source_of(wav_from([_pcm_block()])) is None
    assert source_of(b"") is None and source_of(b"RIFF") is None


@pytest.mark.parametrize("doc", [
    _doc(sample_rate=10**9), _doc(sample_rate="8000"), _doc(sample_rate=True), _doc(codec="\x1b[31mred"),
    _doc(codec="x" * 100), _doc(had_video="no"), _doc(channels=3), _doc(duration=-1.0), _doc(duration="long"),
    [8000], "8000"])
def test_lying_descriptions_are_dropped_not_trusted(doc: object) -> None:
    assert chunk_from_block(_info(doc)) is None
    assert source_of(wav_from([_info(doc), _pcm_block(0.1)])) is None
    with pytest.raises(InputError, match="did not describe"):
        decoded_stream([_info(doc), _pcm_block(0.1)])


def test_oversized_descriptions_are_ignored() -> None:
    assert chunk_from_block(b"\x00" + b" " * 10_000 + json.dumps(_doc()).encode()) is None
    body = b"{" + b" " * 4000 + b"}"
    wav = append_chunk(wav_from([_pcm_block(0.1)]), CHUNK_ID + struct.pack("<I", len(body)) + body)
    assert source_of(wav) is None


@given(st.binary(max_size=600))
def test_source_of_never_raises_on_any_bytes(data: bytes) -> None:
    source_of(data)
    source_of(b"RIFF\x00\x00\x00\x00WAVE" + data)


@given(st.integers(0, 1_000_000), st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=32),
       st.sampled_from([1, 2]), st.booleans(), st.none() | st.floats(0, 1e6, allow_nan=False))
def test_any_sane_description_round_trips(rate: int, codec: str, channels: int, video: bool,
                                          duration: float | None) -> None:
    info = AudioInfo(duration, rate, channels, codec, video)
    assert source_of(wav_from([info_block(info), _pcm_block(0.05, channels)])) == info
