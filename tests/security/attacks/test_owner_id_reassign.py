"""Attack: claim another clinician's client by rewriting ``clients.owner_id`` (issue 17, finding 5).

On a practice server two clinicians are signed in at once, so the shared vault holds both account KEKs.
Authorization trusted the plain ``owner_id`` column, and ``client_key`` unwrapped a DEK with whichever
signed-in KEK wrapped it: an insider with database write made alice's client "theirs" and read her
sessions through the app. Now a DEK opens only for the account whose KEK wraps it (authenticated: no
other KEK unwraps it) or an account a session was shared with, and the permission check agrees with it.
Real PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import update

from sessionlens.errors import NotFoundError
from sessionlens.services import analyses, clients, consent, sessions
from sessionlens.vault import store
from sessionlens.vault.models import clients as clients_table
from tests.server.conftest import DEMO, _derive_once, pg_url, server, server_template  # noqa: F401  (fixtures)


@pytest.mark.postgres
def test_rewriting_owner_id_does_not_open_another_clinicians_client(server) -> None:  # noqa: F811
    alice, carol = server.ctx["alice"], server.sign_in("carol")  # both signed in: both KEKs in memory
    client = clients.add_client(alice, "Alice's Client")["id"]
    consent.record_consent(alice, client, ("recording", "analysis"))
    session = sessions.import_session(alice, client, DEMO.read_bytes(), source="demo.vtt")["id"]
    with store.transaction(server.vault.engine) as conn:
        conn.execute(update(clients_table).where(clients_table.c.id == client).values(owner_id=carol.actor.id))
    for read in (lambda: sessions.show_session(carol, session), lambda: analyses.read_analysis(carol, session),
                 lambda: clients.show_client(carol, client), lambda: clients.list_clients(carol)):
        with pytest.raises(NotFoundError):  # the listing too: the forged row does not open for carol
            read()
    with store.transaction(server.vault.engine) as conn:  # put it back: alice's own access never needed owner_id
        conn.execute(update(clients_table).where(clients_table.c.id == client).values(owner_id=alice.actor.id))
    assert analyses.read_analysis(alice, session)["metrics"]
