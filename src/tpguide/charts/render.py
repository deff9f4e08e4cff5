"""Rendering a validated chart: its JSON spec for the loader and its CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass

from ..bib import Bibliography
from .model import PALETTE, Chart
from .settings import DEFAULT_SETTINGS
from .validation import bundle_problems, validate

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

_TOKEN_OF = {light: f"@{name}" for name, (light, _dark) in PALETTE.items()}


@dataclass
class Rendered:
    """A validated chart, ready to place on pages."""

    chart: Chart
    spec: dict
    csv: str


# ---------------------------------------------------------------------------
# Rendering: spec and CSV
# ---------------------------------------------------------------------------


# Validate a chart and build its spec and CSV; raise ChartProblem with every problem found.
def render(chart: Chart, bib: Bibliography | None, settings: dict | None = None) -> Rendered:
    errors = validate(chart, bib)
    if errors:
        raise ChartProblem(chart, errors)
    try:
        figure = chart.figure(chart)
        fig = figure.to_plotly_json() if hasattr(figure, "to_plotly_json") else dict(figure)
    except Exception as exc:  # noqa: BLE001 - the builder's own error, named with its module
        raise ChartProblem(chart, [f"its figure builder raised {type(exc).__name__}: {exc}"]) from exc
    problems = bundle_problems(fig)
    if problems:
        raise ChartProblem(chart, problems)
    try:
        spec = _spec(chart, fig, settings or DEFAULT_SETTINGS)
        json.dumps(spec, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ChartProblem(chart, [f"its figure cannot be written as JSON: {exc}"]) from exc
    return Rendered(chart=chart, spec=spec, csv=to_csv(chart))


class ChartProblem(Exception):
    """A chart that failed validation or whose builder raised."""

    def __init__(self, chart: Chart, errors: list[str]):
        self.chart = chart
        self.errors = errors
        where = f"chart '{chart.id}' (module {chart.module or '?'}, {chart.module_path or '?'})"
        super().__init__(where + ": " + "; ".join(errors))


def _spec(chart: Chart, fig: dict, settings: dict) -> dict:
    data = _plain(fig.get("data", []))
    layout = _plain(fig.get("layout", {}))
    layout.pop("template", None)
    layout.setdefault("height", chart.height)
    points = []
    for curve, trace in enumerate(data):
        for index, row in enumerate(trace.get("customdata") or []):
            if isinstance(row, int) and not isinstance(row, bool) and 0 <= row < chart.rows:
                points.append({"c": curve, "p": index, "r": row})
    points.sort(key=lambda p: (p["r"], p["c"]))
    spec = {
        "id": chart.id,
        "kind": chart.kind,
        "title": chart.title,
        "data": _tokens(data),
        "layout": _tokens(layout),
        "points": points,
        "rows": [chart.row_text(i) for i in range(chart.rows)],
        "palette": {"default": {k: v[0] for k, v in PALETTE.items()}, "slate": {k: v[1] for k, v in PALETTE.items()}},
    }
    if chart.kind == "calculator":
        spec["calculator"] = {"currency": settings["currency"], "locale": settings["locale"], **chart.calculator}
    return spec


# JSON-ready plain data (numpy arrays and tuples become lists).
def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):
        return _plain(value.tolist())
    return value


# Replace palette colours by "@name" tokens, recursively.
def _tokens(value):
    if isinstance(value, dict):
        return {k: _tokens(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tokens(v) for v in value]
    if isinstance(value, str) and value in _TOKEN_OF:
        return _TOKEN_OF[value]
    return value


# The chart's data as CSV text: a header row of column labels (with units), then the values.
def to_csv(chart: Chart) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([col.header for col in chart.columns])
    for i in range(chart.rows):
        writer.writerow(["" if v is None else v for v in (chart.data[c.key][i] for c in chart.columns)])
    return buf.getvalue()
