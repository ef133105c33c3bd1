"""Attack: get around the sign-in throttle by a restart, or flood the audit trail with refusals (issue 17, item 4).

Before: the throttle lived in memory only (a crash or restart of the web server, which an attacker may be
able to provoke, gave every address and account a fresh allowance), and refused attempts (429) were not
audited at all. Now failure times are kept in a state file in the data directory (keyed hashes, never
the name or address typed), and refusals are audited in aggregate: at most one ``login.throttled`` entry
per source per window, carrying the count refused since the last one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from sessionlens.services.signin_guard import STATE_FILE, SignInGuard, ThrottledError, record_refusal
from sessionlens.vault.models import audit_log
from tests.web.helpers import PASSPHRASE, browser, make_vault

from .test_signin_guessing import _audit_rows, _post


@pytest.fixture
def vault_dir(tmp_path: Path) -> Path:
    make_vault(tmp_path / "v")
    return tmp_path / "v"


def test_a_restart_does_not_reset_the_throttle(vault_dir: Path) -> None:
    with browser(vault_dir, lockout_attempts=2) as client:
        assert [_post(client, "", f"wrong passphrase {i}").status_code for i in range(2)] == [401, 401]
        assert _post(client, "", PASSPHRASE).status_code == 429
    with browser(vault_dir, lockout_attempts=2) as client:  # the web server restarted
        assert _post(client, "", PASSPHRASE).status_code == 429  # still refused, before any Argon2
    state = (vault_dir / STATE_FILE).read_text()
    assert (vault_dir / STATE_FILE).stat().st_mode & 0o077 == 0
    assert "testclient" not in state and "wrong" not in state  # keyed hashes only


def test_refusals_are_audited_once_per_source_per_window(vault_dir: Path) -> None:
    with browser(vault_dir, lockout_attempts=2) as client:
        assert _post(client, "", PASSPHRASE).status_code == 303  # the vault is open: refusals can be audited
        assert [_post(client, "carol", f"guess-number-{i}").status_code for i in range(2)] == [401, 401]
        assert {_post(client, "carol", f"guess-number-{i}").status_code for i in range(30)} == {429}
    entries = _audit_rows(vault_dir, "login.throttled")
    assert len(entries) == 1, "30 refusals in one window must not write 30 entries"
    assert json.loads(entries[0].detail)["count"] == 1


def test_the_next_window_carries_the_count(world) -> None:  # type: ignore[no-untyped-def]
    now = [1000.0]
    guard = SignInGuard(1, 1, 60, clock=lambda: now[0])
    guard.failed("203.0.113.9", "someone", "bad_password")
    for _ in range(50):
        with pytest.raises(ThrottledError):
            guard.check("203.0.113.9", "someone")
        record_refusal(world.vault, guard, "203.0.113.9")
    now[0] += 61
    guard.failed("203.0.113.9", "someone", "bad_password")
    with pytest.raises(ThrottledError):
        guard.check("203.0.113.9", "someone")
    record_refusal(world.vault, guard, "203.0.113.9")
    with world.vault.transaction() as conn:
        rows = list(conn.execute(select(audit_log).where(audit_log.c.action == "login.throttled")))
    assert [json.loads(r.detail)["count"] for r in rows] == [1, 50]  # 51 refusals, two entries
