"""Every check of a chart definition and its data, before it is drawn."""

from __future__ import annotations

import math
from typing import Any, Sequence

from ..bib import Bibliography
from .model import COLUMN_KINDS, KINDS, Chart, Column

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

# What the self-hosted Plotly bundle draws (tools/plotly/entry.js). A figure that needs more
# would be drawn without it, silently, so it is refused: add the trace or component to the
# bundle (make plotly-bundle) and here.
BUNDLE_TRACES = ("scatter", "bar")
BUNDLE_LEFT_OUT = ("updatemenus", "sliders", "images", "grid", "coloraxis")  # layout keys
BUNDLE_HINT = "add it to tools/plotly/entry.js, run make plotly-bundle, then allow it in tpguide/charts/validation.py"


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


# Every problem of a chart's definition and data (sources checked against the bibliography).
def validate(chart: Chart, bib: Bibliography | None) -> list[str]:
    errors: list[str] = []
    if chart.kind not in KINDS:
        errors.append(f"kind {chart.kind!r} is not one of {', '.join(KINDS)}")
    for name in ("title", "summary"):
        if not str(getattr(chart, name) or "").strip():
            errors.append(f"has no {name}")
    if not chart.sources:
        errors.append("has no sources: list the bib keys of the studies its numbers and claims come from")
    for key in chart.sources:
        if bib is not None and key not in bib:
            guess = bib.suggest(key)
            errors.append(f"source key '{key}' is not in bib/" + (f" (did you mean {guess}?)" if guess else ""))
    if chart.figure is None:
        errors.append("has no figure builder")
    keys = [c.key for c in chart.columns]
    if not keys:
        errors.append("has no columns")
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        errors.append(f"column {dup!r} is declared twice")
    for key in keys:
        if key not in chart.data:
            errors.append(f"column {key!r} has no data")
    for key in chart.data:
        if key not in keys:
            errors.append(f"data {key!r} has no declared column")
    lengths = {k: len(v) for k, v in chart.data.items() if isinstance(v, (list, tuple))}
    for key, value in chart.data.items():
        if not isinstance(value, (list, tuple)):
            errors.append(f"data {key!r} must be a list, not {type(value).__name__}")
    if len(set(lengths.values())) > 1:
        detail = ", ".join(f"{k}={n}" for k, n in lengths.items())
        errors.append(f"data columns have mismatched lengths ({detail})")
    if errors:
        return errors
    if chart.rows == 0:
        errors.append("has no data rows")
    for col in chart.columns:
        errors += _check_column(col, chart.data[col.key], chart.sources)
    return errors


def _check_column(col: Column, values: Sequence[Any], sources: Sequence[str]) -> list[str]:
    errors = []
    for i, value in enumerate(values):
        where = f"column {col.key!r} row {i + 1}"
        if value is None:
            if col.required:
                errors.append(f"{where}: value missing (None) in a required column")
            continue
        if col.kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                errors.append(f"{where}: {value!r} is not a number")
            elif not math.isfinite(value):
                errors.append(f"{where}: {value!r} is not a finite number (NaN or infinity)")
            elif (col.low is not None and value < col.low) or (col.high is not None and value > col.high):
                errors.append(f"{where}: {value!r} is outside the declared range {col.low} to {col.high}")
        elif not isinstance(value, str) or not value.strip():
            errors.append(f"{where}: {value!r} must be non-empty text")
        elif col.kind == "source" and value not in sources:
            errors.append(f"{where}: source {value!r} is not one of the chart's sources")
    if col.kind not in COLUMN_KINDS:
        errors.append(f"column {col.key!r}: kind {col.kind!r} is not one of {', '.join(COLUMN_KINDS)}")
    return errors


# Every part of a built figure (plain dict: data, layout) that the Plotly bundle cannot draw.
def bundle_problems(figure: dict) -> list[str]:
    errors = []
    data, layout = figure.get("data") or [], figure.get("layout") or {}
    for n, trace in enumerate(data, 1):
        kind = trace.get("type") or "scatter"
        if kind not in BUNDLE_TRACES:
            errors.append(f"trace {n} is a {kind!r} trace, which the site's Plotly bundle does not draw "
                          f"(it has {', '.join(BUNDLE_TRACES)}): {BUNDLE_HINT}")
        if (trace.get("marker") or {}).get("showscale"):
            errors.append(f"trace {n} asks for a colour bar, which the Plotly bundle leaves out: {BUNDLE_HINT}")
    for key in BUNDLE_LEFT_OUT:
        if layout.get(key):
            errors.append(f"layout.{key} needs a Plotly component the bundle leaves out: {BUNDLE_HINT}")
    legend = layout.get("showlegend")
    if legend or (legend is None and len(data) > 1):
        errors.append("the figure would show a legend, which the Plotly bundle leaves out: set showlegend to False "
                      f"and name the series in the title, summary or labels, or {BUNDLE_HINT}")
    return errors
