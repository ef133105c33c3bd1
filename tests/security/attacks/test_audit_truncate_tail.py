"""Attack: cut the audit trail's tail, or rewrite it, with full database write (issue 17, finding 1).

The attacker is an insider with write access to the database and every key an account holds (the audit
MAC key is sealed to every account), but no access to the anchor directory. Before the anchor, deleting
the last entries and writing back an earlier head row (PostgreSQL dead tuples, WAL and backups keep them)
left `audit verify` saying "intact". Now every audited commit moves a signed anchor outside the database
forward along the chain, and verification fails when the chain is shorter than, or differs at, the anchor.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select, update

from sessionlens.errors import IntegrityError
from sessionlens.services import audit as audit_svc
from sessionlens.services import clients
from sessionlens.vault import audit, store
from sessionlens.vault.models import audit_head, audit_log

from ...vault.helpers import BACKENDS, client_with_session


def _head_row(world) -> dict:  # type: ignore[no-untyped-def]
    with world.engine.connect() as conn:
        return dict(conn.execute(select(audit_head)).one()._mapping)


@BACKENDS
def test_cutting_the_tail_and_writing_back_an_old_head_is_caught(world):
    client, _ = client_with_session(world)
    old = _head_row(world)  # what a dead tuple, the WAL or an old backup still holds
    clients.show_client(world.alice, client)  # the two entries the attacker wants gone
    clients.show_client(world.alice, client)
    with store.transaction(world.engine) as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq > old["seq"]))
        conn.execute(update(audit_head).values(seq=old["seq"], hash=old["hash"], mac=old["mac"]))
    result = audit_svc.verify_audit(world.alice)
    assert not result["ok"], result
    assert "anchored head" in result["reason"] and "cut" in result["reason"]


def _rewrite_from(conn, key: bytes, seq: int) -> None:  # type: ignore[no-untyped-def]
    """Change entry ``seq`` and recompute every hash and MAC after it, and the head (the attacker holds the key)."""
    entries = audit.load(conn)
    prev = audit.Head(seq - 1, entries[seq - 2].hash)
    conn.execute(delete(audit_log).where(audit_log.c.seq >= seq))
    for e in entries[seq - 1 :]:
        target = "c-forged000" if e.seq == seq else e.target
        new = audit.make_entry(prev, key, at=e.at, actor=e.actor, action=e.action, target=target,
                               detail=json.loads(e.detail))
        conn.execute(audit_log.insert().values(**{f: getattr(new, f) for f in audit.Entry.__slots__}))
        prev = audit.Head(new.seq, new.hash)
    conn.execute(update(audit_head).values(seq=prev.seq, hash=prev.hash, mac=audit.head_mac(key, prev)))


@BACKENDS
def test_a_chain_rewritten_with_the_audit_key_is_caught_and_never_anchored(world):
    client, _ = client_with_session(world)
    anchored = world.vault.read_anchor()
    assert anchored is not None and anchored.seq == _head_row(world)["seq"]  # exported automatically
    with store.transaction(world.engine) as conn:
        assert world.vault.verify_audit(conn).ok
        _rewrite_from(conn, world.vault.integrity_keys[0], 3)
        assert audit.verify_stored(conn, world.vault.integrity_keys[0]).ok  # the chain alone looks intact
    clients.show_client(world.alice, client)  # a legitimate entry on top of the forged chain
    assert world.vault.read_anchor().seq == anchored.seq  # the forged chain was not anchored
    result = audit_svc.verify_audit(world.alice)
    assert not result["ok"] and "differs from the anchored head" in result["reason"], result


def test_the_anchor_cannot_be_edited_without_its_key(world):
    client_with_session(world)
    path = world.vault.anchor_path
    doc = json.loads(path.read_text())
    doc["seq"] = 1
    path.write_text(json.dumps(doc))
    with pytest.raises(IntegrityError, match="not signed by the anchor key"):
        audit_svc.verify_audit(world.alice)


def test_an_honest_chain_verifies_against_its_anchor(world):
    client, _ = client_with_session(world)
    clients.show_client(world.alice, client)
    result = audit_svc.verify_audit(world.alice)
    assert result["ok"], result
    assert world.vault.read_anchor().seq == _head_row(world)["seq"]


def test_a_process_without_the_anchor_key_appends_and_the_next_signer_anchors_it(world):
    """A worker holds no anchor key (by design): its audited commits work, and the web anchors them later."""
    client, _ = client_with_session(world)
    key = world.vault.anchor_path.parent / "anchor.key"
    held = key.read_bytes()
    key.unlink()  # this process is now a worker: it can check the anchor (anchor.pub) but not sign it
    try:
        before = world.vault.read_anchor().seq
        clients.show_client(world.alice, client)  # audited; the anchor stays where it was
        assert world.vault.read_anchor().seq == before
        assert not key.exists()  # and no key of its own was started, which would disown the anchor
    finally:
        key.write_bytes(held)
    clients.show_client(world.alice, client)  # the signer's next commit anchors the worker's entry too
    assert world.vault.read_anchor().seq == _head_row(world)["seq"] > before
    assert audit_svc.verify_audit(world.alice)["ok"]
