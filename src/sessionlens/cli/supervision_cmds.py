"""`sessionlens packet ...`: build a de-identified supervision packet, review and edit it, approve it,
export it as PDF or sealed for a supervisor account; a supervisor opens a sealed file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from ..files import write_new_file
from ..lazy import lazy
from .app import app
from .note_cmds import _typed, _write_out
from .vault_common import DataDir, Json, Output, User, emit, interactive, signed_in

sv = lazy("sessionlens.services.supervision")
_packet = lazy("sessionlens.supervision.packet")
_pdf = lazy("sessionlens.supervision.pdf")

packet_app = typer.Typer(help="De-identified supervision packets.", no_args_is_help=True)
app.add_typer(packet_app, name="packet")
Packet = Annotated[str, typer.Argument(help="Packet id.")]


def _chosen(items: list[str]) -> list[tuple[str, str | None]]:
    out = []
    for item in items:
        session, _, excerpt = item.partition(":")
        out.append((session.strip(), excerpt.strip() or None))
    return out


def _questions() -> list[str]:
    text = typer.prompt("Questions for supervision (one line)") if interactive() else sys.stdin.read()
    return [q for q in text.splitlines() if q.strip()]


@packet_app.command("build")
def build(
    client: Annotated[str, typer.Argument(help="Client id (the packet covers sessions of one client).")],
    session: Annotated[list[str], typer.Option("--session", help="SESSION or SESSION:u10-u25 (an excerpt); repeat.")],
    questions: Annotated[bool, typer.Option("--questions", help="Read your questions (one per line) from the "
                                            "prompt or standard input.")] = False,
    as_json: Json = False, data_dir: DataDir = None, user: User = None,
) -> None:
    """Build a packet: sessions or excerpts, their measures and codes, your questions — de-identified."""
    qs = _questions() if questions else []
    with signed_in(data_dir, user) as ctx:
        out = sv.build_packet(ctx, client, _chosen(session), qs)
    replaced = ", ".join(f"{n} {k.lower()}" for k, n in sorted(out["replaced"].items())) or "nothing"
    emit(out, as_json, f"packet {out['id']} built (draft; replaced {replaced}). Read it: sessionlens packet show "
                       f"{out['id']}, then approve it before exporting.")


@packet_app.command("show")
def show(packet: Packet, data_dir: DataDir = None, user: User = None) -> None:
    """The packet as text, with line numbers for edits."""
    with signed_in(data_dir, user) as ctx:
        out = sv.show_packet(ctx, packet)
    sys.stdout.write(_packet.as_text(out))


@packet_app.command("edit")
def edit(packet: Packet, line: Annotated[str, typer.Argument(help="SESSION.LINE, e.g. 1.12.")],
         remove: Annotated[bool, typer.Option("--remove", help="Remove the line.")] = False,
         data_dir: DataDir = None, user: User = None) -> None:
    """Replace a line (new text from the prompt or standard input) or remove it; the packet returns to draft."""
    text = None if remove else _typed("Replacement text")
    with signed_in(data_dir, user) as ctx:
        out = sv.edit_packet(ctx, packet, line, text)
    typer.echo(f"packet {packet}: line {line} {'removed' if remove else 'replaced'} ({out['status']})")


@packet_app.command("approve")
def approve(packet: Packet, data_dir: DataDir = None, user: User = None) -> None:
    """You have read every line: the packet may be exported."""
    with signed_in(data_dir, user) as ctx:
        sv.approve_packet(ctx, packet)
    typer.echo(f"packet {packet} reviewed; export with --pdf or seal it for a supervisor")


@packet_app.command("export")
def export(packet: Packet, output: Output = None, data_dir: DataDir = None, user: User = None) -> None:
    """Export a reviewed packet as PDF."""
    with signed_in(data_dir, user) as ctx:
        data = sv.export_packet_pdf(ctx, packet)
    if output is None and sys.stdout.isatty():
        raise InputError("a PDF is binary: give --output FILE")
    _write_out(data, output, data_dir)


@packet_app.command("seal")
def seal(packet: Packet, to: Annotated[str, typer.Option("--to", help="The supervisor account's username.")],
         output: Annotated[Path, typer.Option("--output", "-o", help="A new file.")],
         data_dir: DataDir = None, user: User = None) -> None:
    """A file only that supervisor account can open (with `sessionlens packet open`)."""
    with signed_in(data_dir, user) as ctx:
        data = sv.seal_packet(ctx, packet, to)
    write_new_file(output, data)
    typer.echo(f"packet {packet} sealed for {to}")


@packet_app.command("list")
def list_(as_json: Json = False, data_dir: DataDir = None, user: User = None) -> None:
    """Your packets (a supervisor: the packets sealed for you)."""
    with signed_in(data_dir, user) as ctx:
        out = sv.list_packets(ctx)
    emit(out, as_json, "\n".join(f"{p['id']}  {p['created_at'][:10]}  {p['status']}  {p['sessions']} session(s)"
                                 for p in out) or "No packets.")


@packet_app.command("open")
def open_(file: Annotated[Path, typer.Argument(help="A sealed packet file.")], pdf: Output = None,
          data_dir: DataDir = None, user: User = None) -> None:
    """Open a packet sealed for you (supervisor accounts): text, or --output a PDF."""
    from ..ingest.formats import read_file

    data = read_file(file, limit=50 * 1024 * 1024)
    with signed_in(data_dir, user) as ctx:
        out = sv.open_packet_file(ctx, data)
    if pdf is not None:
        write_new_file(pdf, _pdf.render_pdf(out))
    else:
        sys.stdout.write(_packet.as_text(out))
