"""Real builds of fixture sites through the project's mkdocs.yml, hooks and templates."""

import pytest
from bs4 import BeautifulSoup

from support import article, make_site

BODY = """
Knots are common [@smith2020knots]. A manual describes them [@lee2019manual; @smith2020knots].

## What it is

Code `@decorator` and `[@notakey]` stay as they are. Mail me@example.org.

```python
@property
def x(): return "[@fake]"
```
"""


@pytest.fixture(scope="module")
def good_site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("good"), {
        "index.md": article("Home", BODY),
        "other.md": article("Other page", "\n## Second section\n\nAlso [@smith2020knots].\n"),
    })
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return site


def test_citation_becomes_numbered_footnote_with_reference(good_site):
    soup = BeautifulSoup(good_site.html(), "html.parser")
    refs = soup.select("sup a.footnote-ref")
    assert [a.get_text() for a in refs] == ["1", "2", "1"]
    notes = soup.select("div.footnote li")
    assert [li["id"] for li in notes] == ["fn:smith2020knots", "fn:lee2019manual"]
    first = notes[0].get_text(" ", strip=True)
    assert "Smith AB, Jones C. Muscle knots in adults: a systematic review" in first
    links = {a.get_text(): a["href"] for a in notes[0].select("a")}
    assert links["doi:10.1000/example.1"] == "https://doi.org/10.1000/example.1"
    assert links["PubMed 12345678"] == "https://pubmed.ncbi.nlm.nih.gov/12345678/"
    assert links["About this source"] == "references/#smith2020knots"
    assert soup.select_one("h2#references") is not None


def test_code_and_mail_are_untouched(good_site):
    soup = BeautifulSoup(good_site.html(), "html.parser")
    codes = [c.get_text() for c in soup.select("article code")]
    assert "@decorator" in codes and "[@notakey]" in codes
    block = soup.select_one("div.highlight code").get_text()
    assert block.startswith("@property") and '"[@fake]"' in block
    assert "me@example.org" in soup.get_text()
    assert "\ue040" not in good_site.html()


def test_footer_disclaimer_review_date_and_report_link(good_site):
    soup = BeautifulSoup(good_site.html("other"), "html.parser")
    footer = soup.select_one("footer .tpg-footer")
    assert "General information, not a substitute for professional advice" in footer.get_text()
    assert footer.select_one("time")["datetime"] == "2026-01-10"
    report = footer.select_one("a.tpg-footer__report")["href"]
    assert report.startswith("https://github.com/") and "Other%20page" in report


def test_review_box_key_messages_and_reading_time(good_site):
    soup = BeautifulSoup(good_site.html(), "html.parser")
    top = soup.select_one(".tpg-review--short").get_text(" ", strip=True)  # one short line under the title
    # no clinician has reviewed it: the line under the title says whose review the date is
    assert top.startswith("Checked by editors, not clinicians, 10 Jan 2026") and "min read" in top and "About this page" in top
    box = soup.select_one(".tpg-review-box").get_text(" ", strip=True)  # the full dates at the foot
    assert "Last checked by editors 10 January 2026 by Test Reviewer" in box and "Next review 10 January 2027" in box
    assert "Last reviewed" not in box  # "reviewed" is kept for a clinical review
    assert "Clinical review None yet: no doctor, physiotherapist or other clinician has reviewed this page." in box
    assert "Evidence last searched" not in box  # no evidence/ here: no date is typed or invented
    assert [li.get_text() for li in soup.select(".tpg-key-messages li")] == ["First key message.", "Second key message."]


def test_cite_this_page_and_metadata(good_site):
    soup = BeautifulSoup(good_site.html("other"), "html.parser")
    cite = soup.select_one("#cite-this-page")
    # "reviewed" is kept for a clinical review, in the citation too
    assert "Test Author. Other page. Trigger Point Guide. Last checked by the editors 10 January 2026." in cite.get_text()
    assert "note = {Last checked by the editors 2026-01-10}" in cite.select_one("code").get_text()
    footer = soup.select_one(".tpg-footer__reviewed").get_text(" ", strip=True)
    assert footer.startswith("Last checked by editors") and "reviewed" not in footer
    assert "@misc{tpguide_other_2026," in cite.select_one("code").get_text()
    meta = {m["name"]: m["content"] for m in soup.select("meta[name^=citation_]") if m["name"] != "citation_reference"}
    assert meta["citation_title"] == "Other page" and meta["citation_author"] == "Test Author"
    assert meta["citation_online_date"] == "2026/01/10"
    refs = [m["content"] for m in soup.select("meta[name=citation_reference]")]
    assert refs and "citation_doi=10.1000/example.1" in refs[0]
    import json

    data = json.loads(soup.select_one("script[type='application/ld+json']").string)
    assert data["@type"] == "MedicalWebPage" and data["lastReviewed"] == "2026-01-10"
    assert "reviewedBy" not in data  # no clinician has reviewed it: the editors' check is not a medical review


def test_reference_library_has_anchors_backlinks_and_uncited(good_site):
    soup = BeautifulSoup(good_site.html("references"), "html.parser")
    entry = soup.select_one("article#smith2020knots")
    assert entry is not None and "systematic review" in entry.select_one(".tpg-ref-meta").get_text()
    # One line: how often the entry is cited, linking to its section of the "where cited" page.
    links = [(a.get_text(), a["href"]) for a in entry.select(".tpg-backlinks a")]
    assert len(links) == 1 and links[0][1] == "where-cited/#smith2020knots", links
    assert links[0][0].startswith("Cited in ") and links[0][0].endswith("places on 2 pages")
    assert "Every reference in the library is cited" in soup.select_one(".tpg-uncited").get_text()


# The citing pages themselves are listed on the generated "where cited" page: one link per page,
# naming the sections that cite the entry, and a heading linking back to the library entry.
def test_where_cited_page_lists_each_citing_page_and_section(good_site):
    soup = BeautifulSoup(good_site.html("references/where-cited"), "html.parser")
    section = soup.select_one("section#smith2020knots")
    assert section is not None
    assert section.select_one("h2 a")["href"] == "../#smith2020knots"
    pages = [(a.get_text(), a["href"]) for a in section.select("p a")]
    assert pages == [("Home", "../../"), ("Other page", "../../other/")]  # one link per citing page
    text = section.get_text(" ")
    assert "places on 2 pages" in text and "Other page" in text and "Second section" in text
    # every cited entry has a section, and an uncited entry has none
    cited = {s["id"] for s in soup.select("section.tpg-cited")}
    assert "smith2020knots" in cited
    library = BeautifulSoup(good_site.html("references"), "html.parser")
    for entry in library.select("article.tpg-ref"):
        link = entry.select_one(".tpg-backlinks a")
        assert (link is not None) == (entry["id"] in cited), entry["id"]


def test_where_cited_page_is_not_in_the_navigation(good_site):
    home = BeautifulSoup(good_site.html(""), "html.parser")
    assert not [a for a in home.select(".md-nav a") if "where-cited" in a.get("href", "")]
    assert "references/where-cited/" in (good_site.site_dir / "sitemap.xml").read_text(encoding="utf-8")


def test_uncited_entry_listed_as_not_yet_cited(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Only one [@smith2020knots].\n")})
    assert site.build().returncode == 0
    soup = BeautifulSoup(site.html("references"), "html.parser")
    uncited = soup.select_one(".tpg-uncited")
    assert "1 references are in the library but not yet cited" in uncited.get_text()
    assert uncited.select_one("a")["href"] == "#lee2019manual"


def test_reference_lists_stay_out_of_the_search_index(good_site):
    import json

    soup = BeautifulSoup(good_site.html(), "html.parser")
    assert soup.select_one("div.footnote").has_attr("data-search-exclude")
    index = json.loads((good_site.site_dir / "search" / "search_index.json").read_text())
    home = " ".join(d["text"] for d in index["docs"] if d["location"].split("#")[0] == "")
    library = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("references/"))
    assert "Knots are common" in home and "Muscle knots in adults" not in home
    assert "Muscle knots in adults" in library
