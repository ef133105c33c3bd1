"""`sessionlens serve`: loopback by default, HTTPS required beyond it, no secrets on the command line."""

from __future__ import annotations

import pytest

from sessionlens.cli import run
from sessionlens.cli.web_cmds import server_settings
from sessionlens.errors import ConfigError


def test_defaults_to_loopback() -> None:
    s = server_settings(None, None)
    assert s.web_host == "127.0.0.1" and s.web_port == 8765


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "example.org"])
def test_beyond_loopback_needs_tls(host: str) -> None:
    with pytest.raises(ConfigError, match="HTTPS"):
        server_settings(host, None)


def test_help_offers_no_secret_option(capsys) -> None:
    assert run(["serve", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--host" in out
    assert "--passphrase" not in out and "--password" not in out
