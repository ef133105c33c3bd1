"""Attack: bring a shredded client back by restoring a backup taken before the shred (issue 17, finding 8).

A backup holds the client's wrapped DEK and sealed records, and the passphrase of the time opens it. The
shred is now listed in the audit anchor, outside the database, and `restore` shreds every listed client
again before the restored vault is handed over; a restore without the anchor is refused unless asked for.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.errors import InputError, NotFoundError
from sessionlens.services import backup, clients, sessions, vaults
from sessionlens.vault import store
from sessionlens.vault.models import blobs, client_keys, sessions as sessions_table

from ...vault.helpers import BACKENDS, PASSPHRASE, client_with_session, make_settings


def _restore(world, tmp_path, name: str, **kw):  # type: ignore[no-untyped-def]
    settings = make_settings(audit_anchor_dir=str(tmp_path / f"{name}-anchor"))
    result = backup.restore_backup(tmp_path / "old.slbk", passphrase=PASSPHRASE, data_dir=tmp_path / name,
                                   settings=settings, **kw)
    return result, vaults.sign_in_owner(vaults.open_vault(passphrase=PASSPHRASE, data_dir=tmp_path / name,
                                                          settings=settings))


@BACKENDS
def test_a_backup_older_than_a_shred_restores_without_the_shredded_client(world, tmp_path):
    gone, gone_session = client_with_session(world, name="Shredded Person")
    kept, kept_session = client_with_session(world, name="Kept Person")
    backup.create_backup(world.alice, tmp_path / "old.slbk")  # holds both clients and both DEKs
    clients.shred_client(world.alice, gone)

    result, ctx = _restore(world, tmp_path, "restored")
    try:
        assert result["shreds_reapplied"] == 1 and result["audit_ok"]
        with pytest.raises(NotFoundError):
            clients.show_client(ctx, gone)
        with pytest.raises(NotFoundError):
            sessions.show_session(ctx, gone_session)
        with ctx.vault.engine.connect() as conn:  # no key that could open what a copy of the records holds
            assert conn.execute(select(client_keys).where(client_keys.c.client_id == gone)).first() is None
            assert conn.execute(select(sessions_table).where(sessions_table.c.client_id == gone)).first() is None
            assert conn.execute(select(blobs).where(blobs.c.client_id == gone)).first() is None
        assert clients.show_client(ctx, kept)["name"] == "Kept Person"  # everything else came back
        assert sessions.show_session(ctx, kept_session)
        anchored = ctx.vault.read_anchor()
        assert gone in anchored.shredded_clients() and anchored.restores  # a later restore shreds it again too
    finally:
        ctx.vault.close()


def test_without_the_anchor_the_restore_is_refused_unless_asked(world, tmp_path):
    gone, _ = client_with_session(world)
    backup.create_backup(world.alice, tmp_path / "old.slbk")
    clients.shred_client(world.alice, gone)
    with pytest.raises(InputError, match="no audit anchor"):
        backup.restore_backup(tmp_path / "old.slbk", passphrase=PASSPHRASE, data_dir=tmp_path / "r",
                              settings=make_settings(), anchor_dir=tmp_path / "elsewhere")
    assert not (tmp_path / "r" / store.DB_FILENAME).exists()  # refused before anything was written
    result, ctx = _restore(world, tmp_path, "r2", without_anchor=True)  # the operator chose it, knowingly
    try:
        assert result["shreds_reapplied"] == 0
        assert clients.show_client(ctx, gone)["id"] == gone  # which is what the anchor prevents
    finally:
        ctx.vault.close()
