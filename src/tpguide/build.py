"""What the MkDocs hooks share during one build, and the work they delegate here.

Hooks are thin: each MkDocs event calls one function of this module. State lives in a
``BuildState`` attached to the config object, so it is created anew on every (re)build.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import fnmatch
import math
import posixpath
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from mkdocs.config import config_options
from mkdocs.config.base import Config

from . import citations as cit
from . import buildcache, changes, csl, frontmatter, handouts, opendata, opendata_fhir, references, share, template_values
from .bib import Bibliography, load_bib_dir
from .evidence import EvidenceStore, expand_plain, has_marker, help_marker, load_evidence_dir, page_red_flags_marker
from .evidence import render as ev_render
from .errors import ContentError, Problem, raise_if_any
from .markdown_regions import front_matter_lines

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

STATE_KEY = "_tpguide_state"
LIBRARY_PAGE = "references.md"
# Generated beside the library: for each reference, the pages and sections that cite it.
WHERE_CITED_PAGE = "references/where-cited.md"
WORDS_PER_MINUTE = 200
DEFAULT_EXEMPT = ("references.md", "tags.md", "research-news/**", "evidence-map.md", "handouts/index.md")
DEFAULT_EVIDENCE_DIR = "evidence"
DEFAULT_BIB_DIR = "bib"


class BibConfig(Config):
    """The bibliography settings in extra.tpguide, checked like a plugin's options."""

    # The folder of the .bib files, relative to mkdocs.yml (the layout mkdocs-bibtex, Pandoc and
    # Quarto users know).
    bib_dir = config_options.Dir(exists=True, default=DEFAULT_BIB_DIR)


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
    evidence: EvidenceStore = field(default_factory=EvidenceStore)
    csl_style: Path | None = None  # the .csl file of extra.tpguide.csl_style (None: Vancouver)
    evidence_uses: dict = field(default_factory=dict)  # src_uri -> tpguide.evidence.PageUse
    pages: dict[str, PageRecord] = field(default_factory=dict)  # by src_uri
    handouts: dict[str, str] = field(default_factory=dict)  # article src_uri -> handout src_uri
    urls: dict[str, str] = field(default_factory=dict)  # src_uri -> site URL, of the generated pages

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


# Load and check bib/, the CSL style and evidence/ once, and attach a fresh BuildState to the config.
def start(config, *, today: dt.date | None = None) -> BuildState:
    root = Path(config.config_file_path).parent
    settings = dict(config.extra.get("tpguide") or {})
    bib = load_bib_dir(bib_dir(config), root=root)
    style = csl.style_path(settings.get("csl_style", csl.DEFAULT_STYLE), root)
    # every entry in one call (the library shows them all), so a fresh cache file is written once,
    # not once for each entry as the pages first cite it
    csl.format_references(bib.entries.values(), style)
    day = today or _today(settings)
    evidence_dir = (root / str(settings.get("evidence_dir", DEFAULT_EVIDENCE_DIR))).resolve()
    store = load_evidence_dir(evidence_dir, root=root, bib=bib, today=day)
    if store.treatments and evidence_dir.is_relative_to(root.resolve()):
        history = changes.read_changes(root, treatments=evidence_dir.relative_to(root.resolve()).as_posix()
                                       + "/treatments")
        store.changes = changes.with_reasons(history, store.change_reasons)
        raise_if_any(changes.review_claim_problems(store.changes))
    state = BuildState(bib=bib, root=root, settings=settings, today=day, evidence=store, csl_style=style)
    config[STATE_KEY] = state
    return state


def state_of(config) -> BuildState:
    return config[STATE_KEY]


# The bib folder from extra.tpguide.bib_dir (default "bib"); raise ContentError when it is not
# a folder that exists.
def bib_dir(config) -> Path:
    raw = (config.extra.get("tpguide") or {}).get("bib_dir", DEFAULT_BIB_DIR)
    settings = BibConfig(config_file_path=config.config_file_path)
    settings.load_dict({"bib_dir": raw})
    errors, _warnings = settings.validate()
    if raw == "" or raw is None:
        errors.append(("bib_dir", "is empty"))
    if errors:
        raise ContentError([
            Problem("mkdocs.yml", None, f"extra.tpguide.{key}: {error}",
                    f"set it to the folder of the .bib files, relative to mkdocs.yml (default: {DEFAULT_BIB_DIR})")
            for key, error in errors
        ])
    return Path(settings.bib_dir).resolve()


def _today(settings: dict) -> dt.date:
    value = settings.get("today")
    return dt.date.fromisoformat(str(value)) if value else dt.date.today()


# ---------------------------------------------------------------------------
# on_page_markdown
# ---------------------------------------------------------------------------


# Check front matter (for article pages), then resolve citations; raise on any problem.
def page_markdown(state: BuildState, markdown: str, page, config) -> str:
    src = page.file.src_uri
    path = display_path(config, page)
    source = page_source(page)
    problems: list[Problem] = []
    if is_article(state, src):
        problems += frontmatter.validate(page.meta, path=path, source=source, today=state.today)
        problems += _topic_problems(state, page.meta, path=path, source=source, src_uri=src)
    library_url = _relative_md(src, LIBRARY_PAGE)
    result = cit.process_page(
        markdown, state.bib, path=path, line_offset=front_matter_lines(source), library_url=library_url,
        csl_style=state.csl_style, compact=src in state.handouts.values(),
    )
    problems += result.problems
    if problems:
        raise ContentError(_in_article(state, config, src, problems))
    state.pages[src] = PageRecord(title=page.title or "", url=page.url, citations=result.citations)
    page.meta["tpg_reading_time"] = reading_time(_written_prose(source) if source else markdown)
    page.meta["tpg_cited_keys"] = result.keys
    return result.markdown


# evidence_topics must name search topics of evidence/searches.yml; a treatment page names its own.
def _topic_problems(state: BuildState, meta: dict, *, path: str, source: str, src_uri: str) -> list[Problem]:
    store = state.evidence
    topics = meta.get("evidence_topics") or []
    if not isinstance(topics, list):
        return []
    line = frontmatter.field_line(source, "evidence_topics")
    problems = []
    messages = meta.get("key_messages")
    if isinstance(messages, list):
        for message in messages:
            if isinstance(message, str) and "[[" in message:
                problems += expand_plain(message, store, path=path, line=frontmatter.field_line(source, "key_messages"))[1]
    for topic in topics:
        if not store.empty and topic not in store.searches:
            guess = difflib.get_close_matches(str(topic), list(store.searches), n=1)
            problems.append(Problem(path, line, f"front matter field 'evidence_topics': unknown topic '{topic}'",
                                    f"did you mean '{guess[0]}'?" if guess else "use a topic of evidence/searches.yml"))
    for treatment in store.treatments_of_page(src_uri):
        if treatment.id not in topics:
            problems.append(Problem(path, line, f"front matter field 'evidence_topics' must include '{treatment.id}'",
                                    "this is the page of that treatment in evidence/treatments/; its search date is the page's"))
    return problems


# The "Evidence checked" date of a page: the oldest last-search date of its evidence topics.
def evidence_checked(state: BuildState, meta: dict) -> dt.date | None:
    return state.evidence.checked_on(_topics(meta))


# A page's evidence_topics, [] when it has none or they are not a list (the schema check reports that).
def _topics(meta: dict) -> list:
    topics = meta.get("evidence_topics") or []
    return topics if isinstance(topics, list) else []


# "Checked, no change" entries of an article's update log: searches of its evidence topics that found
# nothing new (not of a generated handout, which copies its article's front matter).
def search_checks(state: BuildState, meta: dict, src_uri: str) -> tuple:
    from . import history

    if src_uri in state.handouts.values():
        return ()
    return history.search_checks(state.evidence.searches[t] for t in _topics(meta) if t in state.evidence.searches)


# The evidence-changes feed: the absolute URL of the page showing [[evidence-changes]] and one
# entry per commit; ("", []) when no page shows them or there is no history.
def change_feed(state: BuildState, site_url: str) -> tuple[str, list]:
    from . import feeds

    page = next((src for src, use in sorted(state.evidence_uses.items()) if use.changes), None)
    if page is None or not state.evidence.changes:
        return "", []
    home = feeds.absolute(site_url, ev_render.doc_url(page))
    return home, changes.feed_items(state.evidence.changes, home,
                                    names={t.id: t.name for t in state.evidence.treatments.values()})


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
    if src_uri in (WHERE_CITED_PAGE, handouts.INDEX_URI):  # generated lists, whatever the config exempts
        return False
    exempt = state.settings.get("frontmatter_exempt", DEFAULT_EXEMPT)
    return not any(fnmatch.fnmatch(src_uri, pattern) for pattern in exempt)


# What the editor wrote, without front matter and markers: the generated evidence tables are
# scanned, not read word by word, so they do not count towards the reading time.
def _written_prose(source: str) -> str:
    body = "\n".join(source.splitlines()[front_matter_lines(source):])
    return re.sub(r"\[\[[^\]\n]*\]\]", " ", body)


# Minutes to read the prose of a page, at least 1.
def reading_time(markdown: str) -> int:
    words = len(re.findall(r"[A-Za-z0-9’']+", re.sub(r"\[@[^\]]*\]|<[^>]+>|\(http[^)]*\)", " ", markdown)))
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


# The page's Markdown source as written (front matter included), "" when it cannot be read.
def page_source(page) -> str:
    try:
        return page.file.content_string
    except (OSError, TypeError, UnicodeDecodeError):
        return ""


# The page's file as shown in error messages: relative to mkdocs.yml, e.g. "docs/about.md".
def display_path(config, page) -> str:
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


# Refuse citation marks left unresolved and remember heading ids for backlinks (the reference
# list is kept out of the search index by tpguide.mdx, on every engine).
def page_content(state: BuildState, html: str, page, *, path: str = "") -> str:
    left = unresolved_citations(html)
    if left:
        raise ContentError(Problem(path or page.file.src_uri, None, f"citation left unresolved in the page: {left[0]!r}",
                                   "write [@key] or [@a; @b] in running text; a citation right before '(' or '[' is read as a link"))
    record = state.pages.get(page.file.src_uri)
    if record is not None:
        record.anchors = heading_anchors((item.title, item.id) for item in _walk_toc(page.toc))
    return html


# Heading text (markup removed) -> id, from (title, id) pairs in page order; a later heading with the
# same text wins. Used on MkDocs' table of contents here and on built pages by tpguide.finish.
def heading_anchors(items) -> dict[str, str]:
    return {_strip(title): anchor for title, anchor in items}


# Citation or footnote marks that reached the HTML as text, outside code ("[^key]", "[@key").
def unresolved_citations(html: str) -> list[str]:
    text = _CODE_HTML_RE.sub("", html)
    return _LEFT_CITATION_RE.findall(text)


_CODE_HTML_RE = re.compile(r"<(code|pre|script)\b.*?</\1>", re.S | re.I)
_LEFT_CITATION_RE = re.compile(r"\[\^[A-Za-z0-9][\w:.-]*\]|\[@[A-Za-z0-9][\w:.-]*")


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
    review = dataclasses.replace(frontmatter.review_of(meta), evidence_checked=evidence_checked(state, meta))
    next_due = state.evidence.next_search_due(_topics(meta))
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
        clinical_reviewer=review.clinical.name if review.clinical else "",
        published=published,
        description=meta.get("description", ""),
        key=f"tpguide_{slug}_{review.last_reviewed.year}",
        cited=cited,
    )
    ctx.update(
        review=review,
        # every date the templates show, pre-formatted (tpguide.template_values)
        dates={"last_reviewed": template_values.day(review.last_reviewed),
               "next_review": template_values.day(review.next_review),
               "evidence_checked": template_values.day(review.evidence_checked),
               "evidence_next_due": template_values.day(next_due)},
        evidence_topics=[state.evidence.searches[t].label.lower() for t in _topics(meta) if t in state.evidence.searches],
        evidence_next_due=next_due,
        evidence_overdue=bool(next_due and next_due <= state.today),
        review_due=review.next_review <= state.today,
        key_messages=[expand_plain(str(msg), state.evidence, path=src, line=None)[0] for msg in meta.get("key_messages") or []],
        cite=info,
        update_log=list(meta.get("update_log") or []),
        # on paper, a handout's QR code and address open its full page (which has the rest: a
        # patient reviewer scanned the neck handout's code and got the same sheet back)
        print_url=(print_url := _full_page_url(state, page, config) or url),
        print_is_handout=print_url != url,
        qr_svg=buildcache.qr_codes()(print_url),
        # plain strings, so a template needs no Python method to show them
        clinical_review=(f"{review.clinical.name}, {review.clinical.profession} (registration: "
                         f"{review.clinical.registration}), on {review.clinical.date:%-d %B %Y}")
        if review.clinical else "",
        about_review_url=_about_review_url(state, page),
        handout_url=_handout_url(state, page),
    )
    return ctx


# The absolute address of the article a handout summarises; "" for any other page.
def _full_page_url(state: BuildState, page, config) -> str:
    src = next((article for article, handout in state.handouts.items() if handout == page.file.src_uri), None)
    if src is None:
        return ""
    from . import feeds

    return feeds.absolute(config.site_url or "/", ev_render.doc_url(src))


def _handout_url(state: BuildState, page) -> str:
    uri = state.handouts.get(page.file.src_uri)
    if not uri:
        return ""
    return ev_render.relative_url(ev_render.doc_url(uri), page.url or "")


# The "report a problem" link of a page, from a template in extra.tpguide.report_url.
def report_url(settings: dict, page, config) -> str:
    template = settings.get("report_url", "")
    if not template:
        return ""
    url = page.canonical_url or page.url
    return template.format(title=quote(page.title or ""), url=quote(url or "", safe=""))


# ---------------------------------------------------------------------------
# Open data (issue 25): files under data/, from the store and the bibliography
# ---------------------------------------------------------------------------


def _commit(root: Path) -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


# (site path, text) of every open-data file; none when the site has no evidence.
def open_data_files(state: BuildState, config) -> list[tuple[str, str]]:
    store = state.evidence
    if store.empty:
        return []
    site_url = config.site_url or "/"
    version = opendata.version_of(state.today, _commit(state.root))
    # FHIR needs absolute URLs: without an http(s) site_url there is no FHIR file (a warning says so elsewhere)
    fhir = (opendata_fhir.bundle(store, state.bib.entries, site_url=site_url, version=version,
                                 timestamp=dt.datetime.combine(state.today, dt.time(0), dt.timezone.utc))
            if site_url.startswith(("https://", "http://")) else None)
    return list(opendata.files(store, state.bib, version=version, site_url=site_url, created=f"{state.today.isoformat()}T00:00:00Z",
                               fhir=fhir).items())


# ---------------------------------------------------------------------------
# Handouts (generated pages)
# ---------------------------------------------------------------------------


# Generated handout files, one per patient article: (src_uri, markdown).
def handout_files(state: BuildState, files) -> list[tuple[str, str]]:
    out = []
    titles = []
    for file in files.documentation_pages():
        handout = handout_file(state, files, file)
        if handout is not None:
            out.append(handout)
            titles.append((handouts.split_front_matter(file.content_string)[0]["title"], handout[0]))
    if out and files.get_file_from_path(handouts.INDEX_URI) is None:
        out.append((handouts.INDEX_URI, handouts.index_source(titles)))
    return out


# The handout of one article page, (uri, Markdown), or None when it has none; remembered in
# state.handouts. Reads the page's source as it is now (a live preview calls it again after an edit).
def handout_file(state: BuildState, files, file) -> tuple[str, str] | None:
    src = file.src_uri
    if src.startswith(handouts.HANDOUT_DIR + "/") or not is_article(state, src):
        return None
    source = file.content_string
    meta, _ = handouts.split_front_matter(source)
    if not handouts.wants_handout(meta):
        return None
    safety = handouts.SAFETY_PAGE if files.get_file_from_path(handouts.SAFETY_PAGE) else None
    uri = handouts.handout_uri(src)
    state.handouts[src] = uri
    # the handout prints the warning signs its page shows (issue 21), or a general list
    own = page_red_flags_marker(source)
    leaflet = leaflet_of(state, src)
    if leaflet is not None and own:
        leaflet = dataclasses.replace(leaflet, flags_marker=page_red_flags_marker(source, leaflet.flag_ids))
    # the decision aid's handout prints every option in numbers and the values questions
    # (issue 23); to keep it to two sheets, the emergency signs a leaflet prints
    grid = bool(state.evidence.options) and has_marker(source, "option-grid")
    extra = ("\n".join(["## Every option, in numbers", "", "[[option-table]]", "", handouts.CERTAINTY_WORDS, "",
                        *handouts.values_section()]) if grid else "")
    default = DEFAULT_LEAFLET_FLAGS if grid else DEFAULT_HANDOUT_FLAGS
    return uri, handouts.handout_source(src, source, safety_uri=safety, leaflet=leaflet,
                                        flags_marker=own or _flags_marker(state, default),
                                        help_marker=help_marker(source, state.evidence, src), extra=extra)


# A live preview after an edit to one page: its handout's File, with the Markdown made again from
# the page as it is now; [] when the page has no handout, None when it wants one this build did not
# make (a full build is needed).
def handout_again(state: BuildState, files, file) -> list | None:
    handout = handout_file(state, files, file)
    if handout is None:
        return []
    uri, source = handout
    found = files.get_file_from_path(uri)
    if found is None or found.page is None:
        return None
    found.content_string = source
    return [found]


# Emergency signs every leaflet prints when its treatment names none of its own (the first two on
# a leaflet shared by several options, which has less room).
DEFAULT_LEAFLET_FLAGS = ("stroke-signs", "chest-pain", "bladder-bowel")
# Warning signs on the handout of any other patient page.
DEFAULT_HANDOUT_FLAGS = ("stroke-signs", "chest-pain", "bladder-bowel", "major-injury", "fever-back-pain", "new-weakness",
                         "worse-despite-treatment")


# A [[red-flags: flag=...]] marker for those of the ids that exist ("" when none does).
def _flags_marker(state: BuildState, ids) -> str:
    found = [f for f in ids if f in state.evidence.red_flags]
    return "[[red-flags: " + ", ".join(f"flag={f}" for f in found) + "]]" if found else ""


# The patient leaflet of a treatment page, from the evidence data; None for other pages. A page
# with several options (medicines, self-care) gets each one, more briefly.
def leaflet_of(state: BuildState, src_uri: str) -> handouts.Leaflet | None:
    store = state.evidence
    treatments = [t for t in store.treatments_of_page(src_uri) if t.kind != "test"]
    if not treatments:
        return None
    several = len(treatments) > 1
    # at most three harms of each kind (two when several options share the leaflet): it fits one
    # sheet, and the page itself lists every record
    most = 1 if several else 3
    what, benefits, harms, expect, flags = [], [], [], [], []
    for t in treatments:
        what.append(f"**{t.name}.** {t.what}" if several else t.what)
        outcomes = list(t.headline.items())[:1] if several else list(t.headline.items())
        benefits += [f"[[finding: {fid} | statement]]" for _, fid in outcomes if fid in store.findings]
        # records with a rate first; "no data found" only when nothing else is known
        own = sorted(store.harms_of(t.id), key=lambda h: h.how_often.kind == "no-data")
        chosen = [h for h in own if h.seriousness == "minor"][:most] + [h for h in own if h.seriousness == "serious"][:most]
        harms += [f"{t.name if several else h.event}{': ' + h.event if several else ''}"
                  f"{' (serious)' if h.seriousness == 'serious' else ''}: [[harm: {h.id}]]" for h in chosen]
        if t.expect:
            expect.append(f"**{t.name}.** {t.expect}" if several else t.expect)
        flags += [f for f in t.leaflet_flags if f not in flags]
    numbers = tuple((f"**{t.name}**\n\n[[option-numbers: {t.id} | brief]]" if several else f"[[option-numbers: {t.id}]]")
                    for t in treatments if t.id in store.options)
    return handouts.Leaflet(
        numbers=numbers,
        what="\n\n".join(what),
        benefits=tuple(benefits),
        harms=tuple(harms),
        expect="\n\n".join(expect),
        flags_marker=_flags_marker(state, flags or (DEFAULT_LEAFLET_FLAGS[:2] if several else DEFAULT_LEAFLET_FLAGS)),
        flag_ids=tuple(f for f in flags if f in store.red_flags),
    )


# ---------------------------------------------------------------------------
# Reference library (generated page)
# ---------------------------------------------------------------------------


# The About page's section on clinical review, relative to the page ("" when the site has no About page).
ABOUT_PAGE, ABOUT_REVIEW_ANCHOR = "about.md", "clinical-review"


def _about_review_url(state: BuildState, page) -> str:
    if page.file.src_uri == ABOUT_PAGE:
        return "#" + ABOUT_REVIEW_ANCHOR
    if not (state.root / "docs" / ABOUT_PAGE).is_file():
        return ""
    return posixpath.relpath("/about/", "/" + (page.url or "")) + "/#" + ABOUT_REVIEW_ANCHOR


# Markdown source of the generated reference library page.
def library_source(state: BuildState) -> str:
    intro = state.settings.get(
        "library_intro",
        "Every source this site relies on, grouped by topic. Each entry links to the paper, shows what "
        "our evidence data take from it, and links to the places on this site that cite it.",
    )
    # searched last of the pages that match: it names every medicine and warning sign its sources
    # touch, and a phone reviewer's search for "ibuprofen" opened it before the medicines page
    front = ("---\ntitle: Reference library\ndescription: Every research paper and book this site cites, with links and "
             "where each is cited.\nsearch:\n  boost: 0.5\n---\n\n")
    return front + references.library_markdown(state.bib, intro=intro, uses=library_uses(state), style=state.csl_style)


# For each bib key, the findings, harms, warning signs and natural-history records resting on it,
# as (kind, text, site-relative url) for the reference library.
def library_uses(state: BuildState) -> dict[str, list[tuple[str, str, str]]]:
    store = state.evidence
    out: dict[str, list[tuple[str, str, str]]] = {}
    for key, uses in store.uses_of_source().items():
        items = out.setdefault(key, [])
        for f in uses["findings"]:
            t = store.treatments[f.treatment]
            label = f"{t.name}: {store.vocab.outcomes[f.outcome].label.lower()}, {store.vocab.timepoints[f.timepoint].label.lower()} ({f.certainty} certainty)"
            items.append(("Finding", label, f"{ev_render.MAP_URL}#f-{f.id}"))
        for h in uses["harms"]:
            items.append(("Harm", f"{store.treatments[h.treatment].name}: {h.event}", ""))
        for r in uses["red_flags"]:
            items.append(("Warning sign", r.sign, ""))
        for c in uses["courses"]:
            items.append(("Natural history", f"{c.group}, {store.vocab.regions[c.region].label.lower()}", ""))
    return out


# Markdown source of the generated "where cited" page (its lists are filled after every page is read).
def where_cited_source() -> str:
    return (
        "---\ntitle: Where each reference is cited\n"
        "description: For every paper in the reference library, the pages and sections of this site that cite it.\n"
        "---\n\n"
        "Every reference that a page of this site cites, by first author, with the pages and sections "
        "that cite it. Editors use it to find what to re-check when a paper is corrected, retracted or "
        "updated; the [reference library](../references.md) has the full references.\n\n"
        '<div class="tpg-where-cited" data-tpg-where-cited></div>\n'
    )


def _relative_to(page):
    def relative(url: str) -> str:
        rel = posixpath.relpath("/" + url, "/" + (page.url or ""))
        if rel == ".":
            return "./"
        return rel + "/" if url == "" or url.endswith("/") else rel

    return relative


# Fill the backlink and "not yet cited" placeholders of the library page's HTML: each entry says
# how often it is cited, linking to its section of the "where cited" page.
def fill_library(state: BuildState, output: str, page) -> str:
    links = state.backlinks()
    where = _relative_to(page)(state.urls[WHERE_CITED_PAGE])

    def fill(m: re.Match) -> str:
        key = m.group(1)
        return m.group(0).replace("></div>", ">" + references.backlinks_summary_html(key, links.get(key, []), where) + "</div>")

    output = re.sub(r'<div class="tpg-backlinks" data-tpg-backlinks="([^"]+)"></div>', fill, output)
    return output.replace(
        '<div class="tpg-uncited" data-tpg-uncited></div>',
        '<div class="tpg-uncited">' + references.uncited_html(state.bib, state.cited_keys) + "</div>",
    )


# Fill the lists of the "where cited" page's HTML.
def fill_where_cited(state: BuildState, output: str, page) -> str:
    relative = _relative_to(page)
    html_lists = references.where_cited_html(state.bib, state.backlinks(), relative, relative(state.urls[LIBRARY_PAGE]))
    return output.replace('<div class="tpg-where-cited" data-tpg-where-cited></div>',
                          '<div class="tpg-where-cited">' + html_lists + "</div>")


# The generated pages (the library, unless docs/ has its own, and "where cited") as
# (src_uri, Markdown), for on_files.
def generated_pages(state: BuildState, files) -> list[tuple[str, str]]:
    out = []
    if files.get_file_from_path(LIBRARY_PAGE) is None:
        out.append((LIBRARY_PAGE, library_source(state)))
    if files.get_file_from_path(WHERE_CITED_PAGE) is None:
        out.append((WHERE_CITED_PAGE, where_cited_source()))
    return out


# Remember the URLs of the library and "where cited" pages (each links to the other).
def remember_urls(state: BuildState, files) -> None:
    for uri in (LIBRARY_PAGE, WHERE_CITED_PAGE):
        file = files.get_file_from_path(uri)
        if file is not None:
            state.urls[uri] = file.url


__all__ = ["BuildState", "ContentError", "start", "state_of", "page_markdown", "page_content", "page_context",
           "generated_pages", "handout_files", "handout_file", "handout_again", "remember_urls", "fill_library", "fill_where_cited",
           "WHERE_CITED_PAGE", "display_path", "page_source", "is_article"]
