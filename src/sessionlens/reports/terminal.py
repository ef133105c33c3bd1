"""The readable terminal summary (rich)."""

from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..analysis.result import SessionAnalysis
from .summary import Summary, summarize

_ROLE_STYLE = {"therapist": "cyan", "client": "magenta", "other": "yellow"}


def render_terminal(a: SessionAnalysis, console: Console) -> None:
    s = summarize(a)
    console.print(Panel(Text(s.headline, style="bold"), title="sessionlens · session data", expand=False))
    for c in s.caveats:
        console.print(Text(f"Note: {c}", style="italic"))
    console.print(_roles(s))
    console.print(_talk_table("Talk time by role", s.talk_rows))
    if len(s.speaker_rows) > 2:
        console.print(_talk_table("Talk time by speaker", s.speaker_rows))
    if s.windows:
        console.print(_windows(s))
    for line in s.exchange_lines + s.silence_lines:
        console.print(line)
    if s.silences:
        console.print(_silences(s))
    for line in s.unavailable:
        console.print(Text(f"Not measured — {line}", style="dim"))
    for title, lines in s.sections.items():
        console.print(Text(title, style="bold"))
        for line in lines:
            console.print(f"  {line}")


def _roles(s: Summary) -> Table:
    t = Table(title="Speakers", title_justify="left")
    for col in ("speaker", "role", "confidence", "why"):
        t.add_column(col)
    for r in s.roles:
        t.add_row(r["speaker"], Text(r["role"], style=_ROLE_STYLE.get(r["role"], "")), r["confidence"], r["reason"])
    return t


def _talk_table(title: str, rows: list[dict[str, str]]) -> Table:
    t = Table(title=title, title_justify="left")
    cols = [("", "name"), ("time", "time"), ("share", "share"), ("words", "words"), ("wpm", "wpm"),
            ("turns", "turns"), ("turn mean", "mean_turn"), ("median", "median_turn"), ("max", "longest_turn")]
    t.caption = "wpm: words per minute; turn lengths in seconds (max as m:ss)"
    for label, _ in cols:
        t.add_column(label, justify="left" if not label else "right", no_wrap=True)
    for row in rows:
        t.add_row(*(row[key] for _, key in cols))
    return t


def _windows(s: Summary) -> Group:
    lines = [Text("Talk share over time", style="bold")]
    for w in s.windows:
        line = Text(f"{w['label']:>13}  ")
        for role, share in w["share"].items():
            line.append("█" * int(round(share * 30)), style=_ROLE_STYLE.get(role, ""))
        line.append("  " + "  ".join(f"{r} {share * 100:.0f}%" for r, share in w["share"].items()))
        lines.append(line)
    return Group(*lines)


def _silences(s: Summary) -> Table:
    t = Table(title="Silences", title_justify="left")
    for col in ("at", "length", "after", "broken by", "kind"):
        t.add_column(col)
    for row in s.silences[:20]:
        t.add_row(row["at"], row["duration"], row["before"], row["after"], row["kind"])
    if len(s.silences) > 20:
        t.caption = f"{len(s.silences) - 20} more in the JSON and HTML reports"
    return t
