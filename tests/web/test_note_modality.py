"""The note forms offer the therapy approach (modality) per note; empty keeps the client's own choice."""

from __future__ import annotations

from sessionlens.notes.modalities import MODALITIES
from sessionlens.web.routes.session_pages import MODALITY_LABELS

from .helpers import browser, sign_in


def test_every_modality_has_a_label_on_the_forms() -> None:
    assert set(MODALITY_LABELS) == set(MODALITIES)


def test_draft_and_redraft_with_a_chosen_approach(vault) -> None:
    directory, ids = vault
    sid = ids["session"]
    with browser(directory) as client:
        csrf = sign_in(client)
        page = client.get(f"/sessions/{sid}/note").text
        assert 'name="modality"' in page and 'value="cbt"' in page and 'value="couples"' in page
        bad = client.post(f"/sessions/{sid}/note/draft", data={"csrf": csrf, "format": "soap", "modality": "astrology"})
        assert bad.status_code == 400 and "modality" in bad.text and "Traceback" not in bad.text
        r = client.post(f"/sessions/{sid}/note/draft", data={"csrf": csrf, "format": "soap", "modality": "cbt"})
        assert r.status_code == 303, r.text
        note = client.get(f"/api/sessions/{sid}/note").json()
        assert note["meta"]["modality"] == "cbt"
        assert any(sec["key"] == "cbt" for sec in note["sections"])
        page = client.get(f"/sessions/{sid}/note").text
        assert '<option value="cbt" selected>' in page  # the redraft form keeps the approach
        again = client.post(f"/sessions/{sid}/note/draft", data={"csrf": csrf, "format": "soap", "modality": "mi",
                                                                 "replace": "on"})
        assert again.status_code == 303
        note = client.get(f"/api/sessions/{sid}/note").json()
        assert note["meta"]["modality"] == "mi" and any(sec["key"] == "mi" for sec in note["sections"])
