"""Train the shipped utterance coders from AnnoMI and write src/sessionlens/models/coding/.

    nice .venv/bin/python -m training.train_coding          # a few minutes on 2 cores

Reads ../shared/data/annomi only (or $SESSIONLENS_SHARED_DATA/annomi). Deterministic: the
solvers are seeded and the data order is fixed. Writes JSON + .npz (no pickle), a manifest
with each file's SHA-256, and MODEL_CARD.md with the grouped-CV numbers measured here.
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import zipfile
from datetime import date
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score

from training.annomi import load_sessions
from training.coding_pipeline import (
    LABELS,
    SUB_LABELS,
    cv_predict,
    fit_role,
    fit_temperature,
    role_data,
    sub_targets,
)

OUT = Path(__file__).resolve().parents[1] / "src" / "sessionlens" / "models" / "coding"
VERSION = "1"


def _npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """An .npz with fixed zip timestamps, so the same weights always hash the same."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            item = io.BytesIO()
            np.lib.format.write_array(item, np.ascontiguousarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, item.getvalue())
    return buf.getvalue()


def export_role(fit, role: str, temps: dict[str, float]) -> tuple[bytes, bytes]:
    meta_f, arrays = fit.featurizer.state()
    meta = {"featurizer": meta_f, "head": {"labels": list(LABELS[role]), "temperature": temps["main"]},
            "subheads": {m: {"labels": list(SUB_LABELS[m]), "temperature": temps.get(m, 1.0)} for m in fit.subs}}
    arrays["head_coef"] = fit.main.coef_.astype(np.float32)
    arrays["head_intercept"] = fit.main.intercept_.astype(np.float32)
    for m, lr in fit.subs.items():
        coef, icpt = lr.coef_, lr.intercept_
        if coef.shape[0] == 1:  # binary LR keeps one row; expand to a 2-class softmax
            coef, icpt = np.vstack([-coef / 2, coef / 2]), np.array([-icpt[0] / 2, icpt[0] / 2])
        arrays[f"sub_{m}_coef"] = coef.astype(np.float32)
        arrays[f"sub_{m}_intercept"] = icpt.astype(np.float32)
    return json.dumps(meta, separators=(",", ":")).encode(), _npz_bytes(arrays)


def cv_report(data, role: str) -> tuple[dict[str, float], dict]:
    main, subs = cv_predict(data, role)
    temps = {"main": fit_temperature(main, data.y)}
    pred = main.argmax(1)
    metrics = {"macro_f1": round(f1_score(data.y, pred, average="macro"), 3),
               "per_class_f1": dict(zip(LABELS[role], np.round(f1_score(data.y, pred, average=None), 3).tolist()))}
    for m, p in subs.items():
        rows, ys = sub_targets(data, m)
        temps[m] = fit_temperature(p[rows], ys)
        metrics[f"sub_{m}_macro_f1"] = round(f1_score(ys, p[rows].argmax(1), average="macro"), 3)
    return temps, metrics


def main() -> int:
    sessions = load_sessions()
    tids = list(sessions)
    OUT.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    card: dict[str, dict] = {}
    for role in ("therapist", "client"):
        data = role_data(sessions, tids, role)
        temps, card[role] = cv_report(data, role)
        files[f"{role}.json"], files[f"{role}.npz"] = export_role(fit_role(data, role), role, temps)
        card[role]["temperatures"] = temps
        card[role]["utterances"] = len(data.y)
    for name, blob in files.items():
        (OUT / name).write_bytes(blob)
    manifest = {"version": VERSION, "trained": date.today().isoformat(), "data": "AnnoMI dev (93 transcripts)",
                "transcripts": len(tids), "cv": card,
                "files": {n: hashlib.sha256(b).hexdigest() for n, b in sorted(files.items())}}
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(card, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
