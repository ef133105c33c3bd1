"""A signed role is checked in one database query (vault/signing.py check_role, issue 17 item 2): the
subject, the verifier and every account up the subject's chain of role signers come in one recursive
query, however long the chain. Each unit of work checks its actor's role, so this is on every page.
Real PostgreSQL (where a round trip costs most); the checks themselves are pinned by the attack tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import Connection, event, select

from sessionlens.services import accounts as account_svc
from sessionlens.services import vaults
from sessionlens.vault import signing
from sessionlens.vault.models import accounts
from tests.server.conftest import _derive_once, pg_url, server, server_template, settings  # noqa: F401


def _queries(server, check: Callable[[Connection], None]) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_rest) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    with server.vault.engine.connect() as conn:
        event.listen(conn, "before_cursor_execute", count)
        check(conn)
        event.remove(conn, "before_cursor_execute", count)
    return seen


def _ids(server) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return {r.username: r.id for r in conn.execute(select(accounts.c.username, accounts.c.id))}


@pytest.mark.postgres
def test_a_role_signed_by_the_owner_is_checked_in_one_query(server, tmp_path) -> None:  # noqa: F811
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    alice = _ids(server)["alice"]
    server.sign_in("alice")  # her own role verified at sign-in: she holds her root
    assert len(_queries(server, lambda conn: signing.check_role(server.vault, conn, alice, alice))) == 1


@pytest.mark.postgres
def test_a_chain_through_an_admin_is_checked_in_one_query(server, server_template, tmp_path) -> None:  # noqa: F811
    server.vault.settings = settings(audit_anchor_dir=str(tmp_path / "anchor"))
    server.vault.adopt_kek(server_template.kek)
    owner = vaults.sign_in_owner(server.vault)
    account_svc.change_role(owner, "carol", "admin")
    carol = server.sign_in("carol")
    account_svc.disable_account(carol, "bob")  # bob's row is now signed by carol, carol's by the owner
    account_svc.disable_account(carol, "bob", disabled=False)
    ids = _ids(server)
    with server.vault.engine.connect() as conn:
        assert conn.execute(select(accounts.c.role_signer).where(accounts.c.id == ids["bob"])).scalar() == ids["carol"]
    for verifier in ("alice", "carol"):
        queries = _queries(server, lambda conn, v=verifier: signing.check_role(server.vault, conn, ids["bob"], ids[v]))
        assert len(queries) == 1, queries
