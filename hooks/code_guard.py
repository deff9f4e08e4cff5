"""Hook: give code blocks back their "@" after every other plugin has seen the Markdown.

hooks/citations.py (priority 50) replaces "@" inside code with a private-use character so that
no later plugin (mkdocs-bibtex, priority 0) can read `@decorator` or an e-mail address in code as
a citation. Priority -100: this runs last and restores them before Markdown is rendered.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from tpguide.markdown_regions import unmask


@event_priority(-100)
def on_page_markdown(markdown, **kwargs):
    return unmask(markdown)
