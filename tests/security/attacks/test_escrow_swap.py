"""Attack: swap the escrow public key so every KEK sealed afterwards opens for the attacker (issue 17, finding 2).

Every account holds the row-MAC key, and the escrow row's MAC covered only its public key: an insider with
database write put their own X25519 public key in ``key_escrow`` with a fresh MAC, and each later account
creation, password change or recovery sealed that account's KEK to them. The escrow key's fingerprint is
now pinned outside the database (in the signed audit anchor, made at ``init``) and checked on every use.
"""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from sqlalchemy import select, update

from sessionlens.errors import IntegrityError
from sessionlens.services import accounts as account_svc
from sessionlens.services import clients
from sessionlens.vault import store, tenancy
from sessionlens.vault.accounts import Role
from sessionlens.vault.models import account_keys, accounts, key_escrow

from ...vault.helpers import BACKENDS


def _swap_escrow(world) -> X25519PrivateKey:  # type: ignore[no-untyped-def]
    mine = X25519PrivateKey.generate()
    public = mine.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    with store.transaction(world.engine) as conn:  # the row-MAC key is in every account's hands
        conn.execute(update(key_escrow).values(public_key=public, mac=world.vault.row_mac(
            "key_escrow", "1", {"public_key": public.hex()})))
    return mine


@BACKENDS
def test_a_swapped_escrow_key_receives_no_kek(world):
    clients.list_clients(world.alice)  # the vault has been anchored (at init on a new vault)
    pinned = world.vault.read_anchor().escrow
    attacker = _swap_escrow(world)
    with pytest.raises(IntegrityError, match="pinned outside the database"):
        account_svc.add_account(world.dave, "erin", Role.CLINICIAN, "erin-password-12")
    with world.engine.connect() as conn:  # nothing was written: no account, so no KEK sealed to the attacker
        assert conn.execute(select(accounts.c.id).where(accounts.c.username == "erin")).first() is None
        assert conn.execute(select(account_keys)).all() == []
    assert world.vault.read_anchor().escrow == pinned  # the pin did not follow the database
    assert attacker is not None


def test_before_the_pin_the_swap_handed_over_the_new_kek(world):
    """What the attack achieved before: the attacker opens the new account's KEK with their own key."""
    attacker = _swap_escrow(world)  # before the first anchor: trust on first use pins whatever is there
    account_svc.add_account(world.dave, "erin", Role.CLINICIAN, "erin-password-12")
    with world.engine.connect() as conn:
        row = conn.execute(select(account_keys)).one()
    assert len(tenancy._open_from(attacker, bytes(row.kek_by_escrow), f"akek:{row.account_id}")) == 32


def test_the_escrow_fingerprint_is_pinned_and_matches_the_database(world):
    from sessionlens.vault import anchor

    clients.list_clients(world.alice)
    with world.engine.connect() as conn:
        public = bytes(conn.execute(select(key_escrow.c.public_key)).scalar_one())
        assert tenancy.escrow_fingerprint(world.vault, conn) == anchor.fingerprint(public)
    assert world.vault.read_anchor().escrow == anchor.fingerprint(public)
    account_svc.add_account(world.dave, "erin", Role.CLINICIAN, "erin-password-12")  # an honest key still works
