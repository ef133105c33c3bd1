"""The audit chain: property-based tampering (modify, delete, reorder, insert) names the first bad entry."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert, select, update

from sessionlens.services import audit as audit_svc
from sessionlens.services import clients
from sessionlens.vault import audit
from sessionlens.vault.audit import GENESIS, Entry, Head, make_entry, verify_chain
from sessionlens.vault.models import audit_head, audit_log

from .helpers import BACKENDS

KEY = b"k" * 32


def build(n: int, key: bytes = KEY) -> list[Entry]:
    entries, head = [], Head(0, GENESIS)
    for i in range(n):
        e = make_entry(head, key, at=f"2025-01-01T00:00:{i:02d}.000000Z", actor="alice", action="client.read",
                       target=f"c-{i:08d}", detail={"n": i})
        entries.append(e)
        head = Head(e.seq, e.hash)
    return entries


def _last(entries: list[Entry]) -> Head:
    return Head(entries[-1].seq, entries[-1].hash) if entries else Head(0, GENESIS)


def test_intact_chain_verifies():
    entries = build(5)
    v = verify_chain(entries, KEY, _last(entries), head_is_last=True)
    assert v.ok and v.checked == 5 and v.head == _last(entries)


FIELDS = ("seq", "at", "actor", "action", "target", "detail", "prev_hash", "hash", "mac")


def _modified(entries: list[Entry], i: int, data: st.DataObject) -> list[Entry]:
    field = data.draw(st.sampled_from(FIELDS))
    old = getattr(entries[i], field)
    new = data.draw(st.integers(0, 99) if field == "seq" else st.text(min_size=1, max_size=8))
    assume(new != old)
    return entries[:i] + [dataclasses.replace(entries[i], **{field: new})] + entries[i + 1 :]


def _deleted(entries: list[Entry], i: int, data: st.DataObject) -> list[Entry]:
    return entries[:i] + entries[i + 1 :]


def _reordered(entries: list[Entry], i: int, data: st.DataObject) -> list[Entry]:
    j = data.draw(st.integers(i + 1, len(entries) - 1))
    swapped = list(entries)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    return swapped


# each way of tampering with entry i (counted from 0) -> how many entries it needs after i, i included
TAMPERING = {_modified: 1, _deleted: 1, _reordered: 2}


@pytest.mark.parametrize("tamper", list(TAMPERING), ids=lambda f: f.__name__.strip("_"))
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_tampered_entry_is_named(tamper, data):
    n = data.draw(st.integers(TAMPERING[tamper], 12))
    entries = build(n)
    i = data.draw(st.integers(0, n - TAMPERING[tamper]))
    v = verify_chain(tamper(entries, i, data), KEY, _last(entries), head_is_last=True)
    assert not v.ok and v.first_bad == i + 1, v


@settings(max_examples=100, deadline=None)
@given(n=st.integers(0, 12), data=st.data(), smart=st.booleans())
def test_inserted_entry_is_named(n, data, smart):
    """Even a forger who recomputes seq, links and hash (but lacks the vault key) is caught at the insertion."""
    entries = build(n)
    i = data.draw(st.integers(0, n))
    prev = Head(entries[i - 1].seq, entries[i - 1].hash) if i else Head(0, GENESIS)
    forged = make_entry(prev, b"x" * 32 if smart else KEY, at="2025-01-02T00:00:00.000000Z", actor="mallory",
                        action="client.read", target="c-forged00")
    if not smart:
        forged = dataclasses.replace(forged, seq=99)
    tail = entries[i:]
    if smart:  # re-link everything after the insertion, still without the key
        rebuilt, head = [], Head(forged.seq, forged.hash)
        for e in tail:
            ne = make_entry(head, b"x" * 32, at=e.at, actor=e.actor, action=e.action, target=e.target)
            rebuilt.append(ne)
            head = Head(ne.seq, ne.hash)
        tail = rebuilt
    v = verify_chain(entries[:i] + [forged] + tail, KEY, _last(entries), head_is_last=True)
    assert not v.ok and v.first_bad == i + 1, v


def test_exported_head_catches_a_rewrite_by_the_key_holder():
    entries = build(6)
    exported = Head(entries[3].seq, entries[3].hash)
    rewritten = build(3) + [make_entry(Head(3, build(3)[-1].hash), KEY, at="x", actor="a", action="b", target="c")]
    rewritten += build(6)[4:]
    v = verify_chain(rewritten, KEY, exported)
    assert not v.ok and v.first_bad in (4, 5)
    assert verify_chain(entries, KEY, exported).ok
    truncated = verify_chain(entries[:2], KEY, exported)
    assert not truncated.ok and truncated.first_bad == 3


def test_details_refuse_free_text_structures():
    from sessionlens.errors import InputError

    with pytest.raises(InputError):
        audit.canonical_detail({"note": {"nested": "text"}})


# --- the stored chain, on both backends -------------------------------------------------------

def _activity(world, n=3):
    for i in range(n):
        clients.add_client(world.alice, f"Person {i}")


@BACKENDS
def test_stored_chain_modification_is_named(world):
    _activity(world)
    with world.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 3).values(target="c-evil0000"))
    result = audit_svc.verify_audit(world.alice)
    assert not result["ok"] and result["first_bad"] == 3 and "#3" in result["message"]


@BACKENDS
def test_stored_chain_deletion_of_the_last_entry_is_named(world):
    _activity(world)
    with world.engine.begin() as conn:
        last = conn.execute(select(audit_head.c.seq)).scalar()
        conn.execute(delete(audit_log).where(audit_log.c.seq == last))
    with world.vault.transaction() as conn:
        v = world.vault.verify_audit(conn)
    assert not v.ok and v.first_bad == last


@BACKENDS
def test_stored_chain_insertion_is_named(world):
    _activity(world)
    with world.engine.begin() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
        conn.execute(delete(audit_log).where(audit_log.c.seq >= 3))
        forged = make_entry(Head(2, rows[1].hash), b"x" * 32, at=rows[2].at, actor="mallory", action="x", target="y")
        conn.execute(insert(audit_log).values(**dataclasses.asdict(forged)))
        for r in rows[2:]:
            conn.execute(insert(audit_log).values(**{**r._mapping, "seq": r.seq + 1}))
    with world.vault.transaction() as conn:
        v = world.vault.verify_audit(conn)
    assert not v.ok and v.first_bad == 3


@BACKENDS
def test_every_use_case_appends_and_the_chain_stays_intact(world):
    _activity(world, 2)
    head = audit_svc.export_head(world.alice)
    _activity(world, 2)
    result = audit_svc.verify_audit(world.alice, head)
    assert result["ok"], result
    with world.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq)).scalars().all()
    assert actions.count("client.create") == 4 and "audit.export_head" in actions
