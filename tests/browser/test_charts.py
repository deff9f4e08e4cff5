"""Charts in system Chromium: a fixture site with all five charts, served on 127.0.0.1.

Proves each chart draws after a full load and after instant navigation, re-themes on palette
toggle, exposes its name and summary, keeps table and CSV equal to the data, works from the
keyboard, degrades without JavaScript and in print, stays in budget, with no console errors.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import socket
from urllib.parse import urljoin

import pytest

from support import ROOT, PageWatch, article, chart_evidence, make_site, with_chart_topics
from tpguide import audit, charts

pytestmark = pytest.mark.e2e

CHART_IDS = ["feedback-loop", "development-cycle", "bron-2011", "evidence-summary", "cost-calculator"]
CHART_PAGE = "treatments/charts/"
BUDGET_GZIP = 440_000  # issue #18: a chart page with every chart drawn
REAL_BIB = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "bib").glob("*.bib"))}
SLATE_FG = "rgb(227, 230, 237)"  # PALETTE["fg"][1]
LIGHT_FG = "rgb(31, 35, 40)"  # PALETTE["fg"][0]


# ---------------------------------------------------------------------------
# Fixtures
# ---------------------------------------------------------------------------


# A free port on 127.0.0.1 (the site is built for it: Material's instant navigation only
# intercepts links listed in sitemap.xml, which holds site_url addresses).
@pytest.fixture(scope="module")
def port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Build the fixture site once: a home page linking to a page with all five charts.
@pytest.fixture(scope="module")
def chart_site(tmp_path_factory, port):
    body = "Intro [@gerwin2004expansion].\n\n" + "\n".join(
        f"## Chart {cid}\n\nSome text before the chart.\n\n[[chart: {cid}]]\n" for cid in CHART_IDS
    )
    pages = {
        "index.md": article("Home", "Read about [the charts](treatments/charts.md) [@gerwin2004expansion].\n"),
        "treatments/charts.md": with_chart_topics(article("Charts", body)),
    }
    site = make_site(tmp_path_factory.mktemp("chartsite"), pages, bib=REAL_BIB, evidence=chart_evidence("treatments/charts.md"))
    # No request to api.github.com (Material's repository facts) in an offline test.
    text = re.sub(r"(?m)^repo_(url|name):.*$", "", site.config.read_text(encoding="utf-8"))
    text = re.sub(r"(?m)^site_url:.*$", f"site_url: http://127.0.0.1:{port}/", text)
    site.config.write_text(text, encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.stderr[-4000:]
    return site.site_dir


@pytest.fixture(scope="module")
def chart_url(chart_site, port):
    with audit.serve(chart_site, port=port) as url:
        yield url


@pytest.fixture(scope="module")
def registry(chart_site):
    from tpguide.evidence import load_evidence_dir

    root = chart_site.parent  # the fixture project (chart_site is its site/ folder)
    store = load_evidence_dir(root / "evidence", root=root)
    return charts.load_registry(charts.settings_from({}), evidence=store)


@pytest.fixture
def open_chart_page(browser):
    contexts = []

    def opener(*, scheme: str = "light", mobile: bool = False, js: bool = True) -> PageWatch:
        options = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True} if mobile \
            else {"viewport": {"width": 1280, "height": 900}}
        ctx = browser.new_context(color_scheme=scheme, java_script_enabled=js, **options)
        contexts.append(ctx)
        return PageWatch(ctx.new_page())

    yield opener
    for ctx in contexts:
        ctx.close()


# Scroll each chart into view (charts load lazily) and wait until it is drawn.
def wait_drawn(page, ids=CHART_IDS):
    for cid in ids:
        page.locator(f"#chart-{cid}").scroll_into_view_if_needed()
        page.wait_for_selector(f"figure#chart-{cid}[data-tpg-drawn] .tpg-chart__plot .main-svg", timeout=30000)


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2212", "-").split())


# ---------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------


def test_page_without_charts_loads_no_plotly(open_chart_page, chart_url):
    w = open_chart_page()
    w.page.goto(chart_url, wait_until="networkidle")
    assert not [u for u in w.requests if "plotly" in u]
    assert w.page.evaluate("typeof window.Plotly") == "undefined"
    assert w.errors == []


def test_charts_draw_after_full_load(open_chart_page, chart_url):
    w = open_chart_page()
    w.page.goto(chart_url + CHART_PAGE)
    wait_drawn(w.page)
    for cid in CHART_IDS:
        assert w.page.locator(f"#chart-{cid}-plot .main-svg").count() >= 1
        assert w.page.locator(f"#chart-{cid}-plot .modebar-container .modebar").count() == 0  # no mode bar
    assert len([u for u in w.requests if "plotly-tpg" in u]) == 1
    assert w.errors == []


def test_charts_draw_after_instant_navigation(open_chart_page, chart_url):
    w = open_chart_page()
    w.page.goto(chart_url, wait_until="networkidle")
    w.page.evaluate("window.__tpgNoReload = true")
    w.page.click("article a[href$='treatments/charts/']")
    w.page.wait_for_url("**/" + CHART_PAGE)
    wait_drawn(w.page)
    assert w.page.evaluate("window.__tpgNoReload === true"), "navigation was not instant (page reloaded)"
    # back home and forth again: charts are set up anew each time
    w.page.go_back()
    w.page.wait_for_url(chart_url)
    w.page.click("article a[href$='treatments/charts/']")
    w.page.wait_for_url("**/" + CHART_PAGE)
    wait_drawn(w.page, ["feedback-loop"])
    assert w.page.evaluate("window.__tpgNoReload === true")
    assert w.errors == []


def test_charts_rethemed_on_palette_toggle(open_chart_page, chart_url):
    w = open_chart_page(scheme="light")
    page = w.page
    page.goto(chart_url + CHART_PAGE)
    wait_drawn(page, ["feedback-loop"])
    label = "#chart-feedback-loop-plot .annotation-text"
    assert page.get_attribute("#chart-feedback-loop", "data-tpg-theme") == "default"
    assert LIGHT_FG in page.eval_on_selector_all(label, "els => els.map(e => getComputedStyle(e).fill).join()")
    for _ in range(3):
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate":
            break
        page.locator("form[data-tpg-palette] label.md-header__button:visible").first.click()
        page.wait_for_timeout(100)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.wait_for_selector("#chart-feedback-loop[data-tpg-theme='slate']", timeout=10000)
    page.wait_for_function(
        f"[...document.querySelectorAll('{label}')].some(e => getComputedStyle(e).fill === '{SLATE_FG}')",
        timeout=10000,
    )
    wait_drawn(page, ["bron-2011"])
    assert page.get_attribute("#chart-bron-2011", "data-tpg-theme") == "slate"
    assert w.errors == []


def test_each_chart_has_accessible_name_and_summary(open_chart_page, chart_url, registry):
    w = open_chart_page()
    w.page.goto(chart_url + CHART_PAGE)
    for cid in CHART_IDS:
        chart = registry[cid]
        img = w.page.get_by_role("img", name=chart.title)
        assert img.count() == 1
        summary_id = img.get_attribute("aria-describedby")
        assert _norm(w.page.inner_text(f"#{summary_id}")) == _norm(chart.summary)
        assert w.page.is_visible(f"#{summary_id}")
        assert w.page.get_attribute(f"#chart-{cid}", "aria-labelledby") == f"chart-{cid}-title"
        caption = w.page.inner_text(f"#chart-{cid} figcaption")
        assert "Sources:" in caption and "[@" not in caption
    assert w.errors == []


def test_table_and_csv_match_the_data(open_chart_page, chart_url, registry):
    w = open_chart_page()
    page = w.page
    page.goto(chart_url + CHART_PAGE)
    for cid in CHART_IDS:
        chart = registry[cid]
        page.click(f"#chart-{cid}-data > summary")
        cells = page.eval_on_selector_all(
            f"#chart-{cid}-data table tbody tr",
            "rows => rows.map(r => [...r.children].map(c => c.textContent.trim()))",
        )
        headers = page.eval_on_selector_all(f"#chart-{cid}-data table thead th", "hs => hs.map(h => h.textContent)")
        assert headers == [c.header for c in chart.columns]
        assert len(cells) == chart.rows
        for i, row in enumerate(cells):
            for col, cell in zip(chart.columns, row):
                value = chart.data[col.key][i]
                if value is None:
                    assert cell == ""
                elif col.kind == "number":
                    assert float(_norm(cell)) == pytest.approx(value)
                elif col.kind == "text":
                    assert _norm(cell) == _norm(value)
        href = page.get_attribute(f"#chart-{cid}-data .tpg-chart__download a", "href")
        response = page.request.get(urljoin(page.url, href))
        assert response.ok
        rows = list(csv.reader(io.StringIO(response.text())))
        assert rows[0] == [c.header for c in chart.columns] and len(rows) == chart.rows + 1
        assert response.text() == charts.to_csv(chart)
    assert w.errors == []


def test_keyboard_reads_points_and_steps(open_chart_page, chart_url, registry):
    w = open_chart_page()
    page = w.page
    page.goto(chart_url + CHART_PAGE)
    wait_drawn(page, ["development-cycle", "bron-2011"])
    cycle = registry["development-cycle"]
    assert page.inner_text("#chart-development-cycle-status") == "Step 1 of 5"
    page.click("#chart-development-cycle .tpg-chart__next")
    assert page.inner_text("#chart-development-cycle-status") == "Step 2 of 5"
    assert _norm(page.inner_text("#chart-development-cycle-readout")) == _norm(cycle.row_text(1))
    page.click("#chart-development-cycle .tpg-chart__prev")
    page.click("#chart-development-cycle .tpg-chart__prev")
    assert page.inner_text("#chart-development-cycle-status") == "Step 5 of 5"
    page.wait_for_selector("#chart-development-cycle-plot .hoverlayer .hovertext", timeout=5000)
    page.focus("#chart-bron-2011-plot")
    page.keyboard.press("ArrowRight")
    bron = registry["bron-2011"]
    assert _norm(page.inner_text("#chart-bron-2011-readout")) == _norm(bron.row_text(0))
    page.keyboard.press("End")
    assert _norm(page.inner_text("#chart-bron-2011-readout")) == _norm(bron.row_text(bron.rows - 1))
    assert w.errors == []


def test_cost_calculator(open_chart_page, chart_url):
    w = open_chart_page()
    page = w.page
    page.goto(chart_url + CHART_PAGE)
    wait_drawn(page, ["cost-calculator"])
    assert "Price per session (EUR): an example, replace it" in page.inner_text("#chart-cost-calculator form")
    page.fill("#chart-cost-calculator-sessions", "10")
    page.fill("#chart-cost-calculator-price", "30")
    page.fill("#chart-cost-calculator-minutes", "45")
    assert page.inner_text("#chart-cost-calculator-result") == "10 sessions cost €300.00 in total and take 7.5 hours."
    page.wait_for_function("document.getElementById('chart-cost-calculator-plot').data[0].x.length === 10")
    page.fill("#chart-cost-calculator-sessions", "0")
    assert "Enter a number of sessions" in page.inner_text("#chart-cost-calculator-result")
    assert w.errors == []


def test_responsive_on_mobile(open_chart_page, chart_url):
    w = open_chart_page(mobile=True)
    w.page.goto(chart_url + CHART_PAGE)
    wait_drawn(w.page)
    for cid in CHART_IDS:
        width = w.page.eval_on_selector(f"#chart-{cid}-plot .main-svg", "e => e.getBoundingClientRect().width")
        assert 250 < width <= 375
    assert w.page.evaluate("document.documentElement.scrollWidth") <= 375
    assert w.errors == []


# Plotly does not wrap text: a label wider than the phone is cut off (patient review, the forest
# plot's "Hands-on therapy (pressure, massage and stretching): short ter").
def test_every_label_fits_on_a_phone(open_chart_page, chart_url):
    w = open_chart_page(mobile=True)
    w.page.goto(chart_url + CHART_PAGE)
    wait_drawn(w.page)
    for cid in CHART_IDS:
        cut = w.page.eval_on_selector(f"#chart-{cid}-plot", """plot => {
            const box = plot.querySelector('.main-svg').getBoundingClientRect();
            return [...plot.querySelectorAll('.annotation-text, .xtick text, .ytick text, .g-xtitle text, .g-ytitle text')]
                .map(t => [t.textContent, t.getBoundingClientRect()])
                .filter(([text, r]) => text.trim() && (r.left < box.left - 1 || r.right > box.right + 1))
                .map(([text, r]) => text);
        }""")
        assert cut == [], f"{cid}: cut off on a phone: {cut}"
    labels = w.page.eval_on_selector_all("#chart-evidence-summary-plot .annotation-text", "ts => ts.map(t => t.textContent)")
    assert any(text.startswith("Hands-on therapy (pressure, massage and") for text in labels), labels  # wrapped, not lost
    assert w.errors == []


def test_without_javascript_summary_and_table_remain(open_chart_page, chart_url, registry):
    w = open_chart_page(js=False)
    w.page.goto(chart_url + CHART_PAGE)
    for cid in CHART_IDS:
        assert w.page.is_visible(f"#chart-{cid}-summary")
        assert w.page.locator(f"#chart-{cid}-data table tbody tr").count() == registry[cid].rows
        assert not w.page.is_visible(f"#chart-{cid}-plot")
    assert "12 sessions cost €600.00" in w.page.inner_text("#chart-cost-calculator-result")


def test_print_shows_the_table_not_the_plot(open_chart_page, chart_url):
    w = open_chart_page()
    page = w.page
    page.goto(chart_url + CHART_PAGE)
    wait_drawn(page, ["feedback-loop"])
    page.emulate_media(media="print")
    assert not page.is_visible("#chart-feedback-loop-plot")
    assert page.is_visible("#chart-feedback-loop-data table")
    assert w.errors == []


def test_chart_page_weight_within_budget(open_chart_page, chart_url):
    w = open_chart_page(mobile=True)
    page = w.page
    sizes: dict[str, int] = {}

    def record(response):
        try:
            sizes[response.url] = len(gzip.compress(response.body(), 6))
        except Exception:  # noqa: BLE001 - redirects and aborted requests have no body
            pass

    page.on("response", record)
    page.goto(chart_url + CHART_PAGE, wait_until="networkidle")
    wait_drawn(page)
    page.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    assert any("plotly-tpg" in u for u in sizes)
    assert total <= BUDGET_GZIP, f"{total} bytes gzip > {BUDGET_GZIP}: {sorted(sizes.items(), key=lambda x: -x[1])[:5]}"
    assert w.errors == []
