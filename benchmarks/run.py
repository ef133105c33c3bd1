"""Run benchmark modules and rebuild BENCHMARKS.md from their result sections.

Each ``benchmarks/bench_<name>.py`` has ``main() -> str`` returning a Markdown section
(numbers, the command that reproduces them). Results are kept in benchmarks/results/<name>.md
so one benchmark can be rerun without losing the others.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    wanted = [a for a in argv if a]
    names = sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    if wanted:
        unknown = set(wanted) - set(names)
        if unknown:
            sys.stderr.write(f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(names)}\n")
            return 2
        names = wanted
    RESULTS.mkdir(exist_ok=True)
    for name in names:
        print(f"== benchmark {name}", flush=True)
        module = importlib.import_module(f"benchmarks.bench_{name}")
        section = module.main()
        (RESULTS / f"{name}.md").write_text(section.rstrip() + "\n", encoding="utf-8")
        print(section, flush=True)
    write_index()
    return 0


def write_index() -> None:
    parts = [
        "# Benchmarks\n",
        "Every number here was produced by `make bench` (or `make bench BENCH=<name>` for one section)",
        "on the machine named in its section. The machine is shared and noisy: compare ratios measured",
        "in one run and read medians, not single timings.\n",
    ]
    for path in sorted(RESULTS.glob("*.md")):
        parts.append(path.read_text(encoding="utf-8").rstrip() + "\n")
    (ROOT / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(os.environ.get("BENCH", "").split(",") if os.environ.get("BENCH") else sys.argv[1:]))
