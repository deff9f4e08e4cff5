"""Charts in real strict builds of fixture sites: good pages render, every bad input fails."""

from __future__ import annotations

import csv
import io
import textwrap

import pytest
from bs4 import BeautifulSoup

from support import GOOD_BIB, ROOT, article, chart_evidence, make_site, with_chart_topics
from tpguide import charts

REAL_BIB = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "bib").glob("*.bib"))}

EXTRA_MODULE = '''\
from tpguide.charts import Chart, Column


def build(chart):
    {build}


CHART = Chart(
    id="extra-chart",
    title="An extra chart",
    summary="Two values.",
    sources={sources},
    columns=(Column("label", "Label", kind="text"), Column("value", "Value", low=0, high=10)),
    data={{"label": {labels}, "value": {values}}},
    figure=build,
)
'''
GOOD_BUILD = 'return {"data": [{"type": "bar", "x": chart.data["label"], "y": chart.data["value"]}], "layout": {}}'


# A fixture site with one extra chart module (extra/extra_chart.py) registered in mkdocs.yml.
def site_with_extra(tmp_path, body: str, *, build=GOOD_BUILD, sources='("smith2020knots",)',
                    labels='["a", "b"]', values="[1, 2]"):
    site = make_site(tmp_path, {"index.md": article("Home", body)})
    extra = site.root / "extra"
    extra.mkdir()
    (extra / "extra_chart.py").write_text(
        EXTRA_MODULE.format(build=build, sources=sources, labels=labels, values=values), encoding="utf-8"
    )
    text = site.config.read_text(encoding="utf-8")
    assert "    charts:\n" in text, "mkdocs.yml has an extra.tpguide.charts block"
    site.config.write_text(text.replace("    charts:\n", "    charts:\n      modules: [extra/extra_chart.py]\n", 1),
                           encoding="utf-8")
    return site


def failing(site) -> str:
    result = site.build()
    assert result.returncode != 0, "build should fail"
    return result.stderr


MARKER_BODY = "Intro [@smith2020knots].\n\n[[chart: extra-chart]]\n"  # marker on line 18 of docs/index.md


# ---------------------------------------------------------------------------
# Good input
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    body = (
        "Intro [@bron2011treatment].\n\n## Loop\n\n[[chart: feedback-loop]]\n\n## Trial\n\n[[chart: bron-2011]]\n\n"
        "```\n[[chart: not-a-chart-in-code]]\n```\n"
    )
    pages = {"index.md": article("Home", "See [charts](treatments/charts.md) [@bron2011treatment].\n"),
             "treatments/charts.md": with_chart_topics(article("Charts", body))}
    site = make_site(tmp_path_factory.mktemp("charts"), pages, bib=REAL_BIB, evidence=chart_evidence("treatments/charts.md"))
    result = site.build()
    assert result.returncode == 0, result.stderr[-4000:]
    return site


def test_chart_page_has_figure_summary_table_and_caption(real_site):
    soup = BeautifulSoup(real_site.html("treatments/charts"), "html.parser")
    fig = soup.select_one("figure#chart-bron-2011")
    assert fig is not None and fig["aria-labelledby"] == "chart-bron-2011-title"
    plot = fig.select_one(".tpg-chart__plot")
    assert plot["role"] == "img" and plot["aria-label"].startswith("What one shoulder trial")
    assert soup.select_one("#" + plot["aria-describedby"]).get_text().startswith("A bar chart")
    assert fig.select_one("details.tpg-chart__data table") is not None
    # caption citations became numbered footnotes (citations hook ran after ours)
    caption = fig.select_one("figcaption")
    refs = caption.select("sup a.footnote-ref")
    assert refs and "[@" not in caption.get_text()
    assert "not-a-chart-in-code" in soup.get_text()


def test_table_links_sources_to_reference_library(real_site):
    soup = BeautifulSoup(real_site.html("treatments/charts"), "html.parser")
    links = soup.select("figure#chart-feedback-loop table a[data-tpg-key]")
    assert links and all(a["href"].startswith("../../references/#") for a in links)
    assert (real_site.site_dir / "references" / "index.html").is_file()


def test_csv_written_and_matches_data(real_site):
    soup = BeautifulSoup(real_site.html("treatments/charts"), "html.parser")
    href = soup.select_one("figure#chart-bron-2011 .tpg-chart__download a")["href"]
    assert href == "../../assets/charts/bron-2011.csv"
    path = real_site.site_dir / "assets" / "charts" / "bron-2011.csv"
    from tpguide.evidence import load_evidence_dir

    store = load_evidence_dir(real_site.root / "evidence", root=real_site.root)
    chart = charts.load_registry(charts.settings_from({}), evidence=store)["bron-2011"]
    assert chart.rows == 6 and path.read_text(encoding="utf-8") == charts.to_csv(chart)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [float(r[3]) for r in rows[1:]] == chart.data["value"]


def test_pages_without_charts_have_no_chart_markup(real_site):
    html = real_site.html("")
    assert "data-tpg-spec" not in html and "plotly" not in html.lower()


# ---------------------------------------------------------------------------
# Bad input: every case fails the build with file and line
# ---------------------------------------------------------------------------


def test_unknown_chart_id(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Intro [@smith2020knots].\n\n[[chart: feedback-lop]]\n")})
    err = failing(site)
    assert "docs/index.md:17: unknown chart id 'feedback-lop' -> did you mean 'feedback-loop'?" in err


def test_marker_inside_a_paragraph(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Intro [@smith2020knots] [[chart: feedback-loop]].\n")})
    assert "docs/index.md:15: chart marker '[[chart: feedback-loop]]' is not on a line of its own" in failing(site)


@pytest.mark.parametrize(
    "kwargs,expect",
    [
        ({"sources": "()"}, "has no sources"),
        ({"sources": '("nosuchkey2020",)'}, "source key 'nosuchkey2020' is not in bib/"),
        ({"values": "[1]"}, "mismatched lengths (label=2, value=1)"),
        ({"values": '[1, float("nan")]'}, "column 'value' row 2: nan is not a finite number"),
        ({"values": "[1, 42]"}, "column 'value' row 2: 42 is outside the declared range 0 to 10"),
        ({"build": 'raise RuntimeError("no figure today")'},
         "its figure builder raised RuntimeError: no figure today"),
    ],
)
def test_bad_chart_fails_build(tmp_path, kwargs, expect):
    err = failing(site_with_extra(tmp_path, MARKER_BODY, **kwargs))
    assert "docs/index.md:17: chart 'extra-chart' (module tpguide_extra_charts.extra_chart, extra/extra_chart.py)" in err
    assert expect in err


def test_real_chart_with_source_missing_from_bib(tmp_path):
    # The fixture bib lacks gerwin2004expansion, which the feedback-loop chart cites.
    site = make_site(tmp_path, {"index.md": article("Home", "Intro [@smith2020knots].\n\n[[chart: feedback-loop]]\n")},
                     bib={"refs.bib": GOOD_BIB})
    err = failing(site)
    assert "docs/index.md:17: chart 'feedback-loop'" in err and "source key 'gerwin2004expansion' is not in bib/" in err


def test_data_driven_chart_without_evidence_fails_naming_the_page(tmp_path):
    # The Bron 2011 chart is drawn from evidence/: with none, it has nothing to show.
    site = make_site(tmp_path, {"index.md": article("Home", "Intro [@smith2020knots].\n\n[[chart: bron-2011]]\n")})
    err = failing(site)
    assert "docs/index.md:17: chart 'bron-2011'" in err and "has no sources" in err


def test_bad_chart_setting(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Intro [@smith2020knots].\n")})
    text = site.config.read_text(encoding="utf-8").replace("currency: EUR", "currency: euros")
    site.config.write_text(text, encoding="utf-8")
    assert "extra.tpguide.charts.currency: 'euros' is not an ISO 4217 code" in failing(site)


def test_extra_module_good_chart_builds(tmp_path):
    site = site_with_extra(tmp_path, MARKER_BODY)
    result = site.build()
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'id="chart-extra-chart"' in site.html("")
    assert (site.site_dir / "assets" / "charts" / "extra-chart.csv").read_text(encoding="utf-8") == "Label,Value\na,1\nb,2\n"


def test_chart_module_that_fails_to_import(tmp_path):
    site = site_with_extra(tmp_path, MARKER_BODY)
    (site.root / "extra" / "extra_chart.py").write_text(textwrap.dedent("import no_such_module_xyz\n"), encoding="utf-8")
    assert "chart module extra/extra_chart.py could not be imported: ModuleNotFoundError" in failing(site)
