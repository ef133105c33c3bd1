"""Every `sessionlens …` command in the README runs as written, in order, on files made from the demo session.

The vault block is run against a fresh vault (passphrase from the environment, the client's name on standard
input); CLIENT_ID and SESSION_ID are replaced by the ids the earlier commands printed.
"""

from __future__ import annotations

import io
import json
import re
import shlex
import shutil
from importlib import resources

import pytest

from sessionlens.cli.app import run
from sessionlens.ingest import parse_transcript, render_transcript

from .conftest import REPO, shared_data_dir

# `serve` and `worker` run until stopped; tests/web and tests/server start the same app and workers.
LONG_RUNNING = ("sessionlens serve", "sessionlens worker")
AUDIO_FIXTURE = REPO / "tests" / "speech" / "data" / "dialogue.opus"


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    lines = [line.split("  #", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("sessionlens ") and not line.startswith(LONG_RUNNING)]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    demo = resources.files("sessionlens.data").joinpath("demo_session.vtt").read_bytes()
    t = parse_transcript(demo, source="demo.vtt")
    (tmp_path / "session.vtt").write_bytes(demo)
    for name, fmt in (("session.txt", "text"), ("session.srt", "srt"), ("session.docx", "docx"),
                      ("session.json", "sessionlens_json")):
        (tmp_path / name).write_bytes(render_transcript(t, fmt))
    annomi = shared_data_dir() / "annomi" / "AnnoMI-simple.dev.csv"
    if annomi.exists():
        (tmp_path / "AnnoMI-simple.dev.csv").symlink_to(annomi)
    if AUDIO_FIXTURE.exists():
        shutil.copy(AUDIO_FIXTURE, tmp_path / "session.m4a")  # the format is judged by content, not name
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SESSIONLENS_HOME", str(tmp_path / "vault"))
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", "a long test passphrase for the readme")
    return tmp_path


def test_readme_has_examples():
    assert len(readme_commands()) >= 15


def _argv(command: str, ids: dict[str, str]) -> list[str]:
    for placeholder, value in ids.items():
        command = command.replace(placeholder, value)
    argv = shlex.split(command.split(" > ", 1)[0])[1:]
    if "--therapist" in argv:  # the README's name is illustrative; use the demo's therapist
        argv[argv.index("--therapist") + 1] = "Helen Varga"
    return argv


def test_readme_commands_run_in_order(workdir, monkeypatch, capsys):
    ids: dict[str, str] = {}
    for command in readme_commands():
        argv = _argv(command, ids)
        needs = {"AnnoMI-simple.dev.csv": "AnnoMI-simple.dev.csv", "session.m4a": "session.m4a"}
        if any(f in argv and not (workdir / path).exists() for f, path in needs.items()):
            continue  # public data or the audio fixture is absent: that example is skipped
        capture = argv[:2] in (["client", "add"], ["session", "add"])
        if capture:
            argv.append("--json")
        monkeypatch.setattr("sys.stdin", io.StringIO("Jordan Example\n"))
        code = run(argv)
        out, err = capsys.readouterr()
        assert code == 0, f"`{command}` exited {code}: {err}"
        if capture:
            key = "CLIENT_ID" if argv[0] == "client" else "SESSION_ID"
            ids.setdefault(key, json.loads(out)["id"])  # the first session (the transcript) is the one used
    assert set(ids) == {"CLIENT_ID", "SESSION_ID"}


def test_layout_names_every_package():
    """The README's Layout section names each package under src/sessionlens/ (a newcomer's map)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```", 2)[1]
    packages = sorted(p.name for p in (REPO / "src" / "sessionlens").iterdir()
                      if p.is_dir() and not p.name.startswith("__"))
    missing = [name for name in packages if f"{name}/" not in layout]
    assert not missing, f"README Layout does not name: {missing}"
