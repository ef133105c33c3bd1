"""Decoding in memory: formats, channels, sample rates and the bad inputs."""

from __future__ import annotations

import io

import numpy as np
import pytest

from sessionlens.errors import InputError, UnsupportedFormatError
from sessionlens.ingest.audio import SAMPLE_RATE, decode_audio, is_media_file, iter_blocks, looks_like_media, probe

from .conftest import DIALOGUE, wav_bytes
from .make_fixtures import encode


def test_opus_file_decodes_to_16k_mono_float(dialogue_audio):
    assert dialogue_audio.dtype == np.float32
    assert abs(len(dialogue_audio) / SAMPLE_RATE - 35.1) < 0.2
    assert 0.05 < np.abs(dialogue_audio).max() <= 1.0


def test_bytes_decode_like_a_path(dialogue_audio):
    from_bytes = decode_audio(DIALOGUE.read_bytes())
    assert len(from_bytes.mono) == len(dialogue_audio)


def test_8khz_audio_is_resampled(dialogue_audio):
    narrow = dialogue_audio[::2]  # 8 kHz by decimation is enough for a rate test
    audio = decode_audio(wav_bytes(narrow, rate=8000))
    assert probe(wav_bytes(narrow, rate=8000)).sample_rate == 8000
    assert abs(audio.duration - len(narrow) / 8000) < 0.05


def test_stereo_is_kept_as_two_channels():
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    left, right = 0.3 * np.sin(2 * np.pi * 220 * t), 0.1 * np.sin(2 * np.pi * 330 * t)
    audio = decode_audio(wav_bytes(np.stack([left, right])))
    assert audio.channels is not None and audio.channels.shape == (2, SAMPLE_RATE)
    assert abs(np.abs(audio.channels[0]).max() - 0.3) < 0.01
    np.testing.assert_allclose(audio.mono, audio.channels.mean(axis=0), atol=1e-6)


def test_mp3_and_m4a_decode(dialogue_audio):
    clip = dialogue_audio[: 5 * SAMPLE_RATE]
    for fmt, codec in (("mp3", "libmp3lame"), ("mp4", "aac")):
        data = encode(clip, fmt=fmt, codec=codec, bit_rate=64000)
        assert looks_like_media(data[:16])
        assert abs(decode_audio(data).duration - 5.0) < 0.2  # AAC adds its priming frames


def test_truncated_mp3_keeps_the_good_part(dialogue_audio):
    data = encode(dialogue_audio[: 10 * SAMPLE_RATE], fmt="mp3", codec="libmp3lame", bit_rate=64000)
    audio = decode_audio(data[: len(data) // 2])
    assert 3.0 < audio.duration < 7.0


def test_blocks_are_bounded(dialogue_audio):
    blocks = list(iter_blocks(DIALOGUE, block_seconds=5))
    assert all(b.shape[1] <= 6 * SAMPLE_RATE for b in blocks)
    assert sum(b.shape[1] for b in blocks) == len(dialogue_audio)


def test_text_is_not_audio(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("T: hello\nC: hi\n")
    assert not is_media_file(path)
    with pytest.raises(UnsupportedFormatError):
        decode_audio(path)


def test_zero_length_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        decode_audio(path)
    with pytest.raises(InputError, match="empty"):
        decode_audio(b"")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="not found"):
        probe(tmp_path / "nope.wav")


def video_without_audio() -> bytes:
    import av

    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        stream = out.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(10):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 20, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return buf.getvalue()


def test_video_without_audio_track_is_a_clear_error():
    data = video_without_audio()
    assert looks_like_media(data[:16])
    with pytest.raises(InputError, match="video with no audio track"):
        probe(data)
