"""Packaged model artifacts: plain files (JSON, .npz — never pickle) whose SHA-256 is recorded in a manifest.

``verify`` is called before anything is read, so a tampered or truncated model raises IntegrityError
instead of silently producing different numbers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import IntegrityError


def package_dir(name: str) -> Path:
    return Path(str(resources.files("sessionlens") / "models" / name))


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(directory: Path, files: Sequence[str], what: str) -> dict[str, Any]:
    """Check every file against manifest.json; return the manifest. Messages name files, never content."""
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise IntegrityError(f"{what} manifest is missing or unreadable") from exc
    for name in files:
        path = directory / name
        want = manifest.get("sha256", {}).get(name)
        if not path.exists() or want is None or sha256(path) != want:
            raise IntegrityError(f"{what} file {name} does not match its recorded SHA-256")
    return manifest


def write_manifest(directory: Path, files: Sequence[str], meta: dict[str, Any]) -> None:
    manifest = dict(meta, sha256={n: sha256(directory / n) for n in files})
    (directory / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
