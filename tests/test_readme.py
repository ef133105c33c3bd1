"""Every `sessionlens …` example in the README runs, on files made from the demo session."""

from __future__ import annotations

import re
import shlex
from importlib import resources

import pytest

from sessionlens.cli.app import run
from sessionlens.ingest import parse_transcript, render_transcript

from .conftest import REPO, shared_data_dir


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, re.S)
    lines = [line.split("#", 1)[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line.startswith("sessionlens ")]


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
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_has_examples():
    assert len(readme_commands()) >= 5


@pytest.mark.parametrize("command", readme_commands())
def test_readme_example_runs(command, workdir, capsys):
    argv = shlex.split(command.split(">", 1)[0])[1:]
    if "AnnoMI-simple.dev.csv" in argv and not (workdir / "AnnoMI-simple.dev.csv").exists():
        pytest.skip("../shared/data/annomi is absent")
    if "--therapist" in argv:  # the example's name is illustrative; use the demo's therapist
        argv[argv.index("--therapist") + 1] = "Helen Varga"
    assert run(argv) == 0, capsys.readouterr().err
