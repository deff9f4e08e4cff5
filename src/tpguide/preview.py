"""``make serve`` on MkDocs or ProperDocs: a saved page is rebuilt alone (issue 24).

The engine's live server rebuilds the whole site after every change (about 8 s here). A live
preview session (:class:`Session`, started by hooks/preview.py under ``serve``) takes its place as
the server's builder:

- after a full build it keeps what that build made (configuration, files, navigation, template
  environment) and a snapshot of every watched file (modification time and size);
- when the only changes are to existing Markdown pages (not research news posts, not generated
  pages), it runs the engine's own page steps for those pages and their handouts again: the input
  checks, every page event (our pipeline, the content checks, the templates), every page's anchor
  checks, then :func:`tpguide.deploy.finish_page`. A warning fails it as it fails the strict build;
- if the edit changed what other pages show of the page (its title, front matter, headings,
  citations or evidence markers: :func:`outline`), or anything else changed (bib/, evidence/,
  templates, mkdocs.yml, a new or removed page, the blog's .authors.yml, a git commit), or the day
  changed, the whole site is built, as the engine would.

What a page-alone rebuild leaves for the next full one: the search index (it still finds the
page by its old text) and the research news feeds. The build behind ``make build`` and
``make test`` never takes this path.

The engine steps are MkDocs 1.6's own (``mkdocs.commands.build._populate_page`` and
``_build_page``, the same in ProperDocs 1.6); tests/build/test_preview_build.py runs a preview
on both engines, so a change there fails a test rather than a preview.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

# Editors' own files beside the one saved: vim's .x.swp (.swo, .swx ...) and 4913, emacs' .#x,
# #x# and x~, .tmp and .bak files. Never a reason to rebuild. Other dotfiles are: the blog's
# .authors.yml is read by the build.
EDITOR_FILE_RE = re.compile(r"^(?:\..*\.sw[a-px]|\.#.*|#.*#|4913|.*~|.*\.(?:tmp|bak))$")


# The folders and files a live preview watches: docs_dir, the bib folder, evidence/, the snippet
# folders, the theme overrides and mkdocs.yml, as the configuration names them.
def watched_paths(config) -> list[Path]:
    from . import build, inputs

    root = Path(config.config_file_path).parent
    settings = dict(config.extra.get("tpguide") or {})
    paths = [Path(config.docs_dir), build.bib_dir(config),
             root / str(settings.get("evidence_dir", build.DEFAULT_EVIDENCE_DIR)), Path(config.config_file_path)]
    paths += [Path(b) for b in inputs.snippet_settings(config)[0]]
    if config.theme.custom_dir:
        paths.append(Path(config.theme.custom_dir))
    out: list[Path] = []
    for path in paths:
        path = path.resolve()
        if path.exists() and not any(path == p or path.is_relative_to(p) for p in out):
            out = [p for p in out if not p.is_relative_to(path)] + [path]
    return out


# The git reflog, when the project is a git repository: a commit changes the page history boxes
# and the research news dates a full build shows.
def _git_paths(config) -> list[Path]:
    head = Path(config.config_file_path).parent / ".git" / "logs" / "HEAD"
    return [head] if head.is_file() else []


Snapshot = dict  # absolute path (str) -> (mtime_ns, size)


def snapshot(paths) -> Snapshot:
    """Modification time and size of every file under paths (files or folders)."""
    out: Snapshot = {}
    for root in paths:
        root = str(root)
        if os.path.isfile(root):
            st = os.stat(root)
            out[root] = (st.st_mtime_ns, st.st_size)
            continue
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:  # removed while we looked
                    continue
                out[path] = (st.st_mtime_ns, st.st_size)
    return out


def changed(before: Snapshot, after: Snapshot) -> set[Path]:
    """The files added, removed or modified between two snapshots, editors' own files left out."""
    names = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return {Path(p) for p in names if not EDITOR_FILE_RE.match(os.path.basename(p))}


def outline(config, page) -> tuple:
    """What other pages show of a page: its title, front matter, headings, citations (key and
    heading, in order) and the evidence it shows. Equal before and after an edit: the edit changed
    only the page itself (and its handout)."""
    from . import build

    state = build.state_of(config)
    src = page.file.src_uri
    record = state.pages.get(src)
    cites = [(c.key, c.heading) for c in record.citations] if record else None
    use = state.evidence_uses.get(src)
    shown = (sorted(use.findings), sorted(use.red_flags), sorted(use.harms_of), sorted(use.summaries_of),
             use.changes) if use is not None else None
    # the front matter as written (the pipeline's own tpg_* values, such as the reading time, are
    # shown on the page alone)
    meta = {k: v for k, v in page.meta.items() if not str(k).startswith("tpg_")}
    return (page.title, repr(meta), _anchors(page.toc), cites, record and record.anchors, record and record.title,
            shown)


def _anchors(toc) -> list:
    out = []
    for item in toc or []:
        out.append((item.id, item.title, _anchors(item.children)))
    return out


@dataclass
class _Built:
    """What one build of the engine made, as the hooks saw it."""

    config: object
    paths: list[Path]
    snapshot: Snapshot
    nav: object = None
    env: object = None
    files: object = None
    outlines: dict = field(default_factory=dict)
    day: dt.date | None = None  # the day it was built: "review due" and similar dates depend on it


class Session:
    """The live preview's builder. hooks/preview.py tells it what each build made
    (:meth:`build_started`, :meth:`seen_nav`, :meth:`seen_env`) and installs it as the server's
    builder (:meth:`install`); the server calls it after every change."""

    def __init__(self, log: logging.Logger | None = None):
        if log is None:
            from mkdocs.plugins import get_plugin_logger

            log = get_plugin_logger("tpguide")
        self.log = log
        self.full_builder = None
        self._pending: _Built | None = None  # the build under way
        self._good: _Built | None = None  # the last build that succeeded, as served
        self.last: str = ""  # "page", "full" or "none": what the last call did (tests, messages)
        self._early: tuple[list[Path], Snapshot] | None = None  # taken before a full build started

    # -- what the hooks report -------------------------------------------------------------------

    # hooks/preview.py calls this first of all hooks (on_config, priority 300), before any input
    # is read; a full build started by the session uses the snapshot taken before the engine
    # loaded mkdocs.yml (:meth:`__call__`), so a save during the build is a change next time.
    def build_started(self, config) -> None:
        paths = watched_paths(config) + _git_paths(config)
        early, self._early = self._early, None
        snap = early[1] if early is not None and early[0] == paths else snapshot(paths)
        self._pending = _Built(config=config, paths=paths, snapshot=snap)

    def seen_nav(self, config, nav) -> None:
        if self._pending is not None and self._pending.config is config:
            self._pending.nav = nav

    def seen_env(self, config, env, files) -> None:
        if self._pending is not None and self._pending.config is config:
            self._pending.env, self._pending.files = env, files

    # The build under way succeeded: keep it.
    def build_succeeded(self) -> None:
        built, self._pending = self._pending, None
        if built is None or built.env is None or built.nav is None:
            self._good = None
            return
        built.outlines = {f.src_uri: outline(built.config, f.page)
                          for f in built.files.documentation_pages() if f.page is not None}
        built.day = dt.date.today()
        self._good = built

    def install(self, server, builder) -> None:
        """Take the place of the engine's builder (the initial build has succeeded), and watch
        bib/, evidence/ and the snippet folders too."""
        self.full_builder = builder
        if self._good is None:
            self.build_succeeded()
        # (not the git reflog: a commit alone rebuilds nothing; the next save sees it)
        for path in (watched_paths(self._good.config) if self._good else []):
            server.watch(str(path))
        server.builder = self

    # -- the builder -----------------------------------------------------------------------------

    def __call__(self, config=None) -> None:
        good = self._good
        if config is None and good is not None and good.day == dt.date.today():
            now = snapshot(good.paths)
            paths = changed(good.snapshot, now)
            if not paths and now != good.snapshot:  # only editors' own files changed
                good.snapshot = now
                self.last = "none"
                return
            start = time.perf_counter()
            rebuilt = self._pages_alone(good, paths) if paths else None
            if rebuilt is not None:
                good.snapshot = now
                self.last = "page"
                docs = Path(good.config.docs_dir).name
                self.log.info(f"rebuilt {', '.join(f'{docs}/{uri}' for uri in rebuilt)} alone in "
                              f"{time.perf_counter() - start:.2f} s "
                              "(search and the feeds catch up at the next full build)")
                return
        if good is not None:
            self._early = (good.paths, snapshot(good.paths))
        self._good = None
        self.last = "full"
        self.full_builder(config)
        self.build_succeeded()

    # Rebuild the changed pages (and their handouts) alone, returning their src URIs; None when
    # the whole site must be built. Raises the engine's Abort on a problem, as its build does.
    def _pages_alone(self, good: _Built, paths: set[Path]) -> list[str] | None:
        from mkdocs.commands import build as engine_build
        from mkdocs.exceptions import Abort, BuildError, PluginError
        from mkdocs.structure.files import InclusionLevel
        from mkdocs.structure.pages import Page

        from . import build, deploy, inputs, posts
        from .errors import ContentError

        config, files = good.config, good.files
        by_path = {Path(f.abs_src_path).resolve(): f for f in files.documentation_pages()
                   if f.abs_src_path and not f.generated_by}
        pages = []
        for path in paths:
            file = by_path.get(path.resolve())
            if (file is None or file.page is None or type(file.page) is not Page or not path.is_file()
                    or posts.state_of(config).settings.is_post(file.src_uri)):
                return None
            pages.append(file)
        state = build.state_of(config)
        engine_logger = logging.getLogger(engine_build.__name__.split(".")[0])
        counter = _Count()
        if config.strict:
            engine_logger.addHandler(counter)
        try:
            problems = inputs.check_doc_files(config, pages)
            if problems:
                raise PluginError(str(ContentError(problems)))
            targets = list(pages)
            for file in pages:
                engine_build._populate_page(file.page, config, files)
                handouts = build.handout_again(state, files, file)
                if handouts is None:
                    return None
                for handout in handouts:
                    engine_build._populate_page(handout.page, config, files)
                    targets.append(handout)
            if any(outline(config, f.page) != good.outlines.get(f.src_uri) for f in targets):
                return None
            doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
            for file in targets:
                engine_build._build_page(file.page, config, doc_files, good.nav, good.env,
                                         excluded=file.inclusion.is_excluded())
            # every page's links to anchors, as the engine checks them: another page may link to
            # an id the saved page no longer has
            for file in doc_files:
                if file.page is not None:
                    file.page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
            for file in targets:
                if not deploy.finish_page(deploy.state_of(config), config, file.dest_uri):
                    return None
            if counter.count:
                raise Abort(f"Aborted with {counter.count} warnings in strict mode!")
            return [f.src_uri for f in targets]
        except Exception as exc:  # as the engine's build does
            config.plugins.on_build_error(error=exc)
            if isinstance(exc, BuildError):
                self.log.error(str(exc))
                raise Abort("Aborted with a BuildError!") from None
            raise
        finally:
            engine_logger.removeHandler(counter)


class _Count(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


# The session of this process: there is one under `serve`, none under `build`.
_SESSION: Session | None = None


def begin(command: str) -> Session | None:
    """Start a session when the engine serves (on_startup); None for any other command."""
    global _SESSION
    _SESSION = Session() if command == "serve" else None
    return _SESSION


def session() -> Session | None:
    return _SESSION


__all__ = ["Session", "begin", "session", "snapshot", "changed", "outline", "watched_paths", "EDITOR_FILE_RE"]
