"""Settings: each has a name, a default, a help text and a validator.

Values come from defaults, then ``SESSIONLENS_<NAME>`` environment variables, then explicit
overrides (CLI options). Unsafe or nonsensical values are refused with :class:`ConfigError`.
The docs test checks that every setting is documented in docs/settings.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    parse: Callable[[str], Any]
    check: Callable[[Any], bool] = lambda v: True
    requirement: str = ""


def _positive(v: float) -> bool:
    return v > 0


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "silence_threshold",
        3.0,
        "Shortest gap between utterances (seconds) reported as a silence.",
        float,
        lambda v: 0.5 <= v <= 600,
        "between 0.5 and 600 seconds",
    ),
    Setting(
        "speech_rate_wpm",
        150.0,
        "Typical speech rate (words per minute) used to estimate times when a transcript has none.",
        float,
        lambda v: 60 <= v <= 400,
        "between 60 and 400 words per minute",
    ),
    Setting(
        "window_seconds",
        300.0,
        "Width of the windows (seconds) for talk share over time.",
        float,
        lambda v: 10 <= v <= 3600,
        "between 10 and 3600 seconds",
    ),
    Setting(
        "interruption_overlap",
        0.5,
        "Overlap (seconds) beyond which a speaker starting before the other ended counts as an interruption.",
        float,
        lambda v: 0 <= v <= 30,
        "between 0 and 30 seconds",
    ),
    # --- vault (issue 3) ---
    Setting(
        "home",
        "",
        "Data directory of the vault (empty: the platform's user data directory). Env: SESSIONLENS_HOME.",
        str,
    ),
    Setting(
        "database_url",
        "",
        "Database of the vault (empty: SQLite file vault.db in the data directory; or postgresql+psycopg://...).",
        str,
        lambda v: v == "" or v.startswith(("sqlite:///", "postgresql")),
        "empty, sqlite:///PATH or postgresql+psycopg://...",
    ),
    Setting(
        "kdf_memory_mib",
        256,
        "Argon2id memory cost (MiB) for new vaults and passphrase changes; unlock takes about 0.4 s at 256 MiB.",
        int,
        lambda v: 64 <= v <= 4096,
        "between 64 and 4096 MiB",
    ),
    Setting(
        "kdf_time_cost",
        3,
        "Argon2id passes for new vaults and passphrase changes.",
        int,
        lambda v: 3 <= v <= 20,
        "between 3 and 20",
    ),
    Setting(
        "kdf_parallelism",
        4,
        "Argon2id lanes for new vaults and passphrase changes.",
        int,
        lambda v: 1 <= v <= 16,
        "between 1 and 16",
    ),
    Setting(
        "min_passphrase_length",
        12,
        "Shortest vault passphrase accepted at init or change.",
        int,
        lambda v: 8 <= v <= 1024,
        "between 8 and 1024 characters",
    ),
    Setting(
        "audit_anchor_dir",
        "",
        "Directory outside the database for the signed audit anchor, escrow pin and shred list (empty: 'anchor' "
        "beside a SQLite file, else in the data directory). On a practice server put it where database users "
        "cannot write.",
        str,
    ),
    Setting(
        "audit_anchor_copy",
        "",
        "Append-only file (on another host or mount: NFS with `chattr +a`, a file a log collector ships) to which every new signed audit-chain head is appended; `audit verify --anchor-copy PATH` checks the chain against it. Empty: no copy.",
        str,
    ),
    Setting(
        "lockout_attempts",
        5,
        "Failed password attempts after which an account is locked.",
        int,
        lambda v: 1 <= v <= 100,
        "between 1 and 100",
    ),
    Setting(
        "lockout_minutes",
        15,
        "How long (minutes) a locked account stays locked unless an admin unlocks it.",
        int,
        lambda v: 1 <= v <= 10080,
        "between 1 and 10080 minutes",
    ),
    Setting(
        "retention_audio",
        "until_signed",
        "When a client's session audio is deleted, unless the client has a choice of their own: until_signed "
        "(default: kept for listening during the review, deleted when the note is signed), after_transcription, "
        "or keep.",
        str,
        lambda v: v in ("until_signed", "after_transcription", "keep"),
        "until_signed, after_transcription or keep",
    ),
    Setting(
        "audio_max_minutes",
        240,
        "Longest recording (minutes) accepted, uploaded or recorded in the room.",
        int,
        lambda v: 1 <= v <= 1440,
        "between 1 and 1440 minutes",
    ),
    Setting(
        "retention_days",
        0,
        "Sessions older than this many days are deleted by `retention apply` (0: keep until deleted by hand).",
        int,
        lambda v: 0 <= v <= 36500,
        "between 0 and 36500 days",
    ),
    # --- web app (issue 8) ---
    Setting(
        "web_host",
        "127.0.0.1",
        "Address `sessionlens serve` listens on; anything but loopback needs web_tls_cert and web_tls_key.",
        str,
        lambda v: bool(v.strip()),
        "a host name or IP address",
    ),
    Setting(
        "web_port",
        8765,
        "Port `sessionlens serve` listens on.",
        int,
        lambda v: 1 <= v <= 65535,
        "between 1 and 65535",
    ),
    Setting(
        "web_idle_minutes",
        15,
        "A web session ends after this many minutes without a request.",
        int,
        lambda v: 1 <= v <= 240,
        "between 1 and 240 minutes",
    ),
    Setting(
        "web_session_hours",
        8,
        "A web session ends this many hours after sign-in, however active.",
        int,
        lambda v: 1 <= v <= 24,
        "between 1 and 24 hours",
    ),
    Setting(
        "web_upload_max_mib",
        512,
        "Largest audio upload (MiB) the web app accepts; the body is held in memory, never spooled to disk.",
        int,
        lambda v: 1 <= v <= 4096,
        "between 1 and 4096 MiB",
    ),
    Setting(
        "web_transcript_max_mib",
        16,
        "Largest transcript upload (MiB) the web app accepts.",
        int,
        lambda v: 1 <= v <= 256,
        "between 1 and 256 MiB",
    ),
    Setting(
        "web_tls_cert",
        "",
        "PEM certificate file for HTTPS (empty: plain HTTP, allowed on loopback only).",
        str,
    ),
    Setting(
        "web_tls_key",
        "",
        "PEM private key file for HTTPS (with web_tls_cert).",
        str,
    ),
    # --- speech (issue 4) ---
    Setting(
        "speech_model",
        "tiny.en",
        "Speech recognition model: tiny.en (default), base, or a CTranslate2 Whisper folder.",
        str,
        lambda v: bool(v.strip()),
        "a model name or folder",
    ),
    Setting(
        "speech_speakers",
        0,
        "Number of speakers in recordings (0: detect 1 to 4 automatically).",
        int,
        lambda v: 0 <= v <= 8,
        "between 0 and 8",
    ),
    Setting(
        "speech_language",
        "",
        "Spoken language code for multilingual models (empty: detect; tiny.en is English only).",
        str,
    ),
    Setting(
        "speech_chunk_seconds",
        60.0,
        "Audio processed per step (seconds); memory use grows with it, not with the recording's length.",
        float,
        lambda v: 20 <= v <= 600,
        "between 20 and 600 seconds",
    ),
    Setting(
        "speech_threads",
        0,
        "CPU threads for speech recognition (0: as many as the machine has, up to 4).",
        int,
        lambda v: 0 <= v <= 64,
        "between 0 and 64",
    ),
    # --- notes (issue 7) ---
    Setting(
        "note_format",
        "soap",
        "Progress-note format drafted when none is given: soap, dap, birp or girp.",
        str.lower,
        lambda v: v in ("soap", "dap", "birp", "girp"),
        "soap, dap, birp or girp",
    ),
    Setting(
        "note_detail",
        "concise",
        "Length of a drafted note: concise (clinical length, chosen by salience) or full (everything found).",
        str.lower,
        lambda v: v in ("concise", "full"),
        "concise or full",
    ),
    Setting(
        "note_grounding",
        "remove",
        "What the grounding check does with a sentence the transcript does not support: remove or mark.",
        str.lower,
        lambda v: v in ("remove", "mark"),
        "remove or mark",
    ),
    Setting(
        "coding_encoder",
        True,
        "Also code interventions and change talk with the fine-tuned MiniLM encoder (int8; reads the previous "
        "turns; about 4.5 CPU-seconds more for a 60-minute session on 2 cores). Off: the linear word coder alone.",
        lambda raw: raw.strip().lower() in ("1", "true", "yes", "on"),
    ),
    Setting(
        "emotion_encoder",
        False,
        "Also score emotions with the heads on the MiniLM sentence vector, blended with the word model (every "
        "utterance is then encoded: about 11 CPU-seconds more for a 60-minute session on 2 cores).",
        lambda raw: raw.strip().lower() in ("1", "true", "yes", "on"),
    ),
    Setting(
        "risk_model",
        True,
        "Also flag risk language with the model tier (client turns no rule flags; each flag needs review and shows "
        "its score and nearest example; every client utterance is then encoded). On by default: on unseen wording "
        "it doubles what the rules alone find, at higher precision.",
        lambda raw: raw.strip().lower() in ("1", "true", "yes", "on"),
    ),
    Setting(
        "note_llm_model",
        "",
        "GGUF model file for the optional LLM note writer (empty: the offline default writer).",
        str,
    ),
    Setting(
        "note_llm_url",
        "",
        "OpenAI-compatible LLM server for the note writer, on this computer (empty: none).",
        str,
        lambda v: v == "" or v.startswith(("http://", "https://")),
        "empty or an http(s):// URL",
    ),
    Setting(
        "note_llm_name",
        "local",
        "Model name sent to the LLM server (Ollama needs the name it knows, e.g. llama3.2; llama-server ignores it).",
        str,
        lambda v: 0 < len(v) <= 200,
        "1 to 200 characters",
    ),
    Setting(
        "note_llm_allow_remote",
        False,
        "Allow an LLM server that is not on this computer (sends session excerpts to it).",
        lambda raw: raw.strip().lower() in ("1", "true", "yes", "on"),
    ),
    Setting(
        "note_llm_timeout",
        60.0,
        "Seconds to wait for the LLM writer before falling back to the default writer.",
        float,
        lambda v: 1 <= v <= 3600,
        "between 1 and 3600 seconds",
    ),
    Setting(
        "note_template_timeout",
        5.0,
        "Seconds a user note template may run before it is stopped.",
        float,
        lambda v: 0.5 <= v <= 60,
        "between 0.5 and 60 seconds",
    ),
    # --- practice server (issue 10) ---
    Setting(
        "job_runner",
        "inprocess",
        "Where processing runs: inprocess (default, one machine) or celery (`sessionlens worker` processes).",
        str.lower,
        lambda v: v in ("inprocess", "celery"),
        "inprocess or celery",
    ),
    Setting(
        "broker_url",
        "redis://127.0.0.1:6379/0",
        ("Redis URL of the Celery broker and the in-memory keyring (job_runner = celery). A worker puts its id where the "
         "user name says {worker} (redis://sessionlens-{worker}@host:6379/0): each worker its own ACL user."),
        str,
        lambda v: v.startswith(("redis://", "rediss://", "unix://")),
        "a redis://, rediss:// or unix:// URL",
    ),
    Setting(
        "keyring_secret_file",
        "",
        "Unused since each worker has its own key pair (`sessionlens worker --state-dir`; issue 17): kept so "
        "older environment files still load.",
        str,
    ),
    Setting(
        "keyring_public_file",
        "",
        "Unused since grants are sealed to one approved worker's own key (`sessionlens worker approve`; issue 17).",
        str,
    ),
    Setting(
        "broker_password_file",
        "",
        "File holding the Redis password of this process's ACL user (the user is named in broker_url).",
        str,
    ),
    Setting(
        "job_lease_seconds",
        60,
        "A worker's hold on a job; a worker silent this long is presumed dead and the job moves on.",
        int,
        lambda v: 5 <= v <= 3600,
        "between 5 and 3600 seconds",
    ),
    Setting(
        "job_grant_ttl_seconds",
        7200,
        "How long a job's key grant waits in Redis for a worker; later the job waits for its clinician's sign-in.",
        int,
        lambda v: 60 <= v <= 86400,
        "between 60 and 86400 seconds",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Settings(Mapping[str, Any]):
    """An immutable, validated view of every setting."""

    def __init__(self, overrides: Mapping[str, Any] | None = None, *, env: Mapping[str, str] | None = None) -> None:
        env = os.environ if env is None else env
        values: dict[str, Any] = {}  # setting name -> value; each setting's type is in SETTINGS (checked by _parse)
        for s in SETTINGS:
            raw_env = env.get(f"SESSIONLENS_{s.name.upper()}")
            value = s.default
            if raw_env is not None:
                value = _parse(s, raw_env, f"SESSIONLENS_{s.name.upper()}")
            values[s.name] = value
        for name, value in (overrides or {}).items():
            if name not in _BY_NAME:
                raise ConfigError(f"unknown setting {name!r}")
            if value is None:
                continue
            s = _BY_NAME[name]
            values[name] = _parse(s, value, name) if isinstance(value, str) else value
        for name, value in values.items():
            s = _BY_NAME[name]
            if not s.check(value):
                raise ConfigError(f"setting {name} must be {s.requirement} (got {value!r})")
        self._values = values

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


def _parse(s: Setting, raw: str, where: str) -> Any:
    try:
        return s.parse(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: cannot read {raw!r} as a value for {s.name} ({s.requirement})") from None
