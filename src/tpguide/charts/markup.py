"""The HTML and Markdown that replace a chart marker on a page: figure, table, caption."""

from __future__ import annotations

import json

from ..bib import Bibliography
from .model import Chart, escape_html, format_value
from .render import Rendered

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

_h = escape_html
BUNDLE_URL = "assets/javascripts/vendor/plotly-tpg.min.js"  # site-relative; in the page so that
# asset fingerprinting (tpguide.deploy rewrites data-*src attributes) can point it at the new name


# ---------------------------------------------------------------------------
# Markup
# ---------------------------------------------------------------------------


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
                text = _h(format_value(value, col))
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
