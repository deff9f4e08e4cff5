"""How each built page loads its scripts (hooks/loading.py applies ``defer_scripts``).

Material writes its bundle and our extra_javascript as plain ``<script src>`` tags at the end of
<body>. A plain script blocks the parser: the browser cannot paint the page before it has
downloaded and run the bundle (Lighthouse, mobile: first contentful paint 1.74 s with plain
tags, 1.35 s deferred; measured on the home page, see the README's performance notes).

``defer`` keeps everything else as it was: deferred scripts run in document order, after the
document is parsed and before DOMContentLoaded, which is where scripts at the end of <body> ran.
Material's bundle, then site.js and charts.js (which use the bundle's ``document$``) keep their
order. Inline scripts, JSON data blocks, modules and scripts that already say ``async`` or
``defer`` are left alone.
"""

from __future__ import annotations

import re

# A classic external script: <script src="…"> with no type (or a JavaScript type) and no
# async/defer. Attribute values in Material's and MkDocs's output are double-quoted.
_SCRIPT_TAG_RE = re.compile(r"<script\b(?P<attrs>[^>]*\bsrc=\"[^\"]*\"[^>]*)>")
_SRC_RE = re.compile(r"\bsrc=\"[^\"]*\"")
_SKIP_ATTR_RE = re.compile(r"\b(?:async|defer|nomodule)\b|\btype=\"(?!text/javascript\")[^\"]*\"")


# Add ``defer`` to every classic external <script src> of a page.
def defer_scripts(page_html: str) -> str:
    def add_defer(m: re.Match) -> str:
        attrs = m.group("attrs")
        # Judge the other attributes only: a URL may contain "defer" or "async".
        if _SKIP_ATTR_RE.search(_SRC_RE.sub("", attrs)):
            return m.group(0)
        return f"<script{attrs.rstrip()} defer>"

    return _SCRIPT_TAG_RE.sub(add_defer, page_html)
