"""Generate ``docs/analysis.schema.json`` from the typed payloads (``sessionlens.payloads``).

``python -m sessionlens.schema`` rewrites the file; ``--check`` exits 1 when the committed file differs.
Each typed finding kind gets its own branch (``kind`` fixed, ``data`` its payload); a kind not typed yet
is allowed with any ``data``, but can never pass as a typed one.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from typing_extensions import TypedDict

from .payloads import document, findings, metrics

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "analysis.schema.json"
SCHEMA_ID = "https://sessionlens.invalid/schema/analysis-1.json"  # an identifier, never fetched
_MODULES = (document, findings, metrics)


def _kind_branch(kind: str, data: type) -> type:
    """The finding TypedDict whose ``kind`` is ``kind`` and whose ``data`` is ``data``."""
    name = "".join(p.title() for p in kind.split("_")) + "Finding"
    fields = {**document.FindingJson.__annotations__, "kind": Literal[kind], "data": data}
    make: Any = TypedDict  # called with a computed name, which the static TypedDict form cannot take
    branch: type = make(name, fields)
    branch.__doc__ = f"A {kind.replace('_', ' ')} finding."
    return branch


def _use_attribute_docstrings() -> None:
    """Let pydantic read the field docstrings of every payload TypedDict as descriptions."""
    for module in _MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, dict) and hasattr(value, "__required_keys__"):
                value.__pydantic_config__ = {"use_attribute_docstrings": True}  # type: ignore[attr-defined]  # read by pydantic


def _strip_titles(node: object) -> object:
    """Drop pydantic's generated ``title`` entries (they repeat the field names)."""
    if isinstance(node, dict):
        return {k: _strip_titles(v) for k, v in node.items() if not (k == "title" and isinstance(v, str))}
    if isinstance(node, list):
        return [_strip_titles(v) for v in node]
    return node


def generate() -> dict[str, Any]:  # raw JSON out: a JSON Schema document
    """The analysis document's JSON schema, derived from the payload types."""
    from pydantic import TypeAdapter  # only needed here: keeps pydantic off the analysis path

    _use_attribute_docstrings()
    kinds = sorted(findings.FINDING_DATA)
    branches = [_kind_branch(k, findings.FINDING_DATA[k]) for k in kinds]
    doc_schema: dict[str, Any] = TypeAdapter(document.AnalysisDocument).json_schema()  # raw JSON: pydantic's
    defs = doc_schema["$defs"]
    refs = []
    for branch in branches:
        sub = TypeAdapter(branch).json_schema(ref_template="#/$defs/{model}")
        defs.update(sub.pop("$defs", {}))
        defs[branch.__name__] = sub
        refs.append({"$ref": f"#/$defs/{branch.__name__}"})
    other = dict(defs["FindingJson"])
    other["properties"] = {**other["properties"], "kind": {"type": "string", "not": {"enum": kinds}}}
    other["description"] = "A finding of a kind whose payload is not typed yet: any data."
    defs["UntypedFinding"] = other
    del defs["FindingJson"]
    doc_schema["properties"]["findings"]["items"] = {"anyOf": [*refs, {"$ref": "#/$defs/UntypedFinding"}]}
    head = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
            "title": "sessionlens session analysis"}
    out = _strip_titles(doc_schema)
    assert isinstance(out, dict)
    out["$defs"] = dict(sorted(out["$defs"].items()))
    return {**head, **out}


def render(doc: dict[str, Any] | None = None) -> str:  # raw JSON in: a generated schema
    """The file's text: ``doc`` (default: ``generate()``) as indented JSON."""
    return json.dumps(generate() if doc is None else doc, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    text = render()
    if args == ["--check"]:
        same = SCHEMA_PATH.read_text(encoding="utf-8") == text
        print("docs/analysis.schema.json is up to date" if same
              else "docs/analysis.schema.json differs from the types: run python -m sessionlens.schema")
        return 0 if same else 1
    if args:
        print("usage: python -m sessionlens.schema [--check]", file=sys.stderr)
        return 2
    SCHEMA_PATH.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
