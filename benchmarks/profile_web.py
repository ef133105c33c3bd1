"""CPU per request of the web benchmark's routes, in-process (issue 19): less sensitive to machine load than
wall time. `python benchmarks/profile_web.py` prints, per route, the median process CPU time of N requests
on the 60-minute session and the response size; `--profile` also prints a cProfile top list per route."""

from __future__ import annotations

import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks.bench_web import make_vault, sign_in  # noqa: E402

from sessionlens.config import Settings  # noqa: E402
from sessionlens.web import create_app  # noqa: E402

N = 10


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        client_id, session_id, utterances = make_vault(directory)
        urls = [f"/sessions/{session_id}", f"/clients/{client_id}", f"/api/sessions/{session_id}", "/clients",
                f"/sessions/{session_id}/note", f"/api/sessions/{session_id}/analysis"]
        app = create_app(Settings(env={}), directory)
        with TestClient(app, base_url="https://127.0.0.1", follow_redirects=False) as http:
            sign_in(http)
            print(f"60-minute session, {utterances} utterances; CPU ms per request (median of {N})")
            for url in urls:
                http.get(url)  # warm
                cpu = []
                for _ in range(N):
                    t0 = time.process_time()
                    r = http.get(url)
                    cpu.append((time.process_time() - t0) * 1000)
                    assert r.status_code == 200, (url, r.status_code)
                name = url.replace(session_id, "{s}").replace(client_id, "{c}")
                print(f"{name:32} {statistics.median(cpu):7.1f} ms  {len(r.content) / 1024:7.1f} KiB")
                if "--profile" in sys.argv:
                    prof = cProfile.Profile()
                    prof.runcall(http.get, url)
                    pstats.Stats(prof).sort_stats("cumulative").print_stats(18)


if __name__ == "__main__":
    main()
