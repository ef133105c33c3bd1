"""Regular-expression recognizers beside the statistical model: ages, street addresses, phone
numbers and dates in the shapes people say and type them, and names that context gives away
("my sister Ana", "Dr. Okafor"), which the small spaCy model often misses."""

from __future__ import annotations

import re

from .spans import Span

MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
         r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_STREET = (r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Place|Pl|Way|Terrace|"
           r"Close|Crescent|Parkway|Pkwy|Highway|Hwy|Square|Sq)\.?")
RELATIONS = (r"(?:friend|best friend|boyfriend|girlfriend|partner|wife|husband|fianc[ée]e?|ex|son|daughter|"
             r"brother|sister|mom|mum|mother|dad|father|aunt|uncle|cousin|nephew|niece|grandma|grandpa|"
             r"grandmother|grandfather|boss|manager|coworker|co-worker|colleague|roommate|neighbou?r|"
             r"teacher|coach|doctor|therapist|psychiatrist|kid|baby|stepdad|stepmom|stepson|stepdaughter|"
             r"buddy|pal|sponsor|lawyer|landlord|supervisor)")
_NAME = r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?"

# (entity, name, regex, score)
PATTERNS: list[tuple[str, str, str, float]] = [
    ("AGE", "age years", r"\b(\d{1,3})(?:\s|-)(?:years?|yrs?)(?:\s|-)old\b", 0.85),
    ("AGE", "age words", r"(?i)\b(?:aged?|age of|turn(?:ed|s|ing)?|birthday,? (?:I|she|he) was)\s+(\d{1,3})\b", 0.7),
    ("AGE", "age i'm", (r"\b(?:I|(?i:she|he|they|who))(?:'m|'s|'re| am| is| was| were)\s+(\d{1,3})"
     r"(?=\s*(?:now|,|\.|$|and|years|next|this|when|at))"), 0.6),
    ("AGE", "age name is", r"\b[A-Z][a-z]+(?:'s| is| was)\s+(\d{1,3})(?=\s*(?:now|,|\.|$|and|years|next|this))", 0.5),
    ("STREET_ADDRESS", "street", rf"\b\d{{1,5}}\s+(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}(?=\W|$)", 0.85),
    ("STREET_ADDRESS", "unit", r"(?i)\b(?:apartment|apt\.?|unit|suite|flat)\s*#?\s*\d+[A-Z]?\b", 0.6),
    ("STREET_ADDRESS", "zip", r"\b\d{5}(?:-\d{4})?\b(?=\s*(?:$|[.,]))", 0.3),
    ("PHONE_NUMBER", "phone us", r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?!\d)", 0.75),
    ("PHONE_NUMBER", "phone uk", r"(?<!\d)(?:\+44\s?|0)\d{2,4}\s?\d{3,4}\s?\d{3,4}(?!\d)", 0.6),
    ("DATE_TIME", "date numeric", r"\b(?:[0-3]?\d[/.-][0-3]?\d[/.-](?:19|20)?\d\d|(?:19|20)\d\d-[01]\d-[0-3]\d)\b", 0.85),
    ("DATE_TIME", "date month day", rf"\b{MONTH}\.?\s+{_DAY}(?:,?\s+(?:19|20)\d\d)?\b", 0.8),
    ("DATE_TIME", "date day month", rf"\b(?:the\s+)?{_DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+(?:19|20)\d\d)?\b", 0.8),
    ("DATE_TIME", "date month year", rf"\b{MONTH}\s+(?:of\s+)?(?:19|20)\d\d\b", 0.8),
    ("DATE_TIME", "year", r"\b(?:in|since|from|until|by|of|back in)\s+((?:19|20)\d\d)\b", 0.6),
    ("PERSON", "relation name", rf"\b(?i:my|our|her|his|their|your)\s+{RELATIONS}\s+({_NAME})\b", 0.7),
    ("PERSON", "title name", rf"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof)\.?\s+({_NAME}(?:\s+{_NAME})?)", 0.8),
    ("PERSON", "named", rf"\b(?:named|called|name is|name's)\s+({_NAME}(?:\s+{_NAME})?)", 0.6),
    ("ORGANIZATION", "org suffix", (r"\b(?:[A-Z][A-Za-z&']+\s+){1,4}(?:Hospital|Clinic|School|Elementary|High|"
     r"University|College|Academy|Inc|Corp|Corporation|LLC|Ltd|Bank|Church|Center|Centre|Group|Company|"
     r"Foundation|Institute|Department|Police)\b"), 0.6),
]


_COMPILED = [(e, name, re.compile(rx), score) for e, name, rx, score in PATTERNS]


def pattern_spans(text: str) -> list[Span]:
    """Every pattern match (its first group when it has one: "my sister Ana" yields "Ana")."""
    out = []
    for entity, name, rx, score in _COMPILED:
        for m in rx.finditer(text):
            g = 1 if m.re.groups else 0
            if m.start(g) < m.end(g):
                out.append(Span(m.start(g), m.end(g), entity, score, name))
    return out
