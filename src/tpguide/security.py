"""Security headers of the site, defined once: the Content-Security-Policy and its companions.

Every place that states a security header takes it from here: the <meta http-equiv> tag that
hooks/deploy.py puts on every page, the `_headers` file (Netlify / Cloudflare Pages) and the nginx
config (tpguide.deploy). Cache headers live in tpguide.deploy, beside the file types they describe.

Content-Security-Policy, directive by directive:

- ``default-src 'self'``: nothing is loaded from another origin (no CDN, fonts, trackers).
- ``script-src 'self' 'sha256-…'``: our and Material's script files, plus inline scripts allowed
  one by one by hash. Only the inline scripts of our and Material's templates can be allowed
  (``allowed_inline_scripts``, known before any page is built, from the template sources in
  ``INLINE_SCRIPT_TEMPLATES``): Material writes two executable inline scripts, ``__md_scope``
  (it carries the page's base URL, so there is one variant per folder depth) and the
  tabbed-anchor script; our templates add three (overrides/: the <head> class switch, the
  palette toggle, the early URL resolve); mkdocs-redirects writes one per redirect in
  mkdocs.yml (``redirect_script``). A page with any other inline script fails the build, so
  content can never get a script whitelisted. The policy lists the allowed scripts that the
  built pages use. No ``'unsafe-inline'``, no ``'unsafe-eval'`` (Plotly draws 2D charts without
  eval).
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
from urllib.parse import urlsplit

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
    return {script_hash(body) for body in inline_scripts(page_html)}


# The bodies of the executable inline scripts of a page, in order.
def inline_scripts(page_html: str) -> list[str]:
    bodies = []
    for m in _SCRIPT_RE.finditer(page_html):
        attrs = m.group("attrs")
        if re.search(r"\bsrc\s*=", attrs):
            continue
        kind = _TYPE_RE.search(attrs)
        if kind and kind.group(2).strip().lower() not in _JS_TYPES:
            continue
        bodies.append(m.group("body"))
    return bodies


# Hashes of every inline script our and Material's templates can write, from their sources
# (env: the theme's Jinja environment, which finds our overrides first). Scripts with Jinja in
# them (Material's __md_scope) are rendered once per base URL a page can have.
def allowed_inline_scripts(env, *, config, base_urls: Iterable[str]) -> set[str]:
    hashes = set()
    for name in INLINE_SCRIPT_TEMPLATES:
        source = env.loader.get_source(env, name)[0]
        for body in inline_scripts(source):
            if "{{" not in body and "{%" not in body:
                hashes.add(script_hash(body))
                continue
            template = env.from_string(body)
            hashes |= {script_hash(template.render(config=config, base_url=url)) for url in base_urls}
    return hashes


# Every base URL a page can have: "." and "../.." up to max_depth, and the error pages' path.
def page_base_urls(site_url: str | None, *, max_depth: int | None = None) -> list[str]:
    depths = range(1, (MAX_PAGE_DEPTH if max_depth is None else max_depth) + 1)
    relative = ["."] + ["/".join([".."] * depth) for depth in depths]
    return relative + [urlsplit(site_url or "/").path or "/"]


# The inline script mkdocs-redirects writes for a redirect to `url`; None for a URL that could
# break out of its JavaScript string (only plain path and URL characters are allowed).
def redirect_script(url: str) -> str | None:
    if not _SAFE_REDIRECT_RE.match(url):
        return None
    try:
        from mkdocs_redirects.plugin import HTML_TEMPLATE
    except ImportError:
        return None
    scripts = inline_scripts(HTML_TEMPLATE.format(url=url))
    return scripts[0] if scripts else None


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

# Templates whose inline scripts are the only ones a page may carry (looked up in the theme's
# folders: overrides/ first, then Material's). A new inline script in a template is allowed by
# listing its template here.
INLINE_SCRIPT_TEMPLATES = (
    "main.html",  # ours: the <head> class switch, the early URL resolve
    "partials/javascripts/palette.html",  # ours: the palette toggle
    "partials/javascripts/base.html",  # Material: __md_scope, one variant per base URL
    "partials/javascripts/content.html",  # Material: the tabbed-content scripts
)
# Deepest folder of a page (research-news/2026/11/post/ is 4): the __md_scope variants allowed.
MAX_PAGE_DEPTH = 12
_SAFE_REDIRECT_RE = re.compile(r"^(?:https?://[A-Za-z0-9.-]+(?::\d+)?)?[A-Za-z0-9._~/%#-]*$")

_JS_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript"}
_SCRIPT_RE = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.S | re.I)
_TYPE_RE = re.compile(r"""\btype\s*=\s*(["']?)([^"'\s>]*)\1""", re.I)
_META_RE = re.compile(r"<meta\s+http-equiv=\"Content-Security-Policy\"[^>]*>", re.I)
_CHARSET_RE = re.compile(r"<meta\s+charset=[^>]*>", re.I)
_HEAD_RE = re.compile(r"<head\b[^>]*>", re.I)
