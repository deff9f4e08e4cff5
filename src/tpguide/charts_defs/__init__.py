"""Chart definitions: one module per chart, each defining CHART (or make_chart(settings)).

Every number here must come from a verified, cited source (bib/NOTES.md); never invent one.
Place a chart on a page with a line of its own: ``[[chart: <id>]]``.
"""
