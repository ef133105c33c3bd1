"""MiniLM/BERT in torch with the safetensors parameter names, for fine-tuning only (the ``train`` extra).

Parameter names match the packaged ``model.safetensors`` so a fine-tuned state dict goes straight to
``training.encoder_graph.build_graph``. The lower ``frozen`` layers run once per input (``lower``) and their
outputs are cached by the caller; only the upper layers and the heads are trained.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import torch
from torch import nn

EPS = 1e-12


class Layer(nn.Module):
    def __init__(self, hidden: int = 384, heads: int = 12, inner: int = 1536):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v = nn.Linear(hidden, hidden), nn.Linear(hidden, hidden), nn.Linear(hidden, hidden)
        self.o, self.ln1 = nn.Linear(hidden, hidden), nn.LayerNorm(hidden, eps=EPS)
        self.fc1, self.fc2, self.ln2 = nn.Linear(hidden, inner), nn.Linear(inner, hidden), nn.LayerNorm(hidden, eps=EPS)
        self.drop = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, n, h = x.shape
        d = h // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, d).transpose(1, 2)

        s = split(self.q(x)) @ split(self.k(x)).transpose(-1, -2) / math.sqrt(d) + bias
        ctx = (self.drop(s.softmax(-1)) @ split(self.v(x))).transpose(1, 2).reshape(b, n, h)
        x = self.ln1(x + self.drop(self.o(ctx)))
        return self.ln2(x + self.drop(self.fc2(nn.functional.gelu(self.fc1(x)))))


NAMES = {"q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
         "o": "attention.output.dense", "ln1": "attention.output.LayerNorm", "fc1": "intermediate.dense",
         "fc2": "output.dense", "ln2": "output.LayerNorm"}


class MiniLM(nn.Module):
    def __init__(self, weights: Mapping[str, np.ndarray], layers: int = 6):
        super().__init__()
        self.word = nn.Embedding.from_pretrained(torch.tensor(weights["embeddings.word_embeddings.weight"]))
        self.pos = nn.Embedding.from_pretrained(torch.tensor(weights["embeddings.position_embeddings.weight"]))
        self.segment = nn.Embedding.from_pretrained(torch.tensor(weights["embeddings.token_type_embeddings.weight"]))
        self.ln = nn.LayerNorm(384, eps=EPS)
        self.layers = nn.ModuleList(Layer() for _ in range(layers))
        with torch.no_grad():
            self.ln.weight.copy_(torch.tensor(weights["embeddings.LayerNorm.weight"]))
            self.ln.bias.copy_(torch.tensor(weights["embeddings.LayerNorm.bias"]))
            for i, layer in enumerate(self.layers):
                for attr, name in NAMES.items():
                    mod = getattr(layer, attr)
                    mod.weight.copy_(torch.tensor(weights[f"encoder.layer.{i}.{name}.weight"]))
                    mod.bias.copy_(torch.tensor(weights[f"encoder.layer.{i}.{name}.bias"]))

    @staticmethod
    def bias(mask: torch.Tensor) -> torch.Tensor:
        return (mask[:, None, None, :].float() - 1.0) * 10000.0

    def lower(self, ids: torch.Tensor, mask: torch.Tensor, tt: torch.Tensor, upto: int) -> torch.Tensor:
        pos = torch.arange(ids.shape[1])[None, :]
        x = self.ln(self.word(ids) + self.segment(tt) + self.pos(pos))
        for layer in self.layers[:upto]:
            x = layer(x, self.bias(mask))
        return x

    def upper(self, x: torch.Tensor, mask: torch.Tensor, start: int) -> torch.Tensor:
        for layer in self.layers[start:]:
            x = layer(x, self.bias(mask))
        return x

    def state_numpy(self) -> dict[str, np.ndarray]:
        """Parameters under the safetensors names (what ``build_graph`` reads)."""
        out = {"embeddings.word_embeddings.weight": self.word.weight,
               "embeddings.position_embeddings.weight": self.pos.weight,
               "embeddings.token_type_embeddings.weight": self.segment.weight,
               "embeddings.LayerNorm.weight": self.ln.weight, "embeddings.LayerNorm.bias": self.ln.bias}
        for i, layer in enumerate(self.layers):
            for attr, name in NAMES.items():
                mod = getattr(layer, attr)
                out[f"encoder.layer.{i}.{name}.weight"] = mod.weight
                out[f"encoder.layer.{i}.{name}.bias"] = mod.bias
        return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in out.items()}


def segment_mean(x: torch.Tensor, mask: torch.Tensor, tt: torch.Tensor) -> torch.Tensor:
    """Mean over the second segment's tokens (the utterance; its [SEP] included), as the ONNX heads pool."""
    m = (mask * tt).unsqueeze(-1).float()
    return (x * m).sum(1) / m.sum(1).clamp(min=1e-9)
