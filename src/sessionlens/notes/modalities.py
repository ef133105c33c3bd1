"""Modality-aware templates: the note format (SOAP, DAP, BIRP, GIRP) plus a section in the language of
the clinician's approach, chosen per note (``note draft --modality``) or per client (the client's
``modality`` preference):

* ``cbt`` — thoughts, feelings and behaviours, and the homework set;
* ``mi`` — change talk and commitment;
* ``psychodynamic`` — the relational process (here and now, rupture and repair) moved up front;
* ``couples`` — each partner's perspective.

The section is written from the analysis findings like every other (slots in ``slots_modality``).
"""

from __future__ import annotations

from dataclasses import replace

from ..errors import InputError
from .formats import FormatSpec, SectionSpec

MODALITIES: dict[str, SectionSpec | None] = {
    "none": None,
    "cbt": SectionSpec("cbt", "CBT focus (thoughts, feelings, behaviours; homework)", ("cbt_cycle", "cbt_homework")),
    "mi": SectionSpec("mi", "MI focus (change talk and commitment)", ("change_talk", "commitment")),
    "psychodynamic": None,  # the relational section, moved up front
    "couples": SectionSpec("partners", "Each partner's perspective", ("partners",)),
}


def check_modality(name: str | None) -> str:
    m = (name or "none").strip().lower()
    if m not in MODALITIES:
        raise InputError(f"unknown modality {name!r}; choose one of: {', '.join(MODALITIES)}")
    return m


def apply_modality(spec: FormatSpec, modality: str | None) -> FormatSpec:
    """The format with the modality's section inserted before Risk (psychodynamic: Relational process
    second, right after the opening section)."""
    m = check_modality(modality)
    sections = list(spec.sections)
    if m == "psychodynamic" and any(s.key == "relational" for s in sections):
        rel = next(s for s in sections if s.key == "relational")
        sections.remove(rel)
        sections.insert(1, replace(rel, title="Relational process (here and now, rupture and repair)"))
    extra = MODALITIES[m]
    if extra is not None:
        sections.insert(next(k for k, s in enumerate(sections) if s.key == "risk"), extra)
    return replace(spec, sections=tuple(sections))
