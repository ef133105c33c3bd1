"""Issue 19: `sessionlens jobs list|cancel|retry` and `sessionlens account role` (same use cases as the pages)."""

from __future__ import annotations

from sessionlens.cli.vault_common import settings_for
from sessionlens.services import server_jobs, vaults
from sessionlens.services.keyring import MemoryKeyring
from sessionlens.vault import job_rows as R
from sessionlens.vault import store

from .helpers import DEMO
from .test_cli import PASS, Cli, cli, session  # noqa: F401  (fixtures)


class _Later:
    def dispatch(self, job_id: str) -> None:  # the job stays queued until the CLI acts on it
        pass


def _submit(client: str, *, fail: bool = False) -> str:
    settings, directory = settings_for(None)
    with vaults.signed_in(PASS, settings=settings, data_dir=directory) as ctx:
        job = server_jobs.submit_transcript(ctx, client, DEMO.read_bytes(), source="demo.vtt", runner=_Later(),
                                            keyring=MemoryKeyring())["id"]
        if fail:  # as a run that failed for good leaves it
            with store.transaction(ctx.vault.engine) as conn:
                R.set_state(conn, job, R.FAILED, step="failed", message="interrupted")
    return job


def test_jobs_list_cancel_retry(cli: Cli, session) -> None:  # noqa: F811
    client, _ = session
    queued, failed = _submit(client), _submit(client, fail=True)
    assert {j["id"]: j["state"] for j in cli.ok("jobs", "list")} == {queued: "queued", failed: "failed"}
    rc, out, _ = cli("jobs", "list")
    assert rc == 0 and failed in out and "interrupted" in out
    assert cli.ok("jobs", "cancel", queued)["state"] == "cancelled"
    cli.fails("jobs", "cancel", queued, match="only a queued, waiting or running job")
    cli.fails("jobs", "retry", queued, match="only a failed job")
    cli.fails("jobs", "cancel", "j-nosuchjob", match="not found")
    done = cli.ok("jobs", "retry", failed)  # laptop: runs in this process, the command waits for it
    assert done["state"] == "done" and done["session"], done


def test_account_role(cli: Cli, session, monkeypatch) -> None:  # noqa: F811
    monkeypatch.setenv("SESSIONLENS_NEW_PASSWORD", "bob-password-123")
    cli.ok("account", "add", "bob", "--role", "supervisor")
    assert cli.ok("account", "role", "bob", "admin")["role"] == "admin"
    rc, out, _ = cli("account", "role", "bob", "clinician")
    assert rc == 0 and "bob is now clinician" in out
    cli.fails("account", "role", "alice", "admin", match="its own role")
    cli.fails("account", "role", "bob", "root")
    cli.fails("account", "role", "nobody", "admin", match="no account named nobody")
