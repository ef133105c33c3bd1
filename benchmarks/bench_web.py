"""Web benchmark: a real `sessionlens serve` process on loopback under concurrent signed-in users.

* server time to render the review page of a 60-minute session (in-process, target < 300 ms);
* laptop: 20 concurrent signed-in users on one SQLite vault (target p95 < 300 ms);
* practice server: 50 concurrent signed-in users (10 clinicians, 5 browsers each) on PostgreSQL while
  2 worker processes transcribe, p95 of the review page and the note editor (target < 300 ms).

Users act like people: a request, then a pause (think time, uniform 0.5–2 s) before the next; the same
runs are also made back to back with no pause (a stress figure, reported beside). Reproduce:
`make bench BENCH=web` (PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379 for the server part).
The 60-minute session is the demo session (written by the project) repeated with shifted times; the
audio the workers transcribe is the project's synthetic test dialogue.
"""

from __future__ import annotations

import functools
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from benchmarks.run import machine
from sessionlens.codec import transcript_to_dict
from sessionlens.config import Settings
from sessionlens.domain import Transcript
from sessionlens.ingest import parse_transcript
from sessionlens.services import clients, consent, sessions, vaults
from sessionlens.services.context import Ctx
from sessionlens.web import create_app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "sessionlens" / "data" / "demo_session.vtt"
PASSPHRASE = "benchmark passphrase, not a secret"
USERS, REQUESTS_PER_USER, RENDERS = 20, 12, 25
PG_CLINICIANS, PG_BROWSERS, PG_AUDIO_JOBS = 10, 5, 10
THINK = (0.5, 2.0)  # seconds between a user's requests
PASSWORD = "benchmark-password-1"
AUDIO = ROOT / "tests" / "speech" / "data" / "dialogue.opus"


def hour_long() -> bytes:
    """The demo session repeated with shifted times until it lasts 60 minutes (project JSON)."""
    demo = parse_transcript(DEMO.read_bytes(), source="demo.vtt")
    length = (demo.duration or 0) + 5.0
    utts = []
    for k in range(int(3600 // length) + 1):
        for u in demo.utterances:
            start, end = u.start + k * length, u.end + k * length
            if end > 3600:
                break
            utts.append(replace(u, id=f"u{len(utts) + 1}", start=start, end=end))
    return json.dumps(transcript_to_dict(Transcript(tuple(utts), demo.speakers, "webvtt", demo.timing))).encode()


def make_vault(directory: Path) -> tuple[str, str, int]:
    settings = Settings({"kdf_memory_mib": 64, "kdf_parallelism": 1}, env={})
    ctx = vaults.init_vault(PASSPHRASE, "bench", data_dir=directory, settings=settings).ctx
    client = clients.add_client(ctx, "Benchmark Client")
    consent.record_consent(ctx, client["id"])
    session = sessions.import_session(ctx, client["id"], hour_long(), source="hour.json")
    ctx.vault.close()
    return client["id"], session["id"], session["utterances"]


def _cookie(response: httpx.Response, name: str) -> str:
    return next(v.split(";", 1)[0] for k, v in response.headers.multi_items()
                if k == "set-cookie" and v.startswith(name + "="))


def sign_in(http: httpx.Client | TestClient, username: str = "", secret: str = PASSPHRASE) -> None:
    """Sign in through the form. Cookies are carried by hand: they are Secure, and a client library's
    jar (unlike a browser) will not send Secure cookies to http://127.0.0.1."""
    page = http.get("/signin")
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)
    answer = http.post("/signin", data={"pre": pre, "username": username, "secret": secret},
                       headers={"cookie": _cookie(page, "__Host-sl_pre")})
    assert answer.status_code == 303, answer.status_code
    http.headers["cookie"] = _cookie(answer, "__Host-sl_session")


def render_times(directory: Path, session_id: str) -> tuple[list[float], list[float], int]:
    """Server-side time of GET /sessions/{id}, in-process (no network or browser in the number): rendered
    from the analysis (the account's kept pages emptied before each request), then kept pages shown again."""
    app = create_app(Settings(env={}), directory)
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as http:
        sign_in(http)
        http.get(f"/sessions/{session_id}")  # warm templates and imports
        pages = next(iter(app.state.web.sessions._items.values())).pages
        rendered, kept, size = [], [], 0
        for n in range(2 * RENDERS):
            if n < RENDERS:
                pages.clear()
            t0 = time.perf_counter()
            page = http.get(f"/sessions/{session_id}")
            (rendered if n < RENDERS else kept).append((time.perf_counter() - t0) * 1000)
            assert page.status_code == 200
            size = len(page.content)
    return rendered, kept, size


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, *, directory: Path | None = None, env: dict[str, str] | None = None,
                 log: Path | None = None) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("sessionlens")
    args = [str(exe), "serve", "--port", str(port)] + (["--data-dir", str(directory)] if directory else [])
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1.0)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"the server did not start (see {log})" if log else "the server did not start")


@dataclass
class Load:
    """Who signs in and what each of them asks for, in turn."""

    base: str
    users: list[tuple[str, str, list[str]]]  # (username, secret, urls)
    requests: int
    think: tuple[float, float] | None
    times: dict[str, list[float]] = field(default_factory=dict)  # url kind -> latencies (ms)
    firsts: list[float] = field(default_factory=list)  # each user's first request of each url (cold pages)
    lock: threading.Lock = field(default_factory=threading.Lock)


def kind_of(url: str) -> str:
    return re.sub(r"[a-z]-[a-z0-9]{8}", "{id}", url)


def user(load: Load, who: tuple[str, str, list[str]], ready: threading.Barrier, seed: int) -> None:
    username, secret, urls = who
    rng = random.Random(seed)
    with httpx.Client(base_url=load.base, follow_redirects=False, timeout=120.0) as http:
        try:
            sign_in(http, username, secret)
        finally:
            ready.wait(timeout=900)  # a failed sign-in breaks the barrier instead of hanging the run
        if load.think:
            time.sleep(rng.uniform(0, load.think[1]))  # users do not all click at the same instant
        for i in range(load.requests):
            url = urls[i % len(urls)]
            t0 = time.perf_counter()
            r = http.get(url)
            ms = (time.perf_counter() - t0) * 1000
            assert r.status_code == 200, (url, r.status_code)
            with load.lock:
                load.times.setdefault(kind_of(url), []).append(ms)
                if i < len(urls):
                    load.firsts.append(ms)
            if load.think:
                time.sleep(rng.uniform(*load.think))


def run_load(load: Load) -> float:
    """All users sign in, then start together; returns the wall time of the requests."""
    ready = threading.Barrier(len(load.users) + 1)
    threads = [threading.Thread(target=user, args=(load, who, ready, n)) for n, who in enumerate(load.users)]
    for t in threads:
        t.start()
    ready.wait(timeout=900)
    t0 = time.perf_counter()
    for t in threads:
        t.join(timeout=1800)
    wall = time.perf_counter() - t0
    got, want = sum(len(v) for v in load.times.values()), len(load.users) * load.requests
    if got != want:
        raise RuntimeError(f"only {got} of {want} requests succeeded")
    return wall


def laptop(directory: Path, client_id: str, session_id: str, think: tuple[float, float] | None) -> tuple[Load, float]:
    port = free_port()
    proc = start_server(port, directory=directory)
    urls = [f"/sessions/{session_id}", f"/clients/{client_id}", f"/api/sessions/{session_id}", "/clients",
            f"/sessions/{session_id}/note", f"/api/sessions/{session_id}/analysis"]
    load = Load(f"http://127.0.0.1:{port}", [("", PASSPHRASE, urls)] * USERS, REQUESTS_PER_USER, think)
    try:
        wall = run_load(load)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return load, wall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


ANCHOR: list[Path] = []  # the practice's audit anchor directory, shared by this process, the server and the workers


def _pg_settings(**extra: object) -> Settings:
    anchor = {"audit_anchor_dir": str(ANCHOR[0])} if ANCHOR else {}
    return Settings({"kdf_memory_mib": 64, "kdf_parallelism": 1, **anchor, **extra}, env={})


def practice_owner(url: str, settings: Settings, prefix: str = "slbench-web-") -> Ctx:
    """The admin who owns a new practice vault in the PostgreSQL database at ``url`` (set-up reads the
    database URL from the environment, so it is set for the call only)."""
    from sessionlens.vault.accounts import Role

    directory = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["SESSIONLENS_DATABASE_URL"] = url
    try:
        return vaults.init_vault(PASSPHRASE, "admin", role=Role.ADMIN, data_dir=directory, settings=settings).ctx
    finally:
        del os.environ["SESSIONLENS_DATABASE_URL"]


def pg_vault(url: str) -> list[tuple[str, str]]:
    """A practice vault: an admin owner and PG_CLINICIANS clinicians, each with one client whose 60-minute
    session is analysed and has a drafted note. Returns (username, session id) per clinician."""
    from sessionlens.services import accounts, note_workflow
    from sessionlens.vault import store, tenancy
    from sessionlens.vault.accounts import Role

    owner = practice_owner(url, _pg_settings(database_url=url))
    names = [f"clinician{i:02d}" for i in range(PG_CLINICIANS)]
    for name in names:
        accounts.add_account(owner, name, Role.CLINICIAN, PASSWORD)
    owner.vault.close()
    engine, data, out = store.make_engine(url), hour_long(), []
    for name in names:
        vault = tenancy.open_with_account(engine, _pg_settings(), name, PASSWORD)
        ctx = vaults.login(vault, name, PASSWORD)
        cid = clients.add_client(ctx, "Benchmark Client")["id"]
        consent.record_consent(ctx, cid)
        sid = sessions.import_session(ctx, cid, data, source="hour.json")["id"]
        note_workflow.draft_session_note(ctx, sid, "soap")
        out.append((name, sid))
        vault.close()
    return out


TRANSCRIBER = """
import sys
from pathlib import Path
from sessionlens.config import Settings
from sessionlens.jobs.celery_app import lower_priority
from sessionlens.services.pipeline import speech_options
from sessionlens.speech.pipeline import transcribe

data, done = Path(sys.argv[1]).read_bytes(), Path(sys.argv[2])
options, n = speech_options(Settings({"speech_threads": 1}, env={})), 0
lower_priority()  # niceness 10, as the real Celery workers run (issue 19)
while True:
    transcribe(data, options)
    n += 1
    done.write_text(str(n))
"""


def transcribers(work: Path, n: int = 2) -> list[tuple[subprocess.Popen, Path]]:
    """n processes transcribing the test dialogue over and over with the workers' speech pipeline (one thread
    each and niceness 10, as a worker runs it): the practice server's transcription load, started before the
    users. Stand-ins, not Celery workers: the load is the same speech pipeline, without broker round trips."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    out = []
    for k in range(n):
        done = work / f"transcribed{k}"
        out.append((subprocess.Popen([sys.executable, "-c", TRANSCRIBER, str(AUDIO), str(done)], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), done))
    deadline = time.monotonic() + 300
    while not all(d.exists() for _, d in out) and time.monotonic() < deadline:
        time.sleep(0.5)  # each has finished one transcription: models loaded, busy from here on
    return out


def count(done: Path) -> int:
    return int(done.read_text()) if done.exists() else 0


def practice_server(think: tuple[float, float] | None) -> tuple[Load, float, dict[str, object]]:
    """50 signed-in users on PostgreSQL while 2 processes transcribe."""
    from tests.server.conftest import drop_schema, pg_schema
    from tests.server.workers import cluster

    schema, url = pg_schema()
    work = Path(tempfile.mkdtemp(prefix="slbench-web-"))
    ANCHOR[:] = [work / "anchor"]
    ANCHOR[0].mkdir()
    try:
        clinicians = pg_vault(url)
        with cluster(url, work) as c:
            c.lease = 60
            os.environ["SESSIONLENS_QUEUE"] = c.queue  # this process dispatches to the workers' queue
            port = free_port()
            env = c.env(SESSIONLENS_JOB_RUNNER="celery", SESSIONLENS_KDF_MEMORY_MIB="64",
                        SESSIONLENS_KDF_PARALLELISM="1", SESSIONLENS_AUDIT_ANCHOR_DIR=str(ANCHOR[0]))
            proc = start_server(port, env=env, log=work / "server.log")
            try:
                users = [(name, PASSWORD, [f"/sessions/{sid}", f"/sessions/{sid}/note"])
                         for name, sid in clinicians for _ in range(PG_BROWSERS)]
                busy = transcribers(work)
                load = Load(f"http://127.0.0.1:{port}", users, REQUESTS_PER_USER, think)
                before = [count(d) for _, d in busy]
                wall = run_load(load)
                after = [count(d) for _, d in busy]
                alive = all(p.poll() is None for p, _ in busy)
            finally:
                proc.terminate()
                proc.wait(timeout=20)
                for p, _ in locals().get("busy", []):
                    p.kill()
                    p.wait(timeout=20)
    finally:
        os.environ.pop("SESSIONLENS_QUEUE", None)
        ANCHOR.clear()
        drop_schema(schema)
    return load, wall, {"transcribed before": sum(before), "transcribed after": sum(after), "alive": alive}


def _row(label: str, values: list[float], wall: float | None = None) -> str:
    rate = f" ({len(values) / wall:.1f} req/s)" if wall else ""
    verdict = "meets" if pct(values, 0.95) < 300 else "misses"
    return (f"| {label} | {len(values)}{rate} | {pct(values, 0.5):.0f} ms | {pct(values, 0.95):.0f} ms "
            f"({verdict}) | {max(values):.0f} ms |")


def progress(label: str, load: Load, wall: float) -> None:
    """Each run's numbers as soon as it ends (a long benchmark on a busy machine may be cut short)."""
    for kind, values in sorted(load.times.items()):
        sys.stderr.write(f"{label}: {_row(kind, values, wall)} load {os.getloadavg()[0]:.1f}\n")
    sys.stderr.flush()


def main() -> str:
    from sessionlens.vault import keys

    keys.derive_passphrase_key = functools.cache(keys.derive_passphrase_key)  # same cost, derived once
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="sl-bench-web-") as tmp:
        directory = Path(tmp)
        client_id, session_id, utterances = make_vault(directory)
        renders, kept, size = render_times(directory, session_id)
        lap, lap_wall = laptop(directory, client_id, session_id, THINK)
        progress("laptop, think time", lap, lap_wall)
        lap_stress, lap_stress_wall = laptop(directory, client_id, session_id, None)
        progress("laptop, stress", lap_stress, lap_stress_wall)
    srv, srv_wall, busy = practice_server(THINK)
    progress("practice server", srv, srv_wall)
    load_end = os.getloadavg()[0]
    everything = lambda load: [v for vals in load.times.values() for v in vals]  # noqa: E731
    review, editor = "/sessions/{id}", "/sessions/{id}/note"
    return "\n".join([
        "## Web app (`sessionlens serve`) under concurrent users",
        "",
        f"Machine: {machine()}; load average (1 min) {load_start:.1f} at the start and {load_end:.1f} at the end "
        "of the run (the machine is shared: other work inflates the tails). Reproduce: `make bench BENCH=web`.",
        "",
        f"Review page of a 60-minute session ({utterances} utterances, page {size / 1024:.0f} KiB), server time "
        f"in-process over {RENDERS} requests each: rendered (decrypt + parse + render + audit) median "
        f"{statistics.median(renders):.0f} ms, p95 {pct(renders, 0.95):.0f} ms; shown again from the account's "
        f"kept pages (permission check + audit) median {statistics.median(kept):.0f} ms, p95 "
        f"{pct(kept, 0.95):.0f} ms (target < 300 ms).",
        "",
        f"A real server process on loopback; each user signs in through the form, then makes {REQUESTS_PER_USER} "
        f"requests with a think time of {THINK[0]}–{THINK[1]} s between them (\"stress\": no pause at all). "
        "One audit entry per request, appended by the vault's single audit writer (group commit); SQLite reads "
        "run beside the writer instead of queuing for its lock. A review page or note editor is rendered on an "
        "account's first view of it and kept for its later views, in any of its tabs, until what it shows "
        "changes (web/page_cache.py); the sessions' headline metrics come from a small sealed record, not the "
        "1 MB analysis document. The target applies to every request, first views included.",
        "",
        "| run | requests | p50 | p95 (target < 300 ms) | max |",
        "|---|---|---|---|---|",
        _row(f"laptop (SQLite), {USERS} users: review page, client, session JSON, client list, note editor, "
             "analysis JSON", everything(lap), lap_wall),
        _row(f"laptop (SQLite), {USERS} users, stress", everything(lap_stress), lap_stress_wall),
        _row(f"practice server (PostgreSQL), {len(srv.users)} users ({PG_CLINICIANS} clinicians × {PG_BROWSERS} "
             "browsers), 2 processes transcribing: review page", srv.times[review]),
        _row("practice server, same run: note editor", srv.times[editor]),
        _row("practice server, same run: both", everything(srv), srv_wall),
        _row("practice server, same run: each user's first view of each page (pages not yet kept)", srv.firsts),
        _row("laptop, think time: each user's first request of each url", lap.firsts),
        "",
        f"Transcription load: 2 processes running the workers' speech pipeline (one thread each) on the 35 s "
        f"synthetic dialogue over and over, {busy['transcribed after'] - busy['transcribed before']} transcriptions "
        f"finished while the users were served (still running at the end: {busy['alive']}). They stand in for the "
        "Celery workers: the same speech pipeline at the same niceness, without the broker round trips.",
    ])


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.stdout.write(main() + "\n")
