"""Public: a health check (no PHI, no state)."""

from __future__ import annotations

from fastapi import APIRouter

from ... import __version__
from .api_out import HealthOut

router = APIRouter(tags=["meta"])


@router.get("/api/health", summary="Liveness check (public)")
def health() -> HealthOut:
    return HealthOut(status="ok", version=__version__)
