"""Path parameters are pseudonymous record ids: anything else is refused before a service sees it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

ID_PATTERN = r"^[a-z]-[a-km-z2-9]{8}$"
ClientId = Annotated[str, Path(pattern=ID_PATTERN, max_length=10, description="pseudonymous client id")]
SessionId = Annotated[str, Path(pattern=ID_PATTERN, max_length=10, description="pseudonymous session id")]
JobId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,40}$", description="job id")]
