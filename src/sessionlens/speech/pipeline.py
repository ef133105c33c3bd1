"""Session audio -> diarized, timed Transcript with paralinguistic cues. Offline, bounded memory.

Stream: decode (PyAV) -> VAD (Silero) -> chunks cut at pauses. Per chunk: recognise the speech
regions (faster-whisper, guarded), embed 1.5 s windows and each phrase (voice encoder), reduce
pitch and energy to per-word statistics, note wordless vocal sounds; then drop the audio.
At the end: cluster the windows into speakers, pick each word's speaker (re-segmentation),
build one utterance per speaker turn, attach cues.
"""

from __future__ import annotations

import bisect
import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
import numpy as np

from ..domain import Role, Speaker, Timing, Transcript, Utterance, Word
from ..ingest.audio import SAMPLE_RATE, AudioInfo, Source, iter_blocks, probe
from ..ingest.decoded import DecodedStream, source_of
from ..payloads.speech_audio import AudioMetadata, UtteranceCues, VocalEvent
from . import prosody
from .asr import AsrBackend, AsrSegment, create_backend
from .asr.guards import GuardReport, keep_segment
from .chunking import Chunk, iter_chunks
from .diarize import cluster, window_spans
from .embeddings import VoiceEncoder, voice_encoder
from .resegment import emissions, phrases, viterbi, window_scores
from .turns import SHORT_HOP, SHORT_WINDOW, SpeechTurn, speaker_at, speech_turns
from .detector import Detector, with_missed
from .detector import shipped as speech_detector
from .vad import SileroVad, VadOptions, speech_regions

SPLIT_PAUSE = prosody.LONG_PAUSE  # a same-speaker pause this long starts a new utterance
WIDEN_MAX = 1.0  # seconds an utterance may grow at each end to cover the speech around its words
JOIN_GAP = 0.0  # seconds of silence between joined regions (0.15-0.3 s measured no better on the phone call)
CHANNEL_DB = 6.0  # one channel this much louder marks whose word it is (one speaker per channel)
UNHEARD_MIN = 0.5  # seconds: untranscribed speech at least this long becomes a "[inaudible]" utterance
INAUDIBLE, LAUGHTER = "[inaudible]", "[laughter]"
# Speech Silero missed outright (far-field voices) is added from the speech detector (Silero + noise floor +
# voicing) at this threshold: held out (leave one file out) AMI speech frames missed 17.9 % -> 12.0 %, false
# alarm 3.2 % -> 3.4 % (training/train_speech_detector.py, docs/speech.md).
DETECTOR_REGIONS = VadOptions(threshold=0.8, neg_threshold=0.7)

Progress = Callable[[float, float | None, str], None]  # seconds done, seconds total, stage


@dataclass(frozen=True)
class SpeechOptions:
    model: str | None = None  # packaged model name or CTranslate2 folder
    backend: str = "faster-whisper"
    language: str | None = None
    speakers: int | None = None  # None: decide 1-4 from the audio
    chunk_seconds: float = 60.0
    threads: int | None = None
    voiceprint: np.ndarray | None = field(default=None, repr=False)
    detector: Detector | None = field(default=None, repr=False)  # None: the shipped one (the benchmark holds files out)


@dataclass
class _Collected:
    """Everything kept from the chunks once their audio is gone."""

    words: list[Word] = field(default_factory=list)
    stats: list[prosody.WordStats] = field(default_factory=list)
    chan_db: list[float] = field(default_factory=list)
    win_spans: list[tuple[float, float]] = field(default_factory=list)
    win_embs: list[np.ndarray] = field(default_factory=list)
    phrase_of_word: list[int] = field(default_factory=list)
    phrase_embs: list[np.ndarray] = field(default_factory=list)
    phrase_len: list[float] = field(default_factory=list)
    phrase_spans: list[tuple[float, float]] = field(default_factory=list)
    short_spans: list[tuple[float, float]] = field(default_factory=list)  # the turns' short windows
    short_embs: list[np.ndarray] = field(default_factory=list)  # float16: 2 KB per second of speech
    speech_seconds: float = 0.0
    regions: list[tuple[float, float]] = field(default_factory=list)
    events: list[VocalEvent] = field(default_factory=list)
    guard: GuardReport = field(default_factory=GuardReport)
    pitch_errors: list[str] = field(default_factory=list)  # chunks whose pitch could not be measured
    duration: float = 0.0
    stereo: bool = False


class _TimeMap:
    """Maps times in the concatenated speech (regions joined by short silences) back to the chunk."""

    def __init__(self, regions: list[tuple[float, float]], gap: float) -> None:
        self.cat_starts, self.orig_starts, self.lengths = [], [], []
        pos = 0.0
        for s, e in regions:
            self.cat_starts.append(pos)
            self.orig_starts.append(s)
            self.lengths.append(e - s)
            pos += e - s + gap

    def span(self, start: float, end: float) -> tuple[float, float]:
        """Map a word into the region holding its midpoint (one in a joining silence: the next)."""
        mid = (start + end) / 2
        i = max(0, bisect.bisect_right(self.cat_starts, mid) - 1)
        if mid - self.cat_starts[i] >= self.lengths[i] and i + 1 < len(self.cat_starts):
            i += 1
        offset, length = self.cat_starts[i], self.lengths[i]
        s = self.orig_starts[i] + min(max(start - offset, 0.0), length)
        e = self.orig_starts[i] + min(max(end - offset, 0.0), length)
        return s, max(e, min(s + 0.02, self.orig_starts[i] + length))


def transcribe(src: Source | DecodedStream, options: SpeechOptions = SpeechOptions(), progress: Progress | None = None,
               *, asr: AsrBackend | None = None) -> Transcript:
    """Turn a recording into a Transcript. Silence gives an empty transcript.

    ``src`` is a path or bytes, or a :class:`DecodedStream` from the sandboxed decoder (every service path:
    its blocks are transcribed as they are decoded, so the whole recording is never held here)."""
    info = src.info if isinstance(src, DecodedStream) else _original(src)
    report = progress or (lambda done, total, stage: None)
    report(0.0, info.duration, "loading models")
    asr = asr or create_backend(options.backend, model=options.model, language=options.language,
                                threads=options.threads)
    encoder = voice_encoder()
    acc = _Collected(stereo=info.channels == 2)
    started = time.perf_counter()
    blocks = src.blocks if isinstance(src, DecodedStream) else iter_blocks(src)
    for chunk in iter_chunks(blocks, SileroVad(), options.chunk_seconds):
        _process(chunk, asr, encoder, acc, options.detector or speech_detector())
        acc.duration = chunk.offset + chunk.duration
        report(acc.duration, info.duration, "transcribing")
    report(acc.duration, info.duration, "finding speakers")
    transcript = _assemble(acc, options, asr)
    transcript.metadata["processing_seconds"] = round(time.perf_counter() - started, 2)
    _describe_source(transcript, info)
    report(acc.duration, info.duration, "done")
    return transcript


def _original(src: Source) -> AudioInfo:
    """The recording as uploaded: a WAV written by the sandboxed decoder names its source (sample rate,
    codec, video), which probing that 16 kHz WAV would not tell; the narrowband caveat depends on it."""
    info = probe(src)
    original = source_of(src) if isinstance(src, bytes) else None
    return replace(original, duration=info.duration, channels=info.channels) if original else info


def _describe_source(transcript: Transcript, info: AudioInfo) -> None:
    transcript.metadata["source_audio"] = {"sample_rate": info.sample_rate, "channels": info.channels,
                                           "codec": info.codec, "had_video": info.has_video}
    if info.sample_rate and info.sample_rate < SAMPLE_RATE:
        transcript.metadata.setdefault("notes", []).append(
            f"narrowband audio ({info.sample_rate} Hz): recognition and speaker separation are less accurate")


# --- per chunk ---------------------------------------------------------------------------

def _process(chunk: Chunk, asr: AsrBackend, encoder: VoiceEncoder, acc: _Collected, detector: Detector) -> None:
    found = speech_regions(detector.probabilities(chunk.mono, chunk.probs), DETECTOR_REGIONS, limit=chunk.duration)
    regions = with_missed(speech_regions(chunk.probs, limit=chunk.duration), found)
    if not regions:
        return
    acc.speech_seconds += sum(e - s for s, e in regions)
    acc.regions.extend((s + chunk.offset, e + chunk.offset) for s, e in regions)
    mono = chunk.mono
    words = _recognise(asr, mono, regions, acc.guard)
    tracks = prosody.tracks(mono, 0.0)
    if tracks.pitch_error:
        acc.pitch_errors.append(tracks.pitch_error)
    spans = window_spans(regions)
    acc.win_spans.extend((s + chunk.offset, e + chunk.offset) for s, e in spans)
    acc.win_embs.append(encoder.embed_segments(mono, _samples(spans)))
    short = window_spans(regions, SHORT_WINDOW, SHORT_HOP)
    acc.short_spans.extend((s + chunk.offset, e + chunk.offset) for s, e in short)
    acc.short_embs.append(encoder.embed_windows(mono, _samples(short)).astype(np.float16))
    acc.events.extend(_vocal_events(tracks, regions, words, chunk.offset))
    if not words:
        return
    groups = phrases([w.start for w in words], [w.end for w in words])  # type: ignore[misc]  # _recognise times every word
    base = len(acc.phrase_embs)
    acc.phrase_embs.extend(encoder.embed_segments(mono, _samples([(g.start, g.end) for g in groups])))
    for g_i, g in enumerate(groups):
        acc.phrase_of_word.extend([base + g_i] * (g.last - g.first + 1))
        acc.phrase_len.append(g.end - g.start)
        acc.phrase_spans.append((g.start + chunk.offset, g.end + chunk.offset))
    for w in words:
        acc.stats.append(prosody.word_stats(tracks, w.start, w.end))  # type: ignore[arg-type]  # timed, as above
        acc.chan_db.append(_channel_db(chunk.audio, w.start, w.end))  # type: ignore[arg-type]  # timed, as above
        acc.words.append(Word(w.text, round(w.start + chunk.offset, 3), round(w.end + chunk.offset, 3),  # type: ignore[operator]  # timed
                              None if w.confidence is None else round(w.confidence, 3)))


def _samples(spans: list[tuple[float, float]]) -> list[tuple[int, int]]:
    return [(int(s * SAMPLE_RATE), int(e * SAMPLE_RATE)) for s, e in spans]


def _recognise(asr: AsrBackend, mono: np.ndarray, regions: list[tuple[float, float]],
               guard: GuardReport) -> list[Word]:
    """Decode only the speech (silence cut out), guard the result, map times back."""
    gap = np.zeros(int(JOIN_GAP * SAMPLE_RATE), np.float32)
    speech = np.concatenate([part for s, e in regions for part in (mono[int(s * SAMPLE_RATE):int(e * SAMPLE_RATE)], gap)])
    to_chunk = _TimeMap(regions, JOIN_GAP)
    out: list[Word] = []
    for seg in asr.transcribe(speech):
        kept: AsrSegment | None = keep_segment(seg, guard)
        if kept is None:
            continue
        for w in kept.words:
            start, end = to_chunk.span(w.start or 0.0, w.end or 0.0)
            out.append(Word(w.text, start, end, w.confidence))
    return out


def _channel_db(audio: np.ndarray, start: float, end: float) -> float:
    if audio.shape[0] < 2:
        return float("nan")
    a, b = int(start * SAMPLE_RATE), max(int(end * SAMPLE_RATE), int(start * SAMPLE_RATE) + 1)
    e = np.mean(audio[:2, a:b].astype(np.float64) ** 2, axis=1) + 1e-10
    return float(10 * np.log10(e[0] / e[1]))


def _vocal_events(tracks: prosody.Tracks, regions: list[tuple[float, float]], words: list[Word],
                  offset: float) -> list[VocalEvent]:
    """Speech-like stretches of at least 0.4 s with no recognised word in them."""
    out: list[VocalEvent] = []
    for s, e in regions:
        inside = [w for w in words if (w.end or 0) > s and (w.start or 0) < e]
        gaps, t = [], s
        for w in inside:
            gaps.append((t, w.start or t))
            t = max(t, w.end or t)
        gaps.append((t, e))
        for gs, ge in gaps:
            if ge - gs >= 1.0:  # word times are loose: only a clear wordless stretch counts
                ev = prosody.vocal_event(tracks, gs + 0.2, ge - 0.2)
                if ev:
                    out.append({**ev, "start": round(ev["start"] + offset, 2), "end": round(ev["end"] + offset, 2)})
    return out


# --- whole session ----------------------------------------------------------------------

def _assemble(acc: _Collected, options: SpeechOptions, asr: AsrBackend) -> Transcript:
    meta: AudioMetadata = {
        "asr": {"backend": asr.name, "model": asr.model_name, "guards": acc.guard.as_dict()},
        "duration": round(acc.duration, 2),
        "speech_seconds": round(acc.speech_seconds, 2),
        "vocal_events": acc.events,
    }
    if acc.pitch_errors:
        meta["notes"] = [f"pitch could not be measured in {len(acc.pitch_errors)} chunk(s) "
                         f"({', '.join(sorted(set(acc.pitch_errors)))}): pitch cues there are missing, not flat"]
    if not acc.words:
        meta["message"] = ("no speech was recognised in this recording" if acc.speech_seconds < 1 else
                           "speech-like sound was found but no words could be recognised reliably")
        if not acc.win_embs or sum(len(w) for w in acc.win_embs) == 0:
            return Transcript((), (), source_format="audio", timing=Timing.SOURCE, language=asr.language,
                              metadata=dict(meta))
    labels, method, centroids, turns = _speakers_of_words(acc, options)
    utterances, cues = _utterances(acc, labels)
    utterances = _widen_to_speech(utterances, acc.regions)
    if not turns:  # speakers told apart by channel: the turns are the utterances
        turns = [SpeechTurn(int(u.speaker.split("_")[1]) - 1, u.start or 0.0, u.end or 0.0, True, False)
                 for u in utterances]
    heard = sorted({t.speaker for t in turns} | set(labels.tolist()))
    meta["diarization"] = {"method": method, "speakers": len(heard), "requested": options.speakers}
    unheard = unheard_speakers(heard, options.speakers or 0)
    if unheard:
        meta.setdefault("notes", []).append(_unheard_note(options.speakers or 0, len(heard), unheard))
    meta["speech_turns"] = [{"speaker": f"SPEAKER_{t.speaker + 1}", "start": t.start, "end": t.end,
                             "transcribed": t.transcribed, "overlap": t.overlap} for t in turns]
    utterances, cues = _with_untranscribed(utterances, cues, turns, acc.events)
    meta["paralinguistics"] = cues
    meta["vocal_events"] = [_attach(ev, utterances) for ev in acc.events]
    speakers = _speaker_list(heard, centroids, options, meta) + tuple(unheard)
    roles = {s.id: s.role for s in speakers}
    utts = tuple(replace(u, role=roles[u.speaker]) for u in utterances)
    return Transcript(utts, speakers, source_format="audio", timing=Timing.SOURCE,
                      language=asr.language, metadata=dict(meta))


def _speakers_of_words(acc: _Collected, options: SpeechOptions
                       ) -> tuple[np.ndarray, str, np.ndarray | None, list[SpeechTurn]]:
    """Speaker per word, method, centroids, and the speech turns over all voice activity.
    Speakers are numbered by first appearance in the turns (SPEAKER_1 spoke first)."""
    if acc.stereo and options.speakers in (None, 2):
        by_channel = _channel_labels(np.array(acc.chan_db))
        if by_channel is not None:
            return by_channel, "channels", None, []
    win = np.concatenate(acc.win_embs) if acc.win_embs else np.zeros((0, 256), np.float32)
    phr = np.stack(acc.phrase_embs) if acc.phrase_embs else np.zeros((0, win.shape[1]), np.float32)
    basis = win if len(win) >= 2 or not len(phr) else phr
    clusters = cluster(basis, options.speakers)
    if clusters.count <= 1:
        turns = [SpeechTurn(0, s, e, _said(acc, s, e), False) for s, e in acc.regions]
        return np.zeros(len(acc.words), int), "single voice", clusters.centroids, turns
    cents = clusters.centroids
    win_spans, win_sims = _resegmentation_windows(acc, win, cents)
    by_word = _word_viterbi(acc, cents, win_spans, win_sims, phr)
    spans = np.array([(w.start, w.end) for w in acc.words], float).reshape(-1, 2)
    turns = speech_turns(acc.regions, win_spans, win_sims,
                         np.array(acc.phrase_spans, float).reshape(-1, 2), phr @ cents.T, spans, by_word)
    placed = [speaker_at(turns, s, e) for s, e in spans]  # words go to the turn they fall in
    word_labels = np.array([fb if lab is None else lab for lab, fb in zip(placed, by_word)], int)
    order = _appearance_order(np.array([t.speaker for t in turns] + word_labels.tolist()))
    rank = {lab: i for i, lab in enumerate(order)}
    turns = [replace(t, speaker=rank[t.speaker]) for t in turns]
    return (np.array([rank[int(x)] for x in word_labels], int), "voice embeddings",
            cents[order], turns)


def _resegmentation_windows(acc: _Collected, win: np.ndarray, cents: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(spans, similarity to each centroid) of the windows that place words and frames: the short ones
    (0.5 s every 0.25 s; a quick reply is not drowned by the voice around it); the clustering's 1.5 s
    windows only when no short window was made."""
    short = np.concatenate(acc.short_embs) if acc.short_embs else np.zeros((0, cents.shape[1]), np.float16)
    if len(short):
        return np.array(acc.short_spans, float).reshape(-1, 2), short.astype(np.float32) @ cents.T
    return np.array(acc.win_spans, float).reshape(-1, 2), (win @ cents.T if len(win) else np.zeros((0, len(cents))))


def unheard_speakers(heard: list[int], told: int) -> list[Speaker]:
    """The people a told count adds beyond the voices heard, numbered with the numbers the heard ones leave
    free (a cluster that ended up holding no speech leaves a gap in ``heard``)."""
    free = (i for i in itertools.count() if i not in set(heard))
    return [Speaker(f"SPEAKER_{i + 1}", f"Speaker {i + 1}") for i in itertools.islice(free, max(0, told - len(heard)))]


def _unheard_note(told: int, heard: int, unheard: list[Speaker]) -> str:
    """A told count is kept (every person is listed); the ones no speech was given to are named."""
    names = ", ".join(s.id for s in unheard)
    verb = "has" if len(unheard) == 1 else "have"
    return (f"{told} people were said to be in the room but only {heard} voice(s) were heard: {names} {verb} "
            "no speech in this transcript (never spoke, or a voice too faint or too close to another to be told "
            "apart)")


def _said(acc: _Collected, start: float, end: float) -> bool:
    return any((w.end or 0) > start and (w.start or 0) < end for w in acc.words)


def _word_viterbi(acc: _Collected, cents: np.ndarray, win_spans: np.ndarray, win_sims: np.ndarray,
                  phr: np.ndarray) -> np.ndarray:
    """Speaker per word from the windows over it and its own phrase (a lone "yes" speaks for itself)."""
    if not acc.words:
        return np.zeros(0, int)
    starts = np.array([w.start for w in acc.words], float)
    ends = np.array([w.end for w in acc.words], float)
    w_scores = window_scores(starts, ends, win_spans, win_sims)
    p_idx = np.array(acc.phrase_of_word)
    scores = emissions(w_scores, (phr @ cents.T)[p_idx], np.array(acc.phrase_len)[p_idx])
    return viterbi(scores, np.concatenate([[10.0], starts[1:] - ends[:-1]]))


def _appearance_order(labels: np.ndarray) -> list[int]:
    seen: list[int] = []
    for lab in labels:
        if int(lab) not in seen:
            seen.append(int(lab))
    return seen


def _first_appearance(labels: np.ndarray) -> np.ndarray:
    order = {lab: i for i, lab in enumerate(_appearance_order(labels))}
    return np.array([order[int(lab)] for lab in labels], int)


def _channel_labels(diff: np.ndarray) -> np.ndarray | None:
    """Speaker per word from the louder channel, when the channels clearly carry different voices."""
    ok = np.isfinite(diff)
    if ok.sum() < 4:
        return None
    strong = np.abs(diff[ok]) >= CHANNEL_DB
    left = np.mean(diff[ok] >= CHANNEL_DB)
    right = np.mean(diff[ok] <= -CHANNEL_DB)
    if strong.mean() < 0.6 or min(left, right) < 0.05:
        return None
    return _first_appearance((np.nan_to_num(diff) < 0).astype(int))


def _utterances(acc: _Collected, labels: np.ndarray) -> tuple[list[Utterance], dict[str, UtteranceCues]]:
    """One utterance per speaker turn (a long pause also starts one), with its cues."""
    runs: list[list[int]] = []
    for i, w in enumerate(acc.words):
        prev = acc.words[i - 1] if i else None
        new = (prev is None or labels[i] != labels[i - 1]
               or (w.start or 0) - (prev.end or 0) >= SPLIT_PAUSE)
        if new:
            runs.append([i])
        else:
            runs[-1].append(i)
    out = []
    last_end: float | None = None
    cues: dict[str, UtteranceCues] = {}
    for n, run in enumerate(runs, start=1):
        words = tuple(acc.words[i] for i in run)
        uid = f"u{n}"
        conf = [w.confidence for w in words if w.confidence is not None]
        out.append(Utterance(uid, f"SPEAKER_{labels[run[0]] + 1}", Role.OTHER, words[0].start, words[-1].end,
                             " ".join(w.text for w in words), words,
                             round(float(np.mean(conf)), 3) if conf else None, Timing.SOURCE))
        pause = None if last_end is None else max(0.0, (words[0].start or 0) - last_end)
        cues[uid] = prosody.utterance_cues(words, [acc.stats[i] for i in run], pause)
        last_end = words[-1].end
    return out, cues


def _widen_to_speech(utts: list[Utterance], regions: list[tuple[float, float]]) -> list[Utterance]:
    """Let an utterance span the voice activity around its words (Whisper's word times run tight),
    never into a neighbouring utterance and never beyond the speech region holding its words."""
    starts = [r[0] for r in regions]
    out: list[Utterance] = []
    for i, u in enumerate(utts):
        first, last = u.start or 0.0, u.end or 0.0
        r_first = regions[max(0, bisect.bisect_right(starts, first) - 1)] if regions else (first, last)
        r_last = regions[max(0, bisect.bisect_right(starts, last) - 1)] if regions else (first, last)
        prev_end = out[-1].end if out else None
        next_start = utts[i + 1].start if i + 1 < len(utts) else None
        lo = max(r_first[0], 0.0 if prev_end is None else prev_end, first - WIDEN_MAX)
        hi = min(r_last[1], r_last[1] if next_start is None else next_start, last + WIDEN_MAX)
        out.append(replace(u, start=round(min(first, max(lo, 0.0)), 3), end=round(max(last, hi), 3)))
    return out


def _with_untranscribed(utts: list[Utterance], cues: dict[str, UtteranceCues], turns: list[SpeechTurn],
                        events: list[VocalEvent]) -> tuple[list[Utterance], dict[str, UtteranceCues]]:
    """Speech no word was recognised in stays in the transcript as a timed utterance of its speaker
    ("[inaudible]", or "[laughter]" where the prosody heard laughter), so the reader sees it and every
    measure built on utterances counts it; utterances are renumbered in time order."""
    extra = [_unheard(t, events) for t in turns if not t.transcribed and t.end - t.start >= UNHEARD_MIN
             and _covered(utts, t.start, t.end) < 0.5 * (t.end - t.start)]
    if not extra:
        return utts, cues
    merged = sorted(utts + extra, key=lambda u: (u.start or 0.0, u.end or 0.0))
    out, new_cues = [], {}
    for n, u in enumerate(merged, start=1):
        if u.id in cues:
            new_cues[f"u{n}"] = cues[u.id]
        out.append(replace(u, id=f"u{n}"))
    return out, new_cues


def _covered(utts: list[Utterance], start: float, end: float) -> float:
    return sum(max(0.0, min(u.end or 0.0, end) - max(u.start or 0.0, start)) for u in utts)


def _unheard(turn: SpeechTurn, events: list[VocalEvent]) -> Utterance:
    laughs = any(ev.get("label") == "possible laughter" and ev["start"] < turn.end and ev["end"] > turn.start
                 for ev in events)
    return Utterance("", f"SPEAKER_{turn.speaker + 1}", Role.OTHER, round(turn.start, 3), round(turn.end, 3),
                     LAUGHTER if laughs else INAUDIBLE, (), None, Timing.SOURCE)


def is_untranscribed(u: Utterance) -> bool:
    """An utterance standing for speech without recognised words ("[inaudible]", "[laughter]")."""
    return not u.words and u.text in (INAUDIBLE, LAUGHTER)


def _attach(event: VocalEvent, utts: list[Utterance]) -> VocalEvent:
    """Name the utterance an event falls in or follows, so reports can place it."""
    before = [u.id for u in utts if (u.start or 0) <= event["start"]]
    return {**event, "after_utterance": before[-1] if before else None}


def _speaker_list(heard: list[int], centroids: np.ndarray | None, options: SpeechOptions,
                  meta: AudioMetadata) -> tuple[Speaker, ...]:
    from .voice_roles import match_voiceprint

    speakers = [Speaker(f"SPEAKER_{i + 1}", f"Speaker {i + 1}") for i in heard]
    if options.voiceprint is not None and centroids is not None:
        speakers, match = match_voiceprint(speakers, centroids[heard], options.voiceprint)
        meta["voiceprint"] = match
    return tuple(speakers)


__all__ = ["INAUDIBLE", "LAUGHTER", "Progress", "SpeechOptions", "is_untranscribed", "transcribe"]
