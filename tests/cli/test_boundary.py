"""The CLI error boundary: exit codes pass through, unexpected errors show no traceback and no content."""

from __future__ import annotations

import logging

import typer

from sessionlens.cli.app import app, run


@app.command("_test-exit", hidden=True)
def _exit_with(code: int) -> None:
    raise typer.Exit(code)


@app.command("_test-crash", hidden=True)
def _crash() -> None:
    raise ValueError("CANARY-SECRET-TEXT")


def test_typer_exit_code_passes_through():
    assert run(["_test-exit", "3"]) == 3
    assert run(["_test-exit", "0"]) == 0


def test_unexpected_error_is_one_line_without_message(capsys, caplog):
    with caplog.at_level(logging.ERROR, logger="sessionlens.events"):
        assert run(["_test-crash"]) == 1
    err = capsys.readouterr().err
    assert err == "sessionlens: internal error (ValueError); please report it\n"
    [record] = [r for r in caplog.records if r.getMessage() == "cli.internal_error"]
    assert record.sl_fields == {"command": "_test-crash", "error": "ValueError"}
    assert "CANARY" not in caplog.text


def test_no_arguments_prints_help(capsys):
    assert run([]) == 0
    assert "analyze" in capsys.readouterr().out
