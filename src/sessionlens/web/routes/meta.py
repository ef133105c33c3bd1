"""Public: a health check (no PHI, no state)."""

from __future__ import annotations

from fastapi import APIRouter

from ... import __version__

router = APIRouter(tags=["meta"])


@router.get("/api/health", summary="Liveness check (public)")
def health() -> dict[str, str]:
    return {"status": "ok", "version": __version__}
