"""Request bodies read into memory with a hard size cap — never spooled to a temp file.

Starlette's UploadFile keeps large parts in a SpooledTemporaryFile (plaintext PHI on disk), so
uploads arrive as a raw body instead and are read here chunk by chunk, refusing past the cap.
Forms are small url-encoded bodies parsed with the standard library.
"""

from __future__ import annotations

import hmac
from urllib.parse import parse_qs

from starlette.requests import Request

from ..errors import InputError

FORM_MAX = 64 * 1024


class TooLarge(InputError):
    http_status = 413


async def read_capped(request: Request, cap: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > cap):
        raise TooLarge(f"the upload is larger than the limit of {cap // (1024 * 1024) or 1} MiB")
    buf = bytearray()
    async for chunk in request.stream():
        buf += chunk
        if len(buf) > cap:
            raise TooLarge(f"the upload is larger than the limit of {cap // (1024 * 1024) or 1} MiB")
    return bytes(buf)


async def read_form(request: Request) -> dict[str, str]:
    """A url-encoded form: the first value of each field."""
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        raise InputError("expected a form")
    body = await read_capped(request, FORM_MAX)
    try:
        parsed = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=100)
    except (UnicodeDecodeError, ValueError):
        raise InputError("the form could not be read") from None
    return {k: v[0] for k, v in parsed.items()}


class CsrfError(InputError):
    http_status = 403


def check_token(expected: str | None, given: str | None) -> None:
    if not expected or not given or not hmac.compare_digest(expected, given):
        raise CsrfError("Refused: the form is out of date (missing or wrong CSRF token). Reload the page.")
