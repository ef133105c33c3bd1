"""`sessionlens --help` imports only what listing the commands needs: no model, database or document library.

Run in a child process so that nothing imported by other tests hides an import. (How fast the CLI starts
is measured in benchmarks/bench_cli_start.py; this pins the cause: which modules are loaded.)
"""

from __future__ import annotations

import json
import subprocess
import sys

# What made `--help` take 3 s before issue 16: each of these is loaded only by the command that needs it.
HEAVY = ("sklearn", "scipy", "numpy", "fpdf", "docx", "sqlalchemy", "alembic", "onnxruntime", "ctranslate2",
         "faster_whisper", "av", "jinja2", "argon2", "cryptography", "fastapi", "starlette", "uvicorn", "celery",
         "redis", "psycopg", "llama_cpp", "pydantic")

CHILD = """
import contextlib, io, json, sys
from sessionlens.cli import run
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = run(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules), "out": out.getvalue()}))
"""


def _loaded(*argv: str) -> dict:  # type: ignore[type-arg]  (the child's JSON)
    done = subprocess.run([sys.executable, "-c", CHILD, *argv], capture_output=True, text=True, timeout=120,
                          check=True)
    return json.loads(done.stdout)


def _top(modules: list[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


def test_help_loads_no_heavy_module() -> None:
    child = _loaded("--help")
    assert child["code"] == 0 and "session" in child["out"] and "note" in child["out"]
    assert sorted(_top(child["modules"]) & set(HEAVY)) == []


def test_a_commands_help_loads_no_heavy_module_either() -> None:
    for argv in (["note", "export", "--help"], ["analyze", "--help"], ["client", "--help"]):
        child = _loaded(*argv)
        assert child["code"] == 0, argv
        # typer itself loads pydantic (typer._adapters) to show a sub-command's options: not ours to avoid.
        assert sorted(_top(child["modules"]) & (set(HEAVY) - {"pydantic"})) == [], argv


def test_the_help_lists_exactly_the_note_exporters() -> None:
    from sessionlens.cli.note_cmds import EXPORT_NAMES
    from sessionlens.notes.export import EXPORTERS

    assert EXPORT_NAMES == tuple(EXPORTERS)
