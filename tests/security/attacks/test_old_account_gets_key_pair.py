"""Gap: accounts made before per-account key pairs got one only on a password change (issue 17, item 3).

Such an account could not receive a share sealed to its own key, so a supervisor made the old way read
shared sessions only while the sharing clinician was signed in. Now the pair is made at the account's next
sign-in (its password is known then: the private half is sealed under its KEK), the creation is audited,
and the next anchor pins the public half. Real PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from sessionlens.services import analyses, clients, consent, sessions
from sessionlens.vault import share_keys, store
from sessionlens.vault.models import account_keys, accounts, audit_log
from tests.server.conftest import DEMO, _derive_once, pg_url, server, server_template, settings  # noqa: F401


@pytest.mark.postgres
def test_an_account_made_without_a_key_pair_gets_one_at_sign_in(server, tmp_path) -> None:  # noqa: F811
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    with store.transaction(server.vault.engine) as conn:  # bob's row as accounts were made before key pairs
        bob = conn.execute(select(accounts.c.id).where(accounts.c.username == "bob")).scalar_one()
        conn.execute(update(account_keys).where(account_keys.c.account_id == bob)
                     .values(public_key=None, private_sealed=None))
        assert not share_keys.has_pair(conn, bob)
    server.sign_in("bob")
    with server.vault.engine.connect() as conn:
        assert share_keys.has_pair(conn, bob)
        made = conn.execute(select(audit_log.c.target).where(audit_log.c.action == "account.key_pair_created")).all()
    assert [r.target for r in made] == [bob]
    alice = server.ctx["alice"]
    cid = clients.add_client(alice, "Shared Person")["id"]
    consent.record_consent(alice, cid, ("recording", "analysis", "supervision"))
    shared = sessions.import_session(alice, cid, DEMO.read_bytes(), source="demo.vtt")["id"]
    assert bob in server.vault.read_anchor().accounts  # pinned outside the database
    sessions.share_session(alice, shared, "bob")  # sealed to bob's new key
    server.vault.drop_account_kek(alice.actor.id)  # alice signs out
    assert analyses.read_analysis(server.sign_in("bob"), shared)["metrics"]
    server.sign_in("bob")  # a second sign-in makes nothing new
    with server.vault.engine.connect() as conn:
        assert len(conn.execute(select(audit_log).where(audit_log.c.action == "account.key_pair_created")).all()) == 1
