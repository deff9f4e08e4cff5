"""Python-Markdown extension for the blocks tpguide generates (``tpguide.mdx`` in mkdocs.yml).

The evidence tables (tpguide.evidence.render) are HTML with ``markdown="1"``/``"span"`` so that
their citations become footnotes. Python-Markdown does not count ``<caption>`` as a block-level
element, so inside such a table it would wrap the caption in ``<p>`` (invalid HTML). This
extension adds it to the block-level elements. It needs nothing from MkDocs.
"""

from __future__ import annotations

from markdown import Extension

BLOCK_LEVEL = ("caption", "figcaption")


class TpguideExtension(Extension):
    """Registers the HTML elements tpguide's generated blocks use as block-level."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 - Python-Markdown's API name
        for tag in BLOCK_LEVEL:
            if tag not in md.block_level_elements:
                md.block_level_elements.append(tag)


def makeExtension(**kwargs) -> TpguideExtension:  # noqa: N802 - Python-Markdown's API name
    return TpguideExtension(**kwargs)
