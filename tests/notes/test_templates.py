"""User templates render in a sandbox; escapes, runaway loops and broken syntax are refused cleanly."""

from __future__ import annotations

import time

import pytest

from sessionlens.errors import InputError
from sessionlens.notes import draft_note
from sessionlens.notes.templates import render_template

from .helpers import demo

GOOD = """{{ note.title }} ({{ note.status }})
{% for s in note.sections %}{{ s.title|upper }}:
{% for x in s.sentences %}- {{ x.text }}{% if x.evidence %} [{{ x.evidence|join(', ') }}]{% endif %}
{% endfor %}{% endfor %}PLAN ONLY: {{ sections.plan.sentences|length }}"""


@pytest.fixture(scope="module")
def note():
    return draft_note(demo(), "soap", detail="full")  # the long note: loops over it run away


def test_a_practice_template_renders(note):
    out = render_template(GOOD, note)
    assert out.startswith("SOAP progress note (draft)")
    assert "RELATIONAL PROCESS:" in out and "[u146, u147]" in out


@pytest.mark.parametrize("source", [
    "{{ ().__class__.__mro__[1].__subclasses__() }}",
    "{{ note.__class__ }}",
    "{{ note.sections.__len__ }}",
    "{{ ''.__class__.__base__ }}",
    "{{ range.__globals__ }}",
    "{{ note.format.format.__globals__ }}",
    "{% set x = note.sections.append(1) %}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ self._TemplateReference__context }}",
])
def test_sandbox_escapes_are_refused(note, source):
    with pytest.raises(InputError, match="sandbox refuses|failed|undefined"):
        render_template(source, note)


@pytest.mark.parametrize("source", [
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{{ 'x' * 100000000 }}",
    "{{ 9 ** 9 ** 9 }}",
    "{% for s in note.sections %}{% for a in s.sentences %}{% for b in s.sentences %}{% for c in s.sentences %}"
    "{% for d in s.sentences %}{% for e in s.sentences %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
    "{% endfor %}{% endfor %}",
    "{{ ('a'" + "|replace('a','aaaaaaaaaa')" * 12 + ")|length }}",
])
def test_runaway_templates_are_stopped(note, source):
    t0 = time.monotonic()
    with pytest.raises(InputError):
        render_template(source, note, timeout=5)
    assert time.monotonic() - t0 < 10


def test_syntax_error_names_the_line(note):
    with pytest.raises(InputError, match="syntax error, line 2"):
        render_template("ok\n{% if %}", note)


def test_oversized_template_is_refused(note):
    with pytest.raises(InputError, match="larger than"):
        render_template("x" * 70_000, note)
