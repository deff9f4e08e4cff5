"""Every bad input fails a real strict build, with file, line and what to do; and the same input
stops `tpguide prepare` (the step before Zensical, issue 24) with the same message."""

import pytest

from support import GOOD_BIB, article, make_site
from tpguide import prepare

GOOD_PAGE = article("Home", "Text [@smith2020knots].\n")


# in_prepare=False: what only the rendered page shows (a broken link or anchor, a citation that
# reached the HTML), which prepare does not render; Zensical --strict and finish find those.
def failing_build(tmp_path, pages=None, bib=None, *, in_prepare=True):
    site = make_site(tmp_path, pages or {"index.md": GOOD_PAGE}, bib=bib)
    result = site.build()
    assert result.returncode != 0, result.stderr
    if in_prepare:
        with pytest.raises(prepare.PrepareError) as refused:
            prepare.prepare(site.config, tmp_path / "prepared")
        # the same problem, in the same words (prepare goes on to every page, where a MkDocs build
        # stops at the first page with a problem, so it may name more)
        first = str(refused.value).splitlines()[0]
        assert first.strip() and first in result.stderr, (str(refused.value), result.stderr)
    return result.stderr


def test_unknown_key_names_page_line_and_suggests(tmp_path):
    err = failing_build(tmp_path, {"index.md": article("Home", "Intro.\n\nText [@smith2020knot].\n")})
    assert "docs/index.md:17: unknown citation key 'smith2020knot' -> did you mean @smith2020knots?" in err


def test_duplicate_key_across_files(tmp_path):
    err = failing_build(tmp_path, bib={"a.bib": GOOD_BIB, "b.bib": GOOD_BIB.split("\n\n")[0]})
    assert "bib/b.bib:1: duplicate key 'smith2020knots', also defined at bib/a.bib:1" in err


def test_unparsable_bib(tmp_path):
    err = failing_build(tmp_path, bib={"a.bib": GOOD_BIB.replace("{Muscle knots in adults: a systematic review},", "{Unclosed,")})
    assert "bib/a.bib:" in err and "BibTeX does not parse" in err and "starting at line 1" in err


@pytest.mark.parametrize(
    "old,new,expect",
    [
        ("  author  = {Smith, Anna B. and Jones, Carl},\n", "", "has no author"),
        ("  journal = {Journal of Examples},\n", "", "@article without journal"),
        ("  doi     = {10.1000/example.1},\n  pmid    = {12345678},\n", "", "none of doi, pmid or url"),
        ("  pmid    = {12345678},\n", "  url = {javascript:alert(1)},\n", "markup or a script URL"),
        ("{Journal of Examples}", "{Journal <script>x</script>}", "markup or a script URL"),
    ],
)
def test_incomplete_or_unsafe_entry(tmp_path, old, new, expect):
    err = failing_build(tmp_path, bib={"a.bib": GOOD_BIB.replace(old, new, 1)})
    assert "bib/a.bib:1: entry 'smith2020knots'" in err and expect in err


def test_missing_front_matter_field(tmp_path):
    page = GOOD_PAGE.replace("reviewer: Test Reviewer\n", "")
    err = failing_build(tmp_path, {"index.md": page})
    assert "docs/index.md:1: front matter field 'reviewer' is missing" in err


def test_invalid_front_matter_field_names_line(tmp_path):
    page = GOOD_PAGE.replace("next_review: 2027-01-10", "next_review: 2030-01-10")
    err = failing_build(tmp_path, {"index.md": page})
    assert "docs/index.md:9: front matter field 'next_review'" in err and "more than 3 years" in err


def test_broken_internal_link_fails_strict(tmp_path):
    err = failing_build(tmp_path, {"index.md": article("Home", "See [missing](nowhere.md) [@smith2020knots].\n")},
                        in_prepare=False)
    assert "nowhere.md" in err


def test_broken_anchor_fails_strict(tmp_path):
    pages = {"index.md": article("Home", "See [x](other.md#no-such-anchor) [@smith2020knots].\n"),
             "other.md": article("Other", "## Real\n\nText.\n")}
    err = failing_build(tmp_path, pages, in_prepare=False)
    assert "no-such-anchor" in err


def test_citation_before_a_colon_is_still_a_citation(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Text [@smith2020knots]: more words here.\n")})
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert 'href="#fn:smith2020knots"' in site.html()


def test_citation_that_cannot_become_a_footnote_fails_the_build(tmp_path):
    # a footnote mark typed by hand, with no definition, would ship as raw text: it must not
    page = article("Home", "Text [^smith2020knots] written by hand [@lee2019manual].\n")
    err = failing_build(tmp_path, {"index.md": page}, in_prepare=False)
    assert "docs/index.md: citation left unresolved in the page: '[^smith2020knots]'" in err


# The bib folder is our own setting (extra.tpguide.bib_dir): a moved folder builds, a missing one
# stops the build naming the setting.
def _with_bib_dir(site, value):
    text = site.config.read_text(encoding="utf-8")
    assert "\n    bib_dir: bib\n" in text
    site.config.write_text(text.replace("\n    bib_dir: bib\n", f"\n    bib_dir: {value}\n"), encoding="utf-8")


def test_bib_dir_setting_moves_the_bibliography(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE})
    (site.root / "bib").rename(site.root / "references")
    _with_bib_dir(site, "references")
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert 'id="fn:smith2020knots"' in site.html()


def test_missing_bib_dir_fails_naming_the_setting(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE})
    _with_bib_dir(site, "no-such-folder")
    result = site.build()
    assert result.returncode != 0
    assert "mkdocs.yml: extra.tpguide.bib_dir: The path" in result.stderr and "isn't an existing directory" in result.stderr
