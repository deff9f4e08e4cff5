"""Editor commands: scaffold posts and articles (refusing bad input), and the review report."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from support import ROOT, article, make_site
from tpguide import cli, posts

TODAY = dt.date(2026, 6, 1)
AUTHORS_YML = "authors:\n  editorial-team:\n    name: Team\n    description: Writers\n    avatar: research-news/team.svg\n"


@pytest.fixture
def project(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Text [@smith2020knots].\n"),
                                "research-news/.authors.yml": AUTHORS_YML})
    return site.root


def run(project, *args) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "tpguide.cli", "--root", str(project), "--today", "2026-06-01", *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def test_new_post_has_complete_front_matter_template_and_citations(project):
    code, out, err = run(project, "new-post", "--title", "Knots: a new trial", "--cite", "smith2020knots,lee2019manual",
                         "--category", "Trials", "--tags", "manual therapy, trials")
    assert code == 0, err
    path = project / "docs/research-news/posts/knots-a-new-trial.md"
    assert "Created docs/research-news/posts/knots-a-new-trial.md" in out
    text = path.read_text(encoding="utf-8")
    meta, body, problems = posts.split(text, str(path))
    assert not problems
    assert meta["title"] == "Knots: a new trial" and meta["date"] == TODAY and meta["draft"] is True
    assert meta["authors"] == ["editorial-team"] and meta["categories"] == ["Trials"]
    assert meta["tags"] == ["manual therapy", "trials"] and meta["slug"] == "knots-a-new-trial"
    assert meta["reviewer"].startswith(posts.PLACEHOLDER)
    assert [line[3:] for line in body.splitlines() if line.startswith("## ")] == list(posts.SECTIONS)
    assert "[@smith2020knots; @lee2019manual]" in body and posts.EXCERPT_SEPARATOR in body
    # As scaffolded it is a valid draft; once the draft line goes, the placeholders block it.
    info = posts.validate(text, path="p.md", settings=posts.NewsSettings(), authors={"editorial-team"}, today=TODAY)
    assert info.problems == [] and info.draft
    undrafted = text.replace("draft: true", "draft: false")
    info = posts.validate(undrafted, path="p.md", settings=posts.NewsSettings(), authors={"editorial-team"},
                          today=TODAY)
    assert any("'FILL IN' placeholder" in str(p) for p in info.problems)


def test_new_post_refuses_unknown_key_and_writes_nothing(project):
    code, _, err = run(project, "new-post", "--title", "Something", "--cite", "smith2020knot")
    assert code == 2
    assert "unknown citation key 'smith2020knot' (did you mean 'smith2020knots'?)" in err
    assert not (project / "docs/research-news/posts/something.md").exists()


def test_new_post_refuses_an_existing_slug_and_never_overwrites(project):
    assert run(project, "new-post", "--title", "Same title", "--cite", "smith2020knots")[0] == 0
    path = project / "docs/research-news/posts/same-title.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nEdited by hand.\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    code, _, err = run(project, "new-post", "--title", "Same title!", "--cite", "smith2020knots")
    assert code == 2 and "a post with the slug 'same-title' already exists" in err
    assert path.read_text(encoding="utf-8") == before
    # A front matter slug counts too, whatever the file is called.
    other = project / "docs/research-news/posts/renamed.md"
    other.write_text(before.replace("slug: same-title", "slug: taken-slug"), encoding="utf-8")
    code, _, err = run(project, "new-post", "--title", "Taken slug", "--cite", "smith2020knots")
    assert code == 2 and "'taken-slug' already exists" in err


def test_new_post_refuses_unknown_category_and_author(project):
    code, _, err = run(project, "new-post", "--title", "X", "--cite", "smith2020knots", "--category", "Gossip")
    assert code == 2 and "unknown category 'Gossip'" in err
    code, _, err = run(project, "new-post", "--title", "X", "--cite", "smith2020knots", "--author", "nobody")
    assert code == 2 and "unknown author 'nobody'" in err


def test_new_article_has_the_full_schema(project):
    code, out, err = run(project, "new-article", "--title", "Heat packs", "--cite", "lee2019manual", "--dir", "treatments")
    assert code == 0, err
    text = (project / "docs/treatments/heat-packs.md").read_text(encoding="utf-8")
    meta, _, _ = posts.split(text, "x")
    assert meta["last_reviewed"] == TODAY and meta["next_review"] == dt.date(2027, 6, 1)
    assert meta["evidence_topics"] == [] and meta["audience"] == "patient"
    assert meta["update_log"] == [{"date": TODAY, "change": "First published."}]
    assert "[@lee2019manual]" in text
    assert run(project, "new-article", "--title", "Heat packs", "--cite", "lee2019manual", "--dir", "treatments")[0] == 2


def test_slugify():
    assert cli.slugify("Pain & Knots: Sánchez-Infante 2021!") == "pain-knots-sanchez-infante-2021"


def _review_site(project):
    docs = project / "docs"
    due = article("Due page", "Text.\n").replace("next_review: 2027-01-10", "next_review: 2026-07-01")
    overdue = article("Overdue", "Text.\n").replace("next_review: 2027-01-10", "next_review: 2026-05-01")
    (docs / "due.md").write_text(due.replace("reviewer: Test Reviewer", "reviewer: Dana Due"), encoding="utf-8")
    (docs / "overdue.md").write_text(overdue, encoding="utf-8")
    (docs / "research-news/posts").mkdir(parents=True, exist_ok=True)
    (docs / "research-news/posts/old.md").write_text("---\ntitle: x\nnext_review: 2020-01-01\n---\n", encoding="utf-8")


def test_review_lists_due_pages_not_others(project):
    _review_site(project)
    code, out, _ = run(project, "review")
    assert code == 0
    assert "docs/due.md" in out and "Dana Due" in out and "2026-07-01" in out and "due in 30 d" in out
    assert "docs/overdue.md" in out and "overdue 31 d" in out
    assert "docs/index.md" not in out  # next review 2027-01-10: not within 60 days
    assert "research-news" not in out  # posts are exempt from review dates
    assert out.index("docs/overdue.md") < out.index("docs/due.md")  # most urgent first
    assert "Page" in out and "Reviewer" in out and "Last reviewed" in out and "Next review" in out


def test_review_days_and_fail_flag(project):
    _review_site(project)
    code, out, _ = run(project, "review", "--days", "10", "--fail")
    assert code == 1 and "docs/overdue.md" in out and "docs/due.md" not in out
    code, out, _ = run(project, "review", "--days", "400")
    assert code == 0 and "docs/index.md" in out


def test_review_nothing_due_passes_with_fail(project):
    code, out, _ = run(project, "review", "--fail")
    assert code == 0 and "No page is due for review" in out and "No evidence search is due" in out


SEARCHES = """\
- topic: knots
  label: Knots
  searched: 2025-05-01
  where: [PubMed]
- topic: needling
  label: Needling
  searched: 2026-01-05
  where: [PubMed]
  every_months: 6
- topic: fresh
  label: Fresh
  searched: 2026-05-20
  where: [PubMed]
"""


def _searches(project, text=SEARCHES):
    evidence = project / "evidence"
    evidence.mkdir(exist_ok=True)
    (evidence / "vocabulary.yml").write_text((ROOT / "evidence/vocabulary.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (evidence / "searches.yml").write_text(text, encoding="utf-8")


def test_review_lists_evidence_searches_that_are_due(project):
    _searches(project)
    code, out, _ = run(project, "review")
    assert code == 0
    searches = out[out.index("evidence search"):]
    rows = [line.split() for line in searches.splitlines() if line.startswith(("knots", "needling", "fresh"))]
    assert rows == [["knots", "2025-05-01", "12", "months", "2026-05-01", "OVERDUE"],
                    ["needling", "2026-01-05", "6", "months", "2026-07-05", "due", "in", "34", "days"]]
    code, _, _ = run(project, "review", "--days", "0", "--fail")
    assert code == 1  # an overdue search alone fails --fail


def test_review_with_broken_evidence_says_so_without_a_traceback(project):
    _searches(project, SEARCHES.replace("every_months: 6", "every_months: often"))
    code, out, err = run(project, "review")
    assert code == 2 and "Traceback" not in err
    assert "evidence/searches.yml:9: search 'needling': 'every_months' must be a whole number of at least 1 -> write the number of months" in err


def test_the_real_project_reads(tmp_path):
    project = cli.load_project(ROOT)
    assert project.docs == ROOT / "docs"
    assert "Trials" in project.news.categories
