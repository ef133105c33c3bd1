"""Use cases: encrypted backup and verified restore.

A restore re-applies every shred the vault's audit anchor lists before anyone can use the restored vault:
a client shredded after the backup was taken stays shredded (their DEK is destroyed again).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..config import Settings
from ..errors import InputError, IntegrityError
from ..files import write_new_file
from ..payloads.services_backup import BackupCreated, BackupRestored
from ..payloads.vault_anchor import ShredMark
from ..payloads.vault_backup import BackupHeader
from ..vault import anchor, backup, home, shred, store
from ..vault.ids import now_iso
from ..vault.vault import Vault
from .context import Ctx
from .permissions import Action, require, unit_of_work


def create_backup(ctx: Ctx, path: str | Path) -> BackupCreated:
    """Write an encrypted backup to a new file and verify it by reading it back."""
    target = Path(path).expanduser()
    with unit_of_work(ctx) as conn:
        require(ctx, Action.BACKUP)
        ctx.vault.audit(conn, actor=ctx.who, action="backup.create", target=ctx.vault.vault_id)
        data, plain = backup.seal_backup(conn, ctx.vault.kek, now_iso(), str(ctx.vault.anchor_path.parent))
        write_new_file(target, data)
        if backup.open_backup(target.read_bytes(), ctx.vault.kek) != plain:
            target.unlink(missing_ok=True)
            raise IntegrityError("record backup does not read back byte for byte; it was removed")
    return {"path": str(target), "bytes": len(data), "sha256": hashlib.sha256(plain).hexdigest(), "verified": True}


def restore_backup(path: str | Path, *, passphrase: str | None = None, recovery_key: str | None = None,
                   data_dir: str | Path | None = None, settings: Settings | None = None,
                   anchor_dir: str | Path | None = None, without_anchor: bool = False) -> BackupRestored:
    """Restore a backup into an empty data directory (or database); verified byte for byte before commit.

    ``anchor_dir``: where the vault's audit anchor lives (default: where it lived when the backup was made,
    else ``audit_anchor_dir``). Without one the restore is refused unless ``without_anchor``.
    """
    settings = settings or Settings()
    source = Path(path).expanduser()
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", source=str(source)) from None
    header, _, _ = backup.read_header(data)
    kek = backup.unlock_header(header, passphrase=passphrase, recovery_key=recovery_key)
    plain = backup.open_backup(data, kek)
    shreds = _anchored_shreds(header, anchor_dir, settings, without_anchor)  # before anything is written
    directory = home.data_dir(settings, data_dir)
    url = home.database_url(settings, directory)
    if url.startswith("sqlite"):
        db = directory / home.DB_FILENAME
        if db.exists() and db.stat().st_size > 0:
            raise InputError(f"a vault already exists in {directory}; restore into an empty place")
        home.prepare(directory)
    engine = store.make_engine(url)
    backup.restore_into(engine, plain)
    vault = Vault.open(engine, passphrase=passphrase, recovery_key=recovery_key, settings=settings)
    try:
        reapplied = _reshred(vault, header, shreds)
        with vault.transaction() as conn:
            verdict = vault.verify_audit(conn)
    finally:
        vault.close()
    return {"vault": header["vault_id"], "data_dir": str(directory), "backup_created": header["created_at"],
            "sha256": hashlib.sha256(plain).hexdigest(), "verified": True, "audit_ok": verdict.ok,
            "shreds_reapplied": reapplied}


def _anchored_shreds(header: BackupHeader, anchor_dir: str | Path | None, settings: Settings,
                     without_anchor: bool) -> tuple[ShredMark, ...]:
    """Every shred the vault's anchors list (one anchor per database that held the vault)."""
    if without_anchor:
        return ()
    where = anchor_dir or header.get("anchor_dir") or settings.audit_anchor_dir
    found = anchor.all_for_vault(Path(where).expanduser(), header["vault_id"]) if where else []
    if not found:
        place = f" in {where}" if where else ""
        raise InputError(f"no audit anchor of vault {header['vault_id']} found{place}: it lists the clients "
                         "shredded since this backup, which must be shredded again; give its directory "
                         "(--anchor DIR), or restore --without-anchor to bring them back knowingly")
    seen: dict[tuple[str, int], ShredMark] = {}
    for a in found:
        for s in a.shreds:
            seen[(str(s["client"]), int(s["seq"]))] = s
    return tuple(seen.values())


def _reshred(vault: Vault, header: BackupHeader, shreds: tuple[ShredMark, ...]) -> int:
    """Shred again what the anchor lists, audit the restore, and restart the anchor at the restored head."""
    with vault.transaction() as conn:
        again = shred.reapply(vault, conn, shreds)
        vault.audit(conn, actor="system", action="backup.restore", target=vault.vault_id,
                    detail={"backup_created": header["created_at"], "shreds_reapplied": len(again)})
    if again:
        store.compact(vault.engine)
    anchor.restart(vault, shreds, {"at": now_iso(), "backup_created": header["created_at"],
                                   "shreds_reapplied": len(again)})
    return len(again)
