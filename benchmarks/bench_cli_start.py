"""How fast the CLI starts: `sessionlens --help` and `client list`, and the key derivation inside the latter.

Reproduce: `make bench BENCH=cli_start`. Targets (issue 16): `--help` ≤ 0.5 s; `client list` ≤ 1 s plus the
deliberate passphrase key derivation (Argon2id, measured on its own here with the vault's parameters).
Each command runs as a fresh process (as a user runs it), REPEAT times; medians are reported (the machine
is shared). A throwaway vault with one client is created in a temporary folder. With
``BENCH_CLI_BEFORE=<git revision>`` the same `--help` is also timed on that revision's source (same venv,
same run), for a before/after ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.run import machine

REPEAT = 9
PASSPHRASE = "benchmark passphrase, not a secret"
HELP_TARGET_S, LIST_TARGET_S = 0.5, 1.0
EXE = [sys.executable, "-m", "sessionlens"]


ROOT = Path(__file__).resolve().parents[1]


def _before_help_s(rev: str, env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory(prefix="sessionlens-before-") as tree:
        archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tree], input=archive, check=True)
        return statistics.median(_runs(["--help"], {**env, "PYTHONPATH": str(Path(tree) / "src")}))


def _runs(argv: list[str], env: dict[str, str]) -> list[float]:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        subprocess.run(EXE + argv, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def _derivation_s(env: dict[str, str]) -> float:
    code = ("import time, statistics; from sessionlens.config import Settings; from sessionlens.vault import keys, "
            "vault; p = vault.kdf_params(Settings()); salt = b'0' * 16; t = []\n"
            "for _ in range(%d):\n s = time.perf_counter(); keys.derive_passphrase_key('x' * 20, salt, p); "
            "t.append(time.perf_counter() - s)\nprint(statistics.median(t))" % REPEAT)
    return float(subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                                text=True).stdout)


def main() -> str:
    with tempfile.TemporaryDirectory(prefix="sessionlens-cli-") as home:
        env = {**os.environ, "SESSIONLENS_HOME": home, "SESSIONLENS_PASSPHRASE": PASSPHRASE}
        subprocess.run(EXE + ["init"], env=env, check=True, capture_output=True)
        subprocess.run(EXE + ["client", "add"], env=env, check=True, capture_output=True, input=b"Benchmark Person\n")
        help_s = statistics.median(_runs(["--help"], env))
        list_s = statistics.median(_runs(["client", "list"], env))
        kdf_s = _derivation_s(env)
        before = os.environ.get("BENCH_CLI_BEFORE", "")
        before_s = _before_help_s(before, env) if before else None
    rest = list_s - kdf_s
    before_row = [f"| `sessionlens --help` at {before} (before) | {before_s:.2f} s | |"] if before_s else []
    return "\n".join([
        "## CLI start-up",
        "",
        f"Machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}. "
        f"Reproduce: `make bench BENCH=cli_start`. Medians of {REPEAT} fresh processes each.",
        "",
        "| what | median | target |",
        "|---|---|---|",
        *before_row,
        f"| `sessionlens --help` | {help_s:.2f} s | ≤ {HELP_TARGET_S} s |",
        f"| `sessionlens client list` (whole) | {list_s:.2f} s | |",
        f"| of which passphrase key derivation (Argon2id, vault parameters) | {kdf_s:.2f} s | deliberate |",
        f"| `client list` without the derivation | {rest:.2f} s | ≤ {LIST_TARGET_S} s |",
        "",
        "`tests/cli/test_startup.py` pins the cause: `--help` loads none of scikit-learn, SciPy, NumPy, fpdf, "
        "python-docx, SQLAlchemy, Alembic, ONNX Runtime, CTranslate2, PyAV, Jinja2, argon2, cryptography, "
        "FastAPI, Celery, Redis or psycopg.",
    ]) + "\n"


if __name__ == "__main__":
    print(main())
