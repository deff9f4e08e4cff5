"""Chart evidence-summary: pooled effects on pain from systematic reviews, with 95% CIs.

Every number is from bib/NOTES.md: denneny2019trigger (SMDs), sanchezinfante2021dry (SMDs by
follow-up), navarrosantana2020effectiveness (MDs), tehrani2022efficacy (MD). Standardised mean
differences (SMD) and mean differences in points (MD) are drawn in separate panels, because they
are on different scales. Certainty is given in words, only as far as NOTES.md reports it.
"""

from __future__ import annotations

import plotly.graph_objects as go

from tpguide.charts import C, Chart, Column

from ._common import base_layout, value_axis

# ---------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------

_PANELS = (("SMD", "x", "y"), ("MD", "x2", "y2"))


# A forest plot: one panel per effect measure, a dot per estimate with its 95% CI, a line at 0.
def build_figure(chart: Chart) -> go.Figure:
    d = chart.data
    traces = []
    for measure, xaxis, yaxis in _PANELS:
        rows = [i for i in range(chart.rows) if d["measure"][i] == measure]
        traces.append(go.Scatter(
            x=[d["estimate"][i] for i in rows], y=[d["short"][i] for i in rows], mode="markers",
            marker={"size": 10, "symbol": "square", "color": C["primary"]},
            error_x={"type": "data", "symmetric": False,
                     "array": [round(d["high"][i] - d["estimate"][i], 4) for i in rows],
                     "arrayminus": [round(d["estimate"][i] - d["low"][i], 4) for i in rows],
                     "color": C["primary"], "thickness": 2, "width": 4},
            hovertext=[chart.hover_text(i) for i in rows], hoverinfo="text",
            customdata=rows, xaxis=xaxis, yaxis=yaxis, name=measure,
        ))
    zero = {"type": "line", "x0": 0, "x1": 0, "y0": 0, "y1": 1, "line": {"color": C["muted"], "width": 1, "dash": "dot"}}
    layout = base_layout(
        560,
        xaxis=value_axis("SMD with 95% CI<br>(below 0 favours treatment)",
                         range=[-3.6, 0.6], anchor="y", zeroline=False),
        yaxis=value_axis("", domain=[0.47, 1], autorange="reversed", anchor="x", showgrid=False),
        xaxis2=value_axis("MD in pain points, 95% CI<br>(below 0 favours treatment)",
                          range=[-3.8, 0.6], anchor="y2", zeroline=False),
        yaxis2=value_axis("", domain=[0, 0.3], autorange="reversed", anchor="x2", showgrid=False),
        shapes=[{**zero, "xref": "x", "yref": "y domain"}, {**zero, "xref": "x2", "yref": "y2 domain"}],
        margin={"l": 8, "r": 16, "t": 8, "b": 8},
    )
    return go.Figure(data=traces, layout=layout)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

_NOT_GRADED = "Not graded in our notes"

CHART = Chart(
    id="evidence-summary",
    title="How much did treatments reduce pain? Pooled results from systematic reviews",
    summary=(
        "A forest plot of pooled effects on pain, each with its 95% confidence interval; values below "
        "zero favour the treatment. Top panel, standardised mean differences (SMD): trigger point "
        "manual therapy, short term, −0.53 (−1.08 to 0.02), not statistically significant; longer term "
        "−2.00 (−3.40 to −0.60) from one small study; dry needling by physical therapists at four "
        "follow-up windows, from −0.69 to −0.85, all below zero. Bottom panel, mean differences in pain "
        "points (MD): dry needling for neck pain −1.53 immediately and −2.31 in the short term, −0.51 "
        "against manual therapy; low-level laser for neck pain −1.29. Certainty is low or not reported "
        "for most results; see the table for each row's certainty and source."
    ),
    sources=("denneny2019trigger", "sanchezinfante2021dry", "navarrosantana2020effectiveness", "tehrani2022efficacy"),
    columns=(
        Column("treatment", "Treatment and outcome", kind="text"),
        Column("short", "Label in chart", kind="text", in_text=False),
        Column("comparison", "Compared with", kind="text"),
        Column("measure", "Effect measure", kind="text"),
        Column("estimate", "Estimate", low=-5, high=5),
        Column("low", "95% CI lower limit", low=-10, high=10),
        Column("high", "95% CI upper limit", low=-10, high=10),
        Column("certainty", "Certainty (in words)", kind="text"),
        Column("source", "Source", kind="source"),
    ),
    data={
        "treatment": [
            "Trigger point manual therapy: pain, short term",
            "Trigger point manual therapy: pain, longer term",
            "Dry needling: pain within 72 hours",
            "Dry needling: pain at 1 to 3 weeks",
            "Dry needling: pain at 4 to 12 weeks",
            "Dry needling: pain at 13 to 24 weeks",
            "Dry needling, neck pain: immediately",
            "Dry needling, neck pain: short term",
            "Dry needling against manual therapy, neck pain: short term",
            "Low-level laser, neck pain",
        ],
        "short": [
            "Manual therapy, short term",
            "Manual therapy, longer term",
            "Dry needling, ≤72 hours",
            "Dry needling, 1–3 weeks",
            "Dry needling, 4–12 weeks",
            "Dry needling, 13–24 weeks",
            "Dry needling (neck), immediately",
            "Dry needling (neck), short term",
            "Dry needling vs manual therapy",
            "Laser (neck)",
        ],
        "comparison": [
            "The comparison groups of the pooled trials",
            "Control in one small study",
            "Other treatments or placebo",
            "Other treatments or placebo",
            "Other treatments or placebo",
            "Other treatments or placebo",
            "Sham, placebo, waiting list or other needling",
            "Sham, placebo, waiting list or other needling",
            "Manual therapy",
            "Placebo or active treatment",
        ],
        "measure": ["SMD", "SMD", "SMD", "SMD", "SMD", "SMD", "MD", "MD", "MD", "MD"],
        "estimate": [-0.53, -2.00, -0.81, -0.69, -0.85, -0.81, -1.53, -2.31, -0.51, -1.29],
        "low": [-1.08, -3.40, -1.21, -1.02, -1.30, -1.64, -2.29, -3.64, -0.95, -2.36],
        "high": [0.02, -0.60, -0.40, -0.35, -0.40, -0.03, -0.76, -0.99, -0.06, -0.23],
        "certainty": [
            "Weak: the review's authors say the evidence is weak; not statistically significant",
            "Low: one small study",
            "Lowered by differences between trials (risk of bias mostly low)",
            "Lowered by differences between trials (risk of bias mostly low)",
            "Lowered by differences between trials (risk of bias mostly low)",
            "Lowered by differences between trials; wide interval",
            _NOT_GRADED + "; controls mix sham with waiting lists",
            _NOT_GRADED + "; controls mix sham with waiting lists",
            _NOT_GRADED + "; a small difference",
            _NOT_GRADED + "; small trials with mixed comparisons",
        ],
        "source": [
            "denneny2019trigger",
            "denneny2019trigger",
            "sanchezinfante2021dry",
            "sanchezinfante2021dry",
            "sanchezinfante2021dry",
            "sanchezinfante2021dry",
            "navarrosantana2020effectiveness",
            "navarrosantana2020effectiveness",
            "navarrosantana2020effectiveness",
            "tehrani2022efficacy",
        ],
    },
    figure=build_figure,
    caption=(
        "SMD and MD are different measures and are shown in separate panels; do not compare their "
        "sizes directly. Each review pooled different trials, people and comparisons."
    ),
    height=560,
)
