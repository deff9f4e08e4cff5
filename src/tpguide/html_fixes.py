"""Post-build fixes for invalid HTML that Material 9.8 writes (Nu HTML Checker, axe).

hooks/html_fixes.py applies ``fix_page`` to every page in ``on_post_page``. Each fix is a narrow,
exact substitution of markup we know Material writes; when Material stops writing it, the fix
simply matches nothing. What is fixed, and why here rather than in a template override:

- ``autocomplete="off"`` on the checkbox inputs ``#__drawer`` and ``#__search``: the attribute is
  not allowed on checkboxes (vnu). The inputs are in ``base.html`` outside any block.
- ``tabindex=""`` on navigation section labels: ``partials/nav-item.html`` writes
  ``{% set tabindex = "0" if not is_section %}``, which renders an empty value for sections (vnu:
  not a valid integer). An empty tabindex means "no tabindex" to browsers, so dropping it changes
  nothing; fixing it in the template would mean copying the 150-line partial.
- ``<label for="__toc">`` in the table of contents of pages whose navigation item has no
  ``#__toc`` input (section index pages with ``navigation.indexes``): a ``for`` pointing at
  nothing (vnu). The label without ``for`` is the same heading.
- ``<nav aria-labelledby="__nav_N_label">`` of a section with an index page
  (``navigation.indexes``): that label holds only the expand icon, so the section's nav landmark
  has no name (axe landmark-unique). The nav is pointed at its own title label, which carries
  the section title, instead.
- Landmark names (axe landmark-unique): the nested navs of the table of contents are named after
  their heading (``partials/toc-item.html``), which can equal a navigation section's name (a
  "Treatments" heading in the glossary): they get " (on this page)". Unnamed navs: the tags
  (``partials/tags.html``) get "Tags", the blog post sidebar gets "Post". The blog listing's
  ``md-post__authors`` and ``md-post__action`` navs (an avatar row, a "Continue reading" link,
  once per post) are not navigation and become divs.
- ``<meta name="description" content="…">``: ``base.html`` does not escape the page description,
  so a description with a double quote breaks the tag (vnu). Escaped here from ``page.meta``.
- The header's menu button (``<label class="md-header__button md-icon" for="__drawer">``) is an
  icon with no name: on a phone it is the way into the site's pages, so it gets the text "Menu"
  for screen readers and as a tooltip (issue 22: the phone navigation says what it does). Not
  ``aria-label``: a label of a checkbox is named by its text (vnu).
- ``markdown="…"`` attributes left in raw HTML (``md_in_html`` keeps values it does not know, such
  as ``markdown="0"``): not an HTML attribute (vnu).

The search dialog's accessible name (axe ``aria-dialog-name``) is a template override instead:
overrides/partials/search.html.
"""

from __future__ import annotations

import html as html_lib
import re

# ---------------------------------------------------------------------------
# Fixes
# ---------------------------------------------------------------------------


# Every fix below, applied to one built page; description is the page's front matter one.
def fix_page(page_html: str, description: str | None = None) -> str:
    page_html = drop_checkbox_autocomplete(page_html)
    page_html = drop_empty_tabindex(page_html)
    page_html = drop_dangling_toc_label(page_html)
    page_html = drop_markdown_attributes(page_html)
    page_html = name_section_navs(page_html)
    page_html = name_landmarks(page_html)
    page_html = name_menu_button(page_html)
    if description:
        page_html = escape_meta_description(page_html, description)
    return page_html


_MENU_BUTTON = '<label class="md-header__button md-icon" for="__drawer">'


# Give the header's menu button (an icon) the name "Menu".
def name_menu_button(page_html: str) -> str:
    return page_html.replace(_MENU_BUTTON, _MENU_BUTTON[:-1] + ' title="Menu"><span class="tpg-sr-only">Menu</span>', 1)


# Remove autocomplete="off" from Material's checkbox toggles (#__drawer, #__search).
def drop_checkbox_autocomplete(page_html: str) -> str:
    return _CHECKBOX_AUTOCOMPLETE_RE.sub(lambda m: m.group(1), page_html)


# Remove the empty tabindex="" Material writes on navigation section labels.
def drop_empty_tabindex(page_html: str) -> str:
    return _EMPTY_TABINDEX_RE.sub(lambda m: m.group(1), page_html)


# Remove for="__toc" from the TOC title label when the page has no #__toc input.
def drop_dangling_toc_label(page_html: str) -> str:
    if 'id="__toc"' in page_html:
        return page_html
    return page_html.replace(_TOC_LABEL, _TOC_LABEL_FIXED)


# Remove markdown="…" attributes that md_in_html left in the output.
# Each attribute found by itself, then kept only if it is inside a start tag: the last "<" before
# it opens a tag and no ">" closed that tag (one pattern over every tag of a page was slow).
def drop_markdown_attributes(page_html: str) -> str:
    if 'markdown="' not in page_html:
        return page_html
    out, pos, at = [], 0, 0
    while (m := _MARKDOWN_ATTR_RE.search(page_html, at)) is not None:
        opened = page_html.rfind("<", 0, m.start())
        if opened > page_html.rfind(">", 0, m.start()) and _TAG_NAME_START_RE.match(page_html, opened + 1):
            out.append(page_html[pos:m.start()])
            pos = at = m.end()
        else:  # not in a tag (text): its quoted value may run into the next tag, so look on from here
            at = m.start() + 1
    out.append(page_html[pos:])
    return "".join(out)


# Label each section's nav by its title label (which has the section title), not its toggle.
def name_section_navs(page_html: str) -> str:
    def relabel(m: re.Match) -> str:
        path = m.group("path")
        return (f'{m.group("nav")}aria-labelledby="{path}_title"{m.group("between")}'
                f'<label class="md-nav__title" for="{path}" id="{path}_title">')

    return _SECTION_NAV_RE.sub(relabel, page_html)


# Give unnamed or clashing nav landmarks a distinct name; demote blog listing navs to divs.
def name_landmarks(page_html: str) -> str:
    page_html = _TOC_SUBNAV_RE.sub(r'\1\2 (on this page)"', page_html)
    page_html = page_html.replace('<nav class="md-tags" ', '<nav class="md-tags" aria-label="Tags" ')
    page_html = _POST_SIDEBAR_NAV_RE.sub(r'\1<nav class="md-nav md-nav--primary" aria-label="Post">', page_html)
    return _POST_LISTING_NAV_RE.sub(r'<div class="\1"\2>\3</div>', page_html)


# Escape the page description inside Material's unescaped <meta name="description"> tag.
def escape_meta_description(page_html: str, description: str) -> str:
    raw = f'<meta name="description" content="{description}">'
    escaped = f'<meta name="description" content="{html_lib.escape(description, quote=True)}">'
    if raw == escaped:
        return page_html
    return page_html.replace(raw, escaped, 1)


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


# An <input ... type="checkbox" ... autocomplete="off"> start tag (attribute order as Material's).
_CHECKBOX_AUTOCOMPLETE_RE = re.compile(r'(<input\b[^>]*\btype="checkbox"[^>]*?)\s+autocomplete="off"')
_EMPTY_TABINDEX_RE = re.compile(r'(<label\b[^<>]*?)\s+tabindex=""')
_SECTION_NAV_RE = re.compile(
    r'(?P<nav><nav class="md-nav" data-md-level="\d+" )aria-labelledby="(?P<path>__nav[\w]*)_label"'
    r'(?P<between>[^>]*>\s*)<label class="md-nav__title" for="(?P=path)">')
# toc-item.html's nested nav: no data-md-level, named by aria-label.
_TOC_SUBNAV_RE = re.compile(r'(<nav class="md-nav" aria-label=")([^"]*)"')
_POST_SIDEBAR_NAV_RE = re.compile(r'(<div class="md-sidebar__inner md-post">\s*)<nav class="md-nav md-nav--primary">')
_POST_LISTING_NAV_RE = re.compile(r'<nav class="(md-post__(?:authors|action)[^"]*)"([^>]*)>(.*?)</nav>', re.S)
_TOC_LABEL = '<label class="md-nav__title" for="__toc">'
_TOC_LABEL_FIXED = '<label class="md-nav__title">'
# Only inside a start tag (text and code carry "<" and quotes escaped).
_MARKDOWN_ATTR_RE = re.compile(r'\s+markdown="[^"]*"')
_TAG_NAME_START_RE = re.compile(r"[a-zA-Z]")
