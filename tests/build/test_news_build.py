"""Research news in real strict builds of fixture sites: scaffold -> build -> feeds; every bad post fails."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlparse

import feedparser
import pytest
from bs4 import BeautifulSoup

from support import ROOT, article, make_site
from tpguide import posts

TODAY = "2026-06-01"
AUTHORS_YML = ("authors:\n  editorial-team:\n    name: Test Team\n    description: Writers\n"
               "    avatar: research-news/team.svg\n")
NEWS_INDEX = "---\ntitle: Research news\ndescription: News.\n---\n\n# Research news\n\nSummaries of new studies.\n"
HOME = article("Home", "Text [@smith2020knots].\n").replace(
    "key_messages:",
    "tags:\n  - knots\nupdate_log:\n  - date: 2026-02-01\n    change: Added the section on heat.\n"
    "  - date: 2025-12-01\n    change: First published.\nkey_messages:",
)


def good_post(title="A finished post", slug="finished", date="2026-05-20", extra="", body_cite="[@smith2020knots]"):
    sections = "\n".join(
        f"## {s}\n\nPlain words about this part of the study {body_cite}.\n"
        + ("\n<!-- more -->\n" if i == 0 else "")
        for i, s in enumerate(posts.SECTIONS)
    )
    return (f"---\ntitle: \"{title}\"\ndescription: What the study found, in one sentence.\ndate: {date}\n"
            f"authors:\n  - editorial-team\nreviewer: Ann Reviewer\ncategories:\n  - Trials\n"
            f"tags:\n  - knots\nslug: {slug}\n{extra}---\n\n{sections}")


# A fixture site with the research news section and a fixed "today".
def news_site(tmp_path, posts_files: dict[str, str] | None = None, pages: dict[str, str] | None = None):
    files = {"index.md": HOME, "research-news/index.md": NEWS_INDEX, "research-news/.authors.yml": AUTHORS_YML,
             "research-news/team.svg": (ROOT / "docs/research-news/team.svg").read_text(encoding="utf-8"),
             "tags.md": "---\ntitle: Tags\n---\n\n# Tags\n\n<!-- material/tags -->\n",
             # Printable handouts (another hook) link every article to this page.
             "when-to-see-a-professional.md": article("When to see a professional", "Text [@lee2019manual].\n")}
    files.update({f"research-news/posts/{name}": text for name, text in (posts_files or {}).items()})
    files.update(pages or {})
    site = make_site(tmp_path, files)
    text = site.config.read_text(encoding="utf-8")
    assert "\n  tpguide:\n" in text
    site.config.write_text(text.replace("\n  tpguide:\n", f"\n  tpguide:\n    today: {TODAY}\n", 1), encoding="utf-8")
    return site


def scaffold(site, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tpguide.cli", "--root", str(site.root), "--today", TODAY, *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)


# The editor's part: write the placeholder parts, name the reviewer, drop the draft line.
def finish(path) -> None:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'reviewer: ".*"', "reviewer: Ann Reviewer", text)
    text = re.sub(r"(?m)^draft: true.*\n", "", text).replace(f"{posts.PLACEHOLDER}: ", "")
    path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# One good site, built once
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("news")
    site = news_site(tmp, {
        "finished.md": good_post(),
        "future-draft.md": good_post("A future draft", "future-draft", date="2026-09-01", extra="draft: true\n"),
    })
    made = scaffold(site, "new-post", "--title", "Scaffolded: a new review", "--cite", "smith2020knots,lee2019manual",
                    "--category", "Reviews", "--tags", "knots, reviews")
    assert made.returncode == 0, made.stderr
    finish(site.root / "docs/research-news/posts/scaffolded-a-new-review.md")
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site


def feed(site, name):
    return feedparser.parse((site.site_dir / f"feed-{name}").read_text(encoding="utf-8"))


def site_url(site):
    from mkdocs.config import load_config

    return load_config(str(site.config)).site_url


@pytest.mark.parametrize("name,version", [("news.rss.xml", "rss20"), ("news.atom.xml", "atom10")])
def test_scaffolded_post_is_in_the_news_feeds(built, name, version):
    parsed = feed(built, name)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    titles = [e.title for e in parsed.entries]
    assert titles == ["Scaffolded: a new review", "A finished post"]  # newest first, no draft
    entry = parsed.entries[0]
    base = site_url(built)
    assert entry.link == f"{base}research-news/2026/06/scaffolded-a-new-review/"
    assert entry.published_parsed[:3] == (2026, 6, 1)
    assert entry.summary == "one sentence (at most 160 characters) on what the study found, for feeds and search."
    assert (built.site_dir / urlparse(entry.link).path.lstrip("/") / "index.html").is_file()


def test_json_feed_has_absolute_links(built):
    doc = json.loads((built.site_dir / "feed-news.json").read_text(encoding="utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["title"] for i in doc["items"]] == ["Scaffolded: a new review", "A finished post"]
    assert all(i["url"].startswith(site_url(built)) for i in doc["items"])
    assert doc["items"][0]["tags"] == ["Reviews"]


def test_updates_feed_lists_articles_with_their_latest_change(built):
    for name in ("updates.rss.xml", "updates.atom.xml"):
        parsed = feed(built, name)
        assert not parsed.bozo
        entry = parsed.entries[0]
        assert entry.title == "Home" and entry.link == site_url(built)
        assert "Latest change: Added the section on heat." in entry.summary
        assert entry.published_parsed[:3] == (2026, 2, 1)  # no git in tmp: the update log's date


def test_draft_is_not_published(built):
    assert not (built.site_dir / "research-news/2026/09/future-draft").exists()
    assert "A future draft" not in (built.site_dir / "feed-news.atom.xml").read_text(encoding="utf-8")


def test_post_page_archive_categories_and_tags(built):
    post = BeautifulSoup(built.html("research-news/2026/06/scaffolded-a-new-review"), "html.parser")
    assert [h.get_text(strip=True).rstrip("¶") for h in post.select("article h2")][:6] == list(posts.SECTIONS)
    assert post.select_one("#references") is not None  # citations became footnotes
    assert "Test Team" in post.get_text()
    assert (built.site_dir / "research-news/archive/2026/index.html").is_file()
    assert (built.site_dir / "research-news/category/reviews/index.html").is_file()
    assert (built.site_dir / "research-news/category/trials/index.html").is_file()
    tags = built.html("tags")
    assert "Scaffolded: a new review" in tags and "Home" in tags and "knots" in tags


def test_article_shows_its_history_and_pages_link_the_feeds(built):
    soup = BeautifulSoup(built.html(), "html.parser")
    box = soup.select_one("details.tpg-history")
    assert box is not None
    assert "last updated" in box.summary.get_text() and box.summary.time["datetime"] == "2026-02-01"
    assert [li.get_text(" ", strip=True) for li in box.select("li")] == [
        "1 February 2026 : Added the section on heat.", "1 December 2025 : First published."]
    links = {link["href"] for link in soup.select('head link[rel="alternate"]')}
    assert "./feed-news.rss.xml" in links and "./feed-updates.atom.xml" in links
    nested = BeautifulSoup(built.html("tags"), "html.parser")
    assert "../feed-news.rss.xml" in {link["href"] for link in nested.select('head link[rel="alternate"]')}


# ---------------------------------------------------------------------------
# Bad input: the build fails and names the file
# ---------------------------------------------------------------------------

BAD = "docs/research-news/posts/bad.md"


@pytest.mark.parametrize("text,expect", [
    (good_post().replace("date: 2026-05-20\n", ""), f"{BAD}:1: post field 'date' is missing"),
    (good_post().replace("authors:\n  - editorial-team\n", ""), f"{BAD}:1: post field 'authors' is missing"),
    (good_post().replace("  - editorial-team", "  - mystery-writer"), "'mystery-writer' is not in research-news/.authors.yml"),
    (good_post(date="2026-07-01"), f"{BAD}:4: post field 'date': 2026-07-01 is in the future (today is {TODAY})"),
    (good_post().replace("  - Trials", "  - Gossip"), f"{BAD}:8: post field 'categories': 'Gossip' is not an allowed category"),
    (good_post(body_cite=""), f"{BAD}: post cites no paper"),
    (good_post(body_cite="[@smith2020knot]"), "unknown citation key 'smith2020knot' -> did you mean @smith2020knots?"),
    (good_post().replace("## How certain it is", "## Certainty"), f"{BAD}:29: post structure: missing '## How certain it is'"),
], ids=["no-date", "no-author", "unknown-author", "future-date", "unknown-category", "no-citation", "unknown-key",
        "structure"])
def test_bad_post_fails_the_build_naming_the_file(tmp_path, text, expect):
    site = news_site(tmp_path, {"bad.md": text})
    result = site.build()
    assert result.returncode != 0
    assert expect in result.stderr, result.stderr[-2000:]
    assert BAD in result.stderr


def test_unfinished_scaffold_cannot_be_published(tmp_path):
    site = news_site(tmp_path)
    assert scaffold(site, "new-post", "--title", "Half done", "--cite", "smith2020knots").returncode == 0
    path = site.root / "docs/research-news/posts/half-done.md"
    path.write_text(path.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    result = site.build()
    assert result.returncode != 0
    assert "docs/research-news/posts/half-done.md:3: 'FILL IN' placeholder still in the text" in result.stderr


def test_unfinished_article_cannot_be_published(tmp_path):
    site = news_site(tmp_path)
    assert scaffold(site, "new-article", "--title", "Heat packs", "--cite", "smith2020knots").returncode == 0
    result = site.build()
    assert result.returncode != 0
    assert "docs/heat-packs.md:3: 'FILL IN' placeholder still in the text" in result.stderr
