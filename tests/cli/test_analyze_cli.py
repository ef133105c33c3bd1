"""`sessionlens analyze` end to end: outputs, schema, and one-line errors for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from sessionlens.cli.app import run

from ..conftest import REPO

SCHEMA = json.loads((REPO / "docs" / "analysis.schema.json").read_text(encoding="utf-8"))

SESSION = """\
[00:00:02] Therapist: Welcome back. How has the week been?
[00:00:06] Client: Honestly, pretty rough. Work has been a lot.
[00:00:12] Therapist: It sounds like work has taken most of your energy.
[00:00:20] Client: Yeah. I barely sleep.
[00:00:31] Therapist: What happens at night?
[00:00:35] Client: I lie there thinking about everything I didn't finish.
"""


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    p = tmp_path / "session.txt"
    p.write_text(SESSION, encoding="utf-8")
    return p


def cli(*args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "sessionlens", *args], capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_json_output_validates_against_published_schema(session_file, capsys):
    assert run(["analyze", str(session_file), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA)
    assert [u["id"] for u in doc["utterances"]] == [f"u{i}" for i in range(1, 7)]
    assert doc["utterances"][0]["role"] == "therapist" and doc["utterances"][1]["role"] == "client"
    assert doc["metrics"]["talk_time"]["therapist"]["seconds"] > 0
    assert 0 < doc["metrics"]["talk_time"]["client"]["share"] < 1
    assert doc["timing"] == "end_estimated" and doc["caveats"]
    assert any(f["kind"] == "role_assignment" for f in doc["findings"])


def test_terminal_summary_by_default(session_file, capsys):
    assert run(["analyze", str(session_file)]) == 0
    out = capsys.readouterr().out
    assert "Talk time by role" in out and "therapist" in out and "client" in out


def test_markdown_output(session_file, capsys):
    assert run(["analyze", str(session_file), "--markdown"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Session data") and "| therapist |" in out


def test_html_report_written(session_file, tmp_path, capsys):
    out = tmp_path / "r.html"
    assert run(["analyze", str(session_file), "--html", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "<svg" in html and "session-map" in html


def test_therapist_option_overrides_labels(session_file, capsys):
    assert run(["analyze", str(session_file), "--therapist", "client", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["utterances"][1]["role"] == "therapist"


BAD_INPUTS = {
    "empty": b"",
    "binary": bytes(range(256)) * 8,
    "latin1": "Therapist: caf\xe9 ol\xe9\nClient: s\xed\n".encode("latin-1"),
    "malformed_time": b"[00:99:xx] Therapist: Hello?\n[00:00:05] Client: Hi.\n",
    "one_speaker": b"Therapist: Hello?\nTherapist: Anyone?\n",
}

# Timestamp slips are read, not refused (issue 13): every utterance kept, the line named in a caveat.
SLIPPED = {
    "decreasing": (b"[00:00:10] Therapist: Hello?\n[00:00:05] Client: Hi.\n",
                   "line 2 — timestamps go backwards"),
    "negative_vtt": (b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\n<v A>Hello?\n\n"
                     b"00:00:06.000 --> 00:00:07.000\n<v B>Hi.\n",
                     "line 3 — ends at 00:00:01.000 before it starts at 00:00:05.000"),
}


@pytest.mark.parametrize("name", sorted(SLIPPED))
def test_slipped_timestamps_are_read_with_a_caveat(name, tmp_path, capsys):
    data, caveat = SLIPPED[name]
    p = tmp_path / f"{name}.txt"
    p.write_bytes(data)
    assert run(["analyze", str(p), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.validate(doc, SCHEMA)
    assert len(doc["utterances"]) == 2 and any(caveat in c for c in doc["caveats"])


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_one_line_exit_2(name, tmp_path, capsys):
    p = tmp_path / f"{name}.txt"
    p.write_bytes(BAD_INPUTS[name])
    assert run(["analyze", str(p)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sessionlens: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["analyze", "/nonexistent/file.txt"],
        ["analyze", "."],
        ["analyze", "{f}", "--format", "bogus"],
        ["analyze", "{f}", "--json", "--markdown"],
        ["analyze", "{f}", "--silence-threshold", "-1"],
        ["analyze", "{f}", "--silence-threshold", "abc"],
        ["analyze", "{f}", "--therapist", "Nobody"],
        ["analyze", "{f}", "--html", "/nonexistent-dir/r.html"],
        ["analyze", "{f}", "--html", "."],
        ["analyze"],
        ["frobnicate"],
    ],
)
def test_bad_arguments_one_line_exit_2(args, session_file, capsys):
    argv = [a.replace("{f}", str(session_file)) for a in args]
    assert run(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip(), err


def test_subprocess_no_traceback_and_no_content_in_errors(tmp_path):
    p = tmp_path / "s.vtt"
    p.write_text("WEBVTT\n\nCANARY-7731 hello\n\n00:00:01.000 --> 00:00:02.000\nCANARY-7731\n",
                 encoding="utf-8")
    code, out, err = cli("analyze", str(p))
    assert code == 2 and "Traceback" not in err and "CANARY-7731" not in err
    assert "line 3" in err


def test_help_runs():
    code, out, _ = cli("--help")
    assert code == 0 and "analyze" in out
