"""The clinical-coding analyzer: intervention codes, change talk and MI measures in every analysis."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from ..config import Settings
from ..domain import Transcript
from ..payloads.metrics import ClientTalk, Interventions, MiMeasures
from .coding import code_transcript, mi_measures, premature_advice
from .pipeline import AnalyzerOutput, register


def _num(value: float | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value:g}{suffix}"


class CodingAnalyzer:
    name = "coding"
    title = "Interventions and change talk"

    def __call__(self, transcript: Transcript, settings: Settings) -> AnalyzerOutput:
        coding = code_transcript(transcript, use_encoder=bool(settings["coding_encoder"]))
        flags = premature_advice(transcript, coding)
        measures = mi_measures(transcript, coding)
        return AnalyzerOutput(
            # metrics.interventions and metrics.client_talk are the published names (issue contract).
            metrics={"model": coding.model},
            sections=measures,
            findings=tuple(coding.findings) + tuple(flags),
            utterance_fields={uid: {"codes": codes} for uid, codes in coding.codes.items()},
        )

    def describe(self, metrics: MiMeasures) -> list[str]:
        lines = _therapist_lines(metrics.get("interventions") or {})
        lines += _client_lines(metrics.get("client_talk") or {})
        return lines


def _therapist_lines(m: Interventions) -> list[str]:
    if not m.get("utterances_coded"):
        return []
    q, r = m["questions"], m["reflections"]
    ref = cast(Mapping[str, Any], m["reference"])  # measures.REFERENCE: MITI ranges, published untyped
    return [
        f"Therapist utterances coded: {m['utterances_coded']} — questions {m['counts'].get('question', 0)} "
        f"({q['open']} open, {q['closed']} closed), reflections {m['counts'].get('reflection', 0)} "
        f"({r['simple']} simple, {r['complex']} complex), input {m['counts'].get('therapist_input', 0)}.",
        f"Reflection-to-question ratio {_num(m['reflection_to_question_ratio'])}; complex reflections "
        f"{_num(r['percent_complex'], '%')}; open questions {_num(q['percent_open'], '%')}. "
        f"For context, MITI 4.2.1 describes R:Q {ref['reflection_to_question_ratio']['fair']:g}:1 as fair and "
        f"{ref['reflection_to_question_ratio']['good']:g}:1 as good, and {ref['percent_complex_reflections']['fair']:g}% "
        f"/ {ref['percent_complex_reflections']['good']:g}% complex reflections.",
        f"MI-adherent behaviours {m['mi_adherent']}, MI-non-adherent {m['mi_non_adherent']}, "
        f"advice without permission {m['advice_without_permission']}. These are model estimates; codes can be corrected.",
    ]


def _client_lines(m: ClientTalk) -> list[str]:
    if not m.get("utterances_coded"):
        return []
    c = m["counts"]
    course = ", ".join(f"{seg['change']}:{seg['sustain']}" for seg in m.get("course", []))
    return [
        f"Client utterances coded: {m['utterances_coded']} — change talk {c.get('change', 0)}, "
        f"sustain talk {c.get('sustain', 0)}, neutral {c.get('neutral', 0)}; "
        f"change-to-sustain ratio {_num(m['change_to_sustain_ratio'])}.",
        f"Change:sustain across the {m.get('course_unit', 'session')}: {course}.",
    ]


register(CodingAnalyzer())
