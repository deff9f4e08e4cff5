"""make bench: each figure is judged against its target (the builds themselves are not run here)."""

from tpguide import bench


def _citations(ours, small, plain):
    return {"seconds": {"ours": ours, "ours_small_bib": small, "plain": plain}}


def _weight(gzip_bytes, max_fetches=1):
    return {"gzip_bytes": gzip_bytes, "max_fetches": max_fetches, "most_fetched": "x", "sitemap_fetches": max_fetches}


def _site(drawn=400_000, first=120_000, home=90_000, sitemap=1, build=5.0):
    weights = {"home": _weight(home, sitemap), "article": _weight(95_000), "chart page": _weight(drawn),
               "chart page, no scroll": _weight(first)}
    return {"weights": weights, "stock_weights": {"home": _weight(120_000), "article": _weight(121_000)},
            "build_cpu_seconds": build, "stock_build_cpu_seconds": 2.0}


def _missed(results):
    return [f.name for f in results if not f.met]


def test_every_figure_has_a_target_and_all_met():
    results = bench.figures(_citations(8.0, 7.9, 7.0), _site())
    assert _missed(results) == []
    assert {f.name for f in results} >= {
        "citations: ours / plain footnotes", "citations: 1,000-entry bib / cited-only bib",
        "chart page, every chart drawn", "chart page, first load", "home page vs stock Material",
        "article page vs stock Material", "home: fetches of one URL", "real site build: ours / stock (CPU)"}
    assert all(f.target_shown for f in results)


def test_each_missed_target_is_reported():
    results = bench.figures(_citations(9.8, 7.0, 7.0), _site(drawn=502_289, first=151_000, home=141_000, sitemap=7,
                                                            build=7.4))
    assert _missed(results) == [
        "citations: ours / plain footnotes", "citations: 1,000-entry bib / cited-only bib",
        "real site build: ours / stock (CPU)",
        "chart page, every chart drawn", "chart page, first load", "home page vs stock Material",
        "home: fetches of one URL"]
    drawn = next(f for f in results if f.name == "chart page, every chart drawn")
    assert (drawn.shown, drawn.target_shown) == ("502.3 KB", "<= 440.0 KB")
    build = next(f for f in results if f.name == "real site build: ours / stock (CPU)")
    assert (build.shown, build.target_shown) == ("3.70x", "<= 2.50x")


def test_build_ratio_at_the_target_is_met():
    results = bench.figures(_citations(8.0, 7.9, 7.0), _site(build=5.0))
    assert next(f for f in results if f.name.startswith("real site build")).met


def test_stock_config_has_no_hook_and_no_generated_page(tmp_path):
    from tpguide import bench

    text = bench._stock_config(tmp_path / "stock").read_text(encoding="utf-8")
    import re

    assert not re.search(r"(?m)^hooks:", text) and not re.search(r"(?m)^\s*- .*hooks/", text)
    assert not re.search(r"(?m)^\s*- (?:evidence-map|references)\.md$", text)


def test_live_preview_rebuilds_are_judged_per_engine():
    results = bench.figures(_citations(8.0, 7.9, 7.0), None, {"properdocs": 7.6, "zensical": 1.2, "mkdocs": None})
    judged = {f.name: (f.met, f.shown) for f in results if f.name.startswith("live preview")}
    assert judged == {"live preview rebuild, properdocs": (False, "7.60 s"),
                      "live preview rebuild, zensical": (True, "1.20 s"),
                      "live preview rebuild, mkdocs": (False, "did not start")}
