"""`code retrain`: the coding heads re-trained on a clinician's reviewed codes, judged by grouped CV before they
replace the shipped ones (the real shipped model; a real vault; sessions written for this test).

The clinician here follows a consistent convention the shipped model misses: "I wonder if ..." is a complex
reflection and "Maybe try ..." is advice (the model reads them as input and as a reflection)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.analysis.coding import code_transcript
from sessionlens.analysis.coding import retrain as rt
from sessionlens.analysis.coding.artifact import default_model
from sessionlens.services import analyses, clients, consent, sessions
from sessionlens.services import code_corrections as cc
from sessionlens.services.permissions import unit_of_work
from sessionlens.vault.models import audit_log

from ..vault import helpers as vault_fixtures
from ._coding_helpers import transcript

# The vault fixtures (a fresh copy of one template vault per test; Argon2 derived once per input).
_derive_once, db_url, template, world = (vault_fixtures._derive_once, vault_fixtures.db_url, vault_fixtures.template,
                                         vault_fixtures.world)

TEMPLATES = (("I wonder if {} matters more than you let on.", "reflection", "complex"),
             ("Maybe try writing down {} each evening.", "therapist_input", "advice"),
             ("You might want to cut back on {}.", "therapist_input", "advice"),
             ("How do you feel about {}?", "question", "open"),
             ("So {} is on your mind a lot.", "reflection", "simple"))
TOPICS = (("the drinking", "work"), ("sleep", "money"), ("your mother", "school"), ("your job", "smoking"))


def turns(topics: tuple[str, ...]) -> list[tuple[str, str, tuple[str, str]]]:
    """(speaker role, text, the clinician's (behaviour, sub-code)) for one session."""
    out = []
    for topic in topics:
        for text, behaviour, sub in TEMPLATES:
            out += [("t", text.format(topic), (behaviour, sub)), ("c", "Yeah, I guess so.", ("", ""))]
    return out


def clinician(model, n_sessions: int, mine: bool = True) -> list[rt.Reviewed]:
    """Sessions 0..n-1 with every therapist turn reviewed: by the convention (``mine``) or confirming the model."""
    out = []
    for k in range(n_sessions):
        ts = turns(TOPICS[k])
        t = transcript(*[(r, text) for r, text, _ in ts])
        model_codes = code_transcript(t, model).codes
        reviewed = {}
        for u, (_, _, (behaviour, sub)) in zip(t.utterances, ts, strict=True):
            if behaviour:
                codes = model_codes[u.id]
                reviewed[u.id] = ({"therapist_behaviour": behaviour, "therapist_subcodes": [sub]} if mine else
                                  {"therapist_behaviour": codes["therapist_behaviour"],
                                   "therapist_subcodes": codes["therapist_subcodes"]})
        out.append(rt.Reviewed(f"s{k}", t, reviewed))
    return out


@pytest.fixture(scope="module")
def model():
    return default_model()


def test_a_consistent_convention_is_learned_and_judged_on_sessions_left_out(model):
    reviewed = clinician(model, 3)
    cv = rt.grouped_cv(model, reviewed)
    assert cv["folds"] == 3 and cv["sessions"] == 3
    t = cv["heads"]["therapist"]
    assert t["old"]["n"] == 30 and t["new"]["accuracy"] > t["old"]["accuracy"] + 0.3
    ok, why = rt.verdict(cv)
    assert ok, why
    new = rt.with_heads(model, rt.fit_all(model, [r for r in rt.rows_of(model, reviewed) if r.label]))
    fresh = transcript(*[(r, text) for r, text, _ in turns(TOPICS[3])])
    codes = code_transcript(fresh, new).codes
    got = [(codes[u.id]["therapist_behaviour"], codes[u.id]["therapist_subcodes"][0])
           for u in fresh.utterances if u.role.value == "therapist"]
    assert got == [(b, s) for _, b, s in TEMPLATES] * 2
    assert code_transcript(fresh, new).model.endswith("+retrained")


def test_confirming_the_model_gives_nothing_to_gain_and_is_refused(model):
    cv = rt.grouped_cv(model, clinician(model, 3, mine=False))
    assert all(h["old"]["accuracy"] == 1.0 for h in cv["heads"].values())
    ok, why = rt.verdict(cv)
    assert not ok and "is not above" in why


def test_stored_heads_round_trip_and_belong_to_their_base_model(model):
    heads = rt.fit_all(model, [r for r in rt.rows_of(model, clinician(model, 2)) if r.label])
    back = rt.from_payload(model, rt.to_payload(model, heads))
    assert set(back) == set(heads)
    for name, head in heads.items():
        assert abs(back[name].coef - head.coef).max() < 1e-4
    other = dict(rt.to_payload(model, heads), base="therapist.npz=0000")
    with pytest.raises(ValueError, match="another version"):
        rt.from_payload(model, other)


def _at(s: int) -> str:
    return f"00:{s // 60:02d}:{s % 60:02d}.000"


def vtt(topics: tuple[str, ...]) -> bytes:
    cues, t = ["WEBVTT", ""], 0
    for role, text, _ in turns(topics):
        cues += [f"{_at(t)} --> {_at(t + 4)}",
                 f"<v {'Helen' if role == 't' else 'Daniel'}>{text}", ""]
        t += 5
    return "\n".join(cues).encode()


def _import(world, client: str, k: int) -> str:
    return sessions.import_session(world.alice, client, vtt(TOPICS[k]), source=f"s{k}.vtt", therapist=["Helen"])["id"]


def _review_all(world, sid: str, k: int) -> None:
    doc = analyses.read_analysis(world.alice, sid)
    mine = [c for role, _, c in turns(TOPICS[k]) if role == "t"]
    therapist = [u for u in doc["utterances"] if u.get("role") == "therapist"]
    for u, (behaviour, sub) in zip(therapist, mine, strict=True):
        cc.correct_code(world.alice, sid, u["id"], therapist_behaviour=behaviour, therapist_subcodes=[sub])


def _codes(world, sid: str) -> list[tuple[str, str]]:
    doc = analyses.read_analysis(world.alice, sid)
    return [(u["codes"]["therapist_behaviour"], u["codes"]["therapist_subcodes"][0])
            for u in doc["utterances"] if u.get("role") == "therapist"]


def test_retrain_in_a_real_vault_replaces_the_heads_only_after_cv(world):
    client = clients.add_client(world.alice, "Jane Example")["id"]
    consent.record_consent(world.alice, client, ("recording", "analysis"))
    first = _import(world, client, 0)
    _review_all(world, first, 0)
    out = cc.retrain(world.alice)
    assert not out["kept"] and out["reviewed"] == 10 and "at least 20 reviewed utterances over 2" in out["reason"]
    _review_all(world, _import(world, client, 1), 1)
    dry = cc.retrain(world.alice, keep=False)
    assert dry["better"] and not dry["kept"] and dry["reviewed"] == 20 and dry["cv"]["folds"] == 2
    out = cc.retrain(world.alice)
    assert out["kept"] and out["cv"] == dry["cv"]
    shipped = [(u["codes"]["model"]["therapist_behaviour"], u["codes"]["model"]["therapist_subcodes"][0])
               for u in analyses.read_analysis(world.alice, first)["utterances"] if u.get("role") == "therapist"]
    third = _import(world, client, 2)
    after = _codes(world, third)
    assert shipped[1] == ("reflection", "simple")  # the shipped heads: "Maybe try ..." read as a reflection
    assert after[:2] == [("reflection", "complex"), ("therapist_input", "advice")]
    assert analyses.read_analysis(world.alice, first)["metrics"]["coding"]["model"].endswith("-1+minilm-context")
    assert analyses.read_analysis(world.alice, third)["metrics"]["coding"]["model"].endswith("-1+retrained")
    with world.engine.connect() as conn:
        actions = [r.action for r in conn.execute(select(audit_log.c.action))]
    assert actions.count("code.retrain") == 3
    with unit_of_work(world.alice) as conn:
        assert cc.local_model(world.alice, conn) is not None
    with unit_of_work(world.carol) as conn:
        assert cc.local_model(world.carol, conn) is None  # the heads are the clinician's own


