"""Concise by default (issue 18): clinical length, one quote per section, no quote twice, still grounded."""

from __future__ import annotations

import re

import pytest

from sessionlens.errors import InputError
from sessionlens.notes import FORMATS, draft_note
from sessionlens.notes.concise import quotes_of, word_budget
from sessionlens.analysis.view import View
from sessionlens.notes.grounding import check_sentence

from .helpers import demo


def _words(note) -> int:
    return sum(len(s.text.split()) for s in note.sentences())


def test_budget_follows_session_length():
    assert word_budget(5) == word_budget(15) == 250 and word_budget(None) == 250
    assert word_budget(50) == word_budget(60) == 400
    assert 250 < word_budget(30) < 400


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_concise_demo_note_is_clinical_length_and_grounded(fmt):
    a = demo()
    minutes = a.metrics["duration_seconds"] / 60
    concise, full = draft_note(a, fmt), draft_note(a, fmt, detail="full")
    assert concise.meta["detail"] == "concise" and full.meta["detail"] == "full"
    assert _words(concise) <= word_budget(minutes) < _words(full)
    assert all(sec.sentences for sec in concise.sections)
    v = View(a.transcript)
    assert all(check_sentence(s, a, v).ok for s in concise.sentences())
    assert concise.section("risk").sentences[0].basis == "transcript"  # the demo's risk talk is kept
    for sec in concise.sections:  # risk too: one quote per paragraph
        assert sum(len(quotes_of(s.text)) for s in sec.sentences) <= 1, sec.title


def _quoted_utterances(note, a):
    texts = {u.id: " ".join(u.text.lower().split()) for u in a.transcript.utterances}
    out = []
    for s in note.sentences():
        for q in quotes_of(s.text):
            out += [i for i in s.evidence if q[:30] in texts[i]]
    return out


@pytest.mark.parametrize("detail", ["concise", "full"])
def test_no_utterance_is_quoted_twice(detail):
    a = demo()
    for fmt in FORMATS:
        quoted = _quoted_utterances(draft_note(a, fmt, detail=detail), a)
        assert len(quoted) == len(set(quoted)), (fmt, quoted)


def test_interventions_are_named_not_counted():
    note = draft_note(demo(), "soap", detail="full")
    text = " ".join(s.text for s in note.section("objective").sentences if s.text.startswith("Therapist"))
    assert "reflective listening" in text and "open questions" in text and "scaling question" in text
    assert not re.search(r"\(\d+", text), text


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_the_demo_plan_survives_the_concise_budget(fmt):
    cited = {i for s in draft_note(demo(), fmt).sentences() for i in s.evidence}
    assert {"u128", "u132", "u134", "u146", "u151"} <= cited  # nights off, which nights, sleep, summary, next session


@pytest.mark.parametrize("detail", ["concise", "full"])
def test_no_quote_appears_twice(detail):
    seen: list[str] = []
    for s in draft_note(demo(), "soap", detail=detail).sentences():
        for q in quotes_of(s.text):
            for short, long_ in (sorted((q, x), key=len) for x in seen):
                assert short != long_ and not (len(short.split()) >= 4 and short[:40] in long_), q
            seen.append(q)


def test_counts_stay_in_the_session_data():
    text = " ".join(s.text for s in draft_note(demo(), "soap").sentences())
    assert "Coded therapist behaviours" not in text and "Session transcript runs from" not in text


def test_unknown_detail_is_a_clear_input_error():
    with pytest.raises(InputError, match="concise, full"):
        draft_note(demo(), "soap", detail="short")
