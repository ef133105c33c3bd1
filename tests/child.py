"""Run code that calls native libraries in a child process, so that a native crash (a segfault in a compiled
dependency built for the wrong CPU, say) is reported as a failed test naming the signal, never as a dead run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest


def run_child(code: str, *, timeout: float = 600.0, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; it reports by printing one JSON object as its last stdout line.

    Fails the calling test with the signal's name if the child dies of one, with its stderr tail if it exits
    non-zero, and with a clear message if it hangs past ``timeout``."""
    try:
        proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                              timeout=timeout, env={**os.environ, **(env or {})})
    except subprocess.TimeoutExpired:
        pytest.fail(f"the child process did not finish within {timeout:.0f} s")
    if proc.returncode < 0:
        name = signal.Signals(-proc.returncode).name
        pytest.fail(f"native crash: the child process died of {name} ({-proc.returncode}); "
                    f"stderr tail: {proc.stderr[-800:]}")
    if proc.returncode != 0:
        pytest.fail(f"the child process exited with status {proc.returncode}: {proc.stderr[-1500:]}")
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines, f"the child process printed nothing; stderr: {proc.stderr[-800:]}"
    return json.loads(lines[-1])
