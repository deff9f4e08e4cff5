"""Format references: footnotes, the reference library page, and cite-this-page.

Footnotes and library entries are written in the CSL style of extra.tpguide.csl_style
(tpguide.csl; Vancouver by default), with the plain form below for an entry the style cannot
format; the short forms (the "where cited" page, metadata, JSON-LD) stay plain.

Every string that comes from a bib field is escaped here (tpguide.csl escapes what goes into the
style); bib.py has already refused markup and script URLs, so this is the second of two locks.
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from . import csl, mdx
from .bib import Bibliography, Entry

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

_MD_SPECIAL_RE = re.compile(r"([\\`*_\[\]<>#|~])")
MAX_AUTHORS = 3
OTHER_TOPIC = "Other"


@dataclass(frozen=True)
class Backlink:
    """A place on the site that cites an entry."""

    url: str  # site-relative URL of the page, e.g. "treatments/dry-needling/"
    title: str
    anchor: str  # heading id, "" for the top of the page
    section: str  # heading text, "" for the top of the page


# ---------------------------------------------------------------------------
# Text forms of an entry
# ---------------------------------------------------------------------------


# "Bron C, de Gast A, Dommerholt J, et al." from the entry's people.
def author_list(entry: Entry, limit: int = MAX_AUTHORS) -> str:
    people = list(entry.authors) or [entry.get("organization")]
    etal = people and people[-1] == "et al."
    if etal:
        people = people[:-1]
    if len(people) > limit:
        people, etal = people[:limit], True
    text = ", ".join(people)
    return f"{text}, et al." if etal else text


# Journal, volume, issue and pages in the usual short form: "BMC Medicine. 2011;9:8".
def source_text(entry: Entry) -> str:
    container = entry.get("journal") or entry.get("booktitle") or entry.get("publisher")
    if entry.type == "book":
        bits = [b for b in (entry.get("edition") and f"{entry.get('edition')} ed.", entry.get("publisher")) if b]
        return ". ".join(bits + [entry.year])
    detail = entry.year
    if entry.get("volume"):
        detail += f";{entry.get('volume')}"
        if entry.get("number"):
            detail += f"({entry.get('number')})"
    elif entry.get("number"):
        detail += f";({entry.get('number')})"
    if entry.get("pages"):
        detail += f":{entry.get('pages').replace('--', '–')}"
    return f"{container}. {detail}" if container else detail


def doi_url(entry: Entry) -> str:
    return f"https://doi.org/{entry.doi}" if entry.doi else ""


def pubmed_url(entry: Entry) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{entry.pmid}/" if entry.pmid else ""


# Links of an entry as (label, url): DOI, PubMed, and the url field when it adds something.
def entry_links(entry: Entry) -> list[tuple[str, str]]:
    links = []
    if entry.doi:
        links.append((f"doi:{entry.doi}", doi_url(entry)))
    if entry.pmid:
        links.append((f"PubMed {entry.pmid}", pubmed_url(entry)))
    url = entry.get("url")
    if url and url != doi_url(entry):
        links.append(("Link", url))
    return links


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


# Plain one-line reference: "Authors. Title. Source."
def plain_text(entry: Entry) -> str:
    return " ".join(_sentence(t) for t in (author_list(entry), entry.title, source_text(entry)))


# The Markdown of a footnote: the reference in the CSL style (a .csl file, default Vancouver) and
# its DOI/PubMed links as finished HTML (tpguide.mdx places it untouched), then the link to the
# library entry as Markdown, so the engine resolves and checks it as any link between pages.
def footnote_text(entry: Entry, *, library_link: str | None = None, style: Path | None = None,
                  compact: bool = False) -> str:
    # the title in its own span: a printed handout leaves it out (authors, source and DOI identify
    # it), and a handout (compact) keeps to authors, journal and year, so it fits its pages
    formatted = None if compact else csl.format_references([entry], style).get(entry.key)
    if formatted is not None:
        text = formatted
    else:
        text = " ".join([_text(_sentence(author_list(entry))),
                         f'<span class="tpg-ref__title">{_text(_sentence(entry.title))}</span>',
                         f"<em>{_text(source_text(entry))}</em>."])
    links = [f'<a href="{_h(url)}">{_text(label)}</a>' for label, url in entry_links(entry)]
    # each link after the first with its " · " in a span, so that print can leave out the link and
    # its separator together (a printed page showed " · · " where its links had been)
    if links:
        text += " " + links[0] + "".join(f'<span class="{MORE_CLASS}"> · {link}</span>' for link in links[1:])
    out = mdx.raw_html(text)
    if library_link:
        about = f"[About this source]({library_link})"
        out += f'<span class="{MORE_CLASS}"> · {about}</span>' if links else " " + about
    return out


# A reference's second and later links, each with the separator before it.
MORE_CLASS = "tpg-ref__more"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _md(text: str) -> str:
    return _MD_SPECIAL_RE.sub(r"\\\1", text)


def _h(text: str) -> str:
    return html.escape(text, quote=True)


# Text for HTML element content (quotes kept as they are).
def _text(text: str) -> str:
    return html.escape(text, quote=False)


# ---------------------------------------------------------------------------
# The reference library page
# ---------------------------------------------------------------------------


# Placeholder left in the library page for each entry's backlinks, filled after all pages are read.
def backlinks_placeholder(key: str) -> str:
    return f'<div class="tpg-backlinks" data-tpg-backlinks="{_h(key)}"></div>'


# Markdown of the whole library: a filter, then entries grouped by their first topic.
def library_markdown(bib: Bibliography, *, intro: str = "", uses: dict | None = None,
                     library_url: str = "references/", style: Path | None = None) -> str:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in bib.entries.values():
        groups[entry.topics[0] if entry.topics else OTHER_TOPIC].append(entry)
    topics = sorted(groups, key=lambda t: (t == OTHER_TOPIC, t.lower()))
    all_topics = sorted({t for e in bib.entries.values() for t in e.topics}, key=str.lower)
    lines = [intro, ""] if intro else []
    lines += [
        # Shown by CSS only when scripts run (html.js), so it takes its place before the first paint.
        '<div class="tpg-library-filter" markdown="0">',
        '<label for="tpg-topic-filter">Show topic</label>',
        '<select id="tpg-topic-filter"><option value="">All topics</option>',
    ]
    lines += [f'<option value="{_h(t)}">{_h(t)}</option>' for t in all_topics]
    lines += ["</select>", '<p class="tpg-filter-count" aria-live="polite"></p>', "</div>", ""]
    for topic in topics:
        lines += [f"## {_md(topic[:1].upper() + topic[1:])} {{#topic-{_slug(topic)}}}", ""]
        entries = sorted(groups[topic], key=lambda e: (e.authors[0] if e.authors else e.title, e.year))
        lines += [library_entry_html(e, (uses or {}).get(e.key, ()), library_url, style) for e in entries]
        lines.append("")
    lines += ['## Not yet cited {#not-yet-cited}', "", '<div class="tpg-uncited" data-tpg-uncited></div>', ""]
    return "\n".join(lines)


# One entry of the library as HTML (an article with a stable id = the bib key), in the CSL style
# (default Vancouver) with the title in bold; uses are the evidence records resting on it, as
# (kind, text, site-relative url or "").
def library_entry_html(entry: Entry, uses=(), library_url: str = "references/", style: Path | None = None) -> str:
    topics = ",".join(entry.topics)
    # Study type in bold, then the topics as plain text (as pills, 470 inline boxes on the library).
    meta = []
    if entry.studytype:
        meta.append(f'<span class="tpg-studytype">{_h(entry.studytype)}</span>')
    if entry.topics:
        meta.append(_h(", ".join(entry.topics)))
    links = " · ".join(
        f'<a href="{_h(url)}" rel="noopener">{_h(label)}</a>' for label, url in entry_links(entry)
    )
    text = csl.format_references([entry], style, title_tags=("<strong>", "</strong>")).get(entry.key)
    if text is None:
        text = (f"{_h(_sentence(author_list(entry, limit=6)))} <strong>{_h(_sentence(entry.title))}</strong> "
                f"<em>{_h(source_text(entry))}</em>.")
    # what we could not see, or what has replaced a guideline: a reader checking the source needs it
    said = entry.get("note").strip()
    said += "" if not said or said.endswith((".", "?", "!")) else "."
    note = f'<p class="tpg-ref-note">Note: {_h(said)}</p>' if said else ""
    return (
        f'<article class="tpg-ref" id="{_h(entry.key)}" data-topics="{_h(topics)}" markdown="0">'
        f'<p class="tpg-ref-text">{text}</p>'
        f'<p class="tpg-ref-meta">{" · ".join(meta)}</p>'
        f"{note}"
        f'<p class="tpg-ref-links">{links} <a class="tpg-ref-anchor" href="#{_h(entry.key)}" '
        f'aria-label="Link to this reference">#</a></p>'
        f"{_uses_html(uses, library_url)}"
        f"{backlinks_placeholder(entry.key)}"
        "</article>"
    )


# "What our evidence data take from this paper": findings (linked), harms, warning signs.
def _uses_html(uses, library_url: str) -> str:
    if not uses:
        return ""
    items = []
    for kind, text, url in uses:
        label = f"{_h(kind)}: {_h(text)}"
        if url:
            href = posixpath.relpath("/" + url.partition("#")[0], "/" + library_url) + "/"
            frag = url.partition("#")[2]
            label = f'<a href="{_h(href + ("#" + frag if frag else ""))}">{label}</a>'
        items.append(f"<li>{label}</li>")
    return (f'<details class="tpg-ref-uses"><summary>In our evidence data: {_count(len(uses), "record")}</summary>'
            "<ul>" + "".join(items) + "</ul></details>")


# The library entry's line about where the entry is cited: a count linking to its section of the
# "where cited" page (the lists themselves live there: on the library page they were half of its
# elements and most of its blocking time on a phone).
def backlinks_summary_html(key: str, links: list[Backlink], where_cited_href: str) -> str:
    if not links:
        return '<p class="tpg-backlinks-none">Not yet cited on this site.</p>'
    text = _cited_in(links, len({link.url for link in links}))
    return f'<p><a href="{_h(where_cited_href)}#{_h(key)}">{text}</a></p>'


# The "where cited" page: for each cited entry (by author and year), a heading linking back to the
# entry in the library, then one paragraph naming each citing page (linked) and its sections.
# URLs are made relative to the page by `relative`; `library_href` is the library page's URL.
def where_cited_html(bib: Bibliography, links_by_key: dict[str, list[Backlink]], relative, library_href: str) -> str:
    entries = sorted((e for e in bib.entries.values() if links_by_key.get(e.key)),
                     key=lambda e: ((e.authors[0] if e.authors else e.title).lower(), e.year, e.key))
    if not entries:
        return "<p>No page of this site cites a reference yet.</p>"
    out = []
    for entry in entries:
        pages: dict[str, list[Backlink]] = {}
        for link in links_by_key[entry.key]:
            pages.setdefault(link.url, []).append(link)
        items = []
        for url, group in pages.items():
            sections = list(dict.fromkeys(link.section for link in group if link.section))
            where = f" ({_h('; '.join(sections))})" if sections else ""
            items.append(f'<a href="{_h(relative(url))}">{_h(group[0].title)}</a>{where}')
        label = f"{author_list(entry, limit=1)} ({entry.year})" if entry.year else author_list(entry, limit=1)
        # A paragraph, not a list: 140 lists of 1,000 items made this page slow to lay out on a phone.
        out.append(
            # A plain section (no accessible name, so not a landmark: 140 regions, some alike).
            f'<section class="tpg-cited" id="{_h(entry.key)}">'
            f'<h2 id="cited-{_h(entry.key)}"><a href="{_h(library_href)}#{_h(entry.key)}">{_h(label)}</a></h2>'
            f'<p>{_h(_sentence(entry.title))}</p>'
            f'<p>{_cited_in(links_by_key[entry.key], len(pages))}: '
            + "; ".join(items) + ".</p></section>"
        )
    return "\n".join(out)


# "Cited in 13 places on 9 pages": the library line and the "where cited" section say the same.
def _cited_in(links: list[Backlink], pages: int) -> str:
    return f"Cited in {_count(len(links), 'place')} on {_count(pages, 'page')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


# HTML list of entries that no page cites.
def uncited_html(bib: Bibliography, cited: set[str]) -> str:
    missing = [e for e in bib.entries.values() if e.key not in cited]
    if not missing:
        return "<p>Every reference in the library is cited on at least one page.</p>"
    items = "".join(
        f'<li><a href="#{_h(e.key)}">{_h(author_list(e))} ({_h(e.year)})</a></li>' for e in missing
    )
    return f"<p>{len(missing)} references are in the library but not yet cited on a page:</p><ul>{items}</ul>"


# ---------------------------------------------------------------------------
# Cite this page and metadata
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PageCitationInfo:
    """What a reader or a reference manager needs to cite one page of the site."""

    text: str
    bibtex: str
    meta: list[tuple[str, str]]  # (name, content) pairs for <meta> tags
    jsonld: str


# Build the text citation, BibTeX, citation_* meta tags and MedicalWebPage JSON-LD of a page.
def cite_page(
    *,
    site_name: str,
    title: str,
    url: str,
    authors: list[str],
    reviewer: str,
    last_reviewed: str,
    clinical_reviewer: str = "",
    published: str,
    description: str,
    key: str,
    cited: list[Entry],
) -> PageCitationInfo:
    author_text = "; ".join(authors) if authors else site_name
    title_end = "" if title.endswith(("?", "!", ".")) else "."
    # "reviewed" only for a clinical review: a fact-checker read "Last reviewed" as a clinician's
    checked = "Last reviewed" if clinical_reviewer else "Last checked by the editors"
    text = f"{author_text}. {title}{title_end} {site_name}. {checked} {_long_date(last_reviewed)}. {url}"
    bib_authors = " and ".join("{" + a + "}" for a in authors) or "{" + site_name + "}"
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  author = {{{bib_authors}}},",
            f"  title = {{{title}}},",
            f"  howpublished = {{{site_name}}},",
            f"  year = {{{last_reviewed[:4]}}},",
            f"  url = {{{url}}},",
            f"  note = {{{checked} {last_reviewed}}},",
            "}",
        ]
    )
    meta = [("citation_title", title)]
    meta += [("citation_author", a) for a in (authors or [site_name])]
    meta += [
        ("citation_publication_date", published.replace("-", "/")),
        ("citation_online_date", last_reviewed.replace("-", "/")),
        ("citation_publisher", site_name),
        ("citation_public_url", url),
    ]
    meta += [("citation_reference", _citation_reference(e)) for e in cited]
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": title,
        "headline": title,
        "description": description,
        "url": url,
        "inLanguage": "en",
        "datePublished": published,
        "lastReviewed": last_reviewed,
        "author": [{"@type": "Organization", "name": a} for a in (authors or [site_name])],
        "publisher": {"@type": "Organization", "name": site_name},
        "citation": [_jsonld_citation(e) for e in cited],
    }
    # schema.org's reviewedBy reads as a medical reviewer: only a clinician's review says it, never
    # the editors' check (issue 23 review: nothing may imply a clinician reviewed a page)
    if clinical_reviewer:
        data["reviewedBy"] = {"@type": "Person", "name": clinical_reviewer}
    # "</" must never appear inside a <script> element.
    jsonld = json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")
    return PageCitationInfo(text=text, bibtex=bibtex, meta=meta, jsonld=jsonld)


def _citation_reference(entry: Entry) -> str:
    parts = [f"citation_title={entry.title}"]
    parts += [f"citation_author={a}" for a in entry.authors if a != "et al."]
    if entry.get("journal"):
        parts.append(f"citation_journal_title={entry.get('journal')}")
    parts.append(f"citation_publication_date={entry.year}")
    for name in ("volume", "number"):
        if entry.get(name):
            parts.append(f"citation_{'issue' if name == 'number' else name}={entry.get(name)}")
    if entry.doi:
        parts.append(f"citation_doi={entry.doi}")
    if entry.pmid:
        parts.append(f"citation_pmid={entry.pmid}")
    return "; ".join(p.replace(";", ",") if i else p for i, p in enumerate(parts))


def _jsonld_citation(entry: Entry) -> dict:
    data = {
        "@type": "ScholarlyArticle" if entry.type == "article" else "CreativeWork",
        "name": entry.title,
        "author": [a for a in entry.authors if a != "et al."],
        "datePublished": entry.year,
    }
    if entry.get("journal"):
        data["isPartOf"] = entry.get("journal")
    if entry.doi:
        data["sameAs"] = doi_url(entry)
    return data


_MONTHS = "January February March April May June July August September October November December".split()


def _long_date(iso: str) -> str:
    try:
        year, month, day = (int(x) for x in iso.split("-"))
        return f"{day} {_MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return iso
