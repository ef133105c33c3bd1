"""Pin what the package exports, so changes to the public API are deliberate."""

from __future__ import annotations

import sessionlens
from sessionlens import errors


def test_top_level_exports():
    assert set(sessionlens.__all__) == {
        "AuthError", "ConfigError", "ConsentError", "Evidence", "Finding", "InputError", "IntegrityError",
        "NotFoundError", "ParseError", "Role", "SessionlensError", "Speaker", "Timing", "TimestampError",
        "Transcript", "TranscriptError", "UnsupportedFormatError", "Utterance", "Word", "__version__",
    }


def test_exception_tree():
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.SessionlensError), name
    for cls in (errors.ParseError, errors.TimestampError, errors.TranscriptError, errors.UnsupportedFormatError,
                errors.ConfigError):
        assert issubclass(cls, errors.InputError) and cls.exit_code == 2 and cls.http_status == 400
    assert errors.NotFoundError.http_status == 404 and errors.AuthError.http_status == 401


def test_input_error_names_source_and_line():
    e = errors.ParseError("bad timestamp", source="s.txt", line=12)
    assert str(e) == "s.txt, line 12: bad timestamp" and e.line == 12
