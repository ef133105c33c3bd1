"""`sessionlens code correct|list|agreement|export`: the clinician's corrections of intervention and
client-talk codes, the model's agreement with them over time, and rows for local re-training.

A note on a correction is free text: it comes from a prompt or standard input (``--note``), never
from an argument. The export is plaintext and goes only to a new file the clinician names, never
inside the vault's data directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import InputError
from ..files import write_new_file
from ..lazy import lazy
from ..payloads.analysis_coding import GroupedCv
from ..payloads.services_code_corrections import SessionAgreement
from .app import app
from .vault_common import DataDir, Json, User, emit, inside, line_from_user, settings_for, signed_in

cc = lazy("sessionlens.services.code_corrections")

code_app = typer.Typer(help="Correct intervention / client-talk codes; agreement with the model; export for "
                       "re-training.", no_args_is_help=True)
app.add_typer(code_app, name="code")
Session = Annotated[str, typer.Argument(help="Session id.")]


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def _kappa(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _fields(row: SessionAgreement) -> str:
    return "; ".join(f"{f.replace('_', ' ')} {_pct(row[f]['agreement'])} of {row[f]['n']} (kappa {_kappa(row[f]['kappa'])})"
                     for f in ("therapist_behaviour", "client_talk") if row[f]["n"])


@code_app.command("correct")
def correct(
    session: Session,
    utterance: Annotated[str, typer.Argument(help="Utterance id, e.g. u12.")],
    therapist_behaviour: Annotated[str | None, typer.Option(
        "--therapist-behaviour", help="question, reflection, therapist_input or other.")] = None,
    subcode: Annotated[list[str] | None, typer.Option(
        "--subcode", help="A therapist sub-code (repeat for several), e.g. open, complex, advice, affirm.")] = None,
    no_subcodes: Annotated[bool, typer.Option("--no-subcodes", help="The utterance has no sub-codes.")] = False,
    client_talk: Annotated[str | None, typer.Option("--client-talk", help="change, neutral or sustain.")] = None,
    note: Annotated[bool, typer.Option("--note", help="Add a short note (prompt or standard input).")] = False,
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Correct (or confirm) the codes of one utterance; the session's measures follow."""
    subcodes = [] if no_subcodes else (list(subcode or []) or None)
    text = line_from_user("Note") if note else None
    with signed_in(data_dir, user) as ctx:
        out = cc.correct_code(ctx, session, utterance, therapist_behaviour=therapist_behaviour,
                              therapist_subcodes=subcodes, client_talk=client_talk, note=text)
    codes = out["codes"]
    label = codes.get("therapist_behaviour") or codes.get("client_talk")
    subs = ", ".join(codes.get("therapist_subcodes") or [])
    emit(out, as_json, f"{utterance}: {label}{f' ({subs})' if subs else ''} — {out['corrections']} correction(s) "
                       f"kept for {session}; measures recomputed")


@code_app.command("list")
def list_(session: Session, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """The corrections of a session, each beside the model's code."""
    with signed_in(data_dir, user) as ctx:
        out = cc.list_corrections(ctx, session)
    lines = [f"{c['at'][:16]}  {c['utterance_id']}  {c['field'].replace('_', ' ')}: {_show(c['model'])} -> "
             f"{_show(c['value'])}" for c in out["corrections"]] or ["no corrections yet"]
    if out["not_applicable"]:
        lines.append(f"{out['not_applicable']} correction(s) no longer fit the session (speakers changed)")
    emit(out, as_json, "\n".join(lines))


def _show(value: Any) -> str:
    return ", ".join(value) or "(none)" if isinstance(value, list) else str(value)


@code_app.command("agreement")
def agreement(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Agreement between you and the model over your sessions (share and Cohen's kappa)."""
    with signed_in(data_dir, user) as ctx:
        out = cc.agreement(ctx)
    lines = [f"{r['date']}  {r['session']}  {_fields(r) or 'nothing coded'}" for r in out["sessions"]]
    lines = lines or ["no corrections yet"]
    if out["sessions"]:
        lines.append(f"overall: {_fields(out['overall'])}")
    emit(out, as_json, "\n".join([*lines, out["note"]]))


@code_app.command("export")
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="A new file for the JSONL rows (plaintext). "
                                         "Never inside the vault's data directory.")],
    context: Annotated[bool, typer.Option("--context", help="Every coded utterance of the corrected sessions, "
                                          "not only the corrected ones (flagged).")] = False,
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Export your corrected utterances as JSONL for local re-training."""
    _, directory = settings_for(data_dir)
    if inside(output, directory):
        raise InputError("refusing to write plaintext inside the vault's data directory", source=str(output))
    with signed_in(data_dir, user) as ctx:
        data = cc.export_training_rows(ctx, context=context)
    write_new_file(output, data)
    rows = data.count(b"\n")
    emit({"path": str(output), "rows": rows, "bytes": len(data)}, as_json,
         f"{rows} row(s) written to {output} (plaintext: keep it safe)")


def _cv_lines(cv: GroupedCv) -> list[str]:
    lines = [f"grouped CV over {cv['sessions']} sessions ({cv['folds']} folds), codes of sessions left out of the fit:"]
    for name, h in sorted(cv["heads"].items()):
        old, new = h["old"], h["new"]
        lines.append(f"  {name.replace('sub:', 'sub-codes of ')}: agreement {old['accuracy']:.3f} -> {new['accuracy']:.3f}, "
                     f"macro-F1 {old['macro_f1']:.3f} -> {new['macro_f1']:.3f} over {old['n']} codes")
    lines.append(f"  unreviewed codes the new heads would change: {cv['drift']:.1%}")
    return lines


@code_app.command("retrain")
def retrain(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Evaluate only; keep the current heads.")] = False,
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Re-train the coding heads on your corrected and confirmed codes; they replace the current heads only if
    grouped cross-validation over your sessions says they agree with you better."""
    with signed_in(data_dir, user) as ctx:
        out = cc.retrain(ctx, keep=not dry_run)
    lines = [f"{out['reviewed']} reviewed code(s) over {out['sessions']} session(s)"]
    lines += _cv_lines(out["cv"]) if "cv" in out else []
    verdict = ("kept: new sessions are coded with the re-trained heads" if out["kept"] else
               "better, not kept (dry run)" if out["better"] else "not kept, the current heads stay")
    lines.append(f"{verdict}: {out['reason']}")
    emit(out, as_json, "\n".join(lines))
