"""A bib file as reference managers write it (issue 25): @string macros with '#', @comment
blocks, '%' lines and LaTeX accents build, and the pages show plain text; a macro or LaTeX that
hides markup, or a macro that is not defined, fails the build with file:line."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from support import article, make_site

BIB = r"""% Exported by a reference manager; questions to editor@example.org
%% Encoding: UTF-8

@comment{jabref-meta: databaseType:bibtex; {groups} stay out of the build}

@string{jama = "JAMA"}
@String{jbmt = {Journal of Bodywork} # " and Movement Therapies"}

@article{muller2021needling,
  author  = {M{\"u}ller, J{\"o}rg and S{\o}rensen, S{\o}ren and Caf\'e, Ren{\'e}},
  title   = {Dry needling in {\'E}lodie's clinic: a randomized trial \& follow-up},
  journal = jama # " Netw Open",
  year    = 2021,
  month   = mar,
  volume  = 4,
  pages   = {e2100--e2110},
  doi     = {10.1000/example.3}
}

@article{sorensen2019strain,
  author  = {S{\o}rensen, S{\o}ren and {\O}stergaard, Lise},
  title   = {Strain and pain in the upper trapezius},
  journal = jbmt,
  year    = 2019,
  pages   = {12--20},
  pmid    = {31234567}
}
"""
PAGE = article("Home", "Needling was tested [@muller2021needling]. So was strain [@sorensen2019strain].\n")
# (what follows the journal and year is the renderer's business: it makes a dash of "--")
MULLER = ("Müller J, Sørensen S, Café R. Dry needling in Élodie's clinic: a randomized trial & follow-up. "
          "JAMA Netw Open. 2021")
SORENSEN = ("Sørensen S, Østergaard L. Strain and pain in the upper trapezius. "
            "Journal of Bodywork and Movement Therapies. 2019")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    built = make_site(tmp_path_factory.mktemp("bibformats"), {"index.md": PAGE}, bib={"refs.bib": BIB})
    result = built.build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return built


def _text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def test_footnotes_show_decoded_names_and_expanded_journals(site):
    soup = BeautifulSoup(site.html(), "html.parser")
    for key, expected in (("muller2021needling", MULLER), ("sorensen2019strain", SORENSEN)):
        text = _text(soup.select_one(f"li#fn\\:{key}"))
        assert expected in text and "–" in text and "--" not in text, text


def test_reference_library_shows_decoded_names_and_expanded_journals(site):
    soup = BeautifulSoup(site.html("references"), "html.parser")
    muller = _text(soup.select_one("article#muller2021needling"))
    assert "Müller J, Sørensen S, Café R" in muller and "Élodie's clinic" in muller and "JAMA Netw Open" in muller
    assert "Journal of Bodywork and Movement Therapies" in _text(soup.select_one("article#sorensen2019strain"))


# Decoded text goes through the renderers' escaping like any other: \& reaches the HTML as &amp;.
def test_decoded_text_is_escaped_in_the_html(site):
    for page in ("", "references"):
        assert "a randomized trial &amp; follow-up" in site.html(page), page


# No macro name, LaTeX command, brace or @comment text reaches any page (text or metadata).
def test_no_macro_names_or_latex_reach_the_pages(site):
    for page in ("", "references"):
        html = site.html(page)
        soup = BeautifulSoup(html, "html.parser")
        refs = " ".join(_text(n) for n in soup.select("div.footnote li, article.tpg-ref"))
        assert refs and not re.search(r"[\\{}]", refs), refs
        assert not re.search(r"\bjama\b|jbmt|jabref|@string|stay out of the build", html), page
    meta = BeautifulSoup(site.html(), "html.parser").select('meta[name="citation_reference"]')
    assert any("citation_journal_title=JAMA Netw Open" in m["content"] for m in meta), meta


# Decoded text is checked like text written plainly: markup behind a macro or LaTeX is refused.
@pytest.mark.parametrize("old,new,line", [
    (r"{\'E}lodie's", r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{}", 9),
    (r"{\'E}lodie's", "<script>alert(1)</script>", 9),
    ('@string{jama = "JAMA"}', '@string{jama = "<b>JAMA</b>"}', 9),
    ("journal = jbmt", "journal = jbmt # {<img src=x onerror=alert(1)>}", 20),
])
def test_markup_in_decoded_text_fails_the_build_naming_the_entry(tmp_path, old, new, line):
    assert old in BIB
    site = make_site(tmp_path, {"index.md": PAGE}, bib={"refs.bib": BIB.replace(old, new)})
    result = site.build_in_process()
    assert not result.ok and not site.site_dir.exists()
    assert f"bib/refs.bib:{line}: entry '" in result.text, result.text
    assert "contains markup or a script URL" in result.text, result.text


def test_unknown_macro_fails_the_build_naming_line_and_macro(tmp_path):
    site = make_site(tmp_path, {"index.md": PAGE}, bib={"refs.bib": BIB.replace("journal = jbmt", "journal = jbtm")})
    result = site.build_in_process()
    assert not result.ok
    assert ("bib/refs.bib:23: unknown @string macro 'jbtm' -> "
            "define it with @string{jbtm = {...}} or write the value in braces") in result.text, result.text
