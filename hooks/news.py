"""Hook: research news posts, feeds and page history (logic: tpguide.posts, tpguide.feeds, tpguide.history).

- on_config (priority 80, after hooks/citations.py at 100 has set today's date): fresh news state.
- on_files (priority 10, before Material's blog plugin at -50 reads the posts): every post's front
  matter and structure is checked, so a bad post fails with file, line and fix, never half-built.
- Each page's own checks (a published post must cite its paper; an article must not keep a
  "FILL IN" placeholder) run in hooks/render.py (tpguide.pipeline), after its citations.
- on_page_context: the page-history box of articles; remember feed entries.
- on_post_page: feed autodiscovery links in <head> (before hooks/deploy.py at -100 hashes the page).
- on_post_build: write feed-news.*, feed-updates.* and feed-changes.* (RSS, Atom, JSON Feed) into the site.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import ConfigurationError, PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tpguide import build, feeds, posts
from tpguide.errors import ContentError

log = get_plugin_logger(__name__)


@event_priority(80)
def on_config(config: MkDocsConfig, **kwargs) -> MkDocsConfig:
    shared = build.state_of(config)
    try:
        state = posts.start(config, today=shared.today,
                            exempt=shared.settings.get("frontmatter_exempt", build.DEFAULT_EXEMPT))
    except ContentError as exc:
        raise ConfigurationError(str(exc)) from None
    blog = config.plugins.get("material/blog")
    if blog is None or blog.config.blog_dir.strip("/") != state.settings.dir:
        raise ConfigurationError(
            f"news: Material's blog plugin must be enabled with blog_dir: {state.settings.dir} "
            "(plugins: in mkdocs.yml), or set extra.tpguide.news.dir to its blog_dir"
        )
    if not config.site_url:
        log.warning("news: site_url is not set, so feeds cannot carry absolute links; set site_url in mkdocs.yml")
    return config


@event_priority(10)
def on_files(files: Files, *, config: MkDocsConfig, **kwargs) -> Files:
    try:
        posts.check_posts(posts.state_of(config), files)
    except ContentError as exc:
        raise PluginError(str(exc)) from None
    return files


def on_page_context(context, *, page: Page, config: MkDocsConfig, **kwargs):
    state, shared = posts.state_of(config), build.state_of(config)
    article = build.is_article(shared, page.file.src_uri)
    checks = build.search_checks(shared, page.meta, page.file.src_uri) if article else ()
    posts.collect(state, page, is_article=article, checks=checks)
    context["tpg_history"] = posts.history_context(state, page, checks) if article and "last_reviewed" in page.meta else None
    return context


def on_post_page(output: str, *, page: Page, config: MkDocsConfig, **kwargs) -> str:
    if not config.site_url or "</head>" not in output:
        return output
    depth = page.url.count("/") if page.url else 0
    links = feeds.discovery_links("../" * depth or "./", config.site_name)
    return output.replace("</head>", links + "\n</head>", 1)


def on_post_build(*, config: MkDocsConfig, **kwargs) -> None:
    state, shared = posts.state_of(config), build.state_of(config)
    if config.site_url:
        state.changes_home, state.change_items = build.change_feed(shared, config.site_url)
        posts.write_feeds(state, config.site_dir)
