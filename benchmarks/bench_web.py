"""Web benchmark: server time to render the review page of a 60-minute session (target < 300 ms), and
latency under 20 concurrent signed-in users on loopback (a real `sessionlens serve` in its own process).

Reproduce: `make bench BENCH=web`. The 60-minute session is the demo session (written by the project)
repeated with shifted times; nothing else is read.
"""

from __future__ import annotations

import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from benchmarks.run import machine
from sessionlens.codec import transcript_to_dict
from sessionlens.config import Settings
from sessionlens.domain import Transcript
from sessionlens.ingest import parse_transcript
from sessionlens.services import clients, consent, sessions, vaults
from sessionlens.web import create_app

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "sessionlens" / "data" / "demo_session.vtt"
PASSPHRASE = "benchmark passphrase, not a secret"
USERS, REQUESTS_PER_USER, RENDERS = 20, 12, 25


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


def sign_in(http: httpx.Client | TestClient) -> None:
    """Sign in through the form. Cookies are carried by hand: they are Secure, and a client library's
    jar (unlike a browser) will not send Secure cookies to http://127.0.0.1."""
    page = http.get("/signin")
    pre = re.search(r'name="pre" value="([^"]+)"', page.text).group(1)
    answer = http.post("/signin", data={"pre": pre, "secret": PASSPHRASE},
                       headers={"cookie": _cookie(page, "__Host-sl_pre")})
    assert answer.status_code == 303, answer.status_code
    http.headers["cookie"] = _cookie(answer, "__Host-sl_session")


def render_times(directory: Path, session_id: str) -> tuple[list[float], int]:
    """Server-side time of GET /sessions/{id}: in-process, so no network or browser in the number."""
    app = create_app(Settings(env={}), directory)
    with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as http:
        sign_in(http)
        http.get(f"/sessions/{session_id}")  # warm templates and imports
        times, size = [], 0
        for _ in range(RENDERS):
            t0 = time.perf_counter()
            page = http.get(f"/sessions/{session_id}")
            times.append((time.perf_counter() - t0) * 1000)
            assert page.status_code == 200
            size = len(page.content)
    return times, size


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(directory: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("sessionlens")
    proc = subprocess.Popen([str(exe), "serve", "--port", str(port), "--data-dir", str(directory)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1.0)
            return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the server did not start")


def user(base: str, urls: list[str], out: list[float], ready: threading.Barrier) -> None:
    with httpx.Client(base_url=base, follow_redirects=False, timeout=60.0) as http:
        try:
            sign_in(http)
        finally:
            ready.wait(timeout=300)  # a failed sign-in breaks the barrier instead of hanging the run
        for i in range(REQUESTS_PER_USER):
            t0 = time.perf_counter()
            r = http.get(urls[i % len(urls)])
            out.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200, r.status_code


def concurrent(directory: Path, client_id: str, session_id: str) -> tuple[list[float], float]:
    port = free_port()
    proc = start_server(directory, port)
    base = f"http://127.0.0.1:{port}"
    urls = [f"/sessions/{session_id}", f"/clients/{client_id}", f"/api/sessions/{session_id}", "/clients",
            f"/sessions/{session_id}/note", f"/api/sessions/{session_id}/analysis"]
    latencies: list[float] = []
    ready = threading.Barrier(USERS + 1)
    threads = [threading.Thread(target=user, args=(base, urls, latencies, ready)) for _ in range(USERS)]
    try:
        for t in threads:
            t.start()
        ready.wait(timeout=300)
        t0 = time.perf_counter()
        for t in threads:
            t.join(timeout=600)
        wall = time.perf_counter() - t0
        if len(latencies) != USERS * REQUESTS_PER_USER:
            raise RuntimeError(f"only {len(latencies)} of {USERS * REQUESTS_PER_USER} requests succeeded")
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    return latencies, wall


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> str:
    with tempfile.TemporaryDirectory(prefix="sl-bench-web-") as tmp:
        directory = Path(tmp)
        client_id, session_id, utterances = make_vault(directory)
        renders, size = render_times(directory, session_id)
        latencies, wall = concurrent(directory, client_id, session_id)
    load = os.getloadavg()[0]
    median = statistics.median(renders)
    verdict = "meets" if pct(renders, 0.95) < 300 else "misses"
    return "\n".join([
        "## Web app (`sessionlens serve`)",
        "",
        f"Machine: {machine()}; load average {load:.1f} at the end of the run (other work on the machine "
        "inflates the tails). Reproduce: `make bench BENCH=web`.",
        "",
        f"Review page of a 60-minute session ({utterances} utterances, page {size / 1024:.0f} KiB), server time "
        f"measured in-process over {RENDERS} renders (decrypt + audit + render):",
        "",
        "| measure | value |",
        "|---|---|",
        f"| median render | {median:.0f} ms |",
        f"| p95 render | {pct(renders, 0.95):.0f} ms (target < 300 ms: {verdict}) |",
        "",
        f"{USERS} concurrent signed-in users on loopback against a real server process, {REQUESTS_PER_USER} "
        f"requests each (review page, client overview, session JSON, client list, note editor, analysis JSON):",
        "",
        "| measure | value |",
        "|---|---|",
        f"| requests | {len(latencies)} in {wall:.1f} s ({len(latencies) / wall:.1f} req/s) |",
        f"| p50 latency | {pct(latencies, 0.5):.0f} ms |",
        f"| p95 latency | {pct(latencies, 0.95):.0f} ms |",
        f"| max latency | {max(latencies):.0f} ms |",
        "",
        "Every request decrypts what it shows and appends to the audit chain (SQLite, one writer at a time), "
        "so concurrent requests queue on the vault; the numbers include that on purpose.",
    ])


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.stdout.write(main() + "\n")
