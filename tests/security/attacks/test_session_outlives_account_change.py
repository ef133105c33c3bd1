"""Attack: keep using a web session after the practice took the account's access away (issue 17, finding 6).

A clinician who is let go, or whose password was reset because it leaked, keeps a browser session that
was made at sign-in. Disabling, resetting or changing the role of the account must end that session on
its very next request, not when it expires hours later.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from sessionlens.services import accounts as account_cases
from sessionlens.services import vaults
from tests.vault.helpers import _derive_once  # noqa: F401  (autouse: Argon2 memoised; the attack is about sessions)
from tests.web.helpers import BASE, CAROL_PASSWORD, PASSPHRASE, browser, make_vault, settings, sign_in


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("session-vault")
    make_vault(directory)
    return directory


@pytest.fixture
def vault_dir(template: Path, tmp_path: Path) -> Path:
    shutil.copytree(template, tmp_path / "v")
    return tmp_path / "v"


def _owner_ctx(client):  # type: ignore[no-untyped-def]
    """The owner acting on the web app's open vault (as the accounts page would)."""
    vault = client.app.state.web.vault
    return vaults.sign_in_owner(vault)


@pytest.mark.parametrize("change", ["disable", "reset password", "demoted"])
def test_session_ends_at_once_when_the_account_changes(vault_dir: Path, change: str) -> None:
    with browser(vault_dir) as owner:
        carol = TestClient(owner.app, base_url=BASE, follow_redirects=False)  # one server, two browsers
        sign_in(owner)
        sign_in(carol, "carol", CAROL_PASSWORD)
        assert carol.get("/api/clients").status_code == 200
        ctx = _owner_ctx(owner)
        if change == "disable":
            account_cases.disable_account(ctx, "carol")
        elif change == "reset password":
            account_cases.set_password(ctx, "carol", "a-brand-new-password-2")
        else:
            account_cases.change_role(ctx, "carol", "supervisor")
        assert carol.get("/api/clients").status_code == 401
        assert carol.get("/clients").status_code in (303, 307)  # pages send the browser to sign in
        assert owner.get("/api/clients").status_code == 200  # nobody else is affected


def test_session_of_an_unchanged_account_goes_on(vault_dir: Path) -> None:
    with browser(vault_dir) as client:
        sign_in(client, "", PASSPHRASE)
        for _ in range(3):
            assert client.get("/api/clients").status_code == 200
    assert settings().lockout_attempts > 0
