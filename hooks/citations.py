"""Hook: load bib/ and turn [@key] citations into numbered footnotes (logic: tpguide.build).

Priority 100 on on_config: the bib folder (extra.tpguide.bib_dir) is loaded and checked before
any other hook needs it (hooks/charts.py checks chart sources against it at 90). The citations of
each page are resolved by hooks/render.py (tpguide.pipeline), after its charts and evidence
markers. A bad bib file or citation is refused with file and line.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

from tpguide import build
from tpguide.errors import ContentError


@event_priority(100)
def on_config(config, **kwargs):
    try:
        build.start(config)
    except ContentError as exc:
        raise PluginError(str(exc)) from None
    return config


def on_page_content(html, *, page, config, files, **kwargs):
    try:
        return build.page_content(build.state_of(config), html, page, path=build.display_path(config, page))
    except ContentError as exc:
        raise PluginError(str(exc)) from None
