"""The affect analyzers inside the real pipeline: JSON fields, metrics, findings, and the report sentences."""

from __future__ import annotations

from sessionlens.reports.document import analysis_document
from sessionlens.services.analysis import analyze_transcript

from .affect_helpers import C, T, demo_transcript, session

KINDS = {
    "emotion_arc",
    "theme",
    "silence_context",
    "yes_but_chain",
    "rupture",
    "repair",
    "here_and_now",
    "client_initiated_topic",
    "risk",
}


def test_session_without_risk_language_says_not_discussed() -> None:
    t = session(
        (T, "How was your week?"),
        (C, "Busy at work, but fine."),
        (T, "What made it busy?"),
        (C, "Two deadlines and my manager was away."),
    )
    a = analyze_transcript(t)
    assert a.metrics["risk"]["status"] == "not discussed"
    lines = " ".join(a.sections["Risk language for review"]).lower()
    assert "not discussed" in lines and "not found" in lines
    assert "no risk" not in lines and "risk is absent" not in lines.replace(
        "does not say that risk is absent", ""
    )


def test_demo_document_has_every_piece() -> None:
    a = analyze_transcript(demo_transcript())
    doc = analysis_document(a)
    u = doc["utterances"][0]
    assert len(u["emotions"]) == 28 and "neutral" in u["emotions"]
    kinds = {f["kind"] for f in doc["findings"]}
    assert KINDS <= kinds
    for f in doc["findings"]:
        if f["kind"] in KINDS:
            assert f["evidence"] and f["evidence"][0]["utterance_ids"] and f["explanation"]
    risk = [f for f in doc["findings"] if f["kind"] == "risk"]
    assert all({"category", "negated", "words"} <= set(f["data"]) for f in risk)
    assert a.metrics["risk"]["status"] != "not discussed"
    assert a.metrics["relational"]["tense_focus"]["client"]["share"]["present"] > 0
    for title in (
        "Emotions and their arc",
        "Themes",
        "What the silences followed",
        "Relational moments",
        "Risk language for review",
    ):
        assert a.sections[title]


def test_one_line_and_foreign_sessions_do_not_crash() -> None:
    for text in ("Hello.", "Bonjour, je suis très fatigué ces temps-ci.", ""):
        a = analyze_transcript(session((T, "Hi."), (C, text or "...")))
        assert a.metrics["emotions"]["low_confidence"] is True
