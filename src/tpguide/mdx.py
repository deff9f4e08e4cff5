"""Python-Markdown extension for tpguide pages (``tpguide.mdx`` in mkdocs.yml). Needs nothing
from MkDocs, so it works under any engine that passes ``markdown_extensions`` to Python-Markdown.

- The evidence tables (tpguide.evidence.render) are HTML with ``markdown="1"``/``"span"`` so that
  their citations become footnotes. Python-Markdown does not count ``<caption>`` as block-level,
  so inside such a table it would wrap the caption in ``<p>`` (invalid HTML): it is added here.
- Abbreviations explain themselves on tap, not only on hover: every ``<abbr title>`` becomes
  focusable (``tabindex="0"``), and site.css shows the expansion next to a focused abbreviation.
  A phone has no hover; a tap focuses the element.
"""

from __future__ import annotations

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

BLOCK_LEVEL = ("caption", "figcaption")


class TpguideExtension(Extension):
    """Block-level captions, and abbreviations that can be tapped."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's API name
        for tag in BLOCK_LEVEL:
            if tag not in md.block_level_elements:
                md.block_level_elements.append(tag)
        # after the abbr extension's treeprocessor (priority 7) has made the <abbr> elements
        md.treeprocessors.register(TappableAbbr(md), "tpg_tappable_abbr", 6)


class TappableAbbr(Treeprocessor):
    """Makes each ``<abbr title>`` focusable, so a tap (or Tab) can reveal what it stands for."""

    def run(self, root):
        for abbr in root.iter("abbr"):
            if abbr.get("title") and abbr.get("tabindex") is None:
                abbr.set("tabindex", "0")
        return None


def makeExtension(**kwargs) -> TpguideExtension:  # noqa: N802 - Python-Markdown's API name
    return TpguideExtension(**kwargs)
