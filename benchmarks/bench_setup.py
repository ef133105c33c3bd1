"""Fresh-machine set-up: `make demo` in a clean clone of the committed tree with pip's cache emptied.

Reproduce: `make bench BENCH=setup`. Target: ≤ 3 minutes on this 2-core machine kind. The clone gets its own
pip cache folder (empty) and its own .venv, so nothing from this checkout's install is reused; the network and the
machine's own package mirrors are used as on any fresh machine. The llama.cpp build (`make llm`, part of
`make test`) is deliberately not part of `make demo` and is timed separately when asked (BENCH_SETUP_LLM=1).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.run import machine

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 180.0


def _timed(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    return time.perf_counter() - start, proc.returncode, (proc.stdout + proc.stderr)[-600:]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> str:
    with tempfile.TemporaryDirectory(prefix="sessionlens-fresh-") as tmp:
        clone, cache = Path(tmp) / "clone", Path(tmp) / "pip-cache"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True,
                                text=True, check=True).stdout.strip()
        env = {**os.environ, "PIP_CACHE_DIR": str(cache), "SESSIONLENS_WHEEL_CACHE": str(Path(tmp) / "wheels")}
        env.pop("VIRTUAL_ENV", None)
        load_before = _load()
        demo_s, demo_rc, demo_tail = _timed(["make", "demo"], clone, env)
        rows = [("`make demo` (runtime install + demo analysis)", demo_s, demo_rc)]
        if os.environ.get("BENCH_SETUP_LLM"):
            llm_s, llm_rc, _ = _timed(["make", "llm"], clone, env)
            rows.append(("`make llm` (portable llama.cpp build, once per machine)", llm_s, llm_rc))
    lines = [
        "## Fresh-machine set-up",
        "",
        f"Machine: {machine()}. Reproduce: `make bench BENCH=setup` (add `BENCH_SETUP_LLM=1` to also time "
        "`make llm`). A clean clone of the committed tree (commit " + commit + ") with an empty pip cache and a new "
        f".venv; load average before: {load_before}. Target: `make demo` ≤ {TARGET_S / 60:.0f} min.",
        "",
        "| step | wall time | exit status |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {secs / 60:.1f} min ({secs:.0f} s) | {rc} |" for name, secs, rc in rows]
    if demo_rc != 0:
        lines += ["", f"`make demo` failed; its output ended with: `{demo_tail.strip()[-300:]}`"]
    verdict = "within" if demo_rc == 0 and demo_s <= TARGET_S else "NOT within"
    lines += ["", f"`make demo` on a fresh machine is {verdict} the {TARGET_S / 60:.0f}-minute target."]
    return "\n".join(lines)


if __name__ == "__main__":
    print(main())
