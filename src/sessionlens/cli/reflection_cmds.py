"""`sessionlens reflect ...`: memory against data, the private journal, relationship markers,
PHQ-9 / GAD-7, trends, and the clinician's own check-ins. Free text (journal entries, notes) comes
from a prompt or standard input, never from arguments."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from ..lazy import lazy
from .app import app
from .note_cmds import _typed, _write_out
from .vault_common import DataDir, Json, User, emit, interactive, signed_in

imp = lazy("sessionlens.reflection.impressions")
ms = lazy("sessionlens.reflection.measures")
standing = lazy("sessionlens.reflection.standing")
wellbeing = lazy("sessionlens.reflection.wellbeing")
rf = lazy("sessionlens.services.reflection")

reflect_app = typer.Typer(help="Self-reflection: memory against data, journal, markers, measures, trends, "
                          "check-ins.", no_args_is_help=True)
journal_app = typer.Typer(help="The private reflection journal of a session (sealed; never exported unless "
                          "you ask).", no_args_is_help=True)
app.add_typer(reflect_app, name="reflect")
reflect_app.add_typer(journal_app, name="journal")
Session = Annotated[str, typer.Argument(help="Session id.")]
Client = Annotated[str, typer.Argument(help="Client id.")]


def _pairs(text: str | None, keys: Sequence[str], prompt: str) -> dict[str, str]:
    """"key=value,key=value" from the option, else one prompt per key at a terminal."""
    if text:
        pairs = [p.split("=", 1) for p in text.replace(";", ",").split(",") if p.strip()]
        if any(len(p) != 2 for p in pairs):
            raise InputError("answers are key=value pairs separated by commas")
        return {k.strip(): v.strip() for k, v in pairs}
    if not interactive():
        raise InputError(f"give --answers ({', '.join(f'{k}=N' for k in keys)})")
    return {k: typer.prompt(f"{prompt} {k}") for k in keys}


@reflect_app.command("impressions")
def impressions(
    session: Session,
    talk_share: Annotated[int | None, typer.Option(help="Your share of the talking, percent.")] = None,
    open_questions: Annotated[int | None, typer.Option(help="Share of your questions that were open, percent.")] = None,
    reflections: Annotated[str | None, typer.Option(help="more, 'about the same' or less (than questions).")] = None,
    advice_early: Annotated[str | None, typer.Option(help="yes or no.")] = None,
    change_talk: Annotated[str | None, typer.Option(help="'mostly about change', 'a mix', 'mostly about staying the same'.")] = None,
    rupture: Annotated[str | None, typer.Option(help="no, 'yes, and we repaired it', 'yes, and it stayed unrepaired'.")] = None,
    risk: Annotated[str | None, typer.Option(help="yes or no.")] = None,
    note: Annotated[bool, typer.Option("--note", help="Add a free-text note (prompt or standard input).")] = False,
    as_json: Json = False, data_dir: DataDir = None, user: User = None,
) -> None:
    """Record your impressions of a session, ideally before opening its data."""
    given: dict[str, object] = {k: v for k, v in {"talk_share": talk_share, "open_questions": open_questions,
                             "reflections": reflections, "advice_early": advice_early, "change_talk": change_talk,
                             "rupture": rupture, "risk": risk}.items() if v is not None}
    if note:
        given["note"] = _typed("Note")
    with signed_in(data_dir, user) as ctx:
        out = rf.record_impressions(ctx, session, given)
    blind = "before opening its data" if out["blind"] else "after its data had been opened"
    emit(out, as_json, f"impressions recorded for {session} ({blind}); compare with: sessionlens reflect compare {session}")


@reflect_app.command("compare")
def compare(session: Session, as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    """Your impressions side by side with what the session data shows."""
    with signed_in(data_dir, user) as ctx:
        out = rf.compare_impressions(ctx, session)
    emit(out, as_json, "\n".join(f"- {r['question']}\n  {r['sentence']}" for r in out["rows"]))


@reflect_app.command("recollection")
def recollection(as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    """Over time: where your recollection was harder on you than the data, and where not."""
    with signed_in(data_dir, user) as ctx:
        out = rf.recollection_over_time(ctx)
    emit(out, as_json, "\n".join(out["sentences"]) or "No impressions recorded yet.")


@journal_app.command("add")
def journal_add(session: Session, data_dir: DataDir = None, user: User = None) -> None:
    """Add an entry (text from the prompt or standard input)."""
    text = _typed("Journal entry")
    with signed_in(data_dir, user) as ctx:
        out = rf.add_journal_entry(ctx, session, text)
    typer.echo(f"journal entry {out['id']} added to {session}")


@journal_app.command("show")
def journal_show(session: Session, as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    with signed_in(data_dir, user) as ctx:
        out = rf.read_journal(ctx, session)
    emit(out, as_json, "\n\n".join(f"{e['written_at']}\n{e['text']}" for e in out) or "No entries yet.")


@journal_app.command("export")
def journal_export(session: Session, output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
                   data_dir: DataDir = None, user: User = None) -> None:
    """Export the journal as Markdown: only because you ask (audited)."""
    with signed_in(data_dir, user) as ctx:
        data = rf.export_journal(ctx, session)
    _write_out(data, output, data_dir)


@reflect_app.command("markers")
def markers(session: Session, as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    """Relationship-centred markers of a session, beside the client's symptom measures."""
    with signed_in(data_dir, user) as ctx:
        out = rf.session_markers(ctx, session)
    lines = [f"- {m['label']}: {m['value']}. {m['sentence']}" for m in out["markers"]]
    lines += [f"- {name}: {', '.join(str(s['total']) for s in v['series'])} ({v['change']})"
              for name, v in out["measures"].items()]
    emit(out, as_json, "\n".join(lines))


@reflect_app.command("measure")
def measure(
    client: Client,
    instrument: Annotated[str, typer.Option("--instrument", help="phq9 or gad7.")],
    answers: Annotated[str, typer.Option("--answers", help="Item scores 0-3 in order, e.g. '1 0 2 1 0 0 1 0 0'.")],
    taken_on: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default today).")] = None,
    session: Annotated[str | None, typer.Option("--session", help="The session it belongs to.")] = None,
    as_json: Json = False, data_dir: DataDir = None, user: User = None,
) -> None:
    """Record a PHQ-9 or GAD-7 (standard scoring and severity bands)."""
    try:
        when = date.fromisoformat(taken_on) if taken_on else None
    except ValueError:
        raise InputError("--date must be YYYY-MM-DD") from None
    items = ms.parse_answers(answers)
    with signed_in(data_dir, user) as ctx:
        out = rf.record_measure(ctx, client, instrument, items, when, session)
    extra = f"; {out['review']}" if out.get("review") else ""
    emit(out, as_json, f"{out['instrument']} {out['total']}/{out['max']} ({out['band']}){extra}")


@reflect_app.command("trends")
def trends(client: Annotated[str | None, typer.Argument(help="A client id; none: your caseload.")] = None,
           as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    """Trends for one client across sessions, or across your caseload (baselines, weekly load, prompts)."""
    with signed_in(data_dir, user) as ctx:
        out = rf.client_trends(ctx, client) if client else rf.clinician_trends(ctx)
    if as_json or client:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
        return
    lines = [f"baselines over {out['baselines']['sessions']} sessions: " +
             ", ".join(f"{k} {v}" for k, v in out["baselines"].items() if k != "sessions" and v is not None)]
    lines += [f"week {w['week']}: {w['sessions']} sessions, {w['heavy']} with risk or trauma content"
              for w in out["weekly_load"]]
    lines += [f"* {p}" for p in out["prompts"]]
    typer.echo("\n".join(lines))


def _checkin(keys: Sequence[str], prompts: Sequence[str], answers: str | None, history: bool, kind: str,
             as_json: bool, data_dir: Path | None, user: str | None) -> None:
    if not answers and not history and interactive():  # show the statements to answer
        for line in prompts:
            typer.echo(line)
    with signed_in(data_dir, user) as ctx:
        if history:
            out: Any = rf.wellbeing_history(ctx) if kind == "wellbeing" else rf.standing_history(ctx)
        else:
            given = _pairs(answers, keys, "Answer for")
            out = rf.record_wellbeing(ctx, given) if kind == "wellbeing" else rf.record_standing(ctx, given)
    if as_json or history:
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2) + "\n")
    elif kind == "wellbeing":
        typer.echo("\n".join(out["summary"]))
    else:
        typer.echo("\n".join(d["sentence"] for d in out["dimensions"]))


@reflect_app.command("wellbeing")
def wellbeing_cmd(answers: Annotated[str | None, typer.Option(help="rest=N,carry=N,support=N,meaning=N,"
                                                                 "boundaries=N (0 not at all .. 4 very much).")] = None,
                  history: Annotated[bool, typer.Option("--history", help="Show earlier check-ins.")] = False,
                  as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    """A short wellbeing check-in for you (written for sessionlens; no score, no cut-off)."""
    prompts = [f"{key}: {statement}" for key, statement, _ in wellbeing.ITEMS]
    _checkin(wellbeing.KEYS, prompts, answers, history, "wellbeing", as_json, data_dir, user)


@reflect_app.command("standing")
def standing_cmd(answers: Annotated[str | None, typer.Option(help="goal=N,setbacks=N,resistance=N,limits=N,"
                                                                "supervision=N (1 first statement .. 5 second).")] = None,
                 history: Annotated[bool, typer.Option("--history", help="Show earlier check-ins beside your data.")] = False,
                 as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    """Where do I stand? Five dimensions between healthy responsibility and perfectionism (private)."""
    prompts = [f"{key} ({name}): 1 = {first} ... 5 = {second}" for key, name, first, second in standing.DIMENSIONS]
    _checkin(standing.KEYS, prompts, answers, history, "standing", as_json, data_dir, user)


__all__ = ["imp", "reflect_app"]
