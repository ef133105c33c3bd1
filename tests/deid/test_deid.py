"""De-identification: offline, consistent, every transcript format round-trips, the CLI prints a copy
in the file's own format, and the labelled held-out set keeps its recall."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessionlens.cli import run
from sessionlens.deid import NOTICE, Replacer, deidentify_bytes, deidentify_text, find_spans
from sessionlens.ingest import parse_transcript
from sessionlens.offline import offline

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "transcripts").iterdir())
DEMO = ROOT / "src" / "sessionlens" / "data" / "demo_session.vtt"


def test_each_identifier_type_is_found_offline(deid_model):
    text = ("My friend Tom Baker lives at 42 Elm Street in Springfield. Call 555-867-5309 or tom@example.com "
            "before March 3rd, 2021. I am 34 years old and work at Acme Corp.")
    with offline() as guard:
        kinds = {s.kind for s in find_spans(text)}
    assert guard.attempts == []
    assert {"Name", "Address", "Place", "Phone", "Email", "Date", "Age", "Organisation"} <= kinds


def test_replacement_is_consistent_and_keeps_known_roles(deid_model):
    r = Replacer({"Daniel Okafor": "Client"})
    a = deidentify_text("Daniel said his sister Siobhan called.", r, ["Daniel Okafor"])
    b = deidentify_text("Okafor and Siobhan met in Leeds.", r, ["Daniel Okafor"])
    assert a == "[Client] said his sister [Name-1] called."
    assert b.startswith("[Client] and [Name-1] met in [Place-1]")


@pytest.mark.parametrize("path", [DEMO, *FIXTURES], ids=lambda p: p.name)
def test_every_format_round_trips(path, deid_model):
    data = path.read_bytes()
    out, fmt, _ = deidentify_bytes(data, source=path.name)
    before = parse_transcript(data, source=path.name)
    after = parse_transcript(out, source=f"copy{path.suffix}", fmt=fmt)
    assert fmt == before.source_format and len(after.utterances) == len(before.utterances)
    names = {s.name for s in before.speakers if s.name.lower() not in ("therapist", "client", "t", "c")}
    assert not any(n in out.decode("utf-8", "replace") for n in names if len(n) > 3)


def test_cli_prints_the_copy_in_its_own_format(deid_model, capsysbinary):
    assert run(["deidentify", str(DEMO)]) == 0
    out, err = capsysbinary.readouterr()
    assert out.startswith(b"WEBVTT") and b"Daniel" not in out and b"<v Client>" in out
    assert NOTICE.encode() in err and b"replaced" in err


def test_cli_bad_input_is_one_line(tmp_path, capsys):
    (tmp_path / "x.bin").write_bytes(b"\x00\x01binary")
    assert run(["deidentify", str(tmp_path / "x.bin")]) == 2
    assert run(["deidentify", str(tmp_path / "missing.vtt")]) == 2
    assert run(["deidentify", str(DEMO), "--format", "pdf"]) == 2
    err = capsys.readouterr().err
    assert all(line.startswith("sessionlens: error:") for line in err.strip().splitlines())


def test_heldout_recall_stays_at_its_measured_level(deid_model):
    from benchmarks.bench_deid import DATA, evaluate

    c = evaluate(DATA / "heldout.txt")
    for kind in ("Name", "Place", "Phone", "Email"):
        assert c["found"][kind] / c["gold"][kind] >= 0.95, kind
    assert c["found"]["Date"] / c["gold"]["Date"] >= 0.94  # 16/17 measured; the 0.95 target is not reached
