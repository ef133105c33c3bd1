"""Vault benchmark: unlock time, seal/open throughput, and what encryption adds to import + analysis.

Reproduce: `make bench BENCH=vault`. Targets: unlock 0.3–1 s (Argon2id with the shipped cost);
encryption ≤ 10% of the time an import spends parsing and analysing.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.run import machine
from sessionlens.codec import transcript_to_dict
from sessionlens.config import Settings
from sessionlens.ingest import parse_transcript
from sessionlens.reports.document import analysis_document
from sessionlens.services import clients, consent, sessions, vaults
from sessionlens.services.analysis import analyze_transcript
from sessionlens.vault import crypto

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "sessionlens" / "data" / "demo_session.vtt"
PASSPHRASE = "benchmark passphrase only"
REPEATS = 7


def median_time(fn: Callable[[], object], repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def unlock(directory: Path, settings: Settings) -> float:
    def once() -> None:
        vaults.open_vault(passphrase=PASSPHRASE, data_dir=directory, settings=settings).close()

    once()  # warm the imports and the file cache
    return median_time(once, 5)


def throughput(size: int) -> tuple[float, float]:
    key, data = crypto.new_key(), os.urandom(size)
    meta = {"key_id": "k-bench", "key_version": 1, "record_id": "b-bench"}
    sealed = crypto.seal_stream(key, data, **meta)  # type: ignore[arg-type]
    t_seal = median_time(lambda: crypto.seal_stream(key, data, **meta))  # type: ignore[arg-type]
    t_open = median_time(lambda: crypto.open_stream(key, sealed, **meta))  # type: ignore[arg-type]
    return size / t_seal / 2**20, size / t_open / 2**20


def processing(data: bytes, settings: Settings) -> tuple[list[bytes], float]:
    """Parse + analyse + serialise, exactly what an import does before it stores anything."""
    def run() -> list[bytes]:
        analysis = analyze_transcript(parse_transcript(data, source="demo.vtt"), settings)
        return [data, json.dumps(transcript_to_dict(analysis.transcript)).encode(),
                json.dumps(analysis_document(analysis)).encode()]

    payloads = run()
    return payloads, median_time(run)


def sealing(payloads: list[bytes]) -> float:
    key = crypto.new_key()
    return median_time(lambda: [crypto.seal_stream(key, p, key_id="k", key_version=1, record_id=f"b-{i}")
                                for i, p in enumerate(payloads)])


def full_import(directory: Path, settings: Settings, data: bytes) -> float:
    vault = vaults.open_vault(passphrase=PASSPHRASE, data_dir=directory, settings=settings)
    ctx = vaults.sign_in_owner(vault)
    client = clients.add_client(ctx, "Benchmark Person")["id"]
    consent.record_consent(ctx, client)
    t = median_time(lambda: sessions.import_session(ctx, client, data, source="demo.vtt"))
    vault.close()
    return t


def main() -> str:
    settings = Settings(env={})
    data = DEMO.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "vault"
        vaults.init_vault(PASSPHRASE, "bench", data_dir=directory, settings=settings).ctx.vault.close()
        t_unlock = unlock(directory, settings)
        payloads, t_proc = processing(data, settings)
        t_seal = sealing(payloads)
        t_import = full_import(directory, settings, data)
    seal_mb, open_mb = throughput(8 * 2**20)
    n_bytes = sum(len(p) for p in payloads)
    enc_share = t_seal / t_proc * 100
    return "\n".join([
        "## Vault (encryption, storage)",
        "",
        f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} when measured (Argon2id wall time grows",
        "with the load of a shared machine: about 0.4 s idle at the shipped cost).",
        f"Reproduce: `make bench BENCH=vault`. Medians of {REPEATS} runs (unlock: 5).",
        "",
        "| measure | result | target |",
        "|---|---|---|",
        f"| unlock (Argon2id {settings.kdf_memory_mib} MiB, t={settings.kdf_time_cost}, "
        f"p={settings.kdf_parallelism}) | {t_unlock:.2f} s | 0.3–1 s |",
        f"| seal throughput (AES-256-GCM, 64 KiB chunks, 8 MiB blob) | {seal_mb:.0f} MiB/s | |",
        f"| open throughput (same blob) | {open_mb:.0f} MiB/s | |",
        f"| demo session: parse + analyse + serialise ({len(data) // 1024} KiB file) | {t_proc * 1000:.1f} ms | |",
        f"| demo session: sealing its 3 records ({n_bytes // 1024} KiB) | {t_seal * 1000:.2f} ms "
        f"({enc_share:.1f}% of processing) | ≤ 10% |",
        f"| demo session: whole import (processing + sealing + SQLite WAL/FULL commit + audit) | "
        f"{t_import * 1000:.1f} ms | |",
        "",
        "The whole import also pays for the durable commit (fsync) and the audit entry; encryption itself is the",
        "sealing row. Unlock cost is deliberate: it is what an offline guess costs an attacker too.",
    ])


if __name__ == "__main__":
    print(main())
