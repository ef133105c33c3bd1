"""Attack surface: a supervisor reads a shared session only while its clinician's keys are in memory
(issue 17, finding 9) — so shares kept the clinician's KEK in the server's memory, and a forged key
could be slipped in. Shares are now sealed to the supervisor's own key, pinned outside the database.
Real PostgreSQL.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select, update

from sessionlens.errors import IntegrityError, NotFoundError
from sessionlens.services import analyses, clients, consent, sessions
from sessionlens.vault import store
from sessionlens.vault.models import account_keys, accounts, share_keys
from tests.server.conftest import DEMO, _derive_once, pg_url, server, server_template, settings  # noqa: F401


def _shared(server, tmp_path):  # type: ignore[no-untyped-def]
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Shared Person")["id"]  # the first audited commit anchors (and pins keys)
    consent.record_consent(alice, cid, ("recording", "analysis", "supervision"))
    shared = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    private = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    return alice, shared, private


@pytest.mark.postgres
def test_a_supervisor_reads_a_share_with_the_clinician_signed_out(server, tmp_path) -> None:  # noqa: F811
    alice, shared, private = _shared(server, tmp_path)
    sessions.share_session(alice, shared, "bob")
    with server.vault.engine.connect() as conn:
        assert conn.execute(select(share_keys)).first() is not None  # sealed to bob's own key
    server.vault.drop_account_kek(alice.actor.id)  # alice signs out: her KEK leaves memory
    bob = server.sign_in("bob")
    assert analyses.read_analysis(bob, shared)["metrics"]
    with pytest.raises(NotFoundError):  # the app still shows him only what was shared
        analyses.read_analysis(bob, private)


@pytest.mark.postgres
def test_a_swapped_supervisor_key_receives_nothing(server, tmp_path) -> None:  # noqa: F811
    alice, shared, _ = _shared(server, tmp_path)
    attacker = X25519PrivateKey.generate().public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with store.transaction(server.vault.engine) as conn:  # an insider with database write
        bob = conn.execute(select(accounts.c.id).where(accounts.c.username == "bob")).scalar_one()
        conn.execute(update(account_keys).where(account_keys.c.account_id == bob).values(public_key=attacker))
    with pytest.raises(IntegrityError, match="pinned outside the database"):
        sessions.share_session(alice, shared, "bob")
    with server.vault.engine.connect() as conn:
        assert conn.execute(select(share_keys)).first() is None


@pytest.mark.postgres
def test_a_share_row_forged_with_the_row_mac_key_opens_nothing(server, tmp_path) -> None:  # noqa: F811
    from sessionlens.services.permissions import share_fields
    from sessionlens.vault.ids import new_id, now_iso
    from sessionlens.vault.models import shares

    alice, _, private = _shared(server, tmp_path)  # alice stays signed in: her KEK is in memory
    bob = server.sign_in("bob")
    values = {"id": new_id("share"), "session_id": private, "grantee_id": bob.actor.id,
              "granted_by": alice.actor.id, "created_at": now_iso()}
    with store.transaction(server.vault.engine) as conn:  # every account holds the row-MAC key
        conn.execute(shares.insert().values(**values, mac=server.vault.row_mac("shares", values["id"],
                                                                               share_fields(values))))
    # The row passes the MAC check, but no DEK was ever sealed to bob, and (issue 17 item 2) bob, whose every
    # share is signed by its clinician, refuses an unsigned one before it gets that far.
    with pytest.raises((NotFoundError, IntegrityError)):
        analyses.read_analysis(bob, private)
