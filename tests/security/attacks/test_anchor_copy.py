"""Attack: cut the audit trail with the database AND this host's anchor directory (issue 17, open item 5).

The local anchor stops an insider who can write the database but not the anchor directory. Someone who
also controls this host (root, a stolen backup of the whole machine restored elsewhere) can cut the
chain and re-sign the local anchor at the old head with the anchor key. Before: nothing outside the
host remembered the head, so `audit verify` said "intact". Now every anchored head is also appended,
signed, to ``audit_anchor_copy`` (an append-only file on another mount), and `audit verify
--anchor-copy` fails when a head that left the host is no longer in the chain.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import delete, select, update

from sessionlens.errors import IntegrityError
from sessionlens.services import audit as audit_svc
from sessionlens.services import clients
from sessionlens.vault import anchor, store
from sessionlens.vault.models import audit_head, audit_log

from ...vault.helpers import client_with_session, make_settings


@pytest.fixture
def copy(world, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / "offhost" / "anchor-heads.log"
    path.parent.mkdir()
    world.vault.settings = make_settings(audit_anchor_dir=str(tmp_path / "anchor"), kdf_memory_mib=64,
                                         audit_anchor_copy=str(path))
    return path


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_every_anchored_head_is_appended_and_verifies(world, copy: Path) -> None:  # type: ignore[no-untyped-def]
    client, _ = client_with_session(world)
    clients.show_client(world.alice, client)
    heads = _lines(copy)
    assert len(heads) >= 2 and heads[-1]["seq"] == world.vault.read_anchor().seq
    assert [h["seq"] for h in heads] == sorted(h["seq"] for h in heads)  # appended, never rewritten
    result = audit_svc.verify_audit(world.alice, anchor_copy=copy)
    assert result["ok"], result


def test_cutting_the_tail_and_re_signing_the_local_anchor_is_caught_by_the_copy(world, copy) -> None:  # type: ignore[no-untyped-def]
    client, _ = client_with_session(world)
    with world.engine.connect() as conn:
        old = dict(conn.execute(select(audit_head)).one()._mapping)
    old_anchor = world.vault.read_anchor()
    clients.show_client(world.alice, client)  # the entries the attacker wants gone
    clients.show_client(world.alice, client)
    with store.transaction(world.engine) as conn:
        conn.execute(delete(audit_log).where(audit_log.c.seq > old["seq"]))
        conn.execute(update(audit_head).values(seq=old["seq"], hash=old["hash"], mac=old["mac"]))
    anchor.write(world.vault.anchor_path, replace(old_anchor))  # re-signed with the anchor key, no copy
    assert audit_svc.verify_audit(world.alice)["ok"]  # the local anchor alone is fooled
    result = audit_svc.verify_audit(world.alice, anchor_copy=copy)
    assert not result["ok"] and "cut" in result["reason"] and "anchor copy" in result["reason"], result


def test_a_head_added_to_the_copy_without_the_anchor_key_is_refused(world, copy) -> None:  # type: ignore[no-untyped-def]
    client_with_session(world)
    forged = dict(_lines(copy)[-1], seq=1)
    with copy.open("a") as f:
        f.write(json.dumps(forged) + "\n")
    with pytest.raises(IntegrityError, match="not signed by the anchor key"):
        audit_svc.verify_audit(world.alice, anchor_copy=copy)
    other = Ed25519PrivateKey.generate()  # signed, but by another key
    a = world.vault.read_anchor()
    copy.write_text("")
    anchor.append_copy(copy, a, other)
    with pytest.raises(IntegrityError, match="not signed by the anchor key"):
        audit_svc.verify_audit(world.alice, anchor_copy=copy)
