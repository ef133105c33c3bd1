"""The grounding check: every kept sentence must rest on the transcript.

A transcript-based sentence needs evidence ids that exist, enough of its content words found in the
cited utterances (or named by a topic those utterances are about), every number it states found
there too, and a "denied" only where the cited client reply is a "no". An absence sentence ("Risk:
not assessed in this session") is supported only if its check, re-run on the transcript, still
holds. Unsupported sentences are removed (default) or kept and marked, by setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from ..analysis import statement_cues as cues
from ..analysis.result import SessionAnalysis
from ..analysis.risk.detect import scan_text
from ..analysis.view import View
from ..domain import Utterance
from .model import ABSENCE, CLINICIAN, UNSUPPORTED, Note, Section, Sentence
from .text import words

MIN_SUPPORT = 0.6  # share of a sentence's content words that the cited utterances must carry
MODES = ("remove", "mark")

# The writer's connective vocabulary: words that frame a claim rather than make one.
FRAMING = set("""
a an the and or but of to in on at for with by from as is are was were be been being it its this that these those
they them their themself there here client client's therapist therapist's session sessions reported stated said
says described describe asked asking answered answer discussed presented presenting
concerns concern about regarding specified offered offer used using questions question reflective reflections
listening information permission explore explored exploring affirmed efforts values suggestions suggestion direct
directly scaling proposal themes theme main linked reflected close mood words affect transcript records
thought content denied denies summarised summarized collaborative action
next invited relationship moment voiced discomfort direction acknowledged replied experience strain alliance
responded exchange continued replies run met also not any none no yes which what when how who whether would could
will can may might should further new during while before after then than so very more most less some many other
another one two three first last end start set shared agenda goal goals coded behaviours behaviors
most identified documented domains mental status listed later choice chose leave week weeks include included
included including statements statement favour favor change keeping things follow-up up emotion model indications
speech review clinician clinician's determine assessed assessment reflection approach towards toward into out
""".split())
# Claim words assert that something happened, so the evidence itself must carry each one: the word
# (or its stem) in the cited utterances, or an analysis finding resting on them whose label names it;
# an agreement word also needs an agreeing client reply. Never waved through as framing, so "Client
# agreed a safety plan." fails unless its evidence shows a safety plan agreed.
CLAIMS = set("""
agreed agree agrees committed commit commits confirmed confirm safety plan plans planning homework step steps
risk referral referred refer appointment crisis contract
""".split())
_AGREEMENT = {"agreed", "agree", "agrees", "confirmed", "confirm", "committed", "commit", "commits"}
_AGREE_REPLY = re.compile(r"^\W*(?:yes|yeah|yep|sure|ok|okay|sounds good|that works|i can|i will|i'll|"
                          r"absolutely|definitely|fine|deal|agreed|right|i think so|no,? that's it)\b", re.IGNORECASE)
_NUM = re.compile(r"\b\d+(?:[.,]\d+)?\b")
_SKIP_NUM = re.compile(r"\([^)]*\)|\b\d{1,2}:\d{2}(?::\d{2})?\b|\b\d+(?:\.\d+)?%")
_NUM_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
              "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "twenty": "20",
              "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "hundred": "100"}
_DENY = re.compile(r"\b(?:denied|denies|deny|denying)\b", re.IGNORECASE)


def stem(w: str) -> str:
    w = w.lower().strip("'")
    for suffix in ("'s", "ing", "ed", "es", "s", "ly"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    return w[:6]


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    reason: str = ""


# --- absence checks: re-checked against the analysis findings ------------------------------------

def _no_risk(a: SessionAnalysis, v: View) -> bool:
    """Risk is "not discussed" exactly when the risk analysis found nothing (its one detector)."""
    return not [f for f in a.findings if f.kind == "risk"]


# Absence statements are true exactly when the analysis (the one set of detectors) found nothing of the kind.

ABSENCE_CHECKS: dict[str, Callable[[SessionAnalysis, View], bool]] = {
    "no_risk_talk": _no_risk,
    "no_plan": lambda a, v: not any(f.kind == "plan" for f in a.findings),
    "no_relational_events": lambda a, v: not any(f.kind in ("rupture", "repair", "yes_but_chain", "here_and_now")
                                                 for f in a.findings),
    "mse_scope": lambda a, v: True,  # states what the transcript cannot show; true by construction
    "nothing_found": lambda a, v: True,
    "concise_scope": lambda a, v: True,  # says the concise note left a section to the full draft
    "one_partner": lambda a, v: sum(s.role.value == "client" for s in a.transcript.speakers) < 2,
}


# --- transcript-based sentences ---------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class _Index:
    """Per utterance: the findings resting on it (label words, non-risk labels, whether risk rests on it)."""

    words: dict[str, set[str]]
    labels: dict[str, list[str]]
    risk: set[str]


_LAST: list[tuple[SessionAnalysis, _Index]] = []  # the last analysis checked: a note's sentences share it


def _index(a: SessionAnalysis) -> _Index:
    if _LAST and _LAST[0][0] is a:
        return _LAST[0][1]
    idx = _Index({}, {}, set())
    for f in a.findings:
        fids = {i for e in f.evidence for i in e.utterance_ids}
        for i in fids | set(f.data.get("utterance_ids", []) or []):
            idx.words.setdefault(i, set()).update(words(f.label))
        for i in fids:
            if f.kind == "risk":
                idx.risk.add(i)
            elif f.label:
                idx.labels.setdefault(i, []).append(f.label)
    _LAST[:] = [(a, idx)]
    return idx


def _finding_words(a: SessionAnalysis, ids: set[str]) -> set[str]:
    """Words of the labels of findings (themes, relational events) that rest on the cited utterances."""
    idx = _index(a)
    return {w for i in ids for w in idx.words.get(i, ())}


def _supported_word(w: str, cited_stems: set[str], cited_text: str, labels: frozenset[str] | set[str] = frozenset()
                    ) -> bool:
    if stem(w) in cited_stems or w in labels or (w in FRAMING and w not in CLAIMS):
        return True
    if w in CLAIMS:
        return False
    # a topic's prose label ("grief", "alcohol") is supported when a cited utterance is on that topic
    return any(w in label.split() and rx.search(cited_text) for label, rx in cues.TOPICS.values())


def _numbers_ok(text: str, cited: str) -> bool:
    plain = _SKIP_NUM.sub(" ", text)
    cited_words = set(words(cited))
    cited_nums = set(_NUM.findall(cited)) | {_NUM_WORDS[w] for w in cited_words if w in _NUM_WORDS}
    return all(n in cited_nums for n in _NUM.findall(plain))


def check_sentence(s: Sentence, a: SessionAnalysis, v: View) -> Verdict:
    if s.basis == ABSENCE:
        check = ABSENCE_CHECKS.get(s.check)
        return Verdict(bool(check and check(a, v)), "" if check else "unknown absence check")
    if s.basis == CLINICIAN:
        return Verdict(True)
    if not s.evidence:
        return Verdict(False, "no evidence")
    if any(i not in v.index for i in s.evidence):
        return Verdict(False, "cites an utterance that is not in the transcript")
    utts = [v.utts[v.index[i]] for i in s.evidence]
    cited = " ".join(u.text for u in utts)
    stems = {stem(w) for w in words(cited)}
    content = [w for w in words(re.sub(r'"[^"]*"', lambda m: m.group(0), s.text)) if not w.isdigit()]
    if content:
        labels = _finding_words(a, set(s.evidence))
        share = sum(_supported_word(w, stems, cited, labels) for w in content) / len(content)
        if share < MIN_SUPPORT:
            return Verdict(False, f"only {share:.0%} of its words are in the cited utterances")
    if not _numbers_ok(s.text, cited):
        return Verdict(False, "states a number the cited utterances do not")
    if _DENY.search(s.text) and not any(u.role.value == "client" and cues.NEGATIVE_REPLY.search(u.text)
                                        for u in utts):
        return Verdict(False, "says 'denied' without a client 'no' in the evidence")
    return _claims_ok(s, a, utts, stems)


def _claims_ok(s: Sentence, a: SessionAnalysis, utts: list[Utterance], stems: set[str]) -> Verdict:
    said = set(words(s.text))
    labels = _finding_words(a, set(s.evidence))
    unsupported = [w for w in (said & CLAIMS) - _AGREEMENT if stem(w) not in stems and w not in labels]
    if unsupported:
        return Verdict(False, "makes a claim (" + ", ".join(sorted(unsupported)) + ") its evidence does not carry")
    if said & _AGREEMENT and not any(u.role.value == "client" and _AGREE_REPLY.search(u.text) for u in utts) \
            and not any(stem(w) in stems for w in said & _AGREEMENT):
        return Verdict(False, "says the client agreed without an agreeing client reply in the evidence")
    if scan_text(_without_labels(s.text, a, set(s.evidence))) and not _risk_rests_on(a, set(s.evidence)):
        return Verdict(False, "names risk language where the risk analysis found none")
    return Verdict(True)


def _without_labels(text: str, a: SessionAnalysis, ids: set[str]) -> str:
    """The sentence less the labels of the findings it rests on ("confrontation then withdrawal" names a
    rupture, not substance withdrawal): the analysis's own names are not risk talk."""
    idx = _index(a)
    for label in dict.fromkeys(lab for i in sorted(ids) for lab in idx.labels.get(i, ())):
        text = re.sub(re.escape(label), " ", text, flags=re.IGNORECASE)
    return text


def _risk_rests_on(a: SessionAnalysis, ids: set[str]) -> bool:
    return bool(_index(a).risk & ids)


@dataclass(frozen=True, slots=True)
class GroundingReport:
    checked: int
    kept: int
    removed: int
    marked: int
    reasons: tuple[str, ...]  # one per unsupported sentence: "section: reason" (no sentence text: no PHI)


def ground(note: Note, a: SessionAnalysis, mode: str = "remove") -> tuple[Note, GroundingReport]:
    if mode not in MODES:
        raise ValueError(mode)
    v = View(a.transcript)
    sections, reasons, checked, kept = [], [], 0, 0
    for sec in note.sections:
        out = []
        for s in sec.sentences:
            checked += 1
            verdict = check_sentence(s, a, v)
            if verdict.ok:
                out.append(s)
                kept += 1
                continue
            reasons.append(f"{sec.title}: {verdict.reason}")
            if mode == "mark":
                out.append(replace(s, status=UNSUPPORTED))
        sections.append(Section(sec.key, sec.title, tuple(out)))
    bad = len(reasons)
    report = GroundingReport(checked, kept, bad if mode == "remove" else 0, bad if mode == "mark" else 0,
                             tuple(reasons))
    return replace(note, sections=tuple(sections)), report
