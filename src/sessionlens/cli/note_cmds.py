"""`sessionlens note draft|show|edit|sign|addendum|export|diff|formulation`.

TARGET is a stored session id (vault) or, for draft/export/formulation, a transcript file — then
nothing is stored and no vault is needed. Note text the clinician types (edits, addenda) comes from
a prompt or standard input, never from arguments (argv lands in shell history).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from ..config import Settings
from ..errors import InputError
from ..files import write_new_file
from ..lazy import lazy
from .app import app
from .vault_common import DataDir, Output, User, inside, interactive, settings_for, signed_in

if TYPE_CHECKING:  # for annotations only: the modules themselves load on first use
    from ..notes.model import Note
    from ..notes.writer_default import NoteWriter

concept = lazy("sessionlens.notes.conceptualization")
_notes = lazy("sessionlens.notes")
workflow = lazy("sessionlens.notes.workflow")
_export = lazy("sessionlens.notes.export")
_markdown = lazy("sessionlens.notes.export.markdown")
_formats = lazy("sessionlens.notes.formats")
_modalities = lazy("sessionlens.notes.modalities")
_model = lazy("sessionlens.notes.model")
_templates = lazy("sessionlens.notes.templates")
_writer_default = lazy("sessionlens.notes.writer_default")
_writer_llm = lazy("sessionlens.notes.writer_llm")
_offline = lazy("sessionlens.offline")
fd = lazy("sessionlens.services.formulation_decisions")
nw = lazy("sessionlens.services.note_workflow")
_exports = lazy("sessionlens.services.exports")
_analysis = lazy("sessionlens.services.analysis")
# Named here so that `--help` does not load the PDF and DOCX writers; a test keeps it equal to EXPORTERS.
EXPORT_NAMES = ("markdown", "text", "pdf", "docx", "fhir-composition", "fhir-documentreference")

note_app = typer.Typer(help="Progress notes whose every sentence shows its evidence.", no_args_is_help=True)
app.add_typer(note_app, name="note")

Target = Annotated[str, typer.Argument(help="Session id in the vault, or a transcript file (nothing stored).")]
Session = Annotated[str, typer.Argument(help="Session id in the vault.")]
AsJson = Annotated[bool, typer.Option("--json", help='Print {"format", "sections": [{"title", "sentences": '
                                      '[{"text", "evidence"}]}]} (plus status, signature, messages).')]
Template = Annotated[Optional[Path], typer.Option("--template", help="Render with your own Jinja2 template "
                                                  "(sandboxed).")]


def _is_file(target: str) -> bool:
    return Path(target).is_file()


def _writer(llm_model: Path | None, llm_url: str | None, allow_remote: bool, timeout: float | None,
            name: str | None = None, detail: str = "concise") -> NoteWriter | None:
    s = Settings()
    url = llm_url or s.note_llm_url
    model = str(llm_model) if llm_model else s.note_llm_model
    if model and url:
        raise InputError("choose one of --llm-model and --llm-url")
    cfg_timeout = timeout if timeout is not None else s.note_llm_timeout
    if model:
        return _writer_llm.LLMWriter(_writer_llm.LLMConfig("llama_cpp", model_path=model, timeout=cfg_timeout,
                                                           detail=detail))
    if url:
        # A remote host (allowed explicitly) is named in a warning on every draft: issue 17, finding 11.
        return _writer_llm.LLMWriter(_writer_llm.LLMConfig(
            "openai", url=url, model_name=name or s.note_llm_name, allow_remote=allow_remote or s.note_llm_allow_remote,
            timeout=cfg_timeout, detail=detail))
    return None


def _show(note: Note, as_json: bool, template: Path | None) -> None:
    if as_json:
        sys.stdout.write(json.dumps(_model.note_to_dict(note), ensure_ascii=False, indent=2) + "\n")
    elif template is not None:
        try:
            source = template.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise InputError("cannot read the template (a UTF-8 text file)", source=str(template)) from None
        sys.stdout.write(_templates.render_template(source, note, Settings().note_template_timeout))
    else:
        sys.stdout.write(_markdown.render_review(note))  # the working view, with evidence
    for m in note.messages:
        sys.stderr.write(f"sessionlens: {m}\n")


def _check_format(fmt: str, grounding: str) -> None:
    if fmt.lower() not in _formats.FORMATS:
        raise InputError(f"--format must be one of: {', '.join(_formats.FORMATS)}")
    if grounding not in ("remove", "mark"):
        raise InputError("--grounding must be remove or mark")


@note_app.command("draft")
def draft(
    target: Target,
    fmt: Annotated[Optional[str], typer.Option("--format", help="soap, dap, birp or girp.")] = None,
    grounding: Annotated[Optional[str], typer.Option("--grounding", help="remove (default) or mark unsupported "
                                                     "sentences.")] = None,
    llm_model: Annotated[Optional[Path], typer.Option("--llm-model", help="A GGUF model file to write with "
                                                      "(needs sessionlens[llm]).")] = None,
    llm_url: Annotated[Optional[str], typer.Option("--llm-url", help="An OpenAI-compatible server you run "
                                                   "locally, e.g. http://127.0.0.1:11434.")] = None,
    llm_allow_remote: Annotated[bool, typer.Option("--llm-allow-remote", help="Allow an LLM server that is not "
                                                   "on this computer (sends session excerpts there).")] = False,
    llm_timeout: Annotated[Optional[float], typer.Option("--llm-timeout", help="Seconds to wait for the LLM.")] = None,
    llm_name: Annotated[Optional[str], typer.Option("--llm-name", help="Model name for the --llm-url server "
                                                    "(Ollama: e.g. llama3.2); setting note_llm_name.")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Discard the stored draft (and its edits).")] = False,
    detail: Annotated[Optional[str], typer.Option("--detail", help="concise (clinical length, the default) or full "
                                                  "(everything found); setting note_detail.")] = None,
    modality: Annotated[Optional[str], typer.Option("--modality", help="cbt, mi, psychodynamic, couples or none "
                                                    "(default: the client's modality, else none).")] = None,
    as_json: AsJson = False, template: Template = None, data_dir: DataDir = None, user: User = None,
) -> None:
    """Draft a progress note; every sentence cites the utterances it rests on."""
    s = Settings()
    fmt, grounding = (fmt or s.note_format).lower(), grounding or s.note_grounding
    _check_format(fmt, grounding)
    detail = (detail or s.note_detail).lower()
    if detail not in ("concise", "full"):
        raise InputError("--detail must be concise or full")
    if modality is not None:
        _modalities.check_modality(modality)
    writer = _writer(llm_model, llm_url, llm_allow_remote, llm_timeout, llm_name, detail)
    if _is_file(target):
        note = nw.draft_file_note(Path(target), fmt, writer=writer, grounding=grounding,
                                    llm_url=llm_url or s.note_llm_url, detail=detail, modality=modality)
    else:
        with signed_in(data_dir, user) as ctx:
            result = nw.draft_session_note(ctx, target, fmt, writer=writer, grounding=grounding,
                                           replace_draft=replace, llm_url=llm_url or s.note_llm_url, detail=detail,
                                           modality=modality)
        from ..notes.model import note_from_dict
        note = note_from_dict(result["note"])
    _show(note, as_json, template)


@note_app.command("show")
def show(session: Session, as_json: AsJson = False, template: Template = None, data_dir: DataDir = None,
         user: User = None) -> None:
    """Show a stored note (draft or signed, with addenda)."""
    with signed_in(data_dir, user) as ctx:
        note = nw.read_session_note(ctx, session)
    _show(note, as_json, template)


def _typed(prompt: str) -> str:
    """Text from a prompt on a terminal, else all of standard input."""
    text = typer.prompt(prompt) if interactive() else sys.stdin.read()
    if not text.strip():
        raise InputError(f"{prompt.lower()}: expected text on standard input")
    return text.strip()


@note_app.command("edit")
def edit(
    session: Session,
    section: Annotated[str, typer.Option("--section", help="Section key, e.g. subjective, plan, relational.")],
    sentence: Annotated[Optional[int], typer.Option("--sentence", help="Sentence number (1-based) to replace.")] = None,
    delete: Annotated[bool, typer.Option("--delete", help="Delete that sentence.")] = False,
    add: Annotated[bool, typer.Option("--add", help="Append a sentence of your own.")] = False,
    as_json: AsJson = False, data_dir: DataDir = None, user: User = None,
) -> None:
    """Edit the draft: replace, delete or add a sentence (new text from the prompt or standard input)."""
    if add == (sentence is not None):
        raise InputError("give --sentence N (to replace or --delete) or --add")
    if add:
        text = _typed("New sentence")
        change = lambda n: workflow.add_sentence(n, section, text)  # noqa: E731
    elif delete:
        change = lambda n: workflow.delete_sentence(n, section, sentence)  # noqa: E731
    else:
        text = _typed("Replacement sentence")
        change = lambda n: workflow.edit_sentence(n, section, sentence, text)  # noqa: E731
    with signed_in(data_dir, user) as ctx:
        note = nw.edit_session_note(ctx, session, change)
    _show(note, as_json, None)


@note_app.command("sign")
def sign(session: Session, as_json: AsJson = False, data_dir: DataDir = None, user: User = None) -> None:
    """Sign the note: it is locked, with your name, the time and a content hash."""
    with signed_in(data_dir, user) as ctx:
        note = nw.sign_session_note(ctx, session)
    sig = note.signature
    assert sig is not None
    if as_json:
        _show(note, True, None)
    else:
        typer.echo(f"signed by {sig.signer} at {sig.signed_at}\nsha256 {sig.content_sha256}\n"
                   f"draft kept; changes from the draft: {json.dumps(note.revision)}")


@note_app.command("addendum")
def addendum(session: Session, as_json: AsJson = False, data_dir: DataDir = None, user: User = None) -> None:
    """Add an addendum to a signed note (text from the prompt or standard input)."""
    text = _typed("Addendum")
    with signed_in(data_dir, user) as ctx:
        note = nw.add_session_addendum(ctx, session, text)
    _show(note, as_json, None) if as_json else typer.echo(f"addendum {len(note.addenda)} added")


@note_app.command("diff")
def diff(session: Session, data_dir: DataDir = None, user: User = None) -> None:
    """How much the signed note differs from the writer's draft (JSON)."""
    with signed_in(data_dir, user) as ctx:
        note = nw.read_session_note(ctx, session)
    sys.stdout.write(json.dumps(note.revision or workflow.draft_difference(note), indent=2) + "\n")


def _write_out(data: bytes, output: Path | None, data_dir: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _, directory = settings_for(data_dir)
    if inside(output, directory):
        raise InputError("refusing to write plaintext inside the vault's data directory", source=str(output))
    write_new_file(output, data)


@note_app.command("export")
def export(
    target: Target,
    to: Annotated[str, typer.Option("--to", help=f"One of: {', '.join(EXPORT_NAMES)}.")] = "markdown",
    output: Output = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="For a transcript file: soap, dap, birp or girp.")] = None,
    client: Annotated[str, typer.Option("--client", help="Show the client by pseudonym (the record id, default) "
                                        "or name.")] = "pseudonym",
    appendix: Annotated[bool, typer.Option("--appendix", help="Add the evidence appendix: times and short quotes "
                                           "of the moments each sentence rests on.")] = False,
    date: Annotated[Optional[str], typer.Option("--date", help="Date of service, YYYY-MM-DD (default: the "
                                                "session record's date).")] = None,
    start: Annotated[Optional[str], typer.Option("--start", help="Start time, HH:MM (default: the session "
                                                 "record's time).")] = None,
    clinician: Annotated[Optional[str], typer.Option("--clinician", help="The clinician as the record should "
                                                     "name them (default: the signer).")] = None,
    data_dir: DataDir = None, user: User = None,
) -> None:
    """Export a note with a header and signature block: Markdown, plain text for EHR fields, PDF, DOCX, FHIR R4."""
    if to not in _export.EXPORTERS:
        raise InputError(f"--to must be one of: {', '.join(_export.EXPORTERS)}")
    choice = _exports.NoteExportChoice(client=client, appendix=appendix, date=date or "", start=start or "",
                                       clinician=clinician or "")
    if _is_file(target):
        s = Settings()
        f = (fmt or s.note_format).lower()
        _check_format(f, s.note_grounding)
        data = _exports.export_file_note(Path(target), f, to, choice, grounding=s.note_grounding, detail=s.note_detail)
    else:
        with signed_in(data_dir, user) as ctx:
            data = _exports.export_session_note(ctx, target, to, choice)
    if output is None and to in ("pdf", "docx") and sys.stdout.isatty():
        raise InputError(f"--to {to} is binary: give --output FILE")
    _write_out(data, output, data_dir)


@note_app.command("formulation")
def formulation(
    targets: Annotated[list[str], typer.Argument(help="A client id in the vault, or transcript files (oldest first).")],
    model: Annotated[str, typer.Option("--model", help="5p (5 Ps) or cbt (CBT cross-section).")] = "5p",
    accept: Annotated[Optional[list[str]], typer.Option("--accept", help="Accept hypothesis ITEM_ID (stored; "
                                                        "repeatable).")] = None,
    reject: Annotated[Optional[list[str]], typer.Option("--reject", help="Reject hypothesis ITEM_ID (stored; "
                                                        "repeatable).")] = None,
    as_json: AsJson = False, data_dir: DataDir = None, user: User = None,
) -> None:
    """A case-conceptualization scaffold across sessions: hypotheses with evidence to accept or reject."""
    decisions = [(i, concept.ACCEPTED) for i in accept or []] + [(i, concept.REJECTED) for i in reject or []]
    if all(_is_file(t) for t in targets):
        if decisions:
            raise InputError("decisions are stored only for a client in the vault")
        f = concept.conceptualize([(Path(t).name, _analysis.analyze_file(t)) for t in targets], model)
    elif len(targets) == 1:
        with signed_in(data_dir, user) as ctx:
            for item_id, decision in decisions:
                fd.decide_hypothesis(ctx, targets[0], model, item_id, decision)
            f = fd.client_formulation(ctx, targets[0], model)
    else:
        raise InputError("give one client id, or transcript files that exist")
    if as_json:
        sys.stdout.write(json.dumps(concept.formulation_to_dict(f), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(concept.render_markdown(f))
