"""AEAD envelopes: round trips, and every kind of damage detected with the record named."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sessionlens.errors import IntegrityError
from sessionlens.vault import crypto

KEY = bytes(range(32))
META = {"key_id": "k-test", "key_version": 1, "record_id": "b-record1"}


def _seal(data: bytes, **kw: object) -> bytes:
    return crypto.seal(KEY, data, **{**META, **kw})  # type: ignore[arg-type]


def _stream(data: bytes, chunk: int = 16) -> bytes:
    return crypto.seal_stream(KEY, data, chunk_size=chunk, **META)  # type: ignore[arg-type]


def _open_stream(env: bytes) -> bytes:
    return crypto.open_stream(KEY, env, **META)  # type: ignore[arg-type]


def test_record_round_trip_and_fresh_nonces():
    a, b = _seal(b"hello"), _seal(b"hello")
    assert a != b
    assert crypto.open_sealed(KEY, a, **META) == b"hello"  # type: ignore[arg-type]


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 32, 33, 1000])
def test_stream_round_trip_at_chunk_boundaries(size):
    data = bytes(i % 251 for i in range(size))
    assert _open_stream(_stream(data)) == data


@pytest.mark.parametrize("change", [{"key_id": "k-other"}, {"key_version": 2}, {"record_id": "b-record2"},
                                   {"extra": {"kind": "note"}}])
def test_record_bound_to_its_associated_data(change):
    env = _seal(b"secret words")
    with pytest.raises(IntegrityError, match="b-record|record b-record2"):
        crypto.open_sealed(KEY, env, **{**META, **change})  # type: ignore[arg-type]


def test_wrong_key_fails_with_record_id_and_without_content():
    env = _seal(b"PLAINTEXT-CANARY")
    with pytest.raises(IntegrityError) as err:
        crypto.open_sealed(bytes(32), env, **META)  # type: ignore[arg-type]
    assert "b-record1" in str(err.value) and "CANARY" not in str(err.value)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(min_size=0, max_size=80), where=st.integers(min_value=0), bit=st.integers(0, 7))
def test_any_bit_flip_in_a_record_is_detected(data, where, bit):
    env = bytearray(_seal(data))
    env[where % len(env)] ^= 1 << bit
    with pytest.raises(IntegrityError, match="b-record1"):
        crypto.open_sealed(KEY, bytes(env), **META)  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(min_size=0, max_size=120), where=st.integers(min_value=0), bit=st.integers(0, 7))
def test_any_bit_flip_in_a_stream_is_detected(data, where, bit):
    env = bytearray(_stream(data))
    env[where % len(env)] ^= 1 << bit
    with pytest.raises(IntegrityError, match="b-record1"):
        _open_stream(bytes(env))


@settings(max_examples=100, deadline=None)
@given(data=st.binary(min_size=0, max_size=120), cut=st.integers(min_value=1))
def test_any_truncation_of_a_stream_is_detected(data, cut):
    env = _stream(data)
    keep = len(env) - 1 - (cut % len(env))
    with pytest.raises(IntegrityError):
        _open_stream(env[:keep])


def _chunks(env: bytes, chunk: int = 16) -> tuple[bytes, list[bytes]]:
    header_len = len(crypto.MAGIC) + 1 + 4 + 16
    body, step = env[header_len:], chunk + crypto.TAG_BYTES
    return env[:header_len], [body[i : i + step] for i in range(0, len(body), step)]


def test_dropping_the_final_chunk_is_detected_even_on_a_chunk_boundary():
    header, chunks = _chunks(_stream(bytes(64)))  # 4 full chunks
    assert len(chunks) == 4
    with pytest.raises(IntegrityError, match="chunk 2"):
        _open_stream(header + b"".join(chunks[:3]))


def test_reordered_or_duplicated_chunks_are_detected():
    header, chunks = _chunks(_stream(bytes(range(64))))
    with pytest.raises(IntegrityError, match="chunk 0"):
        _open_stream(header + chunks[1] + chunks[0] + chunks[2] + chunks[3])
    with pytest.raises(IntegrityError, match="chunk 1"):
        _open_stream(header + chunks[0] + chunks[0] + chunks[2] + chunks[3])


def test_stream_chunks_cannot_be_spliced_between_blobs():
    h1, c1 = _chunks(_stream(bytes(48)))
    _, c2 = _chunks(_stream(bytes(48)))
    with pytest.raises(IntegrityError):
        _open_stream(h1 + c1[0] + c2[1] + c1[2])


def test_record_and_stream_envelopes_are_not_interchangeable():
    with pytest.raises(IntegrityError, match="wrong envelope type"):
        _open_stream(_seal(bytes(40)))
    with pytest.raises(IntegrityError, match="wrong envelope type"):
        crypto.open_sealed(KEY, _stream(b"x"), **META)  # type: ignore[arg-type]
