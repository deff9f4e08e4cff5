"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents, built from plain data (no network, no plugin).

Three feeds are published (see ``FEEDS``): research news posts, pages of the guide that were
updated, and changes to the evidence (tpguide.changes). Every link is absolute (site_url); every item has its full title, a date and a summary.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.utils import format_datetime
from urllib.parse import urljoin

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
# Feed name -> (title suffix, path of each format under the site root). The files sit at the
# root, and stay there: feed readers keep these URLs. (Material's bundle fetched "sitemap.xml"
# next to every <link rel="alternate"> target, a 404 for a feeds/ folder; tpguide.bundle_patch
# now keeps it to language alternates.)
FEEDS = {
    "news": {
        "title": "research news",
        "rss": "feed-news.rss.xml",
        "atom": "feed-news.atom.xml",
        "json": "feed-news.json",
    },
    "updates": {
        "title": "updated pages",
        "rss": "feed-updates.rss.xml",
        "atom": "feed-updates.atom.xml",
        "json": "feed-updates.json",
    },
    "changes": {
        "title": "evidence changes",
        "rss": "feed-changes.rss.xml",
        "atom": "feed-changes.atom.xml",
        "json": "feed-changes.json",
    },
}
MEDIA_TYPES = {"rss": "application/rss+xml", "atom": "application/atom+xml", "json": "application/feed+json"}

ET.register_namespace("atom", ATOM_NS)


@dataclass(frozen=True)
class Item:
    """One feed entry."""

    id: str  # stable, unique: a URL, or a URL plus a fragment for repeated updates of one page
    title: str
    url: str  # absolute
    published: dt.datetime  # timezone-aware
    summary: str
    updated: dt.datetime | None = None
    authors: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass
class Feed:
    """A feed and its entries, newest first."""

    title: str
    description: str
    home_url: str  # absolute URL of the HTML page the feed belongs to
    language: str = "en"
    author: str = ""
    items: list[Item] = field(default_factory=list)

    @property
    def updated(self) -> dt.datetime:
        dates = [i.updated or i.published for i in self.items]
        return max(dates) if dates else dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


# Absolute URL of a site path (site_url must end with "/").
def absolute(site_url: str, path: str) -> str:
    base = site_url if site_url.endswith("/") else site_url + "/"
    return urljoin(base, path.lstrip("/"))


# A date as midnight UTC, so that every feed date is timezone-aware.
def at_midnight(day: dt.date) -> dt.datetime:
    if isinstance(day, dt.datetime):
        return day if day.tzinfo else day.replace(tzinfo=dt.timezone.utc)
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.timezone.utc)


# Keep the newest `limit` items, newest first.
def newest(items: list[Item], limit: int) -> list[Item]:
    return sorted(items, key=lambda i: (i.updated or i.published, i.title), reverse=True)[:limit]


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


# RSS 2.0 with an atom:link to itself.
def rss(feed: Feed, self_url: str) -> str:
    root = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(root, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", feed.home_url)
    _text(channel, "description", feed.description)
    _text(channel, "language", feed.language)
    _text(channel, "lastBuildDate", format_datetime(feed.updated))
    ET.SubElement(channel, f"{{{ATOM_NS}}}link", {"href": self_url, "rel": "self", "type": MEDIA_TYPES["rss"]})
    for item in feed.items:
        node = ET.SubElement(channel, "item")
        _text(node, "title", item.title)
        _text(node, "link", item.url)
        _text(node, "guid", item.id, isPermaLink="true" if item.id == item.url else "false")
        _text(node, "pubDate", format_datetime(item.updated or item.published))
        _text(node, "description", item.summary)
        for category in item.categories:
            _text(node, "category", category)
    return _xml(root)


# Atom 1.0, in the default namespace.
def atom(feed: Feed, self_url: str) -> str:
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": feed.language})
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.description)
    _text(root, "id", self_url)
    _text(root, "updated", _rfc3339(feed.updated))
    ET.SubElement(root, "link", {"href": self_url, "rel": "self", "type": MEDIA_TYPES["atom"]})
    ET.SubElement(root, "link", {"href": feed.home_url, "rel": "alternate", "type": "text/html"})
    if feed.author:
        _text(ET.SubElement(root, "author"), "name", feed.author)
    for item in feed.items:
        entry = ET.SubElement(root, "entry")
        _text(entry, "title", item.title)
        _text(entry, "id", item.id)
        ET.SubElement(entry, "link", {"href": item.url, "rel": "alternate", "type": "text/html"})
        _text(entry, "published", _rfc3339(item.published))
        _text(entry, "updated", _rfc3339(item.updated or item.published))
        for name in item.authors or ((feed.author,) if feed.author else ()):
            _text(ET.SubElement(entry, "author"), "name", name)
        for category in item.categories:
            ET.SubElement(entry, "category", {"term": category})
        _text(entry, "summary", item.summary, type="text")
    return _xml(root)


# JSON Feed 1.1.
def json_feed(feed: Feed, self_url: str) -> str:
    doc = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.home_url,
        "feed_url": self_url,
        "description": feed.description,
        "language": feed.language,
        "items": [],
    }
    if feed.author:
        doc["authors"] = [{"name": feed.author}]
    for item in feed.items:
        entry = {
            "id": item.id,
            "url": item.url,
            "title": item.title,
            "summary": item.summary,
            "content_text": item.summary,
            "date_published": _rfc3339(item.published),
            "date_modified": _rfc3339(item.updated or item.published),
        }
        if item.authors:
            entry["authors"] = [{"name": n} for n in item.authors]
        if item.categories:
            entry["tags"] = list(item.categories)
        doc["items"].append(entry)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


# Every format of one feed: path under the site root -> document text.
def render_all(name: str, feed: Feed, site_url: str) -> dict[str, str]:
    paths = FEEDS[name]
    return {
        paths["rss"]: rss(feed, absolute(site_url, paths["rss"])),
        paths["atom"]: atom(feed, absolute(site_url, paths["atom"])),
        paths["json"]: json_feed(feed, absolute(site_url, paths["json"])),
    }


# <link rel="alternate"> tags for feed autodiscovery in every page's <head>. The href is relative
# to the page (root_prefix: "../" per folder level): readers resolve it against the page, and
# Material fetches the sitemap next to it from the same origin, wherever the site is served.
def discovery_links(root_prefix: str, site_name: str) -> str:
    tags = []
    for name, paths in FEEDS.items():
        for fmt in ("rss", "atom", "json"):
            title = f"{site_name}: {paths['title']} ({fmt.upper() if fmt != 'atom' else 'Atom'})"
            tags.append(f'<link rel="alternate" type="{MEDIA_TYPES[fmt]}" title="{_attr(title)}" '
                        f'href="{_attr(root_prefix + paths[fmt])}">')
    return "\n".join(tags)


def _text(parent: ET.Element, tag: str, text: str, **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    node.text = text
    return node


def _xml(root: ET.Element) -> str:
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _rfc3339(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# ---------------------------------------------------------------------------
# The feed table of the subscribe page
# ---------------------------------------------------------------------------

# The line a page writes where the feed table goes (filled by tpguide.pipeline; the marker's text
# is what editors write, so it keeps its old name).
TABLE_MARKER = "<!-- hooks/news.py: feed table -->"
_DESCRIPTIONS = {
    "news": "**Research news**: a plain-language summary of each new study we cover",
    "updates": "**Updated pages**: each page of the guide that was updated or reviewed",
    "changes": "**Evidence changes**: each change to a result or a harm we show, from what to what, and why",
}


# A Markdown table of every feed with absolute links, then the addresses to copy.
def table_markdown(site_url: str) -> str:
    lines = ["| What you get | RSS | Atom | JSON Feed |", "|---|---|---|---|"]
    for name, paths in FEEDS.items():
        cells = [f"[{label}]({absolute(site_url, paths[fmt])})"
                 for fmt, label in (("rss", "RSS"), ("atom", "Atom"), ("json", "JSON Feed"))]
        lines.append(f"| {_DESCRIPTIONS[name]} | " + " | ".join(cells) + " |")
    lines += ["", "Addresses to copy into a feed reader:", ""]
    for name, paths in FEEDS.items():
        lines.append(f"- {paths['title'].capitalize()}: `{absolute(site_url, paths['rss'])}`")
    return "\n".join(lines) + "\n"
