"""A fixture site built through the real mkdocs.yml and hooks: what hooks/deploy.py leaves in site/."""

import gzip
import hashlib
import re

import pytest
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from support import ROOT, article, make_site
from tpguide import deploy, security

TABS = """
Text [@smith2020knots].

=== "One"

    First tab.

=== "Two"

    Second tab.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("deploy"), {
        "index.md": article("Home", TABS),
        "sub/page.md": article("Sub page", "Text [back](../index.md).\n").replace(
            "last_reviewed: 2026-01-10", "last_reviewed: 2025-11-02"),
    })
    result = site.build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    return site


@pytest.fixture(scope="module")
def site_url(site) -> str:
    return load_config(str(site.config)).site_url


def html_files(site):
    return sorted(site.site_dir.rglob("*.html"))


def test_every_page_has_the_same_csp_meta_first_in_head(site):
    hashes = set().union(*(security.inline_script_hashes(p.read_text()) for p in html_files(site)))
    expected = security.content_security_policy(hashes, for_meta=True)
    assert len(hashes) >= 6, "Material's scope (one per folder depth) and tabbed scripts; our head, palette and URL scripts"
    for path in html_files(site):
        text = path.read_text()
        assert security.csp_meta_policy(text) == expected, path
        head = text.split("</head>")[0]
        assert head.count("Content-Security-Policy") == 1
        assert head.index("Content-Security-Policy") < head.index("<script"), path


def test_every_inline_script_is_allowed_by_hash(site):
    for path in html_files(site):
        text = path.read_text()
        allowed = set(re.findall(r"'(sha256-[^']+)'", security.csp_meta_policy(text)))
        assert security.inline_script_hashes(text) <= allowed, path


def test_headers_file_has_the_meta_policy_plus_frame_ancestors(site):
    meta = security.csp_meta_policy(site.html())
    headers = (site.site_dir / "_headers").read_text()
    assert f"  Content-Security-Policy: {meta}; frame-ancestors 'none'\n" in headers
    for name, value in security.STATIC_HEADERS.items():
        assert f"  {name}: {value}\n" in headers
    for uri in deploy.fingerprinted_files(site.site_dir):
        assert f"/{uri}\n  Cache-Control: {deploy.IMMUTABLE}\n" in headers


def test_nginx_configs_are_written_to_the_build_dir(site):
    out = site.root / deploy.DEFAULT_DEPLOY_DIR
    meta = security.csp_meta_policy(site.html())
    csp = (out / deploy.CSP_CONF_NAME).read_text()
    assert f"default \"{meta}; frame-ancestors 'none'\";" in csp
    assert (out / deploy.NGINX_CONF_NAME).read_text() == (ROOT / "deploy" / "nginx.conf").read_text()


def test_our_assets_are_fingerprinted_and_references_rewritten(site):
    assets = site.site_dir / "assets"
    assert not (assets / "stylesheets" / "site.css").exists()
    assert not (assets / "javascripts" / "site.js").exists()
    css = list((assets / "stylesheets").glob("site.*.css"))
    js = list((assets / "javascripts").glob("site.*.js"))
    assert len(css) == 1 and len(js) == 1
    for path in css + js:
        assert path.name.split(".")[1] == hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    pages = {"index.html": "", "sub/page/index.html": "../../", "404.html": "/"}
    for page, prefix in pages.items():
        soup = BeautifulSoup((site.site_dir / page).read_text(), "html.parser")
        styles = [link["href"] for link in soup.select("link[rel=stylesheet]")]
        scripts = [s["src"] for s in soup.select("script[src]")]
        assert f"{prefix}assets/stylesheets/{css[0].name}" in styles, page
        assert f"{prefix}assets/javascripts/{js[0].name}" in scripts, page
        # Material's own fingerprinted files keep their names.
        assert any(re.fullmatch(rf"{re.escape(prefix)}assets/javascripts/bundle\.[0-9a-f]{{8}}\.min\.js", s) for s in scripts)
        for ref in styles + scripts:
            target = ref.removeprefix("/") if ref.startswith("/") else ref.replace(prefix, "", 1)
            assert (site.site_dir / target).is_file(), (page, ref)


def test_sitemap_lastmod_is_the_review_date(site, site_url):
    xml = (site.site_dir / "sitemap.xml").read_text()
    found = re.findall(r"<loc>([^<]+)</loc>(?:\s*<lastmod>([^<]+)</lastmod>)?", xml)
    entries = dict(found)
    assert len(entries) == len(found), "each page once"
    assert entries[site_url] == "2026-01-10"
    assert entries[f"{site_url}sub/page/"] == "2025-11-02"
    assert entries[f"{site_url}references/"] == ""  # generated page: no review date, no lastmod
    for loc in entries:  # every entry is a built page
        assert (site.site_dir / loc.removeprefix(site_url) / "index.html").is_file(), loc
    assert gzip.decompress((site.site_dir / "sitemap.xml.gz").read_bytes()).decode() == xml


def test_robots_txt_points_to_the_sitemap(site, site_url):
    robots = (site.site_dir / "robots.txt").read_text()
    assert robots.splitlines()[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {site_url}sitemap.xml" in robots.splitlines()


def test_every_page_has_its_canonical_url(site, site_url):
    for page, url in {"index.html": "", "sub/page/index.html": "sub/page/", "references/index.html": "references/"}.items():
        soup = BeautifulSoup((site.site_dir / page).read_text(), "html.parser")
        assert [link["href"] for link in soup.select("link[rel=canonical]")] == [site_url + url]


# hooks/loading.py and the template overrides: every external script is deferred (also in
# 404.html), <html> is switched to "js" in <head> before any stylesheet is applied to <body>,
# and <body> starts in the site's colours (the automatic palette entry has them too).
def test_scripts_deferred_and_page_starts_in_final_classes_and_colours(site):
    for path in html_files(site):
        soup = BeautifulSoup(path.read_text(), "html.parser")
        external = soup.select("script[src]")
        if not external:
            continue  # redirect stubs
        assert all(tag.has_attr("defer") for tag in external), path
        head_scripts = " ".join(s.get_text() for s in soup.head.select("script:not([src])"))
        assert 'classList.replace("no-js","js")' in head_scripts, path
        assert soup.body["data-md-color-primary"] == "teal", path
        assert soup.body["data-md-color-accent"] == "deep-orange", path
    assert (site.site_dir / "404.html").read_text().count(" defer>") == 5


# overrides/main.html and the palette partials, on every page (404.html too): the palette toggle
# is ours (Material's component marker is gone, our script follows the form), and the end of
# <body> runs the early URL resolve, then search-on-demand.js and first-layout.js, then
# Material's bundle.
def test_palette_and_start_up_scripts_in_order(site):
    for path in html_files(site):
        text = path.read_text()
        if "<script src=" not in text:
            continue  # redirect stubs
        soup = BeautifulSoup(text, "html.parser")
        assert not soup.select('[data-md-component="palette"]'), path
        (form,) = soup.select("form[data-tpg-palette]")
        assert form.find_next_sibling("script").get_text().lstrip().startswith("(function () {"), path
        tail = [s.get("src", "inline:" + s.get_text()[:60]) for s in soup.body.find_all("script", recursive=False)][-6:]
        assert tail[0].startswith('inline:(function(){if(location.protocol==="file:")'), (path, tail)
        assert re.search(r"assets/javascripts/search-on-demand\.[0-9a-f]{8}\.js$", tail[1]), (path, tail)
        assert re.search(r"assets/javascripts/first-layout\.[0-9a-f]{8}\.js$", tail[2]), (path, tail)
        assert re.search(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js$", tail[3]), (path, tail)
