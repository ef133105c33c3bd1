"""Code every utterance: therapist behaviour (+ sub-codes, MITI rules) or client talk type."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
import numpy as np

from sessionlens.analysis.coding.artifact import CodingModel, RoleModel, current_model
from sessionlens.analysis.coding.context_note import context_note
from sessionlens.analysis.coding.cues import ADVICE_RULE, LEAD_ADVICE
from sessionlens.analysis.coding.encoder_model import coding_encoder, encoder_probabilities, heads
from sessionlens.analysis.coding.explain import top_features
from sessionlens.analysis.coding.features import Turn, clean, session_rows
from sessionlens.analysis.coding.miti import miti_behaviours
from sessionlens.domain import Evidence, Finding, Role, Transcript, Utterance
from sessionlens.payloads.analysis_coding import CodeEntry
from sessionlens.payloads.findings import CodeData, RuleHitData

SOURCE = "annomi-linear"
RETRAINED = "+retrained"  # version suffix of a clinician's re-trained heads (retrain.py)
# Share of the fine-tuned encoder in the probabilities (the rest: the linear coder, which also reads the next
# turn). Chosen by grouped 5-fold CV on AnnoMI dev (benchmarks/coding_encoder_cv.py, BENCHMARKS.md).
ENCODER_WEIGHT = 0.6
LOW_CONFIDENCE = 0.3
RULE_SUB_CONFIDENCE = 0.6  # cap for turns the model cannot really read (empty, mostly unknown words)
_WORD = re.compile(r"[a-z']+")
FALLBACK = {"therapist": "other", "client": "neutral"}


@dataclass(frozen=True)
class CodingResult:
    """Per-utterance codes as Findings plus a compact per-utterance table.

    ``codes`` maps utterance id -> its codes; it is what the analysis JSON stores per utterance.
    """

    findings: tuple[Finding, ...]
    codes: dict[str, CodeEntry] = field(default_factory=dict)
    model: str = SOURCE

    def to_dict(self) -> dict[str, str | dict[str, CodeEntry]]:
        return {"model": self.model, "codes": self.codes}


def _role(u: Utterance) -> str:
    return u.role.value if isinstance(u.role, Role) else str(u.role)


def _coverage(text: str, model: RoleModel) -> float:
    """Share of the turn's words the model has a weight for (low for non-English or garble)."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    vocab = model.featurizer.vectorizers["word"].vocabulary_
    return sum(w in vocab for w in words) / len(words)


def _evidence(u: Utterance) -> tuple[Evidence, ...]:
    return (Evidence((u.id,), u.start, u.end),)


def _adjust(text: str, model: RoleModel, label: str, p: float, role: str) -> tuple[str, float, str]:
    """Fall back to other/neutral with low confidence where the text gives the model little to read."""
    if not _WORD.search(text):
        return FALLBACK[role], min(p, LOW_CONFIDENCE), "no words to code"
    cov = _coverage(text, model)
    if cov < 0.5 and len(_WORD.findall(text)) >= 3:
        return label, min(p * cov, LOW_CONFIDENCE), f"only {cov:.0%} known English words"
    return label, p, ""


def _code_role(turns: list[Turn], utts: tuple[Utterance, ...], role: str, model: RoleModel,
               out: dict[int, tuple[Finding, CodeEntry]], use_encoder: bool) -> None:
    idx, docs, dense = session_rows(turns, role)
    if not idx:
        return
    x = model.featurizer.transform(docs, dense)
    probs = model.head.proba(x)
    subprobs = {main: head.proba(x) for main, head in model.subheads.items()}
    enc = _encoder(turns, idx, role, model) if use_encoder else {}
    for r, i in enumerate(idx):
        parts = {name: p[r] for name, p in enc.items()}
        prob = _mix(probs[r], parts.get(role))
        sub = {m: _mix(p[r], parts.get(m)) for m, p in subprobs.items()}
        out[i] = _finding(turns, utts[i], i, role, model, x[r], prob, sub, (probs[r], parts.get(role)))


def _encoder(turns: list[Turn], idx: list[int], role: str, model: RoleModel) -> dict[str, np.ndarray]:
    """Encoder probabilities per head, reordered to the linear heads' label order; {} without the encoder."""
    enc_model = coding_encoder()
    if enc_model is None:
        return {}
    probs = encoder_probabilities(enc_model, [t.role for t in turns], [t.text for t in turns], idx)
    labels = heads(enc_model)
    wanted = {role: model.head.labels, **{m: h.labels for m, h in model.subheads.items()}}
    return {name: probs[name][:, [labels[name].index(lab) for lab in order]]
            for name, order in wanted.items() if name in probs}


def _mix(linear: np.ndarray, encoder: np.ndarray | None) -> np.ndarray:
    return linear if encoder is None else ENCODER_WEIGHT * encoder + (1 - ENCODER_WEIGHT) * linear


def _finding(turns, u, i, role, model, row, prob, subprob, sources) -> tuple[Finding, CodeEntry]:
    head = model.head
    cls = int(np.argmax(prob))
    label, conf, note = _adjust(clean(u.text), model, head.labels[cls], float(prob[cls]), role)
    if role == "therapist":
        label, conf, note = _lead_advice(u.text, label, conf, note)
    cues = top_features(row, head.coef, cls, model.names) if label == head.labels[cls] else []
    why = (f"{label} ({_sources(sources, head.labels, label, conf)})" + (f": {', '.join(cues)}" if cues else "")
           + f"; context: {context_note(turns, i)}" + (f"; {note}" if note else ""))
    probs = {lab: round(float(p), 4) for lab, p in zip(head.labels, prob)}
    subcodes: list[str] = []
    subconf: dict[str, float] = {}
    rules: list[RuleHitData] = []
    if role == "therapist":
        subcodes, subconf, why = _subcodes(turns, i, label, model, row, subprob, why)
        rules = [RuleHitData(code=h.code, confidence=h.confidence, why=h.why)
                 for h in miti_behaviours(turns, i, "advice" in subcodes)]
        subcodes += [h["code"] for h in rules]
        why += "".join(f"; {h['code']}: {h['why']}" for h in rules)
    kind = "therapist_behaviour" if role == "therapist" else "client_talk"
    data = CodeData(probabilities=probs, subcodes=subcodes, subcode_confidence=subconf, rules=rules)
    finding = Finding(kind, label, round(conf, 4), _evidence(u), SOURCE, why, data)
    codes: CodeEntry = {"therapist_behaviour": label if role == "therapist" else None,
                        "therapist_subcodes": subcodes, "client_talk": label if role == "client" else None,
                        "confidence": round(conf, 4), "probabilities": probs}
    return finding, codes


def _sources(sources, labels, label: str, conf: float) -> str:
    """'p=0.84; model 0.91, words 0.74': the blend and, with the encoder, each part's probability of ``label``."""
    linear, encoder = sources
    if encoder is None or label not in labels:
        return f"p={conf:.2f}"
    k = labels.index(label)
    return f"p={conf:.2f}; model {float(encoder[k]):.2f}, words {float(linear[k]):.2f}"


def _lead_advice(text: str, label: str, conf: float, note: str) -> tuple[str, float, str]:
    """A turn that opens a sentence with a recommendation and asks nothing is input (rule)."""
    m = LEAD_ADVICE.search(clean(text))
    if label == "therapist_input" or m is None or "?" in text:
        return label, conf, note
    why = f"rule: recommendation '{m.group(0).strip(' .!')}' (model said {label}, p={conf:.2f})"
    return "therapist_input", RULE_SUB_CONFIDENCE, f"{note}; {why}" if note else why


def _subcodes(turns, i, label, model, row, subprob, why) -> tuple[list[str], dict[str, float], str]:
    head = model.subheads.get(label)
    if head is None or label not in subprob:
        return [], {}, why
    p = subprob[label]
    j = int(np.argmax(p))
    advice_cue = ADVICE_RULE.search(clean(turns[i].text)) if label == "therapist_input" else None
    if advice_cue and head.labels[j] != "advice" and "advice" in head.labels:
        # The input sub-code head is weak on the small advice class (see MODEL_CARD); an explicit
        # recommendation phrase is advice by the MITI definition.
        k = head.labels.index("advice")
        conf = max(float(p[k]), RULE_SUB_CONFIDENCE)
        why += f"; advice (p={conf:.2f}): rule: cue '{advice_cue.group(0)}' (model said {head.labels[j]})"
        return ["advice"], {"advice": round(conf, 4)}, why
    cues = top_features(row, head.coef, j, model.names, k=3)
    why += f"; {head.labels[j]} {label} (p={p[j]:.2f})" + (f": {', '.join(cues)}" if cues else "")
    return [head.labels[j]], {head.labels[j]: round(float(p[j]), 4)}, why


def code_transcript(transcript: Transcript, model: CodingModel | None = None, *,
                    use_encoder: bool = False) -> CodingResult:
    """Code each therapist utterance (behaviour + sub-codes) and each client utterance (talk type).

    ``use_encoder`` blends in the fine-tuned MiniLM coder where it is installed (the ``coding_encoder``
    setting, on by default). A clinician's re-trained heads (``code retrain``) code alone: grouped CV judged them
    without the encoder, and blended they would carry only part of the clinician's corrections.

    Utterances of other speakers get nothing. Never raises on odd text: empty or unreadable
    turns fall back to other / neutral with low confidence.
    """
    m = model or current_model()
    use_encoder = use_encoder and not str(m.meta.get("version", "")).endswith(RETRAINED)
    utts = transcript.utterances
    turns = [Turn(_role(u), u.text or "") for u in utts]
    coded: dict[int, tuple[Finding, CodeEntry]] = {}
    _code_role(turns, utts, "therapist", m.therapist, coded, use_encoder)
    _code_role(turns, utts, "client", m.client, coded, use_encoder)
    order = sorted(coded)
    name = f"{SOURCE}-{m.meta.get('version', '?')}" + ("+minilm-context" if use_encoder and coding_encoder() else "")
    return CodingResult(tuple(coded[i][0] for i in order), {utts[i].id: coded[i][1] for i in order}, name)
