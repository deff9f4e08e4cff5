"""`make bench`: build time and page weight, as numbers next to their targets (a script, not a
timed test). Exit status 1 when a target is missed.

1. Citation machinery: a generated site of 300 pages x 10 citations against a bib of 1,000
   entries, built with our hooks, against the same pages written with plain footnotes (no
   citation), and against the same pages with only the cited entries in bib/ (the cost must follow
   the citations, not the size of bib/). Same machine, same pages; the three builds are
   interleaved, round after round (each round starting with a different one), after one untimed
   warm-up build, and each figure is the median of its rounds, in CPU seconds (wall-clock
   seconds are shown too, but on a shared machine they mostly measure the other work).
2. The real site: strict build time (median of interleaved rounds), and the gzip weight of what a browser fetches on the home
   page, an article and a chart page (measured in system Chromium when available), against a
   stock Material build of the same docs; and how often a page load asks for the same URL twice.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import engines

ROOT = Path.cwd()
PAGES = 300
CITES_PER_PAGE = 10
BIB_SIZE = 1000
ROUNDS = 5

# Targets (issue #18). Page weights in bytes of gzip transfer (1 KB = 1,000 B).
MAX_CITATION_RATIO = 1.30  # ours / plain footnotes
MAX_BIB_SIZE_RATIO = 1.10  # 1,000-entry bib / only the cited entries
MAX_CHART_PAGE_DRAWN = 440_000  # chart page with every chart drawn
MAX_CHART_PAGE_FIRST = 150_000  # chart page as it first loads, before any chart is drawn
TEXT_PAGES = ("home", "article")  # each no heavier than the stock build's same page
MAX_FETCHES_PER_URL = 1  # per page load
MAX_BUILD_RATIO = 2.5  # issue 24: the real site's whole build (CPU seconds) / a stock build of the same docs

# One build in a fresh process; prints the wall-clock and CPU seconds of build() (CPU: this
# process and the processes it waited for, such as git). The targets are judged on CPU time: on
# a machine shared with other work, waiting for a core says nothing about the build.
# Under ProperDocs, ``properdocs.replacement`` first answers every ``mkdocs.*`` import with
# ProperDocs' module, as its own command line does.
_BUILD_SNIPPET = """
import logging, os, sys, time
if os.environ["TPG_ENGINE"] == "properdocs":
    import properdocs.replacement
from mkdocs.config import load_config
from mkdocs.commands.build import build
logging.getLogger("mkdocs").setLevel(logging.ERROR)
cfg = load_config(config_file=sys.argv[1], strict=True)
cfg.plugins.on_startup(command="build", dirty=False)
cpu = lambda: sum(os.times()[:4])
wall, start = time.perf_counter(), cpu()
try:
    build(cfg)
finally:
    cfg.plugins.on_shutdown()
print(time.perf_counter() - wall, cpu() - start)
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


# Write docs/ and bib/ of one variant: the same 300 pages (same random keys), cited with [@key]
# or with hand-written footnotes; bib/ holds every entry ("all"), the cited ones ("cited"), or one
# ("one": our hooks need a bib file; plain pages cite nothing). Returns the number of bib entries.
def _generate(root: Path, *, citations: bool, bib: str) -> int:
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
    wanted = {"all": all_keys, "cited": sorted(cited), "one": all_keys[:1]}[bib]
    (root / "bib" / "gen.bib").write_text("\n".join(_entry(int(k[3:7])) for k in wanted), encoding="utf-8")
    return len(wanted)


# The project's mkdocs.yml pointed at a generated docs/. Every variant keeps every hook (charts,
# deploy, templates), so the ratios isolate the citation machinery.
def _config(root: Path) -> Path:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^nav:.*?(?=^\S|\Z)", "", text)
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("!relative $config_dir/includes", str(ROOT / "includes"))
    text = re.sub(r"(?m)^  - hooks/", f"  - {ROOT}/hooks/", text)
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets", dirs_exist_ok=True)
    path = root / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


# (wall-clock seconds, CPU seconds) of one build.
def _timed_build(config: Path) -> tuple[float, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TPG_CACHE_DIR": str(config.parent.parent / "cache"),
           engines.ENV: engines.chosen()}
    result = subprocess.run([sys.executable, "-c", _BUILD_SNIPPET, str(config)], capture_output=True, text=True,
                            env=env, cwd=config.parent)
    if result.returncode != 0:
        raise SystemExit(f"benchmark build failed:\n{result.stderr[-3000:]}")
    wall, cpu = result.stdout.strip().splitlines()[-1].split()
    return float(wall), float(cpu)


# Variant name -> (uses [@key] citations, bib contents).
VARIANTS = {"ours": (True, "all"), "ours_small_bib": (True, "cited"), "plain": (False, "one")}


# Median CPU and wall-clock seconds of each variant over `rounds` interleaved rounds, plus every run.
def bench_citations(rounds: int = ROUNDS) -> dict:
    names = list(VARIANTS)
    with tempfile.TemporaryDirectory() as tmp:
        configs, entries = {}, {}
        for name, (citations, bib) in VARIANTS.items():
            root = Path(tmp) / name
            entries[name] = _generate(root, citations=citations, bib=bib)
            configs[name] = _config(root)
        # First build, with an empty cache of formatted references (tpguide.csl): what a fresh clone
        # pays once. Shown, not judged; it also warms the caches for the rounds, as an editor's
        # second build (or mkdocs serve) finds them.
        cold = _timed_build(configs["ours"])
        _timed_build(configs[names[-1]])  # warm-up: the first build after a while pays for cold caches
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
        for r in range(rounds):
            for name in names[r % len(names):] + names[: r % len(names)]:
                runs[name].append(_timed_build(configs[name]))
    return {"seconds": {name: statistics.median(cpu for _wall, cpu in times) for name, times in runs.items()},
            "wall_seconds": {name: statistics.median(wall for wall, _cpu in times) for name, times in runs.items()},
            "runs": runs, "bib_entries": entries, "cold_seconds": cold[1], "cold_wall_seconds": cold[0]}


# ---------------------------------------------------------------------------
# The real site
# ---------------------------------------------------------------------------


# Whole builds of the real site (with empty caches, and with warm ones) and of the stock one,
# interleaved (each round in a rotated order): one build takes a few seconds, and this machine's
# speed drifts by 10-20% over a minute, so each build time is the median of its rounds.
SITE_ROUNDS = 3


def bench_site(rounds: int = SITE_ROUNDS) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        stock_config = _stock_config(Path(tmp) / "stock")
        times: dict[str, list[tuple[float, float]]] = {"ours": [], "stock": [], "warm": []}
        configs = {"ours": ROOT / "mkdocs.yml", "stock": stock_config, "warm": ROOT / "mkdocs.yml"}
        # "warm": ours again with the caches a build keeps already made, as for an editor's next
        # build; shown beside the judged figure (a fresh clone's, "ours"), not judged
        warm = Path(tmp) / "cache-warm"
        _build(configs["warm"], Path(tmp) / "warm-site-first", cache=warm)
        order = ("ours", "stock", "warm")
        for i in range(rounds):
            for name in order[i % 3:] + order[:i % 3]:
                times[name].append(_build(configs[name], Path(tmp) / f"{name}-site-{i}",
                                          cache=warm if name == "warm" else None))
        warm_rounds = times.pop("warm")
        site, stock_site = Path(tmp) / "ours-site-0", Path(tmp) / "stock-site-0"
        pages = {"home": "", "article": "what-are-trigger-points/"}
        for path in sorted(site.rglob("index.html")):
            if "data-tpg-chart" in path.read_text(encoding="utf-8"):
                pages["chart page"] = str(path.parent.relative_to(site)) + "/"
                break
        weights = {name: page_weight(site, url) for name, url in pages.items()}
        lengths = _page_lengths(site)
        if "chart page" in pages:
            weights["chart page, no scroll"] = page_weight(site, pages["chart page"], draw_charts=False)
        stock_weights = {name: page_weight(stock_site, url) for name, url in pages.items()}
    median = {name: (statistics.median(w for w, _c in runs), statistics.median(c for _w, c in runs))
              for name, runs in times.items()}
    return {"build_seconds": median["ours"][0], "weights": weights, "stock_build_seconds": median["stock"][0],
            "build_cpu_seconds": median["ours"][1], "stock_build_cpu_seconds": median["stock"][1],
            "build_rounds": times, "stock_weights": stock_weights, "pages": pages, "lengths": lengths,
            "warm_cpu_seconds": statistics.median(c for _w, c in warm_rounds), "warm_rounds": warm_rounds}


# ---------------------------------------------------------------------------
# Live preview: a rebuild after a one-page edit (issue 24)
# ---------------------------------------------------------------------------

MAX_SERVE_REBUILD = 2.0  # seconds from saving a page to the preview serving it
SERVE_EDITS = 3
SERVE_PAGE = ("docs/self-care.md", "self-care/")
# How each engine's live preview is started (python -m ...), in a copy of the project.
SERVE_COMMANDS = {"properdocs": ["properdocs", "serve", "--strict"], "zensical": ["tpguide.zensical", "serve"]}


def _project_copy(root: Path) -> Path:
    for name in ("docs", "bib", "evidence", "includes", "overrides", "hooks"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root / "mkdocs.yml"


# A live preview's page as text ("" while the server does not answer); the tests use it too.
def http_text(url: str) -> str:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return ""


# Seconds from saving SERVE_PAGE to the preview serving the saved text: the median of
# SERVE_EDITS edits, per engine in SERVE_COMMANDS (None when the preview did not start).
def bench_serve() -> dict[str, float | None]:
    import socket
    import uuid

    out = {}
    for engine, args in SERVE_COMMANDS.items():
        with tempfile.TemporaryDirectory() as tmp:
            config = _project_copy(Path(tmp) / "project")
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            cmd = [sys.executable, "-m", args[0], *args[1:], "-f", str(config), "-a", f"127.0.0.1:{port}"]
            env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TPG_CACHE_DIR": str(Path(tmp) / "cache")}
            proc = subprocess.Popen(cmd, cwd=config.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                                    start_new_session=True)
            url = f"http://127.0.0.1:{port}/{SERVE_PAGE[1]}"
            page = config.parent / SERVE_PAGE[0]
            times = []
            try:
                if not wait_for(lambda: "</html>" in http_text(url), 240, step=0.25):
                    out[engine] = None
                    continue
                time.sleep(2)  # the first build settles (watchers started)
                for _ in range(SERVE_EDITS):
                    token = uuid.uuid4().hex[:12]
                    page.write_text(page.read_text(encoding="utf-8") + f"\nEdited {token}.\n", encoding="utf-8")
                    start = time.perf_counter()
                    if not wait_for(lambda: token in http_text(url), 120, step=0.05):
                        break
                    times.append(time.perf_counter() - start)
                    time.sleep(1)
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # whatever it started
                except ProcessLookupError:
                    pass
            out[engine] = statistics.median(times) if len(times) == SERVE_EDITS else None
    return out


# Poll predicate every `step` seconds until it holds (True) or `seconds` pass (False); the tests use it too.
def wait_for(predicate, seconds: float, step: float = 0.1) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(step)
    return False


# Screens per patient page at 390 x 844 with disclosures closed (issue 22; tpguide.pagelength), or
# None when no Chromium is installed.
def _page_lengths(site: Path):
    from . import pagelength
    from .audit import CHROMIUM, CHROMIUM_ARGS, serve

    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    with serve(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            return pagelength.measure_site(browser, base, pagelength.patient_urls(ROOT / "docs"))
        finally:
            browser.close()


# A stock Material build of the same docs: no hooks, no citation machinery, no custom templates.
def _stock_config(root: Path) -> Path:
    shutil.copytree(ROOT / "docs", root / "docs")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^hooks:\n(?:  (?:- |#).*\n)+", "", text)  # the list, with its comment lines
    text = re.sub(r"(?ms)^plugins:\n.*?(?=^\S)", "plugins:\n  - search\n\n", text)
    text = re.sub(r"(?m)^extra_(css|javascript):\n(?:  .*\n)+", "", text)
    text = re.sub(r"(?m)^  custom_dir: overrides\n", "", text)
    text = text.replace("!relative $config_dir/includes", str(ROOT / "includes"))
    text = re.sub(r"(?m)^  - (?:references|evidence-map).md\n|^      - (?:references|evidence-map).md\n", "", text)
    path = root / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _build(config: Path, site: Path, cache: Path | None = None) -> tuple[float, float]:
    """(wall-clock, CPU) seconds of one whole build command, start-up included (CPU: the command's
    process and the ones it waited for, such as git)."""
    # empty caches (formatted references, compiled templates, QR codes: tpguide.csl and
    # tpguide.buildcache), as on a fresh clone, unless a cache folder is given
    cache = cache or site.parent / f"cache-{site.name}"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TPG_CACHE_DIR": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(engines.command("build", "-d", str(site), config=str(config)),
                            cwd=config.parent, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"build of {config} failed:\n{result.stderr[-3000:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


# Gzip bytes of everything a browser fetches for one page (Chromium), or of its static references;
# each URL counted once, and the most times any one URL was asked for.
# draw_charts: scroll every chart into view first, so the lazily loaded Plotly bundle counts.
def page_weight(site: Path, url: str, *, draw_charts: bool = True) -> dict:
    fetched = _fetched_in_chromium(site, url, draw_charts=draw_charts)
    method = "chromium"
    if fetched is None:
        method = "static"
        fetched = [(rel, False) for rel in [url + "index.html"] + _static_refs(site, url)]
    # Chromium fetches the favicon again on its own (on same-document navigations, and on some
    # changes to <head>): downloaded, so weighed once, but not the page asking twice.
    counts = Counter(rel for rel, by_browser in fetched if not by_browser)
    total = 0
    for rel in dict.fromkeys(rel for rel, _ in fetched):
        path = site / rel
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            total += len(gzip.compress(path.read_bytes(), 9))
    most, times = counts.most_common(1)[0] if counts else ("", 0)
    return {"requests": len(fetched), "gzip_bytes": total, "method": method, "most_fetched": most,
            "max_fetches": times, "sitemap_fetches": counts.get("sitemap.xml", 0)}


def _static_refs(site: Path, url: str) -> list[str]:
    html = (site / url / "index.html").read_text(encoding="utf-8")
    refs = re.findall(r'(?:href|src)="([^"]+\.(?:css|js))"', html)
    base = site / url
    return [str((base / r).resolve().relative_to(site.resolve())) for r in refs if not r.startswith("http")]


# Every site-relative URL requested, in order, repeats kept, as (URL, fetched by the browser on
# its own: the favicon); None without Chromium.
def _fetched_in_chromium(site: Path, url: str, *, draw_charts: bool = True) -> list[tuple[str, bool]] | None:
    from . import audit

    if not Path(audit.CHROMIUM).exists():
        return None
    seen: list[tuple[str, bool]] = []

    def record(request) -> None:
        if request.url.startswith(base):
            rel = request.url[len(base):].split("#")[0].split("?")[0]
            seen.append((rel, request.resource_type == "other" and rel.endswith("favicon.svg")))

    with audit.serve(site) as base, audit.chromium() as browser:
        page = browser.new_page(viewport={"width": 375, "height": 740})
        page.on("request", record)
        page.goto(base + url, wait_until="networkidle")
        # bring every chart into view so the lazily loaded Plotly bundle is counted
        if draw_charts:
            page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; });"  # folded sections
                          "document.querySelectorAll('[data-tpg-chart]').forEach(e => e.scrollIntoView())")
        if draw_charts and page.locator("[data-tpg-chart]").count():
            page.locator(".js-plotly-plot").first.wait_for(timeout=15000)
        page.wait_for_load_state("networkidle")
    return seen


# ---------------------------------------------------------------------------
# Figures against targets
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One measured figure, shown next to its target."""

    name: str
    value: float
    target: float
    shown: str  # the value as printed
    target_shown: str

    @property
    def met(self) -> bool:
        return self.value <= self.target


def _kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


# The figures of issue #18 from the results of bench_citations() and bench_site().
def figures(citations: dict, site: dict | None, serve: dict | None = None) -> list[Figure]:
    sec = citations["seconds"]
    ratio = sec["ours"] / sec["plain"]
    bib_ratio = sec["ours"] / sec["ours_small_bib"]
    out = [
        Figure("citations: ours / plain footnotes", ratio, MAX_CITATION_RATIO, f"{ratio:.2f}x", f"<= {MAX_CITATION_RATIO:.2f}x"),
        Figure("citations: 1,000-entry bib / cited-only bib", bib_ratio, MAX_BIB_SIZE_RATIO, f"{bib_ratio:.2f}x",
               f"<= {MAX_BIB_SIZE_RATIO:.2f}x"),
    ]
    for engine, seconds in (serve or {}).items():
        shown = f"{seconds:.2f} s" if seconds is not None else "did not start"
        out.append(Figure(f"live preview rebuild, {engine}", seconds if seconds is not None else float("inf"),
                          MAX_SERVE_REBUILD, shown, f"<= {MAX_SERVE_REBUILD:.1f} s"))
    if site is None:
        return out
    weights, stock = site["weights"], site["stock_weights"]
    if site.get("stock_build_cpu_seconds"):
        build_ratio = site["build_cpu_seconds"] / site["stock_build_cpu_seconds"]
        out.append(Figure("real site build: ours / stock (CPU)", build_ratio, MAX_BUILD_RATIO, f"{build_ratio:.2f}x",
                          f"<= {MAX_BUILD_RATIO:.2f}x"))
    if "chart page" in weights:
        drawn, first = weights["chart page"]["gzip_bytes"], weights["chart page, no scroll"]["gzip_bytes"]
        out.append(Figure("chart page, every chart drawn", drawn, MAX_CHART_PAGE_DRAWN, _kb(drawn), "<= " + _kb(MAX_CHART_PAGE_DRAWN)))
        out.append(Figure("chart page, first load", first, MAX_CHART_PAGE_FIRST, _kb(first), "<= " + _kb(MAX_CHART_PAGE_FIRST)))
    for name in TEXT_PAGES:
        ours, theirs = weights[name]["gzip_bytes"], stock[name]["gzip_bytes"]
        out.append(Figure(f"{name} page vs stock Material", ours, theirs, _kb(ours), f"<= {_kb(theirs)} (stock)"))
    for n in site.get("lengths") or []:
        out.append(Figure(f"length of /{n.url} (screens)", round(n.screens, 1), n.budget, f"{n.screens:.1f}",
                          f"<= {n.budget} (first practical at {n.first / 844:.1f})" if n.first is not None else f"<= {n.budget}"))
    for name, w in weights.items():
        out.append(Figure(f"{name}: fetches of one URL", w["max_fetches"], MAX_FETCHES_PER_URL,
                          f"{w['max_fetches']} ({w['most_fetched'] or '-'}; sitemap.xml {w['sitemap_fetches']})",
                          f"<= {MAX_FETCHES_PER_URL}"))
    return out


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tpguide.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"interleaved rounds of the citation builds ({ROUNDS})")
    parser.add_argument("--citations-only", action="store_true", help="skip the real site and the page weights")
    parser.add_argument("--json", action="store_true", help="also print every result as JSON")
    args = parser.parse_args(argv)
    runs = bench_citations(args.rounds)
    sec, wall, entries = runs["seconds"], runs["wall_seconds"], runs["bib_entries"]
    print(f"Citation machinery ({PAGES} pages x {CITES_PER_PAGE} citations; medians of {args.rounds} interleaved "
          "rounds; CPU seconds of the build, then wall-clock):")
    for label, name in ((f"[@key] citations, bib of {entries['ours']:,} entries", "ours"),
                        (f"same pages, bib of only the {entries['ours_small_bib']:,} cited entries", "ours_small_bib"),
                        ("same pages with plain footnotes", "plain")):
        rounds = ", ".join(f"{c:.2f}/{w:.2f}" for w, c in runs["runs"][name])
        print(f"  {label:<48} {sec[name]:6.2f} s CPU  {wall[name]:6.2f} s wall   (rounds: {rounds})")
    print(f"  {'first build, empty reference cache (not judged)':<48} {runs['cold_seconds']:6.2f} s CPU  "
          f"{runs['cold_wall_seconds']:6.2f} s wall   (formats all {entries['ours']:,} entries through CSL once)")
    site = None
    if not args.citations_only:
        site = bench_site()
        print(f"Real site vs a stock Material build of the same docs (whole `{engines.chosen()} build`, incl. start-up):")
        print(f"  build time   ours {site['build_cpu_seconds']:.2f} s CPU, {site['build_seconds']:.2f} s wall   "
              f"stock {site['stock_build_cpu_seconds']:.2f} s CPU, {site['stock_build_seconds']:.2f} s wall"
              f"   (medians of {len(site['build_rounds']['ours'])} interleaved rounds; ours with an empty "
              "reference cache, as on a fresh clone)")
        for name in ("ours", "stock"):
            print(f"    {name:<6} rounds (CPU s): " + ", ".join(f"{c:.2f}" for _w, c in site["build_rounds"][name]))
        warm = site["warm_cpu_seconds"]
        print(f"  next build   ours {warm:.2f} s CPU with the caches a build keeps already made (references, templates, "
              f"QR codes): {warm / site['stock_build_cpu_seconds']:.2f}x stock; rounds (CPU s): "
              + ", ".join(f"{c:.2f}" for _w, c in site["warm_rounds"]) + " (not judged)")
        for name, w in site["weights"].items():
            stock = site["stock_weights"].get(name)
            line = f"  {name:<22} ours {w['requests']:>3} requests {w['gzip_bytes']:>8,} B gzip"
            if stock:
                line += f"   stock {stock['requests']:>3} requests {stock['gzip_bytes']:>8,} B gzip"
            print(line + f" ({w['method']})")
        print("  (chart page: with every chart scrolled into view, so the lazily loaded Plotly bundle counts;"
              " 'no scroll': the first load as a reader lands on the page; no page opens search)")
        from . import charts

        if site.get("lengths"):
            from . import pagelength

            print("Patient pages on a phone (390 x 844 px, disclosures closed):")
            print("  " + pagelength.table(site["lengths"]).replace("\n", "\n  "))
        print("Charts bundle:")
        for name, value in charts.byte_figures().items():
            print(f"  {name}: {value:,} B")
    serve = None
    if not args.citations_only:
        serve = bench_serve()
        print(f"Live preview, one saved page to the preview serving it (median of {SERVE_EDITS} edits of "
              f"{SERVE_PAGE[0]}):")
        for engine, seconds in serve.items():
            how = "make serve" if engine == engines.DEFAULT else f"make serve ENGINE={engine}"
            print(f"  {engine:<11} {'did not start' if seconds is None else f'{seconds:.2f} s':>14}   ({how})")
    results = figures(runs, site, serve)
    print("Targets:")
    for fig in results:
        print(f"  {'ok  ' if fig.met else 'MISS'} {fig.name:<44} {fig.shown:<34} target {fig.target_shown}")
    if args.json:
        print(json.dumps({"citations": runs, "site": site, "serve": serve}, default=str))
    return 0 if all(fig.met for fig in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
