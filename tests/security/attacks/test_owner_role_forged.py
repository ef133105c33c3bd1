"""Attack: give an account another role by rewriting ``accounts.role`` with the row-MAC key (issue 17, finding 2).

Every account holds the row-MAC key, so an insider with database write could make a supervisor an admin
(or any account the vault owner) with a MAC that verifies. Roles the app sets are now pinned in the audit
anchor, outside the database, and an account row whose role differs from its pin is refused.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from sessionlens.errors import IntegrityError
from sessionlens.services import accounts as account_svc
from sessionlens.services import vaults
from sessionlens.vault import accounts, store
from sessionlens.vault.models import accounts as accounts_table

from ...vault.helpers import BACKENDS, PASSWORDS


def _forge(world, username: str, **values) -> None:  # type: ignore[no-untyped-def]
    with store.transaction(world.engine) as conn:
        row = conn.execute(select(accounts_table).where(accounts_table.c.username == username)).one()
        fields = {**{k: row._mapping[k] for k in accounts._MAC_FIELDS}, **values}
        conn.execute(update(accounts_table).where(accounts_table.c.id == row.id)
                     .values(**values, mac=world.vault.row_mac("accounts", row.id, fields)))


@BACKENDS
def test_a_role_rewritten_in_the_database_is_refused(world):
    _forge(world, "bob", role="admin")  # the roles were pinned as the app first saw them (the fixture's reads)
    with pytest.raises(IntegrityError, match="role pinned outside the database"):
        vaults.login(world.vault, "bob", PASSWORDS["bob"])
    _forge(world, "bob", role="supervisor", is_owner=1)  # or make yourself the vault owner
    with world.vault.transaction() as conn, pytest.raises(IntegrityError, match="account role"):
        accounts.get(world.vault, conn, "bob")


def test_a_disabled_account_cannot_be_re_enabled_in_the_database(world):
    account_svc.disable_account(world.dave, "carol")
    _forge(world, "carol", disabled=0)
    with pytest.raises(IntegrityError, match="account role"):
        vaults.login(world.vault, "carol", PASSWORDS["carol"])


def test_a_role_the_app_changes_moves_its_pin(world):
    account_svc.change_role(world.dave, "bob", "admin")
    with world.vault.transaction() as conn:
        assert accounts.get(world.vault, conn, "bob").role.value == "admin"
    assert world.vault.read_anchor().roles[world.bob.actor.id] == "admin"
