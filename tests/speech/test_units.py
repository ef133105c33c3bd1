"""Small pieces with exact expectations: VAD regions, chunking, guards, re-segmentation, models, encoder."""

from __future__ import annotations

import numpy as np
import pytest

from sessionlens.domain import Word
from sessionlens.errors import InputError, IntegrityError
from sessionlens.speech.asr import AsrSegment
from sessionlens.speech.asr.guards import GuardReport, keep_segment, trim_repeats
from sessionlens.speech.chunking import iter_chunks
from sessionlens.speech.resegment import phrases, viterbi
from sessionlens.speech.vad import FRAME, FRAME_SECONDS, SileroVad, speech_regions

RATE = 16000


def test_regions_from_probabilities_are_padded_and_merged():
    probs = np.zeros(100)
    probs[10:20] = 0.9  # 0.32-0.64 s
    probs[22:30] = 0.9  # a 64 ms dip: same region
    probs[60:61] = 0.9  # one 32 ms blip: too short for speech
    regions = speech_regions(probs)
    assert len(regions) == 1
    s, e = regions[0]
    assert s == pytest.approx(10 * FRAME_SECONDS - 0.15) and e == pytest.approx(30 * FRAME_SECONDS + 0.15)


def test_streaming_vad_matches_one_pass(dialogue_audio):
    clip = dialogue_audio[: 8 * RATE]
    one = SileroVad()
    whole = np.concatenate([one.feed(clip), one.flush()])
    two = SileroVad()
    parts = [two.feed(clip[i:i + 12345]) for i in range(0, len(clip), 12345)] + [two.flush()]
    np.testing.assert_allclose(np.concatenate(parts), whole, atol=1e-5)


def test_silence_and_noise_have_no_speech():
    rng = np.random.default_rng(0)
    v = SileroVad()
    probs = np.concatenate([v.feed(np.zeros(5 * RATE, np.float32)), v.feed(rng.normal(0, 0.01, 5 * RATE))])
    assert speech_regions(probs) == []


def test_chunks_stay_bounded_on_a_long_stream():
    """12 minutes of speech-like bursts in 20 s blocks: every chunk is at most chunk + smoothing long."""
    rng = np.random.default_rng(1)

    def blocks():
        for _ in range(36):
            block = rng.normal(0, 0.002, 20 * RATE).astype(np.float32)
            t = np.arange(RATE) / RATE
            for k in range(0, 20, 3):  # a one-second harmonic burst every 3 s
                block[k * RATE:(k + 1) * RATE] += 0.2 * np.sin(2 * np.pi * 140 * t) * np.sin(np.pi * t)
            yield block[None, :]

    chunks = list(iter_chunks(blocks(), SileroVad(), chunk_seconds=60, search_seconds=15))
    assert sum(c.audio.shape[1] for c in chunks) == 36 * 20 * RATE
    assert max(c.duration for c in chunks) <= 60 + 0.5
    assert all(c.audio.shape[1] % FRAME == 0 for c in chunks[:-1])
    offsets = [c.offset for c in chunks]
    assert offsets == sorted(offsets) and offsets[1] - offsets[0] == pytest.approx(chunks[0].duration)
    assert all(len(c.probs) * FRAME >= c.audio.shape[1] - FRAME for c in chunks)


def _seg(text: str, **kw) -> AsrSegment:
    ws = tuple(Word(w, i * 0.3, i * 0.3 + 0.25, 0.9) for i, w in enumerate(text.split()))
    return AsrSegment(0.0, 3.0, text, ws, **kw)


def test_guards_drop_what_whisper_flags():
    report = GuardReport()
    assert keep_segment(_seg("hello there", no_speech_prob=0.9, avg_logprob=-1.5), report) is None
    assert keep_segment(_seg("la la la la", compression_ratio=3.0), report) is None
    assert keep_segment(_seg("Thank you for watching.", no_speech_prob=0.5), report) is None
    kept = keep_segment(_seg("thank you for coming in today"), report)
    assert kept is not None and kept.text == "thank you for coming in today"
    assert report.as_dict() == {"dropped_no_speech": 1, "dropped_loops": 1, "dropped_stock_phrases": 1,
                                "trimmed_repeated_words": 0}


def test_repetition_loops_are_trimmed_but_speech_is_not():
    report = GuardReport()
    loop = _seg(" ".join(["I", "mean"] * 9) + " okay")
    out = trim_repeats(loop.words, report)
    assert [w.text for w in out] == ["I", "mean"] * 4 + ["okay"]
    assert report.trimmed_repeats == 10
    fine = _seg("no no no I said no")
    assert trim_repeats(fine.words, GuardReport()) is fine.words


def test_a_short_reply_between_pauses_can_switch_speaker():
    # Words 0-3 speaker 0, a lone "yes" (word 4) after a pause leaning to speaker 1, then speaker 0 again.
    scores = np.array([[1.0, 0.2]] * 4 + [[0.5, 0.9]] + [[1.0, 0.2]] * 3)
    gaps = np.array([10, 0, 0, 0, 0.3, 0.3, 0, 0])
    assert viterbi(scores, gaps).tolist() == [0, 0, 0, 0, 1, 0, 0, 0]
    # In fluent speech (no pause) the same weak evidence does not split the turn.
    assert viterbi(scores, np.array([10, 0, 0, 0, 0, 0, 0, 0])).tolist() == [0] * 8


def test_phrases_split_at_pauses():
    starts, ends = [0.0, 0.3, 0.6, 1.2, 1.5], [0.3, 0.6, 0.9, 1.5, 1.8]
    ps = phrases(starts, ends)
    assert [(p.first, p.last) for p in ps] == [(0, 2), (3, 4)]


def test_packaged_model_hashes_are_checked():
    from sessionlens.speech.models import load_model

    m = load_model("tiny.en")
    assert m.verified and set(m.files) >= {"model.bin", "config.json", "tokenizer.json"}


def test_unknown_model_and_incomplete_folder_are_input_errors(tmp_path):
    from sessionlens.speech.models import load_model

    with pytest.raises(InputError, match="unknown model"):
        load_model("large-v9")
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.bin").write_bytes(b"x")
    with pytest.raises(InputError, match="tokenizer.json"):
        load_model(tmp_path)


def test_user_model_folder_is_checked_against_its_sums(tmp_path):
    from sessionlens.speech.models import load_model, sha256

    for name in ("config.json", "model.bin", "tokenizer.json"):
        (tmp_path / name).write_bytes(name.encode())
    (tmp_path / "SHA256SUMS").write_text(f"{sha256(b'config.json')}  config.json\n{'0' * 64}  model.bin\n")
    with pytest.raises(IntegrityError):
        load_model(tmp_path)


def test_onnx_encoder_matches_a_plain_numpy_lstm():
    """The ONNX graph (gates reordered for ONNX) computes what torch's LSTM would."""
    from sessionlens.speech.embeddings import load_state_dict, voice_encoder
    from sessionlens.speech.models import VOICE_ENCODER_FILE, read_verified

    state = load_state_dict(read_verified(VOICE_ENCODER_FILE, what="voice encoder", install=""))
    x = np.random.default_rng(2).random((3, 30, 40)).astype(np.float32)
    h = x
    for k in range(3):
        w, r = state[f"lstm.weight_ih_l{k}"], state[f"lstm.weight_hh_l{k}"]
        b = state[f"lstm.bias_ih_l{k}"] + state[f"lstm.bias_hh_l{k}"]
        n = r.shape[1]
        hs, c, out = np.zeros((3, n)), np.zeros((3, n)), []
        for t in range(h.shape[1]):
            g = h[:, t] @ w.T + hs @ r.T + b
            i, f, gg, o = (1 / (1 + np.exp(-g[:, :n])), 1 / (1 + np.exp(-g[:, n:2 * n])), np.tanh(g[:, 2 * n:3 * n]),
                           1 / (1 + np.exp(-g[:, 3 * n:])))
            c = f * c + i * gg
            hs = o * np.tanh(c)
            out.append(hs)
        h = np.stack(out, axis=1)
    emb = np.maximum(hs @ state["linear.weight"].T + state["linear.bias"], 0)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    np.testing.assert_allclose(voice_encoder().forward(x), emb, atol=1e-4)


def test_voices_of_the_dialogue_are_told_apart(dialogue_audio):
    from sessionlens.speech.embeddings import voice_encoder

    from .conftest import TURNS

    spans = [(int(s * RATE), int(e * RATE)) for _, s, e in TURNS if e - s > 2]
    who = [w for w, s, e in TURNS if e - s > 2]
    emb = voice_encoder().embed_segments(dialogue_audio, spans)
    sims = emb @ emb.T
    same = [sims[i, j] for i in range(len(who)) for j in range(i) if who[i] == who[j]]
    diff = [sims[i, j] for i in range(len(who)) for j in range(i) if who[i] != who[j]]
    assert min(same) > max(diff)


def test_short_windows_from_one_spectrogram_match_a_spectrogram_per_window(dialogue_audio):
    from sessionlens.speech.embeddings import voice_encoder

    from .conftest import TURNS

    enc = voice_encoder()
    spans = [(int((s + k * 0.25) * RATE), int((s + k * 0.25 + 0.5) * RATE)) for _, s, e in TURNS if e - s > 2
             for k in range(4)]
    fast, slow = enc.embed_windows(dialogue_audio, spans), enc.embed_segments(dialogue_audio, spans)
    assert np.median(np.sum(fast * slow, axis=1)) > 0.95
    # each window is raised to the same level by its own gain, as the per-window path does
    np.testing.assert_allclose(enc.embed_windows(dialogue_audio * 0.01, spans),
                               enc.embed_windows(dialogue_audio * 0.001, spans), atol=2e-3)
    # a window at the very end (fewer frames than the window holds) still gets an embedding
    end = len(dialogue_audio)
    assert enc.embed_windows(dialogue_audio, [(end - 800, end)]).shape == (1, 256)
