"""Use cases: encrypted backup and verified restore."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import InputError, IntegrityError
from ..files import write_new_file
from ..vault import backup, home, store
from ..vault.ids import now_iso
from ..vault.vault import Vault
from .context import Ctx
from .permissions import Action, require, unit_of_work


def create_backup(ctx: Ctx, path: str | Path) -> dict[str, Any]:
    """Write an encrypted backup to a new file and verify it by reading it back."""
    target = Path(path).expanduser()
    with unit_of_work(ctx) as conn:
        require(ctx, Action.BACKUP)
        ctx.vault.audit(conn, actor=ctx.who, action="backup.create", target=ctx.vault.vault_id)
        data, plain = backup.seal_backup(conn, ctx.vault.kek, now_iso())
        write_new_file(target, data)
        if backup.open_backup(target.read_bytes(), ctx.vault.kek) != plain:
            target.unlink(missing_ok=True)
            raise IntegrityError("record backup does not read back byte for byte; it was removed")
    return {"path": str(target), "bytes": len(data), "sha256": hashlib.sha256(plain).hexdigest(), "verified": True}


def restore_backup(path: str | Path, *, passphrase: str | None = None, recovery_key: str | None = None,
                   data_dir: str | Path | None = None, settings: Settings | None = None) -> dict[str, Any]:
    """Restore a backup into an empty data directory (or database); verified byte for byte before commit."""
    settings = settings or Settings()
    source = Path(path).expanduser()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source=str(source)) from None
    header, _, _ = backup.read_header(data)
    kek = backup.unlock_header(header, passphrase=passphrase, recovery_key=recovery_key)
    plain = backup.open_backup(data, kek)
    directory = home.data_dir(settings, data_dir)
    url = home.database_url(settings, directory)
    if url.startswith("sqlite"):
        db = directory / store.DB_FILENAME
        if db.exists() and db.stat().st_size > 0:
            raise InputError(f"a vault already exists in {directory}; restore into an empty place")
        home.prepare(directory)
    engine = store.make_engine(url)
    backup.restore_into(engine, plain)
    vault = Vault.open(engine, passphrase=passphrase, recovery_key=recovery_key, settings=settings)
    with vault.transaction() as conn:
        verdict = vault.verify_audit(conn)
        vault.audit(conn, actor="system", action="backup.restore", target=vault.vault_id,
                    detail={"backup_created": header["created_at"], "audit_ok": verdict.ok})
    vault.close()
    return {"vault": header["vault_id"], "data_dir": str(directory), "backup_created": header["created_at"],
            "sha256": hashlib.sha256(plain).hexdigest(), "verified": True, "audit_ok": verdict.ok}
