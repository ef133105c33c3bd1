"""The sealed packet file: readable only through sessionlens, by the supervisor account it names.

Layout: ``MAGIC | header length (4 bytes) | header JSON | record envelope``. The header names the
packet, the vault, the recipient account and the client key (ids only). The envelope is AES-GCM
under a key derived from the client's data key for this packet and this recipient, with the header
bound in as associated data: changing the recipient breaks the seal, and shredding the client
makes every copy of the file unreadable.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from ..payloads.supervision_packet import SupervisionPacket
from ..vault import records

MAGIC = b"SLPACKET1\n"
MAX_HEADER = 4096


def file_key(client_key: bytes, header: Mapping[str, Any]) -> bytes:
    return records.derived_key(client_key, f"sessionlens-packet-file-v1:{header['packet']}:{header['recipient']}")


def seal_file(client_key: bytes, header: Mapping[str, Any], payload: Mapping[str, Any]) -> bytes:
    head = json.dumps(dict(header), sort_keys=True, separators=(",", ":")).encode()
    body = records.seal_json(file_key(client_key, header), payload, key_id=header["key_id"],
                             key_version=header["key_version"], record_id=header["packet"], aad=header)
    return MAGIC + len(head).to_bytes(4, "big") + head + body


def read_header(data: bytes) -> tuple[dict[str, Any], bytes]:  # raw JSON boundary: an outside file's header
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + 4:
        raise InputError("this is not a sealed sessionlens packet file")
    n = int.from_bytes(data[len(MAGIC):len(MAGIC) + 4], "big")
    start = len(MAGIC) + 4
    if not 0 < n <= MAX_HEADER or len(data) < start + n:
        raise InputError("the packet file is damaged (header)")
    try:
        header = json.loads(data[start:start + n])
    except ValueError:
        raise InputError("the packet file is damaged (header)") from None
    if not isinstance(header, dict) or not {"packet", "vault", "recipient", "key_id", "key_version"} <= set(header):
        raise InputError("the packet file is damaged (header)")
    return header, data[start + n:]


def open_file(client_key: bytes, header: Mapping[str, Any], body: bytes) -> SupervisionPacket:
    """Decrypt; IntegrityError (from crypto) if any byte or the header was changed.

    The seal authenticates the packet: what comes out is what ``seal_file`` sealed (a ``build_packet`` result)."""
    opened: SupervisionPacket = records.open_json(file_key(client_key, header), body, key_id=header["key_id"],
                                                  key_version=header["key_version"], record_id=header["packet"],
                                                  aad=header)
    return opened
