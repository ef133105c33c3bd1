"""The default backend: faster-whisper (CTranslate2, int8 on CPU) with word timestamps.

Model files are handed over in memory (``files=``), so faster-whisper never looks for a hub.
Decoding settings favour faithful transcripts over pretty ones: no conditioning on previous text
(it feeds repetition loops on long files). No prompt by default: a prompt full of fillers ("Umm,
let me think like, hmm...") makes Whisper keep more "um"s, but on our own test dialogue it also
made tiny.en skip 20 s of speech (WER 13 % -> 72 %), so fillers are kept only where Whisper
hears them unprompted.
"""

from __future__ import annotations

import os

import numpy as np

from ...domain import Word
from ..models import LoadedModel, load_model
from . import AsrSegment, register_backend

# Whisper copies the style of its prompt: one with fillers keeps more of the speaker's (opt-in, see above).
FILLER_PROMPT = "Um, uh, so, you know, I mean... Mm-hmm. Yeah."


class FasterWhisperBackend:
    name = "faster-whisper"

    def __init__(self, model: str | None = None, *, language: str | None = None, threads: int | None = None,
                 beam_size: int = 5, prompt: str | None = None, loaded: LoadedModel | None = None) -> None:
        from faster_whisper import WhisperModel

        self.loaded = loaded or load_model(model)
        self.model_name = self.loaded.name
        threads = threads or min(4, os.cpu_count() or 1)
        # model_size_or_path is only a label when files= is given: nothing is downloaded.
        self._model = WhisperModel(self.model_name, device="cpu", compute_type="int8", cpu_threads=threads,
                                   num_workers=1, files=self.loaded.files)
        self.multilingual = bool(self._model.model.is_multilingual)
        self.language = language or (None if self.multilingual else "en")
        self._beam = beam_size
        self._prompt = prompt

    def transcribe(self, audio: np.ndarray) -> list[AsrSegment]:
        segments, info = self._model.transcribe(
            np.asarray(audio, np.float32), language=self.language, beam_size=self._beam,
            word_timestamps=True, condition_on_previous_text=False, vad_filter=False,
            initial_prompt=self._prompt, without_timestamps=False,
        )
        if self.language is None:
            self.language = info.language
        return [_segment(s) for s in segments]


def _segment(s) -> AsrSegment:
    words = tuple(Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                  for w in (s.words or ()) if w.word.strip())
    return AsrSegment(float(s.start), float(s.end), s.text.strip(), words, float(s.no_speech_prob),
                      float(s.avg_logprob), float(s.compression_ratio))


register_backend(FasterWhisperBackend.name, FasterWhisperBackend)

__all__ = ["FILLER_PROMPT", "FasterWhisperBackend"]
