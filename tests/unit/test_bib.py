import textwrap

import pytest

from support import GOOD_BIB
from tpguide import build
from tpguide.bib import load_bib_dir
from tpguide.errors import ContentError


def write(tmp_path, **files):
    bib = tmp_path / "bib"
    bib.mkdir()
    for name, text in files.items():
        (bib / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return bib


def problems(tmp_path, **files):
    with pytest.raises(ContentError) as info:
        load_bib_dir(write(tmp_path, **files), root=tmp_path)
    return info.value.problems


def test_good_bib_loads_with_positions(tmp_path):
    bib = load_bib_dir(write(tmp_path, **{"a.bib": GOOD_BIB}), root=tmp_path)
    entry = bib["smith2020knots"]
    assert entry.path == "bib/a.bib" and entry.line == 1
    assert bib["lee2019manual"].line == 15
    assert entry.authors == ("Smith AB", "Jones C")
    assert entry.studytype == "systematic review" and entry.topics == ("diagnosis",)


def test_latex_is_decoded(tmp_path):
    bib = load_bib_dir(write(tmp_path, **{"a.bib": GOOD_BIB.replace("Journal of Examples", r"J Manual \& Manip {Ther}")}), root=tmp_path)
    assert bib["smith2020knots"].get("journal") == "J Manual & Manip Ther"


def test_duplicate_key_across_files_names_both_places(tmp_path):
    (p,) = problems(tmp_path, **{"a.bib": GOOD_BIB, "b.bib": "\n\n" + GOOD_BIB.split("\n\n")[0]})
    assert p.path == "bib/b.bib" and p.line == 3
    assert "duplicate key 'smith2020knots'" in p.message and "bib/a.bib:1" in p.message


def test_duplicate_key_in_one_file(tmp_path):
    first = GOOD_BIB.split("\n\n")[0]
    (p,) = problems(tmp_path, **{"a.bib": first + "\n\n" + first})
    assert p.line == 15 and "bib/a.bib:1" in p.message


def test_parse_error_names_line_and_entry(tmp_path):
    bad = GOOD_BIB.replace("title   = {Muscle knots in adults: a systematic review},", "title = {Unclosed,")
    (p,) = problems(tmp_path, **{"a.bib": bad})
    assert "does not parse" in p.message and p.line
    assert "smith2020knots" in p.hint and "line 1" in p.hint


@pytest.mark.parametrize(
    "old,new,expect",
    [
        ("  author  = {Smith, Anna B. and Jones, Carl},\n", "", "no author"),
        ("  title   = {Muscle knots in adults: a systematic review},\n", "", "no title"),
        ("  year    = {2020},\n", "", "no four-digit year"),
        ("  journal = {Journal of Examples},\n", "", "without journal"),
        ("  doi     = {10.1000/example.1},\n  pmid    = {12345678},\n", "", "none of doi, pmid or url"),
        ("{10.1000/example.1}", "{javascript:alert(1)}", "markup or a script URL"),
        ("{Journal of Examples}", "{<script>alert(1)</script>}", "markup or a script URL"),
        ("{10.1000/example.1}", "{https://doi.org/10.1000/x}", "is not a bare DOI"),
        ("  pmid    = {12345678},\n", "  pmid = {PMC123},\n", "is not a number"),
        ("  pmid    = {12345678},\n", "  url = {ftp://example.org/x},\n", "is not an http(s) link"),
        ("{systematic review}", "{opinion piece}", "studytype 'opinion piece' is not known"),
    ],
)
def test_incomplete_or_unsafe_entries_are_refused(tmp_path, old, new, expect):
    text = GOOD_BIB.replace(old, new, 1)
    assert text != GOOD_BIB
    found = problems(tmp_path, **{"a.bib": text})
    assert any(expect in p.message for p in found), found
    assert all(p.path == "bib/a.bib" and p.line == 1 for p in found)


def test_every_problem_reported_at_once(tmp_path):
    text = GOOD_BIB.replace("  year    = {2020},\n", "").replace("  year      = {2019},\n", "")
    assert len(problems(tmp_path, **{"a.bib": text})) == 2


def test_suggest_closest_key(tmp_path):
    bib = load_bib_dir(write(tmp_path, **{"a.bib": GOOD_BIB}), root=tmp_path)
    assert bib.suggest("smith2020knot") == "smith2020knots"
    assert bib.suggest("zzzz") is None


# extra.tpguide.bib_dir: our own setting, resolved against mkdocs.yml and checked like a plugin option.
class _Config:
    def __init__(self, root, tpguide):
        self.config_file_path = str(root / "mkdocs.yml")
        self.extra = {"tpguide": tpguide}


def test_bib_dir_defaults_to_bib_next_to_mkdocs_yml(tmp_path):
    (tmp_path / "bib").mkdir()
    (tmp_path / "refs" / "sub").mkdir(parents=True)
    assert build.bib_dir(_Config(tmp_path, {})) == (tmp_path / "bib").resolve()
    assert build.bib_dir(_Config(tmp_path, {"bib_dir": "refs/sub"})) == (tmp_path / "refs" / "sub").resolve()


@pytest.mark.parametrize("value,expect", [
    ("missing", "isn't an existing directory"),
    (3, "Expected type: <class 'str'>"),
    ("", "is empty"),
])
def test_bad_bib_dir_is_refused_naming_the_setting(tmp_path, value, expect):
    with pytest.raises(ContentError) as info:
        build.bib_dir(_Config(tmp_path, {"bib_dir": value}))
    (problem,) = info.value.problems
    assert problem.path == "mkdocs.yml" and problem.message.startswith("extra.tpguide.bib_dir: ")
    assert expect in problem.message and "relative to mkdocs.yml" in problem.hint


# A bib file as a reference manager writes it: @string macros (with '#'), @comment, '%' lines
# and LaTeX accents all reach the entry as plain text.
MACRO_BIB = r"""% Exported by a reference manager
@comment{jabref-meta: databaseType:bibtex; {grouped}}
@string{jama = "JAMA"}

@article{muller2021needling,
  author  = {M{\"u}ller, J{\"o}rg and S{\o}rensen, S{\o}ren and others},
  title   = {Caf\'e {\'E}tude: \v{C}ech needles \& knots},
  journal = jama # " Netw Open",
  year    = 2021,
  month   = mar,
  pages   = {e2100--e2110},
  doi     = {10.1000/example.2}
}
"""


def test_macros_comments_and_accents_load_as_plain_text(tmp_path):
    entry = load_bib_dir(write(tmp_path, **{"a.bib": MACRO_BIB}), root=tmp_path)["muller2021needling"]
    assert entry.line == 5 and entry.authors == ("Müller J", "Sørensen S", "et al.")
    assert entry.title == "Café Étude: Čech needles & knots"
    assert (entry.get("journal"), entry.year, entry.get("month"), entry.get("pages")) == (
        "JAMA Netw Open", "2021", "3", "e2100--e2110")


def test_unknown_macro_names_its_line_and_the_fix(tmp_path):
    (p,) = problems(tmp_path, **{"a.bib": MACRO_BIB.replace('jama # " Netw Open"', "xyz # jama")})
    assert str(p) == ("bib/a.bib:8: unknown @string macro 'xyz' -> "
                      "define it with @string{xyz = {...}} or write the value in braces")


# Markup is refused however it is written: in a macro, or as LaTeX that decodes to it.
@pytest.mark.parametrize("old,new", [
    ('@string{jama = "JAMA"}', '@string{jama = "<b>JAMA</b>"}'),
    (r"Caf\'e {\'E}tude", r"\textless{}script\textgreater{}alert(1)\textless{}/script\textgreater{}"),
    ("{10.1000/example.2}", "{10.1000/example.2},\n  url = {java{}script:alert(1)}"),
])
def test_markup_behind_macros_or_latex_is_refused(tmp_path, old, new):
    found = problems(tmp_path, **{"a.bib": MACRO_BIB.replace(old, new)})
    assert any("contains markup or a script URL" in p.message and p.line == 5 for p in found), found
