"""Hook: the generated reference library page and the template context of every page.

Logic lives in tpguide.build; this file only adapts MkDocs events to it.
"""

from __future__ import annotations

from mkdocs.structure.files import File

from tpguide import build


def on_files(files, *, config, **kwargs):
    state = build.state_of(config)
    if files.get_file_from_path(build.LIBRARY_PAGE) is None:
        files.append(File.generated(config, build.LIBRARY_PAGE, content=build.library_source(state)))
    for uri, content in build.handout_files(state, files):
        files.append(File.generated(config, uri, content=content))
    return files


def on_page_context(context, *, page, config, nav, **kwargs):
    context["tpg"] = build.page_context(build.state_of(config), page, config)
    return context


def on_post_page(output, *, page, config, **kwargs):
    if page.file.src_uri == build.LIBRARY_PAGE:
        return build.fill_library(build.state_of(config), output, page)
    return output
