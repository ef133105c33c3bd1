"""The analyzers that ship with sessionlens. Importing this module registers them, in report order."""

from __future__ import annotations
