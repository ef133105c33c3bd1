"""Attack: the admin reads a clinician's own check-ins (issue 17, finding 7).

Check-ins (well-being, standing) were sealed under a key derived from the vault KEK, which the owner/admin
holds: the admin could open every clinician's private check-ins — and on a server opened by a clinician's
own keys, with the admin signed out, the clinician could not even write one. They are now sealed under the
clinician's own DEK, wrapped by their account KEK. Real PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sessionlens.errors import IntegrityError
from sessionlens.services import reflection
from sessionlens.vault import records
from sessionlens.vault.models import reflections
from tests.server.conftest import _derive_once, pg_url, server, server_template  # noqa: F401  (fixtures)

ANSWERS = {"rest": 1, "carry": 2, "support": 3, "meaning": 1, "boundaries": 2}


@pytest.mark.postgres
def test_the_admin_key_does_not_open_a_clinicians_checkin(server, server_template) -> None:  # noqa: F811
    alice = server.ctx["alice"]
    assert not server.vault.has_vault_kek  # the admin is signed out: alice's own keys opened the server
    entry = reflection.record_wellbeing(alice, ANSWERS)
    assert reflection.wellbeing_history(alice)  # she reads her own
    with server.vault.engine.connect() as conn:
        row = conn.execute(select(reflections).where(reflections.c.id == entry["id"])).one()
    m = row._mapping
    aad = {"table": "reflections", **{k: m[k] for k in ("owner_id", "kind", "client_id", "session_id",
                                                        "recipient_id", "created_at")}}
    admin_key = records.derived_key(server_template.kek, f"sessionlens-reflection-v1:{row.owner_id}")
    for key_id, version in (("self", 0), (row.key_id, row.key_version)):  # everything the vault KEK derives
        with pytest.raises(IntegrityError):
            records.open_json(admin_key, row.sealed, key_id=str(key_id), key_version=int(version or 0),
                              record_id=row.id, aad=aad)
    assert row.key_id is not None  # sealed under her own DEK, wrapped by her account KEK
