"""The one model-artifact loader: only bytes matching the recorded SHA-256 are handed out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sessionlens.artifacts import ManifestDir, PackagedFile, read_verified, sha256_bytes, write_manifest
from sessionlens.errors import InputError, IntegrityError


def _folder(tmp_path: Path, key: str) -> Path:
    (tmp_path / "a.json").write_bytes(b'{"x": 1}')
    write_manifest(tmp_path, ["a.json"], {"version": "1"}, key=key)
    return tmp_path


@pytest.mark.parametrize("key", ["files", "sha256"])
def test_listed_file_is_read_and_altered_file_refused(tmp_path: Path, key: str) -> None:
    art = ManifestDir.open(_folder(tmp_path, key), "test model")
    assert art.read("a.json") == b'{"x": 1}' and art.manifest["version"] == "1"
    (tmp_path / "a.json").write_bytes(b'{"x": 2}')
    with pytest.raises(IntegrityError, match="a.json does not match"):
        art.read("a.json")


def test_unlisted_missing_and_manifestless(tmp_path: Path) -> None:
    art = ManifestDir.open(_folder(tmp_path, "files"), "test model")
    (tmp_path / "b.json").write_bytes(b"{}")
    with pytest.raises(IntegrityError, match="b.json is missing or not listed"):
        art.read("b.json")
    (tmp_path / "a.json").unlink()
    with pytest.raises(IntegrityError, match="a.json is missing"):
        art.read("a.json")
    (tmp_path / "manifest.json").write_text(json.dumps([1]))
    with pytest.raises(IntegrityError, match="not a JSON object"):
        ManifestDir.open(tmp_path, "test model")
    (tmp_path / "manifest.json").unlink()
    with pytest.raises(IntegrityError, match="manifest is missing"):
        ManifestDir.open(tmp_path, "test model")


def test_packaged_file_is_checked_and_absent_package_is_an_input_error() -> None:
    from sessionlens.speech.models import VAD_FILE

    assert sha256_bytes(read_verified(VAD_FILE, what="vad", install="x")) == VAD_FILE.sha256
    wrong = PackagedFile(VAD_FILE.package, VAD_FILE.relpath, "0" * 64)
    with pytest.raises(IntegrityError, match="does not match its recorded SHA-256"):
        read_verified(wrong, what="vad", install="x")
    with pytest.raises(InputError, match="not installed"):
        read_verified(PackagedFile("no_such_package_here", "x", "0"), what="thing", install="pip install thing")
