"""Training reads AnnoMI only: mi_welivita (CC BY-NC-SA) is for evaluation, never for training."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))  # training/ is a top-level folder beside src/

from training import annomi
from training.coding_pipeline import fit_role, role_data

SIMPLE = ["transcript_id", "mi_quality", "video_title", "video_url", "topic", "utterance_id", "interlocutor",
          "timestamp", "utterance_text", "main_therapist_behaviour", "client_talk_type"]
EXTRA = ["annotator_id", "therapist_input_exists", "therapist_input_subtype", "reflection_exists",
         "reflection_subtype", "question_exists", "question_subtype"]
LINES = [("therapist", "What brings you here today?", "question", "", "open"),
         ("client", "I want to stop smoking.", "", "change", ""),
         ("therapist", "You want to stop.", "reflection", "", ""),
         ("client", "But I like it.", "", "sustain", ""),
         ("therapist", "Do you smoke daily?", "question", "", "closed"),
         ("client", "Yes.", "", "neutral", ""),
         ("therapist", "Smoking raises your risk of stroke.", "therapist_input", "", ""),
         ("therapist", "Okay, see you next week.", "other", "", "")]


def _write_fake_shared(root: Path) -> None:
    (root / "annomi").mkdir(parents=True)
    (root / "mi_welivita").mkdir()
    (root / "mi_welivita" / "mi_gold_sentences.dev.csv").write_text("text,label\nDo not read me.,Other\n")
    with open(root / "annomi" / "AnnoMI-simple.dev.csv", "w", newline="") as s, \
         open(root / "annomi" / "AnnoMI-full.dev.csv", "w", newline="") as f:
        ws, wf = csv.writer(s), csv.writer(f)
        ws.writerow(SIMPLE)
        wf.writerow(SIMPLE + EXTRA)
        for tid in range(1, 7):
            for i, (role, text, main, talk, qsub) in enumerate(LINES):
                row = [tid, "high", "t", "u", "smoking", i, role, f"00:00:{i:02d}", text, main, talk]
                ws.writerow(row)
                sub = ["0", "", "", "", "", "True" if qsub else "False", qsub]
                wf.writerow(row + sub)


def test_training_never_opens_mi_welivita(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_fake_shared(tmp_path)
    monkeypatch.setenv("SESSIONLENS_SHARED_DATA", str(tmp_path))
    opened: list[str] = []
    active = [True]

    def hook(event: str, args: tuple) -> None:
        if active[0] and event == "open" and args and isinstance(args[0], (str, Path)):
            opened.append(str(args[0]))

    sys.addaudithook(hook)  # audit hooks cannot be removed; ``active`` switches this one off
    try:
        sessions = annomi.load_sessions()
        for role in ("therapist", "client"):
            fit_role(role_data(sessions, list(sessions), role), role)
    finally:
        active[0] = False
    assert any("AnnoMI-simple" in p for p in opened)
    assert not [p for p in opened if "welivita" in p.lower()]


def test_training_sources_name_no_welivita_file() -> None:
    for path in (REPO / "training").glob("*.py"):
        text = path.read_text()
        assert "mi_gold_sentences" not in text, path
        assert '"mi_welivita"' not in text and "'mi_welivita'" not in text, path


def test_manifest_names_annomi_as_the_training_data() -> None:
    manifest = json.loads((REPO / "src/sessionlens/models/coding/manifest.json").read_text())
    assert "AnnoMI" in manifest["data"] and "welivita" not in manifest["data"].lower()


def test_training_is_deterministic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from training.train_coding import export_role

    _write_fake_shared(tmp_path)
    monkeypatch.setenv("SESSIONLENS_SHARED_DATA", str(tmp_path))
    sessions = annomi.load_sessions()
    data = role_data(sessions, list(sessions), "therapist")
    first = export_role(fit_role(data, "therapist"), "therapist", {"main": 1.0})
    second = export_role(fit_role(data, "therapist"), "therapist", {"main": 1.0})
    assert first == second
