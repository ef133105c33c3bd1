"""Every format drafts from the demo session with the sections it promises, each sentence grounded."""

from __future__ import annotations

import pytest

from sessionlens.errors import InputError
from sessionlens.notes import FORMATS, draft_note, get_format, note_from_dict, note_to_dict
from sessionlens.notes.grounding import check_sentence
from sessionlens.analysis.view import View

from .helpers import demo, demo_with_findings

EXPECTED = {
    "soap": ["Subjective", "Objective", "Assessment", "Risk", "Relational process", "Plan"],
    "dap": ["Data", "Assessment", "Risk", "Relational process", "Plan"],
    "birp": ["Behavior", "Intervention", "Response", "Risk", "Relational process", "Plan"],
    "girp": ["Goals", "Intervention", "Response", "Risk", "Relational process", "Plan"],
}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("build", [demo, demo_with_findings], ids=["pipeline", "with-findings"])
def test_each_format_has_its_sections_and_every_sentence_is_grounded(fmt, build):
    a = build()
    note = draft_note(a, fmt)
    assert [s.title for s in note.sections] == EXPECTED[fmt]
    assert all(sec.sentences for sec in note.sections)
    v = View(a.transcript)
    for s in note.sentences():
        assert check_sentence(s, a, v).ok, s.text
        if s.basis == "transcript":
            assert s.evidence and all(i in v.index for i in s.evidence)
            assert s.start is not None and s.end is not None and s.start <= s.end
    assert note.meta["grounding"]["unsupported"] == 0


def test_json_shape_is_the_published_contract():
    d = note_to_dict(draft_note(demo(), "dap"))
    assert d["format"] == "dap"
    for sec in d["sections"]:
        assert set(sec) >= {"title", "sentences"}
        for s in sec["sentences"]:
            assert isinstance(s["text"], str) and isinstance(s["evidence"], list)
    assert note_to_dict(note_from_dict(d)) == d


def test_unknown_format_is_a_clear_input_error():
    with pytest.raises(InputError, match="soap, dap, birp, girp"):
        get_format("narrative")


def test_relational_section_names_rupture_and_repair_from_findings():
    note = draft_note(demo_with_findings(), "soap", detail="full")
    rel = note.section("relational")
    ids = {i for s in rel.sentences for i in s.evidence}
    assert {"u61", "u62"} <= ids  # rupture at #61, repair from #62
    assert any("yes, but" in s.text for s in rel.sentences)
