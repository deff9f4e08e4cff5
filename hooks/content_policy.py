"""Hook: content is untrusted input (logic: tpguide.inputs, tpguide.content_policy).

- on_config (priority 110, before hooks/citations.py loads bib/ at 100): bib/, includes/,
  evidence/ and the blog's .authors.yml are readable UTF-8, valid YAML, and carry no markup.
- on_files (priority 100, before hooks/news.py at 10, hooks/pages.py at 0 and Material's blog
  plugin at -50 read any page): every page and SVG under docs/ is UTF-8, its front matter valid
  YAML with values of the right kind and plain text, its body free of refused markup, its
  snippets inside includes/.
- on_page_content: the page's HTML, as Markdown, snippets and our generators made it, holds no
  refused markup (the last line of defence for what the source checks cannot see).
- on_post_page (priority -90, after every other hook edited the page, before hooks/deploy.py at
  -100 hashes its inline scripts): no handler, script URL or embedding element anywhere in it.
"""

from __future__ import annotations


from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tpguide import build, content_policy, inputs
from tpguide.errors import ContentError


@event_priority(110)
def on_config(config: MkDocsConfig, **kwargs) -> MkDocsConfig:
    try:
        bib_dir = build.bib_dir(config)
    except ContentError as exc:
        raise PluginError(str(exc)) from None
    _raise_if_any(inputs.check_side_files(config, bib_dir=bib_dir))
    return config


@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig, **kwargs) -> Files:
    _raise_if_any(inputs.check_doc_files(config, files))
    return files


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, **kwargs) -> str:
    path = build.display_path(config, page)
    _raise_if_any(content_policy.check_html(html, path=path)
                  + content_policy.heading_problems([str(page.title or ""), *_toc_titles(page.toc)], path=path))
    return html


def _toc_titles(items) -> list[str]:
    return [t for item in items or () for t in (str(item.title), *_toc_titles(item.children))]


@event_priority(-90)
def on_post_page(output: str, *, page: Page, config: MkDocsConfig, **kwargs) -> str:
    _raise_if_any(content_policy.check_html(output, path=build.display_path(config, page), content=False))
    return output


def _raise_if_any(problems) -> None:
    if problems:
        raise PluginError(str(ContentError(problems)))
