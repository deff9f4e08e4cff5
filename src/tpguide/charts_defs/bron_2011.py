"""Chart bron-2011: what one shoulder trial measured at 12 weeks (bron2011treatment).

Drawn from the evidence data (evidence/treatments/manual-therapy.yml), never typed here: the
DASH difference, the three pain differences and the share who rated themselves improved. The
"2/3 of the trigger points remained" claim is NOT supported (bib/NOTES.md Part C) and is not a
finding, so it cannot be charted.
"""

from __future__ import annotations

import plotly.graph_objects as go

from tpguide.charts import C, Chart, Column

from ._common import base_layout, value_axis

# ---------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------


# Top: between-group differences with 95% CIs; bottom: share who rated themselves improved.
def build_figure(chart: Chart) -> go.Figure:
    rows = range(chart.rows)
    diff = [i for i in rows if chart.data["unit"][i] == "points"]
    share = [i for i in rows if chart.data["unit"][i] == "%"]
    d = chart.data
    differences = go.Bar(
        x=[d["value"][i] for i in diff], y=[d["short"][i] for i in diff], orientation="h",
        marker={"color": C["primary"]},
        error_x={"type": "data", "symmetric": False,
                 "array": [round(d["high"][i] - d["value"][i], 4) for i in diff],
                 "arrayminus": [round(d["value"][i] - d["low"][i], 4) for i in diff],
                 "color": C["fg"], "thickness": 1.5, "width": 5},
        hovertext=[chart.hover_text(i) for i in diff], hoverinfo="text",
        customdata=diff, xaxis="x", yaxis="y", name="Difference",
    )
    improved = go.Bar(
        x=[d["value"][i] for i in share], y=[d["short"][i] for i in share], orientation="h",
        marker={"color": [C["primary"], C["neutral"]][: len(share)]},
        text=[f"{d['value'][i]:g}%" for i in share], textposition="auto",
        hovertext=[chart.hover_text(i) for i in share], hoverinfo="text",
        customdata=share, xaxis="x2", yaxis="y2", name="Improved",
    )
    layout = base_layout(
        470,
        xaxis=value_axis("Difference at 12 weeks, points<br>(95% CI; above 0 favours treatment)",
                         range=[0, 30], anchor="y", zeroline=True),
        yaxis=value_axis("", domain=[0.42, 1], autorange="reversed", anchor="x"),
        xaxis2=value_axis("Rated themselves improved<br>at 12 weeks (%)", range=[0, 100], anchor="y2", ticksuffix="%"),
        yaxis2=value_axis("", domain=[0, 0.2], autorange="reversed", anchor="x2"),
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
        bargap=0.35,
    )
    return go.Figure(data=[differences, improved], layout=layout)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

# (finding id, label in the chart, outcome in the table) for the differences between groups
DIFFERENCES = (
    ("mt-shoulder-dash", "DASH score", "Arm, shoulder and hand problems (DASH, primary outcome)"),
    ("mt-shoulder-pain-current", "Pain now", "Pain now (VAS)"),
    ("mt-shoulder-pain-week", "Pain, past 7 days", "Pain in the past 7 days (VAS)"),
    ("mt-shoulder-pain-worst", "Worst pain, past 7 days", "Worst pain in the past 7 days (VAS)"),
)
IMPROVED = "mt-shoulder-improved"  # proportions: (% treated, % waiting list)
COLUMNS = (
    Column("outcome", "Outcome", kind="text"),
    Column("short", "Label in chart", kind="text", in_text=False),
    Column("measure", "Result type", kind="text"),
    Column("value", "Result", low=0, high=100),
    Column("low", "95% CI lower limit", low=-100, high=100, required=False, decimals=1),
    Column("high", "95% CI upper limit", low=-100, high=100, required=False, decimals=1),
    Column("unit", "Unit", kind="text"),
)


def make_chart(settings: dict, evidence=None) -> Chart:
    findings = evidence.findings if evidence is not None else {}
    rows = []
    for fid, short, outcome in DIFFERENCES:
        if fid in findings and findings[fid].ci:
            f = findings[fid]
            rows.append((outcome, short, "Difference between groups", f.estimate, f.ci[0], f.ci[1], "points"))
    if IMPROVED in findings and findings[IMPROVED].rates:
        treated, waiting = findings[IMPROVED].rates
        rows.append(("Rated themselves improved (GPE): treatment group", "Treatment", "Share of group", treated, None, None, "%"))
        rows.append(("Rated themselves improved (GPE): waiting-list group", "Waiting list", "Share of group", waiting, None, None, "%"))
    data = {col.key: [r[n] for r in rows] for n, col in enumerate(COLUMNS)}
    diffs = "; ".join(f"{r[0].split(' (')[0].lower()} {r[3]:g} points (95% CI {r[4]:g} to {r[5]:g})" for r in rows if r[6] == "points")
    shares = [r[3] for r in rows if r[6] == "%"]
    summary = (
        "A bar chart of results at 12 weeks from one randomised trial in people with chronic shoulder pain: "
        "weekly trigger point treatment (with exercise and advice) against a waiting list. Differences "
        f"favoured treatment: {diffs}. "
        + (f"{shares[0]:g}% of the treated group and {shares[1]:g}% of the waiting-list group rated themselves improved. "
           if len(shares) == 2 else "")
        + "The control was a waiting list, not a sham, and some lower limits are close to zero."
    )
    return Chart(
        id="bron-2011",
        title="What one shoulder trial measured after 12 weeks (Bron 2011)",
        summary=summary,
        sources=("bron2011treatment",) if rows else (),
        columns=COLUMNS,
        data=data,
        figure=build_figure,
        caption=(
            "One trial; the control group waited for treatment (no sham), and the package included "
            "exercise and advice, so the effect cannot be credited to trigger point pressure alone."
        ),
        height=470,
    )
