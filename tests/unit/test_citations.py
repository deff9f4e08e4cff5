import pytest

from support import GOOD_BIB
from tpguide.bib import load_bib_dir
from tpguide.citations import FOOTNOTE_MARKER, process_page
from tpguide.markdown_regions import code_spans


@pytest.fixture
def bib(tmp_path):
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "a.bib").write_text(GOOD_BIB)
    return load_bib_dir(tmp_path / "bib", root=tmp_path)


def test_citations_become_footnotes_with_reference_list(bib):
    r = process_page("Text [@smith2020knots]. More [@lee2019manual; @smith2020knots].\n", bib, path="p.md")
    assert not r.problems
    # two keys in one group are kept apart: "2,3", never "23"
    assert "Text [^smith2020knots]. More [^lee2019manual]<sup class=\"tpg-cite-sep\">,</sup>[^smith2020knots]." in r.markdown
    assert FOOTNOTE_MARKER in r.markdown
    assert r.keys == ["smith2020knots", "lee2019manual"]
    assert ("[^smith2020knots]: \ue010Smith AB, Jones C. <span class=\"tpg-ref__title\">Muscle knots in adults" in r.markdown)
    assert '<a href="https://doi.org/10.1000/example.1">' in r.markdown
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/12345678/">' in r.markdown


# A printed handout keeps its references in our compact form (at most three authors, then "et
# al."; Vancouver lists six), so a two-page handout does not run onto a third.
def test_a_handout_gets_compact_references_not_the_csl_style(bib):
    full = process_page("Text [@smith2020knots].\n", bib, path="p.md").markdown
    compact = process_page("Text [@smith2020knots].\n", bib, path="p.md", compact=True).markdown
    assert "Journal of Examples. 2020;12(3):100–10. " in full and "<em>Journal of Examples" not in full
    assert "<em>Journal of Examples. 2020;12(3):100–110</em>." in compact
    assert '<a href="https://doi.org/10.1000/example.1">' in compact


def test_page_without_citations_gets_no_reference_section(bib):
    r = process_page("Nothing cited here.\n", bib, path="p.md")
    assert r.markdown == "Nothing cited here.\n" and not r.citations


def test_unknown_key_reports_line_and_suggestion(bib):
    r = process_page("one\n\ntwo [@smith2020knot]\n", bib, path="docs/p.md", line_offset=10)
    (p,) = r.problems
    assert (p.path, p.line) == ("docs/p.md", 13)
    assert "unknown citation key 'smith2020knot'" in p.message and "@smith2020knots" in p.hint


def test_malformed_citation_is_refused(bib):
    (p,) = process_page("See [@smith2020knots, @lee2019manual].\n", bib, path="p.md").problems
    assert "malformed citation" in p.message


@pytest.mark.parametrize(
    "text",
    [
        "Use `@decorator` or `[@notakey]` in code.\n",
        "```python\n@property\ndef f(): return '[@nokey]'\n```\n",
        "~~~\n[@nokey]\n~~~\n",
        "- item\n\n    ```\n    [@nokey]\n    ```\n",
        "Mail me@example.org or [mail me@example.org].\n",
        "<!-- [@nokey] -->\n",
        "A link [@someone](https://example.org) is not a citation.\n",
    ],
)
def test_code_mail_and_links_are_not_citations(bib, text):
    r = process_page(text, bib, path="p.md")
    assert not r.problems and not r.citations
    assert r.markdown == text


def test_citations_are_rewritten_and_code_is_left_as_written(bib):
    text = "Text [@lee2019manual] and `@x`.\n\n```\n[@nokey]\n```\n"
    r = process_page(text, bib, path="p.md")
    assert r.markdown.startswith("Text [^lee2019manual] and `@x`.\n\n```\n[@nokey]\n```\n")


def test_citation_records_heading(bib):
    r = process_page("Intro [@lee2019manual]\n\n## What it is\n\nText [@smith2020knots]\n", bib, path="p.md")
    assert [(c.key, c.heading) for c in r.citations] == [("lee2019manual", ""), ("smith2020knots", "What it is")]


# A fence never closed is no code block (the Markdown after it is rendered), so it is prose.
def test_code_spans_merge_and_unclosed_fence():
    text = "a `b` c\n```\nopen"
    spans = code_spans(text)
    assert [text[s:e] for s, e in spans] == ["`b`"]


# "Last reviewed" in a citation read as a clinician's review (a fact-checker): it says so only when a
# clinician reviewed the page; otherwise "Last checked by the editors".
def test_a_page_citation_says_reviewed_only_for_a_clinical_review():
    from tpguide import references
    args = dict(site_name="Site", title="Page", url="https://x/", authors=["Team"], reviewer="Team",
                last_reviewed="2026-01-10", published="2026-01-01", description="d", key="k", cited=[])
    plain = references.cite_page(**args)
    assert "Site. Last checked by the editors 10 January 2026." in plain.text and "reviewed" not in plain.text
    assert "note = {Last checked by the editors 2026-01-10}" in plain.bibtex
    clinical = references.cite_page(**args, clinical_reviewer="A Clinician")
    assert "Site. Last reviewed 10 January 2026." in clinical.text
