"""Client-initiated topics: a recurring theme whose first mention in the session is the client's, unprompted
by the turns just before, and explicit topic openings ("I wanted to talk about ...")."""

from __future__ import annotations

from ...domain import Evidence, Finding, Role, Transcript, Utterance
from ...payloads.findings import ClientTopicData
from ..textcues import compile_cues, norm, quote
from ..theme_lexicon import THEMES

SOURCE = "relational-client-topic-v1"
LOOKBACK = 4  # utterances before the client's mention that must not mention the theme
MIN_SESSION_MENTIONS = 3  # only themes that recur in the session count as topics
OPENING = compile_cues(
    [
        r"i (?:wanted|want|need|meant) to (?:talk|tell you) about",
        r"can i (?:tell you|talk) about",
        r"something (?:else )?(?:happened|i wanted)",
        r"by the way",
        r"another thing",
        r"(?:oh|and) (?:also|one more thing)",
        r"i'?ve been (?:meaning|wanting) to (?:say|tell|ask)",
    ]
)


def _mentions(t: Transcript) -> list[dict[str, str]]:
    out = []
    for u in t.utterances:
        text = norm(u.text)
        out.append({name: m.group(0) for name, rx in THEMES.items() if (m := rx.search(text))})
    return out


def client_topic_findings(t: Transcript) -> list[Finding]:
    per_utt = _mentions(t)
    totals = {name: sum(name in h for h in per_utt) for name in THEMES}
    out: list[Finding] = []
    seen: set[str] = set()
    for i, (u, hits) in enumerate(zip(t.utterances, per_utt)):
        if u.role == Role.CLIENT and (m := OPENING.search(norm(u.text))):
            out.append(_finding(u, "new topic", m.group(0), "the client opened a topic in their own words"))
        for name, word in hits.items():
            if name in seen:
                continue
            seen.add(name)
            prompted = any(name in h for h in per_utt[max(0, i - LOOKBACK) : i])
            if u.role == Role.CLIENT and not prompted and totals[name] >= MIN_SESSION_MENTIONS:
                out.append(
                    _finding(
                        u,
                        name,
                        word,
                        f"first mention of {name} in the session was the client's, "
                        f"and it came up {totals[name]} times in all",
                    )
                )
    return out


def _finding(u: Utterance, label: str, cue: str, why: str) -> Finding:
    return Finding(
        "client_initiated_topic",
        label,
        0.6,
        (Evidence((u.id,), u.start, u.end, f'"{quote(u.text, 80)}"'),),
        SOURCE,
        f'{why} (cue "{cue}").',
        ClientTopicData(theme=label, cue=cue),
    )
