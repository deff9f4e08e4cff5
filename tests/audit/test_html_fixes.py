"""tpguide.html_fixes on strings: each fix changes exactly the markup Material writes."""

from __future__ import annotations

from tpguide import html_fixes


def test_checkbox_autocomplete_dropped():
    html = '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">'
    assert html_fixes.fix_page(html) == '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">'
    text = '<input type="text" class="md-search__input" autocomplete="off">'
    assert html_fixes.fix_page(text) == text


def test_empty_tabindex_dropped():
    html = '<label class="md-nav__link" for="__nav_2" id="__nav_2_label" tabindex="">'
    assert html_fixes.fix_page(html) == '<label class="md-nav__link" for="__nav_2" id="__nav_2_label">'
    assert html_fixes.fix_page('<label tabindex="0">') == '<label tabindex="0">'


def test_dangling_toc_label():
    label = '<label class="md-nav__title" for="__toc">'
    assert html_fixes.fix_page(label) == '<label class="md-nav__title">'
    with_input = '<input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">' + label
    assert html_fixes.fix_page(with_input) == with_input


def test_markdown_attribute_dropped_only_in_tags():
    assert html_fixes.fix_page('<div class="x" hidden markdown="0">') == '<div class="x" hidden>'
    text = "<p>write markdown=&quot;1&quot; or markdown=\"1\" in text</p>"
    assert html_fixes.fix_page(text) == text
    nested = '<div markdown="1">\n<td\n  markdown="span" class="c">x</td> a markdown="1" <b>y</b></div>'
    assert html_fixes.fix_page(nested) == '<div>\n<td class="c">x</td> a markdown="1" <b>y</b></div>'
    # a stray markdown=" in text whose quote runs into the next tag does not hide that tag's attribute
    stray = '<p>Start a value with markdown=" and close it.</p>\n<td markdown="span" class="c">x</td>'
    assert html_fixes.fix_page(stray) == '<p>Start a value with markdown=" and close it.</p>\n<td class="c">x</td>'


def test_meta_description_escaped():
    desc = 'What "activation" means & why'
    html = f'<meta name="description" content="{desc}">'
    assert html_fixes.fix_page(html, desc) == (
        '<meta name="description" content="What &quot;activation&quot; means &amp; why">')


def test_section_nav_named_by_its_title():
    html = ('<nav class="md-nav" data-md-level="1" aria-labelledby="__nav_3_label" aria-expanded="true">\n'
            '  <label class="md-nav__title" for="__nav_3">')
    assert html_fixes.fix_page(html) == (
        '<nav class="md-nav" data-md-level="1" aria-labelledby="__nav_3_title" aria-expanded="true">\n'
        '  <label class="md-nav__title" for="__nav_3" id="__nav_3_title">')


def test_landmarks_named_or_demoted():
    assert html_fixes.fix_page('<nav class="md-nav" aria-label="Treatments">') == (
        '<nav class="md-nav" aria-label="Treatments (on this page)">')
    assert html_fixes.fix_page('<nav class="md-tags" >') == '<nav class="md-tags" aria-label="Tags" >'
    html = '<nav class="md-post__authors md-typeset">\n<span>A</span>\n</nav><nav class="md-post__action"><a>x</a></nav>'
    assert html_fixes.fix_page(html) == (
        '<div class="md-post__authors md-typeset">\n<span>A</span>\n</div><div class="md-post__action"><a>x</a></div>')



def test_the_header_menu_button_is_named():
    html = '<label class="md-header__button md-icon" for="__drawer"><svg></svg></label>'
    fixed = html_fixes.fix_page(html)
    assert fixed == ('<label class="md-header__button md-icon" for="__drawer" title="Menu">'
                     '<span class="tpg-sr-only">Menu</span><svg></svg></label>')
    assert html_fixes.fix_page(fixed) == fixed
