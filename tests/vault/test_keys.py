"""Key hierarchy: Argon2id floor, passphrase / recovery unlock, wrong secrets change nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from sessionlens.config import Settings
from sessionlens.errors import AuthError, ConfigError
from sessionlens.vault import keys, store
from sessionlens.vault.vault import Vault, kdf_params

from .helpers import PASSPHRASE, make_settings


def test_shipped_kdf_parameters_meet_the_floor():
    p = kdf_params(Settings(env={}))
    assert p.memory_kib >= 64 * 1024 and p.time_cost >= 3 and p.parallelism == 4


@pytest.mark.parametrize("params", [keys.KdfParams(32 * 1024, 3, 4), keys.KdfParams(64 * 1024, 2, 4),
                                    keys.KdfParams(64 * 1024, 3, 0)])
def test_weak_kdf_parameters_are_refused(params):
    with pytest.raises(ConfigError):
        keys.derive_passphrase_key("a passphrase", b"s" * 16, params)


@pytest.mark.parametrize("name,value", [("kdf_memory_mib", "32"), ("kdf_time_cost", "1"), ("min_passphrase_length", "4")])
def test_weak_settings_are_refused(name, value):
    with pytest.raises(ConfigError):
        Settings(env={f"SESSIONLENS_{name.upper()}": value})


def test_recovery_key_round_trip_and_typo_detection():
    text = keys.new_recovery_key()
    assert keys.recovery_key_bytes(text) == keys.recovery_key_bytes(text.lower().replace("-", " "))
    typo = ("A" if text[0] != "A" else "B") + text[1:]
    with pytest.raises(AuthError):
        keys.recovery_key_bytes(typo)
    with pytest.raises(AuthError):
        keys.recovery_key_bytes("not a key")


def _files(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def test_wrong_passphrase_is_a_clear_error_and_changes_nothing(tmp_path):
    engine = store.make_engine(store.sqlite_url(tmp_path))
    vault, _ = Vault.create(engine, PASSPHRASE, make_settings())
    vault.close()
    before = _files(tmp_path)
    with pytest.raises(AuthError, match="wrong passphrase"):
        Vault.open(store.make_engine(store.sqlite_url(tmp_path)), passphrase="not the passphrase",
                   settings=make_settings())
    assert _files(tmp_path) == before


def test_recovery_key_opens_and_passphrase_can_change(tmp_path):
    engine = store.make_engine(store.sqlite_url(tmp_path))
    vault, recovery = Vault.create(engine, PASSPHRASE, make_settings())
    kek = vault.kek
    assert Vault.open(engine, recovery_key=recovery, settings=make_settings()).kek == kek
    vault.change_passphrase("a brand new passphrase")
    with pytest.raises(AuthError):
        Vault.open(engine, passphrase=PASSPHRASE, settings=make_settings())
    assert Vault.open(engine, passphrase="a brand new passphrase", settings=make_settings()).kek == kek
    with pytest.raises(AuthError, match="recovery key"):
        Vault.open(engine, recovery_key=keys.new_recovery_key(), settings=make_settings())


def test_short_passphrase_refused_at_init(tmp_path):
    from sessionlens.errors import InputError

    with pytest.raises(InputError, match="at least 12"):
        Vault.create(store.make_engine(store.sqlite_url(tmp_path)), "short", make_settings())


def test_no_key_material_or_passphrase_in_the_database(tmp_path):
    engine = store.make_engine(store.sqlite_url(tmp_path))
    vault, recovery = Vault.create(engine, PASSPHRASE, make_settings())
    kek = vault.kek
    vault.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert kek not in raw and PASSPHRASE.encode() not in raw and recovery.encode() not in raw
