"""What changed in the evidence (tpguide.changes): record-by-record comparison of versions from git."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from tpguide import changes

WHEN = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc)
OLD = """\
findings:
  - id: f1
    estimate: -1.5
    ci: [-2.5, -0.5]
    certainty: low
  - id: gone
    estimate: 1
harms:
  - id: h1
    how_often: {kind: rate, n: 76, of: 1000}
"""
NEW = """\
findings:
  - id: f1
    estimate: -1.2
    ci: [-2.0, -0.4]
    certainty: moderate
  - id: f2
    estimate: 0.3
harms:
  - id: h1
    how_often: {kind: rate, n: 80, of: 1000}
"""


def test_versions_are_compared_record_by_record_with_old_and_new_values():
    out = changes.diff_versions(changes.records_of(OLD), changes.records_of(NEW), when=WHEN, commit="c" * 40,
                                why="New review", treatment="needling")
    assert [(c.kind, c.id, c.change) for c in out] == [
        ("finding", "f1", "changed"), ("finding", "f2", "added"), ("finding", "gone", "removed"), ("harm", "h1", "changed")]
    assert [(f.name, f.old, f.new) for f in out[0].fields] == [
        ("estimate", "-1.5", "-1.2"), ("ci", "[-2.5, -0.5]", "[-2.0, -0.4]"), ("certainty", "low", "moderate")]
    assert [(f.name, f.old, f.new) for f in out[3].fields] == [("how_often.n", "76", "80")]
    assert changes.summary(out[0]) == ("Finding f1 (needling) changed: estimate -1.5 → -1.2; ci [-2.5, -0.5] → [-2.0, -0.4]; "
                                       "certainty low → moderate.")
    assert out[0].date == dt.date(2026, 3, 1)


def test_a_version_that_does_not_parse_is_skipped_not_an_error():
    assert changes.records_of("findings: [unclosed") == {}
    assert changes.records_of("- a list\n") == {}
    assert changes.records_of("findings: 3\nharms:\n  - no id\n") == {"findings": {}, "harms": {}}


def test_long_values_are_cut_and_plain():
    assert changes.value_text("word " * 100).endswith("…") and len(changes.value_text("word " * 100)) == changes.MAX_VALUE
    assert changes.value_text(True) == "yes" and changes.value_text(None) == ""


def test_git_text_is_escaped_and_never_read_as_a_citation():
    change = changes.RecordChange(WHEN, "a" * 40, "Fix <script>alert(1)</script> per [@smith2020]", "finding", "f1",
                                  "needling", "changed", (changes.FieldChange("notes", "see [@x]", "<b>y</b>"),))
    html = changes.changes_html([change], lambda t: "../needling/", names={"needling": "Needling"})
    assert "<script>" not in html and "<b>" not in html and "[@" not in html
    assert "&lt;script&gt;" in html and "&#91;&#64;smith2020]" in html
    assert '<a href="../needling/">Needling</a>' in html and 'id="change-aaaaaaaaaaaa"' in html
    assert "<td>changed: notes</td><td>see &#91;&#64;x]</td><td>&lt;b&gt;y&lt;/b&gt;</td>" in html


def test_without_history_the_page_says_so():
    assert "not available in this copy" in changes.changes_html(None, lambda t: "", names={})
    assert "No finding or harm has changed yet" in changes.changes_html([], lambda t: "", names={})


def test_one_feed_entry_per_commit_with_its_reason():
    out = changes.diff_versions(changes.records_of(OLD), changes.records_of(NEW), when=WHEN, commit="b" * 40,
                                why="New review", treatment="needling")
    items = changes.feed_items(out, "https://x.org/what-changed/", names={"needling": "Needling"})
    assert len(items) == 1
    assert items[0].id == "https://x.org/what-changed/#change-bbbbbbbbbbbb" and items[0].title == "Evidence changed: Needling"
    assert items[0].summary.startswith("Why: New review Finding f1 (needling) changed: estimate -1.5 → -1.2")


def _git(root, *args):
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@x", "GIT_COMMITTER_NAME": "t",
                        "GIT_COMMITTER_EMAIL": "t@x", "GIT_COMMITTER_DATE": "2026-03-01T12:00:00+00:00",
                        "GIT_AUTHOR_DATE": "2026-03-01T12:00:00+00:00", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def test_changes_are_read_from_git_history(tmp_path):
    folder = tmp_path / "evidence" / "treatments"
    folder.mkdir(parents=True)
    _git(tmp_path, "init", "-q")
    (folder / "needling.yml").write_text(OLD, encoding="utf-8")
    (tmp_path / "other.txt").write_text("x", encoding="utf-8")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "First evidence")
    (folder / "needling.yml").write_text(NEW, encoding="utf-8")
    _git(tmp_path, "commit", "-q", "-am", "New review of needling")
    got = changes.read_changes(tmp_path)
    assert [(c.why, c.id, c.change) for c in got] == [
        ("New review of needling", "f1", "changed"), ("New review of needling", "f2", "added"),
        ("New review of needling", "gone", "removed"), ("New review of needling", "h1", "changed"),
        ("First evidence", "f1", "added"), ("First evidence", "gone", "added"), ("First evidence", "h1", "added")]


def test_no_git_history_gives_none(tmp_path):
    assert changes.read_changes(tmp_path) is None


def test_a_shallow_clone_gives_none_not_everything_added(tmp_path):
    source = tmp_path / "source"
    (source / "evidence" / "treatments").mkdir(parents=True)
    _git(source, "init", "-q")
    for i, text in enumerate((OLD, NEW)):
        (source / "evidence" / "treatments" / "needling.yml").write_text(text, encoding="utf-8")
        _git(source, "add", ".")
        _git(source, "commit", "-q", "-m", f"v{i}")
    _git(tmp_path, "clone", "-q", "--depth", "1", f"file://{source}", str(tmp_path / "shallow"))
    assert changes.read_changes(source) and changes.read_changes(tmp_path / "shallow") is None


@pytest.mark.parametrize("line", ["", "garbage", "\x1fonly\x1f", "abc\x1fnot-a-date\x1fx"])
def test_odd_log_records_are_skipped(line):
    assert changes.parse_raw_log("\x1e" + line + "\n:100644 100644 a b M\tevidence/treatments/x.yml\n") == []


@pytest.mark.parametrize("text, words", [
    ("Issue 21 follow-ups: GP review of the warning signs", "GP review"),
    ("Decision aid, after a clinician's review: fits", "clinician's review"),
    ("safety from two reviews (clinician, patient on a phone)", "reviews (clinician"),
    ("Harm wording (patient review)", "patient review"),
    ("Warning signs reviewed by a doctor", "reviewed by a doctor"),
    ("Second reviews: clearer clot signs", None),
    ("Checked against the guideline; a GP's letter", None),
    ("the review of patients' records", None),
])
def test_a_reason_that_claims_a_clinical_or_patient_review_is_found(text, words):
    assert changes.claims_review(text) == words


def test_a_public_reason_replaces_the_commit_line_by_its_id_prefix():
    made = [changes.RecordChange(when=WHEN, commit=c * 40, why="GP review", kind="finding", id="f1",
                                 treatment="t", change="added") for c in "ab"]
    out = changes.with_reasons(made, {"a" * 7: "Editorial review"})
    assert [c.why for c in out] == ["Editorial review", "GP review"]
    assert [p.message.split(":")[0] for p in changes.review_claim_problems(out)] == [
        "the reason shown for commit bbbbbbb says 'GP review'"]
    assert changes.with_reasons(None, {"a" * 7: "x"}) is None
