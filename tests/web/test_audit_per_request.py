"""Audit without a write bottleneck: a read request leaves exactly one audit entry, appended by the vault's
single writer before the answer leaves; concurrent readers all get audited and the chain verifies; an
answer whose entry cannot be written is not sent."""

from __future__ import annotations

import sqlite3
import threading

from .conftest import SignedIn
from .helpers import audit_trail


def test_a_page_that_reads_many_records_is_one_entry(alice: SignedIn) -> None:
    client, directory, sid = alice.client, alice.directory, alice.sid
    before = len(audit_trail(directory)[0])
    assert client.get(f"/sessions/{sid}").status_code == 200  # the header and the analysis: two reads
    after, verdict = audit_trail(directory)
    new = after[before:-2]  # the last two are the owner's sign-in and the verification, made by audit_trail
    assert len(new) == 1, [e.action for e in new]
    assert new[0].action == "request.read" and '"route":"/sessions/{session_id}"' in new[0].detail
    assert '"session.read"' in new[0].detail and '"analysis.read"' in new[0].detail and sid in new[0].detail
    assert verdict["ok"]


def test_concurrent_readers_are_all_audited_and_the_chain_holds(alice: SignedIn) -> None:
    client, directory, sid = alice.client, alice.directory, alice.sid
    before = len(audit_trail(directory)[0])
    statuses: list[int] = []

    def reader() -> None:
        for url in (f"/api/sessions/{sid}", f"/api/sessions/{sid}/analysis", "/api/clients"):
            statuses.append(client.get(url).status_code)

    threads = [threading.Thread(target=reader) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    after, verdict = audit_trail(directory)
    assert statuses == [200] * 36
    assert len(after) - before - 2 == 36  # one entry per request, none lost, none doubled
    assert verdict["ok"], verdict


def test_writes_are_still_audited_in_their_own_transaction(alice: SignedIn) -> None:
    client, directory, csrf = alice.client, alice.directory, alice.csrf
    added = client.post("/api/clients", headers={"x-csrf-token": csrf}, json={"name": "Audited Write"})
    assert added.status_code == 201
    entries, verdict = audit_trail(directory)
    assert any(e.action == "client.create" and e.target == added.json()["id"] for e in entries)
    assert verdict["ok"]


def test_an_answer_whose_entry_cannot_be_written_is_not_sent(alice: SignedIn) -> None:
    client, directory, ids, sid = alice.client, alice.directory, alice.ids, alice.sid
    name = client.get(f"/api/clients/{ids['client']}").json()["name"]
    with sqlite3.connect(directory / "vault.db") as db:  # the database refuses new audit entries
        db.execute("CREATE TRIGGER no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END")
    answer = client.get(f"/clients/{ids['client']}")
    assert answer.status_code == 500
    assert name not in answer.text and sid not in answer.text
    with sqlite3.connect(directory / "vault.db") as db:
        db.execute("DROP TRIGGER no_audit")
    assert client.get(f"/clients/{ids['client']}").status_code == 200
