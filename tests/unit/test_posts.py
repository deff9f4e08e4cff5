"""Research news posts: schema, structure, placeholders; feeds; page history; the real posts."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import feedparser
import pytest

from support import ROOT
from tpguide import feeds, history, posts, quality

TODAY = dt.date(2026, 6, 1)
SETTINGS = posts.NewsSettings()
AUTHORS = {"editorial-team"}
PATH = "docs/research-news/posts/p.md"

BODY = "\n".join(
    f"## {s}\n\nText about it [@smith2020knots].\n" + ("\n<!-- more -->\n" if i == 0 else "")
    for i, s in enumerate(posts.SECTIONS)
)


def post(**fields) -> str:
    meta = {
        "title": "A study",
        "description": "One sentence.",
        "date": "2026-05-01",
        "authors": "\n  - editorial-team",
        "reviewer": "Ann Reviewer",
        "categories": "\n  - Trials",
    }
    meta.update(fields)
    lines = [f"{k}: {v}" for k, v in meta.items() if v is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + BODY


def problems(source: str) -> list[str]:
    info = posts.validate(source, path=PATH, settings=SETTINGS, authors=AUTHORS, today=TODAY)
    return [str(p) for p in info.problems]


def test_a_complete_post_is_valid():
    assert problems(post()) == []


@pytest.mark.parametrize("field,expect", [
    ("date", "post field 'date' is missing"),
    ("authors", "post field 'authors' is missing"),
    ("categories", "post field 'categories' is missing"),
    ("title", "post field 'title' is missing"),
    ("reviewer", "post field 'reviewer' is missing"),
])
def test_missing_field_is_named_with_the_file(field, expect):
    found = problems(post(**{field: None}))
    assert any(p.startswith(PATH) and expect in p for p in found), found


def test_future_date_needs_the_draft_flag():
    found = problems(post(date="2026-07-01"))
    assert any("post field 'date': 2026-07-01 is in the future (today is 2026-06-01)" in p for p in found)
    assert problems(post(date="2026-07-01", draft="true")) == []


def test_unknown_category_lists_the_allowed_ones():
    found = problems(post(categories="\n  - Gossip"))
    assert any("'Gossip' is not an allowed category" in p and "Trials, Reviews, Debate, Site news" in p for p in found)
    assert found[0].startswith(f"{PATH}:8:")  # the line of "categories:"


def test_unknown_author_points_to_the_authors_file():
    found = problems(post(authors="\n  - someone"))
    assert any("'someone' is not in research-news/.authors.yml" in p for p in found)


def test_bad_date_and_unknown_field():
    found = problems(post(date="next week", colour="red"))
    assert any("'next week' is not a date" in p for p in found)
    assert any("post field 'colour': is not a known field" in p for p in found)


def test_structure_placeholder_and_excerpt_are_checked_unless_draft():
    broken = post().replace("## How certain it is", "## Certainty").replace("<!-- more -->", "")
    broken += "\nFILL IN: more text.\n"
    found = problems(broken)
    assert any("post structure: missing '## How certain it is'" in p for p in found)
    assert any("no '<!-- more -->' line" in p for p in found)
    assert any("'FILL IN' placeholder still in the text" in p for p in found)
    assert problems(broken.replace("reviewer: Ann Reviewer", "draft: true")) == []


def test_placeholder_inside_code_is_allowed():
    assert posts.placeholder_problems("Use `FILL IN` markers.\n\n```\nFILL IN\n```\n", PATH) == []
    assert [p.line for p in posts.placeholder_problems("a\nb FILL IN\n", PATH)] == [2]


def test_no_front_matter_and_bad_yaml():
    assert "post has no front matter" in problems("Just text.\n")[0]
    assert "front matter is not valid YAML" in problems("---\ntitle: a: b\n---\n")[0]


def test_settings_allow_list_from_mkdocs_extra():
    settings, errs = posts.settings_from({"news": {"categories": ["A", "B"], "feed_items": 5}})
    assert settings.categories == ("A", "B") and settings.feed_items == 5 and not errs
    _, errs = posts.settings_from({"news": {"categories": "A"}})
    assert errs and "must be a list" in str(errs[0])


# ---------------------------------------------------------------------------
# Feeds
# ---------------------------------------------------------------------------

ITEM = feeds.Item(
    id="https://example.org/research-news/2026/05/a-study/",
    title="Pain & knots: a <very> long, full title that is not cut",
    url="https://example.org/research-news/2026/05/a-study/",
    published=dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc),
    summary="What the study found & why it matters.",
    authors=("Editorial team",), categories=("Trials",),
)
FEED = feeds.Feed(title="Site: research news", description="News.", home_url="https://example.org/research-news/",
                  author="Editorial team", items=[ITEM])


@pytest.mark.parametrize("fmt,version", [("rss", "rss20"), ("atom", "atom10")])
def test_xml_feeds_parse_with_full_titles_dates_and_absolute_links(fmt, version):
    text = getattr(feeds, fmt)(FEED, f"https://example.org/feed-news.{fmt}.xml")
    parsed = feedparser.parse(text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    entry = parsed.entries[0]
    assert entry.title == ITEM.title
    assert entry.link == ITEM.url
    assert entry.summary == ITEM.summary
    assert entry.published_parsed[:3] == (2026, 5, 1)


def test_json_feed_is_version_1_1_with_absolute_urls():
    doc = json.loads(feeds.json_feed(FEED, "https://example.org/feed-news.json"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == "https://example.org/feed-news.json"
    item = doc["items"][0]
    assert item["title"] == ITEM.title and item["url"].startswith("https://")
    assert item["date_published"] == "2026-05-01T00:00:00Z"


def test_absolute_joins_site_url_and_path():
    assert feeds.absolute("https://a.org/sub", "/feeds/x.xml") == "https://a.org/sub/feeds/x.xml"
    assert feeds.absolute("https://a.org/sub/", "research-news/") == "https://a.org/sub/research-news/"


# ---------------------------------------------------------------------------
# Page history
# ---------------------------------------------------------------------------

GIT_OUTPUT = (
    "\x1e2026-03-04T10:00:00+01:00\x1fFix a typo\n\nabout.md\nindex.md\n"
    "\x1e2026-01-02T09:00:00+00:00\x1fFirst version\n\nabout.md\n"
)


def test_git_log_gives_last_updated_and_entries():
    log = history.parse_git_log(GIT_OUTPUT)
    story = history.page_history({"last_reviewed": dt.date(2026, 1, 1)}, "about.md", log)
    assert story.last_updated == dt.date(2026, 3, 4) and story.updated_source == "git"
    assert [c.change for c in story.entries] == ["Fix a typo", "First version"]
    assert story.entries_source == "git"


def test_front_matter_log_wins_and_missing_git_falls_back():
    meta = {"last_reviewed": dt.date(2026, 1, 1),
            "update_log": [{"date": "2026-02-01", "change": "Added a section."},
                           {"date": "2026-04-01", "change": "New review cited."}]}
    story = history.page_history(meta, "about.md", history.GitLog())
    assert story.last_updated == dt.date(2026, 4, 1) and story.updated_source == "front matter"
    assert [c.change for c in story.entries] == ["New review cited.", "Added a section."]
    bare = history.page_history({"last_reviewed": dt.date(2026, 1, 1)}, "x.md", history.GitLog())
    assert bare.last_updated == dt.date(2026, 1, 1) and bare.entries == ()


def test_git_outside_a_repository_is_empty(tmp_path):
    log = history.read_git_log(tmp_path)
    assert log.commits == {} and not log.available


# ---------------------------------------------------------------------------
# The site's own posts
# ---------------------------------------------------------------------------

NEWS = ROOT / "docs" / "research-news"
REAL_POSTS = sorted((NEWS / "posts").glob("*.md"))


def test_there_are_at_least_three_posts():
    assert len(REAL_POSTS) >= 3


@pytest.mark.parametrize("path", REAL_POSTS, ids=lambda p: p.name)
def test_real_post_is_valid_cited_and_plain(path):
    source = path.read_text(encoding="utf-8")
    info = posts.validate(source, path=str(path), settings=SETTINGS, authors=posts.author_ids(NEWS / ".authors.yml"),
                          today=dt.date.today())
    assert info.problems == [] and not info.draft
    _, body = quality.split_front_matter(source)
    blocks = quality.prose_blocks(body)
    uncited = [b.text[:60] for b in quality.uncited_blocks(blocks) if b.heading != "The reference"]
    assert not uncited, uncited
    grade = quality.fk_grade(" ".join(quality.plain(b.text) for b in blocks))
    assert grade <= quality.MAX_GRADE, f"{path.name}: Flesch-Kincaid grade {grade:.1f}"
    assert re.search(r"\[@", body)
