"""Chart cost-calculator: what a course of sessions costs in money and time.

The default number of sessions follows one trial's protocol (bron2011treatment, bib/NOTES.md:
"Weekly treatment ... 12 weeks"): one session a week for 12 weeks. The trial reports weekly
treatment over 12 weeks, not an exact count of sessions attended, and the label says so. The
price and minutes are examples the reader must replace (extra.tpguide.charts in mkdocs.yml sets
the currency and the example values); they are not data.
"""

from __future__ import annotations

import plotly.graph_objects as go

from tpguide.charts import C, Chart, Column

from ._common import base_layout, value_axis

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

DEFAULT_SESSIONS = 12  # weekly for 12 weeks (bron2011treatment)
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$"}


# ---------------------------------------------------------------------------
# Figure
# ---------------------------------------------------------------------------


# Cumulative cost after each session (the loader redraws it as the inputs change).
def build_figure(chart: Chart) -> go.Figure:
    calc = chart.calculator
    sessions, price, minutes = (int(calc["fields"][0]["value"]), calc["fields"][1]["value"], calc["fields"][2]["value"])
    money = calc["symbol"]
    xs = list(range(1, sessions + 1))
    ys = [round(price * n, 2) for n in xs]
    hover = [f"After session {n}: {money}{price * n:,.2f} and {minutes * n / 60:.1f} hours" for n in xs]
    bars = go.Bar(x=xs, y=ys, marker={"color": C["primary"]}, hovertext=hover, hoverinfo="text", name="Cost")
    layout = base_layout(
        300,
        xaxis=value_axis("Session number", dtick=1 if sessions <= 20 else None, showgrid=False),
        yaxis=value_axis(f"Total cost so far ({calc['currency']})", rangemode="tozero"),
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        bargap=0.25,
    )
    return go.Figure(data=[bars], layout=layout)


# ---------------------------------------------------------------------------
# Chart (depends on extra.tpguide.charts: currency and example values)
# ---------------------------------------------------------------------------


# The calculator, with the currency and example values from the site settings.
def make_chart(settings: dict) -> Chart:
    currency = settings["currency"]
    symbol = _SYMBOLS.get(currency, currency + " ")
    price = settings["example_price"]
    minutes = settings["example_minutes"]
    total = price * DEFAULT_SESSIONS
    hours = minutes * DEFAULT_SESSIONS / 60
    fields = [
        {"name": "sessions", "label": "Number of sessions", "value": DEFAULT_SESSIONS, "min": 1, "max": 200, "step": 1,
         "note": "Default: one a week for 12 weeks, as in one shoulder trial."},
        {"name": "price", "label": f"Price per session ({currency}): an example, replace it", "value": price,
         "min": 0, "max": 100000, "step": "any", "note": "Not data: enter the price you are quoted."},
        {"name": "minutes", "label": "Minutes per session, including travel: an example, replace it", "value": minutes,
         "min": 0, "max": 1440, "step": 1, "note": "Not data: include travel and waiting time."},
    ]
    return Chart(
        id="cost-calculator",
        title="What would a course of sessions cost you? A calculator",
        summary=(
            f"A calculator: enter the number of sessions, the price of one session and the minutes each "
            f"session takes including travel; it shows the total cost and the total hours, and a bar "
            f"chart of the cost so far after each session. The default of {DEFAULT_SESSIONS} sessions "
            f"follows one trial's weekly treatment over 12 weeks. The price ({symbol}{price:g}) and the "
            f"minutes ({minutes:g}) are examples, not data: replace them with your own."
        ),
        sources=("bron2011treatment",),
        columns=(
            Column("setting", "Setting", kind="text"),
            Column("value", "Default value", low=0, high=100000),
            Column("unit", "Unit", kind="text"),
            Column("basis", "Where the default comes from", kind="text"),
            Column("source", "Source", kind="source", required=False),
        ),
        data={
            "setting": ["Number of sessions", "Price per session", "Minutes per session, including travel"],
            "value": [DEFAULT_SESSIONS, price, minutes],
            "unit": ["sessions", currency, "minutes"],
            "basis": [
                "One session a week for 12 weeks, the treatment period of one shoulder trial. The trial "
                "reports weekly treatment over 12 weeks, not the number of sessions each person attended.",
                "An example only, not data. Replace it with the price you are quoted.",
                "An example only, not data. Include travel and waiting time.",
            ],
            "source": ["bron2011treatment", None, None],
        },
        figure=build_figure,
        kind="calculator",
        caption="The price and the minutes are examples to replace, not research findings.",
        height=300,
        calculator={
            "fields": fields,
            "currency": currency,
            "symbol": symbol,
            "static_result": (
                f"With these values: {DEFAULT_SESSIONS} sessions cost {symbol}{total:,.2f} in total and take "
                f"{hours:g} hours."
            ),
        },
    )
