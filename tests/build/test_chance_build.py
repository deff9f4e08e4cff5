"""[[chance: finding-id]] (issue 23): a proportion shown as natural frequencies out of 100, beside
its comparison group, with icon arrays and the time frame; refused for a finding that is not a
proportion, and a proportion without 'event:' (what it counts) stops the build with file and line."""

import re

from bs4 import BeautifulSoup

from support import article, make_site

from .test_evidence_build import EVIDENCE, PAGES, TREATMENT

PROPORTION = """\
  - id: nd-better
    comparison: sham
    comparison_detail: fake needling
    population: Adults with neck pain
    region: neck
    outcome: pain
    timepoint: short
    timepoint_detail: after 4 weeks
    measure: proportions
    event: had their pain at least halved
    rates: [40, 25]
    better: higher
    studies: 2
    pooled: true
    certainty: low
    certainty_by: review
    downgrades: [imprecision]
    source: smith2020knots
"""
WITH_PROPORTION = TREATMENT.replace("harms:\n", PROPORTION + "harms:\n", 1)


def _build(tmp_path, treatment=WITH_PROPORTION, page_body="[[chance: nd-better]]\n"):
    pages = {**PAGES, "numbers.md": article("Numbers", "In numbers:\n\n" + page_body)}
    site = make_site(tmp_path, pages, evidence={**EVIDENCE, "treatments/needling.yml": treatment})
    return site, site.build()


def test_a_chance_reads_both_groups_out_of_100_with_icon_arrays(tmp_path):
    site, result = _build(tmp_path)
    assert result.returncode == 0, result.stderr
    block = BeautifulSoup(site.html("numbers"), "html.parser").select_one(".tpg-chance")
    assert block["data-finding"] == "nd-better" and block["data-certainty"] == "low"
    caption = block.select_one("figcaption").get_text(" ", strip=True)
    assert caption == ("Out of 100 people like those in the studies (after 4 weeks): 40 had their pain at least halved "
                       "with needling, and 25 with fake needling.")
    grids = block.select("svg.tpg-icons__grid")
    assert [len(g.select(".tpg-icons__hit")) for g in grids] == [40, 25]
    assert all(g.title.get_text() for g in grids) and block.select("sup a.footnote-ref"), "a text alternative and the source"


def test_a_chance_needs_a_proportion(tmp_path):
    site, result = _build(tmp_path, page_body="[[chance: nd-pain-short]]\n")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert re.search(r"docs/numbers\.md:\d+: \[\[chance: nd-pain-short\]\] needs a finding with rates", result.stderr), result.stderr


def test_a_proportion_without_what_it_counts_is_refused(tmp_path):
    treatment = WITH_PROPORTION.replace("    event: had their pain at least halved\n", "")
    site, result = _build(tmp_path, treatment=treatment)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    line = treatment[: treatment.index("  - id: nd-better")].count("\n") + 1
    assert f"evidence/treatments/needling.yml:{line}: finding 'nd-better': a proportion needs 'event:'" in result.stderr, result.stderr
