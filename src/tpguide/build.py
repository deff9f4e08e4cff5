"""What the MkDocs hooks share during one build, and the work they delegate here.

Hooks are thin: each MkDocs event calls one function of this module. State lives in a
``BuildState`` attached to the config object, so it is created anew on every (re)build.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import math
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from . import citations as cit
from . import frontmatter, handouts, references, share
from .bib import Bibliography, load_bib_dir
from .errors import ContentError, Problem
from .markdown_regions import front_matter_lines, unmask

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

STATE_KEY = "_tpguide_state"
LIBRARY_PAGE = "references.md"
WORDS_PER_MINUTE = 200
DEFAULT_EXEMPT = ("references.md", "tags.md", "research-news/**")


@dataclass
class PageRecord:
    """What the build learnt about one page."""

    title: str
    url: str
    citations: list[cit.Citation] = field(default_factory=list)
    anchors: dict[str, str] = field(default_factory=dict)  # heading text -> id


@dataclass
class BuildState:
    """Everything shared between hooks during one build."""

    bib: Bibliography
    root: Path
    settings: dict
    today: dt.date
    pages: dict[str, PageRecord] = field(default_factory=dict)  # by src_uri
    handouts: dict[str, str] = field(default_factory=dict)  # article src_uri -> handout src_uri

    @property
    def cited_keys(self) -> set[str]:
        return {c.key for rec in self.pages.values() for c in rec.citations}

    # Places citing each key: key -> list of Backlink, in page order.
    def backlinks(self) -> dict[str, list[references.Backlink]]:
        out: dict[str, list[references.Backlink]] = {}
        for rec in self.pages.values():
            seen = set()
            for c in rec.citations:
                anchor = rec.anchors.get(c.heading, "") if c.heading else ""
                if (c.key, anchor) in seen:
                    continue
                seen.add((c.key, anchor))
                out.setdefault(c.key, []).append(
                    references.Backlink(url=rec.url, title=rec.title, anchor=anchor, section=c.heading if anchor else "")
                )
        return out


# ---------------------------------------------------------------------------
# on_config
# ---------------------------------------------------------------------------


# Load and check bib/ once, and attach a fresh BuildState to the config.
def start(config, *, today: dt.date | None = None) -> BuildState:
    root = Path(config.config_file_path).parent
    settings = dict(config.extra.get("tpguide") or {})
    bib_dir = _bib_dir(config, root)
    bib = load_bib_dir(bib_dir, root=root)
    state = BuildState(bib=bib, root=root, settings=settings, today=today or _today(settings))
    config[STATE_KEY] = state
    return state


def state_of(config) -> BuildState:
    return config[STATE_KEY]


def _bib_dir(config, root: Path) -> Path:
    plugin = config.plugins.get("bibtex")
    configured = plugin.config.bib_dir if plugin is not None and plugin.config.bib_dir else "bib"
    return (root / configured).resolve()


def _today(settings: dict) -> dt.date:
    value = settings.get("today")
    return dt.date.fromisoformat(str(value)) if value else dt.date.today()


# ---------------------------------------------------------------------------
# on_page_markdown
# ---------------------------------------------------------------------------


# Check front matter (for article pages), then resolve citations; raise on any problem.
def page_markdown(state: BuildState, markdown: str, page, config) -> str:
    src = page.file.src_uri
    path = _display_path(config, page)
    source = _source(page)
    problems: list[Problem] = []
    if is_article(state, src):
        problems += frontmatter.validate(page.meta, path=path, source=source, today=state.today)
    library_url = _relative_md(src, LIBRARY_PAGE)
    result = cit.process_page(
        markdown, state.bib, path=path, line_offset=front_matter_lines(source), library_url=library_url
    )
    problems += result.problems
    if problems:
        raise ContentError(_in_article(state, config, src, problems))
    state.pages[src] = PageRecord(title=page.title or "", url=page.url, citations=result.citations)
    page.meta["tpg_reading_time"] = reading_time(markdown)
    page.meta["tpg_cited_keys"] = result.keys
    return result.markdown


# A generated handout's problems come from its article's `handout:` field: name that line.
def _in_article(state: BuildState, config, src: str, problems: list[Problem]) -> list[Problem]:
    article = next((a for a, h in state.handouts.items() if h == src), None)
    if article is None:
        return problems
    path = Path(config.docs_dir) / article
    source = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    where = str(Path(config.docs_dir, article).relative_to(Path(config.config_file_path).parent)) \
        if path.is_relative_to(Path(config.config_file_path).parent) else str(path)
    line = frontmatter.field_line(source, "handout")
    return [Problem(where, line, f"in the handout summary: {p.message}", p.hint) for p in problems]


# Articles carry the full front matter schema; generated and blog pages do not.
def is_article(state: BuildState, src_uri: str) -> bool:
    exempt = state.settings.get("frontmatter_exempt", DEFAULT_EXEMPT)
    return not any(fnmatch.fnmatch(src_uri, pattern) for pattern in exempt)


# Minutes to read the prose of a page, at least 1.
def reading_time(markdown: str) -> int:
    words = len(re.findall(r"[A-Za-z0-9’']+", re.sub(r"\[@[^\]]*\]|<[^>]+>|\(http[^)]*\)", " ", markdown)))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def _source(page) -> str:
    try:
        return page.file.content_string
    except (OSError, TypeError, UnicodeDecodeError):
        return ""


def _display_path(config, page) -> str:
    docs = Path(config.docs_dir)
    try:
        return str((docs / page.file.src_path).relative_to(Path(config.config_file_path).parent))
    except ValueError:
        return str(docs / page.file.src_path)


# Relative Markdown link from one docs file to another (both src URIs).
def _relative_md(from_src: str, to_src: str) -> str:
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


# ---------------------------------------------------------------------------
# on_page_content
# ---------------------------------------------------------------------------


# Undo the code masking, remember heading ids for backlinks, and keep the reference list out of
# the search index (the library page indexes every reference once; per-page copies made the
# index, which every page downloads, a third larger).
def page_content(state: BuildState, html: str, page) -> str:
    record = state.pages.get(page.file.src_uri)
    if record is not None:
        record.anchors = {_strip(item.title): item.id for item in _walk_toc(page.toc)}
    html = html.replace('<div class="footnote">', '<div class="footnote" data-search-exclude>', 1)
    html = html.replace('<sup id="fnref', '<sup data-search-exclude id="fnref')
    return unmask(html)


def _walk_toc(toc):
    for item in toc:
        yield item
        yield from _walk_toc(item.children)


def _strip(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text).strip()


# ---------------------------------------------------------------------------
# on_page_context: what templates show
# ---------------------------------------------------------------------------


# Template context of a page: review box, key messages, cite this page, footer data.
def page_context(state: BuildState, page, config) -> dict:
    meta = page.meta
    src = page.file.src_uri
    url = page.canonical_url or page.abs_url or page.url
    article = is_article(state, src) and "last_reviewed" in meta
    ctx = {
        "article": article,
        "reading_time": meta.get("tpg_reading_time"),
        "report_url": report_url(state.settings, page, config),
        "url": url,
        "social": share.social_meta(
            site_name=config.site_name,
            title=page.title or config.site_name,
            description=meta.get("description") or config.site_description or "",
            url=url,
            is_article=article,
        ),
    }
    if not article:
        return ctx
    review = frontmatter.review_of(meta)
    site = config.site_name
    published = str(frontmatter.parse_date(meta.get("first_published")) or review.last_reviewed)
    cited = [state.bib[k] for k in meta.get("tpg_cited_keys", [])]
    slug = re.sub(r"[^a-z0-9]+", "", (page.url or "home").lower()) or "home"
    info = references.cite_page(
        site_name=site,
        title=page.title,
        url=url,
        authors=list(meta.get("authors") or []),
        reviewer=review.reviewer,
        last_reviewed=str(review.last_reviewed),
        published=published,
        description=meta.get("description", ""),
        key=f"tpguide_{slug}_{review.last_reviewed.year}",
        cited=cited,
    )
    ctx.update(
        review=review,
        review_due=review.next_review <= state.today,
        key_messages=list(meta.get("key_messages") or []),
        cite=info,
        update_log=list(meta.get("update_log") or []),
        qr_svg=share.qr_svg(url),
        handout_url=_handout_url(state, page),
    )
    return ctx


def _handout_url(state: BuildState, page) -> str:
    uri = state.handouts.get(page.file.src_uri)
    if not uri:
        return ""
    target = uri[:-3] + "/"
    return posixpath.relpath("/" + target, "/" + (page.url or "")) + "/"


# The "report a problem" link of a page, from a template in extra.tpguide.report_url.
def report_url(settings: dict, page, config) -> str:
    template = settings.get("report_url", "")
    if not template:
        return ""
    url = page.canonical_url or page.url
    return template.format(title=quote(page.title or ""), url=quote(url or "", safe=""))


# ---------------------------------------------------------------------------
# Handouts (generated pages)
# ---------------------------------------------------------------------------


# Generated handout files, one per patient article: (src_uri, markdown).
def handout_files(state: BuildState, files) -> list[tuple[str, str]]:
    out = []
    safety = handouts.SAFETY_PAGE if files.get_file_from_path(handouts.SAFETY_PAGE) else None
    for file in files.documentation_pages():
        src = file.src_uri
        if src.startswith(handouts.HANDOUT_DIR + "/") or not is_article(state, src):
            continue
        source = file.content_string
        meta, _ = handouts.split_front_matter(source)
        if handouts.wants_handout(meta):
            uri = handouts.handout_uri(src)
            state.handouts[src] = uri
            out.append((uri, handouts.handout_source(src, source, safety_uri=safety)))
    return out


# ---------------------------------------------------------------------------
# Reference library (generated page)
# ---------------------------------------------------------------------------


# Markdown source of the generated reference library page.
def library_source(state: BuildState) -> str:
    intro = state.settings.get(
        "library_intro",
        "Every source this site relies on, grouped by topic. Each entry links to the paper and lists "
        "the pages of this site that cite it.",
    )
    front = "---\ntitle: Reference library\ndescription: Every research paper and book this site cites, with links and the pages that cite it.\n---\n\n"
    return front + references.library_markdown(state.bib, intro=intro)


# Fill the backlink and "not yet cited" placeholders of the library page's HTML.
def fill_library(state: BuildState, output: str, page) -> str:
    links = state.backlinks()

    def relative(url: str) -> str:
        rel = posixpath.relpath("/" + url, "/" + (page.url or ""))
        if rel == ".":
            return "./"
        return rel + "/" if url == "" or url.endswith("/") else rel

    def fill(m: re.Match) -> str:
        key = m.group(1)
        return m.group(0).replace("></div>", ">" + references.backlinks_html(links.get(key, []), relative) + "</div>")

    output = re.sub(r'<div class="tpg-backlinks" data-tpg-backlinks="([^"]+)"></div>', fill, output)
    return output.replace(
        '<div class="tpg-uncited" data-tpg-uncited></div>',
        '<div class="tpg-uncited">' + references.uncited_html(state.bib, state.cited_keys) + "</div>",
    )


__all__ = ["BuildState", "ContentError", "start", "state_of", "page_markdown", "page_content", "page_context"]
