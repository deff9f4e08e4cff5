"""Prepare (issue 24): everything before an engine that runs no hooks (Zensical) renders the site.

``python -m tpguide.prepare build/zensical`` (``make build ENGINE=zensical`` runs it) writes a
folder that any engine reads as an ordinary MkDocs-style project:

- ``docs/``: every page of docs/ with its Markdown already rewritten by tpguide.pipeline (charts,
  evidence, citations as numbered footnotes), its front matter with the template values added
  (review box, key messages, cite this page, page history: plain data); the generated pages (the
  reference library, "where cited", the evidence map, the handouts) and files (open data,
  robots.txt) beside them;
- ``overrides/``: our templates, less the ones the engine brings its own of (the search box);
- ``mkdocs.yml``: the project's, pointing at those folders, with the ``!relative`` tag resolved;
- ``prepared.pickle``: what finish needs afterwards (who cites what, the chart CSVs).

Every input is checked first, as in a MkDocs build, and problems stop here with ``file:line``,
before any engine runs. The checks and the generated pages come from the same functions the
MkDocs hooks call: prepare runs the hooks' configuration and file events through the MkDocs 1.6
API (used as a library, nothing is rendered; ProperDocs provides the same API), then
tpguide.pipeline on each page. Any warning MkDocs gives meanwhile stops prepare, as --strict does.
"""

from __future__ import annotations

import argparse
import json
import logging
import pickle
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import yaml

from . import template_values
from .errors import ContentError

# Our templates an engine with its own version replaces (Zensical's search box is not Material's).
ENGINE_OWN_TEMPLATES = {"zensical": ("partials/search.html",)}
PREPARED_FILE = "prepared.pickle"
ENGINE_SITE = "site"  # where the engine writes, inside the prepared folder


class PrepareError(Exception):
    """Prepare stopped: the message names file and line, and how to fix it."""


@dataclass
class Prepared:
    """What prepare learnt, for finish."""

    root: Path
    out: Path
    site_dir: Path
    pages: dict = field(default_factory=dict)  # src_uri -> build.PageRecord (citations, title, url)
    urls: dict = field(default_factory=dict)  # src_uri -> URL of every page
    chart_csvs: dict = field(default_factory=dict)  # chart id -> CSV text of every chart placed
    sitemap: list = field(default_factory=list)  # deploy.SitemapEntry of every page
    state: object = None  # tpguide.build.BuildState
    news: object = None  # tpguide.posts.NewsState (feeds)
    deploy: object = None  # tpguide.deploy.DeployState (own assets)
    descriptions: dict = field(default_factory=dict)  # page URL (not %-encoded) -> its front matter description
    view_meta: dict = field(default_factory=dict)  # URL (not %-encoded) of a plugin's view -> its link-preview tags
    key_message_pages: set = field(default_factory=set)  # URLs (not %-encoded) of pages with key messages
    files: object = None  # MkDocs' Files of the project (for a live preview; not pickled)

    def __getstate__(self):  # the file list stays in the live preview's memory
        return {**self.__dict__, "files": None}


def _engine_api():
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, PluginError
    from mkdocs.structure.files import get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation

    return load_config, get_files, set_exclusions, get_navigation, (Abort, ConfigurationError, PluginError)


class _Warnings(logging.Handler):
    """Every warning MkDocs' loggers give while prepare runs (strict: each stops prepare)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def prepare(config_file: Path | str, out: Path | str, *, site_dir: Path | str | None = None,
            engine: str = "zensical", strict: bool = True, shutdown: bool = False) -> Prepared:
    """Check every input, rewrite every page and write the folder an engine builds (see the module doc).

    ``shutdown``: end the plugins' lives afterwards (Material's blog plugin removes its temporary
    folder). The command line does; a process that loads the configuration again must not, because
    Material reuses its plugin instance and the folder with it."""
    return _run(config_file, out, site_dir=site_dir, engine=engine, strict=strict, shutdown=shutdown)[0]


def _run(config_file, out, *, site_dir=None, engine="zensical", strict=True, shutdown=False):
    config_file = Path(config_file).resolve()
    out = Path(out).resolve()
    if out.is_dir():
        (out / PREPARED_FILE).unlink(missing_ok=True)  # never a stale one after a failed prepare
    logger = logging.getLogger("mkdocs")
    level, warnings = logger.level, _Warnings()
    logger.addHandler(warnings)
    logger.setLevel(logging.WARNING)
    config = None
    try:
        prepared, config = _prepare(config_file, out, site_dir, engine, shutdown)
        if strict and warnings.messages:
            raise PrepareError("\n".join(f"warning: {m}" for m in warnings.messages)
                               + f"\nAborted with {len(warnings.messages)} warning(s) in strict mode")
    finally:
        logger.removeHandler(warnings)
        logger.setLevel(level)
        if config is not None and shutdown:
            config.plugins.on_shutdown()
    with open(out / PREPARED_FILE, "wb") as fh:
        pickle.dump(prepared, fh)
    return prepared, config


def _prepare(config_file: Path, out: Path, site_dir, engine: str, shutdown: bool):
    from . import build, charts, deploy, pipeline, posts

    root = config_file.parent
    site_dir = Path(site_dir).resolve() if site_dir else root / "site"
    load_config, get_files, set_exclusions, get_navigation, stops = _engine_api()
    try:
        config = load_config(str(config_file), strict=True)
    except stops as exc:
        raise PrepareError(str(exc)) from None
    done = False
    try:
        _check_out(out, root, Path(config.docs_dir).resolve())
        config.plugins.on_startup(command="build", dirty=False)
        config = config.plugins.on_config(config)
        if build.STATE_KEY not in config or posts.STATE_KEY not in config or deploy.STATE_KEY not in config:
            raise PrepareError(f"{config_file.name}: hooks: must list the project's hooks (hooks/*.py): "
                               "prepare runs their checks and needs what they load")
        # as MkDocs' build does it: theme files, the files events, the exclusions again, the nav
        files = get_files(config)
        files.add_files_from_theme(config.theme.get_env(), config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        config.plugins.on_nav(nav, config=config, files=files)
        prepared = _rewrite_pages(config, files, root, out, site_dir, pipeline, stops)
        state = build.state_of(config)
        prepared.pages = state.pages
        chart_state = charts.state_of(config)
        prepared.chart_csvs = {cid: chart_state.rendered[cid].csv for cid in sorted(chart_state.used)}
        prepared.state = state
        prepared.news = posts.state_of(config)
        prepared.deploy = deploy.state_of(config)
        prepared.news.changes_home, prepared.news.change_items = (
            build.change_feed(state, config.site_url) if config.site_url else ("", []))
        _write_overrides(root, config, out, engine)
        _write_config(config_file, out, site_dir, out / "docs")
        prepared.files = files
        done = True
        return prepared, config
    except stops as exc:
        raise PrepareError(str(exc)) from None
    finally:
        if shutdown and not done:
            config.plugins.on_shutdown()


# The prepared folder is written over on every run: never the project, docs/ or a folder holding
# the project.
def _check_out(out: Path, root: Path, docs: Path) -> None:
    if out.exists() and not out.is_dir():
        raise PrepareError(f"{out}: is a file -> give prepare a folder of its own (e.g. build/zensical)")
    if out == root or root.is_relative_to(out) or out.is_relative_to(docs):
        raise PrepareError(f"{out}: prepare would write over the project's own files -> give it a folder of its "
                           "own outside docs/ (e.g. build/zensical)")


def _rewrite_pages(config, files, root: Path, out: Path, site_dir: Path, pipeline, stops) -> Prepared:
    from mkdocs.structure.pages import Page

    from . import deploy, share

    docs_out = out / "docs"
    docs_out.mkdir(parents=True, exist_ok=True)
    prepared = Prepared(root=root, out=out, site_dir=site_dir)
    problems: list[str] = []
    written = {}
    views = []
    blog = config.plugins.get("material/blog")
    docs = Path(config.docs_dir).resolve()
    for file in files:
        if file.inclusion.is_excluded() and file.is_documentation_page():
            continue  # drafts: not in a build (hidden files such as the blog's .authors.yml are copied)
        if file.generated_by and "hooks" not in file.generated_by:
            # a plugin's own view (the blog's archive and categories): the engine makes its own
            views.append(file)
            continue
        if not file.generated_by and (file.abs_src_path is None or not Path(file.abs_src_path).resolve().is_relative_to(docs)):
            continue  # the theme's own files: the engine brings its theme (our overrides are copied)
        target = docs_out / file.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        prepared.urls[file.src_uri] = file.url
        if not file.is_documentation_page():
            _write_if_changed(target, file.content_bytes)
            continue
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)  # as MkDocs' build does for pages outside the nav
        page = file.page
        try:
            page.read_source(config)
            body = pipeline.page_markdown(page.markdown, page, config)
            if blog is not None and page in blog.blog.posts:
                # the blog plugin resolves a post's authors (the feeds name them); its own view
                # pages and excerpts are the engine's
                page.markdown = body
                blog.on_page_markdown(body, page=page, config=config, files=files)
        except (ContentError, *stops) as exc:
            problems.append(str(exc))
            continue
        written[file.src_uri] = (page, body)
    if problems:
        raise PrepareError("\n".join(problems))
    # What MkDocs' on_page_context gives the templates, as page data (tpguide.template_values):
    # every page first has its Markdown (the library lists who cites what), as in a MkDocs build.
    for src_uri, (page, body) in written.items():
        _write_page(docs_out / src_uri, page, body, config, prepared)
    # what an earlier prepare wrote and this one did not (a page removed since): gone
    keep = {docs_out / uri for uri in prepared.urls}
    for path in sorted(docs_out.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for file in views:  # in the sitemap too, as in a MkDocs build (after the pages)
        view = file.page
        if view is not None and view.canonical_url:
            prepared.sitemap.append(deploy.SitemapEntry(view.canonical_url, None))
        if view is not None:
            # the engine makes these pages, with no front matter of ours: their link previews are
            # added by finish (a view's title is its name until it is rendered)
            prepared.view_meta[unquote(file.url)] = share.social_meta(
                site_name=config.site_name, title=getattr(view, "name", None) or view.title or config.site_name,
                description=config.site_description or "", url=view.canonical_url or view.url, is_article=False)
    return prepared


# One prepared page: its front matter, with the template values, then its rewritten Markdown.
def _write_page(target: Path, page, body: str, config, prepared: Prepared, *, collect: bool = True) -> None:
    meta = template_values.plain(dict(page.meta), keep_dates=True)  # dates stay dates: the blog reads them
    meta.update(_template_values(page, config, prepared, collect=collect))
    for key in INTERNAL_META:
        meta.pop(key, None)
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10**9)
    _write_if_changed(target, f"---\n{front}---\n\n{body}".encode("utf-8"))


# Only what changed is written, so that an engine watching the folder (a live preview) rebuilds
# only that.
def _write_if_changed(target: Path, data: bytes) -> None:
    if not target.is_file() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


# Front matter key the templates read their values from when the engine runs no hooks.
TEMPLATE_KEY = "tpg"
HISTORY_KEY = "tpg_history"
# What the hooks keep in page.meta for themselves (tpguide.build), not for the engine.
INTERNAL_META = ("tpg_reading_time", "tpg_cited_keys")


def _template_values(page, config, prepared: Prepared, *, collect: bool = True) -> dict:
    from . import build, deploy, posts

    state, news = build.state_of(config), posts.state_of(config)
    src = page.file.src_uri
    article = build.is_article(state, src)
    values = {TEMPLATE_KEY: template_values.plain(build.page_context(state, page, config))}
    checks = build.search_checks(state, page.meta, src) if article else ()
    if collect:  # feed entries and the sitemap, once per full prepare (not for a live preview's saves)
        posts.collect(news, page, is_article=article, checks=checks)
    if article and "last_reviewed" in page.meta:
        values[HISTORY_KEY] = posts.history_context(news, page, checks)
    if collect and page.canonical_url:
        prepared.sitemap.append(deploy.SitemapEntry(page.canonical_url, deploy.sitemap_lastmod(page.meta)))
    description = page.meta.get("description")
    if isinstance(description, str):
        prepared.descriptions[unquote(page.url)] = description  # by the file's path (not %-encoded)
    if values[TEMPLATE_KEY].get("key_messages"):
        prepared.key_message_pages.add(unquote(page.url))
    return values


def _write_overrides(root: Path, config, out: Path, engine: str) -> None:
    custom = config.theme.custom_dir
    target = out / "overrides"
    left_out = set(ENGINE_OWN_TEMPLATES.get(engine, ()))
    wanted = set()
    if custom:
        for path in sorted(Path(custom).rglob("*")):
            name = path.relative_to(custom).as_posix()
            if path.is_file() and name not in left_out:
                wanted.add(target / name)
                _write_if_changed(target / name, path.read_bytes())
    if target.is_dir():
        for path in sorted(target.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()


def _write_config(config_file: Path, out: Path, site_dir: Path, docs_out: Path) -> None:
    text = config_file.read_text(encoding="utf-8")
    root = config_file.parent
    # paths as JSON strings, which YAML reads as they are (a folder may hold ': ' or ' #')
    text = re.sub(r"!relative \$config_dir/([^\],\s]+)", lambda m: json.dumps(str(root / m.group(1))), text)
    if "!relative" in text:
        line = text[:text.index("!relative")].count("\n") + 1
        raise PrepareError(f"{config_file.name}:{line}: only '!relative $config_dir/PATH' can be given to an engine "
                           "that does not know the tag -> write the path in that form")
    text = re.sub(r"(?m)^  custom_dir: .*$", f"  custom_dir: {json.dumps(str(out / 'overrides'))}", text)
    # Zensical's "classic" look is Material's, which our stylesheets and screenshots assume
    text = re.sub(r"(?m)^theme:\n", "theme:\n  variant: classic\n", text, count=1)
    text = re.sub(r"(?m)^docs_dir: .*\n", "", text)
    text = re.sub(r"(?m)^site_dir: .*\n", "", text)
    # Zensical wants site_dir inside the project folder: finish moves the site to its place
    text = f"docs_dir: docs\nsite_dir: {ENGINE_SITE}\n" + text
    _write_if_changed(out / "mkdocs.yml", text.encode("utf-8"))


class Session:
    """A prepared project kept in memory for a live preview (``make serve ENGINE=zensical``).

    :meth:`full` prepares everything, as :func:`prepare`. :meth:`page` prepares one changed page
    and its handout again: their input checks, tpguide.pipeline and their template values, into
    the prepared folder, where the engine's own watcher picks them up. An edit that changes what
    other pages show of the page (its title, front matter, citations, evidence) needs a full
    prepare, as under ProperDocs (tpguide.preview).
    """

    def __init__(self, config_file: Path | str, out: Path | str, *, engine: str = "zensical"):
        self.config_file, self.out, self.engine = Path(config_file).resolve(), Path(out).resolve(), engine
        self.prepared: Prepared | None = None
        self.config = None

    def full(self) -> Prepared:
        self.prepared, self.config = None, None
        self.prepared, self.config = _run(self.config_file, self.out, engine=self.engine)
        return self.prepared

    def page(self, src_uri: str) -> bool:
        """Prepare one page again, with its handout; False when it needs a full prepare (a new,
        removed or generated page, a research news post, or an edit that changes what other pages
        show of it: tpguide.preview.outline). A problem raises PrepareError, as prepare does."""
        from . import build, inputs, pipeline, posts, preview

        if self.prepared is None or self.config is None:
            return False
        config, files = self.config, self.prepared.files
        file = files.get_file_from_path(src_uri) if files is not None else None
        if (file is None or file.page is None or file.generated_by or not file.is_documentation_page()
                or not Path(file.abs_src_path).is_file()
                or posts.state_of(config).settings.is_post(src_uri)):
            return False
        problems = inputs.check_doc_files(config, [file])
        if problems:
            raise PrepareError(str(ContentError(problems)))
        state = build.state_of(config)
        page = file.page
        written = []
        try:
            before = preview.outline(config, page)
            page.read_source(config)
            written.append((src_uri, page, pipeline.page_markdown(page.markdown, page, config)))
            if preview.outline(config, page) != before:
                return False
            handouts = build.handout_again(state, files, file)
            if handouts is None:
                return False
            for handout in handouts:
                before = preview.outline(config, handout.page)
                handout.page.read_source(config)
                written.append((handout.src_uri, handout.page,
                                pipeline.page_markdown(handout.page.markdown, handout.page, config)))
                if preview.outline(config, handout.page) != before:
                    return False
        except ContentError as exc:
            raise PrepareError(str(exc)) from None
        for uri, written_page, body in written:
            _write_page(self.out / "docs" / uri, written_page, body, config, self.prepared, collect=False)
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tpguide.prepare", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder to write (e.g. build/zensical)")
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    parser.add_argument("-d", "--site-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    # through the package, not __main__, so that what is pickled names tpguide.prepare's classes
    from tpguide import prepare as module

    try:
        module.prepare(args.config_file, args.out, site_dir=args.site_dir, shutdown=True)
    except module.PrepareError as exc:
        print(f"tpguide prepare: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
