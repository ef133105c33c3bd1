"""Fit and apply the utterance coders; shared by train_coding.py and the benchmark.

Each role's coder reads the utterance with its neighbours' words (``features.py``): one
class-balanced logistic regression for the main code, plus (therapist) one per sub-code family
trained on the utterances of that main code. Every split groups by transcript.

A second, stacked stage that added the neighbours' predicted code probabilities was tried
(out-of-fold stage-1 predictions, nested inside each CV fold): +0.006 therapist, -0.002 client
macro-F1, so it was dropped for simplicity.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from sessionlens.analysis.coding.features import Featurizer, Turn, session_rows
from training.annomi import CLIENT_LABELS, THERAPIST_LABELS, Row

SEED = 13
LABELS = {"therapist": THERAPIST_LABELS, "client": CLIENT_LABELS}
C_STAGE1 = {"therapist": 2.0, "client": 0.5}  # chosen by grouped CV on AnnoMI dev (see MODEL_CARD)


@dataclass
class RoleData:
    keys: list[tuple[str, int]]  # (transcript id, position in session)
    docs: dict[str, list[str]]
    dense: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    sub: list[dict[str, str]]  # majority sub-codes per row (therapist only)


def turns_of(rows: Sequence[Row]) -> list[Turn]:
    return [Turn(r.role, r.text) for r in rows]


def role_data(sessions: dict[str, list[Row]], tids: Sequence[str], role: str) -> RoleData:
    keys, dense, ys, subs = [], [], [], []
    docs: dict[str, list[str]] = {}
    for tid in tids:
        rows = sessions[tid]
        idx, d, x = session_rows(turns_of(rows), role)
        keys += [(tid, i) for i in idx]
        ys += [LABELS[role].index(rows[i].label) for i in idx]
        subs += [rows[i].subcodes for i in idx]
        dense.append(x)
        for k, v in d.items():
            docs.setdefault(k, []).extend(v)
    return RoleData(keys, docs, np.vstack(dense), np.array(ys), np.array([k[0] for k in keys]), subs)


def subset(data: RoleData, mask: np.ndarray) -> RoleData:
    pick = np.flatnonzero(mask)
    return RoleData([data.keys[i] for i in pick], {k: [v[i] for i in pick] for k, v in data.docs.items()},
                    data.dense[pick], data.y[pick], data.groups[pick], [data.sub[i] for i in pick])


def _lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced", max_iter=3000, random_state=SEED)


@dataclass
class Stage1:
    featurizer: Featurizer
    model: LogisticRegression

    def proba(self, data: RoleData) -> np.ndarray:
        return self.model.predict_proba(self.featurizer.transform(data.docs, data.dense))


def fit_stage1(data: RoleData, role: str, c: float | None = None) -> Stage1:
    feat = Featurizer(role).fit(data.docs)
    model = _lr(c or C_STAGE1[role]).fit(feat.transform(data.docs, data.dense), data.y)
    return Stage1(feat, model)


def _mask(n: int, idx: np.ndarray) -> np.ndarray:
    m = np.zeros(n, bool)
    m[idx] = True
    return m


SUB_LABELS = {"question": ("open", "closed"), "reflection": ("simple", "complex"),
              "therapist_input": ("information", "advice", "negotiation", "options")}
C_SUB = 2.0


@dataclass
class RoleFit:
    """A fitted role coder: featurizer, main head and (therapist) sub-code heads."""

    featurizer: Featurizer
    main: LogisticRegression
    subs: dict[str, LogisticRegression]

    def predict(self, data: RoleData) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        x = self.featurizer.transform(data.docs, data.dense)
        return self.main.predict_proba(x), {m: _full(lr, x, len(SUB_LABELS[m])) for m, lr in self.subs.items()}


def _full(lr: LogisticRegression, x, width: int) -> np.ndarray:
    """Probabilities over all ``width`` sub-codes, zeros for any the training part lacked."""
    out = np.zeros((x.shape[0], width))
    out[:, lr.classes_] = lr.predict_proba(x)
    return out


def sub_targets(data: RoleData, main: str) -> tuple[np.ndarray, np.ndarray]:
    """Rows whose main label is ``main`` and that carry its sub-code, and those sub-code indices."""
    labels = SUB_LABELS[main]
    k = LABELS["therapist"].index(main)
    rows = [i for i, (y, s) in enumerate(zip(data.y, data.sub)) if y == k and s.get(main) in labels]
    return np.array(rows, int), np.array([labels.index(data.sub[i][main]) for i in rows], int)


def fit_role(data: RoleData, role: str) -> RoleFit:
    s1 = fit_stage1(data, role)
    subs = {}
    if role == "therapist":
        x = s1.featurizer.transform(data.docs, data.dense)
        for main in SUB_LABELS:
            rows, ys = sub_targets(data, main)
            if len(set(ys.tolist())) >= 2:  # a head needs two sub-codes to tell apart
                subs[main] = _lr(C_SUB).fit(x[rows], ys)
    return RoleFit(s1.featurizer, s1.model, subs)


def cv_predict(data: RoleData, role: str, folds: int = 5) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Grouped k-fold out-of-fold probabilities for the main code and each sub-code head."""
    main = np.zeros((len(data.y), len(LABELS[role])))
    subs = {m: np.zeros((len(data.y), len(v))) for m, v in SUB_LABELS.items()} if role == "therapist" else {}
    for tr, te in GroupKFold(n_splits=folds).split(data.y, groups=data.groups):
        fit = fit_role(subset(data, _mask(len(data.y), tr)), role)
        p, ps = fit.predict(subset(data, _mask(len(data.y), te)))
        main[te] = p
        for m, v in ps.items():
            subs[m][te] = v
    return main, subs


def fit_temperature(probs: np.ndarray, y: np.ndarray) -> float:
    """One temperature for the softmax, minimising out-of-fold log loss (calibration only)."""
    logp = np.log(np.clip(probs, 1e-9, 1))
    best, best_t = np.inf, 1.0
    for t in np.arange(0.5, 3.01, 0.05):
        z = logp / t
        z -= z.max(axis=1, keepdims=True)
        nll = -(z[np.arange(len(y)), y] - np.log(np.exp(z).sum(axis=1))).mean()
        if nll < best:
            best, best_t = nll, float(t)
    return round(best_t, 2)
