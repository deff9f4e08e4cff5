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
