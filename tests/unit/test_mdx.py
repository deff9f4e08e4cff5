import re

import markdown
import pytest


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=["abbr", "md_in_html", "tpguide.mdx"])


def test_an_abbreviation_in_a_link_is_not_focusable_twice():
    out = convert("See [CBT and more](x.md) and CBT.\n\n*[CBT]: Cognitive behavioural therapy")
    assert '<a href="x.md"><abbr title="Cognitive behavioural therapy">CBT</abbr> and more</a>' in out
    assert 'and <abbr tabindex="0" title="Cognitive behavioural therapy">CBT</abbr>.' in out


def test_abbreviations_can_be_tapped_or_focused():
    out = convert("Pain fell (SMD).\n\n*[SMD]: Standardised mean difference\n")
    assert '<abbr tabindex="0" title="Standardised mean difference">SMD</abbr>' in out


def test_caption_in_a_markdown_table_is_not_wrapped_in_a_paragraph():
    out = convert('<table markdown="1">\n<caption>Cap</caption>\n<tbody markdown="1">\n<tr markdown="1"><td markdown="span">**x**</td></tr>\n</tbody>\n</table>\n')
    assert "<caption>Cap</caption>" in out and "<p><caption>" not in out and "<strong>x</strong>" in out


def _fold(text: str) -> str:
    return markdown.markdown(text, extensions=["attr_list", "footnotes", "toc", "tpguide.mdx"])


def test_a_fold_section_becomes_a_closed_disclosure_with_its_heading_as_summary():
    out = _fold("Intro.\n\n## Open\n\nStays open.\n\n## Research { .fold }\n\nFolded text[^1].\n\n"
                "### Sub\n\nAlso folded.\n\n## Next\n\nOpen again.\n\n[^1]: A note.\n")
    assert '<details class="tpg-fold">\n<summary><h2 id="research">Research</h2></summary>' in out
    folded = out.split('<details class="tpg-fold">')[1].split("</details>")[0]
    assert "Folded text" in folded and "Also folded." in folded and "Open again" not in folded
    assert '<h2 id="next">Next</h2>' in out.split("</details>")[1]
    assert "Stays open." in out.split("<details")[0]
    assert '<div class="footnote" data-search-exclude>' in out.split("</details>")[1], "footnotes stay outside"
    assert 'class="fold"' not in out


def test_a_fold_inside_a_fold_stays_open_and_other_classes_stay():
    out = _fold("## A { .fold .practical }\n\nText.\n\n### B { .fold }\n\nMore.\n")
    assert out.count("<details") == 1 and '<h2 class="practical" id="a">A</h2>' in out and '<h3 id="b">B</h3>' in out


def test_a_fold_heading_right_before_the_footnotes_folds_them():
    out = _fold("Text[^1].\n\n## References { .fold }\n\n///Footnotes Go Here///\n\n[^1]: A note.\n")
    assert '<summary><h2 id="references">References</h2></summary>' in out
    assert '<div class="footnote" data-search-exclude>' in out.split("<summary>")[1].split("</details>")[0]


def test_a_page_with_four_sections_gets_a_labelled_contents_list_after_its_next_step():
    text = ('Intro.\n\n!!! tip "Your next step"\n    Do this.\n\n'
            + "".join(f"## Part {n} {{ .fold }}\n\nText {n}.\n\n" for n in range(1, 5)))
    out = markdown.markdown(text, extensions=["admonition", "attr_list", "toc", "tpguide.mdx"])
    assert out.index("Your next step") < out.index('<details class="tpg-contents">') < out.index('id="part-1"')
    assert "<summary>On this page (4 sections)</summary>" in out
    assert '<li><a href="#part-4">Part 4</a></li>' in out
    short = markdown.markdown("## A\n\n## B\n", extensions=["toc", "tpguide.mdx"])
    assert "tpg-contents" not in short


def test_a_folded_heading_has_no_permalink_inside_its_summary():
    out = markdown.markdown("## A { .fold }\n\nText.\n\n## B\n\nMore.\n",
                            extensions=["attr_list", "toc", "tpguide.mdx"],
                            extension_configs={"toc": {"permalink": True}})
    assert '<summary><h2 id="a">A</h2></summary>' in out
    assert 'class="headerlink" href="#b"' in out


def test_the_reference_list_and_its_marks_stay_out_of_search_on_every_engine():
    out = markdown.markdown("Text[^a] and more[^a].\n\n[^a]: A note.\n", extensions=["footnotes", "tpguide.mdx"])
    assert '<div class="footnote" data-search-exclude>' in out
    assert out.count('<sup data-search-exclude id="fnref') == 2 and '<sup id="fnref' not in out


# A footnote's finished reference (tpguide.references) is placed as it is: no inline pattern,
# abbreviation or emphasis runs over it ("Jones MD" is an author, not "mean difference"); what
# follows it on the line is Markdown as usual.
def test_a_finished_reference_is_placed_untouched():
    from tpguide.mdx import raw_html
    ref = raw_html('Jones MD. <span class="t">*Not* emphasis_here_ [x](y)</span> <a href="https://doi.org/1">doi:1</a>')
    out = markdown.markdown(f"Cited[^a].\n\n*[MD]: Mean difference\n\n[^a]: {ref} · [About](lib.md#a)\n",
                            extensions=["abbr", "footnotes", "tpguide.mdx"])
    assert ('<p>Jones MD. <span class="t">*Not* emphasis_here_ [x](y)</span> <a href="https://doi.org/1">doi:1</a>'
            ' · <a href="lib.md#a">About</a>&#160;<a aria-label="Back to reference 1 in the text" class="footnote-backref"') in out
    assert "<abbr" not in out and "<em>" not in out and "\ue010" not in out and "\ue011" not in out


# Only a footnote definition's text is placed untouched: the marks anywhere else, in code or in
# a paragraph, are text like any other (so Markdown, the escaping and the HTML checks apply).
def test_the_marks_elsewhere_are_plain_text():
    from tpguide.mdx import RAW_END, RAW_START
    marked = f"{RAW_START}<b>x</b> *y*{RAW_END}"
    out = markdown.markdown(f"Para {marked}\n\n```\n[^a]: {marked}\n```\n\n    [^b]: {marked}\n",
                            extensions=["footnotes", "pymdownx.superfences", "tpguide.mdx"])
    assert "<em>y</em>" in out, "a paragraph's marked text is still Markdown"
    assert out.count("&lt;b&gt;x&lt;/b&gt; *y*") == 2, "code shows the HTML as text"


# raw_html always gives one marked line, whatever the text holds (a bib field may hold a mark).
def test_raw_html_gives_one_marked_line():
    from tpguide.mdx import RAW_END, RAW_START, raw_html
    assert raw_html(f"a\n{RAW_END}b{RAW_START}\r\nc") == f"{RAW_START}a b c{RAW_END}"


# QuickInline: text that none of the registered inline patterns can match is skipped; the HTML is
# what Python-Markdown's own inline step makes, byte for byte.
QUICK_EXTENSIONS = ["tpguide.mdx", "abbr", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
                    "pymdownx.superfences", "pymdownx.inlinehilite", "pymdownx.highlight"]


# The site's own extensions and settings, from mkdocs.yml (snippets left out: it reads files).
def _site_extensions():
    import yaml
    from pathlib import Path

    class Loader(yaml.SafeLoader):
        pass
    for tag in ("!relative", "!ENV"):
        Loader.add_constructor(tag, lambda loader, node: "")
    config = yaml.load((Path(__file__).resolve().parents[2] / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names, configs = [], {}
    for item in config["markdown_extensions"]:
        name, settings = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name != "pymdownx.snippets":
            names.append(name)
            if settings:
                configs[name] = settings
    assert "tpguide.mdx" in names and len(names) >= 12
    return names, configs


# One sample for each character a pattern needs, holding only that one, so that a wrong entry in
# INLINE_NEEDS (a pattern skipped though it could match) changes the HTML. ("&" has none: the
# entity pattern only keeps an entity from other patterns, and Python-Markdown's serializer leaves
# an entity as it is, so skipping it changes nothing.)
ONE_NEED_SAMPLES = ["x \\# y", "an _em_ word", "a *star* word", "a <b>tag</b> here",
                    "some `code` here", "a [link](https://x.org) here", "an ![img](i.png) here", "a note[^1]\n\n[^1]: N.",
                    "line  \nbreak", "mail <a@b.org> here", "<https://x.org>"]
QUICK_SAMPLES = ONE_NEED_SAMPLES + [
    "Plain words, nothing else.\nA second line.",
    "Two spaces end this line  \nand this one breaks.",
    "A line with one space \nno break.",
    "*em* and **strong** and _under_ and __double__ and a*b*c and snake_case_word.",
    "Escaped \\*star\\* and \\[bracket] and a \\\\ backslash.",
    "A [link](https://example.org), an ![image](x.png), [ref][r], [short] and a note[^n].\n\n[r]: https://r\n[short]: https://s\n[^n]: Note *text*.",
    "<https://auto.example/link> and <name@example.org> and <b>raw</b> and <!-- c --> and &amp; &copy; &#169; &#xA9;",
    "A & B, 3 < 4, x > y, AT&T, 100% sure, a#b, a!b, ~tilde~, ^caret^, {braces}, |pipe|",
    "Code `x*y_z` and ``double `tick` code`` and `#!python print(1)`.",
    "| a | b_c |\n|---|---|\n| plain | *em* |\n| 1 < 2 | x |",
    "Term\n:   Definition with nothing\n\nTerm 2\n:   With `code`",
    "## Heading plain\n\n### Heading *em* { .cls }\n\nText (SMD).\n\n*[SMD]: Standardised mean difference",
    '<div markdown="1">\nInside *html* and plain.\n</div>\n\n<table markdown="1"><tbody markdown="1"><tr markdown="1">'
    '<td markdown="span">cell plain</td><td markdown="span">cell **b**</td></tr></tbody></table>',
    "Unicode: ≥ 30 out of 100 people — “quoted” · 5–10 mm\u00a0kg.",
]


@pytest.mark.parametrize("site", [False, True], ids=["few-extensions", "site-extensions"])
def test_quick_inline_makes_exactly_what_python_markdown_makes(monkeypatch, site):
    from tpguide import mdx

    names, configs = _site_extensions() if site else (QUICK_EXTENSIONS, {})

    def html(text):
        return markdown.markdown(text, extensions=names, extension_configs=configs)

    md = markdown.Markdown(extensions=names, extension_configs=configs)
    md.convert("x")
    assert md.treeprocessors["inline"]._nothing_to_find is not None, "the quick step is on"
    quick = [html(s) for s in QUICK_SAMPLES]
    # each one-character sample needs its pattern: skipping every text changes its HTML
    with monkeypatch.context() as skip_all:
        skip_all.setattr(mdx.QuickInline, "_quick_test", lambda self: (lambda data: None))
        for sample, out in zip(ONE_NEED_SAMPLES, quick):
            assert html(sample) != out, f"the sample {sample!r} does not exercise its pattern"
    monkeypatch.setattr(mdx.QuickInline, "can_replace", classmethod(lambda cls, md: False))
    assert [html(s) for s in QUICK_SAMPLES] == quick
    rest = quick[len(ONE_NEED_SAMPLES):]
    assert "<em>em</em>" in rest[3] and "<br />" in rest[1] and "<br" not in rest[2], "the samples exercise the patterns"


def test_quick_inline_skips_only_text_without_what_patterns_need():
    md = markdown.Markdown(extensions=QUICK_EXTENSIONS)
    md.convert("x")
    inline = md.treeprocessors["inline"]
    assert type(inline).__name__ == "QuickInline" and inline._nothing_to_find is not None, "on for the site's extensions"
    calls = []
    original = markdown.treeprocessors.InlineProcessor._InlineProcessor__handleInline
    monkey = lambda self, data, patternIndex=0: calls.append(data) or original(self, data, patternIndex)  # noqa: E731
    markdown.treeprocessors.InlineProcessor._InlineProcessor__handleInline = monkey
    try:
        md.convert("Plain cell text.\n\nWith *em*.\n\nLine  \nbreak.")
    finally:
        markdown.treeprocessors.InlineProcessor._InlineProcessor__handleInline = original
    assert "Plain cell text." not in calls and "With *em*." in calls and "Line  \nbreak." in calls


# Any inline pattern it does not know (another extension's, or a changed one) turns it off for
# that page, so that pattern still finds its text.
def test_quick_inline_steps_aside_for_a_pattern_it_does_not_know():
    from markdown.extensions import Extension
    from markdown.inlinepatterns import SimpleTagInlineProcessor

    class Plus(Extension):
        def extendMarkdown(self, md):  # noqa: N802
            md.inlinePatterns.register(SimpleTagInlineProcessor(r"()\+\+(.+?)\+\+", "ins"), "ins", 65)

    out = markdown.markdown("Some ++inserted++ text.", extensions=["tpguide.mdx", Plus()])
    assert out == "<p>Some <ins>inserted</ins> text.</p>"
    md = markdown.Markdown(extensions=["tpguide.mdx", Plus()])
    md.convert("x")
    assert md.treeprocessors["inline"]._nothing_to_find is None


# The site's own pages, as written, convert the same with it and without it.
def test_quick_inline_leaves_every_page_of_the_site_unchanged(monkeypatch):
    from pathlib import Path

    from tpguide import mdx

    docs = Path(__file__).resolve().parents[2] / "docs"
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) > 40

    def html_all():
        return [markdown.markdown(p.read_text(encoding="utf-8"), extensions=QUICK_EXTENSIONS) for p in pages]

    quick = html_all()
    monkeypatch.setattr(mdx.QuickInline, "can_replace", classmethod(lambda cls, md: False))
    assert html_all() == quick


def test_footnote_marks_and_back_links_say_what_they_are():
    text = "One[^a]. Two[^b]. One again[^a].\n\n[^a]: First.\n[^b]: Second.\n"
    default = _fold(text)
    # by class and position, whatever the footnotes extension's settings
    other = markdown.markdown(text, extensions=["footnotes", "tpguide.mdx"], extension_configs={
        "footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": "Back to %d", "SUPERSCRIPT_TEXT": "[{}]"}})
    for out in (default, other):
        refs = re.findall(r'<a [^>]*class="footnote-ref"[^>]*>', out)
        assert [re.search(r'aria-label="([^"]*)"', r).group(1) for r in refs] == ["Reference 1", "Reference 2", "Reference 1"]
        backs = re.findall(r'<a [^>]*class="footnote-backref"[^>]*>', out)
        labels = [re.search(r'aria-label="([^"]*)"', b).group(1) for b in backs]
        assert labels == ["Back to reference 1 in the text (place 1)", "Back to reference 1 in the text (place 2)",
                          "Back to reference 2 in the text"]
        titles = [re.search(r'title="([^"]*)"', b).group(1) for b in backs]
        assert titles == labels  # what a mouse shows is what a screen reader says
