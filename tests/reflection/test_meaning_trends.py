"""Themes by meaning in a client's trends: real vault, real MiniLM vectors, sessions written for this test."""

from __future__ import annotations

from sessionlens.services import clients, consent, sessions
from sessionlens.services import reflection as rf

SLEEP = ["I lie awake until three in the morning and my mind keeps racing.",
         "Sleep has been terrible, I wake up at night and cannot drift off again.",
         "Another night of staring at the ceiling, I barely slept at all."]
ONE_OFF = ["My manager moved the deadline again and the whole team is panicking.",
           "The garden is finally full of tomatoes this summer.",
           "My brother called about his wedding plans for next spring."]


def vtt(client_lines: list[str]) -> bytes:
    cues, t = ["WEBVTT", ""], 0
    for line in client_lines:
        for who, text in (("Helen", "What has been on your mind this week?"), ("Daniel", line)):
            cues += [f"00:00:{t:02d}.000 --> 00:00:{t + 4:02d}.000", f"<v {who}>{text}", ""]
            t += 5
    return "\n".join(cues).encode()


def test_client_trends_show_a_concern_that_recurs_in_other_words(world):
    client = clients.add_client(world.alice, "Jane Example")["id"]
    consent.record_consent(world.alice, client, ("recording", "analysis"))
    for n in range(3):
        sessions.import_session(world.alice, client, vtt([SLEEP[n], ONE_OFF[n]]), source=f"s{n}.vtt",
                                therapist=["Helen"])
    out = rf.client_trends(world.alice, client)["meaning_themes"]
    sleep = [t for t in out if t["sessions"] == [1, 2, 3]]
    assert len(sleep) == 1, out
    theme = sleep[0]
    assert theme["status"] == "recurring" and theme["theme"] == "about: " + ", ".join(theme["words"])
    quotes = {q["quote"] for q in theme["evidence"]}
    assert {q["session"] for q in theme["evidence"]} == {1, 2, 3}
    assert all(any(q.startswith(s[:20]) for s in SLEEP) for q in quotes), quotes  # work, garden, wedding stay out


def test_one_session_has_no_meaning_themes(world):
    client = clients.add_client(world.alice, "Jane Example")["id"]
    consent.record_consent(world.alice, client, ("recording", "analysis"))
    sessions.import_session(world.alice, client, vtt(SLEEP), source="s.vtt", therapist=["Helen"])
    assert rf.client_trends(world.alice, client)["meaning_themes"] == []
