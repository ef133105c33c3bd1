"""Docs must not fall behind the code."""

from __future__ import annotations

import re

from sessionlens.config import SETTINGS

from .conftest import REPO


def test_every_setting_is_documented_with_its_default():
    table = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    rows = {m.group(1): m.group(2).strip() for m in re.finditer(r"^\| (\w+) \| ([^|]*) \|", table, re.M)}
    for s in SETTINGS:
        assert s.name in rows, f"docs/settings.md lacks the setting {s.name}"
        assert rows[s.name] == str(s.default), f"docs/settings.md shows a stale default for {s.name}"


def test_readme_commands_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    for target in re.findall(r"^make (\w+)", readme, re.M):
        assert re.search(rf"^{target}:", makefile, re.M), f"README mentions `make {target}` but the Makefile lacks it"
