"""Hook: the evidence base on pages (logic: tpguide.evidence; the store is loaded by tpguide.build).

- on_files: the generated evidence map page (every finding in full) and the open-data files under
  data/ (tpguide.opendata); each treatment in evidence/treatments/ must name a page that exists.
- The markers on each page are expanded by hooks/render.py (tpguide.pipeline), before the
  ``[@key]`` citations every expanded marker carries become numbered footnotes.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

from tpguide import build, evidence, opendata
from tpguide.errors import ContentError


def on_files(files, *, config, **kwargs):
    store = build.state_of(config).evidence
    if store.empty:
        return files
    problems = evidence.page_problems(store, [f.src_uri for f in files.documentation_pages()])
    if problems:
        raise PluginError(str(ContentError(problems)))
    if files.get_file_from_path(evidence.MAP_PAGE) is None:
        data_page = opendata.DATA_PAGE if files.get_file_from_path(opendata.DATA_PAGE) else ""
        files.append(File.generated(config, evidence.MAP_PAGE, content=evidence.map_page_markdown(store, data_page=data_page)))
    for path, text in build.open_data_files(build.state_of(config), config):
        files.append(File.generated(config, path, content=text))
    return files
