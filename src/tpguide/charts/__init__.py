"""Interactive, accessible charts: definitions, registry, validation, rendering, placement.

A chart is defined in Python, one module per chart under ``tpguide/charts_defs/``: an id, a
title, a one-paragraph summary, its data as named columns, the bib keys of its sources and a
function that turns the data into a Plotly figure. Editors place it in Markdown with one line::

    [[chart: feedback-loop]]

At build time (tpguide.pipeline.page_markdown, first of its steps, before the citations) the
marker becomes a ``<figure>`` holding: the title and summary, an empty plot container,
the figure as a JSON spec, a collapsible data table with a CSV download link, and a caption that
cites the sources as ``[@key]`` (turned into numbered footnotes by the citations step). The
loader ``docs/assets/javascripts/charts.js`` draws the spec with the self-hosted partial Plotly
bundle when a chart nears the viewport. Without JavaScript the summary and table remain.

One module per job; this package's names are the public interface:

- ``model``       Chart, Column, the palette (``C``) and how values are shown
- ``settings``    extra.tpguide.charts in mkdocs.yml
- ``registry``    the chart modules, and the ``CHART`` / ``make_chart(settings)`` protocol
- ``validation``  every check of a definition and its data
- ``render``      the JSON spec and the CSV
- ``markup``      the figure, table and caption that replace a marker
- ``pages``       markers on pages (tpguide.pipeline) and the build events (hooks/charts.py)
- ``sizes``       byte figures (``make bench``, ``python -m tpguide.charts``)
"""

from .markup import BUNDLE_URL, caption_markdown, figure_html, table_html
from .model import C, CHART_ID_RE, COLUMN_KINDS, KINDS, PALETTE, Chart, ChartSetupError, Column, wrap_words
from .pages import (CSV_DIR, LIBRARY_URL, ChartState, Marker, find_markers, page_markdown, relative_url, start,
                    state_of, write_csvs)
from .registry import load_registry
from .render import ChartProblem, Rendered, render, to_csv
from .settings import DEFAULT_SETTINGS, settings_from
from .sizes import BUNDLE_PATH, LOADER_PATH, byte_figures
from .validation import validate

__all__ = [
    "BUNDLE_PATH", "BUNDLE_URL", "C", "CHART_ID_RE", "COLUMN_KINDS", "CSV_DIR", "Chart", "ChartProblem",
    "ChartSetupError", "ChartState", "Column", "DEFAULT_SETTINGS", "KINDS", "LIBRARY_URL", "LOADER_PATH",
    "Marker", "PALETTE", "Rendered", "byte_figures", "caption_markdown", "figure_html", "find_markers",
    "load_registry", "page_markdown", "relative_url", "render", "settings_from", "start", "state_of",
    "table_html", "to_csv", "validate", "wrap_words", "write_csvs",
]
