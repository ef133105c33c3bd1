"""Typed JSON payloads: the shapes the analysis document, its metrics and each finding kind's ``data`` take.

Plain TypedDicts (no runtime cost beyond a dict). ``docs/analysis.schema.json`` is generated from them by
``python -m sessionlens.schema``; a test fails when the committed schema differs from the generated one.
"""
