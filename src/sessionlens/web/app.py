"""The application factory: routes by area, the guard middleware, error handlers, static files."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..config import Settings
from ..services import saved_settings
from ..offline import allow_services
from . import errors
from .deps import SignInRequired, sign_in_required
from .audit_scope import AuditScope
from .middleware import Guard
from .render import compile_templates
from .routes import ROUTERS
from .state import WebState

STATIC = Path(__file__).resolve().parent / "static"
SWEEP_SECONDS = 30.0


def _sweeper(state: WebState, stop: threading.Event) -> None:
    """End idle sessions (and lock the vault) even when no request arrives."""
    while not stop.wait(SWEEP_SECONDS):
        state.sessions.sweep()
        state.lock_if_idle()


def create_app(settings: Settings | None = None, data_dir: str | Path | None = None, *, tls: bool = False) -> FastAPI:
    directory = Path(data_dir) if data_dir else None
    # settings saved from the settings page (services.saved_settings) apply where the environment sets nothing
    state = WebState(saved_settings.effective(settings or Settings(), directory), directory)
    allow_services(state.settings)  # other requests keep their database and broker while one is offline
    if state.settings.job_runner == "celery":  # practice server: durable jobs on `sessionlens worker` processes
        from ..jobs.runner import CeleryRunner
        from ..services.keyring import for_web

        state.keyring = for_web(state.settings)  # seals each job's grant to one approved worker's key; opens none
        state.runner = CeleryRunner(state.settings, state.keyring)  # sends each job to its worker
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        threading.Thread(target=_sweeper, args=(state, stop), daemon=True, name="sl-sweep").start()
        compile_templates()
        yield
        stop.set()
        state.close()  # the in-process job runner stops before the vault (and its engine) closes

    app = FastAPI(title="sessionlens", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json", lifespan=lifespan,
                  description="Local JSON API of sessionlens. Every route but /api/health and this schema needs "
                              "a signed-in session (cookie); state changes also need the X-CSRF-Token header.")
    app.state.web = state
    app.state.tls = tls
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    errors.install(app)
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_middleware(Guard, state=state, tls=tls)
    app.add_middleware(AuditScope)  # outermost: the guard's own reads are part of the read request
    return app
