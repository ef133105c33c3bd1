"""The bytes a role assignment or share grant signature covers (vault/signing.py, issue 17 item 2):
canonical, versioned, domain-separated, and any change to any field breaks the signature."""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sessionlens.vault import signing

KEY = Ed25519PrivateKey.generate()
text = st.text(min_size=0, max_size=40)
ROLE_FIELDS = ("id", "username", "role", "is_owner", "disabled")
roles = st.fixed_dictionaries({"id": text, "username": text, "role": st.sampled_from(["clinician", "supervisor",
                                                                                      "admin"]),
                               "is_owner": st.integers(0, 1), "disabled": st.integers(0, 1)})
shares = st.fixed_dictionaries({"id": text, "session_id": text, "grantee_id": text, "granted_by": text,
                                "created_at": text})


def _verifies(body: bytes, sig: bytes) -> bool:
    try:
        KEY.public_key().verify(sig, body)
    except InvalidSignature:
        return False
    return True


def _role(vault: str, row: dict[str, Any], signer: str, key: str) -> bytes:
    return signing.role_bytes(vault, row, signer, key)


@settings(max_examples=300, deadline=None)
@given(vault=text, row=roles, signer=text, key=text, data=st.data())
def test_any_change_to_a_role_assignment_breaks_its_signature(vault, row, signer, key, data) -> None:  # type: ignore[no-untyped-def]
    sig = KEY.sign(_role(vault, row, signer, key))
    assert _verifies(_role(vault, row, signer, key), sig)
    which = data.draw(st.sampled_from((*ROLE_FIELDS, "vault", "signer", "key")))
    if which in ("is_owner", "disabled"):
        changed = (vault, {**row, which: 1 - row[which]}, signer, key)
    else:
        new = data.draw(text)
        old = {"vault": vault, "signer": signer, "key": key}.get(which, row.get(which))
        assume(new != old)
        changed = (new if which == "vault" else vault, {**row, which: new} if which in row else row,
                   new if which == "signer" else signer, new if which == "key" else key)
    assert not _verifies(_role(*changed), sig)


@settings(max_examples=300, deadline=None)
@given(vault=text, share=shares, client=text, data=st.data())
def test_any_change_to_a_share_grant_breaks_its_signature(vault, share, client, data) -> None:  # type: ignore[no-untyped-def]
    sig = KEY.sign(signing.share_bytes(vault, share, client))
    which = data.draw(st.sampled_from((*share, "vault", "client")))
    new = data.draw(text)
    assume(new != {"vault": vault, "client": client}.get(which, share.get(which)))
    changed = signing.share_bytes(new if which == "vault" else vault, {**share, which: new} if which in share else share,
                                  new if which == "client" else client)
    assert not _verifies(changed, sig)


@given(fields=st.lists(text, max_size=6), other=st.lists(text, max_size=6))
def test_field_boundaries_are_part_of_the_bytes(fields, other) -> None:  # type: ignore[no-untyped-def]
    """Length prefixes: ("ab", "c") and ("a", "bc") never give the same bytes."""
    assume(fields != other)
    assert signing.canonical("d", *fields) != signing.canonical("d", *other)


def test_a_role_signature_is_no_share_signature() -> None:
    """Domain separation: the same strings under the two domains differ (a role signature never passes as a
    share grant), and the version is in the domain."""
    assert signing.canonical(signing.ROLE_DOMAIN, "x") != signing.canonical(signing.SHARE_DOMAIN, "x")
    assert signing.ROLE_DOMAIN.endswith("/v1") and signing.SHARE_DOMAIN.endswith("/v1")
