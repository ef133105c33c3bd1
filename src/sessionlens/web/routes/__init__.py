"""Routes split by area; pages are HTML (outside the schema), the API is JSON under /api."""

from __future__ import annotations

from . import api_clients, api_jobs, api_notes, api_recording, api_sessions, api_uploads, auth_pages, client_pages, \
    meta, server_ops, session_pages, settings_pages

ROUTERS = [meta.router, auth_pages.router, client_pages.router, session_pages.router, settings_pages.router,
           api_clients.router, api_sessions.router, api_notes.router, api_uploads.router, api_jobs.router,
           api_recording.router, server_ops.router]
from . import reflection_pages, supervision_pages  # noqa: E402  (reflection, packets, de-identify)
ROUTERS += [reflection_pages.router, supervision_pages.router]
from . import code_corrections  # correct codes: review form, API, agreement, export
ROUTERS.append(code_corrections.router)
from . import setup_pages  # first run: the vault made in the browser
ROUTERS.append(setup_pages.router)
from . import jobs_pages  # the processing jobs page
ROUTERS.append(jobs_pages.router)
from . import consent_pages  # revoke consent and delete
ROUTERS.append(consent_pages.router)
from . import addenda_pages  # addenda to a signed note
ROUTERS.append(addenda_pages.router)
from . import accounts_pages  # account management (admins)
ROUTERS.append(accounts_pages.router)
from . import api_retention  # a client's audio retention
ROUTERS.append(api_retention.router)
from . import api_accounts  # account list and role change (admins), JSON
ROUTERS.append(api_accounts.router)
