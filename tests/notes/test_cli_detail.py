"""`note draft --detail concise|full` (issue 18): concise by default, the exhaustive draft on request."""

from __future__ import annotations

import json

from .test_vault_and_cli import DEMO, _cli


def _words(out: str) -> int:
    return sum(len(x["text"].split()) for s in json.loads(out)["sections"] for x in s["sentences"])


def test_detail_full_keeps_the_exhaustive_draft(capsys):
    code, concise, _ = _cli(["note", "draft", str(DEMO), "--json"], capsys)
    code_full, full, _ = _cli(["note", "draft", str(DEMO), "--json", "--detail", "full"], capsys)
    assert code == code_full == 0
    assert json.loads(concise)["meta"]["detail"] == "concise" and json.loads(full)["meta"]["detail"] == "full"
    assert _words(concise) <= 254 < _words(full)


def test_unknown_detail_is_a_one_line_error(capsys):
    code, _, err = _cli(["note", "draft", str(DEMO), "--detail", "short"], capsys)
    assert code == 2 and err.startswith("sessionlens: error:") and err.count("\n") == 1
