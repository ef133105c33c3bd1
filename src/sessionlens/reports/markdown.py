"""The Markdown report (for notes, wikis and supervision documents)."""

from __future__ import annotations

from ..analysis.result import SessionAnalysis
from .summary import summarize


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    esc = [[c.replace("|", "\\|") for c in r] for r in rows]
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + ["| " + " | ".join(r) + " |" for r in esc]


def render_markdown(a: SessionAnalysis) -> str:
    s = summarize(a)
    out = ["# Session data", "", s.headline, ""]
    out += [f"> {c}" for c in s.caveats] + ([""] if s.caveats else [])
    out += ["## Speakers", ""]
    out += _table(["speaker", "role", "confidence", "why"],
                  [[r["speaker"], r["role"], r["confidence"], r["reason"]] for r in s.roles]) + [""]
    talk_header = ["", "time", "share", "words", "words/min", "turns", "mean turn", "median turn", "longest turn"]
    keys = ["name", "time", "share", "words", "wpm", "turns", "mean_turn", "median_turn", "longest_turn"]
    out += ["## Talk time", ""] + _table(talk_header, [[r[k] for k in keys] for r in s.talk_rows]) + [""]
    if len(s.speaker_rows) > 2:
        out += _table(talk_header, [[r[k] for k in keys] for r in s.speaker_rows]) + [""]
    if s.windows:
        roles = sorted({r for w in s.windows for r in w["share"]})
        out += ["## Talk share over time", ""]
        out += _table(["window"] + roles,
                      [[w["label"]] + [f"{w['share'].get(r, 0) * 100:.0f}%" for r in roles] for w in s.windows])
        out += [""]
    out += ["## Exchanges and silences", ""] + [f"- {line}" for line in s.exchange_lines + s.silence_lines] + [""]
    if s.silences:
        out += _table(["at", "length", "after", "broken by", "kind"],
                      [[r["at"], r["duration"], r["before"], r["after"], r["kind"]] for r in s.silences]) + [""]
    out += [f"- Not measured — {line}" for line in s.unavailable]
    for title, lines in s.sections.items():
        out += ["", f"## {title}", ""] + [f"- {line}" for line in lines]
    return "\n".join(out).rstrip() + "\n"
