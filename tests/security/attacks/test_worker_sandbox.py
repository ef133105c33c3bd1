"""Attack: exploit a native parser or decoder in a worker and harvest what it holds (issue 17, finding 3).

Parsers and decoders of untrusted uploads run in a child forked from a clean fork server: the child's
memory holds none of the keys the job's process holds; a crash, a memory bomb or a CPU spin ends as a
named failure of that job (the process holding keys lives on), never a hang or a retry loop.
"""

from __future__ import annotations

import os
import secrets
import signal

import pytest

from sessionlens import sandbox
from sessionlens.errors import InputError

HELD_BY_THE_WORKER = secrets.token_bytes(32)  # stands for a DEK the job's process holds in memory


def key_in_my_memory() -> str:
    """Run inside the child: what this module's key is there. A child forked from the worker would hold
    the worker's very bytes (an exploit would read them); a child of the clean fork server holds its own."""
    return HELD_BY_THE_WORKER.hex()


def crashes() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def eats_memory() -> bytes:
    return b"x" * (3 * 1024 * 1024 * 1024)


def spins() -> None:
    while True:
        pass


def refuses() -> None:
    raise InputError("is not a transcript this parser reads")


def test_worker_sandbox_child_holds_none_of_the_parents_keys() -> None:
    assert sandbox.run(key_in_my_memory) != HELD_BY_THE_WORKER.hex()


def test_worker_sandbox_a_crash_is_a_named_failure() -> None:
    with pytest.raises(sandbox.SandboxError, match="audio decoder crashed.*SIGSEGV"):
        sandbox.run(crashes, what="the audio decoder")


def test_worker_sandbox_a_memory_bomb_hits_the_limit() -> None:
    with pytest.raises(sandbox.SandboxError, match="memory limit"):
        sandbox.run(eats_memory, memory_mib=512)


def test_worker_sandbox_a_cpu_spin_hits_the_limit() -> None:
    with pytest.raises(sandbox.SandboxError, match="CPU-time limit"):
        sandbox.run(spins, cpu_seconds=1)


def test_worker_sandbox_the_parsers_own_refusal_keeps_its_message() -> None:
    with pytest.raises(InputError, match="is not a transcript this parser reads"):
        sandbox.run(refuses)
