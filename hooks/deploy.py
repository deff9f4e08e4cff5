"""Hook: what publishing needs from every build (logic: tpguide.deploy and tpguide.security).

- on_config (priority 200, before every hook that reads an input): the inline scripts our and
  Material's templates can write, the only ones the CSP can allow; remember the site folder
  for on_build_error.
- on_files: generate robots.txt, note our own CSS/JS for fingerprinting, allow the scripts of
  the redirect pages.
- on_post_page: refuse a page with any other inline script, naming it; the CSP <meta> tag of
  each page (not under `mkdocs serve`: its live-reload script is inline and different on every
  request).
- on_env: Jinja keeps the compiled templates between builds (tpguide.buildcache).
- on_post_build: fingerprint our assets, make the CSP site-wide, rewrite sitemap.xml with review
  dates, write site/_headers and build/deploy/{csp,nginx}.conf.
- on_build_error: remove the site folder, so a failed `mkdocs build` leaves nothing that looks
  like a site (not under `mkdocs serve`, which keeps serving the last good build).

Priority -100 on on_files, on_post_page and on_post_build: runs after every other plugin and hook,
so it sees every added asset, every inline script and every written page (also redirect pages).
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from tpguide import build, buildcache, deploy
from tpguide.errors import ContentError

ROBOTS = "robots.txt"
# The MkDocs command of this process ("serve" or "build"), set once by on_startup: it cannot
# change between the rebuilds of one process, unlike per-build state (tpguide.deploy.DeployState).
# The site folder of the current build, for on_build_error (which is given no config).
_COMMAND = {"name": "build", "site_dir": None}


def on_startup(*, command, **kwargs):
    _COMMAND["name"] = command


@event_priority(200)
def on_config(config, **kwargs):
    _COMMAND["site_dir"] = config.site_dir
    deploy.start(config, serving=_COMMAND["name"] == "serve")
    return config


@event_priority(-100)
def on_files(files, *, config, **kwargs):
    if files.get_file_from_path(ROBOTS) is None:
        files.append(File.generated(config, ROBOTS, content=deploy.robots_txt(config.site_url)))
    try:
        deploy.collect_assets(deploy.state_of(config), files, config)
    except ContentError as exc:
        raise PluginError(str(exc)) from None
    return files


def on_env(env, **kwargs):
    return buildcache.keep_compiled_templates(env)


@event_priority(-100)
def on_post_page(output, *, page, config, **kwargs):
    try:
        return deploy.page_output(deploy.state_of(config), output, page, path=build.display_path(config, page))
    except ContentError as exc:
        raise PluginError(str(exc)) from None


@event_priority(-100)
def on_post_build(*, config, **kwargs):
    try:
        deploy.finish(deploy.state_of(config), config)
    except ContentError as exc:
        raise PluginError(str(exc)) from None


def on_build_error(*, error, **kwargs):
    if _COMMAND["name"] != "serve":
        deploy.discard_site(_COMMAND["site_dir"])
