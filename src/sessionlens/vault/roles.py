"""Account roles (a module of its own so that naming a role loads no database code)."""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    CLINICIAN = "clinician"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


__all__ = ["Role"]
