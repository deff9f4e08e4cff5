"""Research news posts: their front matter schema, their fixed structure and their validation.

Posts live in ``docs/<news dir>/posts/`` and are rendered by Material's blog plugin. They are
exempt from the article schema (tpguide.frontmatter) and get this one instead. Every problem is a
``Problem`` (file, line, what, how to fix), so one build reports all of them.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import Problem
from .frontmatter import field_line, parse_date
from .markdown_regions import prose_spans

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

NEWS_DIR = "research-news"
AUTHORS_FILE = ".authors.yml"
DEFAULT_CATEGORIES = ("Trials", "Reviews", "Debate", "Site news")
MAX_DESCRIPTION = 160
EXCERPT_SEPARATOR = "<!-- more -->"
# The text a scaffolded file carries where an editor still has to write; never published.
PLACEHOLDER = "FILL IN"
# The fixed structure of a research summary: these level-2 headings, in this order.
SECTIONS = (
    "The question",
    "What the researchers did",
    "What they found",
    "How certain it is",
    "What it means for you",
    "The reference",
)
REQUIRED = ("title", "description", "date", "authors", "categories")
OPTIONAL = ("reviewer", "tags", "draft", "slug", "pin", "readtime", "links", "update_log", "hide", "search",
            "subtitle")

_FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
_H2_RE = re.compile(r"^##[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*(?:\{[^}]*\})?[ \t]*$", re.M)
_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class NewsSettings:
    """Where posts live and what they may say, from ``extra.tpguide.news`` in mkdocs.yml."""

    dir: str = NEWS_DIR
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    feed_items: int = 20

    @property
    def posts_dir(self) -> str:
        return f"{self.dir}/posts"

    # Is this docs-relative path (src_uri) a post?
    def is_post(self, src_uri: str) -> bool:
        return src_uri.startswith(self.posts_dir + "/") and src_uri.endswith(".md")


@dataclass
class PostInfo:
    """What validation learnt about one post file."""

    path: str
    meta: dict
    date: dt.date | None = None
    draft: bool = False
    problems: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Settings and side files
# ---------------------------------------------------------------------------


# News settings from the extra.tpguide dict of mkdocs.yml; a bad value is a Problem.
def settings_from(tpguide: dict | None) -> tuple[NewsSettings, list[Problem]]:
    raw = dict((tpguide or {}).get("news") or {})
    problems = []
    cats = raw.get("categories", list(DEFAULT_CATEGORIES))
    if not isinstance(cats, list) or not cats or not all(_text(c) for c in cats):
        problems.append(Problem("mkdocs.yml", None, "extra.tpguide.news.categories must be a list of names",
                                "write the allowed categories as a YAML list"))
        cats = list(DEFAULT_CATEGORIES)
    items = raw.get("feed_items", 20)
    if not isinstance(items, int) or items < 1:
        problems.append(Problem("mkdocs.yml", None, "extra.tpguide.news.feed_items must be a positive number",
                                "write e.g. feed_items: 20"))
        items = 20
    directory = str(raw.get("dir", NEWS_DIR)).strip("/")
    return NewsSettings(dir=directory, categories=tuple(cats), feed_items=items), problems


# Author ids of the blog's .authors.yml (empty when the file is missing or unreadable).
def author_ids(authors_file: Path) -> set[str]:
    try:
        data = yaml.safe_load(authors_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        return set()
    authors = data.get("authors") if isinstance(data, dict) else None
    return set(authors) if isinstance(authors, dict) else set()


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


# Split a post into (front matter dict, body, problems); a post without front matter is a problem.
def split(source: str, path: str) -> tuple[dict, str, list[Problem]]:
    m = _FRONT_RE.match(source)
    if not m:
        return {}, source, [Problem(path, 1, "post has no front matter",
                                    "start the file with '---', the fields (title, date, authors, ...) and '---'")]
    try:
        meta = yaml.safe_load(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        return {}, source[m.end():], [Problem(path, line, f"front matter is not valid YAML ({getattr(exc, 'problem', exc)})",
                                              "check quotes and indentation; quote titles that contain ':'")]
    if not isinstance(meta, dict):
        return {}, source[m.end():], [Problem(path, 1, "front matter must be 'field: value' lines", "see the editor guide")]
    return meta, source[m.end():], []


# Every problem with one post; `today` decides what counts as a future date.
def validate(source: str, *, path: str, settings: NewsSettings, authors: set[str], today: dt.date) -> PostInfo:
    meta, body, problems = split(source, path)
    info = PostInfo(path=path, meta=meta, problems=problems)
    if problems:
        return info

    def bad(key: str, message: str, hint: str) -> None:
        problems.append(Problem(path, field_line(source, key), f"post field '{key}': {message}", hint))

    for key in REQUIRED:
        if key not in meta or meta[key] in (None, "", [], {}):
            problems.append(Problem(path, 1, f"post field '{key}' is missing", f"add '{key}:' ({_HINTS[key]})"))
    for key in meta:
        if key not in REQUIRED and key not in OPTIONAL:
            bad(key, "is not a known field", f"use only {', '.join(REQUIRED + OPTIONAL)}")

    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        bad("draft", f"{draft!r} is not true or false", "write draft: true (not published) or delete the line")
        draft = False
    info.draft = draft

    if "title" in meta and not _text(meta["title"]):
        bad("title", "must be text", "write title: Plain words (quote it if it contains ':')")
    description = meta.get("description")
    if description not in (None, ""):
        if not _text(description):
            bad("description", "must be text", "write one sentence")
        elif len(description) > MAX_DESCRIPTION:
            bad("description", f"is {len(description)} characters long (at most {MAX_DESCRIPTION})",
                "shorten it: it is the summary in feeds, search results and link previews")

    if meta.get("date") not in (None, "", {}):
        info.date = _post_date(meta["date"])
        if info.date is None:
            bad("date", f"{meta['date']!r} is not a date", "write it as YYYY-MM-DD")
        elif info.date > today and not draft:
            bad("date", f"{info.date} is in the future (today is {today})",
                "use today's date, or add 'draft: true' until the post may be published")

    value = meta.get("authors")
    if value not in (None, []):
        if not isinstance(value, list) or not all(_text(a) for a in value):
            bad("authors", "must be a list of author ids", "write '- editorial-team' lines under it")
        else:
            for author in value:
                if author not in authors:
                    known = ", ".join(sorted(authors)) or "none yet"
                    bad("authors", f"'{author}' is not in {settings.dir}/{AUTHORS_FILE}",
                        f"use one of: {known}; or add the author to docs/{settings.dir}/{AUTHORS_FILE}")

    value = meta.get("categories")
    if value not in (None, []):
        if not isinstance(value, list) or not all(_text(c) for c in value):
            bad("categories", "must be a list of category names", "write '- Trials' lines under it")
        else:
            for category in value:
                if category not in settings.categories:
                    bad("categories", f"'{category}' is not an allowed category",
                        f"use one of: {', '.join(settings.categories)} (list: extra.tpguide.news.categories in mkdocs.yml)")

    tags = meta.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(_text(t) for t in tags)):
        bad("tags", "must be a list of words", "write '- dry needling' lines under it")
    slug = meta.get("slug")
    if slug is not None and not (isinstance(slug, str) and _SLUG_RE.match(slug)):
        bad("slug", f"{slug!r} is not a slug", "use lowercase letters, digits and hyphens, e.g. bron-2011-trial")

    if not draft:
        if not _text(meta.get("reviewer")):
            problems.append(Problem(path, field_line(source, "reviewer"), "post field 'reviewer' is missing",
                                    "add 'reviewer: Name' (who checked the summary against the paper), "
                                    "or keep 'draft: true' until it is reviewed"))
        problems += structure_problems(source, body, path)
    return info


# A published post has the six sections in order, an excerpt marker, and no placeholder left.
def structure_problems(source: str, body: str, path: str) -> list[Problem]:
    problems = []
    offset = source.count("\n", 0, len(source) - len(body))
    prose = _prose_only(body)
    found = [(m.group("text").strip(), offset + prose.count("\n", 0, m.start()) + 1) for m in _H2_RE.finditer(prose)]
    headings = [h for h, _ in found]
    if [h for h in headings if h in SECTIONS] != list(SECTIONS):
        missing = [s for s in SECTIONS if s not in headings]
        what = f"missing '## {missing[0]}'" if missing else "the sections are out of order"
        # Point at the first heading that is not one of the sections, else at the start of the body.
        line = next((n for h, n in found if h not in SECTIONS), offset + 1)
        problems.append(Problem(path, line, f"post structure: {what}",
                                "use the sections " + "; ".join(f"'## {s}'" for s in SECTIONS) + ", in this order"))
    if EXCERPT_SEPARATOR not in body:
        problems.append(Problem(path, offset + 1, f"post has no '{EXCERPT_SEPARATOR}' line",
                                "put it after the opening sentence: the text above it is the summary on the news page"))
    problems += placeholder_problems(source, path)
    return problems


# Every "FILL IN" left outside code, with its line.
def placeholder_problems(source: str, path: str) -> list[Problem]:
    out = []
    for start, end in prose_spans(source):
        for m in re.finditer(re.escape(PLACEHOLDER), source[start:end]):
            line = source.count("\n", 0, start + m.start()) + 1
            out.append(Problem(path, line, f"'{PLACEHOLDER}' placeholder still in the text",
                               "write the missing text (or keep 'draft: true' while the post is unfinished)"))
    return out


# A post's publication date from `date: YYYY-MM-DD` or `date: {created: ...}`.
def _post_date(value) -> dt.date | None:
    if isinstance(value, dict):
        value = value.get("created")
    if isinstance(value, str):
        value = value.strip()[:10]
    return parse_date(value)


def _prose_only(body: str) -> str:
    chars = list(body)
    spans = prose_spans(body)
    keep = set()
    for start, end in spans:
        keep.update(range(start, end))
    return "".join(c if (i in keep or c == "\n") else " " for i, c in enumerate(chars))


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


# Is a path (docs-relative) exempt from the article schema by the given patterns?
def exempt(src_uri: str, patterns) -> bool:
    return any(fnmatch.fnmatch(src_uri, p) for p in patterns)


_HINTS = {
    "title": "the headline, in plain words",
    "description": f"one sentence of at most {MAX_DESCRIPTION} characters: the summary in feeds",
    "date": "the publication date, YYYY-MM-DD",
    "authors": f"a list of author ids from {AUTHORS_FILE}",
    "categories": "a list with one allowed category",
}


# ---------------------------------------------------------------------------
# Build: what hooks/news.py delegates here
# ---------------------------------------------------------------------------

STATE_KEY = "_tpguide_news"


@dataclass
class NewsState:
    """Per-build state of the news hook (created anew in on_config, so `serve` rebuilds start clean)."""

    settings: NewsSettings
    docs_dir: Path
    root: Path
    today: dt.date
    exempt: tuple[str, ...]
    site_url: str
    site_name: str
    posts: dict[str, PostInfo] = field(default_factory=dict)  # by src_uri
    news_items: list = field(default_factory=list)  # feeds.Item
    update_items: list = field(default_factory=list)  # feeds.Item
    change_items: list = field(default_factory=list)  # feeds.Item, from tpguide.changes
    changes_home: str = ""  # absolute URL of the page with [[evidence-changes]]
    news_home: str = ""
    _git: object = None

    @property
    def authors_file(self) -> Path:
        return self.docs_dir / self.settings.dir / AUTHORS_FILE

    # The git log of docs/, read once per build and only when a page needs it.
    def git(self):
        from .history import read_git_log

        if self._git is None:
            self._git = read_git_log(self.docs_dir)
        return self._git


# Fresh state for one build; raise ContentError for bad settings.
def start(config, *, today: dt.date, exempt) -> NewsState:
    from .errors import raise_if_any

    settings, problems = settings_from(config.extra.get("tpguide"))
    raise_if_any(problems)
    state = NewsState(
        settings=settings,
        docs_dir=Path(config.docs_dir),
        root=Path(config.config_file_path).parent,
        today=today,
        exempt=tuple(exempt),
        site_url=config.site_url or "",
        site_name=config.site_name,
    )
    config[STATE_KEY] = state
    return state


def state_of(config) -> NewsState:
    return config[STATE_KEY]


# Validate every post file (before the blog plugin reads them); raise ContentError listing all problems.
def check_posts(state: NewsState, files) -> None:
    from .errors import raise_if_any

    authors = author_ids(state.authors_file)
    problems: list[Problem] = []
    for file in files.documentation_pages():
        if not state.settings.is_post(file.src_uri):
            continue
        path = _display(state, file.src_uri)
        try:
            source = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(path, None, f"cannot read the post ({exc})", "save it as UTF-8 text"))
            continue
        info = validate(source, path=path, settings=state.settings, authors=authors, today=state.today)
        state.posts[file.src_uri] = info
        problems += info.problems
    raise_if_any(problems)


# After citations are resolved: a published post cites its paper; no page keeps a placeholder.
def check_page(state: NewsState, page, source: str, *, is_article: bool) -> list[Problem]:
    src = page.file.src_uri
    path = _display(state, src)
    info = state.posts.get(src)
    if info is not None:
        if not info.draft and not page.meta.get("tpg_cited_keys"):
            return [Problem(path, None, "post cites no paper",
                            "cite the paper it summarises with [@key] (keys from bib/), under '## The reference'")]
        return []
    if is_article:
        return placeholder_problems(source, path)
    return []


# Remember what the feeds need from a rendered page (post or article); `checks`: its evidence
# searches that found nothing new (history.search_checks), each an entry of the updates feed.
def collect(state: NewsState, page, *, is_article: bool, checks: tuple = ()) -> None:
    from . import feeds, history

    src = page.file.src_uri
    url = page.canonical_url or feeds.absolute(state.site_url, page.url)
    if src == f"{state.settings.dir}/index.md":
        state.news_home = url
    info = state.posts.get(src)
    if info is not None:
        if info.draft or info.date is None:
            return
        dates = getattr(getattr(page, "config", None), "date", None) or {}
        published = feeds.at_midnight(dates.get("created") or info.date)
        updated = dates.get("updated")
        authors = tuple(getattr(a, "name", str(a)) for a in getattr(page, "authors", []) or [])
        # a category view's title is set when it is rendered; its name before (tpguide prepare)
        categories = tuple(getattr(c, "title", None) or getattr(c, "name", None) or str(c)
                           for c in getattr(page, "categories", []) or [])
        state.news_items.append(feeds.Item(
            id=url, title=str(info.meta.get("title") or page.title), url=url, published=published,
            updated=feeds.at_midnight(updated) if updated else None, summary=str(info.meta.get("description", "")),
            authors=authors, categories=categories or tuple(info.meta.get("categories") or ()),
        ))
        return
    if not is_article or "last_reviewed" not in page.meta:
        return
    title = str(page.meta.get("title") or page.title)
    for check in checks:
        state.update_items.append(feeds.Item(
            id=f"{url}#checked-{check.date.isoformat()}", title=f"{title}: evidence checked, no change",
            url=url, published=feeds.at_midnight(check.date), summary=check.change,
            categories=tuple(str(t) for t in page.meta.get("tags") or ()),
        ))
    story = history.page_history(page.meta, src, state.git())
    if story.last_updated is None:
        return
    summary = str(page.meta.get("description", ""))
    if story.entries_source == "front matter" and story.entries[0].date == story.last_updated:
        summary += f" Latest change: {story.entries[0].change}"
    state.update_items.append(feeds.Item(
        id=f"{url}#updated-{story.last_updated.isoformat()}", title=title,
        url=url, published=feeds.at_midnight(story.last_updated), summary=summary.strip(),
        categories=tuple(str(t) for t in page.meta.get("tags") or ()),
    ))


# The history box context of an article page.
def history_context(state: NewsState, page, checks: tuple = ()) -> dict:
    from . import history, template_values

    return template_values.history(history.page_history(page.meta, page.file.src_uri, state.git(), checks))


# Write every feed into the built site; returns the written paths (site-relative).
def write_feeds(state: NewsState, site_dir: str) -> list[str]:
    from . import feeds

    home = state.news_home or feeds.absolute(state.site_url, state.settings.dir + "/")
    news = feeds.Feed(
        title=f"{state.site_name}: research news",
        description="Plain-language summaries of new research on muscle knots (myofascial trigger points).",
        home_url=home, author=f"{state.site_name} editorial team",
        items=feeds.newest(state.news_items, state.settings.feed_items),
    )
    updates = feeds.Feed(
        title=f"{state.site_name}: updated pages",
        description="Pages of the guide that were updated or reviewed, newest first.",
        home_url=feeds.absolute(state.site_url, ""), author=f"{state.site_name} editorial team",
        items=feeds.newest(state.update_items, state.settings.feed_items),
    )
    changes = feeds.Feed(
        title=f"{state.site_name}: evidence changes",
        description="Each change to a finding or a harm the guide shows: from what to what, and why.",
        home_url=state.changes_home or feeds.absolute(state.site_url, ""), author=f"{state.site_name} editorial team",
        items=feeds.newest(state.change_items, state.settings.feed_items),
    )
    written = []
    for name, feed in (("news", news), ("updates", updates), ("changes", changes)):
        for rel, text in feeds.render_all(name, feed, state.site_url).items():
            target = Path(site_dir) / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(rel)
    return written


def _display(state: NewsState, src_uri: str) -> str:
    path = state.docs_dir / src_uri
    try:
        return str(path.relative_to(state.root))
    except ValueError:
        return str(path)
