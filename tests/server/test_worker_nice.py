"""Workers are batch work: `sessionlens worker` runs at niceness 10 so the web wins the CPU (issue 19)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from celery.signals import worker_init

from sessionlens.jobs.celery_app import WORKER_NICE, _on_worker_init, make_app

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "sessionlens-worker@.service"

# In a child: os.nice cannot be undone, and the test process must keep its own priority.
_PROBE = """
import os
from sessionlens.jobs.celery_app import lower_priority
start = int(os.environ["START"])
os.nice(max(0, start - os.nice(0)))  # pytest itself may run under `nice`
print(lower_priority(10), os.nice(0))
"""


def _probe(start: int) -> tuple[int, int]:
    env = {**os.environ, "START": str(start)}
    out = subprocess.run([sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True,
                         check=True, timeout=60).stdout.split()
    return int(out[0]), int(out[1])


def test_lower_priority_raises_to_ten_and_never_lowers() -> None:
    base = os.nice(0)
    assert _probe(base) == (max(base, 10),) * 2
    assert _probe(15) == (15, 15)  # a niceness given by the operator is kept


def test_worker_start_hook_is_connected_and_unit_sets_nice() -> None:
    make_app()
    assert any(key[0] == id(_on_worker_init) for key, _ in worker_init.receivers)
    assert WORKER_NICE == 10
    assert "\nNice=10\n" in UNIT.read_text()
