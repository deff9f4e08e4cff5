"""Living evidence in real strict builds (issue 25): each topic's next search date, and a search
that found nothing new ("checked, no change") in the page's update log and the updates feed."""

import csv
import io
import json
import subprocess

import pytest
from bs4 import BeautifulSoup

from build.test_evidence_build import EVIDENCE, PAGES, TREATMENT
from support import article, make_site

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


CHANGES_PAGE = article("What changed", "Changes to findings and harms [@smith2020knots].\n\n[[evidence-changes]]\n")
GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@x", "GIT_COMMITTER_NAME": "Editor",
           "GIT_COMMITTER_EMAIL": "e@x", "GIT_AUTHOR_DATE": "2026-09-20T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-09-20T10:00:00+00:00", "PATH": "/usr/bin:/bin"}


def build(tmp_path, searches=SEARCHES, git_edit=None, message="A newer review: needling <now> [@smith2020knots]",
          reasons=None):
    site = make_site(tmp_path, {**PAGES, "what-changed.md": CHANGES_PAGE}, evidence={**EVIDENCE, "searches.yml": searches})
    if git_edit is not None:  # the fixture as a repository: first commit, then the edit as its own commit
        git = lambda *a: subprocess.run(["git", "-C", str(site.root), *a], check=True, capture_output=True,  # noqa: E731
                                        env={**GIT_ENV, "HOME": str(tmp_path)})
        git("init", "-q")
        git("add", ".")
        git("commit", "-q", "-m", "First version")
        path = site.root / "evidence" / "treatments" / "needling.yml"
        path.write_text(git_edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        git("commit", "-q", "-am", message)
    if reasons is not None:
        (site.root / "evidence" / "change-reasons.yml").write_text(reasons, encoding="utf-8")
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


def test_without_git_the_changes_page_says_the_history_is_not_available(built):
    text = BeautifulSoup(built.html("what-changed"), "html.parser").get_text(" ", strip=True)
    assert "The change history is not available in this copy of the site" in text
    assert json.loads((built.site_dir / "feed-changes.json").read_text(encoding="utf-8"))["items"] == []


def test_a_changed_finding_shows_from_what_to_what_and_why_on_the_page_and_in_the_feed(tmp_path):
    edit = lambda text: text.replace("    estimate: -1.5\n", "    estimate: -1.1\n", 1).replace(  # noqa: E731
        "    certainty: low\n", "    certainty: moderate\n", 1)
    assert edit(TREATMENT) != TREATMENT
    site, result = build(tmp_path, git_edit=edit)
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(site.html("what-changed"), "html.parser")
    newest = soup.select_one(".tpg-changes__commit")
    assert "A newer review: needling <now> [@smith2020knots]" in newest.select_one(".tpg-changes__why").get_text()
    rows = [[c.get_text(" ", strip=True) for c in tr.select("td")] for tr in newest.select("tbody tr")]
    assert rows == [["changed: estimate", "-1.5", "-1.1"], ["changed: certainty", "low", "moderate"]]
    record = newest.select_one("tbody th")
    assert record.select_one("a")["href"] == "../needling/" and "finding nd-pain-short" in record.get_text(" ", strip=True)
    assert "20 September 2026" in newest.select_one("h3").get_text()
    older = soup.select(".tpg-changes__commit")[1].get_text(" ", strip=True)
    assert "First version" in older and "added" in older
    feed = json.loads((site.site_dir / "feed-changes.json").read_text(encoding="utf-8"))
    first = feed["items"][0]
    assert first["title"] == "Evidence changed: Needling" and first["url"].endswith("/what-changed/#change-" + newest["id"][7:])
    assert ("Finding nd-pain-short (needling) changed: estimate -1.5 → -1.1; certainty low → moderate."
            in first["summary"])


def _needling_edit(text):
    return text.replace("    estimate: -1.5\n", "    estimate: -1.1\n", 1)


def test_a_reason_that_says_a_clinician_reviewed_it_stops_the_build(tmp_path):
    site, result = build(tmp_path, git_edit=_needling_edit, message="Needling, after a GP review of the harms")
    assert result.returncode != 0
    assert "evidence/change-reasons.yml: the reason shown for commit" in result.stderr
    assert "'GP review'" in result.stderr and "no clinician has reviewed this site" in result.stderr
    assert "add '- commit: " in result.stderr
    assert not (site.site_dir / "what-changed" / "index.html").exists()


def test_a_public_reason_replaces_the_commit_line_on_the_page_and_in_the_feed(tmp_path):
    edit = _needling_edit
    site, result = build(tmp_path, git_edit=edit, message="Needling, after a GP review of the harms", reasons="[]\n")
    assert result.returncode != 0  # an empty file corrects nothing
    commit = subprocess.run(["git", "-C", str(site.root), "log", "-1", "--format=%h"], capture_output=True,
                            text=True, check=True).stdout.strip()
    (site.root / "evidence" / "change-reasons.yml").write_text(
        f'- commit: "{commit}"\n  reason: "A newer review of needling <now> [@smith2020knots]"\n', encoding="utf-8")
    result = site.build()
    assert result.returncode == 0, result.stderr
    soup = BeautifulSoup(site.html("what-changed"), "html.parser")
    why = soup.select_one(".tpg-changes__commit .tpg-changes__why")
    assert why.get_text(" ", strip=True) == "Why: A newer review of needling <now> [@smith2020knots]"  # text, not markup
    assert why.select("now") == [] and "GP review" not in soup.get_text()
    feed = json.loads((site.site_dir / "feed-changes.json").read_text(encoding="utf-8"))
    assert "GP review" not in json.dumps(feed) and "A newer review of needling" in feed["items"][0]["summary"]


@pytest.mark.parametrize("record, message", [
    ("- commit: 1302386\n  reason: Fine.\n", "the commit id must be in quotes"),
    ('- commit: "xyz1234"\n  reason: Fine.\n', "'xyz1234' is not a commit id"),
    ('- commit: "abc1234"\n  reason: Fine.\n- commit: "abc1234"\n  reason: Again.\n', "already has a reason"),
    ('- commit: "abc1234"\n  reasons: Fine.\n', "reasons"),
])
def test_a_bad_change_reason_is_named_with_its_line(tmp_path, record, message):
    site, result = build(tmp_path, reasons=record)
    assert result.returncode != 0
    assert "evidence/change-reasons.yml:" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr
