"""`make bench`: build time and page weight, as numbers (a script, not a timed test).

1. Citation machinery: a generated site of 300 pages x 10 citations against a bib of 1,000
   entries, built with our hooks + mkdocs-bibtex, against the same pages written with plain
   footnotes and no citation machinery. Also the same pages against a bib of only the cited
   entries, to show the cost follows citations, not bib size.
2. The real site: strict build time, and the gzip weight of what a browser fetches on the home
   page, an article and any chart page (measured in system Chromium when available).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path.cwd()
PAGES = 300
CITES_PER_PAGE = 10
BIB_SIZE = 1000

_BUILD_SNIPPET = """
import sys, time, logging
from mkdocs.config import load_config
from mkdocs.commands.build import build
logging.getLogger("mkdocs").setLevel(logging.ERROR)
cfg = load_config(config_file=sys.argv[1], strict=True)
cfg.plugins.on_startup(command="build", dirty=False)
t = time.perf_counter()
try:
    build(cfg)
finally:
    cfg.plugins.on_shutdown()
print(time.perf_counter() - t)
"""


# ---------------------------------------------------------------------------
# Generated sites
# ---------------------------------------------------------------------------


def _entry(i: int) -> str:
    return (
        f"@article{{gen{i:04d}key,\n  author = {{Author{i}, Anna and Second, Bob and Third, Cy}},\n"
        f"  title = {{Generated study number {i} of muscle pain}},\n  journal = {{Journal of Benchmarks}},\n"
        f"  year = {{2020}},\n  volume = {{{i % 50 + 1}}},\n  pages = {{1--10}},\n  doi = {{10.1000/bench.{i}}}\n}}\n"
    )


def _front_matter(n: int) -> str:
    return (
        f"---\ntitle: Page {n}\ndescription: Generated page {n}.\naudience: general\nauthors: [Bench]\n"
        "reviewer: Bench\nlast_reviewed: 2026-01-01\nnext_review: 2027-01-01\n"
        "key_messages: [One., Two.]\n---\n\n"
    )


def _paragraphs(keys: list[str], cite) -> str:
    out = []
    for i, key in enumerate(keys):
        out.append(f"## Section {i}\n\nMuscle knots are described in many studies, with mixed results {cite(key)}.\n")
    return "\n".join(out)


# Write docs/ and bib/ of the benchmark; returns the cited keys per page.
def _generate(root: Path, *, citations: bool, bib_keys: list[str] | None) -> None:
    rng = random.Random(42)
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "bib").mkdir()
    all_keys = [f"gen{i:04d}key" for i in range(BIB_SIZE)]
    cited: set[str] = set()
    for n in range(PAGES):
        keys = rng.sample(all_keys, CITES_PER_PAGE)
        cited.update(keys)
        if citations:
            body = _paragraphs(keys, lambda k: f"[@{k}]")
        else:
            body = _paragraphs(keys, lambda k: f"[^{k}]")
            body += "\n## References\n\n///Footnotes Go Here///\n\n"
            body += "\n".join(
                f"[^{k}]: Author{int(k[3:7])} A, Second B, Third C. Generated study number {int(k[3:7])} of muscle pain. "
                f"*Journal of Benchmarks. 2020;1:1–10*. [doi:10.1000/bench.{int(k[3:7])}](https://doi.org/10.1000/bench.{int(k[3:7])})"
                for k in keys
            )
        (docs / f"page-{n:03d}.md").write_text(_front_matter(n) + body + "\n", encoding="utf-8")
    (docs / "index.md").write_text(_front_matter(999) + "Home.\n", encoding="utf-8")
    wanted = bib_keys if bib_keys is not None else all_keys
    if bib_keys == []:
        wanted = sorted(cited)
    if not citations:
        wanted = all_keys[:1]  # our hooks need one bib file; the plain pages cite nothing
    (root / "bib" / "gen.bib").write_text("\n".join(_entry(int(k[3:7])) for k in wanted), encoding="utf-8")


# The project's mkdocs.yml pointed at a generated docs/. Both variants keep every other hook
# (charts, deploy, templates), so the ratio isolates the citation machinery; the plain variant
# drops mkdocs-bibtex and cites nothing (its pages carry hand-written footnotes instead).
def _config(root: Path, *, ours: bool) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^nav:.*?(?=^\S|\Z)", "", text)
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("!relative $config_dir/includes", str(ROOT / "includes"))
    text = re.sub(r"(?m)^  - hooks/", f"  - {ROOT}/hooks/", text)
    if not ours:
        text = re.sub(r"(?m)^  - bibtex:\n(?:      .*\n)+", "", text)
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets", dirs_exist_ok=True)
    path = root / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _timed_build(config: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-c", _BUILD_SNIPPET, str(config)], capture_output=True, text=True,
                            env=env, cwd=config.parent)
    if result.returncode != 0:
        raise SystemExit(f"benchmark build failed:\n{result.stderr[-3000:]}")
    return float(result.stdout.strip().splitlines()[-1])


def bench_citations() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        runs = {}
        for name, citations, bib in (("ours", True, None), ("ours_small_bib", True, []), ("plain", False, None)):
            root = tmp / name
            _generate(root, citations=citations, bib_keys=bib)
            runs[name] = _timed_build(_config(root, ours=citations))
    return runs


# ---------------------------------------------------------------------------
# The real site
# ---------------------------------------------------------------------------


def bench_site() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        elapsed = _build(ROOT / "mkdocs.yml", site)
        pages = {"home": "", "article": "what-are-trigger-points/"}
        for path in sorted(site.rglob("index.html")):
            if "data-tpg-chart" in path.read_text(encoding="utf-8"):
                pages["chart page"] = str(path.parent.relative_to(site)) + "/"
                break
        weights = {name: page_weight(site, url) for name, url in pages.items()}
        if "chart page" in pages:
            weights["chart page, no scroll"] = page_weight(site, pages["chart page"], draw_charts=False)
        stock_site = Path(tmp) / "stock-site"
        stock_elapsed = _build(_stock_config(Path(tmp) / "stock"), stock_site)
        stock_weights = {name: page_weight(stock_site, url) for name, url in pages.items()}
    return {"build_seconds": elapsed, "weights": weights, "stock_build_seconds": stock_elapsed,
            "stock_weights": stock_weights}


# A stock Material build of the same docs: no hooks, no citation machinery, no custom templates.
def _stock_config(root: Path) -> Path:
    shutil.copytree(ROOT / "docs", root / "docs")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^hooks:\n(?:  - .*\n)+", "", text)
    text = re.sub(r"(?ms)^plugins:\n.*?(?=^\S)", "plugins:\n  - search\n\n", text)
    text = re.sub(r"(?m)^extra_(css|javascript):\n(?:  .*\n)+", "", text)
    text = re.sub(r"(?m)^  custom_dir: overrides\n", "", text)
    text = text.replace("!relative $config_dir/includes", str(ROOT / "includes"))
    text = re.sub(r"(?m)^  - references.md\n|^      - references.md\n", "", text)
    path = root / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(config: Path, site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
                            cwd=config.parent, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stderr[-3000:]}")
    return elapsed


# Gzip bytes of everything a browser fetches for one page (Chromium), or of its static references.
# draw_charts: scroll every chart into view first, so the lazily loaded Plotly bundle counts.
def page_weight(site: Path, url: str, *, draw_charts: bool = True) -> dict:
    fetched = _fetched_in_chromium(site, url, draw_charts=draw_charts)
    method = "chromium"
    if fetched is None:
        method = "static"
        fetched = [url + "index.html"] + _static_refs(site, url)
    total = 0
    for rel in fetched:
        path = site / rel
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            total += len(gzip.compress(path.read_bytes(), 9))
    return {"requests": len(fetched), "gzip_bytes": total, "method": method}


def _static_refs(site: Path, url: str) -> list[str]:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    base = site / url
    return [str((base / r).resolve().relative_to(site.resolve())) for r in refs if not r.startswith("http")]


def _fetched_in_chromium(site: Path, url: str, *, draw_charts: bool = True) -> list[str] | None:
    from . import audit

    if not Path(audit.CHROMIUM).exists():
        return None
    seen: list[str] = []
    with audit.serve(site) as base, audit.chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 740})
        page.on("request", lambda r: r.url.startswith(base) and seen.append(r.url[len(base):].split("#")[0].split("?")[0]))
        page.goto(base + url, wait_until="networkidle")
        # bring every chart into view so the lazily loaded Plotly bundle is counted
        if draw_charts:
            page.evaluate("document.querySelectorAll('[data-tpg-chart]').forEach(e => e.scrollIntoView())")
        if draw_charts and page.locator("[data-tpg-chart]").count():
            page.locator(".js-plotly-plot").first.wait_for(timeout=15000)
        page.wait_for_load_state("networkidle")
    return list(dict.fromkeys(seen))


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def main() -> None:
    runs = bench_citations()
    ratio = runs["ours"] / runs["plain"]
    print(f"Citation machinery ({PAGES} pages x {CITES_PER_PAGE} citations, bib of {BIB_SIZE} entries):")
    print(f"  with tpguide citations + mkdocs-bibtex : {runs['ours']:.2f} s")
    print(f"  same pages, only the cited entries in bib : {runs['ours_small_bib']:.2f} s")
    print(f"  same pages with plain footnotes        : {runs['plain']:.2f} s")
    print(f"  ratio (ours / plain footnotes)         : {ratio:.2f}x  (target <= 1.50x)")
    site = bench_site()
    print("Real site vs a stock Material build of the same docs (whole `mkdocs build`, incl. start-up):")
    print(f"  build time   ours {site['build_seconds']:.2f} s   stock {site['stock_build_seconds']:.2f} s")
    for name, w in site["weights"].items():
        stock = site["stock_weights"].get(name.replace(", no scroll", ""))
        line = f"  {name:<22} ours {w['requests']:>3} requests {w['gzip_bytes']:>8,} B gzip"
        if stock and name in site["stock_weights"]:
            line += f"   stock {stock['requests']:>3} requests {stock['gzip_bytes']:>8,} B gzip"
        print(line + f" ({w['method']})")
    print("  (chart page: with every chart scrolled into view, so the lazily loaded Plotly bundle counts;"
          " 'no scroll': the first load as a reader lands on the page)")
    try:
        from . import charts  # noqa: F401

        figures = charts.byte_figures() if hasattr(charts, "byte_figures") else None
    except ImportError:
        figures = None
    if figures:
        print("Charts:")
        for name, value in figures.items():
            print(f"  {name}: {value}")
    if "--json" in sys.argv:
        print(json.dumps({"citations": runs, "ratio": ratio, "site": site}, default=str))


if __name__ == "__main__":
    main()
