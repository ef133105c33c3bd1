"""The fine-tuned MiniLM coder with context: its input layout, its shipped model, and how codes explain it.

Every transcript here was written for this test; the model is the real shipped one (hash-checked ONNX).
"""

from __future__ import annotations


import numpy as np
import pytest

from sessionlens.analysis.coding import code_transcript
from sessionlens.analysis.coding.context import MAX_TOKENS, UTTERANCE_TOKENS, pair_rows
from sessionlens.analysis.coding.encoder_model import coding_encoder, encoder_probabilities, heads
from sessionlens.analysis.encoder import CACHE, load_text_model
from sessionlens.artifacts import models_dir
from sessionlens.errors import IntegrityError
from tests.analysis._coding_helpers import transcript
from tests.analysis._model_helpers import tampered_copy

needs_model = pytest.mark.skipif(coding_encoder() is None, reason="models/coding_encoder not built yet")


def _tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str((models_dir("encoder") / "tokenizer.json").read_text(encoding="utf-8"))
    tok.no_truncation()  # as the coding model loads it: pair_rows cuts the tokens itself
    tok.no_padding()
    return tok


def test_pairs_are_cls_context_sep_utterance_sep_with_segment_ids():
    tok = _tokenizer()
    roles, texts = ["client", "therapist"], ["I drink most nights.", "What would you like to change?"]
    ids, types = pair_rows(tok, roles, texts, [1])[0]
    words = tok.decode(ids, skip_special_tokens=False)
    assert words.startswith("[CLS] client : i drink most nights. [SEP] therapist : what would")
    assert ids[-1] == tok.token_to_id("[SEP]") and types[0] == 0 and types[-1] == 1
    assert types.index(1) == ids.index(tok.token_to_id("[SEP]")) + 1
    first = pair_rows(tok, roles, texts, [0])[0]
    assert tok.decode(first[0], skip_special_tokens=False).startswith("[CLS] [SEP] client : i drink")


def test_long_turns_keep_the_utterance_start_and_the_nearest_context():
    tok = _tokenizer()
    long_ctx = " ".join(f"w{k}" for k in range(300)) + " nearest"
    long_utt = "start " + " ".join("again" for _ in range(300))
    ids, types = pair_rows(tok, ["client", "therapist"], [long_ctx, long_utt], [1])[0]
    assert len(ids) == MAX_TOKENS and sum(types) == UTTERANCE_TOKENS + 1
    text = tok.decode(ids)
    assert "nearest" in text and "therapist : start" in text


@needs_model
def test_heads_give_distributions_and_are_cached():
    model = coding_encoder()
    roles = ["client", "therapist", "client"]
    texts = ["I guess I should cut down.", "What makes you say that?", "My doctor says my liver is bad."]
    CACHE.clear()
    probs = encoder_probabilities(model, roles, texts, [1, 2])
    assert set(probs) == set(heads(model))
    for p in probs.values():
        assert p.shape[0] == 2 and np.allclose(p.sum(1), 1, atol=1e-5)
    misses = CACHE.misses
    again = encoder_probabilities(model, roles, texts, [1, 2])
    assert CACHE.misses == misses and np.array_equal(again["therapist"], probs["therapist"])


@needs_model
def test_clear_cases_are_coded_as_written():
    coding = code_transcript(transcript(
        ("t", "What brings you in today?"),
        ("c", "My wife says I drink too much and I think she might be right, I want to cut back."),
        ("t", "So part of you is ready to make a change with the drinking."),
        ("c", "I don't see the point, I like drinking and I'm not going to stop."),
        ("t", "You should just stop going to the bar after work."),
    ), use_encoder=True)
    got = {uid: c["therapist_behaviour"] or c["client_talk"] for uid, c in coding.codes.items()}
    assert got == {"u0": "question", "u1": "change", "u2": "reflection", "u3": "sustain",
                   "u4": "therapist_input"}
    assert "advice" in coding.codes["u4"]["therapist_subcodes"]
    assert coding.model.endswith("+minilm-context")


@needs_model
def test_each_code_names_the_model_and_its_context():
    coding = code_transcript(transcript(("c", "What should I do about the cravings at night?"),
                                        ("t", "One thing that helps some people is keeping no alcohol at home.")),
                             use_encoder=True)
    why = coding.findings[1].explanation
    assert "model 0." in why and "words 0." in why
    assert "context: client asked for ideas ('what should i')" in why


@needs_model
def test_a_tampered_coding_encoder_is_refused(tmp_path):
    target = tampered_copy(models_dir("coding_encoder"), tmp_path / "coding_encoder", "model.onnx", at=-10, mask=1)
    with pytest.raises(IntegrityError, match="model.onnx"):
        load_text_model(target, "coding encoder", truncate=False)


@needs_model
def test_the_encoder_is_used_only_when_the_setting_asks():
    from sessionlens.analysis.coding_analyzer import CodingAnalyzer
    from sessionlens.config import Settings

    t = transcript(("t", "What brings you in today?"), ("c", "I want to cut back on drinking."))
    off = CodingAnalyzer()(t, Settings({"coding_encoder": "false"}))
    on = CodingAnalyzer()(t, Settings())  # on by default since the int8 graph fits the throughput target
    assert not off.metrics["model"].endswith("+minilm-context")
    assert on.metrics["model"].endswith("+minilm-context")


@needs_model
def test_a_clinicians_retrained_heads_code_without_the_encoder():
    from dataclasses import replace

    from sessionlens.analysis.coding.artifact import default_model

    t = transcript(("t", "What brings you in today?"), ("c", "I want to cut back on drinking."))
    shipped = default_model()
    retrained = replace(shipped, meta={**shipped.meta, "version": f"{shipped.meta.get('version')}+retrained"})
    assert code_transcript(t, shipped, use_encoder=True).model.endswith("+minilm-context")
    assert code_transcript(t, retrained, use_encoder=True).model.endswith("+retrained")  # as grouped CV judged it
