"""Security headers of the site, defined once: the Content-Security-Policy and its companions.

Every place that states a security header takes it from here: the <meta http-equiv> tag that
hooks/deploy.py puts on every page, the `_headers` file (Netlify / Cloudflare Pages) and the nginx
config (tpguide.deploy). Cache headers live in tpguide.deploy, beside the file types they describe.

Content-Security-Policy, directive by directive:

- ``default-src 'self'``: nothing is loaded from another origin (no CDN, fonts, trackers).
- ``script-src 'self' 'sha256-…'``: our and Material's script files, plus the inline scripts of
  the built pages, allowed one by one by hash. Material writes two executable inline scripts:
  ``__md_scope`` (it carries the page's base URL, so there is one variant per folder depth) and
  the tabbed-anchor script; our templates add three (overrides/: the <head> class switch, the
  palette toggle, the early URL resolve). The hashes are computed from the built
  HTML (``inline_script_hashes``) so a Material update cannot break pages silently. No
  ``'unsafe-inline'``, no ``'unsafe-eval'`` (Plotly draws 2D charts without eval).
  Data blocks (``<script type="application/json">``, ``application/ld+json``) are not executed
  and need no hash.
- ``style-src 'self' 'unsafe-inline'``: Plotly injects a <style> element and inline styles, and
  Material writes an inline <style> for admonition icons. Style injection cannot run script.
- ``img-src 'self' data:``: Material's icons are data: SVGs in its CSS.
- ``worker-src 'self'``: the search worker. ``connect-src 'self'``: search index, instant
  navigation and sitemap fetches.
- ``object-src 'none'``, ``base-uri 'self'``, ``form-action 'self'``: close the classic holes.
- ``frame-ancestors 'none'``: only works as an HTTP header; browsers ignore it in a <meta> tag
  (Chrome logs an error for it), so the meta variant leaves it out. Sites served without
  headers (GitHub Pages) can be framed; X-Frame-Options cannot be set there either.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re
from collections.abc import Iterable

# ---------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------


# The Content-Security-Policy string; for_meta drops what a <meta> tag cannot carry.
def content_security_policy(script_hashes: Iterable[str] = (), *, for_meta: bool = False) -> str:
    directives = []
    for name, sources in CSP_DIRECTIVES:
        if for_meta and name in HEADER_ONLY_DIRECTIVES:
            continue
        if name == "script-src":
            sources = (*sources, *(f"'{h}'" for h in sorted(set(script_hashes))))
        directives.append(" ".join((name, *sources)))
    return "; ".join(directives)


# Every security header, by name, in a stable order (cache headers: tpguide.deploy).
def security_headers(script_hashes: Iterable[str] = ()) -> dict[str, str]:
    return {"Content-Security-Policy": content_security_policy(script_hashes), **STATIC_HEADERS}


# ---------------------------------------------------------------------------
# Inline scripts and the meta tag
# ---------------------------------------------------------------------------


# CSP source expressions ("sha256-…") of every executable inline <script> in a page.
def inline_script_hashes(page_html: str) -> set[str]:
    hashes = set()
    for m in _SCRIPT_RE.finditer(page_html):
        attrs, body = m.group("attrs"), m.group("body")
        if re.search(r"\bsrc\s*=", attrs):
            continue
        kind = _TYPE_RE.search(attrs)
        if kind and kind.group(2).strip().lower() not in _JS_TYPES:
            continue
        hashes.add(script_hash(body))
    return hashes


# The CSP source expression for one inline script body (exact text between the tags).
def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


# The <meta http-equiv> tag that carries a policy.
def csp_meta_tag(policy: str) -> str:
    content = html_lib.escape(policy, quote=False).replace('"', "&quot;")
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


# Put the CSP meta tag first in <head> (it only governs what comes after it), or replace it.
def set_csp_meta(page_html: str, policy: str) -> str:
    tag = csp_meta_tag(policy)
    if _META_RE.search(page_html):
        return _META_RE.sub(lambda m: tag, page_html, count=1)
    charset = _CHARSET_RE.search(page_html)
    if charset:
        return page_html[: charset.end()] + "\n    " + tag + page_html[charset.end():]
    head = _HEAD_RE.search(page_html)
    if head is None:
        return page_html
    return page_html[: head.end()] + "\n    " + tag + page_html[head.end():]


# The policy of the CSP meta tag of a page, or None.
def csp_meta_policy(page_html: str) -> str | None:
    m = _META_RE.search(page_html)
    if m is None:
        return None
    content = re.search(r'content="([^"]*)"', m.group(0))
    return html_lib.unescape(content.group(1)) if content else None


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

CSP_DIRECTIVES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("default-src", ("'self'",)),
    ("script-src", ("'self'",)),
    # Plotly (TOOLING-NOTES) and Material's admonition-icon <style> need inline styles.
    ("style-src", ("'self'", "'unsafe-inline'")),
    ("img-src", ("'self'", "data:")),
    ("font-src", ("'self'",)),
    ("connect-src", ("'self'",)),
    ("worker-src", ("'self'",)),
    ("manifest-src", ("'self'",)),
    ("object-src", ("'none'",)),
    ("base-uri", ("'self'",)),
    ("form-action", ("'self'",)),
    ("frame-ancestors", ("'none'",)),
)
# Directives that browsers ignore (and complain about) in a <meta> policy.
HEADER_ONLY_DIRECTIVES = frozenset({"frame-ancestors", "report-uri", "sandbox"})

# Features no page of this site uses; denied for the page and anything it embeds.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

STATIC_HEADERS: dict[str, str] = {
    # Two years; no "preload": joining the preload list is a separate, hard-to-undo decision.
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    # Readers of a health site should not tell other sites which page they came from.
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
    # For browsers without CSP frame-ancestors.
    "X-Frame-Options": "DENY",
}

_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
_SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE_RE = re.compile(r"""\btype\s*=\s*(["']?)([^"'\s>]*)\1""", re.I)
_META_RE = re.compile(r"<meta\s+http-equiv=\"Content-Security-Policy\"[^>]*>", re.I)
_CHARSET_RE = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD_RE = re.compile(r"<head\b[^>]*>", re.I)
