"""The clinician's accept/reject decisions on case-conceptualization hypotheses: stored sealed under
the client's key, shown on the formulation, refused (and audited) for anyone else, bad input refused."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from sessionlens.cli import run
from sessionlens.errors import InputError, NotFoundError, PermissionDeniedError
from sessionlens.services import formulation_decisions as fd
from sessionlens.vault.models import audit_log

from ..vault import helpers as _h
from ..vault.helpers import DEMO, client_with_session
from .helpers import PASS, vault_with_client

_derive_once, db_url, template, world = _h._derive_once, _h.db_url, _h.template, _h.world  # fixtures

NOTE = "Zanzibar-quokka reasoning: fits the sleep pattern"


def _audit(world) -> list[tuple[str, str, str]]:
    with world.engine.connect() as conn:
        return [(r.actor, r.action, r.target) for r in conn.execute(select(audit_log).order_by(audit_log.c.seq))]


def test_decisions_are_stored_shown_and_sealed(world):
    client, _ = client_with_session(world)
    items = fd.client_formulation(world.alice, client, "5p").items
    assert len(items) >= 2 and all(h.status == "proposed" for h in items)
    first, second = items[0].id, items[1].id
    out = fd.decide_hypothesis(world.alice, client, "5p", first, "accepted", NOTE)
    assert out["decision"] == "accepted" and out["item"] == first
    fd.decide_hypothesis(world.alice, client, "5p", second, "accepted")
    fd.decide_hypothesis(world.alice, client, "5p", second, "rejected")  # the latest decision wins
    stored = fd.formulation_decisions(world.alice, client, "5p")
    assert stored[first]["decision"] == "accepted" and stored[first]["note"] == NOTE
    assert stored[second]["decision"] == "rejected"
    assert fd.formulation_decisions(world.alice, client, "cbt") == {}
    shown = {h.id: h for h in fd.client_formulation(world.alice, client, "5p").items}
    assert shown[first].status == "accepted" and shown[first].comment == NOTE
    assert shown[second].status == "rejected"
    assert all(h.status == "proposed" for i, h in shown.items() if i not in (first, second))
    actions = [a for _, a, _ in _audit(world)]
    assert actions.count("formulation.decide") == 3 and "formulation.decisions.read" in actions
    with world.engine.connect() as conn:
        detail = " ".join(str(d) for d in conn.execute(select(audit_log.c.detail)).scalars())
    assert "Zanzibar" not in detail
    db = world.engine.url.database
    raw = b"".join(Path(p).read_bytes() for p in (db, db + "-wal") if os.path.exists(p))
    assert b"Zanzibar" not in raw


def test_another_clinician_gets_not_found_and_is_audited(world):
    client, _ = client_with_session(world)
    item = fd.client_formulation(world.alice, client, "5p").items[0].id
    fd.decide_hypothesis(world.alice, client, "5p", item, "accepted", NOTE)
    for call in (lambda: fd.decide_hypothesis(world.carol, client, "5p", item, "rejected"),
                 lambda: fd.formulation_decisions(world.carol, client, "5p"),
                 lambda: fd.client_formulation(world.carol, client, "5p"),
                 lambda: fd.formulation_decisions(world.bob, client, "5p"),
                 lambda: fd.decide_hypothesis(world.bob, client, "5p", item, "rejected")):
        with pytest.raises((NotFoundError, PermissionDeniedError)) as refused:
            call()
        actor, action, target = _audit(world)[-1]
        assert actor == "bob" or refused.type is NotFoundError  # another clinician: not found
        assert action.startswith("refused:") and target == client and actor in ("carol", "bob")
    assert fd.formulation_decisions(world.alice, client, "5p")[item]["decision"] == "accepted"


def test_bad_item_or_decision_is_refused(world):
    client, _ = client_with_session(world)
    item = fd.client_formulation(world.alice, client, "cbt").items[0].id
    with pytest.raises(InputError):
        fd.decide_hypothesis(world.alice, client, "cbt", "hdeadbeef", "accepted")
    with pytest.raises(InputError):
        fd.decide_hypothesis(world.alice, client, "cbt", item, "maybe")
    with pytest.raises(InputError):
        fd.decide_hypothesis(world.alice, client, "cbt", item, "proposed")
    with pytest.raises(InputError):
        fd.decide_hypothesis(world.alice, client, "nope", item, "accepted")
    with pytest.raises(InputError):
        fd.formulation_decisions(world.alice, client, "nope")
    assert fd.formulation_decisions(world.alice, client, "cbt") == {}


# --- CLI -----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def vault_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("vault")
    ctx, client, _ = vault_with_client(directory)
    ctx.vault.close()
    return client, directory


def _cli(args, capsys):
    code = run(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_accept_reject_and_bad_input(vault_dir, capsys, monkeypatch):
    client, directory = vault_dir
    monkeypatch.setenv("SESSIONLENS_PASSPHRASE", PASS)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    dd = ["--data-dir", str(directory)]
    code, out, err = _cli(["note", "formulation", client, "--model", "5p", "--json", *dd], capsys)
    assert code == 0, err
    ids = [i["id"] for c in json.loads(out)["categories"] for i in c["items"]]
    assert len(ids) >= 2
    code, out, err = _cli(["note", "formulation", client, "--accept", ids[0], "--reject", ids[1], "--json", *dd],
                          capsys)
    assert code == 0, err
    status = {i["id"]: i["status"] for c in json.loads(out)["categories"] for i in c["items"]}
    assert status[ids[0]] == "accepted" and status[ids[1]] == "rejected"
    code, out, err = _cli(["note", "formulation", client, *dd], capsys)  # kept across runs, in markdown too
    assert code == 0, err
    assert "- [accepted] " in out and f"`{ids[0]}`" in out and "[rejected]" in out
    code, out, err = _cli(["note", "formulation", client, "--accept", "hdeadbeef", *dd], capsys)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and "hdeadbeef" in err
    code, out, err = _cli(["note", "formulation", str(DEMO), "--accept", ids[0]], capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1
