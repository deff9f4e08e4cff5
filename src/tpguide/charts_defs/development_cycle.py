"""Chart development-cycle: latent -> activation -> active -> de-activated -> re-activation.

Sources (bib/NOTES.md): bron2012etiology (overload or direct injury as proposed causes of
activation; the cycle as a hypothesis), quintner2015critical (critics: never shown).
Not citable (bib/PENDING.md): simons1999myofascial.
"""

from __future__ import annotations

import plotly.graph_objects as go

from tpguide.charts import C, Chart, Column

from ._common import arrow, base_layout, hidden_axis, label, value_axis

# ---------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------

# (x, y) of each step: y = 1 when the spot hurts on its own, 0 when it does not.
_POSITIONS = [(0, 0), (0.7, 0.5), (1.4, 1), (2.8, 0), (4.2, 1)]
_STATES = {0, 2, 3, 4}  # rows that are states (big markers); the others are transitions


# A zig-zag through time: each state is a node at "hurts on its own: no / yes".
def build_figure(chart: Chart) -> go.Figure:
    xs = [p[0] for p in _POSITIONS[: chart.rows]]
    ys = [p[1] for p in _POSITIONS[: chart.rows]]
    sizes = [26 if i in _STATES else 12 for i in range(chart.rows)]
    trace = go.Scatter(
        x=xs, y=ys, mode="markers",
        marker={"size": sizes, "color": [C["primary"] if i in _STATES else C["accent"] for i in range(chart.rows)],
                "line": {"color": C["surface"], "width": 2}},
        hovertext=[chart.hover_text(i) for i in range(chart.rows)], hoverinfo="text",
        customdata=list(range(chart.rows)), name="Steps",
    )
    notes = [arrow(xs[i], ys[i], xs[i + 1], ys[i + 1], standoff=16) for i in range(chart.rows - 1)]
    names = ["Latent", "activation", "Active", "De-activated", "Active again"]
    for i, name in enumerate(names[: chart.rows]):
        state = i in _STATES
        notes.append(label(xs[i], ys[i] + (0.16 if ys[i] >= 0.5 else -0.16), f"<b>{name}</b>" if state else name,
                           color=C["fg"] if state else C["accent"], size=13 if state else 12,
                           yanchor="bottom" if ys[i] >= 0.5 else "top"))
    # beside their arrows, not on them: left of the way down, right of the way up
    notes.append(label(1.92, 0.45, "after<br>treatment", size=11, xanchor="right", align="right"))
    notes.append(label(3.68, 0.45, "re-activation<br>(e.g. overload)", size=11, color=C["accent"], xanchor="left",
                       align="left"))
    layout = base_layout(
        320,
        xaxis=hidden_axis(-0.6, 5.2),
        yaxis=value_axis(
            "Hurts on its own?", range=[-0.45, 1.45], tickvals=[0, 1], ticktext=["No", "Yes"],
            showgrid=True, zeroline=False,
        ),
        annotations=notes,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
    )
    return go.Figure(data=[trace], layout=layout)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

CHART = Chart(
    id="development-cycle",
    title="The proposed life cycle of a trigger point (a hypothesis)",
    summary=(
        "A step-by-step diagram of how the trigger point model says a trigger point changes over "
        "time: latent (tender when pressed, but not painful on its own); activation, for example by "
        "overload or direct injury; active (painful on its own); de-activated after treatment (no "
        "longer painful on its own); and re-activation, when the same spot hurts again. The model "
        "presents this as a hypothesis, and critics say it has never been shown."
    ),
    sources=("bron2012etiology", "quintner2015critical"),
    columns=(
        Column("step", "Step", kind="text"),
        Column("what", "What the model says", kind="text"),
        Column("evidence", "Evidence", kind="text"),
        Column("source", "Source", kind="source", required=False),
    ),
    data={
        "step": ["1. Latent", "2. Activation", "3. Active", "4. De-activated (after treatment)", "5. Re-activation"],
        "what": [
            "The spot is tender when pressed but does not hurt on its own.",
            "Something makes the spot start to hurt on its own. The usual suspect is overload: asking a muscle to do more than it can handle, without enough recovery. Direct injury is another suggested cause.",
            "The spot causes pain without being pressed.",
            "After treatment, the spot may stop causing pain on its own.",
            "Later, the same spot may start to hurt again. The suggested triggers are the same as for activation, such as overload.",
        ],
        "evidence": [
            "A category used by the trigger point model.",
            "Proposed causes. Overload is a hypothesis, not an established cause.",
            "A category used by the trigger point model.",
            "Part of the model. We found no large study that followed this cycle in people over time.",
            "Proposed. Critics say the whole cycle has never been shown.",
        ],
        "source": [None, "bron2012etiology", None, None, "bron2012etiology"],
    },
    figure=build_figure,
    kind="steps",
    caption="A hypothesis, not a proven fact; its critics say the cycle has never been shown.",
    height=320,
    steps_label="Step",
)
