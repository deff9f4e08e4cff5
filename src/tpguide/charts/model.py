"""What a chart is: the Chart and Column definitions, the palette, and how values are shown.

Chart modules (tpguide/charts_defs/) build their charts from these; everything else in this
package reads them.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

CHART_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
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
        return "<br>".join(wrap_words(escape_html(part), width) for part in self.row_parts(index))

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
            shown = format_value(value, col)
            parts.append(shown if n == 0 else f"{col.label}: {shown}{unit_suffix(col)}")
        return parts


class ChartSetupError(Exception):
    """A chart module or the chart settings are broken (not a content problem of a page)."""


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


# A value as shown in tables, hover labels and row text ("\u2212" for minus signs).
def format_value(value: Any, col: Column) -> str:
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


# The unit written after a number in row text: "%" directly, anything else after a space.
def unit_suffix(col: Column) -> str:
    if not col.unit or col.kind != "number":
        return ""
    return col.unit if col.unit == "%" else f" {col.unit}"


# Text made safe for HTML content and attribute values.
def escape_html(text: Any) -> str:
    return html.escape(str(text), quote=True)
