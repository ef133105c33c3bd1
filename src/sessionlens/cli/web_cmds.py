"""`sessionlens serve`: the local web app. The passphrase is entered on the sign-in page, never here."""

from __future__ import annotations

import ipaddress
import threading
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from ..config import Settings
from ..errors import ConfigError
from .app import app
from .vault_common import DataDir


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def server_settings(host: str | None, port: int | None, database: str | None = None) -> Settings:
    settings = Settings({"web_host": host, "web_port": port, "database_url": database})
    tls = bool(settings.web_tls_cert and settings.web_tls_key)
    if not _loopback(settings.web_host) and not tls:
        raise ConfigError("serving beyond this computer needs HTTPS: set web_tls_cert and web_tls_key "
                          "(SESSIONLENS_WEB_TLS_CERT / SESSIONLENS_WEB_TLS_KEY)")
    for name in ("web_tls_cert", "web_tls_key"):
        if settings[name] and not Path(settings[name]).is_file():
            raise ConfigError(f"{name}: no such file")
    return settings


@app.command("serve")
def serve(
    host: Annotated[Optional[str], typer.Option("--host", help="Address to listen on (default 127.0.0.1).")] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port (default 8765).")] = None,
    data_dir: DataDir = None,
    database: Annotated[Optional[str], typer.Option(
        "--database", help="Vault database URL, e.g. postgresql://user@host/db for a practice server "
        "(default: SESSIONLENS_DATABASE_URL, else SQLite in the data directory).")] = None,
    open_browser: Annotated[bool, typer.Option(
        "--open", help="Open the app in the default web browser once the server listens.")] = False,
) -> None:
    """Run the local web app. Open the address it prints and sign in with the vault passphrase (on the first
    run, with no vault yet, the page sets one up)."""
    import uvicorn

    from ..web import create_app

    settings = server_settings(host, port, database)
    if settings.job_runner == "celery":  # practice server: JSON log lines without PHI, like the workers
        from .. import logs

        logs.configure()
    tls = bool(settings.web_tls_cert and settings.web_tls_key)
    web = create_app(settings, data_dir, tls=tls)
    scheme = "https" if tls else "http"
    url = f"{scheme}://{settings.web_host}:{settings.web_port}/"
    typer.echo(f"sessionlens is serving on {url} (Ctrl+C stops it)")
    server = uvicorn.Server(uvicorn.Config(
        web, host=settings.web_host, port=settings.web_port, workers=1, log_level="warning",
        ssl_certfile=settings.web_tls_cert or None, ssl_keyfile=settings.web_tls_key or None,
        server_header=False, date_header=False))
    if open_browser:
        threading.Thread(target=open_when_listening, args=(server, url), daemon=True, name="sl-open").start()
    server.run()


def open_when_listening(server: Any, url: str, timeout: float = 60.0) -> bool:
    """Open ``url`` in the default browser (Python's webbrowser: $BROWSER is honoured) once ``server``
    listens."""
    import webbrowser

    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or getattr(server, "should_exit", False):
            return False
        time.sleep(0.05)
    if not webbrowser.open(url):
        typer.echo(f"no web browser could be opened here; open {url} yourself", err=True)
        return False
    return True
