"""`sessionlens transcribe` and `sessionlens analyze RECORDING` through the real CLI boundary."""

from __future__ import annotations

import json

from sessionlens.cli import run

from .conftest import DIALOGUE, RATE, wav_bytes
from .test_audio_decoding import video_without_audio


def test_transcribe_json_has_the_document_shape(capsys, tmp_path, dialogue_audio):
    clip = tmp_path / "clip.wav"
    clip.write_bytes(wav_bytes(dialogue_audio[: 10 * RATE]))
    assert run(["transcribe", str(clip), "--json", "-q"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["source_format"] == "audio"
    assert {s["id"] for s in doc["speakers"]} == {u["speaker"] for u in doc["utterances"]}
    u = doc["utterances"][0]
    assert {"id", "speaker", "role", "start", "end", "text", "words", "paralinguistics"} <= set(u)
    assert u["words"][0]["start"] is not None
    assert doc["speech"]["asr"]["model"] == "tiny.en"


def test_transcribe_vtt_and_one_format_only(capsys, tmp_path, dialogue_audio):
    clip = tmp_path / "clip.wav"
    clip.write_bytes(wav_bytes(dialogue_audio[: 6 * RATE]))
    assert run(["transcribe", str(clip), "--vtt", "-q"]) == 0
    assert capsys.readouterr().out.startswith("WEBVTT")
    assert run(["transcribe", str(clip), "--vtt", "--srt"]) == 2
    assert "choose one" in capsys.readouterr().err


def test_bad_inputs_are_one_line_errors(capsys, tmp_path):
    cases = {"notes.txt": b"T: hello there\nC: hi\n", "empty.wav": b"", "film.mp4": video_without_audio(),
             "noise.bin": bytes(range(256)) * 4}
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        assert run(["transcribe", str(path), "-q"]) == 2, name
        err = capsys.readouterr().err
        assert err.startswith("sessionlens: error:") and err.count("\n") == 1, (name, err)
        assert "Traceback" not in err


def test_analyze_accepts_a_recording(capsys):
    assert run(["analyze", str(DIALOGUE), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["source_format"] == "audio"
    assert doc["metrics"]["talk_time"]
    assert len(doc["speakers"]) == 2


def test_analyze_of_silence_says_so(capsys, tmp_path):
    path = tmp_path / "silence.wav"
    path.write_bytes(wav_bytes(__import__("numpy").zeros(5 * RATE)))
    assert run(["analyze", str(path)]) == 2
    assert "no speech" in capsys.readouterr().err
