"""Plain-text transcripts: every documented layout, continuation lines, label heuristics."""

from __future__ import annotations

import pytest

from sessionlens.domain import Role, Timing
from sessionlens.errors import ParseError
from sessionlens.ingest.formats._labels import is_label

from .helpers import fixture, parse, rows, slips, timings


def test_inline_timestamps_all_bracket_styles():
    t = parse(fixture("inline_timed.txt"))
    assert t.source_format == "text"
    assert [u.id for u in t.utterances] == ["u1", "u2", "u3", "u4", "u5", "u6"]
    assert [(u.speaker, u.start, u.source_line) for u in t.utterances] == [
        ("Therapist", 1.0, 3), ("Client", 6.0, 4), ("Therapist", 14.5, 5),
        ("Client", 19.0, 6), ("T", 21.0, 7), ("C", 25.25, 8),
    ]
    # "I said: no" is text, not a speaker; the continuation line joins the last utterance.
    assert t.utterances[1].text == "Busy. I said: no more overtime, and then I did it anyway."
    assert t.utterances[5].text == "My manager asked twice. It felt easier to agree."
    # ends come from the next start; the last from its word count at 150 wpm (9 words → 3.6 s)
    assert [u.end for u in t.utterances] == [6.0, 14.5, 19.0, 21.0, 25.25, 28.85]
    assert {u.timing for u in t.utterances} == {Timing.END_ESTIMATED} and t.timing is Timing.END_ESTIMATED
    assert t.metadata["skipped_preamble_lines"] == 1


def test_speakers_in_first_appearance_order_with_role_other():
    t = parse(fixture("inline_timed.txt"))
    assert [s.id for s in t.speakers] == ["Therapist", "Client", "T", "C"]
    assert all(s.name == s.id and s.role is Role.OTHER for s in t.speakers)
    assert all(u.role is Role.OTHER for u in t.utterances)


def test_untimed_labels_get_estimated_times():
    t = parse(fixture("untimed.txt"))
    assert [u.speaker for u in t.utterances] == ["THERAPIST", "CLIENT", "Dr. Lee", "Speaker 2"]
    assert t.utterances[1].text == "With my sister, I think. We argued on Sunday."
    # 7, 9, 5, 6 words at 150 wpm = 0.4 s per word, back to back from zero
    assert [(u.start, u.end) for u in t.utterances] == [(0.0, 2.8), (2.8, 6.4), (6.4, 8.4), (8.4, 10.8)]
    assert t.timing is Timing.ESTIMATED


def test_speech_rate_changes_estimates():
    t = parse("T: one two three four five six\nC: ok\n", speech_rate_wpm=60)
    assert rows(t) == [("T", 0.0, 6.0, "one two three four five six"), ("C", 6.0, 7.0, "ok")]


def test_otter_label_line_then_text():
    t = parse(fixture("otter.txt"))
    assert [(u.speaker, u.start, u.source_line) for u in t.utterances] == [
        ("Speaker 1", 3483.0, 1), ("Speaker 2", 3549.0, 4), ("Speaker 1", 3727.0, 8)]
    assert t.utterances[1].text == "I have not been sleeping well. It has been a few months now."


def test_rev_and_timestamp_first_headers():
    t = parse(fixture("rev.txt"))
    assert [(u.speaker, u.start, u.text) for u in t.utterances] == [
        ("Counselor", 0.0, "Welcome. Before we begin, is it all right if I take a few notes?"),
        ("Client", 7.0, "Sure, that's fine."),
        ("Counselor", 12.0, "Thank you."),
    ]


def test_fractional_timestamps_dot_and_comma():
    t = parse("[00:59:01.5] A: x\n[00:59:02,25] B: y\n[1:02:03.004] A: z\n")
    assert [u.start for u in t.utterances] == [3541.5, 3542.25, 3723.004]


def test_label_then_bracketed_time_before_colon():
    assert rows(parse("Dr. Lee [00:30]: Hi there\nClient (00:35): Hello\n"))[0][:2] == ("Dr. Lee", 30.0)


def test_lone_timestamp_line_applies_to_next_label():
    t = parse("00:00:04\nTherapist: hello\n00:00:09\nClient: hi\n")
    assert [(u.speaker, u.start) for u in t.utterances] == [("Therapist", 4.0), ("Client", 9.0)]


def test_text_starting_with_a_time_is_not_a_header():
    t = parse("T: when did you wake?\n5:30 was too early for me\n")
    assert rows(t)[0][3] == "when did you wake? 5:30 was too early for me"


def test_mixed_timed_and_untimed_lines_fill_from_neighbours():
    t = parse("[00:00:10] T: a b c\nC: d e f g h i\n[00:00:20] T: ok\n")
    u = t.utterances
    assert (u[0].start, u[0].timing) == (10.0, Timing.END_ESTIMATED)
    assert u[1].timing is Timing.ESTIMATED and 10.0 <= u[1].start <= u[1].end <= 20.0
    assert u[0].end == u[1].start  # the untimed line starts where the previous one is estimated to end
    assert t.timing is Timing.ESTIMATED


@pytest.mark.parametrize("label", ["Therapist", "T", "CLIENT", "Speaker 2", "Dr. Lee", "SPEAKER_00", "Mary Ann",
                                   "I", "therapist", "spk1", "Jan van Dijk"])
def test_is_label_accepts(label):
    assert is_label(label)


@pytest.mark.parametrize("text", ["I said", "So", "Well", "the plan", "Hi, there", "What now?", "a b c d e",
                                  "Wait. Really", "x" * 41, "", "12", "http"])
def test_is_label_rejects(text):
    assert not is_label(text)


def test_sentence_with_colon_before_any_label_is_preamble_not_speaker():
    t = parse("Notes from my session: draft\nT: hello\n")
    assert [s.id for s in t.speakers] == ["T"]


def test_no_labels_at_all_explains_the_layout():
    with pytest.raises(ParseError, match="no speaker labels found; expected lines like 'Therapist: text'"):
        parse("just some prose\nwith no speakers at all\n")


def test_malformed_header_timestamp_is_kept_and_named_by_line():
    t = parse("[00:00:01] T: a\n[00:61:00] C: b\n[00:00:09] T: c\n")
    assert [u.text for u in t.utterances] == ["a", "b", "c"]
    assert timings(t) == ["end_estimated", "inconsistent", "end_estimated"]
    assert slips(t) == [("line 2", "malformed timestamp '00:61:00' (field out of range)")]


def test_decreasing_timestamps_are_kept_and_marked_with_line():
    t = parse("[00:00:10.0] T: a\n[00:00:05.0] C: b\n")
    assert [u.text for u in t.utterances] == ["a", "b"]
    assert timings(t) == ["end_estimated", "inconsistent"]
    assert slips(t) == [("line 2", "timestamps go backwards: 00:00:05.000 after 00:00:10.000 (line 1)")]


def test_a_typed_in_hour_is_a_gap_slip():
    t = parse("[00:10:00] T: a\n[00:10:05] C: b\n[10:10:10] T: c\n[00:10:15] C: d\n[00:10:20] T: e\n")
    assert timings(t) == ["end_estimated", "end_estimated", "inconsistent", "end_estimated", "end_estimated"]
    assert slips(t) == [("line 3", "out of order: 10:10:10.000 comes before 00:10:15.000 (line 4)")]
    assert t.duration < 700  # the stray hour does not stretch the session


def test_a_gap_of_hours_marks_the_smaller_part():
    t = parse("[00:00:01] T: a\n[00:00:05] C: b\n[00:00:09] T: c\n[02:00:00] C: d\n")
    assert slips(t) == [("line 4", "02:00:00.000 lies more than 1 h away from the rest of the session")]


def test_equal_starts_are_fine():
    t = parse("[00:00:10] T: a\n[00:00:10] C: b\n")
    assert [u.start for u in t.utterances] == [10.0, 10.0]


def test_messages_never_quote_transcript_text():
    with pytest.raises(ParseError) as exc:
        parse("secret words here\nmore secret words\n")
    assert "secret" not in str(exc.value)
