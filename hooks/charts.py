"""Hook: the interactive charts of ``[[chart: <id>]]`` markers (logic: tpguide.charts).

Priority 90 on on_config: after hooks/citations.py (100) has loaded bib/, so chart sources can be
checked against it. The markers are placed by hooks/render.py (tpguide.pipeline), before the
citations of each caption become footnotes. on_post_build writes each placed chart's CSV to
site/assets/charts/<id>.csv.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError
from mkdocs.plugins import event_priority

from tpguide import build, charts


@event_priority(90)
def on_config(config: MkDocsConfig, **kwargs) -> MkDocsConfig:
    try:
        charts.start(config, evidence=build.state_of(config).evidence)
    except charts.ChartSetupError as exc:
        raise ConfigurationError(str(exc)) from None
    return config


def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    charts.write_csvs(charts.state_of(config), config.site_dir)
