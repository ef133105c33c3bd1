"""The permission matrix for the reflection and supervision use cases (same actors and outcomes as
test_permissions.py): reflection is the clinician's own, markers follow session sharing, packets are
built by their clinician and opened only by the supervisor they were sealed for."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.services import reflection as rf
from sessionlens.services import sessions
from sessionlens.services import supervision as sv
from sessionlens.vault.models import audit_log

from ..deid.conftest import deid_model  # noqa: F401  (fixture: the spaCy model, loaded once)
from ..vault.helpers import client_with_session
from .test_permissions import ACTORS, DENIED, HIDDEN, OK, outcome_of

WB = {"rest": 2, "carry": 2, "support": 2, "meaning": 2, "boundaries": 2}
ST = {"goal": 3, "setbacks": 3, "resistance": 3, "limits": 3, "supervision": 3}
CALLS = {
    "reflection.record_impressions": lambda c, i: rf.record_impressions(c, i["session"], {"talk_share": 50}),
    "reflection.has_impressions": lambda c, i: rf.has_impressions(c, i["session"]),
    "reflection.compare_impressions": lambda c, i: rf.compare_impressions(c, i["session"]),
    "reflection.recollection_over_time": lambda c, i: rf.recollection_over_time(c),
    "reflection.add_journal_entry": lambda c, i: rf.add_journal_entry(c, i["session"], "noted"),
    "reflection.read_journal": lambda c, i: rf.read_journal(c, i["session"]),
    "reflection.export_journal": lambda c, i: rf.export_journal(c, i["session"]),
    "reflection.session_markers": lambda c, i: rf.session_markers(c, i["session"]),
    "reflection.record_measure": lambda c, i: rf.record_measure(c, i["client"], "gad7", [1] * 7),
    "reflection.list_measures": lambda c, i: rf.list_measures(c, i["client"]),
    "reflection.client_trends": lambda c, i: rf.client_trends(c, i["client"]),
    "reflection.clinician_trends": lambda c, i: rf.clinician_trends(c),
    "reflection.record_wellbeing": lambda c, i: rf.record_wellbeing(c, WB),
    "reflection.wellbeing_history": lambda c, i: rf.wellbeing_history(c),
    "reflection.record_standing": lambda c, i: rf.record_standing(c, ST),
    "reflection.standing_history": lambda c, i: rf.standing_history(c),
    "supervision.build_packet": lambda c, i: sv.build_packet(c, i["client"], [(i["session"], "u1-u3")]),
    "supervision.show_packet": lambda c, i: sv.show_packet(c, i["packet"]),
    "supervision.edit_packet": lambda c, i: sv.edit_packet(c, i["packet"], "1.1", "edited"),
    "supervision.approve_packet": lambda c, i: sv.approve_packet(c, i["packet"]),
    "supervision.export_packet_pdf": lambda c, i: sv.export_packet_pdf(c, i["reviewed"]),
    "supervision.seal_packet": lambda c, i: sv.seal_packet(c, i["reviewed"], "bob"),
    "supervision.list_packets": lambda c, i: sv.list_packets(c),
    "supervision.read_addressed_packet": lambda c, i: sv.read_addressed_packet(c, i["sealed"]),
    "supervision.open_packet_file": lambda c, i: sv.open_packet_file(c, i["file"]),
}
# carol (another clinician), bob on a shared session, bob unshared, dave (admin), alice (owner).
MATRIX = {
    "reflection.record_impressions": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.has_impressions": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.compare_impressions": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.recollection_over_time": (OK, DENIED, DENIED, DENIED, OK),
    "reflection.add_journal_entry": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.read_journal": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.export_journal": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.session_markers": (HIDDEN, OK, HIDDEN, DENIED, OK),
    "reflection.record_measure": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.list_measures": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.client_trends": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "reflection.clinician_trends": (OK, DENIED, DENIED, DENIED, OK),
    "reflection.record_wellbeing": (OK, DENIED, DENIED, DENIED, OK),
    "reflection.wellbeing_history": (OK, DENIED, DENIED, DENIED, OK),
    "reflection.record_standing": (OK, DENIED, DENIED, DENIED, OK),
    "reflection.standing_history": (OK, DENIED, DENIED, DENIED, OK),
    "supervision.build_packet": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "supervision.show_packet": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "supervision.edit_packet": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "supervision.approve_packet": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "supervision.export_packet_pdf": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "supervision.seal_packet": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "supervision.list_packets": (OK, OK, OK, DENIED, OK),
    "supervision.read_addressed_packet": (DENIED, OK, OK, DENIED, DENIED),
    "supervision.open_packet_file": (DENIED, OK, OK, DENIED, DENIED),
}


@pytest.mark.parametrize("call", sorted(MATRIX))
def test_permission_matrix(world, call, deid_model):  # noqa: F811  (a fixture)
    client, shared = client_with_session(world)
    _, unshared = client_with_session(world)
    sessions.share_session(world.alice, shared, "bob")
    rf.record_impressions(world.alice, shared, {"talk_share": 40})
    rf.add_journal_entry(world.alice, shared, "first entry")
    packets = [sv.build_packet(world.alice, client, [(shared, "u1-u4")])["id"] for _ in range(3)]
    for p in packets[1:]:
        sv.approve_packet(world.alice, p)
    file = sv.seal_packet(world.alice, packets[2], "bob")
    for actor, expected in zip(ACTORS, MATRIX[call], strict=True):
        name, _, variant = actor.partition(":")
        ids = {"client": client, "session": unshared if variant == "unshared" else shared, "packet": packets[0],
               "reviewed": packets[1], "sealed": packets[2], "file": file}
        outcome, _ = outcome_of(CALLS[call], world.ctx(name), ids)
        assert outcome == expected, f"{call} as {actor}: {outcome}, expected {expected}"
        if outcome != OK:
            with world.engine.connect() as conn:
                last = conn.execute(select(audit_log.c.action).order_by(audit_log.c.seq.desc())).scalars().first()
            assert last.startswith("refused:"), f"{call} as {actor}: refusal not audited"
