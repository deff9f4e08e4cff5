"""Hook: what publishing needs from every build (logic: tpguide.deploy and tpguide.security).

- on_files: generate robots.txt, note our own CSS/JS for fingerprinting.
- on_post_page: the CSP <meta> tag of each page (not under `mkdocs serve`: its live-reload
  script is inline and different on every request).
- on_post_build: fingerprint our assets, make the CSP site-wide, rewrite sitemap.xml with review
  dates, write site/_headers and build/deploy/{csp,nginx}.conf.

Priority -100 on on_files, on_post_page and on_post_build: runs after every other plugin and hook,
so it sees every added asset, every inline script and every written page (also redirect pages).
"""

from __future__ import annotations

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from tpguide import deploy

ROBOTS = "robots.txt"
# The MkDocs command of this process ("serve" or "build"), set once by on_startup: it cannot
# change between the rebuilds of one process, unlike per-build state (tpguide.deploy.DeployState).
_COMMAND = {"name": "build"}


def on_startup(*, command, **kwargs):
    _COMMAND["name"] = command


def on_config(config, **kwargs):
    deploy.start(config, serving=_COMMAND["name"] == "serve")
    return config


@event_priority(-100)
def on_files(files, *, config, **kwargs):
    if files.get_file_from_path(ROBOTS) is None:
        files.append(File.generated(config, ROBOTS, content=deploy.robots_txt(config.site_url)))
    deploy.collect_assets(deploy.state_of(config), files, config)
    return files


@event_priority(-100)
def on_post_page(output, *, page, config, **kwargs):
    return deploy.page_output(deploy.state_of(config), output, page)


@event_priority(-100)
def on_post_build(*, config, **kwargs):
    deploy.finish(deploy.state_of(config), config)
