"""Shared figure helpers for the chart modules (not a chart: the registry skips _modules)."""

from __future__ import annotations

from tpguide.charts import C

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

FONT = '-apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


# Layout every chart starts from: transparent background, palette colours, no zoom or legend.
def base_layout(height: int, **overrides) -> dict:
    layout = {
        "height": height,
        "autosize": True,
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": FONT, "size": 13, "color": C["fg"]},
        "hoverlabel": {"bgcolor": C["surface"], "bordercolor": C["muted"], "font": {"color": C["fg"], "family": FONT}},
        "showlegend": False,
        "dragmode": False,
        "hovermode": "closest",
    }
    layout.update(overrides)
    return layout


# An axis with nothing drawn (for diagrams).
def hidden_axis(lo: float, hi: float) -> dict:
    return {"visible": False, "range": [lo, hi], "fixedrange": True, "zeroline": False, "showgrid": False}


# A data axis in palette colours.
def value_axis(title: str = "", **extra) -> dict:
    axis = {
        "title": {"text": title, "font": {"size": 12, "color": C["muted"]}},
        "gridcolor": C["grid"],
        "linecolor": C["grid"],
        "zerolinecolor": C["muted"],
        "tickfont": {"color": C["fg"]},
        "fixedrange": True,
        "automargin": True,
    }
    axis.update(extra)
    return axis


# An arrow from (x0, y0) to (x1, y1) in data coordinates, optionally labelled at its middle.
def arrow(x0: float, y0: float, x1: float, y1: float, *, xref: str = "x", yref: str = "y", standoff: int = 22) -> dict:
    return {
        "x": x1, "y": y1, "ax": x0, "ay": y0,
        "xref": xref, "yref": yref, "axref": xref, "ayref": yref,
        "showarrow": True, "arrowhead": 2, "arrowsize": 1.3, "arrowwidth": 2,
        "arrowcolor": C["muted"], "standoff": standoff, "startstandoff": standoff, "text": "",
    }


# A text label in data coordinates.
def label(x: float, y: float, text: str, *, color: str | None = None, size: int = 12, **extra) -> dict:
    note = {"x": x, "y": y, "text": text, "showarrow": False, "font": {"size": size, "color": color or C["muted"]}}
    note.update(extra)
    return note
