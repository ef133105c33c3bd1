"""The affect and relational analyzers (issue 6), registered into the pipeline on import.

Each is a thin adapter: the work is done by the pure functions in emotions, themes, silence_context,
relational and risk; here they get their settings, share the emotion scores, and say in plain,
descriptive sentences what they found (never a grade).
"""

from __future__ import annotations

from functools import lru_cache

from ..config import Settings
from ..domain import Transcript
from ..payloads.analysis_emotions import EmotionsMetrics
from ..payloads.analysis_relational import RelationalMetrics
from ..payloads.analysis_sections import SilenceContextMetrics, ThemesMetrics, ThemeSummary
from ..payloads.metrics import RiskSummary
from . import emotion_model
from .emotions import UtteranceEmotion, arc_findings, score, session_emotions, utterance_fields
from .pipeline import AnalyzerOutput, register
from .relational import relational_moments
from .risk import CATEGORIES, CATEGORY_NAMES, NOT_ASSESSED, NOT_DISCUSSED, risk_findings
from .silence import find_silences, silences_measurable
from .silence_context import describe_silences, sentence, silence_finding
from .themes import session_themes, theme_finding

LONG_SILENCE_FACTOR = (
    3.0  # a silence this many times the threshold, left by the client, is a withdrawal marker
)


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "?"
    m, s = divmod(int(round(seconds)), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"


@lru_cache(maxsize=2)
def _scores(t: Transcript, encoder: bool) -> tuple[UtteranceEmotion, ...]:
    # Shared by the emotion, theme and silence analyzers within one analysis run.
    return tuple(score(t, emotion_model.default_model(encoder)))


def _encoder(settings: Settings) -> bool:
    return bool(settings["emotion_encoder"])


def _threshold(settings: Settings) -> float:
    return float(settings["silence_threshold"])


class EmotionsAnalyzer:
    name = "emotions"
    title = "Emotions and their arc"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        scored = _scores(t, _encoder(settings))
        metrics = session_emotions(t, scored)
        metrics["model"] = {
            "source": "GoEmotions (Apache-2.0)",
            **emotion_model.default_model().meta.get("dev_macro_f1", {}),
        }
        return AnalyzerOutput(metrics, tuple(arc_findings(metrics, t)), utterance_fields(scored))

    def describe(self, m: EmotionsMetrics) -> list[str]:
        lines = []
        if m.get("low_confidence"):
            lines.append(
                "Little English text the emotion model could read: treat these indications with caution."
            )
        for role, arc in m.get("roles", {}).items():
            segs = [s for s in arc["segments"] if s["dominant"]]
            if not segs:
                continue
            path = ", ".join(f"{s['dominant']} ({s['intensity']:.2f})" for s in segs)
            lines.append(
                f"{role.capitalize()}: the most present emotion in each fifth of the session (intensity): {path}; "
                f"mean intensity {arc['mean_intensity']:.2f} (0.5 = at the model's decision threshold)."
            )
        if lines:
            lines.append(
                "Scores come from a text classifier trained on Reddit comments; sarcasm and context are missed."
            )
        return lines or ["No utterances the emotion model could score."]


class ThemesAnalyzer:
    name = "themes"
    title = "Themes"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        themes = session_themes(t, _background_idf())
        findings = tuple(theme_finding(th) for th in themes)
        metrics: ThemesMetrics = {
            "themes": [
                ThemeSummary(name=f.label, mentions=f.data["mentions"], by_client=f.data["by_client"],
                             first_start=f.data["first_start"], source=f.source)
                for f in findings
            ],
            "method": "curated lexicons + TF-IDF keyword groups",
        }
        return AnalyzerOutput(metrics, findings)

    def describe(self, m: ThemesMetrics) -> list[str]:
        themes = m.get("themes", [])
        if not themes:
            return ["No recurring theme was found in the words of this session."]
        listed = "; ".join(
            f"{th['name']} ({th['mentions']} utterances, {th['by_client']} by the client, first at "
            f"{clock(th['first_start'])})"
            for th in themes[:8]
        )
        return [f"Recurring themes, most mentioned first: {listed}."]


def _background_idf():
    """General-English rarity of a word, from the emotion model's word IDF (GoEmotions)."""
    vec = emotion_model.default_model().featurizer.word
    vocab, idf = vec.vocabulary_, vec.idf_
    top = float(idf.max())
    return lambda w: float(idf[vocab[w]]) if w in vocab else top


class SilenceContextAnalyzer:
    name = "silence_context"
    title = "What the silences followed"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        why_not = silences_measurable(t)
        if why_not:
            return AnalyzerOutput({"measurable": False, "reason": why_not, "silences": []})
        intensity = {e.utterance.id: e.intensity for e in _scores(t, _encoder(settings)) if e.weight > 0}
        contexts = describe_silences(t, find_silences(t, _threshold(settings)), intensity)
        metrics: SilenceContextMetrics = {
            "measurable": True,
            "threshold": _threshold(settings),
            "silences": [
                {
                    "start": c.silence.start,
                    "duration": c.silence.duration,
                    "context": c.context,
                    "broken_by": c.broken_by,
                    "sentence": sentence(c),
                }
                for c in contexts
            ],
        }
        return AnalyzerOutput(metrics, tuple(silence_finding(c, t) for c in contexts))

    def describe(self, m: SilenceContextMetrics) -> list[str]:
        if not m.get("measurable", False):
            return [f"Silences were not described: {m.get('reason', 'no times')}."]
        items = m.get("silences", [])
        if not items:
            return [f"No silence of {m['threshold']:g} s or more was measured."]
        return [f"At {clock(s['start'])}: {s['sentence']}" for s in items[:12]]


class RelationalAnalyzer:
    name = "relational"
    title = "Relational moments"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        silences = find_silences(t, _threshold(settings)) if not silences_measurable(t) else ()
        findings, metrics = relational_moments(
            t, silences, long_silence=LONG_SILENCE_FACTOR * _threshold(settings)
        )
        return AnalyzerOutput(metrics, tuple(findings))

    def describe(self, m: RelationalMetrics) -> list[str]:
        c = m.get("counts", {})
        lines = [
            f'"Yes, but" chains (two or more suggestions in a row each met with "yes, but"): '
            f'{c.get("yes_but_chain", 0)}; single "yes, but" replies to a suggestion: {c.get("yes_but_replies", 0)}.',
            f"Rupture markers (confrontation or withdrawal): {c.get('rupture', 0)} episode(s); "
            f"{m.get('ruptures_followed_by_repair', 0)} followed by repair attempts from the therapist.",
            f"Here-and-now talk: {c.get('here_and_now', 0)} utterance(s). Client-initiated topics: "
            f"{c.get('client_initiated_topic', 0)}. Therapist self-disclosure: {c.get('self_disclosure', 0)}.",
        ]
        for mo in m.get("moments", []):
            ids = mo["utterance_ids"]
            span = ids[0] if len(ids) == 1 else f"{ids[0]}–{ids[-1]}"
            lines.append(f"At {clock(mo['start'])} ({span}): {mo['label']}.")
        if m.get("client_initiated_topics"):
            lines.append(
                "Topics the client brought up first: " + ", ".join(m["client_initiated_topics"]) + "."
            )
        for role, tf in m.get("tense_focus", {}).items():
            sh = tf["share"]
            if sh["past"] is not None:
                lines.append(
                    f"Tense focus, {role}: past {sh['past']:.0%}, present {sh['present']:.0%}, "
                    f"future {sh['future']:.0%} of verb markers."
                )
        return lines


class RiskAnalyzer:
    name = "risk"
    title = "Risk language for review"

    def __call__(self, t: Transcript, settings: Settings) -> AnalyzerOutput:
        findings, summary = risk_findings(t, model=bool(settings["risk_model"]))
        return AnalyzerOutput(summary, tuple(findings))

    def describe(self, m: RiskSummary) -> list[str]:
        if m.get("status") == NOT_ASSESSED:
            return [m["note"]]
        if m.get("status") == NOT_DISCUSSED:
            return [
                "Risk language was not found in the transcript: not discussed. This does not say that risk is "
                "absent, only that none of the words this tool looks for were transcribed."
            ]
        lines = [
            "Words touching on risk were found; each is listed under findings with its exact words and time, "
            "for the clinician's review."
        ]
        for cat in CATEGORIES:
            c = m["categories"][cat]
            if c["mentions"]:
                extra = [f"{c['negated']} negated"] if c["negated"] else []
                if c["asked_by_therapist"]:
                    extra.append(f"{c['asked_by_therapist']} in the therapist's questions")
                lines.append(
                    f"{CATEGORY_NAMES[cat].capitalize()}: {c['mentions']} mention(s)"
                    + (f" ({'; '.join(extra)})" if extra else "")
                    + "."
                )
            else:
                lines.append(f"{CATEGORY_NAMES[cat].capitalize()}: not discussed.")
        return lines


for _analyzer in (
    EmotionsAnalyzer(),
    ThemesAnalyzer(),
    SilenceContextAnalyzer(),
    RelationalAnalyzer(),
    RiskAnalyzer(),
):
    register(_analyzer)
