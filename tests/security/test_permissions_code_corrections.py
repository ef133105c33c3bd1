"""The permission matrix for code corrections (same actors and outcomes as test_permissions.py):
correcting is the owning clinician's alone; a supervisor may list them on a shared session; agreement
the re-training export and re-training itself cover the signed-in clinician's own sessions and no one else's."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.services import code_corrections as cc
from sessionlens.services import sessions
from sessionlens.vault.models import audit_log

from ..vault.helpers import client_with_session
from .test_permissions import ACTORS, DENIED, HIDDEN, OK, outcome_of

CALLS = {
    "code_corrections.correct_code": lambda c, i: cc.correct_code(c, i["session"], i["client_utt"],
                                                                  client_talk="change"),
    "code_corrections.list_corrections": lambda c, i: cc.list_corrections(c, i["session"]),
    "code_corrections.agreement": lambda c, i: cc.agreement(c),
    "code_corrections.export_training_rows": lambda c, i: cc.export_training_rows(c),
    "code_corrections.retrain": lambda c, i: cc.retrain(c, keep=False),
}
# carol (another clinician), bob on a shared session, bob unshared, dave (admin), alice (owner).
MATRIX = {
    "code_corrections.correct_code": (HIDDEN, DENIED, DENIED, DENIED, OK),
    "code_corrections.list_corrections": (HIDDEN, OK, HIDDEN, DENIED, OK),
    "code_corrections.agreement": (OK, DENIED, DENIED, DENIED, OK),
    "code_corrections.export_training_rows": (OK, DENIED, DENIED, DENIED, OK),
    "code_corrections.retrain": (OK, DENIED, DENIED, DENIED, OK),
}


def _last(world) -> tuple[str, str]:
    with world.engine.connect() as conn:
        row = conn.execute(select(audit_log.c.action, audit_log.c.actor).order_by(audit_log.c.seq.desc())).first()
    return row.action, row.actor


@pytest.mark.parametrize("call", sorted(MATRIX))
def test_permission_matrix(world, call):
    _, shared = client_with_session(world)
    _, unshared = client_with_session(world)
    sessions.share_session(world.alice, shared, "bob")
    cc.correct_code(world.alice, shared, "u2", client_talk="sustain", note="the clinician's own reasoning")
    cc.correct_code(world.alice, unshared, "u2", client_talk="sustain")
    for actor, expected in zip(ACTORS, MATRIX[call], strict=True):
        name, _, variant = actor.partition(":")
        ids = {"session": unshared if variant == "unshared" else shared, "client_utt": "u2"}
        outcome, result = outcome_of(CALLS[call], world.ctx(name), ids)
        assert outcome == expected, f"{call} as {actor}: {outcome}, expected {expected}"
        action, who = _last(world)
        assert who == name, f"{call} as {actor}: not audited"
        assert action.startswith("refused:") == (outcome != OK), f"{call} as {actor}: {action}"
        if outcome == OK and name == "carol":  # another clinician's view holds none of alice's corrections
            assert result == b"" or result["sessions"] in ([], 0)
        if outcome == OK and name == "bob":
            assert all("note" not in c for c in result["corrections"])
