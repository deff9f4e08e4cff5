"""The real site on each engine (issue 24).

- ProperDocs (the default) and MkDocs 1.6.1 build the same site, file for file and byte for byte,
  except the generator meta tag that names the engine.
- Zensical (prepare, build, finish) builds the same pages and files, with the same citations,
  findings, harms, warning signs, charts and page furniture on every page, under the same CSP.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
from pathlib import Path

import pytest

from support import ROOT
from tpguide import engines

MKDOCS_FAMILY = ("properdocs", "mkdocs")  # one code base: their sites are byte-identical
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _generators(site: Path) -> set[bytes]:
    return {m.group(0) for p in site.rglob("*.html") for m in GENERATOR.finditer(p.read_bytes())}


@pytest.mark.slow
def test_every_engine_builds_the_same_site(built_site, site_port, tmp_path):
    chosen = engines.chosen()
    if chosen not in MKDOCS_FAMILY:
        pytest.skip(f"the site was built on {chosen}; this compares MkDocs and ProperDocs")
    others = [e for e in MKDOCS_FAMILY if e != chosen]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TPG_SITE_URL": f"http://127.0.0.1:{site_port}/"}
    ours = _files(built_site)
    for engine in others:
        site = tmp_path / engine
        result = subprocess.run(engines.command("build", "--strict", "-d", str(site), engine=engine), cwd=ROOT,
                                capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, result.stderr[-4000:]
        theirs = _files(site)
        assert sorted(theirs) == sorted(ours), (
            f"{engine}: pages only here {sorted(set(theirs) - set(ours))[:10]}, "
            f"only on {chosen} {sorted(set(ours) - set(theirs))[:10]}")
        differ = [name for name, path in ours.items()
                  if GENERATOR.sub(b"", path.read_bytes()) != GENERATOR.sub(b"", theirs[name].read_bytes())]
        assert differ == [], f"{engine} and {chosen} differ in {len(differ)} files, e.g. {differ[:5]}"
        # the one difference: each names its engine
        assert any(b"ProperDocs" in g for g in _generators(site if engine == "properdocs" else built_site))
        assert _generators(site) != _generators(built_site)


# ---------------------------------------------------------------------------
# Zensical: prepare, build, finish (tpguide.zensical), against the default engine's site
# ---------------------------------------------------------------------------

_CODE_RE = re.compile(r"<(code|pre|script)\b.*?</\1>", re.S | re.I)
_MARKS = {
    "citation footnotes": re.compile(r'class="footnote-ref"'),
    "reference-list entries": re.compile(r'<li id="fn:'),
    "findings": re.compile(r'data-finding="([^"]+)" data-certainty="([^"]+)"'),
    "harms": re.compile(r'data-harm="([^"]+)"'),
    "warning signs": re.compile(r'data-red-flag="([^"]+)" data-urgency="([^"]+)"'),
    "charts": re.compile(r'data-tpg-chart="([^"]+)"'),
    # what the templates show, compared as written (text, dates, links)
    "review box": re.compile(r'<section class="tpg-review-box".*?</section>', re.S),
    "key messages": re.compile(r'<div class="admonition abstract tpg-key-messages">.*?</div>', re.S),
    "cite this page": re.compile(r'<details class="tpg-cite" id="cite-this-page">.*?</details>', re.S),
    "page history": re.compile(r'<details class="tpg-history" id="page-history">.*?</details>', re.S),
    "review line": re.compile(r'<span class="tpg-review__item">.*?</span>', re.S),
    "citation metadata": re.compile(r'<meta name="citation_[^>]*>|<script type="application/ld\+json">.*?</script>', re.S),
    "link previews": re.compile(r'<meta property="og:[^>]*>'),
    "feed links": re.compile(r'<link rel="alternate"[^>]*>'),
    "backlinks": re.compile(r'class="tpg-backlinks"[^>]*>(?:(?!</div>).)+</div>', re.S),
    "where cited": re.compile(r'<div class="tpg-where-cited">.*?</div>\s*</div>', re.S),
}
# What the engines do differently, on purpose (README, "Engines"): each brings its own theme
# files and search index; Material's tags export (tags.json) and search-on-demand.js are
# Material's features.
_ENGINE_OWN = re.compile(r"^(assets/(javascripts/(bundle|workers/|lunr/|LICENSE)|stylesheets/(classic/|modern/|main\.|palette\.))"
                         r"|search/|search\.json$|redirect\.json$|tags\.json$|assets/javascripts/search-on-demand)")


# Compared as text: minijinja's escape filter (Zensical) writes "/" as &#x2f; and '"' as &quot;
# where Jinja2's writes / and &#34;, the same characters to a browser; and the templates' blank
# lines differ.
def _marks(page_html: str) -> dict[str, list]:
    return {name: sorted(re.sub(r"\s+", " ", html.unescape(str(m))) for m in pattern.findall(page_html))
            for name, pattern in _MARKS.items()}


def _left_markers(html: str) -> list[str]:
    text = _CODE_RE.sub("", html)
    return re.findall(r"\[@[A-Za-z0-9][\w:.-]*|\[\[[^\]\n]{0,40}", text)


@pytest.fixture(scope="module")
def zensical_site(site_port, tmp_path_factory):
    if engines.chosen() not in MKDOCS_FAMILY:
        pytest.skip("the site was built on Zensical: nothing to compare it with")
    work = tmp_path_factory.mktemp("zensical")
    site = work / "site-out"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TPG_SITE_URL": f"http://127.0.0.1:{site_port}/"}
    result = subprocess.run(engines.command("build", "--strict", "--workdir", str(work / "prepared"), "-d", str(site),
                                            engine="zensical"),
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    return site


@pytest.mark.slow
def test_zensical_builds_the_same_pages(built_site, zensical_site):
    ours, theirs = _files(built_site), _files(zensical_site)
    pages = sorted(n for n in ours if n.endswith(".html"))
    assert sorted(n for n in theirs if n.endswith(".html")) == pages
    assert len(pages) > 60
    # every other file too (open data, feeds, chart CSVs, robots.txt, _headers, sitemap), except
    # the files each engine brings for its own theme and search
    missing = sorted(n for n in set(ours) - set(theirs) if not _ENGINE_OWN.match(_unfingerprinted(n)))
    assert missing == []
    extra = sorted(n for n in set(theirs) - set(ours) if not _ENGINE_OWN.match(_unfingerprinted(n)))
    assert extra == []
    # the data files are the same, byte for byte: open data, feeds, chart CSVs, sitemap, robots.txt
    data = [n for n in ours if n in theirs and not n.endswith(".html") and not _ENGINE_OWN.match(_unfingerprinted(n))
            and n != "_headers" and not re.search(r"\.[0-9a-f]{8}\.", n)]
    assert len(data) > 50 and "sitemap.xml" in data and "feed-news.atom.xml" in data
    differ = [n for n in data if ours[n].read_bytes() != theirs[n].read_bytes()]
    assert differ == []


def _unfingerprinted(name: str) -> str:
    return re.sub(r"\.[0-9a-f]{8}(?=\.)", "", name)


@pytest.mark.slow
def test_zensical_pages_carry_the_same_evidence_citations_and_page_furniture(built_site, zensical_site):
    differ = {}
    for name in sorted(n for n in _files(built_site) if n.endswith(".html")):
        ours = _marks((built_site / name).read_text(encoding="utf-8"))
        theirs = _marks((zensical_site / name).read_text(encoding="utf-8"))
        for kind in _MARKS:
            if ours[kind] != theirs[kind]:
                differ.setdefault(name, []).append(f"{kind}: {len(ours[kind])} vs {len(theirs[kind])}")
    assert differ == {}
    # and there is something to compare
    article = _marks((zensical_site / "treatments" / "dry-needling" / "index.html").read_text(encoding="utf-8"))
    assert article["findings"] and article["harms"] and article["warning signs"] and article["citation footnotes"]


@pytest.mark.slow
def test_zensical_site_has_no_raw_markers_and_is_locked_down(built_site, zensical_site):
    def left_in(site: Path) -> dict[str, list[str]]:
        found = {}
        for path in sorted(site.rglob("*.html")):
            marks = _left_markers(path.read_text(encoding="utf-8"))
            if marks:
                found[path.relative_to(site).as_posix()] = marks
        return found

    for path in zensical_site.rglob("*.html"):
        assert 'http-equiv="Content-Security-Policy"' in path.read_text(encoding="utf-8"), path
    # only the editor guide shows the syntax itself (in a key message, which is plain text)
    assert left_in(zensical_site) == left_in(built_site)
    assert set(left_in(built_site)) <= {"contributing/editor-guide/index.html"}
    headers = (zensical_site / "_headers").read_text(encoding="utf-8")
    assert "Content-Security-Policy: default-src 'self'" in headers and "immutable" in headers
    # our own stylesheets and scripts are fingerprinted, and pages point at the new names
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'assets/stylesheets/site\.[0-9a-f]{8}\.css', home)
    assert not (zensical_site / "assets" / "stylesheets" / "site.css").exists()
