"""The streaming blob store: chunks sealed one by one, read back by range, and no tampering with
their order, number, offsets or owner goes unnoticed (property tests over both databases)."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from sessionlens.errors import InputError, IntegrityError
from sessionlens.services import clients
from sessionlens.vault import blobs, chunks, crypto
from sessionlens.vault.blobs import BlobKind
from sessionlens.vault.models import blob_chunks, blobs as blob_table

from .helpers import BACKENDS

SMALL = 7  # bytes per chunk in the property tests, so a few hundred bytes make dozens of chunks
PROPS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(chunks, "CHUNK_SIZE", SMALL)


def _client(world) -> tuple[str, str, int]:
    client = clients.add_client(world.alice, "Blob Owner")["id"]
    with world.vault.transaction() as conn:
        from sessionlens.vault.models import clients as client_table

        row = conn.execute(select(client_table).where(client_table.c.id == client)).one()
    return client, row.key_id, row.key_version


def _write(world, owner, parts: list[bytes]) -> str:
    client, key_id, version = owner
    with world.vault.transaction() as conn:
        blob_id = blobs.begin(world.vault, conn, client_id=client, session_id=None, kind=BlobKind.AUDIO,
                              key_id=key_id, key_version=version)
        for part in parts:
            blobs.append(world.vault, conn, blob_id, part)
        blobs.finish(world.vault, conn, blob_id)
    return blob_id


@BACKENDS
def test_appended_parts_read_back_whole_and_by_any_range(world, small_chunks):
    owner = _client(world)

    @PROPS
    @given(parts=st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=8),
           a=st.integers(0, 400), n=st.integers(0, 400))
    def check(parts, a, n):
        data = b"".join(parts)
        blob_id = _write(world, owner, parts)
        with world.vault.transaction() as conn:
            assert blobs.get(world.vault, conn, blob_id) == data
            assert blobs.size_of(world.vault, conn, blob_id) == len(data)
            assert blobs.read_range(world.vault, conn, blob_id, a, a + n) == data[a:a + n]

    check()


def _tamper(conn, blob_id: str, other_id: str, how: str, i: int, j: int) -> None:
    rows = conn.execute(select(blob_chunks).where(blob_chunks.c.blob_id == blob_id)
                        .order_by(blob_chunks.c.idx)).all()
    i, j = i % len(rows), j % len(rows)
    where = (blob_chunks.c.blob_id == blob_id) & (blob_chunks.c.idx == rows[i].idx)
    if how == "swap":  # two chunks trade places (contents exchanged)
        conn.execute(update(blob_chunks).where(where).values(content=rows[j].content))
        conn.execute(update(blob_chunks).where((blob_chunks.c.blob_id == blob_id) & (blob_chunks.c.idx == rows[j].idx))
                     .values(content=rows[i].content))
    elif how == "drop":  # any chunk deleted, the last one included (truncation)
        conn.execute(delete(blob_chunks).where(where))
    elif how == "start":  # the plaintext offset column changed
        conn.execute(update(blob_chunks).where(where).values(start=rows[i].start + 1))
    elif how == "splice":  # a chunk of another blob of the same client copied in
        theirs = conn.execute(select(blob_chunks.c.content).where(blob_chunks.c.blob_id == other_id)
                              .order_by(blob_chunks.c.idx)).scalars().first()
        conn.execute(update(blob_chunks).where(where).values(content=theirs))
    elif how == "size":  # the row claims a shorter blob
        conn.execute(update(blob_table).where(blob_table.c.id == blob_id).values(size=rows[i].start))
    elif how == "flip":
        body = bytearray(rows[i].content)
        body[j % len(body)] ^= 0x01
        conn.execute(update(blob_chunks).where(where).values(content=bytes(body)))


@BACKENDS
def test_reordered_dropped_moved_or_altered_chunks_never_open(world, small_chunks):
    owner = _client(world)
    other = _write(world, owner, [b"another recording of the same client"])

    @PROPS
    @given(data=st.binary(min_size=3 * SMALL + 1, max_size=120), how=st.sampled_from(
        ["swap", "drop", "start", "splice", "size", "flip"]), i=st.integers(0, 50), j=st.integers(0, 50))
    def check(data, how, i, j):
        blob_id = _write(world, owner, [data])
        count = -(-len(data) // SMALL)
        if how == "swap" and i % count == j % count:
            j = i + 1  # a swap with itself is no change at all
        with world.engine.begin() as conn:
            _tamper(conn, blob_id, other, how, i, j)
        with world.vault.transaction() as conn, pytest.raises(IntegrityError, match=blob_id):
            blobs.get(world.vault, conn, blob_id)
        with world.vault.transaction() as conn, pytest.raises(IntegrityError, match=blob_id):
            for k in range(count):  # a range read of every chunk: the bad one is caught
                blobs.read_range(world.vault, conn, blob_id, k * SMALL, k * SMALL + 1)

    check()


def test_an_open_blob_does_not_read_and_a_finished_one_does_not_grow(world):
    owner = _client(world)
    client, key_id, version = owner
    with world.vault.transaction() as conn:
        blob_id = blobs.begin(world.vault, conn, client_id=client, session_id=None, kind=BlobKind.AUDIO,
                              key_id=key_id, key_version=version)
        blobs.append(world.vault, conn, blob_id, b"part one")
        with pytest.raises(InputError, match="still being written"):
            blobs.get(world.vault, conn, blob_id)
        assert blobs.find(conn, "none", BlobKind.AUDIO) is None
        blobs.finish(world.vault, conn, blob_id)
        with pytest.raises(InputError, match="cannot grow"):
            blobs.append(world.vault, conn, blob_id, b"more")
        blobs.remove(conn, blob_id)
        assert conn.execute(select(func.count()).select_from(blob_chunks)
                            .where(blob_chunks.c.blob_id == blob_id)).scalar() == 0


def test_blobs_sealed_before_chunking_still_open_and_read_by_range(world):
    client, key_id, version = _client(world)
    data = bytes(range(256)) * 700
    with world.vault.transaction() as conn:
        row = {"id": "blob-legacy0001", "client_id": client, "session_id": None, "kind": "audio", "key_id": key_id,
               "key_version": version, "size": len(data), "created_at": "2026-01-01T00:00:00.000000Z"}
        key = world.vault.client_key(conn, key_id, version)
        content = crypto.seal_stream(key, data, key_id=key_id, key_version=version, record_id=row["id"],
                                     extra=blobs._aad(row))
        conn.execute(blob_table.insert().values(**row, content=content))
        assert blobs.get(world.vault, conn, row["id"]) == data
        assert blobs.read_range(world.vault, conn, row["id"], 1000, 70000) == data[1000:70000]


def test_a_range_of_a_long_recording_decrypts_only_its_chunks(world):
    """A 48 MiB recording: reading 64 KiB from its middle allocates a few chunks, not the file."""
    owner = _client(world)
    piece = bytes(range(256)) * 4096  # 1 MiB
    client, key_id, version = owner
    with world.vault.transaction() as conn:
        blob_id = blobs.begin(world.vault, conn, client_id=client, session_id=None, kind=BlobKind.AUDIO,
                              key_id=key_id, key_version=version)
        for _ in range(48):
            blobs.append(world.vault, conn, blob_id, piece)
        blobs.finish(world.vault, conn, blob_id)
    with world.vault.transaction() as conn:
        tracemalloc.start()
        got = blobs.read_range(world.vault, conn, blob_id, 30 * 2**20 + 5, 30 * 2**20 + 5 + 65536)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert got == (piece * 2)[5:5 + 65536]
        assert peak < 4 * 2**20, peak
        tracemalloc.start()
        total = sum(len(p) for p in blobs.iter_bytes(world.vault, conn, blob_id))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert total == 48 * 2**20 and peak < 12 * 2**20, peak
