"""The sealed headline-metrics record (issue 19): the summary reads it instead of the 1 MB analysis
document, it follows a rewritten analysis, only the client's clinician writes it, and it is sealed."""

from __future__ import annotations

from sqlalchemy import select

from sessionlens.services import analyses, sessions, speaker_corrections
from sessionlens.vault.models import blobs

from .helpers import BACKENDS, client_with_session


def _headlines(world, session: str) -> list[bytes]:
    with world.engine.connect() as conn:
        return [bytes(r.content) for r in conn.execute(
            select(blobs.c.content).where(blobs.c.session_id == session, blobs.c.kind == "headline")).all()]


@BACKENDS
def test_summary_metrics_come_from_a_sealed_record_that_follows_the_analysis(world):
    _, session = client_with_session(world)
    assert _headlines(world, session) == []
    shown = sessions.show_session(world.alice, session)
    assert shown["metrics"] == analyses.read_analysis(world.alice, session)["metrics"]
    assert "headline" not in [r["kind"] for r in shown["records"]]  # derived, not one of the session's records
    (sealed,) = _headlines(world, session)
    assert b"talk_time" not in sealed and b"therapist" not in sealed  # sealed like every record

    before = shown["metrics"]["talk_time"]
    speakers = analyses.read_transcript(world.alice, session).speakers
    swapped = {s.id: {"role": {"therapist": "client", "client": "therapist"}.get(s.role.value, s.role.value)}
               for s in speakers}
    speaker_corrections.correct_speakers(world.alice, session, speakers=swapped)
    after = sessions.show_session(world.alice, session)["metrics"]
    assert after == analyses.read_analysis(world.alice, session)["metrics"]  # stale record rebuilt
    assert after["talk_time"]["therapist"]["seconds"] == before["client"]["seconds"]
    assert len(_headlines(world, session)) == 1  # the stale record was replaced, not kept beside it


@BACKENDS
def test_a_supervisor_reads_the_metrics_without_writing_the_record(world):
    _, session = client_with_session(world)
    sessions.share_session(world.alice, session, "bob")
    shown = sessions.show_session(world.bob, session)
    assert shown["metrics"]["talk_time"]
    assert _headlines(world, session) == []
    sessions.show_session(world.alice, session)
    assert len(_headlines(world, session)) == 1
    assert sessions.show_session(world.bob, session)["metrics"] == shown["metrics"]
