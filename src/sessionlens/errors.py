"""The one exception tree of sessionlens.

Every error the product raises on purpose derives from :class:`SessionlensError`.
The edges translate them without tracebacks:

* :class:`InputError` and its children — the user gave us something we cannot use.
  CLI: one-line message, exit status 2. HTTP: a 4xx answer.
* :class:`NotFoundError` — the record does not exist *or* the caller may not see it
  (the two are deliberately indistinguishable).
* :class:`AuthError` — wrong passphrase / password, locked account, expired session.
* :class:`IntegrityError` — stored data failed authentication (tampering, bit rot).
* :class:`ConsentError` — processing was asked for without the client's recorded consent.

Messages never contain PHI: they name files, lines, fields and record ids, not content.
"""

from __future__ import annotations


class SessionlensError(Exception):
    """Base class of every error sessionlens raises on purpose."""

    exit_code: int = 1
    http_status: int = 500


class InputError(SessionlensError):
    """Input that cannot be used: a bad file, argument or request field."""

    exit_code = 2
    http_status = 400

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None) -> None:
        self.source = source
        self.line = line
        where = ""
        if source is not None:
            where = f"{source}"
            if line is not None:
                where += f", line {line}"
            where += ": "
        super().__init__(f"{where}{message}")


class UnsupportedFormatError(InputError):
    """The input's format is not one sessionlens reads."""


class ParseError(InputError):
    """The input looked like a known format but is malformed."""


class TimestampError(ParseError):
    """A timestamp is malformed, negative or goes backwards."""


class TranscriptError(InputError):
    """A transcript parsed but cannot be analysed (empty, one speaker, bad role option...)."""


class ConfigError(InputError):
    """A setting has an invalid or unsafe value."""


class NotFoundError(SessionlensError):
    """The record does not exist, or the caller is not allowed to know it exists."""

    exit_code = 2
    http_status = 404


class AuthError(SessionlensError):
    """Authentication failed: wrong passphrase or password, locked account, expired session."""

    exit_code = 2
    http_status = 401


class PermissionDeniedError(SessionlensError):
    """The caller is authenticated but the action is not theirs to take (admin actions)."""

    exit_code = 2
    http_status = 403


class ConsentError(SessionlensError):
    """Processing requires the client's recorded consent, which is missing or revoked."""

    exit_code = 2
    http_status = 409


class IntegrityError(SessionlensError):
    """Stored data failed authentication or the audit chain is broken."""

    exit_code = 3
    http_status = 500


class NetworkRefusedError(SessionlensError):
    """A code path tried to open a network connection while processing offline."""


__all__ = [
    "AuthError",
    "ConfigError",
    "ConsentError",
    "InputError",
    "IntegrityError",
    "NetworkRefusedError",
    "NotFoundError",
    "ParseError",
    "PermissionDeniedError",
    "SessionlensError",
    "TimestampError",
    "TranscriptError",
    "UnsupportedFormatError",
]
