"""Hook: place interactive charts where a page has ``[[chart: <id>]]`` (logic: tpguide.charts).

Priority 90 on on_config: after hooks/citations.py (100) has loaded bib/, so chart sources can be
checked against it. Priority 70 on on_page_markdown: before the citations hook (50), so the
``[@key]`` citations in each chart caption become numbered footnotes like any other citation.
on_post_build writes each placed chart's CSV to site/assets/charts/<id>.csv.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tpguide import build, charts
from tpguide.errors import ContentError


@event_priority(90)
def on_config(config: MkDocsConfig, **kwargs) -> MkDocsConfig:
    try:
        charts.start(config)
    except charts.ChartSetupError as exc:
        raise ConfigurationError(str(exc)) from None
    return config


@event_priority(70)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files, **kwargs) -> str:
    state = charts.state_of(config)
    library = files.get_file_from_path(build.LIBRARY_PAGE)
    try:
        return charts.page_markdown(
            state, markdown,
            src_uri=page.file.src_uri,
            page_url=page.url,
            path=build.display_path(config, page),
            source=build.page_source(page),
            bib=build.state_of(config).bib,
            library_url=library.url if library is not None else charts.LIBRARY_URL,
        )
    except ContentError as exc:
        raise PluginError(str(exc)) from None


def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    charts.write_csvs(charts.state_of(config), config.site_dir)
