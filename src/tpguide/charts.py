"""Interactive, accessible charts: registry, validation and rendering.

A chart is defined in Python, one module per chart under ``tpguide/charts_defs/``: an id, a
title, a one-paragraph summary, its data as named columns, the bib keys of its sources and a
function that turns the data into a Plotly figure. Editors place it in Markdown with one line::

    [[chart: feedback-loop]]

At build time (hooks/charts.py, ``on_page_markdown`` priority 70, before the citations hook at
50) the marker becomes a ``<figure>`` holding: the title and summary, an empty plot container,
the figure as a JSON spec, a collapsible data table with a CSV download link, and a caption that
cites the sources as ``[@key]`` (turned into numbered footnotes by the citations hook). The
loader ``docs/assets/javascripts/charts.js`` draws the spec with the self-hosted partial Plotly
bundle when a chart nears the viewport. Without JavaScript the summary and table remain.
"""

from __future__ import annotations

import csv
import difflib
import gzip
import html
import importlib
import importlib.util
import io
import json
import math
import pkgutil
import posixpath
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

from .bib import Bibliography
from .errors import ContentError, Problem
from .markdown_regions import front_matter_lines, prose_spans

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

PACKAGE_DIR = Path(__file__).resolve().parent
DEFS_PACKAGE = "tpguide.charts_defs"
DOCS_ASSETS = PACKAGE_DIR.parents[1] / "docs" / "assets"
BUNDLE_PATH = DOCS_ASSETS / "javascripts" / "vendor" / "plotly-tpg.min.js"
LOADER_PATH = DOCS_ASSETS / "javascripts" / "charts.js"
CSV_DIR = "assets/charts"  # site-relative folder of the CSV downloads
BUNDLE_URL = "assets/javascripts/vendor/plotly-tpg.min.js"  # site-relative; in the page so that
# asset fingerprinting (tpguide.deploy rewrites data-*src attributes) can point it at the new name
LIBRARY_URL = "references/"  # fallback URL of the reference library page
STATE_KEY = "_tpguide_charts"

CHART_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# A marker on its own line; group "id" may be malformed (checked separately).
MARKER_LINE_RE = re.compile(r"^[ \t]*\[\[[ \t]*chart[ \t]*:[ \t]*(?P<id>[^\]\n]*?)[ \t]*\]\][ \t]*$", re.M | re.I)
# Anything that looks like a marker, anywhere (to catch markers inside a paragraph).
MARKER_ANY_RE = re.compile(r"\[\[[ \t]*chart[ \t]*:[^\]\n]*\]\]", re.I)

KINDS = ("figure", "steps", "calculator")
COLUMN_KINDS = ("number", "text", "source")

# Colours used by chart builders, as (light, dark) pairs. Builders use the light value (so
# plotly validates a real colour); the renderer swaps each for a "@name" token that the loader
# resolves for the palette in use (body[data-md-color-scheme] = default | slate).
PALETTE: dict[str, tuple[str, str]] = {
    "fg": ("#1f2328", "#e3e6ed"),
    "muted": ("#5c6370", "#a7adba"),
    "grid": ("#d9dde3", "#3b4050"),
    "surface": ("#ffffff", "#262836"),
    "primary": ("#00796b", "#4db6ac"),
    "accent": ("#c43e0f", "#ff8a65"),
    "neutral": ("#6b7f8c", "#97a9b4"),
    "highlight": ("#f2a900", "#ffd54f"),
}
_TOKEN_OF = {light: f"@{name}" for name, (light, _dark) in PALETTE.items()}


# Colour name -> light value, for chart builders: ``C["primary"]``.
C = {name: light for name, (light, _dark) in PALETTE.items()}


@dataclass(frozen=True)
class Column:
    """One column of a chart's data: how to check it and how to show it."""

    key: str
    label: str
    kind: str = "number"  # number | text | source (a bib key, linked to the reference library)
    unit: str = ""
    low: float | None = None  # declared range for numbers (inclusive)
    high: float | None = None
    required: bool = True  # False: None is allowed (shown as an empty cell)
    decimals: int | None = None  # fixed decimals in the table; None: as written
    in_text: bool = True  # part of the row's hover/keyboard text

    @property
    def header(self) -> str:
        return f"{self.label} ({self.unit})" if self.unit else self.label


@dataclass(frozen=True)
class Chart:
    """A chart definition; ``figure(chart)`` returns a plotly Figure (or its dict)."""

    id: str
    title: str
    summary: str
    sources: tuple[str, ...]
    columns: tuple[Column, ...]
    data: dict[str, Sequence[Any]]
    figure: Callable[["Chart"], Any] | None
    kind: str = "figure"
    caption: str = ""  # Markdown before the source list, e.g. "A hypothesis, not a proven fact."
    height: int = 380  # reserved plot height in px (avoids layout shift while Plotly loads)
    steps_label: str = "Step"
    calculator: dict[str, Any] = field(default_factory=dict)
    module: str = ""  # filled by the registry: where the chart was defined
    module_path: str = ""

    @property
    def rows(self) -> int:
        return len(next(iter(self.data.values()), []))

    # Values of one row, by column key.
    def row(self, index: int) -> dict[str, Any]:
        return {col.key: self.data[col.key][index] for col in self.columns}

    # Hover label of a row: the parts of row_text on separate, wrapped lines.
    def hover_text(self, index: int, width: int = 60) -> str:
        return "<br>".join(wrap_words(_h(part), width) for part in self.row_parts(index))

    # One line of text per row ("Label: value. Label: value."), for keyboard reading and steps.
    def row_text(self, index: int) -> str:
        return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in self.row_parts(index))

    # The "Label: value" parts of one row, in column order.
    def row_parts(self, index: int) -> list[str]:
        parts = []
        for n, col in enumerate(self.columns):
            value = self.data[col.key][index]
            if value is None or value == "" or col.kind == "source" or not col.in_text:
                continue
            shown = _format(value, col)
            parts.append(shown if n == 0 else f"{col.label}: {shown}{_unit_suffix(col)}")
        return parts


@dataclass
class Rendered:
    """A validated chart, ready to place on pages."""

    chart: Chart
    spec: dict
    csv: str


@dataclass
class ChartState:
    """Chart registry and what this build rendered, stored on the MkDocs config."""

    charts: dict[str, Chart]
    settings: dict
    rendered: dict[str, Rendered] = field(default_factory=dict)
    pages: dict[str, list[str]] = field(default_factory=dict)  # src_uri -> chart ids placed

    @property
    def used(self) -> set[str]:
        return {cid for ids in self.pages.values() for cid in ids}


class ChartSetupError(Exception):
    """A chart module or the chart settings are broken (not a content problem of a page)."""


# ---------------------------------------------------------------------------
# Settings (extra.tpguide.charts in mkdocs.yml)
# ---------------------------------------------------------------------------

DEFAULT_SETTINGS = {
    "currency": "EUR",
    "locale": "en-GB",
    "example_price": 50,
    "example_minutes": 90,
    "modules": [],
}


# Check and complete extra.tpguide.charts; raise ChartSetupError naming the key.
def settings_from(extra_tpguide: dict | None) -> dict:
    raw = dict((extra_tpguide or {}).get("charts") or {})
    where = "mkdocs.yml: extra.tpguide.charts"
    unknown = sorted(set(raw) - set(DEFAULT_SETTINGS))
    if unknown:
        raise ChartSetupError(f"{where}: unknown setting(s) {', '.join(unknown)} -> use {', '.join(DEFAULT_SETTINGS)}")
    out = {**DEFAULT_SETTINGS, **raw}
    if not isinstance(out["currency"], str) or not re.fullmatch(r"[A-Z]{3}", out["currency"]):
        raise ChartSetupError(f"{where}.currency: {out['currency']!r} is not an ISO 4217 code -> e.g. EUR, GBP, USD")
    if not isinstance(out["locale"], str) or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", out["locale"]):
        raise ChartSetupError(f"{where}.locale: {out['locale']!r} is not a language tag -> e.g. en-GB")
    for key, high in (("example_price", 100000), ("example_minutes", 1440)):
        value = out[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= high:
            raise ChartSetupError(f"{where}.{key}: {value!r} must be a number above 0 and at most {high}")
    if not isinstance(out["modules"], list) or not all(isinstance(m, str) for m in out["modules"]):
        raise ChartSetupError(f"{where}.modules: must be a list of Python file paths (relative to mkdocs.yml)")
    return out


# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------


# Import every chart module (ours plus extra ones from settings) and index the charts by id.
def load_registry(settings: dict, *, root: Path | None = None) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    modules = [_import_package_module(name) for name in _package_modules()]
    for rel in settings.get("modules", []):
        modules.append(_import_file_module(Path(root or ".") / rel, rel))
    for module in modules:
        chart = _chart_of(module, settings)
        if chart.id in charts:
            other = charts[chart.id]
            raise ChartSetupError(
                f"{_module_path(module)}: chart id {chart.id!r} is also defined in {other.module_path} -> ids must be unique"
            )
        charts[chart.id] = chart
    return charts


def _package_modules() -> list[str]:
    pkg = importlib.import_module(DEFS_PACKAGE)
    return sorted(f"{DEFS_PACKAGE}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))


# Import (or re-import, for `mkdocs serve` rebuilds) one module of tpguide.charts_defs.
def _import_package_module(name: str):
    try:
        if name in sys.modules:
            return importlib.reload(sys.modules[name])
        return importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - any error in a chart module stops the build
        raise ChartSetupError(f"chart module {name} could not be imported: {type(exc).__name__}: {exc}") from exc


# Import an extra chart module from a file path given in extra.tpguide.charts.modules.
def _import_file_module(path: Path, rel: str):
    if not path.is_file():
        raise ChartSetupError(f"mkdocs.yml: extra.tpguide.charts.modules: {rel!r} is not a file")
    name = "tpguide_extra_charts." + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001
        raise ChartSetupError(f"chart module {rel} could not be imported: {type(exc).__name__}: {exc}") from exc
    module.__tpg_rel__ = rel
    return module


# The Chart a module defines: CHART, or make_chart(settings) for settings-dependent charts.
def _chart_of(module, settings: dict) -> Chart:
    where = _module_path(module)
    try:
        if hasattr(module, "make_chart"):
            chart = module.make_chart(settings)
        else:
            chart = getattr(module, "CHART")
    except AttributeError:
        raise ChartSetupError(f"{where}: defines neither CHART nor make_chart(settings)") from None
    except Exception as exc:  # noqa: BLE001
        raise ChartSetupError(f"{where}: make_chart raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(chart, Chart):
        raise ChartSetupError(f"{where}: CHART must be a tpguide.charts.Chart, not {type(chart).__name__}")
    if not CHART_ID_RE.match(chart.id or ""):
        raise ChartSetupError(f"{where}: chart id {chart.id!r} must be lowercase letters, digits and hyphens")
    return replace(chart, module=module.__name__, module_path=where)


def _module_path(module) -> str:
    rel = getattr(module, "__tpg_rel__", None)
    if rel:
        return rel
    path = Path(getattr(module, "__file__", "") or module.__name__)
    try:
        return str(path.resolve().relative_to(PACKAGE_DIR.parents[1]))
    except ValueError:
        return str(path)


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


# ---------------------------------------------------------------------------
# Rendering: spec, CSV, HTML
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


# The Markdown/HTML that replaces a marker on a page.
def figure_html(rendered: Rendered, *, csv_url: str, library_url: str, bib: Bibliography | None,
                plotly_url: str = BUNDLE_URL) -> str:
    chart = rendered.chart
    cid = chart.id
    h = _h
    # The spec lives in a data attribute, not a <script type="application/json">: Material's
    # instant navigation re-creates inline scripts without their type, id and class. "@" is
    # escaped so that the citations hook, which runs after this one, never reads a palette token
    # such as ["@muted", ...] as a citation.
    spec_json = json.dumps(rendered.spec, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    spec_json = spec_json.replace("@", "\\u0040")
    lines = [
        f'<figure class="tpg-chart tpg-chart--{chart.kind}" id="chart-{cid}" data-tpg-chart="{cid}" '
        f'aria-labelledby="chart-{cid}-title" markdown="1">',
        f'<p class="tpg-chart__title" id="chart-{cid}-title">{h(chart.title)}</p>',
        f'<p class="tpg-chart__summary" id="chart-{cid}-summary">{h(chart.summary)}</p>',
    ]
    if chart.kind == "calculator":
        lines.append(_calculator_html(chart, rendered.spec["calculator"]))
    lines += [
        f'<div class="tpg-chart__plot" id="chart-{cid}-plot" role="img" aria-label="{h(chart.title)}" '
        f'aria-describedby="chart-{cid}-summary" data-tpg-plotly-src="{h(plotly_url)}" data-tpg-spec="{h(spec_json)}" style="min-height:{int(rendered.spec["layout"].get("height", chart.height))}px"></div>',
    ]
    if chart.kind == "steps":
        lines.append(
            f'<div class="tpg-chart__controls tpg-js-only" role="group" aria-label="{h(chart.title)}: {h(chart.steps_label.lower())}s">'
            f'<button type="button" class="md-button tpg-chart__prev" data-tpg-step="-1">Previous</button>'
            f'<span class="tpg-chart__status" id="chart-{cid}-status">{h(chart.steps_label)} 1 of {chart.rows}</span>'
            f'<button type="button" class="md-button tpg-chart__next" data-tpg-step="1">Next</button>'
            "</div>"
        )
    first = h(chart.row_text(0)) if chart.kind == "steps" else ""
    lines += [
        f'<p class="tpg-chart__readout tpg-js-only" id="chart-{cid}-readout" aria-live="polite">{first}</p>',
        f'<details class="tpg-chart__data" id="chart-{cid}-data" data-search-exclude><summary>Data table: {h(chart.title)}</summary>',
        table_html(chart, library_url=library_url, bib=bib),
        f'<p class="tpg-chart__download"><a href="{h(csv_url)}" download="{h(cid)}.csv" type="text/csv">'
        f"Download the data (CSV, {chart.rows} rows)</a></p>",
        "</details>",
        f'<figcaption class="tpg-chart__caption" markdown="1">',
        caption_markdown(chart, bib),
        "</figcaption>",
        "</figure>",
    ]
    return "\n".join(lines)


# The caption: optional note, then every source as a citation (numbered by the citations hook).
def caption_markdown(chart: Chart, bib: Bibliography | None) -> str:
    names = []
    for key in chart.sources:
        label = _short_ref(bib[key]) if bib is not None and key in bib else key
        names.append(f"{label} [@{key}]")
    note = (chart.caption.strip() + " ") if chart.caption.strip() else ""
    return f"{note}Sources: " + "; ".join(names) + "."


# The data table as HTML; source columns link to the reference library entry.
def table_html(chart: Chart, *, library_url: str, bib: Bibliography | None) -> str:
    head = "".join(f'<th scope="col">{_h(c.header)}</th>' for c in chart.columns)
    body = []
    for i in range(chart.rows):
        cells = []
        for j, col in enumerate(chart.columns):
            value = chart.data[col.key][i]
            if value is None:
                text = ""
            elif col.kind == "source":
                label = _short_ref(bib[value]) if bib is not None and value in bib else value
                text = f'<a href="{_h(library_url)}#{_h(value)}" data-tpg-key="{_h(value)}">{_h(label)}</a>'
            else:
                text = _h(_format(value, col))
            tag = "th" if j == 0 else "td"
            scope = ' scope="row"' if j == 0 else ""
            cls = ' class="tpg-num"' if col.kind == "number" else ""
            cells.append(f"<{tag}{scope}{cls}>{text}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="tpg-chart__table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _calculator_html(chart: Chart, calc: dict) -> str:
    cid = chart.id
    fields = []
    for field_def in calc.get("fields", []):
        name = field_def["name"]
        fields.append(
            f'<label class="tpg-calc__field" for="chart-{cid}-{name}"><span>{_h(field_def["label"])}</span>'
            f'<input type="number" id="chart-{cid}-{name}" name="{name}" value="{field_def["value"]}" '
            f'min="{field_def["min"]}" max="{field_def["max"]}" step="{field_def["step"]}" inputmode="decimal" required>'
            f'<small>{_h(field_def.get("note", ""))}</small></label>'
        )
    return (
        f'<form class="tpg-calc" id="chart-{cid}-form" data-tpg-calc novalidate>'
        f'<div class="tpg-calc__fields tpg-js-only">{"".join(fields)}</div>'
        f'<output class="tpg-calc__result" id="chart-{cid}-result" for="{" ".join(f"chart-{cid}-" + f["name"] for f in calc.get("fields", []))}" '
        f'aria-live="polite">{_h(calc.get("static_result", ""))}</output>'
        "</form>"
    )


# "Surname Year" (or "Surname et al. Year") for a bib entry.
def _short_ref(entry) -> str:
    first = entry.authors[0].rsplit(" ", 1)[0] if entry.authors else entry.get("organization", entry.key)
    more = " et al." if len(entry.authors) > 1 else ""
    return f"{first}{more} {entry.year}".strip()


def _format(value: Any, col: Column) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = f"{value:.{col.decimals}f}" if col.decimals is not None else f"{value:g}"
        return text.replace("-", "\u2212")
    return str(value)


# Words joined into lines of at most `width` characters, separated by <br> (Plotly labels).
def wrap_words(text: str, width: int) -> str:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(lines)


def _unit_suffix(col: Column) -> str:
    if not col.unit or col.kind != "number":
        return ""
    return col.unit if col.unit == "%" else f" {col.unit}"


def _h(text: Any) -> str:
    return html.escape(str(text), quote=True)


# ---------------------------------------------------------------------------
# Pages: find markers and replace them
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """One chart marker on a page."""

    chart_id: str
    line: int  # line in the source file
    start: int
    end: int


# Markers outside code, plus problems (malformed or not on its own line, unknown id, twice).
def find_markers(markdown: str, known: Sequence[str], *, path: str, line_offset: int = 0) -> tuple[list[Marker], list[Problem]]:
    markers: list[Marker] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for start, end in prose_spans(markdown):
        chunk_start = start
        own_line = {m.start(): m for m in MARKER_LINE_RE.finditer(markdown, start, end)}
        for m in MARKER_ANY_RE.finditer(markdown, start, end):
            line = markdown.count("\n", 0, m.start()) + 1 + line_offset
            line_start = markdown.rfind("\n", 0, m.start()) + 1
            whole = own_line.get(max(line_start, chunk_start))
            if whole is None or not (whole.start() <= m.start() < whole.end()):
                problems.append(Problem(path, line, f"chart marker {m.group(0)!r} is not on a line of its own",
                                        "put [[chart: <id>]] alone on its own line, with blank lines around it"))
                continue
            cid = whole.group("id").strip()
            if not CHART_ID_RE.match(cid):
                problems.append(Problem(path, line, f"chart marker {m.group(0)!r} has no valid chart id",
                                        "write [[chart: <id>]] with a lowercase id such as feedback-loop"))
                continue
            if cid not in known:
                close = difflib.get_close_matches(cid, list(known), n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else "known charts: " + ", ".join(sorted(known))
                problems.append(Problem(path, line, f"unknown chart id '{cid}'", hint))
                continue
            if cid in seen:
                problems.append(Problem(path, line, f"chart '{cid}' is placed twice on this page",
                                        "place each chart once per page"))
                continue
            seen.add(cid)
            markers.append(Marker(cid, line, whole.start(), whole.end()))
    return markers, problems


# ---------------------------------------------------------------------------
# Build events (called by hooks/charts.py)
# ---------------------------------------------------------------------------


# on_config: load settings and the registry into a fresh ChartState.
def start(config) -> ChartState:
    root = Path(config.config_file_path).parent
    settings = settings_from(config.extra.get("tpguide"))
    state = ChartState(charts=load_registry(settings, root=root), settings=settings)
    config[STATE_KEY] = state
    return state


def state_of(config) -> ChartState:
    return config[STATE_KEY]


# on_page_markdown: replace every marker with its figure; raise ContentError on any problem.
def page_markdown(state: ChartState, markdown: str, *, src_uri: str, page_url: str, path: str, source: str,
                  bib: Bibliography | None, library_url: str = LIBRARY_URL) -> str:
    if "chart" not in markdown:
        return markdown
    markers, problems = find_markers(markdown, list(state.charts), path=path, line_offset=front_matter_lines(source))
    out, pos = [], 0
    for marker in markers:
        try:
            rendered = _rendered(state, marker.chart_id, bib)
        except ChartProblem as exc:
            problems.append(Problem(path, marker.line, str(exc), "fix the chart module; numbers must come from bib/NOTES.md"))
            continue
        csv_url = relative_url(f"{CSV_DIR}/{marker.chart_id}.csv", page_url)
        lib = relative_url(library_url, page_url)
        out.append(markdown[pos:marker.start])
        plotly_url = relative_url(BUNDLE_URL, page_url)
        out.append("\n" + figure_html(rendered, csv_url=csv_url, library_url=lib, bib=bib, plotly_url=plotly_url) + "\n")
        pos = marker.end
    if problems:
        raise ContentError(problems)
    if markers:
        state.pages[src_uri] = [m.chart_id for m in markers]
    out.append(markdown[pos:])
    return "".join(out)


def _rendered(state: ChartState, chart_id: str, bib: Bibliography | None) -> Rendered:
    if chart_id not in state.rendered:
        state.rendered[chart_id] = render(state.charts[chart_id], bib, state.settings)
    return state.rendered[chart_id]


# on_post_build: write the CSV of every chart placed on a page.
def write_csvs(state: ChartState, site_dir: Path | str) -> list[Path]:
    out_dir = Path(site_dir) / CSV_DIR
    written = []
    for cid in sorted(state.used):
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{cid}.csv"
        path.write_text(state.rendered[cid].csv, encoding="utf-8")
        written.append(path)
    return written


# Relative URL from a page (its MkDocs url) to a site-relative target.
def relative_url(target: str, page_url: str) -> str:
    base = posixpath.dirname(page_url) if not page_url.endswith("/") else page_url.rstrip("/")
    path, _, frag = target.partition("#")
    rel = posixpath.relpath(path or ".", base or ".")
    if path.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{frag}" if frag else "")


# ---------------------------------------------------------------------------
# Byte figures (make bench)
# ---------------------------------------------------------------------------


# Bundle raw/gzip size, loader size and (given a built site) a chart page's total gzip transfer.
def byte_figures(site_dir: Path | str | None = None, page: str | None = None) -> dict[str, int | str]:
    out: dict[str, int | str] = {}
    bundle = BUNDLE_PATH.read_bytes()
    out["bundle_raw"] = len(bundle)
    out["bundle_gzip"] = _gz(bundle)
    loader = LOADER_PATH.read_bytes()
    out["loader_raw"] = len(loader)
    out["loader_gzip"] = _gz(loader)
    if site_dir is None:
        return out
    site = Path(site_dir)
    page_file = site / page / "index.html" if page else _first_chart_page(site)
    if page_file is None or not page_file.is_file():
        return out
    text = page_file.read_text(encoding="utf-8")
    total = _gz(page_file.read_bytes())
    seen = set()
    refs = re.findall(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href|link[^>]+href)="([^"#?]+)', text)
    for ref in refs:
        if ref.startswith(("http:", "https:", "//", "data:")):
            continue
        target = (page_file.parent / ref).resolve()
        if target in seen or not target.is_file() or target.suffix not in (".js", ".css", ".svg"):
            continue
        seen.add(target)
        total += _gz(target.read_bytes())
    for extra in ("search/search_index.json",):
        if (site / extra).is_file():
            total += _gz((site / extra).read_bytes())
    total += out["bundle_gzip"]  # loaded when the chart nears the viewport
    out["chart_page"] = str(page_file.relative_to(site))
    out["chart_page_gzip_total"] = total
    return out


def _first_chart_page(site: Path) -> Path | None:
    for path in sorted(site.rglob("index.html")):
        if 'data-tpg-chart="' in path.read_text(encoding="utf-8", errors="ignore"):
            return path
    return None


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def _main(argv: list[str]) -> int:
    figures = byte_figures(argv[0] if argv else None, argv[1] if len(argv) > 1 else None)
    for key, value in figures.items():
        shown = f"{value:,} B ({value / 1024:.0f} KiB)" if isinstance(value, int) else value
        print(f"{key:24} {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))
