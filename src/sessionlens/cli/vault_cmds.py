"""`sessionlens init|backup|restore|audit|account|retention`; also registers client/consent/session."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import InputError, IntegrityError
from ..files import write_new_file
from ..lazy import lazy
from ..services.roles import Role
from . import clinical_cmds as _clinical  # noqa: F401  (registers client/consent/session)
from .app import app
from .vault_common import DataDir, Json, User, emit, passphrase, run_signed_in, secret, settings_for, signed_in

accounts = lazy("sessionlens.services.accounts")
audit = lazy("sessionlens.services.audit")
backup = lazy("sessionlens.services.backup")
retention = lazy("sessionlens.services.retention")
vaults = lazy("sessionlens.services.vaults")

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
account_app = typer.Typer(help="Accounts: clinician, supervisor, admin (admins and the owner manage them).",
                          no_args_is_help=True)
retention_app = typer.Typer(help="Retention: delete what policy says is no longer needed.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
app.add_typer(account_app, name="account")
app.add_typer(retention_app, name="retention")


@app.command()
def init(
    user: Annotated[Optional[str], typer.Option("--user", envvar="SESSIONLENS_USER",
                                                help="Owner account name (default: your login name).")] = None,
    role: Annotated[Role, typer.Option("--role", help="Owner's role: clinician (one practitioner) or admin "
                                       "(a practice server).")] = Role.CLINICIAN,
    data_dir: DataDir = None, as_json: Json = False,
) -> None:
    """Create a vault, set its passphrase and print the recovery key — once."""
    settings, directory = settings_for(data_dir)
    owner = (user or getpass.getuser() or "owner").lower()
    created = vaults.init_vault(passphrase(confirm=True), owner, role=role, data_dir=directory, settings=settings)
    anchored = created.ctx.vault.read_anchor()  # written at init, outside the database
    created.ctx.vault.close()
    escrow = anchored.escrow if anchored else None
    result = {"vault": created.ctx.vault.vault_id, "data_dir": str(created.data_dir), "owner": owner,
              "role": role.value, "recovery_key": created.recovery_key, "escrow_fingerprint": escrow}
    emit(result, as_json, f"vault {result['vault']} created in {created.data_dir} (owner: {owner})\n\n"
                          f"RECOVERY KEY (shown once; write it down and keep it apart from this computer):\n\n"
                          f"    {created.recovery_key}\n\n"
                          f"Escrow key fingerprint (pinned in the audit anchor; keep a copy with the recovery key):\n"
                          f"    {escrow}\n")


@app.command("backup")
def backup_cmd(file: Annotated[Path, typer.Argument(help="New backup file to write (encrypted).")],
               data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Write an encrypted backup of the whole vault and verify it by reading it back."""
    with signed_in(data_dir, user) as ctx:
        result = backup.create_backup(ctx, file)
    emit(result, as_json, f"backup written to {result['path']} ({result['bytes']} bytes, verified)")


@app.command("restore")
def restore_cmd(
    file: Annotated[Path, typer.Argument(help="Backup file.")],
    recovery: Annotated[bool, typer.Option("--recovery-key", help="Unlock with the recovery key instead "
                                           "(prompted, or SESSIONLENS_RECOVERY_KEY).")] = False,
    anchor: Annotated[Optional[Path], typer.Option("--anchor", help="The vault's audit anchor directory (default: "
                                                   "where it was when the backup was made).")] = None,
    without_anchor: Annotated[bool, typer.Option("--without-anchor", help="Restore without the anchor: clients "
                                                 "shredded since the backup come back.")] = False,
    data_dir: DataDir = None, as_json: Json = False,
) -> None:
    """Restore a backup into an empty data directory; verified byte for byte; shreds since the backup re-applied."""
    settings, directory = settings_for(data_dir)
    where = {"data_dir": directory, "settings": settings, "anchor_dir": anchor, "without_anchor": without_anchor}
    if recovery:
        key = secret("SESSIONLENS_RECOVERY_KEY", "Recovery key")
        result = backup.restore_backup(file, recovery_key=key, **where)
    else:
        result = backup.restore_backup(file, passphrase=passphrase(), **where)
    emit(result, as_json, f"vault {result['vault']} restored into {result['data_dir']} (verified byte for byte; "
                          f"{result['shreds_reapplied']} shred(s) since the backup re-applied)")


@app.command("passphrase")
def passphrase_cmd(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Change the vault passphrase (the new one is prompted twice, or SESSIONLENS_NEW_PASSPHRASE)."""
    with signed_in(data_dir, user) as ctx:
        new = secret("SESSIONLENS_NEW_PASSPHRASE", "New vault passphrase", confirm=True)
        result = vaults.change_passphrase(ctx, new)
    emit(result, as_json, "passphrase changed; the recovery key still works")


# --- audit --------------------------------------------------------------------------------------

@audit_app.command("verify")
def audit_verify(head: Annotated[Optional[Path], typer.Option("--head", help="A chain head exported earlier "
                                                              "(`audit head`) that must still be in the chain.")] = None,
                 anchor_copy: Annotated[Optional[Path], typer.Option(
                     "--anchor-copy", help="The append-only copy of the anchored heads (audit_anchor_copy): every "
                     "head in it must still be in the chain.")] = None,
                 data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Check every entry of the audit chain; names the first bad one (exit 3 when broken)."""
    known = _read_head(head) if head else None
    with signed_in(data_dir, user) as ctx:
        result = audit.verify_audit(ctx, known, anchor_copy)
    emit(result, as_json, result["message"])
    if not result["ok"]:
        raise IntegrityError(result["message"])  # exit 3 through the error boundary


def _read_head(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise InputError("cannot read a chain head (JSON) from it", source=str(path)) from None


@audit_app.command("head")
def audit_head(output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the head to this "
                                                              "new file.")] = None,
               data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Export the current chain head (keep it elsewhere; check later with `audit verify --head`)."""
    with signed_in(data_dir, user) as ctx:
        result = audit.export_head(ctx)
    text = json.dumps(result, indent=2) + "\n"
    if output is not None:
        write_new_file(output, text.encode())
    if as_json or output is None:
        sys.stdout.write(text)
    else:
        typer.echo(f"chain head #{result['seq']} written to {output}")


# --- accounts -----------------------------------------------------------------------------------

@account_app.command("add")
def account_add(username: str, role: Annotated[Role, typer.Option("--role")],
                data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Add an account; its password is prompted (or SESSIONLENS_NEW_PASSWORD)."""
    password = secret("SESSIONLENS_NEW_PASSWORD", f"New password for {username}", confirm=True)
    with signed_in(data_dir, user) as ctx:
        result = accounts.add_account(ctx, username, role, password)
    emit(result, as_json, f"account {username} ({role.value}) added")


@account_app.command("list")
def account_list(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """List accounts."""
    with signed_in(data_dir, user) as ctx:
        result = accounts.list_accounts(ctx)
    emit(result, as_json, "\n".join(f"{a['username']}  {a['role']}" + ("  (owner)" if a["owner"] else "") +
                                    ("  disabled" if a["disabled"] else "") +
                                    (f"  locked until {a['locked_until']}" if a["locked_until"] else "")
                                    for a in result))


@account_app.command("unlock")
def account_unlock(username: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Lift a lock-out."""
    with signed_in(data_dir, user) as ctx:
        result = accounts.unlock_account(ctx, username)
    emit(result, as_json, f"account {username} unlocked")


@account_app.command("disable")
def account_disable(username: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Disable an account (it can no longer sign in)."""
    run_signed_in(data_dir, user, as_json, lambda ctx: accounts.disable_account(ctx, username, True),
                  f"account {username} disabled")


@account_app.command("enable")
def account_enable(username: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Re-enable a disabled account."""
    run_signed_in(data_dir, user, as_json, lambda ctx: accounts.disable_account(ctx, username, False),
                  f"account {username} enabled")


# --- retention ----------------------------------------------------------------------------------

@retention_app.command("apply")
def retention_apply(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Apply the retention settings now; every deletion leaves an audit receipt."""
    with signed_in(data_dir, user) as ctx:
        result = retention.apply_retention(ctx)
    emit(result, as_json, f"{len(result['deleted'])} records deleted by retention")
