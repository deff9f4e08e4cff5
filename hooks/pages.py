"""Hook: the generated reference library and "where cited" pages, and every page's template context.

Logic lives in tpguide.build; this file only adapts MkDocs events to it.
"""

from __future__ import annotations

from mkdocs.structure.files import File, InclusionLevel

from tpguide import build


def on_files(files, *, config, **kwargs):
    state = build.state_of(config)
    for uri, content in build.generated_pages(state, files):
        # "Where cited" is reached from the library, not from the navigation.
        inclusion = InclusionLevel.NOT_IN_NAV if uri == build.WHERE_CITED_PAGE else InclusionLevel.UNDEFINED
        files.append(File.generated(config, uri, content=content, inclusion=inclusion))
    build.remember_urls(state, files)
    for uri, content in build.handout_files(state, files):
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_context(context, *, page, config, nav, **kwargs):
    context["tpg"] = build.page_context(build.state_of(config), page, config)
    return context


def on_post_page(output, *, page, config, **kwargs):
    if page.file.src_uri == build.LIBRARY_PAGE:
        return build.fill_library(build.state_of(config), output, page)
    if page.file.src_uri == build.WHERE_CITED_PAGE:
        return build.fill_where_cited(build.state_of(config), output, page)
    return output
