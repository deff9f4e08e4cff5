"""Chart bron-2011: what one shoulder trial measured at 12 weeks (bron2011treatment).

Only the figures verified in bib/NOTES.md (Part C and the bron2011treatment entry): DASH mean
difference 7.7 (95% CI 1.2 to 14.2); pain VAS differences 13.8 (2.6 to 25.0), 10.2 (0.7 to
19.7) and 13.8 (0.8 to 28.4); 55% vs 14% rated themselves improved. The "2/3 of the trigger
points remained" claim is NOT supported (NOTES.md Part C) and must not be charted.
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

CHART = Chart(
    id="bron-2011",
    title="What one shoulder trial measured after 12 weeks (Bron 2011)",
    summary=(
        "A bar chart of results at 12 weeks from one randomised trial in people with chronic "
        "shoulder pain: weekly trigger point treatment (with exercise and advice) against a waiting "
        "list. Differences favoured treatment: 7.7 points on the DASH score of arm, shoulder and hand "
        "problems (95% CI 1.2 to 14.2); pain now 13.8 points (2.6 to 25.0); pain in the past 7 days "
        "10.2 points (0.7 to 19.7); worst pain in the past 7 days 13.8 points (0.8 to 28.4). 55% of "
        "the treated group and 14% of the waiting-list group rated themselves improved. The control "
        "was a waiting list, not a sham, and some lower limits are close to zero."
    ),
    sources=("bron2011treatment",),
    columns=(
        Column("outcome", "Outcome", kind="text"),
        Column("short", "Label in chart", kind="text", in_text=False),
        Column("measure", "Result type", kind="text"),
        Column("value", "Result", low=0, high=100),
        Column("low", "95% CI lower limit", low=-100, high=100, required=False, decimals=1),
        Column("high", "95% CI upper limit", low=-100, high=100, required=False, decimals=1),
        Column("unit", "Unit", kind="text"),
    ),
    data={
        "outcome": [
            "Arm, shoulder and hand problems (DASH, primary outcome)",
            "Pain now (VAS)",
            "Pain in the past 7 days (VAS)",
            "Worst pain in the past 7 days (VAS)",
            "Rated themselves improved (GPE): treatment group",
            "Rated themselves improved (GPE): waiting-list group",
        ],
        "short": ["DASH score", "Pain now", "Pain, past 7 days", "Worst pain, past 7 days", "Treatment", "Waiting list"],
        "measure": [
            "Mean difference between groups",
            "Difference between groups",
            "Difference between groups",
            "Difference between groups",
            "Share of group",
            "Share of group",
        ],
        "value": [7.7, 13.8, 10.2, 13.8, 55, 14],
        "low": [1.2, 2.6, 0.7, 0.8, None, None],
        "high": [14.2, 25.0, 19.7, 28.4, None, None],
        "unit": ["points", "points", "points", "points", "%", "%"],
    },
    figure=build_figure,
    caption=(
        "One trial; the control group waited for treatment (no sham), and the package included "
        "exercise and advice, so the effect cannot be credited to trigger point pressure alone."
    ),
    height=470,
)
