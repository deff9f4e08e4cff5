"""Python-Markdown extension for tpguide pages (``tpguide.mdx`` in mkdocs.yml). Needs nothing
from MkDocs, so it works under any engine that passes ``markdown_extensions`` to Python-Markdown.

- The evidence tables (tpguide.evidence.render) are HTML with ``markdown="1"``/``"span"`` so that
  their citations become footnotes. Python-Markdown does not count ``<caption>`` as block-level,
  so inside such a table it would wrap the caption in ``<p>`` (invalid HTML): it is added here.
- Abbreviations explain themselves on tap, not only on hover: every ``<abbr title>`` becomes
  focusable (``tabindex="0"``), and site.css shows the expansion next to a focused abbreviation.
  A phone has no hover; a tap focuses the element.
- Layered pages: a section whose heading has the class ``fold`` (``## What the research found
  { .fold }``) becomes a native ``<details>`` disclosure, closed, with the heading itself as its
  summary line (a ``<summary>`` may hold one heading). Everything stays in the HTML, so search
  and print keep it; a link to an anchor inside opens it (site.js, and Chromium by itself).
- The reference list and the footnote marks stay out of the search index (``data-search-exclude``,
  which Material's search reads): the library page indexes every reference once; per-page copies
  made the index a third larger. Here, so that every engine's page carries it.
- "On this page": a page with four or more sections gets a labelled list of them, folded, after
  its "Your next step" box (on a phone, the theme's own contents sit behind an unlabelled icon).
- Footnote marks and back-links say what they are to a screen reader: "Reference 3", not "3";
  "Back to reference 3 in the text (place 2 of a note cited in several places)", not an arrow.
- Finished references: a footnote definition whose text starts with HTML between the private-use
  marks of ``raw_html`` (the formatted reference and its links, written by tpguide.references)
  keeps that HTML as it is. Python-Markdown's inline patterns ran over every one of them, about a
  fifth of the site's Markdown time, to find nothing. The built page is checked as before.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.inlinepatterns import InlineProcessor as _InlinePattern
from markdown.util import AtomicString
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import InlineProcessor, Treeprocessor

BLOCK_LEVEL = ("caption", "figcaption")
# Around finished HTML at the start of a footnote definition (raw_html).
RAW_START, RAW_END = "\ue010", "\ue011"
_RAW_DEFINITION_RE = re.compile(rf"(?m)^(\[\^[^\]\n]+\]:[ ]+){RAW_START}([^{RAW_START}{RAW_END}\n]*){RAW_END}")


# Finished HTML, marked for a footnote definition's text ("[^key]: " + raw_html(...)): the
# extension places it untouched. Line breaks become spaces and the marks themselves are dropped
# (a bib field could hold one), so the mark always closes on its own line.
def raw_html(html: str) -> str:
    for mark in (RAW_START, RAW_END):
        html = html.replace(mark, "")
    return RAW_START + " ".join(html.splitlines()) + RAW_END


class TpguideExtension(Extension):
    """Block-level captions, and abbreviations that can be tapped."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's API name
        for tag in BLOCK_LEVEL:
            if tag not in md.block_level_elements:
                md.block_level_elements.append(tag)
        # after the abbr extension's treeprocessor (priority 7) has made the <abbr> elements
        # after the snippets (32) and fenced code (pymdownx.superfences: 25, so code shows the marks as
        # text), before raw HTML blocks (20)
        md.preprocessors.register(FinishedReferences(md), "tpg_finished_references", 24)
        md.treeprocessors.register(TappableAbbr(md), "tpg_tappable_abbr", 6)
        # after attr_list (8) has set the heading's class, before toc (5) reads the headings
        md.treeprocessors.register(FoldSections(md), "tpg_fold_sections", 7.5)
        # after toc (5) has given every heading its id
        md.treeprocessors.register(PageContents(md), "tpg_page_contents", 4)
        # last, on the finished HTML (after the footnotes' own postprocessor)
        md.postprocessors.register(NotesOutOfSearch(md), "tpg_notes_out_of_search", 1)
        # after the footnotes' own treeprocessors (50, and 15 for a note cited in several places)
        md.treeprocessors.register(FootnoteLabels(md), "tpg_footnote_labels", 3)
        # Python-Markdown's own inline step (priority 20), when nothing has replaced it
        if QuickInline.can_replace(md):
            md.treeprocessors.register(QuickInline(md), "inline", 20)


# What any match of each inline pattern contains (one of), by the pattern's regular expression as
# Python-Markdown 3.11 and pymdownx.inlinehilite (pymdown-extensions 13) write it, compiled with
# Python-Markdown's flags (DOTALL | UNICODE): text with none of these cannot match. A pattern not
# listed here, or compiled with other flags (another version, another extension), turns
# QuickInline off.
INLINE_NEEDS = {
    r"\\(.)": ("\\",),  # escape
    r"(?<!\!)\[": ("[",),  # reference, link, short_reference
    r"\!\[": ("[",),  # image_link, image_reference, short_image_ref
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("<",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("<",),  # automail
    r"  \n": ("  \n",),  # linebreak
    (  # html
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+\s*+/?"""
        r"""|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""
    ): ("<",),
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # em_strong
    r"\[\^([^\]]*)\]": ("[",),  # footnote
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # backtick (both)
}


_INLINE_FLAGS = re.compile("", re.DOTALL | re.UNICODE).flags  # as Python-Markdown compiles inline patterns


class QuickInline(InlineProcessor):
    """Python-Markdown's inline step, which skips text that no registered pattern can match."""

    _METHOD = "_InlineProcessor__handleInline"  # Python-Markdown's own (private) step for one text

    @classmethod
    def can_replace(cls, md) -> bool:
        return "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor and hasattr(InlineProcessor, cls._METHOD)

    def run(self, tree, ancestors=None):
        self._nothing_to_find = self._quick_test()
        return super().run(tree, ancestors)

    def _quick_test(self):
        """A search that finds what any registered pattern needs, or None when a pattern is unknown."""
        needs = set()
        for pattern in self.inlinePatterns:
            regex = pattern.getCompiledRegExp() if isinstance(pattern, _InlinePattern) else None
            if regex is None or regex.pattern not in INLINE_NEEDS or regex.flags != _INLINE_FLAGS:
                return None
            needs.update(INLINE_NEEDS[regex.pattern])
        return re.compile("|".join(sorted(map(re.escape, needs)))).search

    def _InlineProcessor__handleInline(self, data, patternIndex=0):  # noqa: N802 - the name it replaces
        search = self._nothing_to_find
        if search is not None and not isinstance(data, AtomicString) and search(data) is None:
            return data
        return getattr(InlineProcessor, self._METHOD)(self, data, patternIndex)


class FinishedReferences(Preprocessor):
    """Stores the marked HTML of footnote definitions (raw_html) as raw HTML: no inline patterns
    run over it, and it comes back unchanged in the output."""

    def run(self, lines):
        text = "\n".join(lines)
        if RAW_START not in text:
            return lines
        text = _RAW_DEFINITION_RE.sub(lambda m: m.group(1) + self.md.htmlStash.store(m.group(2)), text)
        return text.split("\n")


class TappableAbbr(Treeprocessor):
    """Makes each ``<abbr title>`` focusable, so a tap (or Tab) can reveal what it stands for; not
    one inside a link, which is focusable already (HTML forbids a tabindex inside an ``<a>``)."""

    def run(self, root):
        inside_links = {id(abbr) for a in root.iter("a") for abbr in a.iter("abbr")}
        for abbr in root.iter("abbr"):
            if abbr.get("title") and abbr.get("tabindex") is None and id(abbr) not in inside_links:
                abbr.set("tabindex", "0")
        return None


FOLD_CLASS = "fold"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class FoldSections(Treeprocessor):
    """Wraps each section whose heading has the class ``fold`` in ``<details class="tpg-fold">``.

    The section runs to the next heading of the same or a higher level, or to the footnotes; the
    heading moves into the ``<summary>``. Only top-level sections are folded (not inside a list,
    a table or another block), and a fold inside a fold stays open (one tap reaches all of it).
    """

    def run(self, root):
        i = 0
        while i < len(root):
            el = root[i]
            if el.tag in HEADINGS and FOLD_CLASS in (el.get("class") or "").split():
                level = int(el.tag[1])
                end = i + 1
                while end < len(root):
                    nxt = root[end]
                    if nxt.tag in HEADINGS and int(nxt.tag[1]) <= level:
                        break
                    if "footnote" in (nxt.get("class") or "").split():
                        # the notes belong to the page, unless the heading is theirs ("References")
                        end += end == i + 1
                        break
                    end += 1
                section = list(root)[i:end]
                for child in section:
                    root.remove(child)
                _drop_fold(el)
                details = etree.Element("details", {"class": "tpg-fold"})
                details.text, details.tail, el.tail = "\n", "\n", None
                summary = etree.SubElement(details, "summary")
                summary.append(el)
                summary.tail = "\n"
                for child in section[1:]:
                    for sub in child.iter():  # a fold inside a fold is plain: one tap opens all of it
                        if sub.tag in HEADINGS:
                            _drop_fold(sub)
                    details.append(child)
                root.insert(i, details)
            i += 1
        return None


MIN_SECTIONS = 4
NEXT_STEP = "Your next step"


class PageContents(Treeprocessor):
    """A closed "On this page (N sections)" list of links to the page's sections."""

    def run(self, root):
        # a heading that is a disclosure's summary keeps its id but not its permalink: a link
        # inside a <summary> is a control inside a control (axe nested-interactive); the "On this
        # page" list links to it instead
        for summary in root.iter("summary"):
            for heading in [h for h in summary if h.tag in HEADINGS]:
                for link in [a for a in heading if a.tag == "a" and "headerlink" in (a.get("class") or "")]:
                    heading.remove(link)
        heads = [h for h in root.iter("h2") if h.get("id")]
        if len(heads) < MIN_SECTIONS:
            return None
        details = etree.Element("details", {"class": "tpg-contents"})
        details.text, details.tail = "\n", "\n"
        summary = etree.SubElement(details, "summary")
        summary.text = f"On this page ({len(heads)} sections)"
        summary.tail = "\n"
        items = etree.SubElement(details, "ul")
        for h in heads:
            link = etree.SubElement(etree.SubElement(items, "li"), "a", {"href": "#" + h.get("id")})
            marks = "".join("".join(a.itertext()) for a in h.iter("a") if "headerlink" in (a.get("class") or ""))
            words = "".join(h.itertext())
            link.text = (words[: len(words) - len(marks)] if marks and words.endswith(marks) else words).strip() or h.get("id")
        root.insert(self._after_next_step(root), details)
        return None

    @staticmethod
    def _after_next_step(root) -> int:
        for i, el in enumerate(root):
            title = el.find("p") if el.tag == "div" and "admonition" in (el.get("class") or "") else None
            if title is not None and (title.text or "").strip() == NEXT_STEP:
                return i + 1
        return 0


def _drop_fold(el) -> None:
    classes = [c for c in (el.get("class") or "").split() if c != FOLD_CLASS]
    if classes:
        el.set("class", " ".join(classes))
    else:
        el.attrib.pop("class", None)


def makeExtension(**kwargs) -> TpguideExtension:  # noqa: N802 - Python-Markdown's API name
    return TpguideExtension(**kwargs)


class NotesOutOfSearch(Postprocessor):
    """Marks the footnotes (the page's reference list) and their marks ``data-search-exclude``."""

    def run(self, text):
        text = text.replace('<div class="footnote">', '<div class="footnote" data-search-exclude>', 1)
        return text.replace('<sup id="fnref', '<sup data-search-exclude id="fnref')


class FootnoteLabels(Treeprocessor):
    """Gives each footnote mark and back-link a name that says what it is (screen readers), by
    class and position, so whatever the footnotes extension's settings (separator, titles, text)."""

    def run(self, root):
        number = {}
        for div in root.iter("div"):
            if div.get("class") != "footnote":
                continue
            for ol in div.iter("ol"):
                for n, li in enumerate((c for c in ol if c.tag == "li"), 1):
                    number[li.get("id", "")] = n
                    backs = [a for a in li.iter("a") if a.get("class") == "footnote-backref"]
                    for place, a in enumerate(backs, 1):
                        label = f"Back to reference {n} in the text" + (f" (place {place})" if len(backs) > 1 else "")
                        a.set("aria-label", label)
                        a.set("title", label)  # what a mouse shows is what a screen reader says
        for a in root.iter("a"):
            if a.get("class") == "footnote-ref":
                n = number.get((a.get("href") or "").lstrip("#"))
                if n is not None:
                    a.set("aria-label", f"Reference {n}")
        return None
