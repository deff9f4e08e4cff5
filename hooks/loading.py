"""Hook: how each page loads its scripts (logic: tpguide.loading).

- on_post_page / on_post_template: ``defer`` on every external script tag, so the page paints
  before Material's bundle runs. Default priority; hooks/deploy.py (-100) still sees the result.
"""

from __future__ import annotations

from tpguide import loading


def on_post_page(output, **kwargs):
    return loading.defer_scripts(output)


# 404.html and other static templates are not pages: MkDocs calls on_post_template for them.
def on_post_template(output_content, *, template_name, **kwargs):
    if not template_name.endswith(".html"):
        return output_content
    return loading.defer_scripts(output_content)
