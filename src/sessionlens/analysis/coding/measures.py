"""Session-level MI measures from the per-utterance codes, with MITI 4.2.1 ranges as context.

The ranges describe what MITI coders call fair and good practice; they are shown beside the
numbers for orientation, never turned into a score or grade of the clinician. All numbers are
model estimates and say so.
"""

from __future__ import annotations

from collections import Counter

from sessionlens.analysis.coding.codes import CodingResult
from sessionlens.domain import Transcript
from sessionlens.payloads.metrics import ClientTalk, CourseSegment, Interventions, MiMeasures

SEGMENTS = 5
MI_ADHERENT = ("affirm", "seek_collaboration", "emphasize_autonomy")  # MITI 4.2.1 definition
MI_NON_ADHERENT = ("confront", "persuade_without_permission")
REFERENCE: dict[str, object] = {
    "source": "MITI 4.2.1 (Moyers et al.)",
    "reflection_to_question_ratio": {"fair": 1.0, "good": 2.0},
    "percent_complex_reflections": {"fair": 40.0, "good": 50.0},
    "note": "Descriptive context from the MITI coding manual, not a grade. Numbers are model "
            "estimates from the transcript text and can be corrected.",
}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def _pct(a: int, b: int) -> float | None:
    return round(100.0 * a / b, 1) if b else None


def _therapist(coding: CodingResult) -> Interventions:
    codes = [c for c in coding.codes.values() if c.get("therapist_behaviour")]
    main = Counter(c["therapist_behaviour"] for c in codes)
    subs = Counter(s for c in codes for s in c.get("therapist_subcodes", []))
    ids = {k: [uid for uid, c in coding.codes.items() if k in c.get("therapist_subcodes", [])]
           for k in ("persuade_without_permission",)}
    q, r = main["question"], main["reflection"]
    return {
        "utterances_coded": len(codes),
        "counts": {k: main[k] for k in ("question", "reflection", "therapist_input", "other")},
        "questions": {"open": subs["open"], "closed": subs["closed"], "percent_open": _pct(subs["open"], q)},
        "reflections": {"simple": subs["simple"], "complex": subs["complex"],
                        "percent_complex": _pct(subs["complex"], r)},
        "reflection_to_question_ratio": _ratio(r, q),
        "therapist_input": {k: subs[k] for k in ("information", "advice", "negotiation", "options")},
        "miti_behaviours": {k: subs[k] for k in MI_ADHERENT + MI_NON_ADHERENT + ("persuade_with_permission",)},
        "mi_adherent": sum(subs[k] for k in MI_ADHERENT),
        "mi_non_adherent": sum(subs[k] for k in MI_NON_ADHERENT),
        "advice_without_permission": subs["persuade_without_permission"],
        "advice_without_permission_ids": ids["persuade_without_permission"],
        "reference": REFERENCE,
    }


def _segments(transcript: Transcript, coding: CodingResult) -> list[CourseSegment]:
    """Change / sustain / neutral counts per fifth of the session (by time when every turn has one)."""
    utts = transcript.utterances
    if not utts:
        return []
    known = [u.start for u in utts if u.start is not None]
    if len(known) == len(utts):  # every utterance timed: place them by time
        t0, t1 = min(known), max(known)
        pos = [(s - t0) / (t1 - t0) if t1 > t0 else 0.0 for s in known]
    else:
        pos = [i / max(len(utts) - 1, 1) for i in range(len(utts))]
    out: list[CourseSegment] = []
    for k in range(SEGMENTS):
        members = [u for u, p in zip(utts, pos) if min(int(p * SEGMENTS), SEGMENTS - 1) == k]
        talk = Counter(coding.codes[u.id].get("client_talk") for u in members if u.id in coding.codes)
        starts = [u.start for u in members if u.start is not None]
        out.append({"segment": k + 1, "of": SEGMENTS, "start": min(starts) if starts else None,
                    "end": max(u.end or u.start for u in members if u.start is not None) if starts else None,
                    "change": talk["change"], "neutral": talk["neutral"], "sustain": talk["sustain"],
                    "change_share": _pct(talk["change"], talk["change"] + talk["sustain"])})
    return out


def _client(transcript: Transcript, coding: CodingResult) -> ClientTalk:
    talk = Counter(c["client_talk"] for c in coding.codes.values() if c.get("client_talk"))
    return {
        "utterances_coded": sum(talk.values()),
        "counts": {k: talk[k] for k in ("change", "neutral", "sustain")},
        "change_to_sustain_ratio": _ratio(talk["change"], talk["sustain"]),
        "percent_change_of_change_and_sustain": _pct(talk["change"], talk["change"] + talk["sustain"]),
        "course": _segments(transcript, coding),
        "course_unit": "fifths of the session" + (" by time" if all(
            u.start is not None for u in transcript.utterances) else " by utterance order"),
    }


def mi_measures(transcript: Transcript, coding: CodingResult) -> MiMeasures:
    """{"interventions": {...}, "client_talk": {...}} — plain JSON-able numbers, None where undefined."""
    return {"interventions": _therapist(coding), "client_talk": _client(transcript, coding)}
