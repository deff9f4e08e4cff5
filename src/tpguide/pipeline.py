"""One page's Markdown, from what the editor wrote to what Python-Markdown converts (issue 24).

Every step that rewrites a page's Markdown runs here, in one fixed order, instead of in four
hooks ordered by priority:

1. charts: ``[[chart: id]]`` markers become figures (their captions cite, so before 3);
2. evidence: the help block, then ``[[evidence ...]]`` markers become tables and lists (each
   carries ``[@key]`` citations, so before 3);
3. citations: front matter checks of articles, then ``[@key]`` become numbered footnotes and
   the reference list (tpguide.build.page_markdown);
4. research news: a published post must cite its paper, an article must not keep a "FILL IN"
   placeholder; the feeds table marker.

Under MkDocs and ProperDocs, hooks/render.py calls :func:`page_markdown` from on_page_markdown;
``tpguide prepare`` calls it for every page before another engine runs (tpguide.prepare).
Problems are raised as one ContentError naming file and line.
"""

from __future__ import annotations

from . import build, charts, evidence, feeds, posts
from .errors import ContentError
from .markdown_regions import front_matter_lines


def page_markdown(markdown: str, page, config) -> str:
    """The page's Markdown after charts, evidence, citations and the news checks (in that order)."""
    state = build.state_of(config)
    source = build.page_source(page)
    path = build.display_path(config, page)
    src_uri = page.file.src_uri

    # 1. charts
    library = _library_url(config)
    markdown = charts.page_markdown(
        charts.state_of(config), markdown, src_uri=src_uri, page_url=page.url, path=path, source=source,
        bib=state.bib, library_url=library if library is not None else charts.LIBRARY_URL)

    # 2. evidence
    markdown = evidence.with_help_block(markdown, state.evidence, page.meta, src_uri)
    markdown, problems, use = evidence.expand(
        markdown, state.evidence, path=path, src_uri=src_uri, page_url=page.url, line_offset=front_matter_lines(source))
    problems += evidence.treatment_page_problems(state.evidence, src_uri, use, path=path)
    if problems:
        raise ContentError(problems)
    state.evidence_uses[src_uri] = use

    # 3. citations (and the front matter checks of articles)
    markdown = build.page_markdown(state, markdown, page, config)

    # 4. research news
    problems = posts.check_page(posts.state_of(config), page, source, is_article=build.is_article(state, src_uri))
    if problems:
        raise ContentError(problems)
    if feeds.TABLE_MARKER in markdown:
        markdown = markdown.replace(feeds.TABLE_MARKER, feeds.table_markdown(config.site_url or "/"))
    return markdown


# The site URL of the reference library (None when there is none): chart captions link to it.
def _library_url(config) -> str | None:
    return build.state_of(config).urls.get(build.LIBRARY_PAGE)
