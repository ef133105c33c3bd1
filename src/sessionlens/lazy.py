"""Modules imported on first use, so that a command imports only what it runs (``sessionlens --help`` stays fast).

``sessions = lazy("sessionlens.services.sessions")`` binds a stand-in whose first attribute read imports
the real module (and its parents) and forwards to it; until then nothing of it — SQLAlchemy,
scikit-learn, … — is loaded. Setting an attribute (a test's monkeypatch) sets it on the real module.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule(ModuleType):
    def _real(self) -> ModuleType:
        return importlib.import_module(self.__name__)

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._real(), attr)

    def __setattr__(self, attr: str, value: Any) -> None:
        setattr(self._real(), attr, value)

    def __delattr__(self, attr: str) -> None:
        delattr(self._real(), attr)

    def __dir__(self) -> list[str]:
        return dir(self._real())


def lazy(name: str) -> Any:
    """A stand-in for the module ``name`` (absolute), imported when first used."""
    return LazyModule(name)


__all__ = ["LazyModule", "lazy"]
