"""Settings of the fine-tuned coding encoder and the order of its examples (no torch: the benchmark reads these)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sessionlens.analysis.coding.context import CONTEXT_TURNS, MAX_TOKENS, UTTERANCE_TOKENS
from training.annomi import CLIENT_LABELS, THERAPIST_LABELS, Row

ROOT = Path(__file__).resolve().parents[1]
CV_CACHE = ROOT / "benchmarks" / "results" / "coding_cv"
SEED = 13
FROZEN = 4  # lower layers kept as packaged (computed once); the upper 6 - FROZEN are trained
EPOCHS = 3
BATCH = 32
LR_LAYERS, LR_HEADS = 1e-4, 2e-3
SUB_LABELS = {"question": ("open", "closed"), "reflection": ("simple", "complex"),
              "therapist_input": ("information", "advice", "negotiation", "options")}
HEADS = {"therapist": THERAPIST_LABELS, "client": CLIENT_LABELS, **SUB_LABELS}
CONFIG = {"seed": SEED, "frozen": FROZEN, "epochs": EPOCHS, "batch": BATCH, "lr": [LR_LAYERS, LR_HEADS],
          "context_turns": CONTEXT_TURNS, "max_tokens": MAX_TOKENS, "utterance_tokens": UTTERANCE_TOKENS,
          "heads": {k: list(v) for k, v in HEADS.items()}, "version": 1}


def config_key() -> str:
    return hashlib.sha256(json.dumps(CONFIG, sort_keys=True).encode()).hexdigest()[:12]


def example_positions(turns: list[Row]) -> list[int]:
    """Positions of the coded turns of one transcript, in the order the examples are built."""
    return [i for i, r in enumerate(turns) if r.role in ("therapist", "client") and r.label]


def example_keys(sessions: dict[str, list[Row]]) -> list[tuple[str, int]]:
    return [(tid, i) for tid, turns in sessions.items() for i in example_positions(turns)]
