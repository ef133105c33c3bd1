"""Web test fixtures: Argon2 derivations memoised (same parameters), one small vault per module."""

from __future__ import annotations

import functools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sessionlens.vault import keys

from .helpers import make_vault


@pytest.fixture(scope="session", autouse=True)
def _derive_once() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(keys, "derive_passphrase_key", functools.cache(keys.derive_passphrase_key))
        yield


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
