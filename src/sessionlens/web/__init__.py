"""The local web app (`sessionlens serve`): pages and a JSON API over the service layer."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
