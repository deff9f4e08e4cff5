"""The reference lists through the CSL style set in mkdocs.yml (extra.tpguide.csl_style, issue 25)."""

import pytest
from bs4 import BeautifulSoup

from support import article, make_site

PAGE = article("Home", "Knots are common [@smith2020knots]. A manual describes them [@lee2019manual].\n")

VANCOUVER = ("Smith AB, Jones C. Muscle knots in adults: a systematic review. Journal of Examples. 2020;12(3):100–10.",
             "Lee D. A manual of muscle pain. Example Press; 2019.")
APA = ("Smith, A. B., & Jones, C. (2020). Muscle knots in adults: a systematic review. Journal of Examples, 12(3), "
       "100–110.",
       "Lee, D. (2019). A manual of muscle pain. Example Press.")


# A fixture site with csl_style set to `value` (None: the line as in the project's mkdocs.yml).
def _site(tmp_path, value=None):
    site = make_site(tmp_path, {"index.md": PAGE})
    text = site.config.read_text(encoding="utf-8")
    assert "\n    csl_style: vancouver\n" in text
    if value is not None:
        site.config.write_text(text.replace("\n    csl_style: vancouver\n", f"\n    csl_style: {value}\n"), encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    built = {}
    for name, value in (("default", None), ("apa", "apa")):
        site = _site(tmp_path_factory.mktemp(name), value)
        result = site.build()
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr
        built[name] = site
    return built


# The footnotes, and the text of each up to its first link (the reference itself).
def _footnotes(site):
    notes = BeautifulSoup(site.html(), "html.parser").select("div.footnote li")
    texts = []
    for li in notes:
        text = ""
        for node in li.p.contents:
            if getattr(node, "name", None) == "a":
                break
            text += node.get_text()
        texts.append(text.strip())
    return notes, texts


def _library(site):
    soup = BeautifulSoup(site.html("references"), "html.parser")
    return {a["id"]: a.select_one("p.tpg-ref-text") for a in soup.select("article.tpg-ref")}


@pytest.mark.parametrize(("name", "expected"), [("default", VANCOUVER), ("apa", APA)])
def test_footnotes_and_library_in_the_style(sites, name, expected):
    notes, texts = _footnotes(sites[name])
    assert [li["id"] for li in notes] == ["fn:smith2020knots", "fn:lee2019manual"]
    assert texts == list(expected)
    # the title keeps its span (a printed handout hides it), the links stay after the reference
    assert notes[0].select_one("span.tpg-ref__title").get_text() == "Muscle knots in adults: a systematic review."
    links = {a.get_text(): a["href"] for a in notes[0].select("a")}
    assert links["doi:10.1000/example.1"] == "https://doi.org/10.1000/example.1"
    assert links["PubMed 12345678"] == "https://pubmed.ncbi.nlm.nih.gov/12345678/"
    assert links["About this source"] == "references/#smith2020knots"
    library = _library(sites[name])
    assert library["smith2020knots"].get_text() == expected[0]
    assert library["lee2019manual"].get_text() == expected[1]
    assert library["smith2020knots"].select_one("strong").get_text() == "Muscle knots in adults: a systematic review."


def test_apa_writes_its_italics_and_vancouver_none(sites):
    apa = str(_library(sites["apa"])["smith2020knots"])
    assert "<i>Journal of Examples</i>, <i>12</i>(3)" in apa and "&amp; Jones" in apa
    assert "<i>" not in str(_library(sites["default"])["smith2020knots"])


def test_an_unknown_style_stops_the_build(tmp_path):
    site = _site(tmp_path, "xyz")
    result = site.build()
    assert result.returncode != 0
    assert ("mkdocs.yml: extra.tpguide.csl_style: 'xyz' is not a bundled CSL style -> use vancouver, "
            "american-medical-association or apa, or the path of a .csl file in the repository") in result.stderr
    assert "Traceback" not in result.stderr
