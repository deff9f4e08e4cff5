"""Hook: fix invalid HTML that Material writes, on every page (logic: tpguide.html_fixes).

- on_post_page: checkbox autocomplete, empty tabindex, dangling TOC label, unescaped meta
  description, leftover markdown="…" attributes. Default priority: runs before hooks/deploy.py
  (-100), which hashes the inline scripts of the final page; no fix touches a script.
"""

from __future__ import annotations

from tpguide import html_fixes


def on_post_page(output, *, page, config, **kwargs):
    description = page.meta.get("description") if page.meta else None
    return html_fixes.fix_page(output, description if isinstance(description, str) else None)


# 404.html and other static templates are not pages: MkDocs calls on_post_template for them.
def on_post_template(output_content, *, template_name, config, **kwargs):
    if not template_name.endswith(".html"):
        return output_content
    return html_fixes.fix_page(output_content)
