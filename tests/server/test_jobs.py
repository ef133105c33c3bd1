"""Durable jobs on PostgreSQL: checkpoints, resumption on another worker, waiting for keys, back-off."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update

from sessionlens.errors import NotFoundError
from sessionlens.jobs import runner, stages
from sessionlens.services.keyring import hold_keys
from sessionlens.vault import job_rows as R
from sessionlens.services.keyring import MemoryKeyring
from sessionlens.jobs.runner import InProcessRunner, run_once, wait_for
from sessionlens.services import clients, consent, server_jobs, sessions
from sessionlens.vault.models import audit_log, job_stages, jobs
from sessionlens.vault.models import sessions as session_table

from .conftest import DEMO, settings

pytestmark = pytest.mark.postgres


class Recorder:
    """A runner that only remembers what was dispatched (the test drives run_once itself)."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def dispatch(self, job_id: str) -> None:
        self.ids.append(job_id)


def _client(ctx):  # type: ignore[no-untyped-def]
    cid = clients.add_client(ctx, "Jane Example")["id"]
    consent.record_consent(ctx, cid)
    return cid


def _count(server, table) -> int:  # type: ignore[no-untyped-def]
    with server.vault.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_in_process_runner_imports_a_transcript(server) -> None:
    alice = server.ctx["alice"]
    cid = _client(alice)
    keyring = MemoryKeyring()
    hold_keys(server.vault, alice.actor.id, keyring, "web:test")
    run = InProcessRunner(server.vault.engine, settings(), keyring)
    try:
        job = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=run,
                                            keyring=keyring)
        assert job["state"] in ("queued", "running", "done")
        done = wait_for(server.vault.engine, job["id"])
    finally:
        run.shutdown()
    assert done.state == "done", done
    status = server_jobs.job_status(alice, job["id"])
    assert status["progress"] == 1.0 and status["stages"] == ["parse", "analyze", "store"]
    assert sessions.show_session(alice, status["session"])["utterances"] > 10
    assert _count(server, job_stages) == 0  # checkpoints go with the final transaction
    assert keyring.holders(alice.actor.id) == {"web:test"}  # the job let go of the keys


def test_a_job_for_a_signed_out_clinician_waits_then_runs(server) -> None:
    alice = server.ctx["alice"]
    cid = _client(alice)
    keyring, rec = MemoryKeyring(), Recorder()
    job = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=rec, keyring=keyring)
    keyring.release(alice.actor.id, runner.job_holder(job["id"]))  # the approval lapsed, nobody signed in
    engine = server.vault.engine
    assert run_once(engine, settings(), keyring, job["id"], "w1") == ("wait", runner.KEY_WAIT_SECONDS)
    assert server_jobs.job_status(alice, job["id"])["state"] == "waiting_for_keys"
    assert run_once(engine, settings(), keyring, job["id"], "w1")[0] == "wait"  # still waiting, not failing
    hold_keys(server.vault, alice.actor.id, keyring, "web:again")  # she signs in again
    assert run_once(engine, settings(), keyring, job["id"], "w1") == ("done", 0.0)


class Killed(BaseException):
    """Stands for the process dying: nothing after it runs (not even except Exception handlers)."""


def test_a_job_resumes_on_another_worker_without_recomputing(server, monkeypatch) -> None:
    alice = server.ctx["alice"]
    cid = _client(alice)
    keyring, rec = MemoryKeyring(), Recorder()
    job = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=rec, keyring=keyring)
    sessions_before = _count(server, session_table)

    def die_after_analyze(stage: str) -> None:
        if stage == "analyze":
            raise Killed

    monkeypatch.setattr(stages, "_pause_after", die_after_analyze)
    with pytest.raises(Killed):
        run_once(server.vault.engine, settings(), keyring, job["id"], "worker-a")
    monkeypatch.undo()
    assert _count(server, session_table) == sessions_before  # no partial session
    # worker-a took the job's grant (read and deleted) and died with it: no one else can read it ...
    assert run_once(server.vault.engine, settings(), keyring, job["id"], "worker-b")[0] == "wait"
    assert hold_keys(alice.vault, alice.actor.id, keyring, "web")  # ... until the clinician signs in again
    # worker-a still holds a live lease: another worker leaves the job alone ...
    assert run_once(server.vault.engine, settings(), keyring, job["id"], "worker-b")[0] == "busy"
    with server.vault.engine.begin() as conn:  # ... until the lease runs out
        conn.execute(update(jobs).where(jobs.c.id == job["id"]).values(lease_until="2000-01-01T00:00:00.000000Z"))
    computed: list[str] = []
    original = stages._compute
    monkeypatch.setattr(stages, "_compute", lambda ctx, j, name, prev, hb: computed.append(name)
                        or original(ctx, j, name, prev, hb))
    assert run_once(server.vault.engine, settings(), keyring, job["id"], "worker-b") == ("done", 0.0)
    assert computed == []  # parse and analyze were checkpointed: only the store ran
    with server.vault.engine.connect() as conn:
        row = R.get(conn, job["id"])
    assert [(h["stage"], h["worker"]) for h in row.history] == [
        ("parse", "worker-a"), ("analyze", "worker-a"), ("store", "worker-b")]
    assert row.attempts == 2
    assert _count(server, session_table) == sessions_before + 1


def test_transient_errors_are_retried_with_back_off(server, monkeypatch) -> None:
    alice = server.ctx["alice"]
    cid = _client(alice)
    keyring, rec = MemoryKeyring(), Recorder()
    job = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=rec, keyring=keyring)
    original, calls = stages._compute, []

    def flaky(ctx, j, name, prev, hb):  # type: ignore[no-untyped-def]
        calls.append(name)
        if len(calls) == 1:
            raise ConnectionError("the database went away")
        return original(ctx, j, name, prev, hb)

    monkeypatch.setattr(stages, "_compute", flaky)
    assert run_once(server.vault.engine, settings(), keyring, job["id"], "w") == ("retry", runner.backoff(1))
    assert server_jobs.job_status(alice, job["id"])["state"] == "queued"
    assert run_once(server.vault.engine, settings(), keyring, job["id"], "w") == ("done", 0.0)
    assert [runner.backoff(n) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 16.0]


def test_bad_input_fails_once_with_the_products_message(server) -> None:
    alice = server.ctx["alice"]
    cid = _client(alice)
    keyring, rec = MemoryKeyring(), Recorder()
    job = server_jobs.submit_transcript(alice, cid, b"\x00\x01 not a transcript", source="x.vtt", runner=rec,
                                        keyring=keyring)
    assert run_once(server.vault.engine, settings(), keyring, job["id"], "w") == ("failed", 0.0)
    status = server_jobs.job_status(alice, job["id"])
    assert status["state"] == "failed" and status["message"] and status["attempts"] == 1
    assert keyring.get(alice.actor.id) is None  # nothing holds the keys any more


def test_another_clinicians_job_is_not_found_and_audited(server) -> None:
    alice, carol = server.ctx["alice"], server.sign_in("carol")
    cid = _client(alice)
    job = server_jobs.submit_transcript(alice, cid, DEMO.read_bytes(), source="demo.vtt", runner=Recorder(),
                                        keyring=MemoryKeyring())
    with pytest.raises(NotFoundError):
        server_jobs.job_status(carol, job["id"])
    assert server_jobs.list_jobs(carol) == []
    with server.vault.engine.connect() as conn:
        last = conn.execute(select(audit_log).order_by(audit_log.c.seq.desc())).first()
    assert last.action == "refused:job.read" and last.actor == "carol" and last.target == job["id"]


AUDIO = DEMO.parents[3] / "tests" / "speech" / "data" / "dialogue.opus"


def test_an_audio_job_transcribes_and_retention_drops_the_audio(server) -> None:
    from sessionlens.services import media_sessions

    alice = server.ctx["alice"]
    cid = _client(alice)
    keyring = MemoryKeyring()
    created = media_sessions.create_audio_session(alice, cid, status="awaiting_transcription", mime="audio/ogg",
                                                  data=AUDIO.read_bytes())
    # after_transcription (the default, until_signed, keeps it for the review: tests/web/test_retention_until_signed.py)
    run = InProcessRunner(server.vault.engine, settings(speech_threads=1, retention_audio="after_transcription"),
                          keyring)
    try:
        job = server_jobs.submit_audio(alice, created["id"], runner=run, keyring=keyring)
        done = wait_for(server.vault.engine, job["id"], timeout=180)
    finally:
        run.shutdown()
    assert done.state == "done" and [h["stage"] for h in done.history] == ["transcribe", "analyze", "store"], done
    header = media_sessions.session_header(alice, created["id"])
    assert header["status"] == "ready" and header["utterances"] > 3
    assert "audio" not in header["kinds"]  # retention: audio goes once the transcript is stored
