"""The one loader for model files: every byte a model reads is checked against a recorded SHA-256 first.

Two kinds of artifact exist. Files shipped in this package (``sessionlens/models/<name>/``) are listed in
a ``manifest.json`` beside them (hashes under ``"files"`` or, in older manifests, ``"sha256"``). Files
inside another installed package (Whisper, the VAD, the voice encoder) are described by a
:class:`PackagedFile` whose hash is written in code. Either way the caller gets the verified bytes, never a
path to re-read, so a file cannot change between the check and its use. Nothing here unpickles or
downloads; messages name files, never content.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import InputError, IntegrityError

MANIFEST = "manifest.json"


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def models_dir(name: str) -> Path:
    """Folder of a model shipped inside sessionlens (``sessionlens/models/<name>``)."""
    return Path(str(resources.files("sessionlens") / "models" / name))


@dataclass(frozen=True)
class ManifestDir:
    """A model folder with its manifest read; :meth:`read` hands out only bytes that match it."""

    directory: Path
    what: str
    manifest: dict[str, Any] = field(repr=False)  # raw JSON in: the shipped manifest.json, file hashes checked by read

    @classmethod
    def open(cls, directory: Path, what: str) -> ManifestDir:
        try:
            manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise IntegrityError(f"{what} manifest is missing or unreadable") from exc
        if not isinstance(manifest, dict):
            raise IntegrityError(f"{what} manifest is not a JSON object")
        return cls(directory, what, manifest)

    def hashes(self) -> Mapping[str, str]:
        listed = self.manifest.get("files", self.manifest.get("sha256", {}))
        return listed if isinstance(listed, dict) else {}

    def read(self, name: str) -> bytes:
        """The file's bytes, refused (IntegrityError) if missing, unlisted or altered."""
        want = self.hashes().get(name)
        path = self.directory / name
        if want is None or not path.is_file():
            raise IntegrityError(f"{self.what} file {name} is missing or not listed in its manifest")
        data = path.read_bytes()
        if sha256_bytes(data) != want:
            raise IntegrityError(f"{self.what} file {name} does not match its recorded SHA-256")
        return data

    def read_all(self, names: Sequence[str]) -> dict[str, bytes]:
        return {name: self.read(name) for name in names}


def write_manifest(directory: Path, files: Sequence[str], meta: Mapping[str, Any], *, key: str = "files") -> None:
    """Record each file's SHA-256 (used by the training scripts that produce an artifact)."""
    manifest = dict(meta, **{key: {n: sha256_file(directory / n) for n in files}})
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")


@dataclass(frozen=True, slots=True)
class PackagedFile:
    """A model file inside another installed package, with the SHA-256 the project measured it at."""

    package: str
    relpath: str
    sha256: str


def package_file(f: PackagedFile, *, what: str, install: str) -> Path:
    """Path of a file inside an installed package (without importing the package)."""
    spec = importlib.util.find_spec(f.package)
    if spec is None or not spec.submodule_search_locations:
        raise InputError(f"{what} is not installed; install it with: {install}")
    path = Path(next(iter(spec.submodule_search_locations))) / f.relpath
    if not path.is_file():
        raise IntegrityError(f"{what}: {f.package}/{f.relpath} is missing (reinstall: {install})")
    return path


def read_verified(f: PackagedFile, *, what: str, install: str) -> bytes:
    """The packaged file's bytes, refused if they differ from the recorded hash."""
    data = package_file(f, what=what, install=install).read_bytes()
    if sha256_bytes(data) != f.sha256:
        raise IntegrityError(f"{what}: {f.package}/{f.relpath} does not match its recorded SHA-256 "
                             f"(damaged or altered install; reinstall: {install})")
    return data


__all__ = ["MANIFEST", "ManifestDir", "PackagedFile", "models_dir", "package_file", "read_verified",
           "sha256_bytes", "sha256_file", "write_manifest"]
