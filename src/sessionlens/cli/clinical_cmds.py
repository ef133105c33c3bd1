"""`sessionlens client|consent|session ...`: the clinician's records, all through the services layer."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..errors import InputError, SessionlensError
from ..files import write_new_file
from ..lazy import lazy
from .app import app
from .vault_common import DataDir, Json, User, confirm, emit, inside, interactive, line_from_user, run_signed_in, \
    settings_for, signed_in

_formats = lazy("sessionlens.ingest.formats")
analyses = lazy("sessionlens.services.analyses")
clients = lazy("sessionlens.services.clients")
consent = lazy("sessionlens.services.consent")
exports = lazy("sessionlens.services.exports")
sessions = lazy("sessionlens.services.sessions")

client_app = typer.Typer(help="Clients (names are encrypted; commands use pseudonymous ids).", no_args_is_help=True)
consent_app = typer.Typer(help="Consent to recording, automated analysis and supervision.", no_args_is_help=True)
session_app = typer.Typer(help="Sessions: import, list, show, export, share.", no_args_is_help=True)
app.add_typer(client_app, name="client")
app.add_typer(consent_app, name="consent")
app.add_typer(session_app, name="session")


# --- clients ------------------------------------------------------------------------------------

@client_app.command("add")
def client_add(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Add a client. The name is prompted (or read from standard input), never taken as an argument."""
    name = line_from_user("Client name")
    with signed_in(data_dir, user) as ctx:
        result = clients.add_client(ctx, name)
    emit(result, as_json, f"client {result['id']} added")


@client_app.command("list")
def client_list(data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """List your clients (shows names: a PHI read, audited)."""
    with signed_in(data_dir, user) as ctx:
        result = clients.list_clients(ctx)
    lines = [f"{c['id']}  {c['name']}  consent: {', '.join(c['consent']) or 'none'}" for c in result]
    emit(result, as_json, "\n".join(lines) or "no clients")


@client_app.command("show")
def client_show(client_id: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Show a client: name, consent, sessions."""
    with signed_in(data_dir, user) as ctx:
        result = clients.show_client(ctx, client_id)
    scopes = ", ".join(result["consent"]["scopes"]) if result["consent"] else "none"
    emit(result, as_json, f"{result['id']}  {result['name']}\nconsent: {scopes}\nsessions: "
                          f"{', '.join(result['sessions']) or 'none'}")


@client_app.command("modality")
def client_modality(client_id: str,
                    modality: Annotated[str, typer.Argument(help="cbt, mi, psychodynamic, couples or none.")],
                    data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Set the approach a client's notes are drafted in (note draft --modality overrides it per note)."""
    with signed_in(data_dir, user) as ctx:
        result = clients.set_client_modality(ctx, client_id, modality)
    emit(result, as_json, f"{client_id}: notes drafted with the {result['modality']} template")


@client_app.command("shred")
def client_shred(client_id: str, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
                 data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Destroy a client's key and every record of theirs, for good (crypto-shredding)."""
    confirm(f"Destroy every record of {client_id} for good?", yes)
    with signed_in(data_dir, user) as ctx:
        result = clients.shred_client(ctx, client_id)
    emit(result, as_json, f"{client_id} shredded: key destroyed, {result['sessions']} sessions and "
                          f"{result['blobs']} records deleted")


# --- consent ------------------------------------------------------------------------------------

@consent_app.command("record")
def consent_record(
    client_id: str,
    scope: Annotated[Optional[list[str]], typer.Option("--scope", help="recording, analysis, supervision "
                                                       "(repeatable; default: recording + analysis).")] = None,
    on: Annotated[Optional[str], typer.Option("--date", help="Date consent was given, YYYY-MM-DD (default today).")] = None,
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Record a client's consent."""
    given = _date(on)
    with signed_in(data_dir, user) as ctx:
        result = consent.record_consent(ctx, client_id, scope or consent.DEFAULT_SCOPES, given)
    emit(result, as_json, f"consent recorded for {client_id}: {', '.join(result['scopes'])} on {result['given_on']}")


def _date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date must look like 2025-01-31, not {text!r}") from None


@consent_app.command("revoke")
def consent_revoke(
    client_id: str,
    delete: Annotated[Optional[bool], typer.Option("--delete/--keep", help="Also shred the client's data "
                                                   "(asked when at a terminal; default --keep otherwise).")] = None,
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Revoke consent; offers to delete the client's data."""
    with signed_in(data_dir, user) as ctx:
        result = consent.revoke_consent(ctx, client_id)
        if delete is None and interactive() and not as_json:
            delete = typer.confirm(f"Consent revoked. Delete every record of {client_id} now?", default=False)
        if delete:
            result["receipt"] = clients.shred_client(ctx, client_id)
            result["deleted"] = True
    human = f"consent revoked for {client_id}" + (" and its data shredded" if result["deleted"] else
                                                  f"; its data is kept (delete it: sessionlens client shred {client_id})")
    emit(result, as_json, human)


@consent_app.command("show")
def consent_show(client_id: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Show a client's consent and its history."""
    with signed_in(data_dir, user) as ctx:
        result = consent.consent_status(ctx, client_id)
    cur = result["current"]
    emit(result, as_json, f"{client_id}: " + (f"{', '.join(cur['scopes'])} since {cur['given_on']}" if cur else
                                              "no consent recorded"))


# --- sessions -----------------------------------------------------------------------------------

@session_app.command("add")
def session_add(
    file: Annotated[Path, typer.Argument(help="Transcript file (text, WebVTT, SRT, Whisper JSON, CSV, DOCX...).")],
    client: Annotated[str, typer.Option("--client", help="Client id (c-...).")],
    therapist: Annotated[Optional[list[str]], typer.Option("--therapist", help="Speaker label of the therapist "
                                                           "(repeatable).")] = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Input format (default: detected).")] = None,
    people: Annotated[Optional[int], typer.Option("--people", help="Recordings: how many people were in the room "
                                                  "(individual 2, couple 3, family N; default: found from the voices).")] = None,
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Import a transcript or a recording: (transcribe,) analyse offline and store it all sealed.

    Needs recorded consent. A recording (detected by content) is sealed, transcribed with a progress bar,
    analysed, and — under the default retention policy — its audio is then deleted with a receipt.
    """
    from ..ingest.audio import is_media_file
    from ..services.media_sessions import check_people

    check_people(people)
    if fmt is None and is_media_file(file):
        result = _add_recording(file, client, data_dir, user, people)
        emit(result, as_json, f"session {result['id']} transcribed for {client}: {result['utterances']} utterances")
        return
    if people is not None:
        raise InputError("--people applies to recordings; a transcript names its own speakers")
    data = _formats.read_file(file)
    with signed_in(data_dir, user) as ctx:
        result = sessions.import_session(ctx, client, data, source=str(file), fmt=fmt, therapist=therapist or ())
    emit(result, as_json, f"session {result['id']} imported for {client}: {result['utterances']} utterances")


def _add_recording(file: Path, client: str, data_dir: Path | None, user: str | None, people: int | None) -> dict:
    from ..services import media_sessions, transcription
    from .speech_cmds import progress_bar

    data = _formats.read_file(file)
    with signed_in(data_dir, user) as ctx:
        created = media_sessions.create_audio_session(ctx, client, status="awaiting_transcription",
                                                      mime="application/octet-stream", data=data, people=people)
        try:
            with progress_bar() as report:
                done = transcription.transcribe_session(ctx, created["id"], report)
        except SessionlensError:
            # Like a transcript import, a recording that cannot be processed leaves nothing behind.
            sessions.delete_session(ctx, created["id"])
            raise
    return {"id": created["id"], "client": client, "source_format": "audio", "utterances": done["utterances"]}


@session_app.command("list")
def session_list(client: Annotated[Optional[str], typer.Option("--client", help="Only this client.")] = None,
                 data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """List sessions you may see."""
    with signed_in(data_dir, user) as ctx:
        result = sessions.list_sessions(ctx, client)
    emit(result, as_json, "\n".join(f"{s['id']}  {s['client']}  {s['created_at']}  {s['utterances']} utterances"
                                    for s in result) or "no sessions")


@session_app.command("show")
def session_show(session_id: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Show a session: its records and headline metrics."""
    with signed_in(data_dir, user) as ctx:
        result = sessions.show_session(ctx, session_id)
    records = ", ".join(f"{r['kind']} ({r['bytes']} B)" for r in result["records"])
    emit(result, as_json, f"{result['id']}  client {result['client']}  {result['created_at']}\n"
                          f"{result['utterances']} utterances; records: {records}")


@session_app.command("export")
def session_export(
    session_id: str,
    what: Annotated[str, typer.Option("--what", help="analysis (JSON), transcript (JSON) or original (bytes).")] = "analysis",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here (a new file) instead of "
                                                   "standard output. Never inside the vault's data directory.")] = None,
    data_dir: DataDir = None, user: User = None, as_json: Json = False,
) -> None:
    """Export a session in plaintext, to standard output or a file you name."""
    _, directory = settings_for(data_dir)
    if output is not None and inside(output, directory):
        raise InputError("refusing to write plaintext inside the vault's data directory", source=str(output))
    with signed_in(data_dir, user) as ctx:
        data = exports.export_session(ctx, session_id, what)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_new_file(output, data)
    emit({"session": session_id, "what": what, "path": str(output), "bytes": len(data)}, as_json,
         f"{what} of {session_id} written to {output} ({len(data)} bytes, plaintext: keep it safe)")


@session_app.command("delete")
def session_delete(session_id: str, yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
                   data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Delete a session and all its records."""
    confirm(f"Delete session {session_id} for good?", yes)
    run_signed_in(data_dir, user, as_json, lambda ctx: sessions.delete_session(ctx, session_id),
                  f"session {session_id} deleted")


@session_app.command("share")
def session_share(session_id: str, grantee: Annotated[str, typer.Option("--with", help="Supervisor account.")],
                  data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Share a session with a supervisor (needs the client's consent to supervision)."""
    run_signed_in(data_dir, user, as_json, lambda ctx: sessions.share_session(ctx, session_id, grantee),
                  f"session {session_id} shared with {grantee}")


@session_app.command("unshare")
def session_unshare(session_id: str, grantee: Annotated[str, typer.Option("--with", help="Supervisor account.")],
                    data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Stop sharing a session with a supervisor."""
    run_signed_in(data_dir, user, as_json, lambda ctx: sessions.unshare_session(ctx, session_id, grantee),
                  f"session {session_id} no longer shared with {grantee}")


@session_app.command("transcript")
def session_transcript(session_id: str, data_dir: DataDir = None, user: User = None, as_json: Json = False) -> None:
    """Print a session's transcript (speaker: text)."""
    from ..codec import transcript_to_dict

    with signed_in(data_dir, user) as ctx:
        transcript = analyses.read_transcript(ctx, session_id)
    emit(transcript_to_dict(transcript), as_json,
         "\n".join(f"[{u.speaker}/{u.role.value}] {u.text}" for u in transcript.utterances))
