"""The statement analyzers (issue 18): plans and goals, the client's statements, the therapist's techniques,
registered into the pipeline on import. Thin adapters over plans, statements and techniques; notes are
written from their findings."""

from __future__ import annotations

from collections import Counter
from ..config import Settings
from ..domain import Transcript
from ..payloads.analysis_sections import PlansMetrics, StatementsMetrics, TechniquesMetrics
from .pipeline import AnalyzerOutput, register
from .plans import plan_findings
from .statements import statement_findings
from .techniques import technique_findings


class PlansAnalyzer:
    name = "plans"
    title = "Plans and goals"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        found = plan_findings(t)
        plans = Counter(f.label for f in found if f.kind == "plan")
        return AnalyzerOutput({"plans": dict(plans), "goals": sum(f.kind == "goal" for f in found)}, tuple(found))

    def describe(self, m: PlansMetrics) -> list[str]:
        plans = m.get("plans") or {}
        if not plans and not m.get("goals"):
            return ["No plan, homework, next appointment or stated goal was identified."]
        kinds = ", ".join(f"{k} {n}" for k, n in sorted(plans.items()))
        return [f"Plans identified: {sum(plans.values())}{f' ({kinds})' if kinds else ''}; goals stated by the "
                f"client: {m.get('goals', 0)}."]


class StatementsAnalyzer:
    name = "client_statements"
    title = "Client statements"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        plan_ids = {i for f in plan_findings(t) for e in f.evidence for i in e.utterance_ids}
        found = statement_findings(t, plan_ids)
        return AnalyzerOutput({"counts": dict(Counter(f.kind for f in found))}, tuple(found))

    def describe(self, m: StatementsMetrics) -> list[str]:
        counts = m.get("counts") or {}
        if not counts.get("concern"):
            return ["No concern was identified from the client's statements."]
        return [f"Concerns identified from the client's statements: {counts['concern']}."]


class TechniquesAnalyzer:
    name = "techniques"
    title = "Therapist techniques"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        found = technique_findings(t)
        return AnalyzerOutput({"named": [f.label for f in found if f.kind == "technique"],
                               "safety_questions": sum(f.kind == "safety_screen" for f in found)}, tuple(found))

    def describe(self, m: TechniquesMetrics) -> list[str]:
        named = list(dict.fromkeys(m.get("named") or []))
        lines = [f"Techniques identified: {', '.join(named)}."] if named else []
        if m.get("safety_questions"):
            lines.append(f"Direct safety questions asked: {m['safety_questions']}.")
        return lines or ["No named technique was identified."]


register(PlansAnalyzer())
register(StatementsAnalyzer())
register(TechniquesAnalyzer())
