"""Hook: one page's Markdown, rewritten before Python-Markdown converts it (logic: tpguide.pipeline).

on_page_markdown, priority 70: charts, evidence markers, citations and the news checks run in one
fixed order inside tpguide.pipeline.page_markdown (the same function `tpguide prepare` runs for
other engines). Before Material's blog and tags plugins (-50) see the page.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from tpguide import pipeline
from tpguide.errors import ContentError


@event_priority(70)
def on_page_markdown(markdown, *, page, config, **kwargs):
    try:
        return pipeline.page_markdown(markdown, page, config)
    except ContentError as exc:
        raise PluginError(str(exc)) from None
