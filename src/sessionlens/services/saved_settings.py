"""Use cases: settings saved from the browser, in ``settings.json`` in the data directory.

``config.py`` stays the one source of names, defaults, help and validation: a saved value is a raw
string read by the setting's own parser and checked by its own rule, exactly as an environment variable
is. Precedence: default < saved here < ``SESSIONLENS_<NAME>`` environment < CLI option; a setting the
environment fixes is shown, not editable. Only settings a practice tunes while running are editable;
where the database, network, keys and LLM server live stays with the environment and the CLI (a browser
must not be able to point PHI at another host). Saved settings hold no PHI; the file is 0600.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..config import SETTINGS, Settings
from ..errors import ConfigError, InputError
from ..payloads.services_settings import SettingRow
from ..vault import home
from .context import Ctx
from .permissions import Action, require, unit_of_work

FILE_NAME = "settings.json"
EDITABLE: tuple[str, ...] = (
    "silence_threshold", "speech_rate_wpm", "window_seconds", "interruption_overlap",
    "speech_model", "speech_speakers", "speech_language", "speech_chunk_seconds", "speech_threads",
    "note_format", "note_detail", "note_grounding", "coding_encoder", "note_llm_timeout", "note_template_timeout",
    "retention_audio", "retention_days",
    "min_passphrase_length", "lockout_attempts", "lockout_minutes",
    "web_idle_minutes", "web_session_hours", "web_upload_max_mib", "web_transcript_max_mib",
)
AT_NEXT_START = frozenset({"web_idle_minutes", "web_session_hours"})  # read once, when the server starts
MAX_VALUE = 200  # characters: every editable value is a number, a word or a model name


def settings_file(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def env_name(name: str) -> str:
    return f"SESSIONLENS_{name.upper()}"


def load(data_dir: Path) -> dict[str, str]:
    """The saved raw values; a missing file is none, a damaged one a one-line ConfigError naming it."""
    path = settings_file(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, ValueError):
        raise ConfigError(f"{path}: not a readable settings file (fix or delete it)") from None
    if not isinstance(raw, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items()):
        raise ConfigError(f"{path}: expected an object of setting names to text values")
    unknown = sorted(set(raw) - set(EDITABLE))
    if unknown:
        raise ConfigError(f"{path}: {unknown[0]} is not a setting that can be saved here")
    return raw


def effective(base: Settings, data_dir: Path | None, env: Mapping[str, str] | None = None) -> Settings:
    """``base`` with the saved values applied where the environment sets nothing (validated as config does)."""
    env = os.environ if env is None else env
    directory = home.data_dir(base, data_dir)
    saved = {k: v for k, v in load(directory).items() if env_name(k) not in env}
    if not saved:
        return base
    return Settings({**dict(base), **saved}, env={})


def rows(settings: Settings, data_dir: Path | None, env: Mapping[str, str] | None = None) -> list[SettingRow]:
    """Every setting as the settings page shows it: value, default, help, rule, where it comes from."""
    env = os.environ if env is None else env
    saved = load(home.data_dir(settings, data_dir))
    out: list[SettingRow] = []
    for s in SETTINGS:
        source = "environment" if env_name(s.name) in env else "saved" if s.name in saved else "default"
        out.append({"name": s.name, "value": settings[s.name], "default": s.default, "help": s.help,
                    "requirement": s.requirement, "source": source, "boolean": isinstance(s.default, bool),
                    "editable": s.name in EDITABLE and source != "environment",
                    "at_next_start": s.name in AT_NEXT_START})
    return out


def _write(path: Path, values: dict[str, str]) -> None:
    """Atomically, private to the user (a crash leaves the old file or the new one, never half of one)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)  # a practice server's data directory may be new
    fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(values, f, indent=1, sort_keys=True)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _submitted(form: Mapping[str, str], env: Mapping[str, str]) -> dict[str, str]:
    """The editable settings in the form (others, and those the environment sets, are ignored)."""
    changes = {}
    for name in EDITABLE:
        if name in form and env_name(name) not in env:
            value = form[name].strip()
            if len(value) > MAX_VALUE:
                raise InputError(f"setting {name}: at most {MAX_VALUE} characters")
            changes[name] = value
    return changes


def save(ctx: Ctx, base: Settings, data_dir: Path | None, form: Mapping[str, str],
         env: Mapping[str, str] | None = None) -> Settings:
    """Admins and the vault owner save the editable settings in ``form``; returns the settings now in force.

    Every value is checked by config's own rule before anything is written; one bad value saves nothing."""
    env = os.environ if env is None else env
    directory = home.data_dir(base, data_dir)
    with unit_of_work(ctx) as conn:
        require(ctx, Action.VAULT_MANAGE, "settings")
        changes = _submitted(form, env)
        wanted = {**load(directory), **changes}
        alone = Settings(wanted, env={})  # config's own parsers and rules: a ConfigError (400) names the bad value
        defaults = {s.name: s.default for s in SETTINGS}
        saved = {k: v for k, v in wanted.items() if alone[k] != defaults[k]}  # a default is not pinned
        mine = {n: defaults[n] for n in EDITABLE if env_name(n) not in env}  # a value reset to its default too
        applied = {k: v for k, v in saved.items() if env_name(k) not in env}
        checked = Settings({**dict(base), **mine, **applied}, env={})
        changed = [f"{k}={checked[k]}" for k in changes if checked[k] != base[k]]  # names and values: never PHI
        _write(settings_file(directory), saved)
        ctx.vault.audit(conn, actor=ctx.who, action="settings.change", target="settings", detail={"changed": changed})
    return checked
