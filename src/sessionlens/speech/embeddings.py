"""Speaker embeddings without torch: resemblyzer's GE2E voice encoder run in numpy.

``resemblyzer/pretrained.pt`` (Apache-2.0) is a legacy (pre-zip) torch checkpoint: a chain of
pickles followed by the raw tensor storages. A restricted unpickler reads it with no torch and
no arbitrary classes. The network is a 3-layer LSTM (40 mel bands -> 256) and a 256x256 linear
layer with ReLU; the embedding is the L2-normalised output for the last frame. The mel front end
reproduces librosa's (Slaney mel, Hann window, reflect padding, power spectrum).
"""

from __future__ import annotations

import io
import pickle
import struct
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from ..ingest.audio import SAMPLE_RATE
from .models import VOICE_ENCODER_FILE, read_verified

N_FFT = 400  # 25 ms
HOP = 160  # 10 ms
N_MELS = 40
PARTIAL_FRAMES = 160  # 1.6 s: the window length the encoder was trained on
TARGET_DBFS = -30.0
INSTALL = "pip install --no-deps resemblyzer==0.1.4"

_DTYPES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "LongStorage": np.int64,
           "IntStorage": np.int32, "HalfStorage": np.float16}


@dataclass(frozen=True)
class _TensorRef:
    key: str
    offset: int
    size: tuple[int, ...]
    stride: tuple[int, ...]


class _Unpickler(pickle.Unpickler):
    """Allows only what a state dict needs; tensors become references into the storages."""

    def __init__(self, fh: io.BytesIO) -> None:
        super().__init__(fh)
        self.storages: dict[str, tuple[type, int]] = {}

    def find_class(self, module: str, name: str) -> Any:
        if module == "collections" and name == "OrderedDict":
            return OrderedDict
        if module == "torch._utils" and name == "_rebuild_tensor_v2":
            return lambda storage, offset, size, stride, *rest: _TensorRef(storage, offset, tuple(size), tuple(stride))
        if module == "torch" and name in _DTYPES:
            return name
        raise pickle.UnpicklingError(f"unexpected object {module}.{name} in the voice encoder checkpoint")

    def persistent_load(self, pid: Any) -> str:
        _, storage_type, key, _location, numel, *_ = pid
        self.storages[key] = (_DTYPES[storage_type], int(numel))
        return key


def load_state_dict(data: bytes) -> dict[str, np.ndarray]:
    """Read a legacy torch checkpoint's ``model_state`` into numpy arrays."""
    fh = io.BytesIO(data)
    for _ in range(3):  # magic number, protocol version, system info
        pickle.load(fh)
    up = _Unpickler(fh)
    obj = up.load()
    keys = pickle.load(fh)
    raw: dict[str, np.ndarray] = {}
    for key in keys:
        dtype, _numel = up.storages[key]
        (count,) = struct.unpack("<q", fh.read(8))
        raw[key] = np.frombuffer(fh.read(count * np.dtype(dtype).itemsize), dtype=dtype)
    state = obj["model_state"] if "model_state" in obj else obj
    out = {}
    for name, ref in state.items():
        if isinstance(ref, _TensorRef):
            base = raw[ref.key]
            item = base.itemsize
            out[name] = np.lib.stride_tricks.as_strided(
                base[ref.offset:], shape=ref.size, strides=tuple(s * item for s in ref.stride)).copy()
    return out


def _hz_to_mel(f: np.ndarray | float) -> np.ndarray:
    f = np.asarray(f, np.float64)
    mel = f / (200.0 / 3)
    log = f >= 1000.0
    return np.where(log, 15.0 + np.log(np.maximum(f, 1e-9) / 1000.0) / (np.log(6.4) / 27.0), mel)


def _mel_to_hz(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, np.float64)
    hz = m * (200.0 / 3)
    return np.where(m >= 15.0, 1000.0 * np.exp((np.log(6.4) / 27.0) * (m - 15.0)), hz)


@lru_cache(maxsize=1)
def mel_filters() -> np.ndarray:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=40) with Slaney scale and norm."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    mel_f = _mel_to_hz(np.linspace(_hz_to_mel(0.0), _hz_to_mel(SAMPLE_RATE / 2), N_MELS + 2))
    fdiff = np.diff(mel_f)
    ramps = mel_f[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / fdiff[:-1, None]
    upper = ramps[2:] / fdiff[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (mel_f[2:] - mel_f[:-2]))[:, None]
    return weights.astype(np.float32)


def mel_spectrogram(wav: np.ndarray) -> np.ndarray:
    """(frames, 40) power mel spectrogram, as resemblyzer computes it (not log)."""
    pad = N_FFT // 2
    x = np.pad(wav.astype(np.float32), pad, mode="reflect") if len(wav) > pad else np.pad(wav, pad)
    n = 1 + (len(x) - N_FFT) // HOP
    frames = np.lib.stride_tricks.as_strided(x, shape=(n, N_FFT), strides=(x.strides[0] * HOP, x.strides[0]))
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)
    spec = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    return (spec.astype(np.float32) @ mel_filters().T).astype(np.float32)


def normalize_volume(wav: np.ndarray) -> np.ndarray:
    """Raise quiet audio to -30 dBFS (never lower), as the encoder's training data was."""
    rms = float(np.sqrt(np.mean(wav.astype(np.float64) ** 2))) if len(wav) else 0.0
    if rms < 1e-6:
        return wav
    gain_db = TARGET_DBFS - 20 * np.log10(rms)
    return wav * (10 ** (gain_db / 20)) if gain_db > 0 else wav


def _onnx_lstm_model(state: dict[str, np.ndarray]) -> bytes:
    """The encoder as an ONNX graph (three LSTM ops), so onnxruntime's fused kernels run it."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    x = "mels_tbf"
    nodes.append(helper.make_node("Transpose", ["mels"], [x], perm=[1, 0, 2]))
    for k in range(3):
        w, r = state[f"lstm.weight_ih_l{k}"], state[f"lstm.weight_hh_l{k}"]
        hidden = r.shape[1]
        # torch orders the gates i, f, g, o; ONNX wants i, o, f, c.
        order = np.concatenate([np.arange(0, hidden), np.arange(3 * hidden, 4 * hidden),
                                np.arange(hidden, 2 * hidden), np.arange(2 * hidden, 3 * hidden)])
        bias = np.concatenate([state[f"lstm.bias_ih_l{k}"][order], state[f"lstm.bias_hh_l{k}"][order]])
        inits += [numpy_helper.from_array(w[order][None].astype(np.float32), f"W{k}"),
                  numpy_helper.from_array(r[order][None].astype(np.float32), f"R{k}"),
                  numpy_helper.from_array(bias[None].astype(np.float32), f"B{k}")]
        nodes.append(helper.make_node("LSTM", [x, f"W{k}", f"R{k}", f"B{k}"], [f"Y{k}", f"H{k}"],
                                      hidden_size=hidden))
        inits.append(numpy_helper.from_array(np.array([1], np.int64), f"ax{k}"))
        nodes.append(helper.make_node("Squeeze", [f"Y{k}", f"ax{k}"], [f"X{k}"]))
        x = f"X{k}"
    inits.append(numpy_helper.from_array(np.array([0], np.int64), "ax_h"))
    nodes.append(helper.make_node("Squeeze", ["H2", "ax_h"], ["hidden"]))
    graph = helper.make_graph(
        nodes, "voice_encoder",
        [helper.make_tensor_value_info("mels", TensorProto.FLOAT, ["batch", "frames", N_MELS])],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", 256])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return onnx._serialize(model) if hasattr(onnx, "_serialize") else model.SerializeToString()


class VoiceEncoder:
    """resemblyzer's encoder, converted once to ONNX in memory and run with onnxruntime."""

    def __init__(self, state: dict[str, np.ndarray] | None = None, threads: int | None = None) -> None:
        import onnxruntime

        if state is None:
            state = load_state_dict(read_verified(VOICE_ENCODER_FILE, what="voice encoder", install=INSTALL))
        opts = onnxruntime.SessionOptions()
        opts.intra_op_num_threads = threads or 0
        opts.log_severity_level = 4
        self._session = onnxruntime.InferenceSession(_onnx_lstm_model(state), sess_options=opts,
                                                     providers=["CPUExecutionProvider"])
        self.w_out = np.ascontiguousarray(state["linear.weight"].T)
        self.b_out = state["linear.bias"]

    def forward(self, mels: np.ndarray) -> np.ndarray:
        """(batch, frames, 40) -> (batch, 256) L2-normalised embeddings."""
        (h,) = self._session.run(None, {"mels": np.ascontiguousarray(mels, np.float32)})
        emb = np.maximum(h @ self.w_out + self.b_out, 0)
        return emb / np.maximum(np.linalg.norm(emb, axis=1, keepdims=True), 1e-9)

    def embed_segments(self, audio: np.ndarray, spans: list[tuple[int, int]], batch: int = 256) -> np.ndarray:
        """One embedding per (start, end) sample span. Short spans are tiled to 1.6 s."""
        if not spans:
            return np.zeros((0, 256), np.float32)
        need = PARTIAL_FRAMES * HOP
        mels = []
        for s, e in spans:
            wav = normalize_volume(audio[s:e])
            if len(wav) == 0:
                wav = np.zeros(need, np.float32)
            if len(wav) < need:
                wav = np.tile(wav, int(np.ceil(need / len(wav))))
            mel = mel_spectrogram(wav[:need] if len(wav) - need < HOP else _center(wav, need))
            mels.append(mel[:PARTIAL_FRAMES])
        stacked = np.stack(mels)
        return np.concatenate([self.forward(stacked[i:i + batch]) for i in range(0, len(stacked), batch)])


    def embed_windows(self, audio: np.ndarray, spans: list[tuple[int, int]], frames: int = PARTIAL_FRAMES,
                      batch: int = 64) -> np.ndarray:
        """Like :meth:`embed_segments` for many short overlapping spans, from one spectrogram of ``audio``:
        each span takes the frames centred in it, tiled to ``frames`` (as its samples would be), scaled by its
        own volume gain (the spectrogram is power, so the gain squared). Computing the spectrogram once
        instead of per window halves the cost of 0.5 s windows every 0.25 s. Batches of 64: the LSTM keeps
        every frame's output of a batch (256 windows: ~130 MB more peak memory, measured)."""
        if not spans:
            return np.zeros((0, 256), np.float32)
        mel = mel_spectrogram(audio)
        mels = np.empty((len(spans), frames, N_MELS), np.float32)
        for i, (s, e) in enumerate(spans):
            a = min(-(-s // HOP), len(mel) - 1)
            part = mel[a:max(a + 1, min(-(-e // HOP), len(mel)))]
            mels[i] = np.tile(part, (int(np.ceil(frames / len(part))), 1))[:frames] * _power_gain(audio[s:e])
        return np.concatenate([self.forward(mels[i:i + batch]) for i in range(0, len(mels), batch)])


def _power_gain(wav: np.ndarray) -> float:
    """The factor :func:`normalize_volume` applies to ``wav``'s power."""
    rms = float(np.sqrt(np.mean(wav.astype(np.float64) ** 2))) if len(wav) else 0.0
    if rms < 1e-6:
        return 1.0
    return float(max(1.0, 10 ** ((TARGET_DBFS - 20 * np.log10(rms)) / 10)))


def _center(wav: np.ndarray, n: int) -> np.ndarray:
    off = (len(wav) - n) // 2
    return wav[off:off + n]


@lru_cache(maxsize=1)
def voice_encoder() -> VoiceEncoder:
    return VoiceEncoder()


__all__ = ["VoiceEncoder", "load_state_dict", "mel_spectrogram", "voice_encoder"]
