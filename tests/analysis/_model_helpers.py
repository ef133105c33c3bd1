"""Shared by the model tests: a copy of a model directory with one byte flipped, which a hash check must refuse."""

from __future__ import annotations

import shutil
from pathlib import Path


def tampered_copy(source: Path, into: Path, name: str, at: int, mask: int = 0xFF) -> Path:
    """Copy ``source`` to ``into`` and flip the bits ``mask`` of byte ``at`` of its file ``name``."""
    shutil.copytree(source, into)
    data = bytearray((into / name).read_bytes())
    data[at] ^= mask
    (into / name).write_bytes(bytes(data))
    return into
