"""Publishing: fingerprinted assets, sitemap, robots.txt, and the headers every host must send.

One source for every host: the security headers come from tpguide.security, the cache policy
from CACHE_POLICY below. From them this module writes the `_headers` file (Netlify, Cloudflare
Pages), the nginx server config (deploy/nginx.conf, the container image, `make preview-prod`)
and the CSP <meta> tag (GitHub Pages, which cannot send headers).

hooks/deploy.py adapts MkDocs events to the functions here; ``python -m tpguide.deploy`` writes
deploy/nginx.conf (`make deploy-config`) and starts the local production preview.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import gzip
import hashlib
import os
import posixpath
import re
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape as xml_escape

from . import security
from .errors import ContentError, Problem, raise_if_any

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMMITTED_NGINX_CONF = PROJECT_ROOT / "deploy" / "nginx.conf"

# Where the container serves from; the Dockerfile copies files to these paths.
CONTAINER_ROOT = "/usr/share/nginx/html"
CONTAINER_LISTEN = "8080"
CONTAINER_CSP_CONF = "/etc/nginx/tpguide/csp.conf"

# Build outputs that are not part of the site, relative to the folder of mkdocs.yml.
DEFAULT_DEPLOY_DIR = "build/deploy"
CSP_CONF_NAME = "csp.conf"
NGINX_CONF_NAME = "nginx.conf"
HEADERS_FILE = "_headers"

# Our own asset types that get a content hash in their name.
FINGERPRINT_SUFFIXES = (".css", ".js", ".mjs")
HASH_LENGTH = 8  # hex digits, as Material uses
# A fingerprinted file: Material's "bundle.a5f9d56c.min.js" or ours "site.0123abcd.css" (+ .map).
# The same pattern is the regex of the nginx cache map (nginx_server_conf).
FINGERPRINTED_RE = re.compile(r"\.[0-9a-f]{8}\.(?:min\.)?(?:js|mjs|css)(?:\.map)?$")

IMMUTABLE = "public, max-age=31536000, immutable"
# Always revalidated (cheap 304 via ETag); also the default of Netlify and Cloudflare Pages.
REVALIDATE = "public, max-age=0, must-revalidate"


@dataclass(frozen=True)
class CacheRule:
    """Cache-Control for one kind of file."""

    kind: str
    examples: str
    value: str


# First matching rule wins; see cache_control().
CACHE_POLICY = (
    CacheRule("fingerprinted asset", "bundle.a5f9d56c.min.js, main.57a0d79d.min.css, site.0123abcd.css, *.map",
              IMMUTABLE),
    CacheRule("HTML page", "index.html, 404.html", REVALIDATE),
    CacheRule("everything else", "search_index.json, sitemap.xml, robots.txt, images, lunr/*.js", REVALIDATE),
)

_URL_ATTR_RE = re.compile(
    r"""(?P<attr>\s(?:href|src|data-[\w-]*(?:href|src))\s*=\s*)(?P<q>["'])(?P<url>[^"'<>]*)(?P=q)""", re.I
)
_LASTMOD_KEY = "last_reviewed"


# ---------------------------------------------------------------------------
# Cache policy
# ---------------------------------------------------------------------------


# True for files whose name carries a content hash (safe to cache for a year).
def is_fingerprinted(path: str) -> bool:
    return bool(FINGERPRINTED_RE.search(path))


# The Cache-Control value for a site path.
def cache_control(path: str) -> str:
    if is_fingerprinted(path):
        return CACHE_POLICY[0].value
    if path.endswith("/") or path.endswith(".html"):
        return CACHE_POLICY[1].value
    return CACHE_POLICY[2].value


# ---------------------------------------------------------------------------
# Fingerprinting
# ---------------------------------------------------------------------------


# Should this site file (one of ours, not the theme's) get a content hash in its name?
def wants_fingerprint(dest_uri: str) -> bool:
    return dest_uri.endswith(FINGERPRINT_SUFFIXES) and not is_fingerprinted(dest_uri)


# "assets/x/site.css" -> "assets/x/site.0123abcd.css" ("plotly.min.js" -> "plotly.0123abcd.min.js").
def fingerprinted_name(dest_uri: str, content: bytes) -> str:
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    folder, name = posixpath.split(dest_uri)
    m = re.match(r"^(?P<stem>.+?)(?P<suffix>(?:\.min)?\.[A-Za-z0-9]+)$", name)
    if m is None:
        return dest_uri
    return posixpath.join(folder, f"{m.group('stem')}.{digest}{m.group('suffix')}")


# Rename the given site files to fingerprinted names; returns {old dest_uri: new dest_uri}.
# A file that names another one (charts.js loads "vendor/plotly-tpg.min.js") gets the new name
# written into it first, so its own hash covers it: files are renamed leaves first.
def fingerprint_files(site_dir: Path, dest_uris: Iterable[str]) -> dict[str, str]:
    pending = {u for u in dest_uris if wants_fingerprint(u) and (site_dir / u).is_file()}
    texts = {u: (site_dir / u).read_text(encoding="utf-8", errors="surrogateescape") for u in pending}
    needs = {u: {o for o in pending if o != u and _mentions(texts[u], u, o)} for u in pending}
    renames: dict[str, str] = {}
    while pending:
        ready = sorted(u for u in pending if not (needs[u] & pending))
        if not ready:  # a reference cycle: hash these as they are
            ready = sorted(pending)
        for uri in ready:
            text = texts[uri]
            if uri.endswith(".css") and not uri.endswith(".min.css"):
                text = strip_css_comments(text)
            for other in sorted(needs[uri]):
                if other in renames:
                    text = _rewrite_reference(text, uri, other, renames[other])
            data = text.encode("utf-8", errors="surrogateescape")
            new = fingerprinted_name(uri, data)
            (site_dir / uri).unlink()
            (site_dir / new).write_bytes(data)
            renames[uri] = new
            pending.discard(uri)
    return renames


# Our stylesheets without their comments (they explain each rule to editors, and every page
# downloaded them: about a quarter of site.css). Strings are copied as they are, so a "/*" inside
# quotes stays; a "/*!" comment (a licence) is kept; lines left empty are dropped.
def strip_css_comments(text: str) -> str:
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i) and not text.startswith("/*!", i):
            end = text.find("*/", i + 2)
            i = n if end == -1 else end + 2
            out.append(" ")  # a comment separates what is on either side of it
        else:
            out.append(c)
            i += 1
    kept = "\n".join(line.strip() for line in "".join(out).splitlines() if line.strip())
    return kept + "\n" if text.endswith("\n") and kept else kept


# Does the text of file `uri` name file `other` by its relative path, in quotes or url()?
def _mentions(text: str, uri: str, other: str) -> bool:
    # cheap test first (most pairs of files never name each other): a mention holds the file's name
    if posixpath.basename(other) not in text:
        return False
    return _reference_re(uri, other).search(text) is not None


def _rewrite_reference(text: str, uri: str, old: str, new: str) -> str:
    rel_new = posixpath.relpath(new, posixpath.dirname(uri) or ".")
    return _reference_re(uri, old).sub(lambda m: m.group("open") + (m.group("dot") or "") + rel_new
                                       + (m.group("rest") or "") + m.group("close"), text)


def _reference_re(uri: str, other: str) -> re.Pattern:
    rel = posixpath.relpath(other, posixpath.dirname(uri) or ".")
    return re.compile(
        r"""(?P<open>["'`]|url\(\s*)(?P<dot>\./)?""" + re.escape(rel) + r"""(?P<rest>[?#][^"'`)\s]*)?(?P<close>["'`]|\s*\))"""
    )


# Point every href/src (and data-*src/-href) of a page at the renamed files.
def rewrite_asset_urls(page_html: str, page_uri: str, renames: Mapping[str, str], *, base_path: str = "/") -> str:
    if not renames:
        return page_html
    folder = posixpath.dirname(page_uri)
    names = {posixpath.basename(k) for k in renames}

    def fix(m: re.Match) -> str:
        url = m.group("url")
        # cheap test first: most links on a page (pages, DOIs, anchors) name no renamed file
        if url.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1] not in names:
            return m.group(0)
        target = _site_path(url, folder, base_path)
        if target is None or target not in renames:
            return m.group(0)
        path, rest = _split_url(url)
        new_path = posixpath.join(posixpath.dirname(path), posixpath.basename(renames[target])) \
            if "/" in path else posixpath.basename(renames[target])
        return f"{m.group('attr')}{m.group('q')}{new_path}{rest}{m.group('q')}"

    return _URL_ATTR_RE.sub(fix, page_html)


# The site-relative path a URL on a page points to, or None for other origins and anchors.
def _site_path(url: str, folder: str, base_path: str) -> str | None:
    if not url or url.startswith(("#", "//", "data:", "mailto:")) or re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return None
    path, _ = _split_url(url)
    if path.startswith("/"):
        base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        if not path.startswith(base):
            return None
        return posixpath.normpath(path[len(base):])
    joined = posixpath.normpath(posixpath.join(folder, path))
    return None if joined.startswith("..") else joined


def _split_url(url: str) -> tuple[str, str]:
    m = re.match(r"^([^?#]*)(.*)$", url, re.S)
    return m.group(1), m.group(2)


# ---------------------------------------------------------------------------
# Sitemap and robots.txt
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: str | None = None


# The sitemap lastmod of a page: its last review date (YYYY-MM-DD), or None when unreviewed.
def sitemap_lastmod(meta: Mapping) -> str | None:
    value = meta.get(_LASTMOD_KEY)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


# sitemap.xml for the given pages (sitemaps.org 0.9).
def sitemap_xml(entries: Iterable[SitemapEntry]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for entry in entries:
        lines.append("  <url>")
        lines.append(f"    <loc>{xml_escape(entry.loc)}</loc>")
        if entry.lastmod:
            lines.append(f"    <lastmod>{entry.lastmod}</lastmod>")
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


# Write sitemap.xml and the sitemap.xml.gz MkDocs also publishes (gzip with a fixed mtime).
def write_sitemap(site_dir: Path, entries: Iterable[SitemapEntry]) -> None:
    text = sitemap_xml(entries).encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(text)
    with open(site_dir / "sitemap.xml.gz", "wb") as raw:
        with gzip.GzipFile(fileobj=raw, filename="sitemap.xml", mode="wb", mtime=0) as gz:
            gz.write(text)


# robots.txt: everything may be crawled; the sitemap is named when the site URL is known.
def robots_txt(site_url: str | None) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        lines += ["", f"Sitemap: {site_url.rstrip('/')}/sitemap.xml"]
    return "\n".join(lines) + "\n"


# The path the site is served under ("/" or "/project/"), from site_url.
def base_path(site_url: str | None) -> str:
    path = urlsplit(site_url or "/").path or "/"
    return path if path.endswith("/") else path + "/"


# ---------------------------------------------------------------------------
# Content-Security-Policy across the site
# ---------------------------------------------------------------------------


# Hash every inline script of every HTML file, then give each the site-wide CSP meta tag.
# One policy for all pages: instant navigation keeps the first page's policy for the rest.
# With `allowed`, a file with any other inline script raises ContentError naming it.
def apply_site_csp(site_dir: Path, renames: Mapping[str, str], *, base: str = "/", meta: bool = True,
                   allowed: set[str] | None = None) -> set[str]:
    originals, texts = {}, {}
    hashes: set[str] = set()
    problems = []
    for path in sorted(site_dir.rglob("*.html")):
        uri = path.relative_to(site_dir).as_posix()
        originals[path] = path.read_text(encoding="utf-8")
        texts[path] = rewrite_asset_urls(originals[path], uri, renames, base_path=base)
        found = security.inline_script_hashes(texts[path])
        if allowed is not None and found - allowed:
            problems.append(unknown_script_problem(f"{site_dir.name}/{uri}", found - allowed))
        hashes |= found
    raise_if_any(problems)
    policy = security.content_security_policy(hashes, for_meta=True)
    for path, text in texts.items():
        new = security.set_csp_meta(text, policy) if meta else text
        if new != originals[path]:
            path.write_text(new, encoding="utf-8")
    return hashes


# ---------------------------------------------------------------------------
# _headers (Netlify, Cloudflare Pages)
# ---------------------------------------------------------------------------


# The _headers file: security headers on every path, a year's caching on each fingerprinted file.
# HTML and other files get the hosts' default Cache-Control, which equals REVALIDATE: a second
# Cache-Control on "/*" would be merged into the asset rules ("no-cache, immutable").
def headers_file(script_hashes: Iterable[str], fingerprinted: Iterable[str], *, base: str = "/") -> str:
    lines = [
        "# Generated by hooks/deploy.py (tpguide.deploy) on every build: do not edit.",
        f"# HTML and unlisted files: the host's default Cache-Control ({REVALIDATE}).",
        f"{base}*",
    ]
    lines += [f"  {name}: {value}" for name, value in security.security_headers(script_hashes).items()]
    for uri in sorted(set(fingerprinted)):
        lines += ["", f"{base}{uri}", f"  Cache-Control: {IMMUTABLE}"]
    return "\n".join(lines) + "\n"


# Every fingerprinted file in a built site, as site-relative paths.
def fingerprinted_files(site_dir: Path) -> list[str]:
    return sorted(
        p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file() and is_fingerprinted(p.name)
    )


# ---------------------------------------------------------------------------
# nginx
# ---------------------------------------------------------------------------


# The nginx server config (http context): headers, caching, gzip, 404 page, no listings.
def nginx_server_conf(
    *, root: str = CONTAINER_ROOT, listen: str = CONTAINER_LISTEN, csp_conf: str = CONTAINER_CSP_CONF
) -> str:
    headers = security.security_headers()
    header_lines = []
    for name, value in headers.items():
        if name == "Content-Security-Policy":
            value = "$tpguide_csp"
        else:
            value = _nginx_quote(value)
        header_lines.append(f"    add_header {name} {value} always;")
    header_lines.append("    add_header Cache-Control $tpguide_cache_control always;")
    cache_rules = [f'    "~{FINGERPRINTED_RE.pattern}" "{IMMUTABLE}";', f'    default "{REVALIDATE}";']
    return "\n".join(
        [
            "# Generated by `make deploy-config` from src/tpguide/deploy.py and security.py: do not edit.",
            "# Server block for the http context (e.g. /etc/nginx/conf.d/default.conf).",
            "#",
            "# The Content-Security-Policy ($tpguide_csp) is defined in csp.conf, which every build",
            f"# writes to {DEFAULT_DEPLOY_DIR}/{CSP_CONF_NAME}: it lists the hashes of that build's inline scripts.",
            f"include {csp_conf};",
            "",
            "# Cache policy: a year for files with a content hash in their name, revalidate the rest.",
            "map $uri $tpguide_cache_control {",
            *cache_rules,
            "}",
            "",
            "server {",
            f"    listen {listen};",
            "    server_name _;",
            f"    root {root};",
            "    index index.html;",
            "",
            "    server_tokens off;",
            "    autoindex off;",
            "    # Directory URLs without a trailing slash get a relative 301 to the slash form.",
            "    absolute_redirect off;",
            "    charset utf-8;",
            "    charset_types text/css application/javascript application/json image/svg+xml text/plain text/xml application/xml;",
            "",
            "    gzip on;",
            "    gzip_vary on;",
            "    gzip_proxied any;",
            "    gzip_comp_level 6;",
            "    gzip_min_length 256;",
            "    gzip_types text/css application/javascript text/javascript application/json application/xml text/xml",
            "               text/plain image/svg+xml application/manifest+json;",
            "",
            "    # Every response, errors and redirects included ('always').",
            *header_lines,
            "",
            "    # Material's 404 page; a folder without index.html is 'not found', never a listing.",
            "    error_page 404 /404.html;",
            "    error_page 403 =404 /404.html;",
            "    location = /404.html {",
            "        internal;",
            "    }",
            "",
            "    # Host configuration files and dotfiles are not part of the site.",
            f"    location = /{HEADERS_FILE} {{",
            "        return 404;",
            "    }",
            "    location ~ /\\. {",
            "        return 404;",
            "    }",
            "",
            "    location / {",
            "    }",
            "}",
            "",
        ]
    )


# csp.conf: the site's Content-Security-Policy as the nginx variable $tpguide_csp.
def nginx_csp_conf(script_hashes: Iterable[str]) -> str:
    policy = security.content_security_policy(script_hashes)
    return "\n".join(
        [
            "# Generated by hooks/deploy.py (tpguide.security) on every build: do not edit.",
            "map $uri $tpguide_csp {",
            f"    default {_nginx_quote(policy)};",
            "}",
            "",
        ]
    )


# A standalone nginx.conf for the local preview: foreground, files under workdir, logs to stderr.
def nginx_preview_conf(*, workdir: Path, server_conf: Path, mime_types: str = "/etc/nginx/mime.types") -> str:
    temp = workdir / "temp"
    lines = ["# Local preview of the production config (make preview-prod). Generated: do not edit."]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # As root, workers would run as 'nobody' and could not read files under /root or /tmp/pytest-*.
        lines.append(f"user {getpass.getuser()};")
    lines += [
        "daemon off;",
        "worker_processes 1;",
        f"pid {workdir / 'nginx.pid'};",
        "error_log stderr warn;",
        "events {",
        "    worker_connections 64;",
        "}",
        "http {",
        f"    include {mime_types};",
        "    default_type application/octet-stream;",
        "    access_log off;",
        "    sendfile on;",
    ]
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        lines.append(f"    {name}_temp_path {temp / name};")
    lines += [f"    include {server_conf};", "}", ""]
    return "\n".join(lines)


# Write the preview configs into workdir; returns the nginx command line that serves the site.
def prepare_preview(
    *, site_dir: Path, csp_conf: Path, workdir: Path, host: str, port: int, nginx: str
) -> list[str]:
    site_dir, csp_conf, workdir = site_dir.resolve(), csp_conf.resolve(), workdir.resolve()
    if not (site_dir / "index.html").is_file():
        raise SystemExit(f"{site_dir}/index.html not found: build the site first (make build)")
    if not csp_conf.is_file():
        raise SystemExit(f"{csp_conf} not found: it is written by every build (make build)")
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (workdir / "temp" / name).mkdir(parents=True, exist_ok=True)
    server = workdir / "server.conf"
    server.write_text(nginx_server_conf(root=str(site_dir), listen=f"{host}:{port}", csp_conf=str(csp_conf)),
                      encoding="utf-8")
    main = workdir / "nginx.conf"
    main.write_text(nginx_preview_conf(workdir=workdir, server_conf=server), encoding="utf-8")
    return [nginx, "-p", str(workdir), "-c", str(main), "-e", "stderr"]


def _nginx_quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


# ---------------------------------------------------------------------------
# Build state (one per build, attached to the MkDocs config)
# ---------------------------------------------------------------------------

STATE_KEY = "_tpguide_deploy"


@dataclass
class DeployState:
    """What hooks/deploy.py learns during one build."""

    deploy_dir: Path
    # False under `mkdocs serve`: its live-reload script is inline and changes on every request,
    # so no hash can allow it. `make preview-prod` is where the production policy is checked.
    csp_meta: bool = True
    own_assets: set[str] = field(default_factory=set)  # dest URIs of our css/js (not the theme's)
    # CSP hashes of the only inline scripts pages may carry (tpguide.security.allowed_inline_scripts)
    allowed_scripts: set[str] = field(default_factory=set)
    sitemap: list[SitemapEntry] = field(default_factory=list)
    # what finish() did, for finish_page(): fingerprinted names (old dest URI -> new) and the
    # inline-script hashes of the whole site
    renames: dict[str, str] = field(default_factory=dict)
    script_hashes: set[str] = field(default_factory=set)


# A fresh state for a build; deploy_dir from extra.tpguide.deploy_dir (relative to mkdocs.yml).
def start(config, *, serving: bool = False) -> DeployState:
    root = Path(config.config_file_path).parent
    settings = dict(config.extra.get("tpguide") or {})
    env = config.theme.get_env()
    allowed = security.allowed_inline_scripts(env, config=config, base_urls=security.page_base_urls(config.site_url))
    state = DeployState(deploy_dir=(root / settings.get("deploy_dir", DEFAULT_DEPLOY_DIR)).resolve(),
                        csp_meta=not serving, allowed_scripts=allowed)
    config[STATE_KEY] = state
    return state


def state_of(config) -> DeployState:
    return config[STATE_KEY]


# Remember our own css/js files (docs or generated, not the theme's) for fingerprinting, and
# allow the scripts of the redirect pages.
def collect_assets(state: DeployState, files, config) -> None:
    hashes, problems = redirect_scripts(config, files)
    raise_if_any(problems)
    state.allowed_scripts |= hashes
    theme_dirs = {os.path.normpath(d) for d in config.theme.dirs}
    for f in files:
        if f.is_documentation_page() or not wants_fingerprint(f.dest_uri):
            continue
        if f.src_dir is not None and os.path.normpath(f.src_dir) in theme_dirs:
            continue
        state.own_assets.add(f.dest_uri)


# Give a rendered page its CSP meta tag (its own inline scripts; made site-wide after the build).
# An inline script that is not one of the allowed ones raises ContentError naming the page.
def page_output(state: DeployState, output: str, page, *, path: str = "") -> str:
    hashes = security.inline_script_hashes(output)
    if hashes - state.allowed_scripts:
        raise ContentError(unknown_script_problem(path or page.file.src_uri, hashes - state.allowed_scripts))
    if page.canonical_url:
        state.sitemap.append(SitemapEntry(page.canonical_url, sitemap_lastmod(page.meta)))
    if not state.csp_meta:
        return output
    policy = security.content_security_policy(hashes, for_meta=True)
    return security.set_csp_meta(output, policy)


# The problem of a page with inline scripts that none of our or Material's templates writes.
def unknown_script_problem(path: str, hashes: Iterable[str]) -> Problem:
    return Problem(path, None, f"the built page has {len(set(hashes))} inline script(s) that no template of the site "
                               "writes, so the Content-Security-Policy will not allow them",
                   "content cannot add scripts: find what put the <script> there (content, a plugin or a template); "
                   "a new script in a template of ours is allowed by listing the template in "
                   "tpguide.security.INLINE_SCRIPT_TEMPLATES")


# The redirect pages' scripts of mkdocs-redirects (redirect_maps in mkdocs.yml): they are
# written after the build, so they are computed here, from the same rule the plugin applies.
def redirect_scripts(config, files) -> tuple[set[str], list[Problem]]:
    plugin = config.plugins.get("redirects")
    if plugin is None:
        return set(), []
    from mkdocs_redirects.plugin import get_relative_html_path

    pages = {f.src_uri: f for f in files.documentation_pages()}
    hashes, problems = set(), []
    for old, new in (plugin.config.get("redirect_maps") or {}).items():
        target, _, fragment = str(new).partition("#")
        fragment = "#" + fragment if fragment else ""
        if str(new).lower().startswith(("http://", "https://")):
            url = str(new)
        elif target in pages:
            url = get_relative_html_path(old, pages[target].url + fragment, config.use_directory_urls)
        else:
            continue  # the plugin warns, and --strict fails the build
        script = security.redirect_script(url)
        if script is None:
            problems.append(Problem("mkdocs.yml", None, f"redirects: {old!r} -> {new!r} has characters a redirect "
                                    "page cannot carry safely", "use a plain page path or https:// address"))
            continue
        hashes.add(security.script_hash(script))
    return hashes, problems


# After the build: fingerprint, site-wide CSP, sitemap, _headers and the nginx configs.
def finish(state: DeployState, config) -> None:
    site_dir = Path(config.site_dir)
    base = base_path(config.site_url)
    renames = fingerprint_files(site_dir, state.own_assets)
    hashes = apply_site_csp(site_dir, renames, base=base, meta=state.csp_meta, allowed=state.allowed_scripts)
    state.renames, state.script_hashes = renames, hashes
    if state.sitemap:
        write_sitemap(site_dir, state.sitemap)
    (site_dir / HEADERS_FILE).write_text(headers_file(hashes, fingerprinted_files(site_dir), base=base),
                                         encoding="utf-8")
    write_server_configs(state.deploy_dir, hashes)


# One page written again after finish() (the live preview, tpguide.preview): its asset URLs point
# at the fingerprinted files and its CSP <meta> is the site's, as finish() left every other page.
# False, leaving the page as it is, when it carries an inline script no other page had (allowed by
# page_output, but the site-wide policy and _headers need a whole build to include it).
def finish_page(state: DeployState, config, dest_uri: str) -> bool:
    path = Path(config.site_dir) / dest_uri
    original = path.read_text(encoding="utf-8")
    text = rewrite_asset_urls(original, dest_uri, state.renames, base_path=base_path(config.site_url))
    if security.inline_script_hashes(text) - state.script_hashes:
        return False
    if state.csp_meta:
        text = security.set_csp_meta(text, security.content_security_policy(state.script_hashes, for_meta=True))
    if text != original:
        path.write_text(text, encoding="utf-8")
    return True


# build/deploy/{csp,nginx}.conf: the nginx configs that serve the site with its scripts' hashes.
def write_server_configs(deploy_dir: Path, hashes: Iterable[str]) -> None:
    deploy_dir.mkdir(parents=True, exist_ok=True)
    _write_if_changed(deploy_dir / CSP_CONF_NAME, nginx_csp_conf(hashes))
    _write_if_changed(deploy_dir / NGINX_CONF_NAME, nginx_server_conf())


# After a failed build: remove the site folder, so nothing half-built or built from refused
# content looks like a site that could be published.
def discard_site(site_dir: str | Path | None) -> bool:
    if not site_dir or not Path(site_dir).is_dir():
        return False
    shutil.rmtree(site_dir, ignore_errors=True)
    return True


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# Command line: make deploy-config, make preview-prod
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tpguide.deploy", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    conf = sub.add_parser("nginx-conf", help="write the committed nginx server config")
    conf.add_argument("-o", "--output", type=Path, default=COMMITTED_NGINX_CONF)
    conf.add_argument("--check", action="store_true", help="fail if the file differs instead of writing it")
    preview = sub.add_parser("preview", help="serve a built site with the production config (foreground)")
    preview.add_argument("--site", type=Path, default=PROJECT_ROOT / "site")
    preview.add_argument("--csp", type=Path, default=PROJECT_ROOT / DEFAULT_DEPLOY_DIR / CSP_CONF_NAME)
    preview.add_argument("--workdir", type=Path, default=PROJECT_ROOT / "build" / "preview")
    preview.add_argument("--host", default="127.0.0.1")
    preview.add_argument("--port", type=int, default=8080)
    preview.add_argument("--nginx", default=os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx")
    args = parser.parse_args(argv)

    if args.command == "nginx-conf":
        text = nginx_server_conf()
        if args.check:
            if not args.output.is_file() or args.output.read_text(encoding="utf-8") != text:
                print(f"{args.output} is out of date: run 'make deploy-config'", file=sys.stderr)
                return 1
            return 0
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        return 0

    cmd = prepare_preview(site_dir=args.site, csp_conf=args.csp, workdir=args.workdir, host=args.host,
                          port=args.port, nginx=args.nginx)
    print(f"Serving {args.site} with the production nginx config on http://{args.host}:{args.port}/ (Ctrl-C stops)",
          file=sys.stderr, flush=True)
    os.execv(cmd[0], cmd)  # the nginx master takes over this PID, so it can be stopped by it
    return 0  # pragma: no cover


if __name__ == "__main__":
    raise SystemExit(main())
