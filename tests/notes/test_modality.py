"""Modality-aware notes (issue 18, item 4): chosen per note or per client, each section from findings,
still grounded and within the concise budget."""

from __future__ import annotations

from pathlib import Path

import pytest

from sessionlens.analysis.view import View
from sessionlens.config import Settings
from sessionlens.errors import InputError
from sessionlens.notes import draft_note
from sessionlens.notes.concise import word_budget
from sessionlens.notes.grounding import check_sentence
from sessionlens.services import clients, consent, note_workflow as nw, sessions, vaults

from .helpers import analysis, demo

DEMO = Path(__file__).resolve().parents[2] / "src" / "sessionlens" / "data" / "demo_session.vtt"


@pytest.mark.parametrize("modality,key", [("cbt", "cbt"), ("mi", "mi"), ("couples", "partners")])
def test_modality_adds_its_section_grounded_and_within_budget(modality, key):
    a = demo()
    note = draft_note(a, "soap", modality=modality)
    keys = [s.key for s in note.sections]
    assert key in keys and keys.index(key) < keys.index("risk") and note.meta["modality"] == modality
    v = View(a.transcript)
    assert all(check_sentence(s, a, v).ok for s in note.sentences())
    assert sum(len(s.text.split()) for s in note.sentences()) <= word_budget(a.metrics["duration_seconds"] / 60)
    cited = [i for s in note.sentences() if s.basis == "transcript" for i in s.evidence]
    assert set(cited) <= {u.id for u in a.transcript.utterances}
    assert note.section(key).sentences


def test_cbt_section_names_feelings_and_homework_from_findings():
    text = " ".join(s.text for s in draft_note(demo(), "soap", modality="cbt", detail="full").section("cbt").sentences)
    assert "Feelings:" in text and ("Homework:" in text or "Between sessions:" in text)


def test_psychodynamic_puts_the_relational_process_first():
    keys = [s.key for s in draft_note(demo(), "dap", modality="psychodynamic").sections]
    assert keys[1] == "relational"


def test_couples_names_each_partner():
    a = analysis([("T", "What brings you both in?"),
                  ("C", "I feel like we can't talk about money without fighting, it's been hard since the move."),
                  ("T", "And how is it for you?"),
                  ("C", "My job has been so stressful and I keep snapping at home, I'm worried about us.")])
    # a second client voice: reassign the second client utterance to partner B
    from dataclasses import replace
    from sessionlens.analysis.pipeline import run_analysis
    from sessionlens.domain import Role, Speaker
    t = a.transcript
    utts = tuple(replace(u, speaker="B") if u.id == "u4" else u for u in t.utterances)
    t = replace(t, utterances=utts, speakers=t.speakers + (Speaker("B", "Partner B", Role.CLIENT),))
    note = draft_note(run_analysis(t, Settings()), "soap", modality="couples", detail="full")
    text = " ".join(s.text for s in note.section("partners").sentences)
    assert "Only one client" not in text


def test_unknown_modality_is_a_clear_input_error():
    with pytest.raises(InputError, match="cbt, mi, psychodynamic, couples"):
        draft_note(demo(), "soap", modality="gestalt")


def test_cli_modality_per_note_and_per_client(tmp_path, capsys, monkeypatch):
    import json

    from sessionlens.cli import run

    assert run(["note", "draft", str(DEMO), "--modality", "cbt", "--json"]) == 0
    assert any(s["key"] == "cbt" for s in json.loads(capsys.readouterr().out)["sections"])
    assert run(["note", "draft", str(DEMO), "--modality", "astrology"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("sessionlens: error:") and "modality" in err and err.count("\n") == 1
    created = vaults.init_vault("correct horse battery staple", "alice", data_dir=tmp_path,
                                settings=Settings({"kdf_memory_mib": 64, "kdf_time_cost": 3, "kdf_parallelism": 1},
                                                  env={}))
    client = clients.add_client(created.ctx, "Fictional Client")["id"]
    created.ctx.vault.close()
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", "correct horse battery staple")
    assert run(["client", "modality", client, "couples", "--data-dir", str(tmp_path)]) == 0
    assert "couples" in capsys.readouterr().out
    assert run(["client", "modality", client, "gestalt", "--data-dir", str(tmp_path)]) == 2


def test_client_modality_preference_shapes_the_stored_draft(tmp_path):
    created = vaults.init_vault("correct horse battery staple", "alice", data_dir=tmp_path,
                                settings=Settings({"kdf_memory_mib": 64, "kdf_time_cost": 3, "kdf_parallelism": 1},
                                                  env={}))
    ctx = created.ctx
    try:
        client = clients.add_client(ctx, "Fictional Client")["id"]
        consent.record_consent(ctx, client)
        sid = sessions.import_session(ctx, client, DEMO.read_bytes(), source="demo.vtt")["id"]
        with pytest.raises(InputError):
            clients.set_client_modality(ctx, client, "astrology")
        clients.set_client_modality(ctx, client, "mi")
        assert clients.show_client(ctx, client)["details"]["modality"] == "mi"
        note = nw.draft_session_note(ctx, sid)["note"]
        assert note["meta"]["modality"] == "mi" and any(s["key"] == "mi" for s in note["sections"])
        per_note = nw.draft_session_note(ctx, sid, modality="none", replace_draft=True)["note"]
        assert per_note["meta"]["modality"] == "none"
    finally:
        ctx.vault.close()
