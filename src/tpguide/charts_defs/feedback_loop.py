"""Chart feedback-loop: the proposed "integrated hypothesis" loop, with its evidence and critics.

Sources (bib/NOTES.md): gerwin2004expansion (the model), quintner2015critical (its critics),
shah2008biochemicals (the small lab study of chemicals near trigger points),
uemoto2013myofascial (laser and blood flow, offered as an idea). Not citable (bib/PENDING.md):
simons1999myofascial, shah2005vivo.
"""

from __future__ import annotations

import math

import plotly.graph_objects as go

from tpguide.charts import C, Chart, Column, wrap_words

from ._common import arrow, base_layout, hidden_axis, label

# ---------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------


# Four steps on a circle, clockwise from the top, joined by arrows into a loop.
def build_figure(chart: Chart) -> go.Figure:
    n = chart.rows
    angles = [math.pi / 2 - 2 * math.pi * i / n for i in range(n)]
    xs = [round(math.cos(a), 4) for a in angles]
    ys = [round(math.sin(a), 4) for a in angles]
    names = [s.split(". ", 1)[-1] for s in chart.data["step"]]
    positions = ["top center", "middle right", "bottom center", "middle left"]
    nodes = go.Scatter(
        x=xs, y=ys, mode="markers+text",
        text=[f"<b>{i + 1}</b>" for i in range(n)],
        textposition="middle center", textfont={"color": C["surface"], "size": 14},
        marker={"size": 34, "color": C["primary"], "line": {"color": C["surface"], "width": 2}},
        hovertext=[chart.hover_text(i) for i in range(n)], hoverinfo="text",
        customdata=list(range(n)), name="Steps",
    )
    notes = []
    for i in range(n):
        j = (i + 1) % n
        notes.append(arrow(xs[i], ys[i], xs[j], ys[j], standoff=22))
    offsets = [(0, 0.32), (0.22, 0), (0, -0.32), (-0.22, 0)]
    anchors = [("center", "bottom"), ("left", "middle"), ("center", "top"), ("right", "middle")]
    for i in range(n):
        dx, dy = offsets[i % 4]
        xa, ya = anchors[i % 4]
        # the side labels have about 80 px beside their step on a 375 px phone: a word a line
        notes.append(label(xs[i] + dx, ys[i] + dy, wrap_words(names[i], 15 if i % 2 == 0 else 10), color=C["fg"], size=13,
                           xanchor=xa, yanchor=ya))
    notes.append(label(-0.5, 0.5, "more<br>contraction", size=11, xanchor="right", yanchor="bottom"))
    notes.append(label(0, 0, "A proposed loop,<br>not a proven one", size=11, color=C["accent"]))
    layout = base_layout(
        380,
        xaxis=hidden_axis(-2.3, 2.3),
        yaxis=hidden_axis(-1.75, 1.75),
        annotations=notes,
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
    )
    return go.Figure(data=[nodes], layout=layout)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

CHART = Chart(
    id="feedback-loop",
    title="The proposed trigger point feedback loop (a hypothesis)",
    summary=(
        "A diagram of four steps in a circle, from the integrated hypothesis: 1. a tiny part of the "
        "muscle contracts and does not let go; 2. the tight patch presses on small blood vessels; "
        "3. less blood and oxygen reach the patch; 4. irritating chemicals build up, which is said to "
        "cause more contraction, so the loop starts again. This is a model, not a demonstrated chain: "
        "critics say neither the lesion nor the loop has been shown. Dry needling and firm pressure "
        "are aimed at the tight patch, and laser is suggested, as an idea, to improve blood flow. The "
        "data table lists each step with its evidence."
    ),
    sources=("gerwin2004expansion", "quintner2015critical", "shah2008biochemicals", "uemoto2013myofascial"),
    columns=(
        Column("step", "Step", kind="text"),
        Column("what", "What the model says", kind="text"),
        Column("evidence", "Evidence", kind="text"),
        Column("therapies", "Treatments thought to act here", kind="text"),
        Column("source", "Main source", kind="source"),
    ),
    data={
        "step": [
            "1. Contraction (spasm)",
            "2. Local tightness",
            "3. Less blood flow and oxygen",
            "4. Irritating chemicals build up",
        ],
        "what": [
            "A tiny part of the muscle tightens and does not let go. The model says this starts where a nerve meets the muscle (the motor endplate).",
            "The tight patch presses on the tiny blood vessels around it.",
            "Less blood flows through the patch, so it gets less oxygen.",
            "Chemicals that irritate nerves collect in the area. They are said to keep the muscle tight and painful, which takes the loop back to step 1.",
        ],
        "evidence": [
            "A proposed step of the integrated hypothesis, a model that has not been shown to be true.",
            "A proposed step of the model, not a demonstrated one.",
            "A proposed step of the model, not a demonstrated one.",
            "A small lab study (9 volunteers) found more pain- and inflammation-related substances, and more acidity, near active trigger points, but also in a distant calf muscle. It measured no waste products.",
        ],
        "therapies": [
            "Dry needling: the needle is aimed at the tight patch the model describes.",
            "Firm pressure (ischemic compression) is meant to calm the tight patch.",
            "Laser: one review suggests it may improve blood flow in tiny vessels, as an idea, not a finding.",
            "None shown. Claims that a treatment flushes out waste go beyond what the studies measured.",
        ],
        "source": ["gerwin2004expansion", "gerwin2004expansion", "uemoto2013myofascial", "shah2008biochemicals"],
    },
    figure=build_figure,
    kind="steps",
    caption=(
        "A hypothesis, not a proven fact: the integrated hypothesis as restated and extended by its "
        "proponents. Its critics say the loop has never been shown."
    ),
    height=380,
    steps_label="Step",
)
