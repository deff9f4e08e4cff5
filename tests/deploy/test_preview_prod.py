"""`make preview-prod`: a fixture site behind the production nginx config, checked over HTTP.

The server is started the way `make preview-prod` starts it (python -m tpguide.deploy preview,
which becomes the nginx master process) and stopped by its PID. Chromium then loads the pages
through nginx (CSP header + meta) and through a plain static server (meta only, as on GitHub
Pages) and must log no error.
"""

import gzip
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support import ROOT, article, make_site
from tpguide import audit, deploy, security

NGINX = os.environ.get("NGINX", "/usr/sbin/nginx")

TABS = """
Text [@smith2020knots]. See [the sub page](sub/page.md).

=== "One"

    First tab.

=== "Two"

    Second tab.

```python
print("copy me")
```
"""


# A small site with pages at three folder depths, built through the project's mkdocs.yml.
@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = make_site(tmp_path_factory.mktemp("preview"), {
        "index.md": article("Home", TABS),
        "sub/page.md": article("Sub page", "Text [home](../index.md).\n"),
    })
    result = site.build()
    assert result.returncode == 0, result.stderr
    return site.root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"nginx exited with {proc.returncode}: {proc.stderr.read()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail("nginx did not start listening within 20 s")


# nginx with the production config on a free port; yields (port, workdir).
@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail(f"nginx not found at {NGINX}: run 'make test' (it installs it) or set NGINX")
    port = _free_port()
    workdir = tmp_path_factory.mktemp("nginx")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tpguide.deploy", "preview", "--site", str(built / "site"),
         "--csp", str(built / deploy.DEFAULT_DEPLOY_DIR / deploy.CSP_CONF_NAME), "--workdir", str(workdir),
         "--port", str(port), "--nginx", NGINX],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        _wait_for_port(port, proc)
        yield port, workdir
    finally:
        os.kill(proc.pid, signal.SIGQUIT)  # graceful shutdown of the nginx master, by PID
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


def fetch(port: int, path: str, *, gzip_ok: bool = True):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.getheader("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return response, body.decode("utf-8", errors="replace")


def expected_headers(built) -> dict[str, str]:
    site = built / "site"
    hashes = set().union(*(security.inline_script_hashes(p.read_text()) for p in site.rglob("*.html")))
    return security.security_headers(hashes)


def assert_security_headers(response, built):
    for name, value in expected_headers(built).items():
        assert response.getheader(name) == value, name


def asset(built, pattern: str) -> str:
    found = sorted((built / "site").glob(pattern))
    assert len(found) == 1, pattern
    return "/" + found[0].relative_to(built / "site").as_posix()


def test_preview_uses_the_committed_config(server, built):
    port, workdir = server
    preview = (workdir / "server.conf").read_text()
    committed = (ROOT / "deploy" / "nginx.conf").read_text()
    replaced = (committed.replace(f"root {deploy.CONTAINER_ROOT};", f"root {(built / 'site').resolve()};")
                .replace(f"listen {deploy.CONTAINER_LISTEN};", f"listen 127.0.0.1:{port};")
                .replace(f"include {deploy.CONTAINER_CSP_CONF};",
                         f"include {(built / deploy.DEFAULT_DEPLOY_DIR / deploy.CSP_CONF_NAME).resolve()};"))
    assert preview == replaced


@pytest.mark.parametrize("path", ["/", "/sub/page/"])
def test_html_page_headers(server, built, path):
    response, body = fetch(server[0], path)
    assert response.status == 200
    assert_security_headers(response, built)
    assert response.getheader("Cache-Control") == deploy.REVALIDATE
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Content-Encoding") == "gzip"
    # The header policy is the meta policy plus what only a header can carry.
    meta = security.csp_meta_policy(body)
    assert response.getheader("Content-Security-Policy") == meta + "; frame-ancestors 'none'"


@pytest.mark.parametrize("pattern,content_type", [
    ("assets/stylesheets/site.*.css", "text/css"),
    ("assets/javascripts/site.*.js", "application/javascript"),
    ("assets/javascripts/bundle.*.min.js", "application/javascript"),
])
def test_fingerprinted_asset_headers(server, built, pattern, content_type):
    response, _ = fetch(server[0], asset(built, pattern))
    assert response.status == 200
    assert_security_headers(response, built)
    assert response.getheader("Cache-Control") == deploy.IMMUTABLE
    assert response.getheader("Content-Type").split(";")[0] == content_type
    assert response.getheader("Content-Encoding") == "gzip"


def test_unfingerprinted_file_is_revalidated(server, built):
    response, _ = fetch(server[0], "/search/search_index.json")
    assert response.status == 200
    assert response.getheader("Cache-Control") == deploy.REVALIDATE


@pytest.mark.parametrize("path", ["/no-such-page/", "/assets/", "/assets/javascripts/", "/_headers", "/.git/config"])
def test_not_found_is_the_404_page_never_a_listing(server, built, path):
    response, body = fetch(server[0], path)
    assert response.status == 404
    assert "<h1>404 - Not found</h1>" in body
    assert "Index of" not in body
    assert_security_headers(response, built)
    assert response.getheader("Cache-Control") == deploy.REVALIDATE


def test_directory_without_trailing_slash_redirects(server, built):
    response, _ = fetch(server[0], "/sub/page")
    assert response.status == 301
    assert response.getheader("Location") == "/sub/page/"
    assert_security_headers(response, built)


def test_robots_and_sitemap_are_served(server):
    response, body = fetch(server[0], "/robots.txt")
    assert response.status == 200 and "Sitemap: " in body
    response, body = fetch(server[0], "/sitemap.xml")
    assert response.status == 200 and "<lastmod>2026-01-10</lastmod>" in body


def test_no_third_party_origin_in_the_policy(built):
    # Nothing leaves the site: e.g. Material's repo_url widget (api.github.com) would be blocked,
    # and the browser test below would then fail on the console error.
    policy = expected_headers(built)["Content-Security-Policy"]
    assert "github" not in policy and "https:" not in policy


# ---------------------------------------------------------------------------
# Chromium: no console error under the policy (header + meta, and meta only)
# ---------------------------------------------------------------------------


# The built site from a plain static server (meta policy only), for comparison with nginx.
@pytest.fixture(scope="module")
def static_server(built):
    with audit.serve(built / "site") as url:
        yield urlsplit(url).port


@pytest.mark.e2e
@pytest.mark.parametrize("host", ["nginx", "static"])
def test_pages_work_under_the_policy_in_chromium(host, server, static_server, browser):
    port = server[0] if host == "nginx" else static_server
    base = f"http://127.0.0.1:{port}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        # Deep page first (its own __md_scope script), then instant navigation to the home page.
        assert page.goto(base + "sub/page/", wait_until="networkidle").status == 200
        assert page.evaluate("typeof __md_scope") == "object", "Material's inline head script ran"
        page.get_by_role("link", name="home", exact=True).click()
        page.wait_for_url(base)
        page.wait_for_load_state("networkidle")
        # Material closes search 125 ms after every navigation; an instant navigation leaves the
        # load states reached, so wait until that close has passed before opening search below.
        page.wait_for_timeout(400)
        # Palette toggle (our inline script) and tabs (Material's), then the search worker.
        page.locator("form[data-tpg-palette] label:visible").first.click()
        page.locator(".tabbed-labels label").nth(1).click()
        assert page.locator(".tabbed-set input").nth(1).is_checked()
        page.keyboard.press("/")
        page.locator("input.md-search__input").press_sequentially("second tab", delay=50)
        page.locator(".md-search-result__item").first.wait_for(timeout=15000)
        page.reload(wait_until="networkidle")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") in ("default", "slate")
        assert errors == []
    finally:
        context.close()
