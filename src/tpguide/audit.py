"""Quality gates over a built site: links, HTML, accessibility, security, Lighthouse, print.

Each gate is a function that returns its findings (an empty list means the gate passes), so the
tests in tests/audit/ and ``python -m tpguide.audit`` (``make audit``) share one implementation.
The Node tools come from tools/audit/node_modules (``make audit-deps``: npm ci there).

- Links: LinkChecker over the site served on 127.0.0.1, internal links and anchors; external
  links are only syntax-checked (no network). See ``check_links`` for how it is run.
- HTML: the Nu HTML Checker (vnu.jar, Java) over every page, errors only.
- Accessibility: axe-core injected into every page in Chromium, light and dark palette.
- Security: the CSP <meta> tag on every page, no inline event handlers, and no request to any
  host but the site's own (recorded while the axe pass loads each page; foreign requests are
  aborted, never sent).
- Lighthouse: mobile preset in system Chromium; median of several runs per category.
- Print: each page marked ``handout: true`` printed to A4 PDF by Chromium, within a page budget.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gzip
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup

from . import security

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = PROJECT_ROOT / "docs"
AUDIT_TOOLS = PROJECT_ROOT / "tools" / "audit"
NODE_MODULES = AUDIT_TOOLS / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Material palette scheme per emulated colour scheme (mkdocs.yml follows the system setting).
SCHEMES = {"light": "default", "dark": "slate"}
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
LIGHTHOUSE_MIN_SCORE = 0.95
LIGHTHOUSE_RUNS = 5
# Lighthouse's simulated phone is this machine's own timings slowed 4x, a factor set for a
# high-end desktop (benchmarkIndex 1500-2000; lighthouse docs/throttling.md, "Calibrating the CPU
# slowdown"). On a weaker or busy host (a run measuring an index below 1500) the run is repeated
# with the slowdown scaled down in proportion, as those docs advise, so the same phone is
# simulated; a faster host keeps 4x. Each run's index and factor are reported with the scores.
LIGHTHOUSE_CPU_SLOWDOWN = 4.0
LIGHTHOUSE_REFERENCE_INDEX = 1500
LIGHTHOUSE_METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
                      "cumulative-layout-shift", "speed-index")
PRINT_PAGE_BUDGET = 2  # A4 pages per handout
MISSING_TOOLS_HINT = "run 'make audit-deps' (npm ci in tools/audit)"


@dataclass(frozen=True)
class Finding:
    """One failure of one gate on one page."""

    gate: str
    page: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.gate}] {self.page or '/'}: {self.rule}: {self.message}"


@dataclass
class LinkReport:
    """What LinkChecker checked, and what it found broken."""

    urls: int = 0
    internal: int = 0
    anchors: int = 0
    broken: list[Finding] = field(default_factory=list)


@dataclass
class BrowserReport:
    """The axe violations and the foreign requests of every page, per colour scheme."""

    pages: int = 0
    violations: list[Finding] = field(default_factory=list)
    foreign_requests: list[Finding] = field(default_factory=list)
    requests: int = 0


class MissingTool(RuntimeError):
    """A Node or Java tool of the audit is not installed."""


# ---------------------------------------------------------------------------
# The built site
# ---------------------------------------------------------------------------


# Every HTML page of a built site as a URL path relative to its root ("", "about/", "404.html").
def site_pages(site_dir: Path) -> list[str]:
    pages = []
    for path in sorted(Path(site_dir).rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        pages.append(rel[: -len("index.html")] if rel == "index.html" or rel.endswith("/index.html") else rel)
    return pages


# URL paths of the pages whose front matter says `handout: true` (docs/x.md -> "x/").
def handout_pages(docs_dir: Path = DOCS_DIR) -> list[str]:
    pages = []
    for path in sorted(Path(docs_dir).rglob("*.md")):
        meta = _front_matter(path.read_text(encoding="utf-8"))
        if meta.get("handout") is True:
            pages.append(_page_url(path.relative_to(docs_dir).as_posix()))
    return pages


# URL paths of the built pages marked as printable handouts (<meta name="tpg:handout">).
def handout_pages_in_site(site_dir: Path) -> list[str]:
    return list(handout_budgets_in_site(site_dir))


# A handout that prints every urgent warning sign (tpguide.handouts). Four pages: the list grows with
# safety work (a sign is never left out to fit), and its signs print at 9pt, like the text (8pt was
# too small for a leaflet, a practitioner reviewer said); it was three pages at 8pt.
PRINT_PAGE_BUDGET_URGENT_SIGNS = 4


# The A4 pages each built handout may print on: PRINT_PAGE_BUDGET, or PRINT_PAGE_BUDGET_URGENT_SIGNS
# for a handout that prints every sign that needs help now or today.
def handout_budgets_in_site(site_dir: Path) -> dict[str, int]:
    from .handouts import ALL_URGENT_SIGNS_CLASS

    out = {}
    for page in site_pages(site_dir):
        if not page.endswith("/"):
            continue
        text = (Path(site_dir) / page / "index.html").read_text(encoding="utf-8")
        if '<meta name="tpg:handout"' in text:
            urgent = f'class="{ALL_URGENT_SIGNS_CLASS}"' in text
            out[page] = PRINT_PAGE_BUDGET_URGENT_SIGNS if urgent else PRINT_PAGE_BUDGET
    return out


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    # Text files are sent gzip-compressed when the client accepts it, as every production host
    # does (deploy/nginx.conf, GitHub Pages); Lighthouse measures transfer sizes.
    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in _COMPRESSIBLE):
            return super().do_GET()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def end_headers(self):
        # LinkChecker only lifts its per-host rate limit (10 requests/s) for servers that
        # answer with a "LinkChecker" header.
        self.send_header("LinkChecker", "local audit server")
        super().end_headers()

    def log_message(self, *args):
        pass


@functools.lru_cache(maxsize=512)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6)


_COMPRESSIBLE = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map"}


# Serve a built site on 127.0.0.1 (on `port`, or a free one); yields the base URL
# ("http://127.0.0.1:N/"). The audit, the browser tests and `make bench` all serve through this.
@contextmanager
def serve(site_dir: Path, port: int = 0) -> Iterator[str]:
    handler = functools.partial(_SiteHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()


# ---------------------------------------------------------------------------
# Links (LinkChecker)
# ---------------------------------------------------------------------------


# Check internal links and anchors of the site served at base_url, starting from every page.
def check_links(base_url: str, pages: Iterable[str] = ("",), *, timeout: float = 600) -> LinkReport:
    """LinkChecker runs in a subprocess through ``_linkchecker_main`` (see there), as the current
    user, with the AnchorCheck plugin, robots.txt ignored and external URLs syntax-checked only.
    A broken link is an invalid URL; a broken anchor is LinkChecker's "Anchor … not found" warning.
    Every other warning counts as broken too, so nothing is silently let through."""
    config = "[checking]\nmaxrequestspersecond=1000\n[filtering]\ncheckextern=0\n[AnchorCheck]\n"
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        rc_file = Path(tmp) / "linkcheckerrc"
        rc_file.write_text(config, encoding="utf-8")
        urls = [base_url + page for page in pages]
        cmd = [sys.executable, "-m", "tpguide.audit", "_linkchecker", "-f", str(rc_file), "--no-status",
               "--no-robots", "--verbose", "--output=csv/utf-8", *urls]
        env = {**os.environ, "HOME": tmp, "XDG_CONFIG_HOME": tmp, "XDG_DATA_HOME": tmp}
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=tmp)
    if result.returncode not in (0, 1) or "urlname;" not in result.stdout:
        raise RuntimeError(f"linkchecker failed (exit {result.returncode}): {result.stderr[-2000:]}")
    return _parse_linkchecker_csv(result.stdout, base_url)


def _parse_linkchecker_csv(text: str, base_url: str) -> LinkReport:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("# "))
    report = LinkReport()
    for row in csv.DictReader(io.StringIO(body), delimiter=";"):
        url = row.get("url") or row.get("urlname") or ""
        report.urls += 1
        if url.startswith(base_url):
            report.internal += 1
            if "#" in url:
                report.anchors += 1
        parent = (row.get("parentname") or "").removeprefix(base_url)
        where = f"{parent} line {row.get('line')}" if parent else "(start URL)"
        if row.get("valid") != "True":
            report.broken.append(Finding("links", where, "broken-link", f"{row.get('urlname')}: {row.get('result')}"))
        elif row.get("warningstring"):
            rule = "broken-anchor" if "Anchor" in row["warningstring"] else "link-warning"
            first = row["warningstring"].splitlines()[0]
            report.broken.append(Finding("links", where, rule, f"{row.get('urlname')}: {first}"))
    return report


# LinkChecker's command line, with three adjustments for a local audit (run as a subprocess).
def _linkchecker_main(argv: list[str]) -> int:
    """1. LinkChecker started as root switches its effective user to ``nobody`` and then cannot
          read the venv or a private temporary site, silently skipping plugins such as the anchor
          check. We run it as the invoking user: the privilege drop is disabled.
       2. With anchor checking on, every ``page#anchor`` URL is fetched and parsed again
          (BeautifulSoup plus one ``.text`` per element): the anchors of a page are cached.
       3. For the same reason the links of a page are queued once per anchor URL: each page is
          parsed for links once.
       4. Each anchor URL still downloads its page and parses it into a soup: soups are shared
          between identical downloads (read-only after parsing)."""
    from linkcheck import parser as lc_parser
    from linkcheck.command import linkchecker as lc_cli
    from linkcheck.htmlutil import htmlsoup, linkparse
    from linkcheck.plugins import anchorcheck

    if not hasattr(lc_cli, "drop_privileges") or not hasattr(anchorcheck, "UrlAnchorCheck"):
        print("tpguide.audit: unsupported LinkChecker version (no drop_privileges/UrlAnchorCheck)", file=sys.stderr)
        return 3
    lock = threading.Lock()
    parsed: set[str] = set()
    anchors: dict[str, list] = {}
    parse_url = lc_parser.parse_url

    def page_key(url_data) -> str:
        return (url_data.url or "").split("#", 1)[0]

    def parse_once(url_data):
        with lock:
            if page_key(url_data) in parsed:
                return None
            parsed.add(page_key(url_data))
        return parse_url(url_data)

    def check_anchor(self, url_data):
        with lock:
            found = anchors.get(page_key(url_data))
        if found is None:
            collector = anchorcheck.UrlAnchorCheck()
            linkparse.find_links(url_data.get_soup(), collector.add_anchor, linkparse.AnchorTags)
            found = collector.anchors
            with lock:
                anchors[page_key(url_data)] = found
        checker = anchorcheck.UrlAnchorCheck()
        checker.anchors = list(found)
        checker.check_anchor(url_data)

    make_soup = htmlsoup.make_soup
    soups: dict[tuple, object] = {}

    def shared_soup(data, encoding=None):
        key = (hashlib.sha256(data if isinstance(data, bytes) else str(data).encode()).hexdigest(), encoding)
        with lock:
            soup = soups.get(key)
        if soup is None:
            soup = make_soup(data, encoding)
            with lock:
                soups[key] = soup
        return soup

    lc_cli.drop_privileges = lambda: None
    htmlsoup.make_soup = shared_soup
    lc_parser.parse_url = parse_once
    anchorcheck.AnchorCheck.check = check_anchor
    sys.argv = ["linkchecker", *argv]
    return lc_cli.linkchecker()


# ---------------------------------------------------------------------------
# HTML (Nu HTML Checker)
# ---------------------------------------------------------------------------


# Every Nu HTML Checker error in the site's HTML pages.
def check_html(site_dir: Path, *, timeout: float = 600) -> list[Finding]:
    if not VNU_JAR.is_file():
        raise MissingTool(f"{VNU_JAR} not found: {MISSING_TOOLS_HINT}")
    java = shutil.which("java")
    if java is None:
        raise MissingTool("java not found: run 'make audit-deps' (installs default-jre-headless)")
    files = [str(p) for p in sorted(Path(site_dir).rglob("*.html"))]
    result = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, timeout=timeout)
    try:
        messages = json.loads(result.stderr or result.stdout)["messages"]
    except (ValueError, KeyError):
        raise RuntimeError(f"vnu failed (exit {result.returncode}): {result.stderr[-2000:]}") from None
    findings = []
    for m in messages:
        if m.get("type") not in ("error", "non-document-error"):
            continue
        path = urlsplit(m.get("url", "")).path
        page = Path(path).resolve().relative_to(Path(site_dir).resolve()).as_posix() if path else "?"
        extract = " ".join((m.get("extract") or "").split())[:120]
        findings.append(Finding("html", page, f"line {m.get('lastLine')}", f"{m.get('message')} [{extract}]"))
    return findings


# ---------------------------------------------------------------------------
# Security (static)
# ---------------------------------------------------------------------------


# CSP meta tag problems and inline event handlers in every HTML page of the site.
def check_security(site_dir: Path) -> list[Finding]:
    findings = []
    for path in sorted(Path(site_dir).rglob("*.html")):
        page = path.relative_to(site_dir).as_posix()
        findings.extend(check_page_security(path.read_text(encoding="utf-8"), page))
    return findings


# The security findings of one page's HTML.
def check_page_security(page_html: str, page: str) -> list[Finding]:
    findings = []
    policy = security.csp_meta_policy(page_html)
    if policy is None:
        findings.append(Finding("security", page, "csp-missing", "no <meta http-equiv=Content-Security-Policy>"))
    else:
        directives = _csp_directives(policy)
        if directives.get("default-src") != ["'self'"]:
            findings.append(Finding("security", page, "csp-default-src",
                                    f"default-src is {directives.get('default-src')}, expected 'self'"))
        if "'unsafe-eval'" in policy:
            findings.append(Finding("security", page, "csp-unsafe-eval", "the policy allows 'unsafe-eval'"))
    soup = BeautifulSoup(page_html, "html.parser")
    for element in soup.find_all(True):
        for name in element.attrs:
            if name.lower().startswith("on"):
                findings.append(Finding("security", page, "inline-event-handler",
                                        f"<{element.name} {name}=…> (line {element.sourceline})"))
    return findings


def _csp_directives(policy: str) -> dict[str, list[str]]:
    directives = {}
    for part in policy.split(";"):
        tokens = part.split()
        if tokens:
            directives.setdefault(tokens[0].lower(), tokens[1:])
    return directives


# ---------------------------------------------------------------------------
# Accessibility and foreign requests (Chromium)
# ---------------------------------------------------------------------------


# Launch system Chromium through Playwright; yields the browser.
@contextmanager
def chromium() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        raise MissingTool(f"system Chromium not found at {CHROMIUM}: run 'make chromium' or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


# Run axe on every page in each colour scheme and record every request the pages make.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


def audit_in_browser(browser, base_url: str, pages: Iterable[str], schemes: Iterable[str] = tuple(SCHEMES),
                     *, phone: bool = False) -> BrowserReport:
    """Each page is loaded once, scrolled to the end (charts load near the viewport) until the
    network is idle; then, per colour scheme (switched by emulating the system setting, which
    the palette follows), axe-core runs on the whole document with its default rules. Requests to
    any origin but base_url's are recorded and aborted, so the check never reaches the network;
    the page's CSP is bypassed so that every attempt shows. phone: a 390 px wide phone instead of a
    desktop (a table that scrolls sideways there must be reachable by keyboard, for one)."""
    if not AXE_JS.is_file():
        raise MissingTool(f"{AXE_JS} not found: {MISSING_TOOLS_HINT}")
    axe_source = AXE_JS.read_text(encoding="utf-8")
    origin = _origin(base_url)
    schemes = list(schemes)
    report = BrowserReport()
    # bypass_csp: the page must not even try to reach another host; our CSP would block most such
    # requests before they are made (and is tested on its own, by check_security).
    # reduced_motion: the header's title fades between the site name and the page title when the
    # page scrolls (see site.css); mid-fade, axe measures half-transparent text as low contrast.
    size = PHONE if phone else {"viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(color_scheme=schemes[0], bypass_csp=True, reduced_motion="reduce", **size)
    requests: list[tuple[str, str]] = []

    def route(route, request):
        requests.append((current[0], request.url))
        if _origin(request.url) in (origin, None):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    current = [""]
    context.route("**/*", route)
    try:
        for page_path in pages:
            current[0] = page_path
            report.pages += 1
            page = context.new_page()
            page.goto(base_url + page_path, wait_until="load")
            page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
            page.wait_for_load_state("networkidle")
            page.evaluate("window.scrollTo(0, 0)")
            page.wait_for_function("!document.querySelector('.md-header__title--active')")
            page.evaluate(axe_source)
            for scheme in schemes:
                page.emulate_media(color_scheme=scheme)
                expected = SCHEMES.get(scheme)
                if expected:
                    _wait_for_palette(page, expected, page_path)
                result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                for violation in result["violations"]:
                    targets = "; ".join(" ".join(map(str, n["target"])) for n in violation["nodes"][:5])
                    report.violations.append(Finding(
                        f"axe-{scheme}", page_path, violation["id"],
                        f"{violation['help']} ({len(violation['nodes'])} nodes: {targets})"))
            page.close()
    finally:
        context.close()
    report.requests = len(requests)
    report.foreign_requests = [Finding("requests", page_path, "foreign-request", url)
                               for page_path, url in requests if _origin(url) not in (origin, None)]
    return report


# Poll a JavaScript expression in the page until it is true (Playwright's wait_for_function
# evaluates a string, which the site's CSP forbids). TimeoutError when it stays false.
def wait_for(page, expression: str, *, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(50)


# Wait until the page's palette shows `scheme`.
def _wait_for_palette(page, scheme: str, page_path: str, timeout: float = 5.0) -> None:
    current = "document.body.getAttribute('data-md-color-scheme')"
    try:
        wait_for(page, f"{current} === {json.dumps(scheme)}", timeout=timeout)
    except TimeoutError:
        actual = page.evaluate(current)
        raise RuntimeError(f"{page_path}: palette stays {actual!r}, expected {scheme!r}") from None


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "javascript"):
        return None
    return f"{parts.scheme}://{parts.netloc}"


# ---------------------------------------------------------------------------
# Print
# ---------------------------------------------------------------------------


# `measure(page)` of each page, loaded once in one browser context: {page path: result}.
def _each_page(browser, base_url: str, pages: Iterable[str], measure) -> dict:
    out = {}
    context = browser.new_context()
    try:
        for page_path in pages:
            page = context.new_page()
            page.goto(base_url + page_path, wait_until="networkidle")
            out[page_path] = measure(page)
            page.close()
    finally:
        context.close()
    return out


# The number of A4 pages Chromium prints for each page (print stylesheet applies).
def print_page_counts(browser, base_url: str, pages: Iterable[str]) -> dict[str, int]:
    return _each_page(browser, base_url, pages, lambda page: pdf_page_count(page.pdf(format="A4", print_background=False)))


# Addresses a printed page would show, other than its own address in the QR block
# (.tpg-print-link): local hosts and site paths in the printed text or in ::before/::after.
_PRINTED_URLS_JS = r"""() => {
  const own = new Set(Array.from(document.querySelectorAll('.tpg-print-link, .tpg-print-link *')));
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (own.has(el)) continue;
    for (const pseudo of ['::before', '::after']) {
      const c = getComputedStyle(el, pseudo).content;
      if (c && c !== 'none' && c !== 'normal' && /https?:|\/|127\.0\.0\.1|localhost/.test(c)) out.push(c);
    }
  }
  const link = document.querySelector('.tpg-print-link');
  let text = document.body.innerText;
  if (link) text = text.replace(link.innerText, '');
  for (const m of text.matchAll(/(?:https?:\/\/|127\.0\.0\.1|localhost:\d+|(?:\.\.\/)+)\S*/g)) out.push(m[0]);
  return out;
}"""


def printed_urls(browser, base_url: str, pages: Iterable[str]) -> dict[str, list[str]]:
    def measure(page):
        page.emulate_media(media="print")
        return page.evaluate(_PRINTED_URLS_JS)

    return _each_page(browser, base_url, pages, measure)


# Pages over the print budget, as findings.
def check_print(counts: dict[str, int], budget: int = PRINT_PAGE_BUDGET, budgets: dict[str, int] | None = None) -> list[Finding]:
    budgets = budgets or {}
    return [Finding("print", page, "page-budget", f"prints on {n} A4 pages (budget {budgets.get(page, budget)})")
            for page, n in counts.items() if n > budgets.get(page, budget) or n < 1]


# The page count of a PDF (the /Count of its page tree root: the largest one in the file).
def pdf_page_count(pdf: bytes) -> int:
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", pdf)]
    if counts:
        return max(counts)
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


# ---------------------------------------------------------------------------
# Lighthouse
# ---------------------------------------------------------------------------


# Lighthouse category scores of one URL (mobile preset): the median of `runs` runs per category.
@dataclass(frozen=True)
class LighthouseResult:
    """Medians over the runs of one page: category scores, metrics, and the host's CPU power."""

    scores: dict[str, float]
    metrics: dict[str, float]  # milliseconds; layout shift unitless
    benchmark_index: float  # median of the runs' benchmarkIndex (CPU/Memory Power)
    cpu_slowdown: tuple[float, ...]  # the factor each run was scored with

    def summary(self) -> str:
        m = self.metrics
        slow = sorted(set(self.cpu_slowdown))
        return (f"FCP {m['first-contentful-paint']:.0f} ms, LCP {m['largest-contentful-paint']:.0f} ms, "
                f"TBT {m['total-blocking-time']:.0f} ms, CLS {m['cumulative-layout-shift']:.3f}; "
                f"host benchmarkIndex {self.benchmark_index:.0f}, CPU slowdown "
                + "/".join(f"{x:g}x" for x in slow))


# The CPU slowdown for a host of this benchmarkIndex (see LIGHTHOUSE_REFERENCE_INDEX).
def cpu_slowdown(benchmark_index: float) -> float:
    if benchmark_index >= LIGHTHOUSE_REFERENCE_INDEX:
        return LIGHTHOUSE_CPU_SLOWDOWN
    return max(1.0, round(LIGHTHOUSE_CPU_SLOWDOWN * benchmark_index / LIGHTHOUSE_REFERENCE_INDEX, 1))


def _lighthouse_once(url: str, slowdown: float | None, timeout: float) -> dict:
    node = shutil.which("node")
    if node is None:
        raise MissingTool("node not found (Node 18.16+ runs Lighthouse 12.2)")
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    cmd = [node, str(LIGHTHOUSE_CLI), url, "--output=json", "--output-path=stdout", "--quiet",
           f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
           "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"]
    if slowdown is not None:
        cmd.append(f"--throttling.cpuSlowdownMultiplier={slowdown:g}")
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    try:
        report = json.loads(result.stdout)
        report["categories"], report["audits"], report["environment"]
    except (ValueError, KeyError, TypeError):
        raise RuntimeError(f"lighthouse failed on {url} (exit {result.returncode}): {result.stderr[-2000:]}") from None
    return report


# Lighthouse (mobile) on a URL, `runs` times: the medians, with the CPU slowdown calibrated per run.
def lighthouse_run(url: str, *, runs: int = LIGHTHOUSE_RUNS, timeout: float = 240) -> LighthouseResult:
    if not LIGHTHOUSE_CLI.is_file():
        raise MissingTool(f"{LIGHTHOUSE_CLI} not found: {MISSING_TOOLS_HINT}")
    samples: dict[str, list[float]] = {c: [] for c in LIGHTHOUSE_CATEGORIES}
    metrics: dict[str, list[float]] = {m: [] for m in LIGHTHOUSE_METRICS}
    indexes: list[float] = []
    slowdowns: list[float] = []
    for _ in range(runs):
        report = _lighthouse_once(url, None, timeout)
        index = float(report["environment"].get("benchmarkIndex") or LIGHTHOUSE_REFERENCE_INDEX)
        slowdown = cpu_slowdown(index)
        if slowdown != LIGHTHOUSE_CPU_SLOWDOWN:
            report = _lighthouse_once(url, slowdown, timeout)
        indexes.append(index)
        slowdowns.append(slowdown)
        for name in LIGHTHOUSE_CATEGORIES:
            score = report["categories"][name]["score"]
            samples[name].append(float(score) if score is not None else 0.0)
        for name in LIGHTHOUSE_METRICS:
            value = report["audits"].get(name, {}).get("numericValue")
            metrics[name].append(float(value) if value is not None else float("nan"))
    return LighthouseResult(
        scores={name: statistics.median(values) for name, values in samples.items()},
        metrics={name: statistics.median(values) for name, values in metrics.items()},
        benchmark_index=statistics.median(indexes),
        cpu_slowdown=tuple(slowdowns),
    )


# The median category scores of `runs` Lighthouse runs on a URL.
def lighthouse_scores(url: str, *, runs: int = LIGHTHOUSE_RUNS, timeout: float = 240) -> dict[str, float]:
    return lighthouse_run(url, runs=runs, timeout=timeout).scores


# Categories below the minimum score, as findings.
def check_lighthouse(page: str, scores: dict[str, float], minimum: float = LIGHTHOUSE_MIN_SCORE) -> list[Finding]:
    return [Finding("lighthouse", page, name, f"score {score:.2f} < {minimum:.2f}")
            for name, score in scores.items() if score < minimum]


# The pages Lighthouse audits: home, the first article, the first chart page, the references.
def lighthouse_pages(site_dir: Path) -> list[str]:
    pages = site_pages(site_dir)
    chosen = [""]
    articles = [p for p in pages if _is_article(site_dir, p)]
    charts = [p for p in pages if p.endswith("/") and 'class="tpg-chart' in _read_page(site_dir, p)]
    for candidate in (articles[:1], charts[:1], ["references/"] if "references/" in pages else []):
        for page in candidate:
            if page not in chosen:
                chosen.append(page)
    return chosen


def _read_page(site_dir: Path, page: str) -> str:
    path = Path(site_dir) / (page + "index.html" if page.endswith("/") or page == "" else page)
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _is_article(site_dir: Path, page: str) -> bool:
    return page != "" and 'name="citation_title"' in _read_page(site_dir, page)


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


def _front_matter(text: str) -> dict:
    m = re.match(r"---\s*\n(.*?)\n---\s*\n", text, re.S)
    if not m:
        return {}
    try:
        meta = yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _page_url(src: str) -> str:
    stem = src[: -len(".md")]
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


# ---------------------------------------------------------------------------
# Command line: `python -m tpguide.audit SITE_DIR` (make audit)
# ---------------------------------------------------------------------------


# Run every gate on a built site and print counts and scores; exit 1 when a gate fails.
def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_linkchecker"]:
        return _linkchecker_main(argv[1:])
    args = _parser().parse_args(argv)
    site_dir = Path(args.site).resolve()
    pages = site_pages(site_dir)
    failures: list[Finding] = []
    started = time.monotonic()

    def took() -> str:
        return f"  [{time.monotonic() - started:.0f} s]"

    print(f"{len(pages)} pages in {site_dir}")
    html = check_html(site_dir)
    print(f"HTML (vnu): {len(html)} errors" + took())
    sec = check_security(site_dir)
    print(f"Security (CSP meta, inline handlers): {len(sec)} problems")
    failures += html + sec
    with serve(site_dir) as base_url:
        links = check_links(base_url, pages)
        print(f"Links: {links.urls} URLs ({links.internal} internal, {links.anchors} with anchors), "
              f"{len(links.broken)} broken" + took())
        failures += links.broken
        with chromium() as browser:
            report = audit_in_browser(browser, base_url, pages)
            for scheme in SCHEMES:
                found = [v for v in report.violations if v.gate == f"axe-{scheme}"]
                print(f"axe ({scheme}): {report.pages} pages, {len(found)} violations")
            print(f"Requests: {report.requests}, {len(report.foreign_requests)} to other hosts" + took())
            failures += report.violations + report.foreign_requests
            handouts = handout_pages_in_site(site_dir) or handout_pages(Path(args.docs))
            counts = print_page_counts(browser, base_url, handouts)
            print(f"Print: {len(handouts)} handout pages" + "".join(f"\n  {p}: {n} A4 pages" for p, n in counts.items()))
            failures += check_print(counts, budgets=handout_budgets_in_site(site_dir))
        if not args.skip_lighthouse:
            for page in lighthouse_pages(site_dir):
                result = lighthouse_run(base_url + page, runs=args.runs)
                print(f"Lighthouse /{page} (median of {args.runs}): "
                      + ", ".join(f"{k} {v:.2f}" for k, v in result.scores.items())
                      + f"\n  {result.summary()}")
                failures += check_lighthouse(page, result.scores)
    for finding in failures:
        print(finding)
    print("PASS" if not failures else f"FAIL: {len(failures)} findings")
    return 1 if failures else 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tpguide.audit", description=main.__doc__)
    parser.add_argument("site", nargs="?", default=str(PROJECT_ROOT / "site"), help="built site folder")
    parser.add_argument("--docs", default=str(DOCS_DIR), help="docs folder (handout pages)")
    parser.add_argument("--runs", type=int, default=LIGHTHOUSE_RUNS, help="Lighthouse runs per page")
    parser.add_argument("--skip-lighthouse", action="store_true")
    return parser


if __name__ == "__main__":
    sys.exit(main())
