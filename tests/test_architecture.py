"""The house rules of docs/architecture.md hold: the import-linter contracts in .importlinter are all kept.

(stages never import storage, use cases, jobs, web or CLI; web and CLI reach the vault only through services;
services never import the edges; no import cycles between the packages.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    config = (ROOT / ".importlinter").read_text(encoding="utf-8")
    assert config.count("[importlinter:contract:") >= 4
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter"), "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "0 broken" in done.stdout
