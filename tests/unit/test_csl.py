"""References through a CSL style (tpguide.csl, issue 25): the style's text, escaping, odd entries, the setting."""

import json
import shutil
import warnings

import markdown
import pytest

from support import GOOD_BIB
from tpguide import csl
from tpguide.mdx import RAW_END, RAW_START
from tpguide.bib import Entry, load_bib_dir
from tpguide.errors import ContentError
from tpguide.references import footnote_text, library_entry_html

SPAN = '<span class="tpg-ref__title">'


@pytest.fixture
def bib(tmp_path):
    (tmp_path / "bib").mkdir()
    (tmp_path / "bib" / "a.bib").write_text(GOOD_BIB)
    return load_bib_dir(tmp_path / "bib", root=tmp_path)


# An entry as bib.py would make it, without bib.py's checks (which refuse markup before it gets here).
def _entry(title: str, *, year: str = "2020", journal: str = "J & Co", key: str = "odd2020") -> Entry:
    return Entry(key=key, type="article", fields={"title": title, "year": year, "journal": journal},
                 authors=("Smith J",), path="bib/odd.bib", line=1)


# Each style writes the same entry its own way: exact text, the title marked for the handouts.
@pytest.mark.parametrize(("style", "article", "book"), [
    ("vancouver",
     f"Smith AB, Jones C. {SPAN}Muscle knots in adults: a systematic review.</span> Journal of Examples. 2020;12(3):100–10.",
     f"Lee D. {SPAN}A manual of muscle pain.</span> Example Press; 2019."),
    ("american-medical-association",
     f"Smith AB, Jones C. {SPAN}Muscle knots in adults: a systematic review.</span> <i>Journal of Examples</i>. "
     "2020;12(3):100-110.",
     f"Lee D. <i>{SPAN}A Manual of Muscle Pain</span></i>. Example Press; 2019."),
    ("apa",
     f"Smith, A. B., &amp; Jones, C. (2020). {SPAN}Muscle knots in adults: a systematic review.</span> "
     "<i>Journal of Examples</i>, <i>12</i>(3), 100–110.",
     f"Lee, D. (2019). <i>{SPAN}A manual of muscle pain</span></i>. Example Press."),
])
def test_each_style_formats_the_entries_its_own_way(bib, style, article, book):
    out = csl.format_references(bib.entries.values(), csl.bundled(style))
    assert out["smith2020knots"] == article
    assert out["lee2019manual"] == book


def test_vancouver_is_the_default(bib):
    assert csl.format_references([bib["smith2020knots"]]) == csl.format_references(
        [bib["smith2020knots"]], csl.bundled("vancouver"))


# Footnotes and library entries carry the style's text, and keep their links and structure.
def test_footnote_and_library_entry_use_the_style(bib):
    entry = bib["smith2020knots"]
    vancouver = footnote_text(entry, library_link="references.md#smith2020knots")
    # the reference and its outside links as finished HTML (tpguide.mdx places it), the library
    # link as Markdown (the engine resolves it)
    assert vancouver == (
        f"{RAW_START}Smith AB, Jones C. {SPAN}Muscle knots in adults: a systematic review.</span> Journal of Examples. "
        '2020;12(3):100–10. <a href="https://doi.org/10.1000/example.1">doi:10.1000/example.1</a><span class="tpg-ref__more"> · '
        '<a href="https://pubmed.ncbi.nlm.nih.gov/12345678/">PubMed 12345678</a></span>'
        f'{RAW_END}<span class="tpg-ref__more"> · [About this source](references.md#smith2020knots)</span>'
    )
    # each link after the first sits in a span with its separator, so print can drop both together
    # (a printed handout read " · · " where hidden links had been)
    apa = footnote_text(entry, style=csl.bundled("apa"))
    assert apa.startswith(f"{RAW_START}Smith, A. B., &amp; Jones, C. (2020). {SPAN}Muscle knots")
    library = library_entry_html(entry, style=csl.bundled("apa"))
    assert ('<p class="tpg-ref-text">Smith, A. B., &amp; Jones, C. (2020). <strong>Muscle knots in adults: a '
            "systematic review.</strong> <i>Journal of Examples</i>, <i>12</i>(3), 100–110.</p>") in library
    assert 'id="smith2020knots"' in library and 'href="https://doi.org/10.1000/example.1"' in library


TITLE = '<script>alert(1)</script> <img src=x onerror=alert(1)> "quoted" & more'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; &quot;quoted&quot; &amp; more"


# citeproc-py does not escape the values it is given: tpguide.csl does, once.
def test_markup_in_a_title_comes_out_as_escaped_text():
    entry = _entry(TITLE)
    assert csl.format_references([entry])["odd2020"] == f"Smith J. {SPAN}{ESCAPED}.</span> J &amp; Co. 2020."
    for style in csl.BUNDLED:
        text = csl.format_references([entry], csl.bundled(style))["odd2020"]
        assert ESCAPED in text and "<script" not in text and "<img" not in text and "&amp;lt;" not in text, style


# ... and stays escaped through Markdown, with Markdown's own characters shown as they are.
def test_footnote_markdown_keeps_the_escaping():
    entry = _entry(TITLE + " *not emphasis* #1 [x]")
    html = markdown.markdown(f"Cited.[^odd2020]\n\n[^odd2020]: {footnote_text(entry)}\n",
                             extensions=["footnotes", "tpguide.mdx"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<img" not in html and "&amp;lt;" not in html
    assert "*not emphasis* #1 [x]" in html and "<em>" not in html
    library = library_entry_html(entry)
    assert f"<strong>{ESCAPED} *not emphasis* #1 [x].</strong>" in library and "<script" not in library


# An entry the style cannot format falls back to the plain form, with no warning and no output.
def test_an_odd_entry_falls_back_to_the_plain_form(capsys):
    entry = _entry("A title", year="20x0")  # not a year: the CSL-JSON conversion raises
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert csl.format_references([entry]) == {}
        text = footnote_text(entry)
        library = library_entry_html(entry)
    assert not caught and capsys.readouterr() == ("", "")
    assert text == f"{RAW_START}Smith J. {SPAN}A title.</span> <em>J &amp; Co. 20x0</em>.{RAW_END}"
    assert "Smith J. <strong>A title.</strong> <em>J &amp; Co. 20x0</em>." in library


def test_a_processor_that_warns_and_raises_leaves_no_trace(monkeypatch, capsys):
    def broken(items):
        warnings.warn("The following arguments for Reference are unsupported: x")
        raise KeyError("x")

    monkeypatch.setattr(csl, "CiteProcJSON", broken)
    entry = _entry("Another title", key="broken2020")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert footnote_text(entry) == f"{RAW_START}Smith J. {SPAN}Another title.</span> <em>J &amp; Co. 2020</em>.{RAW_END}"
    assert not caught and capsys.readouterr() == ("", "")


# A style that writes markup of its own (here a prefix) is refused entry by entry, not published.
def test_markup_written_by_a_style_is_refused(tmp_path):
    text = csl.bundled("vancouver").read_text(encoding="utf-8")
    text = text.replace('<text suffix="." variable="citation-number"/>',
                        '<text value="*" prefix="&lt;img src=x onerror=alert(1)&gt;"/>')
    (tmp_path / "bad.csl").write_text(text, encoding="utf-8")
    style = csl.style_path("bad.csl", tmp_path)
    assert csl.format_references([_entry("A title")], style) == {}
    assert footnote_text(_entry("A title"), style=style).startswith(f"{RAW_START}Smith J. ")


# A .csl file in the repository works like a bundled one; a new version of it is read again.
def test_a_csl_file_in_the_repository_and_its_new_versions(tmp_path, bib):
    (tmp_path / "styles").mkdir()
    shutil.copy(csl.bundled("apa"), tmp_path / "styles" / "house.csl")
    style = csl.style_path("styles/house.csl", tmp_path)
    assert style == (tmp_path / "styles" / "house.csl").resolve()
    assert csl.format_references([bib["smith2020knots"]], style)["smith2020knots"].startswith("Smith, A. B., &amp; Jones")
    shutil.copy(csl.bundled("vancouver"), style)
    assert csl.format_references([bib["smith2020knots"]], style)["smith2020knots"].startswith("Smith AB, Jones C.")


def test_results_are_kept_per_style_and_entry(monkeypatch, bib):
    csl.format_references(bib.entries.values(), csl.bundled("apa"))
    calls = []
    monkeypatch.setattr(csl, "_format", lambda *args: calls.append(args))
    again = csl.format_references(bib.entries.values(), csl.bundled("apa"))
    assert not calls and again["smith2020knots"].startswith("Smith, A. B.")


# Between processes: a fresh process (its memory empty) reads what an earlier one formatted from
# the cache folder, checks it, and formats again whatever is missing, unreadable or unsafe.
@pytest.fixture
def fresh_process(monkeypatch, tmp_path):
    monkeypatch.setenv("TPG_CACHE_DIR", str(tmp_path / "cache"))

    def restart():
        monkeypatch.setattr(csl, "_formatted", {})
        monkeypatch.setattr(csl._DiskCache, "_open", {})
    restart()
    return restart


def test_a_new_process_reads_the_formatted_entries_from_the_cache_folder(fresh_process, monkeypatch, bib):
    first = csl.format_references(bib.entries.values(), csl.bundled("apa"))
    files = list(csl.cache_dir().glob("csl-*.json"))
    assert len(files) == 1 and not list(csl.cache_dir().glob("*.tmp"))
    fresh_process()
    calls = []
    monkeypatch.setattr(csl, "_format", lambda *args: calls.append(args))
    assert csl.format_references(bib.entries.values(), csl.bundled("apa")) == first and not calls


def test_an_unsafe_or_broken_cache_file_is_not_trusted(fresh_process, bib):
    entry = bib["smith2020knots"]
    good = csl.format_references([entry], csl.bundled("apa"))
    file = next(csl.cache_dir().glob("csl-*.json"))
    data = json.loads(file.read_text(encoding="utf-8"))
    data["entries"] = {k: "<script>alert(1)</script>" for k in data["entries"]}
    file.write_text(json.dumps(data), encoding="utf-8")
    fresh_process()
    assert csl.format_references([entry], csl.bundled("apa")) == good  # formatted again, not read
    for broken in ("{not json", "[]", '{"entries": 3}'):
        file.write_text(broken, encoding="utf-8")
        fresh_process()
        assert csl.format_references([entry], csl.bundled("apa")) == good


def test_a_cache_folder_that_cannot_be_written_is_not_used(fresh_process, monkeypatch, tmp_path, bib):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("TPG_CACHE_DIR", str(tmp_path / "file" / "below"))
    assert csl.format_references([bib["smith2020knots"]], csl.bundled("apa"))["smith2020knots"].startswith("Smith, A. B.")


HINT = "use vancouver, american-medical-association or apa, or the path of a .csl file in the repository"


@pytest.mark.parametrize("value", ["xyz", "Vancouver", "apa.csl", "styles/missing.csl", "", None])
def test_an_unknown_style_stops_the_build(tmp_path, value):
    with pytest.raises(ContentError) as exc:
        csl.style_path(value, tmp_path)
    shown = "" if value is None else value
    assert str(exc.value) == f"mkdocs.yml: extra.tpguide.csl_style: '{shown}' is not a bundled CSL style -> {HINT}"


def test_a_csl_file_outside_the_repository_or_not_csl_stops_the_build(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(csl.bundled("apa"), tmp_path / "outside.csl")
    (root / "notes.txt").write_text("x")
    (root / "broken.csl").write_text("<style><unclosed></style>")
    (root / "citation-only.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"/>')
    for value in ("../outside.csl", "notes.txt"):
        with pytest.raises(ContentError, match="is not a bundled CSL style"):
            csl.style_path(value, root)
    for value in ("broken.csl", "citation-only.csl"):
        with pytest.raises(ContentError) as exc:
            csl.style_path(value, root)
        assert str(exc.value).startswith(f"mkdocs.yml: extra.tpguide.csl_style: '{value}' is not a valid CSL style (")
        assert str(exc.value).endswith(HINT)


# citeproc-py's XPath lookups are kept (a quarter of the formatting time): every style writes
# exactly what it writes without them.
@pytest.mark.parametrize("style", csl.BUNDLED)
def test_kept_style_lookups_change_no_text(bib, monkeypatch, style):
    entries = [*bib.entries.values(), _entry(TITLE), _entry("A title", journal="Pain", key="pain2020")]
    path = csl.bundled(style)
    kept = {e.key: csl._format((str(path), csl._stamp(path)), e) for e in entries}
    assert csl._XPATH_ANSWERS, "the lookups were kept"
    monkeypatch.setattr(csl._citeproc_model.CitationStylesElement, "xpath_search", csl._xpath_search)
    csl._style.cache_clear()
    plain = {e.key: csl._format((str(path), csl._stamp(path)), e) for e in entries}
    assert not csl._XPATH_ANSWERS, "parsing a style again drops the answers kept for the old tree"
    csl._style.cache_clear()
    assert kept == plain and all(kept.values())


# The library shows an entry's note (what we could not see; what replaced a guideline), escaped.
def test_the_library_shows_a_note_and_escapes_it():
    entry = _entry("A title")
    assert "tpg-ref-note" not in library_entry_html(entry)
    noted = Entry(key="odd2020", type="article", authors=("Smith J",), path="bib/odd.bib", line=1,
                  fields={"title": "A title", "year": "2020", "journal": "J", "note": "Replaced by <b>NG1</b> & more"})
    html = library_entry_html(noted)
    assert '<p class="tpg-ref-note">Note: Replaced by &lt;b&gt;NG1&lt;/b&gt; &amp; more.</p>' in html
