"""Chart evidence-summary: a forest plot of every pain finding in evidence/, drawn from the data.

Nothing here is typed: each row is a finding of ``evidence/treatments/*.yml`` whose outcome is
pain and whose measure is an SMD or a mean difference on a 0 to 10 scale. SMDs and MDs are on
different scales, so they are drawn in separate panels. Single-study rows are marked by a
hollow diamond and "(1 study)" in their label (not by colour alone). In the MD panel the
smallest change people notice, from the vocabulary's MID for that scale, is a dashed line.
"""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

from tpguide.charts import C, Chart, Column
from tpguide.evidence import words

from ._common import base_layout, label, value_axis

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

CHART_ID = "evidence-summary"
OUTCOME = "pain"
MD_UNIT = "points on a 0 to 10 scale"
ROW_HEIGHT = 48  # px per row: a label line above each marker
LABEL_CHARS = 42  # a label longer than this wraps, so that a 390 px phone shows all of it
LINE_ROWS = 0.36  # each further label line takes this much of a row (a 12 px line is ~15.6 px; a row ~43 px)
_PANELS = (("SMD", "x", "y"), ("MD", "x2", "y2"))


# A row's label in lines of at most LABEL_CHARS characters, joined by Plotly's <br>.
def label_lines(text: str) -> list[str]:
    return textwrap.wrap(text, LABEL_CHARS, break_long_words=False, break_on_hyphens=False) or [""]


# The figure's height in px: a fixed part for the axes, and ROW_HEIGHT a row, wrapped labels included.
def chart_height(panel_labels) -> int:
    return max(360, round(190 + ROW_HEIGHT * sum(row_positions(labels)[1] for labels in panel_labels)))


# Where each row's marker sits, counted in rows from the top: a wrapped label pushes its row down.
def row_positions(labels) -> tuple[list[float], float]:
    at, out = 0.0, []
    for text in labels:
        at += LINE_ROWS * (len(label_lines(text)) - 1)
        out.append(round(at, 4))
        at += 1
    return out, at


# ---------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------


# One panel per measure; a row per finding: its label above a marker with its 95% CI, so that a
# 390 px phone keeps the whole width for the data. A line at 0, and the MID where known.
def build_figure(chart: Chart, mid: float | None = None) -> go.Figure:
    d = chart.data
    traces, annotations, shapes = [], [], []
    panels = [(m, xa, ya, [i for i in range(chart.rows) if d["measure"][i] == m]) for m, xa, ya in _PANELS]
    panels = [(*p, row_positions([d["short"][i] for i in p[3]])) for p in panels if p[3]]
    total = sum(extent for *_, (_positions, extent) in panels) or 1
    gap = 0.17 if len(panels) > 1 else 0.0
    top = 1.0
    layout_axes = {}
    titles = {"SMD": "Standardised mean difference (SMD), 95% CI", "MD": "Difference in pain, points out of 10, 95% CI"}
    for measure, xaxis, yaxis, rows, (positions, extent) in panels:
        share = (1.0 - gap * (len(panels) - 1)) * extent / total
        domain = [max(top - share, 0.0), top]
        top = domain[0] - gap
        traces.append(go.Scatter(
            x=[d["estimate"][i] for i in rows], y=positions, mode="markers",
            marker={"size": 11, "color": C["primary"], "line": {"color": C["primary"], "width": 2},
                    "symbol": ["diamond-open" if d["studies"][i] == "1 study" else "square" for i in rows]},
            error_x={"type": "data", "symmetric": False,
                     "array": [round(d["high"][i] - d["estimate"][i], 4) for i in rows],
                     "arrayminus": [round(d["estimate"][i] - d["low"][i], 4) for i in rows],
                     "color": C["primary"], "thickness": 2, "width": 4},
            hovertext=[chart.hover_text(i) for i in rows], hoverinfo="text",
            customdata=rows, xaxis=xaxis, yaxis=yaxis, name=measure,
        ))
        for pos, i in zip(positions, rows):
            annotations.append(label(0, pos, "<br>".join(label_lines(d["short"][i])), xref=f"{xaxis} domain", yref=yaxis,
                                     xanchor="left", align="left", yanchor="bottom", yshift=7, color=C["fg"], size=12))
        low = min(min(d["low"][i] for i in rows), -0.5)
        high = max(max(d["high"][i] for i in rows), 0.3)
        pad = (high - low) * 0.06
        axis_name = "xaxis" if xaxis == "x" else "xaxis2"
        layout_axes[axis_name] = value_axis(f"{titles[measure]}<br>(below 0 favours the treatment)",
                                            range=[low - pad, high + pad], anchor=yaxis, zeroline=False)
        layout_axes["yaxis" if yaxis == "y" else "yaxis2"] = value_axis(
            "", domain=domain, range=[extent - 0.1, -0.95], anchor=xaxis, showgrid=False,
            showticklabels=False, ticks="", zeroline=False)
        shapes.append({"type": "line", "x0": 0, "x1": 0, "y0": 0, "y1": 1, "xref": xaxis, "yref": f"{yaxis} domain",
                       "line": {"color": C["muted"], "width": 1, "dash": "dot"}})
        if measure == "MD" and mid:
            shapes.append({"type": "line", "x0": -mid, "x1": -mid, "y0": 0, "y1": 1, "xref": xaxis,
                           "yref": f"{yaxis} domain", "line": {"color": C["accent"], "width": 2, "dash": "dash"}})
            annotations.append(label(-mid, 0, f"smallest change people notice: {words.num(mid)} point", xref=xaxis,
                                     yref=f"{yaxis} domain", xanchor="right", yanchor="bottom", xshift=-3, yshift=1,
                                     color=C["accent"], size=11))
    layout = base_layout(chart.height, shapes=shapes, annotations=annotations,
                         margin={"l": 8, "r": 12, "t": 8, "b": 8}, **layout_axes)
    return go.Figure(data=traces, layout=layout)


# ---------------------------------------------------------------------------
# The chart, from the evidence store
# ---------------------------------------------------------------------------

COLUMNS = (
    Column("treatment", "Finding", kind="text"),
    Column("short", "Label in chart", kind="text", in_text=False),
    Column("comparison", "Compared with", kind="text"),
    Column("measure", "Effect measure", kind="text"),
    Column("estimate", "Estimate", low=-10, high=10),
    Column("low", "95% CI lower limit", low=-20, high=20),
    Column("high", "95% CI upper limit", low=-20, high=20),
    Column("studies", "Studies", kind="text"),
    Column("certainty", "Certainty (GRADE)", kind="text"),
    Column("source", "Source", kind="source"),
)


def make_chart(settings: dict, evidence=None) -> Chart:
    rows = _rows(evidence) if evidence is not None else []
    data = {col.key: [r[col.key] for r in rows] for col in COLUMNS}
    mid = _md_mid(evidence) if evidence is not None else None
    counts = {c: sum(1 for r in rows if r["certainty"] == c) for c in ("high", "moderate", "low", "very low")}
    summary = (
        f"A forest plot of {len(rows)} results on pain from our evidence data, each with its 95% confidence interval; "
        "values below zero favour the treatment (a result measured as pain relief is shown with its sign reversed). Top panel: standardised mean differences (SMD); bottom panel: "
        "differences in points on a 0 to 10 pain scale (MD). Hollow diamonds are results from a single study. "
        + (f"The dashed line in the bottom panel is {words.num(mid)} point, the smallest change people notice. " if mid else "")
        + "Certainty: " + ", ".join(f"{n} {c}" for c, n in counts.items() if n) + ". "
        "The data table below gives every row in full."
    )
    sources = tuple(dict.fromkeys(r["source"] for r in rows))
    return Chart(
        id=CHART_ID,
        title="How much did treatments reduce pain? Every pain result in our evidence data",
        summary=summary,
        sources=sources,
        columns=COLUMNS,
        data=data,
        figure=lambda chart: build_figure(chart, mid),
        caption=("SMD and MD are different measures and are shown in separate panels; do not compare their sizes "
                 "directly. Each review pooled different trials, people and comparisons."),
        height=chart_height([r["short"] for r in rows if r["measure"] == m] for m, *_ in _PANELS),
    )


# Pain findings with an SMD, or an MD on the 0 to 10 scale, in the store's order.
def _rows(store) -> list[dict]:
    from tpguide.evidence import render

    v = store.vocab
    out = []
    for f in render.sort_findings(store, list(store.findings.values())):
        if f.outcome != OUTCOME or f.estimate is None or f.ci is None:
            continue
        if not (f.measure == "SMD" or (f.measure == "MD" and f.unit == MD_UNIT)):
            continue
        t = store.treatments[f.treatment]
        region = "" if f.region == "several" else f" ({v.regions[f.region].label.lower()})"
        when = v.timepoints[f.timepoint].label.lower()
        single = f.studies == 1
        other = f.comparison_detail if f.comparison_detail and len(f.comparison_detail) <= 28 else v.comparisons[f.comparison].label.lower()
        vs = "" if f.comparison in ("mixed", "sham", "no-treatment") else f" vs {other}"
        # every row reads the same way, below zero favours the treatment: a result measured as pain
        # relief (higher is better) is shown with its sign reversed, and says so
        flip = f.better == "higher"
        estimate, low, high = (-f.estimate, -f.ci[1], -f.ci[0]) if flip else (f.estimate, f.ci[0], f.ci[1])
        reversed_note = (f" (measured as pain relief, {words.num(f.estimate)}; sign reversed so that below 0 favours "
                         "the treatment)") if flip else ""
        out.append({
            "treatment": f"{t.name}{region}: pain, {when} ({f.timepoint_detail}){reversed_note}",
            "short": f"{t.name}{region}{vs}: {f.timepoint_detail if len(f.timepoint_detail) <= 32 else when}"
                     + (" (1 study)" if single else ""),
            "comparison": v.comparisons[f.comparison].label + (f": {f.comparison_detail}" if f.comparison_detail else ""),
            "measure": f.measure,
            "estimate": estimate,
            "low": low,
            "high": high,
            "studies": words.evidence_base(f) if not single else "1 study",
            "certainty": f.certainty,
            "source": f.source,
        })
    return out


def _md_mid(store) -> float | None:
    for mid in store.vocab.mids.values():
        if mid.outcome == OUTCOME and mid.unit == MD_UNIT:
            return mid.value
    return None
