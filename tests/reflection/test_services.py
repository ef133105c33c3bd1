"""Reflection use cases on a real vault: blind impressions, sealed journals, consent, measures,
shredding, and no PHI in the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.errors import ConsentError, InputError, NotFoundError
from sessionlens.services import analyses, clients, consent, exports
from sessionlens.services import reflection as rf
from sessionlens.vault.models import audit_log, reflections

from ..vault.helpers import client_with_session


def test_impressions_are_blind_until_the_data_is_opened(world):
    _, session = client_with_session(world)
    assert rf.has_impressions(world.alice, session) == {"session": session, "recorded": False, "data_opened": False}
    assert rf.record_impressions(world.alice, session, {"talk_share": 60})["blind"] is True
    analyses.read_analysis(world.alice, session)
    assert rf.record_impressions(world.alice, session, {"talk_share": 50})["blind"] is False
    out = rf.compare_impressions(world.alice, session)
    assert out["blind"] is False and out["rows"][0]["recalled"] == 50


def test_journal_is_sealed_private_and_left_out_of_session_exports(world):
    _, session = client_with_session(world)
    rf.add_journal_entry(world.alice, session, "Zebulon reminded me of my brother.")
    with world.engine.connect() as conn:
        sealed = conn.execute(select(reflections.c.sealed)).scalars().all()
        trail = " ".join(str(r) for r in conn.execute(select(audit_log)).all())
    assert all(b"Zebulon" not in s for s in sealed) and "Zebulon" not in trail
    assert b"Zebulon" not in exports.export_session(world.alice, session, "analysis")
    assert "Zebulon" in rf.export_journal(world.alice, session).decode()
    with pytest.raises(NotFoundError):
        rf.read_journal(world.carol, session)


def test_journal_refused_without_consent_and_empty_text_refused(world):
    client, session = client_with_session(world)
    with pytest.raises(InputError):
        rf.add_journal_entry(world.alice, session, "   ")
    consent.revoke_consent(world.alice, client)
    with pytest.raises(ConsentError):
        rf.add_journal_entry(world.alice, session, "after revocation")
    with pytest.raises(ConsentError):
        rf.record_impressions(world.alice, session, {"talk_share": 10})


def test_measures_out_of_range_refused_and_nothing_stored(world):
    client, session = client_with_session(world)
    for bad in ([4] * 9, [1] * 8):
        with pytest.raises(InputError):
            rf.record_measure(world.alice, client, "phq9", bad)
    assert rf.list_measures(world.alice, client) == []
    rf.record_measure(world.alice, client, "phq9", [1] * 9, session_id=session)
    _other, other_session = client_with_session(world)
    with pytest.raises(NotFoundError):
        rf.record_measure(world.alice, client, "phq9", [1] * 9, session_id=other_session)
    assert [m["total"] for m in rf.list_measures(world.alice, client)] == [9]


def test_shredding_a_client_removes_their_reflection_records(world):
    client, session = client_with_session(world)
    rf.add_journal_entry(world.alice, session, "entry")
    rf.record_measure(world.alice, client, "gad7", [0] * 7)
    rf.record_wellbeing(world.alice, {"rest": 1, "carry": 1, "support": 1, "meaning": 1, "boundaries": 1})
    clients.shred_client(world.alice, client)
    rf.recollection_over_time(world.alice)  # purges orphans
    rf.record_impressions(world.alice, client_with_session(world)[1], {"talk_share": 30})
    with world.engine.connect() as conn:
        kinds = conn.execute(select(reflections.c.kind)).scalars().all()
    assert sorted(kinds) == ["impression", "wellbeing"]
    assert len(rf.wellbeing_history(world.alice)) == 1


def test_trends_and_standing_read_the_caseload(world):
    client, _ = client_with_session(world)
    client_with_session(world)
    t = rf.client_trends(world.alice, client)
    assert len(t["sessions"]) == 1 and t["themes"]
    mine = rf.clinician_trends(world.alice)
    assert mine["baselines"]["sessions"] == 2 and len(mine["heavy_sessions"]) == 2  # the demo mentions risk
    rf.record_standing(world.alice, {k: 2 for k in ("goal", "setbacks", "resistance", "limits", "supervision")})
    out = rf.standing_history(world.alice)
    assert len(out["history"]) == 1 and out["heavy_sessions"] == 2
    assert rf.standing_history(world.carol)["history"] == []  # each clinician's own
