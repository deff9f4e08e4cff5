"""Unit tests of tpguide.charts: registry, validation, rendering, markers (no MkDocs build)."""

from __future__ import annotations

import csv
import html
import io
import json
import math
from dataclasses import replace

import pytest

from support import ROOT
from tpguide import charts
from tpguide.bib import load_bib_dir
from tpguide.charts import Chart, Column

# ---------------------------------------------------------------------------
# Fixtures and helpers
# ---------------------------------------------------------------------------

EXPECTED_IDS = {"feedback-loop", "development-cycle", "bron-2011", "evidence-summary", "cost-calculator"}
NOT_CITABLE = {"simons1999myofascial", "shah2005vivo", "hakguder2003efficacy"}  # bib/PENDING.md


@pytest.fixture(scope="module")
def bib():
    return load_bib_dir(ROOT / "bib", root=ROOT)


@pytest.fixture(scope="module")
def registry():
    from tpguide.evidence import load_evidence_dir

    store = load_evidence_dir(ROOT / "evidence", root=ROOT, bib=load_bib_dir(ROOT / "bib", root=ROOT))
    return charts.load_registry(charts.settings_from({}), evidence=store)


def small_chart(**changes) -> Chart:
    base = Chart(
        id="small",
        title="A small chart",
        summary="Two bars.",
        sources=("smith2020knots",),
        columns=(Column("label", "Label", kind="text"), Column("value", "Value", unit="points", low=0, high=10)),
        data={"label": ["a", "b"], "value": [1, 2.5]},
        figure=lambda chart: {"data": [{"type": "bar", "x": chart.data["label"], "y": chart.data["value"],
                                        "customdata": [0, 1], "marker": {"color": charts.C["primary"]}}],
                              "layout": {"font": {"color": charts.C["fg"]}}},
    )
    return replace(base, **changes)


# ---------------------------------------------------------------------------
# The real charts
# ---------------------------------------------------------------------------


def test_registry_has_the_five_charts(registry):
    assert set(registry) == EXPECTED_IDS


@pytest.mark.parametrize("chart_id", sorted(EXPECTED_IDS))
def test_every_chart_validates_and_renders(registry, bib, chart_id):
    chart = registry[chart_id]
    assert charts.validate(chart, bib) == []
    rendered = charts.render(chart, bib)
    spec = json.loads(json.dumps(rendered.spec, allow_nan=False))
    assert spec["id"] == chart_id and spec["data"], "spec has traces"
    assert "template" not in spec["layout"]
    assert not set(chart.sources) & NOT_CITABLE


@pytest.mark.parametrize("chart_id", sorted(EXPECTED_IDS))
def test_csv_matches_data(registry, chart_id):
    chart = registry[chart_id]
    rows = list(csv.reader(io.StringIO(charts.to_csv(chart))))
    assert rows[0] == [c.header for c in chart.columns]
    assert len(rows) == chart.rows + 1
    for i, row in enumerate(rows[1:]):
        for col, cell in zip(chart.columns, row):
            value = chart.data[col.key][i]
            if value is None:
                assert cell == ""
            elif col.kind == "number":
                assert math.isclose(float(cell), value)
            else:
                assert cell == value


def test_bron_2011_only_verified_numbers(registry):
    data = registry["bron-2011"].data
    assert data["value"] == [7.7, 13.8, 10.2, 13.8, 55, 14]
    assert data["low"][:4] == [1.2, 2.6, 0.7, 0.8] and data["high"][:4] == [14.2, 25.0, 19.7, 28.4]
    text = json.dumps(data).lower()
    assert "2/3" not in text and "remain" not in text


def test_evidence_summary_is_drawn_from_the_evidence_data():
    from tpguide.evidence import load_evidence_dir

    store = load_evidence_dir(ROOT / "evidence", root=ROOT)
    chart = charts.load_registry(charts.settings_from({}), evidence=store)["evidence-summary"]
    spec = charts.render(chart, None).spec
    by_measure = {trace["name"]: trace for trace in spec["data"]}
    assert set(by_measure) <= {"SMD", "MD"} and "SMD" in by_measure
    if "MD" in by_measure:
        assert by_measure["SMD"]["xaxis"] == "x" and by_measure["MD"]["xaxis"] == "x2"
    pain = [f for f in store.findings.values() if f.outcome == "pain" and f.estimate is not None
            and (f.measure == "SMD" or f.unit == "points on a 0 to 10 scale")]
    assert chart.rows == len(pain) > 0
    for f in pain:  # every row is a finding, number for number, with its one certainty
        row = chart.data["treatment"].index(next(t for t in chart.data["treatment"] if f.timepoint_detail in t
                                                 and store.treatments[f.treatment].name in t))
        assert row >= 0
    for i in range(chart.rows):
        assert chart.data["low"][i] <= chart.data["estimate"][i] <= chart.data["high"][i]
        assert chart.data["certainty"][i] in ("high", "moderate", "low", "very low")
    # below zero always favours the treatment: staying active (measured as pain relief, +0.22 in the
    # review) is drawn at -0.22, and says why
    active = next(i for i, t in enumerate(chart.data["treatment"]) if t.startswith("Staying active"))
    assert (chart.data["estimate"][active], chart.data["low"][active], chart.data["high"][active]) == (-0.22, -0.41, -0.02)
    assert "measured as pain relief, 0.22; sign reversed" in chart.data["treatment"][active]
    for f in pain:
        i = next(i for i, t in enumerate(chart.data["treatment"]) if f.timepoint_detail in t and store.treatments[f.treatment].name in t)
        favours = f.estimate > 0 if f.better == "higher" else f.estimate < 0
        assert favours == (chart.data["estimate"][i] < 0), chart.data["treatment"][i]
    singles = [i for i in range(chart.rows) if chart.data["studies"][i] == "1 study"]
    symbols = [s for trace in spec["data"] for s in trace["marker"]["symbol"]]
    assert symbols.count("diamond-open") == len(singles)
    # long labels are drawn wrapped, each line short enough for a phone, and push their row down
    from tpguide.charts_defs import evidence_summary as es

    labels = [a for a in spec["layout"]["annotations"] if a.get("xanchor") == "left" and a.get("yanchor") == "bottom"]
    assert len(labels) == chart.rows
    assert any("<br>" in a["text"] for a in labels)
    assert all(len(line) <= es.LABEL_CHARS for a in labels for line in a["text"].split("<br>"))
    assert any(y % 1 for trace in spec["data"] for y in trace["y"])  # a row below a wrapped label


def test_evidence_summary_without_evidence_is_empty_not_an_error():
    chart = charts.load_registry(charts.settings_from({}))["evidence-summary"]
    assert chart.rows == 0 and chart.id == "evidence-summary"


def test_feedback_loop_is_a_hypothesis_citing_its_critics(registry):
    chart = registry["feedback-loop"]
    assert {"gerwin2004expansion", "quintner2015critical"} <= set(chart.sources)
    assert "hypothesis" in chart.title.lower() and "critics" in chart.summary
    assert chart.kind == "steps" and chart.rows == 4


def test_calculator_uses_settings_and_labels_examples():
    settings = charts.settings_from({"charts": {"currency": "GBP", "example_price": 40}})
    chart = charts.load_registry(settings)["cost-calculator"]
    spec = charts.render(chart, None, settings).spec
    assert spec["calculator"]["currency"] == "GBP"
    assert chart.data["value"][:2] == [12, 40]
    assert "example" in chart.data["basis"][1].lower() and "not data" in chart.data["basis"][1].lower()
    assert "£480.00" in chart.calculator["static_result"]


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes,expect",
    [
        ({"sources": ()}, "has no sources"),
        ({"sources": ("nosuchkey2020",)}, "source key 'nosuchkey2020' is not in bib/"),
        ({"data": {"label": ["a", "b"], "value": [1]}}, "mismatched lengths"),
        ({"data": {"label": ["a", "b"], "value": [1, float("nan")]}}, "not a finite number"),
        ({"data": {"label": ["a", "b"], "value": [1, 11]}}, "outside the declared range"),
        ({"data": {"label": ["a", "b"], "value": [1, "2"]}}, "is not a number"),
        ({"data": {"label": ["a", ""], "value": [1, 2]}}, "must be non-empty text"),
        ({"data": {"label": ["a", "b"], "value": [1, None]}}, "value missing"),
        ({"data": {"label": ["a", "b"]}}, "column 'value' has no data"),
        ({"summary": " "}, "has no summary"),
    ],
)
def test_validation_problems(changes, expect):
    from tpguide.bib import Bibliography

    bib = Bibliography()
    bib.entries["smith2020knots"] = object()
    problems = charts.validate(small_chart(**changes), bib)
    assert any(expect in p for p in problems), problems


def test_builder_error_names_chart_and_module():
    def broken(chart):
        raise ZeroDivisionError("oops")

    chart = small_chart(figure=broken, module="extra.broken", module_path="charts/broken.py")
    with pytest.raises(charts.ChartProblem) as info:
        charts.render(chart, None)
    message = str(info.value)
    assert "chart 'small'" in message and "extra.broken" in message and "ZeroDivisionError: oops" in message


# The Plotly bundle draws scatter and bar traces without legend, colour bars or menus
# (tools/plotly/entry.js): a figure needing more is refused, never drawn half.
@pytest.mark.parametrize("trace,layout,expect", [
    ({"type": "pie", "values": [1, 2]}, {}, "a 'pie' trace, which the site's Plotly bundle does not draw"),
    ({"type": "bar", "marker": {"showscale": True}}, {}, "asks for a colour bar"),
    ({"type": "bar"}, {"updatemenus": [{"buttons": []}]}, "layout.updatemenus needs a Plotly component"),
    ({"type": "bar"}, {"showlegend": True}, "would show a legend"),
])
def test_figures_the_bundle_cannot_draw_are_refused(trace, layout, expect):
    chart = small_chart(figure=lambda chart: {"data": [trace], "layout": layout})
    with pytest.raises(charts.ChartProblem) as info:
        charts.render(chart, None)
    assert expect in str(info.value) and "tools/plotly/entry.js" in str(info.value)


def test_two_traces_need_the_legend_turned_off():
    two = [{"type": "bar", "y": [1]}, {"type": "scatter", "y": [2]}]
    with pytest.raises(charts.ChartProblem, match="would show a legend"):
        charts.render(small_chart(figure=lambda chart: {"data": two, "layout": {}}), None)
    assert charts.render(small_chart(figure=lambda chart: {"data": two, "layout": {"showlegend": False}}), None).spec


def test_spec_uses_palette_tokens_and_points():
    spec = charts.render(small_chart(), None).spec
    assert spec["data"][0]["marker"]["color"] == "@primary"
    assert spec["layout"]["font"]["color"] == "@fg"
    assert spec["points"] == [{"c": 0, "p": 0, "r": 0}, {"c": 0, "p": 1, "r": 1}]
    assert spec["rows"] == ["a. Value: 1 points.", "b. Value: 2.5 points."]


@pytest.mark.parametrize(
    "raw,expect",
    [
        ({"charts": {"currency": "euro"}}, "ISO 4217"),
        ({"charts": {"example_price": -1}}, "example_price"),
        ({"charts": {"colour": "red"}}, "unknown setting"),
    ],
)
def test_bad_settings(raw, expect):
    with pytest.raises(charts.ChartSetupError, match=expect):
        charts.settings_from(raw)


# ---------------------------------------------------------------------------
# Markers and HTML
# ---------------------------------------------------------------------------


def test_find_markers_outside_code_only():
    md = "Intro\n\n[[chart: a]]\n\n```\n[[chart: zzz]]\n```\n\n`[[chart: zzz]]` inline code\n"
    markers, problems = charts.find_markers(md, ["a"], path="docs/x.md", line_offset=10)
    assert problems == []
    assert [(m.chart_id, m.line) for m in markers] == [("a", 13)]


@pytest.mark.parametrize(
    "md,expect",
    [
        ("[[chart: nope]]\n", "docs/x.md:1: unknown chart id 'nope'"),
        ("[[chart: feedback-lop]]\n", "did you mean 'feedback-loop'?"),
        ("Text [[chart: feedback-loop]] here\n", "is not on a line of its own"),
        ("[[chart: ]]\n", "has no valid chart id"),
        ("[[chart: feedback-loop]]\n\n[[chart: feedback-loop]]\n", "docs/x.md:3: chart 'feedback-loop' is placed twice"),
    ],
)
def test_marker_problems(md, expect):
    _, problems = charts.find_markers(md, ["feedback-loop"], path="docs/x.md")
    assert any(expect in str(p) for p in problems), problems


def test_figure_html_has_accessible_parts():
    rendered = charts.render(small_chart(), None)
    out = charts.figure_html(rendered, csv_url="../assets/charts/small.csv", library_url="../references/", bib=None)
    assert 'role="img"' in out and 'aria-label="A small chart"' in out and 'aria-describedby="chart-small-summary"' in out
    assert '<p class="tpg-chart__summary" id="chart-small-summary">Two bars.</p>' in out
    assert '<details class="tpg-chart__data"' in out and 'href="../assets/charts/small.csv"' in out
    assert '<figcaption class="tpg-chart__caption" markdown="1">' in out and "[@smith2020knots]" in out
    spec_text = html.unescape(out.split('data-tpg-spec="', 1)[1].split('"', 1)[0])
    assert "@" not in spec_text and json.loads(spec_text)["id"] == "small"
    assert "<script" not in out  # Material's instant navigation would re-run it as JavaScript


@pytest.mark.parametrize(
    "target,page,expect",
    [
        ("assets/charts/a.csv", "", "assets/charts/a.csv"),
        ("assets/charts/a.csv", "treatments/", "../assets/charts/a.csv"),
        ("assets/charts/a.csv", "treatments/manual-therapy/", "../../assets/charts/a.csv"),
        ("references/", "treatments/", "../references/"),
        ("references/", "", "references/"),
        ("references.html", "a/b.html", "../references.html"),
    ],
)
def test_relative_url(target, page, expect):
    assert charts.relative_url(target, page) == expect


def test_byte_figures_report_bundle_size():
    figures = charts.byte_figures()
    assert 800_000 < figures["bundle_raw"] < 1_200_000
    assert figures["bundle_gzip"] < 400_000
    assert charts.BUNDLE_PATH.read_text(encoding="utf-8")[:200].count("Licensed under the MIT license") == 1


def test_forest_plot_labels_wrap_and_push_their_row_down():
    from tpguide.charts_defs import evidence_summary as es

    long = "Psychological therapies (CBT and ACT) vs usual care: at the end of treatment"
    lines = es.label_lines(long)
    assert len(lines) == 2 and all(len(x) <= es.LABEL_CHARS for x in lines) and " ".join(lines) == long
    positions, extent = es.row_positions(["Short", long, "Short"])
    assert positions == pytest.approx([0.0, 1 + es.LINE_ROWS, 2 + es.LINE_ROWS]) and extent == pytest.approx(3 + es.LINE_ROWS)
