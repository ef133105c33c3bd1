"""(context, utterance) token pairs for the fine-tuned coding encoder; training and run time share this code.

The context is the previous ``CONTEXT_TURNS`` turns, each tagged with its speaker's role ("client: ..."),
kept from the end (the nearest words matter most); the utterance is tagged the same way and kept from the start.
Layout: ``[CLS] context [SEP] utterance [SEP]`` with token types 0 / 1, at most ``MAX_TOKENS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CONTEXT_TURNS = 2
UTTERANCE_TOKENS = 64
MAX_TOKENS = 128


def tagged(role: str, text: str) -> str:
    return f"{role}: {text}".strip()


def context_text(roles: Sequence[str], texts: Sequence[str], i: int, turns: int = CONTEXT_TURNS) -> str:
    return " ".join(tagged(roles[j], texts[j]) for j in range(max(0, i - turns), i))


def pair_rows(tokenizer: Any, roles: Sequence[str], texts: Sequence[str],
              indices: Sequence[int]) -> list[tuple[list[int], list[int]]]:
    """Token ids and type ids of each (context, utterance) pair for the utterances at ``indices``."""
    cls, sep = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    utts = [tagged(roles[i], texts[i]) for i in indices]
    ctxs = [context_text(roles, texts, i) for i in indices]
    enc_u = tokenizer.encode_batch(utts, add_special_tokens=False)
    enc_c = tokenizer.encode_batch(ctxs, add_special_tokens=False)
    rows = []
    for u, c in zip(enc_u, enc_c, strict=True):
        uid = u.ids[:UTTERANCE_TOKENS]
        room = MAX_TOKENS - 3 - len(uid)
        cid = c.ids[-room:] if room > 0 and c.ids else []
        ids = [cls, *cid, sep, *uid, sep]
        rows.append((ids, [0] * (len(cid) + 2) + [1] * (len(uid) + 1)))
    return rows
