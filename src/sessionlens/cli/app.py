"""The root typer application and the error boundary every command runs inside."""

from __future__ import annotations

import sys

import typer

from ..errors import SessionlensError
from ..logs import internal_error

app = typer.Typer(
    name="sessionlens",
    help="Local-first review partner for therapists: objective session data, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

def fail(message: str, code: int = 2) -> None:
    """Print a one-line error to stderr and exit."""
    sys.stderr.write(f"sessionlens: error: {message}\n")
    raise SystemExit(code)


def run(argv: list[str] | None = None) -> int:
    """Run the CLI; map every known error to a one-line message and an exit status."""
    argv = list(sys.argv[1:] if argv is None else argv) or ["--help"]
    try:
        # Without standalone mode, typer returns the code of a `typer.Exit(code)` instead of exiting.
        result = app(args=argv, prog_name="sessionlens", standalone_mode=False)
    except SessionlensError as exc:
        sys.stderr.write(f"sessionlens: error: {exc}\n")
        return exc.exit_code
    except typer.Abort:
        sys.stderr.write("sessionlens: aborted\n")
        return 130
    except typer.TyperException as exc:  # usage errors: bad options, missing arguments
        sys.stderr.write(f"sessionlens: error: {exc.format_message()}\n")
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("sessionlens: interrupted\n")
        return 130
    except MemoryError:
        sys.stderr.write("sessionlens: error: out of memory\n")
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback, no PHI
        # The exception's message may hold user content, so only its type is shown.
        sys.stderr.write(f"sessionlens: internal error ({type(exc).__name__}); please report it\n")
        internal_error(argv[0] if argv and not argv[0].startswith("-") else "-", exc)
        return 1
    return result if isinstance(result, int) else 0
