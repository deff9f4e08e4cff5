"""Living evidence in real strict builds (issue 25): each topic's next search date, and a search
that found nothing new ("checked, no change") in the page's update log and the updates feed."""

import csv
import io
import json

import pytest
from bs4 import BeautifulSoup

from build.test_evidence_build import EVIDENCE, PAGES
from support import make_site

TODAY = "2026-10-01"
SEARCHES = """\
- topic: needling
  label: Needling
  searched: 2026-03-01
  where: [PubMed]
  pubmed: '"dry needling"[tiab]'
  every_months: 6
  outcome: no change
  notes: Nothing new since January.
  earlier:
    - searched: 2026-01-05
      outcome: changed
      notes: The first search.
"""


def build(tmp_path, searches=SEARCHES):
    site = make_site(tmp_path, PAGES, evidence={**EVIDENCE, "searches.yml": searches})
    text = site.config.read_text(encoding="utf-8")
    site.config.write_text(text.replace("\n  tpguide:\n", f"\n  tpguide:\n    today: {TODAY}\n", 1), encoding="utf-8")
    return site, site.build()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site, result = build(tmp_path_factory.mktemp("living"))
    assert result.returncode == 0, result.stderr
    return site


def test_the_review_box_gives_the_next_search_date_and_says_when_it_is_overdue(built):
    box = BeautifulSoup(built.html("needling"), "html.parser").select_one(".tpg-review-box").get_text(" ", strip=True)
    assert "Evidence last searched 1 March 2026 : needling" in box
    assert "Next search due 1 September 2026 (search overdue)" in box


def test_a_search_that_found_nothing_new_is_in_the_update_log(built):
    log = BeautifulSoup(built.html("needling"), "html.parser").select_one("#page-history .tpg-history__log")
    lines = [li.get_text(" ", strip=True) for li in log.select("li")]
    assert "1 March 2026 : Evidence on needling searched again: checked, no change." in lines
    assert not any("5 January 2026" in line and "no change" in line for line in lines)  # that search changed things


def test_and_in_the_updates_feed(built):
    feed = json.loads((built.site_dir / "feed-updates.json").read_text(encoding="utf-8"))
    checks = [i for i in feed["items"] if "#checked-" in i["id"]]
    assert [(i["id"].rsplit("/", 2)[-2:], i["title"]) for i in checks] == [
        (["needling", "#checked-2026-03-01"], "Needling: evidence checked, no change")]
    assert checks[0]["date_published"].startswith("2026-03-01")


def test_the_open_data_carries_the_search_schedule(built):
    rows = list(csv.DictReader(io.StringIO((built.site_dir / "data" / "searches.csv").read_text(encoding="utf-8"))))
    assert [(r["topic"], r["outcome"], r["every_months"], r["next_due"], r["pubmed_query"]) for r in rows] == [
        ("needling", "no change", "6", "2026-09-01", '"dry needling"[tiab]')]


@pytest.mark.parametrize("old,new,expect", [
    ("outcome: no change\n", "outcome: maybe\n", "evidence/searches.yml:7: search 'needling': 'outcome' is 'maybe', not one of: changed, no change"),
    ("every_months: 6", "every_months: 0", "evidence/searches.yml:6: search 'needling': 'every_months' must be a whole number of at least 1"),
    ("    - searched: 2026-01-05", "    - searched: 2026-04-05", "evidence/searches.yml:10: search 'needling', earlier search: 2026-04-05 is not before the latest search (2026-03-01)"),
    ("  earlier:\n    - searched: 2026-01-05\n      outcome: changed\n      notes: The first search.\n", "  earlier: yes\n", "evidence/searches.yml:9: search 'needling': 'earlier' must be a list of searches"),
    ("      outcome: changed", "      result: changed", "evidence/searches.yml:11: search 'needling', earlier search: unknown field 'result'"),
])
def test_bad_search_records_are_refused_with_file_and_line(tmp_path, old, new, expect):
    assert old in SEARCHES
    site, result = build(tmp_path, SEARCHES.replace(old, new, 1))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert expect in result.stderr, result.stderr
