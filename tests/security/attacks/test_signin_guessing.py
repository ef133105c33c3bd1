"""Attack: guess passwords and passphrases online through the sign-in form (issue 17, finding 4).

What the attacker tries, and what must hold:
* hammer the form: after a few failures per account name or per address, answers are 429 *before* any
  Argon2 derivation (counted while nobody is signed in too);
* tell accounts apart: unknown, wrong password, locked (right password!) and disabled answer alike;
* go unseen: every failure, also a wrong owner passphrase while the vault is closed, reaches the audit trail;
* stall everyone: one slow derivation does not hold the keeper's lock (other sign-ins, the idle sweeper);
* learn whether someone is signed in: the sign-in page looks the same with the vault open or closed.
"""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sessionlens.errors import AuthError
from sessionlens.services import accounts as account_cases
from sessionlens.services import vaults
from sessionlens.vault import keys
from sessionlens.vault.models import audit_log
from tests.web.helpers import (CAROL_PASSWORD, PASSPHRASE, browser, make_vault, opened, post_signin, settings,
                               sign_in)

WRONG = "not the passphrase at all"


def _dora_disabled(owner: Any, ids: dict[str, str]) -> None:
    account_cases.add_account(owner, "dora", "clinician", "dora-password-1")
    account_cases.disable_account(owner, "dora")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    directory = tmp_path_factory.mktemp("signin-vault")
    return directory, make_vault(directory, _dora_disabled)


@pytest.fixture
def vault_dir(template: tuple[Path, dict[str, str]], tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(template[0], tmp_path / "v")
    return tmp_path / "v"


@pytest.fixture
def derivations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Count Argon2 derivations of passphrase keys (the expensive step the throttle must come before)."""
    seen: list[str] = []
    original = keys.derive_passphrase_key

    def counting(secret: str, *args: object, **kwargs: object) -> bytes:
        seen.append(secret)
        return original(secret, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(keys, "derive_passphrase_key", counting)
    return seen


_post = post_signin  # the attacker fills in the form as a browser would, optionally behind the proxy (ip)


def _message(answer) -> str:  # type: ignore[no-untyped-def]
    found = re.search(r'id="signin-error">([^<]*)<', answer.text)
    return found.group(1) if found else ""


def _audit_rows(directory: Path, action: str) -> list:
    """The audit entries of one action, read with the vault opened directly (no sign-in of its own)."""
    with opened(directory) as vault, vault.transaction() as conn:
        return list(conn.execute(select(audit_log).where(audit_log.c.action == action)))


def test_signin_guessing_the_passphrase_is_throttled_before_argon2_while_the_vault_is_closed(
        vault_dir: Path, derivations: list[str]) -> None:
    with browser(vault_dir, lockout_attempts=3) as client:
        answers = [_post(client, "", f"{WRONG} {i}").status_code for i in range(3)]
        assert answers == [401, 401, 401]
        before = len(derivations)
        throttled = _post(client, "", PASSPHRASE)  # even the right passphrase waits now: no oracle
        assert throttled.status_code == 429 and "try again in" in _message(throttled)
        assert len(derivations) == before, "the throttle must answer before any Argon2 derivation"


def test_signin_guessing_many_accounts_from_one_address_is_throttled(vault_dir: Path) -> None:
    from fastapi.testclient import TestClient

    with browser(vault_dir, lockout_attempts=2) as direct:
        # as the loopback proxy (Caddy) sees it: the peer is 127.0.0.1, the client's address is X-Forwarded-For
        client = TestClient(direct.app, base_url="https://127.0.0.1", follow_redirects=False,
                            client=("127.0.0.1", 40000))
        codes = [_post(client, f"user{i}", "some-guess-123", ip="203.0.113.7").status_code for i in range(8)]
        assert codes == [401] * 8  # per account 2, per address 4 x 2 = 8
        assert _post(client, "user99", "some-guess-123", ip="203.0.113.7").status_code == 429
        # another address is not punished for it
        assert _post(client, "user99", "some-guess-123", ip="198.51.100.2").status_code == 401
        # a client that is not the local proxy cannot pick its own address to dodge the throttle
        spoofing = [_post(direct, f"spoof{i}", "some-guess-123", ip=f"192.0.2.{i}").status_code for i in range(9)]
        assert spoofing[-1] == 429


def test_signin_unknown_wrong_locked_and_disabled_accounts_answer_alike(vault_dir: Path) -> None:
    vault = vaults.open_vault(passphrase=PASSPHRASE, data_dir=vault_dir, settings=settings(lockout_attempts=3))
    for _ in range(3):  # lock carol in the database (the lock-out counter, not the throttle)
        with pytest.raises(AuthError):
            vaults.login(vault, "carol", "wrong-password-x")
    vault.close()
    with browser(vault_dir, lockout_attempts=50) as client:
        sign_in(client)  # the owner opens the vault: the account checks run against it
        texts = {
            "unknown": _message(_post(client, "nobody", "whatever-pass-1", ip="192.0.2.1")),
            "wrong": _message(_post(client, "alice", "whatever-pass-1", ip="192.0.2.2")),
            "locked, right password": _message(_post(client, "carol", CAROL_PASSWORD, ip="192.0.2.3")),
            "disabled, right password": _message(_post(client, "dora", "dora-password-1", ip="192.0.2.4")),
        }
    assert len(set(texts.values())) == 1 and all(texts.values()), texts


def test_signin_failed_owner_passphrases_are_audited_even_while_the_vault_is_closed(vault_dir: Path) -> None:
    before = len(_audit_rows(vault_dir, "login.failed"))
    with browser(vault_dir) as client:
        assert _post(client, "", WRONG, ip="203.0.113.9").status_code == 401
        assert _post(client, "", WRONG + "!", ip="203.0.113.9").status_code == 401
        sign_in(client)  # the vault opens: what happened while it was closed enters its audit trail
    found = _audit_rows(vault_dir, "login.failed")[before:]
    assert len(found) == 2
    assert all("bad_passphrase" in str(e.detail) and "while_closed" in str(e.detail) for e in found)
    assert all(WRONG not in str(tuple(e)) for e in found)  # the guess itself is never written


def test_signin_one_slow_derivation_does_not_stall_the_sweeper_or_other_sign_ins(
        vault_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = keys.derive_passphrase_key

    def slow(secret: str, *args: object, **kwargs: object) -> bytes:
        if secret.startswith("slow"):
            time.sleep(2.0)
        return original(secret, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(keys, "derive_passphrase_key", slow)
    with browser(vault_dir) as client:
        state = client.app.state.web  # type: ignore[attr-defined]
        attacker = threading.Thread(target=lambda: _post(client, "", "slow guess of the passphrase"))
        attacker.start()
        time.sleep(0.3)
        started = time.monotonic()
        state.lock_if_idle()  # the idle sweeper
        assert time.monotonic() - started < 1.0, "the sweeper waited for someone else's Argon2"
        attacker.join()


def test_signin_page_does_not_say_whether_the_vault_is_open(vault_dir: Path) -> None:
    from fastapi.testclient import TestClient

    def page(client: TestClient) -> str:
        return re.sub(r'value="[^"]+"', "", client.get("/signin").text)

    with browser(vault_dir) as clinician:
        stranger = TestClient(clinician.app, base_url="https://127.0.0.1", follow_redirects=False)
        closed = page(stranger)
        sign_in(clinician)
        assert clinician.app.state.web.vault is not None  # type: ignore[attr-defined]
        assert page(stranger) == closed
