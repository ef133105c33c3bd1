"""Themes within a session and across a client's sessions.

Method (and why): curated lexicons named in a clinician's words (``theme_lexicon``), plus recurring
keywords the lexicons do not cover, ranked TF-IDF-style (count in the session × how rare the word is in
general English, taken from the packaged emotion model's word IDF over GoEmotions) and grouped by the
utterances they share. A lexicon keeps every theme explainable: each one quotes the words that put it there.
Themes by meaning across sessions (MiniLM sentence vectors, clustered) are in ``theme_clusters.py``.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..domain import Evidence, Finding, Role, Transcript, Utterance
from ..payloads.findings import ThemeData
from .textcues import norm, quote
from .theme_lexicon import THEMES

SOURCE = "themes-lexicon-v1"
KEYWORD_SOURCE = "themes-keywords-v1"
MIN_MENTIONS = 2  # a theme needs at least this many utterances to be reported
MAX_EVIDENCE = 6
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+")
_STOP = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before being
below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few
for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself
his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself no nor
not of off on once only or other ought our ours ourselves out over own same shan't she she'd she'll she's should
shouldn't so some such than that that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those through to too under until up very was wasn't we we'd we'll we're we've were weren't what
what's when when's where where's which while who who's whom why why's with won't would wouldn't you you'd you'll
you're you've your yours yourself yourselves yeah yes okay ok like just really know think mean kind sort thing things
get got going gonna want well maybe right mm hmm uh um oh actually feel feels felt say said tell told much also even
still something anything everything nothing one two lot bit way time day week today now then guess sure good go
make made come came back see let take little pretty every never always sometimes probably bad""".split()
)


@dataclass(frozen=True, slots=True)
class Mention:
    utterance_id: str
    role: Role
    start: float | None
    end: float | None
    words: tuple[str, ...]  # the cue words that matched
    text: str  # a short quote of the utterance


@dataclass(frozen=True, slots=True)
class Theme:
    name: str
    mentions: tuple[Mention, ...]
    source: str = SOURCE
    keywords: tuple[str, ...] = field(default=())

    @property
    def first_start(self) -> float | None:
        return self.mentions[0].start if self.mentions else None

    def count(self, role: Role | None = None) -> int:
        return sum(role is None or m.role == role for m in self.mentions)


def lexicon_themes(t: Transcript, min_mentions: int = MIN_MENTIONS) -> list[Theme]:
    found: dict[str, list[Mention]] = defaultdict(list)
    for u in t.utterances:
        text = norm(u.text)
        for name, rx in THEMES.items():
            words = tuple(dict.fromkeys(m.group(0).lower() for m in rx.finditer(text)))
            if words:
                found[name].append(Mention(u.id, u.role, u.start, u.end, words, quote(u.text)))
    themes = [Theme(n, tuple(ms)) for n, ms in found.items() if len(ms) >= min_mentions]
    return sorted(themes, key=lambda th: -len(th.mentions))


def keyword_themes(
    t: Transcript,
    background_idf: Callable[[str], float] | None = None,
    limit: int = 5,
    lexicon: Sequence[Theme] | None = None,
) -> list[Theme]:
    """Recurring words outside every lexicon (names, places, activities), grouped by shared utterances."""
    lexicon = lexicon_themes(t, 1) if lexicon is None else lexicon
    covered = {w for th in lexicon for m in th.mentions for w in m.words}
    per_word: dict[str, list[Utterance]] = defaultdict(list)
    lexical: dict[str, bool] = {}  # memo: is this word one a lexicon would match?
    for u in t.utterances:
        for w in {w.lower() for w in _WORD.findall(norm(u.text))}:
            if len(w) > 2 and w not in _STOP and w not in covered:
                if w not in lexical:
                    lexical[w] = _lexicon_word(w)
                if not lexical[w]:
                    per_word[w].append(u)
    idf = background_idf or (lambda w: 1.0)
    scored = sorted(((len(us) * idf(w), w) for w, us in per_word.items() if len(us) >= 3), reverse=True)
    groups = _group([w for _, w in scored[: limit * 3]], per_word)
    return [_keyword_theme(g, per_word) for g in groups[:limit]]


def _lexicon_word(w: str) -> bool:
    return any(rx.fullmatch(w) for rx in THEMES.values())


def _group(words: list[str], per_word: dict[str, list[Utterance]]) -> list[list[str]]:
    """Greedy grouping: a word joins a group when it shares at least half its utterances with the group's head."""
    groups: list[list[str]] = []
    ids_of = {w: {u.id for u in per_word[w]} for w in words}
    for w in words:
        ids = ids_of[w]
        for g in groups:
            head = ids_of[g[0]]
            if len(ids & head) >= 0.5 * min(len(ids), len(head)):
                g.append(w)
                break
        else:
            groups.append([w])
    return groups


def _keyword_theme(words: list[str], per_word: dict[str, list[Utterance]]) -> Theme:
    utts = {u.id: u for w in words for u in per_word[w]}
    ids_of = {w: {u.id for u in per_word[w]} for w in words}
    ordered = sorted(utts.values(), key=lambda u: (u.start if u.start is not None else math.inf, u.id))
    mentions = tuple(
        Mention(u.id, u.role, u.start, u.end, tuple(w for w in words if u.id in ids_of[w]), quote(u.text))
        for u in ordered
    )
    return Theme(
        "recurring words: " + ", ".join(f'"{w}"' for w in words[:3]), mentions, KEYWORD_SOURCE, tuple(words)
    )


def session_themes(t: Transcript, background_idf: Callable[[str], float] | None = None) -> list[Theme]:
    every = lexicon_themes(t, 1)
    return [th for th in every if len(th.mentions) >= MIN_MENTIONS] + keyword_themes(
        t, background_idf, lexicon=every
    )


def theme_finding(th: Theme) -> Finding:
    client = th.count(Role.CLIENT)
    words = Counter(w for m in th.mentions for w in m.words)
    ev = tuple(Evidence((m.utterance_id,), m.start, m.end, f'"{m.text}"') for m in _spread(th.mentions))
    conf = round(min(0.9, 0.3 + 0.1 * len(th.mentions) + (0.1 if client else 0.0)), 2)
    explanation = f"{len(th.mentions)} utterances ({client} by the client) used cue words: " + ", ".join(
        f'"{w}" ×{n}' for w, n in words.most_common(6)
    )
    data: ThemeData = {
        "mentions": len(th.mentions),
        "by_client": client,
        "by_therapist": th.count(Role.THERAPIST),
        "first_utterance": th.mentions[0].utterance_id,
        "first_start": th.first_start,
        "cue_words": dict(words.most_common(10)),
        "utterance_ids": [m.utterance_id for m in th.mentions],
    }
    return Finding("theme", th.name, conf, ev, th.source, explanation, data)


def _spread(ms: Sequence[Mention]) -> list[Mention]:
    """Up to MAX_EVIDENCE mentions spread across the session (first, last and evenly between)."""
    if len(ms) <= MAX_EVIDENCE:
        return list(ms)
    step = (len(ms) - 1) / (MAX_EVIDENCE - 1)
    return [ms[round(i * step)] for i in range(MAX_EVIDENCE)]


# --- across sessions -------------------------------------------------------------------------------------

FIRST = "first appeared"
RECURRING = "recurring"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    session: str
    mentions: int
    marker: str | None  # FIRST, RECURRING, or None where the theme is absent from this session
    evidence: tuple[Mention, ...] = ()


@dataclass(frozen=True, slots=True)
class ThemeTimeline:
    theme: str
    first_session: str
    sessions_with_theme: int
    recurring: bool
    entries: tuple[TimelineEntry, ...]


def theme_timeline(sessions: Sequence[tuple[str, Sequence[Theme]]]) -> list[ThemeTimeline]:
    """Per theme, in session order: "first appeared" where it first shows, "recurring" wherever it returns."""
    names = list(
        dict.fromkeys(th.name for _, themes in sessions for th in themes if th.source == SOURCE)
    )  # keyword groups are session-specific
    out = []
    for name in names:
        entries, seen = [], False
        for label, themes in sessions:
            th = next((x for x in themes if x.name == name), None)
            marker = None if th is None else (RECURRING if seen else FIRST)
            seen = seen or th is not None
            entries.append(
                TimelineEntry(
                    label, len(th.mentions) if th else 0, marker, tuple(th.mentions[:3]) if th else ()
                )
            )
        present = [e for e in entries if e.marker]
        out.append(ThemeTimeline(name, present[0].session, len(present), len(present) > 1, tuple(entries)))
    return sorted(out, key=lambda tl: (-tl.sessions_with_theme, tl.theme))


def themes_across_sessions(transcripts: Sequence[tuple[str, Transcript]]) -> list[ThemeTimeline]:
    """Convenience: lexicon themes of each (label, transcript) in the order given, as a timeline."""
    return theme_timeline([(label, lexicon_themes(t)) for label, t in transcripts])
