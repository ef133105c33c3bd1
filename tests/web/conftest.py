"""Web test fixtures: Argon2 derivations memoised (same parameters), one small vault per module, alice signed in."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ..vault.helpers import _derive_once  # noqa: F401  (the same autouse fixture: one memoised derivation)
from .helpers import browser, make_vault, sign_in


@pytest.fixture(scope="session")
def vault_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    directory = tmp_path_factory.mktemp("web-vault")
    return directory, make_vault(directory)


@pytest.fixture
def vault(vault_template: tuple[Path, dict[str, str]], tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A private copy of the template vault for one test."""
    source, ids = vault_template
    target = tmp_path / "vault"
    shutil.copytree(source, target)
    return target, ids


@dataclass(frozen=True)
class SignedIn:
    """A browser signed in as alice (the owner) on a private copy of the template vault."""

    client: TestClient
    directory: Path
    ids: dict[str, str]
    csrf: str

    @property
    def h(self) -> dict[str, str]:
        """The header every state-changing API request needs."""
        return {"x-csrf-token": self.csrf}

    @property
    def sid(self) -> str:
        return self.ids["session"]


@pytest.fixture
def alice(vault: tuple[Path, dict[str, str]]) -> Iterator[SignedIn]:
    directory, ids = vault
    with browser(directory) as client:
        yield SignedIn(client, directory, ids, sign_in(client))
