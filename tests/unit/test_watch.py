"""The evidence watch (`make evidence-watch`): recorded PubMed answers, escaping, offline exits, workflow."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
from pathlib import Path

import pytest
import yaml

from support import ROOT
from tpguide import watch

RECORDED = ROOT / "tests" / "data" / "pubmed"
WORKFLOW = ROOT / ".github" / "workflows" / "evidence-watch.yml"
TODAY = "2027-01-15"

SEARCHES = """\
- topic: dry-needling
  label: Dry needling
  searched: 2026-12-01
  where: [PubMed]
  pubmed: '"dry needling"[tiab]'

- topic: manual-therapy
  label: Hands-on (manual) therapy
  searched: 2026-11-15
  where: [PubMed]
  pubmed: 'massage[tiab] AND myofascal[tiab]'

- topic: mechanisms
  label: How trigger points might arise
  searched: 2026-12-01
  where: [PubMed]
"""

# Which recorded answer each request gets: esearch by its query, esummary by its PMIDs.
ANSWERS = {
    ("esearch.fcgi", '"dry needling"[tiab]'): "esearch-dry-needling.json",
    ("esummary.fcgi", "99000002,99000001"): "esummary-dry-needling.json",
    ("esearch.fcgi", "massage[tiab] AND myofascal[tiab]"): "esearch-manual-therapy.json",
    ("esearch.fcgi", "untrusted[tiab]"): "esearch-untrusted.json",
    ("esummary.fcgi", "99000003"): "esummary-untrusted.json",
    ("esearch.fcgi", "unbalanced(("): "esearch-refused.json",
    ("esearch.fcgi", "many[tiab]"): "esearch-many.json",
}

EXPECTED = """\
# Evidence watch: candidate papers to screen

New PubMed records for the topics of `evidence/searches.yml`, checked on 2027-01-15: 2 candidates in 1 of 2 topics watched.
Screen each one as the editor guide says ("The evidence watch: screening new papers"), then record the search in `evidence/searches.yml`.

## Dry needling (`dry-needling`)

Query: `"dry needling"[tiab]`  
Since 2026-12-01 (added to PubMed 2026-12-02 to 2027-01-15): 2 candidates.

| PMID | Title | Year | DOI |
| --- | --- | --- | --- |
| [99000002](https://pubmed.ncbi.nlm.nih.gov/99000002/) | Fixture trial of dry needling for neck pain: a made-up record. | 2027 | [10.5555/fixture.2](https://doi.org/10.5555/fixture.2) |
| [99000001](https://pubmed.ncbi.nlm.nih.gov/99000001/) | Fixture review of needling harms in 12 surveys. | 2026 | - |

## Hands-on (manual) therapy (`manual-therapy`)

Query: `massage[tiab] AND myofascal[tiab]`  
PubMed did not find part of the query and searched without it (myofascal) -> check `pubmed:` at evidence/searches.yml:7.  
Since 2026-11-15 (added to PubMed 2026-11-16 to 2027-01-15): no new records.

## Not watched

No `pubmed:` query in `evidence/searches.yml`: How trigger points might arise (`mechanisms`).
"""


class Recorded:
    """A fetch that answers from tests/data/pubmed/ and remembers every request."""

    def __init__(self):
        self.requests: list[tuple[str, dict[str, str]]] = []

    def __call__(self, url: str) -> bytes:
        parts = urllib.parse.urlsplit(url)
        endpoint = parts.path.rsplit("/", 1)[-1]
        params = dict(urllib.parse.parse_qsl(parts.query))
        self.requests.append((endpoint, params))
        key = params["term"] if endpoint == "esearch.fcgi" else params["id"]
        return (RECORDED / ANSWERS[(endpoint, key)]).read_bytes()


# A project folder with mkdocs.yml, the real vocabulary and the given searches.
def make_project(tmp_path: Path, searches: str = SEARCHES) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: Fixture\n", encoding="utf-8")
    evidence = tmp_path / "evidence"
    evidence.mkdir()
    (evidence / "vocabulary.yml").write_text((ROOT / "evidence" / "vocabulary.yml").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    (evidence / "searches.yml").write_text(searches, encoding="utf-8")
    return tmp_path


# The watch on a fixture project, as of TODAY, without sleeping between requests.
def run(project: Path, *args: str, fetch=None) -> int:
    return watch.main(["--root", str(project), "--today", TODAY, *args], fetch=fetch or Recorded(),
                      sleep=lambda seconds: None)


def one_search(query: str, searched: str = "2026-12-01") -> str:
    return f"- topic: t\n  label: T\n  searched: {searched}\n  where: [PubMed]\n  pubmed: '{query}'\n"


@pytest.fixture(autouse=True)
def no_ncbi_env(monkeypatch):
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    monkeypatch.delenv("NCBI_EMAIL", raising=False)


# ---------------------------------------------------------------------------
# The report from recorded answers
# ---------------------------------------------------------------------------


def test_report_for_recorded_responses(tmp_path, capsys):
    project = make_project(tmp_path)
    assert run(project, "--out", "report.md") == 0
    text = (project / "report.md").read_text(encoding="utf-8")
    assert text == EXPECTED
    rows = [line for line in text.splitlines() if line.startswith("| [")]
    assert rows == [
        "| [99000002](https://pubmed.ncbi.nlm.nih.gov/99000002/) | Fixture trial of dry needling for neck pain: a made-up "
        "record. | 2027 | [10.5555/fixture.2](https://doi.org/10.5555/fixture.2) |",
        "| [99000001](https://pubmed.ncbi.nlm.nih.gov/99000001/) | Fixture review of needling harms in 12 surveys. | 2026 | - |",
    ]
    out, err = capsys.readouterr()
    assert err == ""
    assert out == f"evidence-watch: 2 candidate(s) in 2 topic(s) watched -> {project / 'report.md'}\n"


def test_default_report_goes_to_build_which_git_ignores(tmp_path):
    project = make_project(tmp_path)
    assert run(project) == 0
    assert (project / "build" / "evidence-watch.md").read_text(encoding="utf-8") == EXPECTED
    assert watch.DEFAULT_OUT == "build/evidence-watch.md"
    assert "/build/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_report_to_stdout(tmp_path, capsys):
    project = make_project(tmp_path)
    assert run(project, "--out", "-") == 0
    assert capsys.readouterr().out == EXPECTED
    assert not (project / "build").exists()


def test_query_sent_is_the_stored_query_from_the_day_after_the_last_search(tmp_path):
    project = make_project(tmp_path)
    fetch = Recorded()
    assert run(project, "--out", "-", fetch=fetch) == 0
    assert [endpoint for endpoint, _ in fetch.requests] == ["esearch.fcgi", "esummary.fcgi", "esearch.fcgi"]
    first, summary, second = (params for _, params in fetch.requests)
    assert first == {"db": "pubmed", "term": '"dry needling"[tiab]', "datetype": "edat", "mindate": "2026/12/02",
                     "maxdate": "2027/01/15", "retmax": "200", "retmode": "json", "tool": "tpguide"}
    assert summary == {"db": "pubmed", "id": "99000002,99000001", "retmode": "json", "tool": "tpguide"}
    assert (second["term"], second["mindate"], second["maxdate"]) == ("massage[tiab] AND myofascal[tiab]",
                                                                       "2026/11/16", "2027/01/15")


def test_requests_go_to_eutils_by_default():
    urls = []
    pubmed = watch.PubMed(lambda url: urls.append(url) or (RECORDED / "esearch-manual-therapy.json").read_bytes())
    pubmed.search("x", dt.date(2026, 1, 2), dt.date(2026, 2, 1))
    assert urls[0].startswith("https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi?")


def test_email_and_api_key_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("NCBI_EMAIL", "editors@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "k123")
    project = make_project(tmp_path)
    fetch = Recorded()
    assert run(project, "--topic", "dry-needling", "--out", "-", fetch=fetch) == 0
    for _, params in fetch.requests:
        assert (params["tool"], params["email"], params["api_key"]) == ("tpguide", "editors@example.org", "k123")


def test_since_overrides_the_last_search_date(tmp_path):
    project = make_project(tmp_path)
    fetch = Recorded()
    assert run(project, "--topic", "dry-needling", "--since", "2026-10-31", "--out", "r.md", fetch=fetch) == 0
    assert fetch.requests[0][1]["mindate"] == "2026/11/01"
    assert "Since 2026-10-31 (added to PubMed 2026-11-01 to 2027-01-15): 2 candidates." in (project / "r.md").read_text()


def test_topic_searched_today_asks_nothing(tmp_path, capsys):
    project = make_project(tmp_path, one_search("x[tiab]", searched=TODAY))
    fetch = Recorded()
    assert run(project, "--out", "-", fetch=fetch) == 0
    assert fetch.requests == []
    assert "Since 2027-01-15: searched today, nothing to check yet." in capsys.readouterr().out


def test_at_most_three_requests_a_second_without_a_key():
    sleeps: list[float] = []
    answers = iter([(RECORDED / name).read_bytes() for name in
                    ("esearch-dry-needling.json", "esummary-dry-needling.json", "esearch-manual-therapy.json")])
    pubmed = watch.PubMed(lambda url: next(answers), sleep=sleeps.append, clock=lambda: 100.0)
    hits = pubmed.search("a", dt.date(2026, 1, 2), dt.date(2026, 2, 1))
    pubmed.summaries(hits.pmids)
    pubmed.search("b", dt.date(2026, 1, 2), dt.date(2026, 2, 1))
    assert sleeps == [pytest.approx(1 / 3), pytest.approx(1 / 3)]  # none before the first request


def test_at_most_ten_requests_a_second_with_a_key():
    sleeps: list[float] = []
    pubmed = watch.PubMed(lambda url: (RECORDED / "esearch-manual-therapy.json").read_bytes(), api_key="k",
                          sleep=sleeps.append, clock=lambda: 5.0)
    pubmed.search("a", dt.date(2026, 1, 2), dt.date(2026, 2, 1))
    pubmed.search("b", dt.date(2026, 1, 2), dt.date(2026, 2, 1))
    assert sleeps == [pytest.approx(0.1)]


def test_no_sleep_when_the_interval_has_passed():
    sleeps: list[float] = []
    ticks = iter([0.0, 10.0, 10.0])
    pubmed = watch.PubMed(lambda url: (RECORDED / "esearch-manual-therapy.json").read_bytes(), sleep=sleeps.append,
                          clock=lambda: next(ticks))
    pubmed.search("a", dt.date(2026, 1, 2), dt.date(2026, 2, 1))
    pubmed.search("b", dt.date(2026, 1, 2), dt.date(2026, 2, 1))
    assert sleeps == []


def test_topics_without_pubmed_are_reported_as_not_watched(tmp_path, capsys):
    project = make_project(tmp_path)
    fetch = Recorded()
    assert run(project, "--topic", "mechanisms", "--out", "-", fetch=fetch) == 0
    text = capsys.readouterr().out
    assert fetch.requests == []
    assert "0 candidates in 0 of 0 topics watched." in text
    assert text.endswith("## Not watched\n\nNo `pubmed:` query in `evidence/searches.yml`: "
                         "How trigger points might arise (`mechanisms`).\n")
    assert "## How trigger points might arise" not in text


def test_a_refused_query_names_the_line_to_fix(tmp_path, capsys):
    project = make_project(tmp_path, one_search("unbalanced(("))
    assert run(project, "--out", "-") == 0
    assert ("Since 2026-12-01 (added to PubMed 2026-12-02 to 2027-01-15): PubMed refused the query: Invalid query: "
            "unbalanced parentheses -> check `pubmed:` at evidence/searches.yml:1.\n") in capsys.readouterr().out


def test_more_records_than_listed_says_so(tmp_path, capsys):
    project = make_project(tmp_path, one_search("many[tiab]"))
    assert run(project, "--out", "-") == 0
    text = capsys.readouterr().out
    assert ("350 candidates; only the first 2 are listed -> narrow the query, or screen a shorter span with "
            "--since, before recording the search.") in text
    assert len([line for line in text.splitlines() if line.startswith("| [")]) == 2


# ---------------------------------------------------------------------------
# Untrusted titles
# ---------------------------------------------------------------------------


def test_untrusted_title_is_escaped(tmp_path, capsys):
    project = make_project(tmp_path, one_search("untrusted[tiab]"))
    assert run(project, "--out", "-") == 0
    text = capsys.readouterr().out
    (row,) = [line for line in text.splitlines() if line.startswith("| [")]
    assert row == (
        "| [99000003](https://pubmed.ncbi.nlm.nih.gov/99000003/) | Fixture &lt;script&gt;alert(1)&lt;/script&gt; \\| "
        "\\[click\\](javascript:alert(1)) &lt;img src=x onerror=alert(2)&gt; \\*bold\\* \\`code\\` @\u2060someone "
        "owner/repo#\u20601 &amp; more | 2026 | [10.5555/x) &lt;b&gt;\\|](https://doi.org/10.5555/x%29%20%3Cb%3E%7C) |")
    for raw in ("<script", "<img", "<b>", "[click]", "@someone", "#1"):
        assert raw not in text
    # the row still has exactly four cells: every other pipe is escaped
    assert len(re.findall(r"(?<!\\)\|", row)) == 5


@pytest.mark.parametrize("raw,escaped", [
    ("a | b", "a \\| b"),
    ("<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"),
    ("[x](https://evil.example)", "\\[x\\](https://evil.example)"),
    ("line one\nline two\tend\x07", "line one line two end"),
    ("a_b*c`d~e$f\\g", "a\\_b\\*c\\`d\\~e\\$f\\\\g"),
    ("&lt;", "&amp;lt;"),
])
def test_md_text(raw, escaped):
    assert watch.md_text(raw) == escaped


def test_md_code_outfences_backticks():
    assert watch.md_code('"dry needling"[tiab]') == '`"dry needling"[tiab]`'
    assert watch.md_code("a `b` c") == "``a `b` c``"
    assert watch.md_code("`x`") == "`` `x` ``"


# ---------------------------------------------------------------------------
# Offline: one line, exit 2, no traceback, no report
# ---------------------------------------------------------------------------


def _raise(exc: BaseException):
    def fetch(url: str) -> bytes:
        raise exc
    return fetch


OFFLINE = [
    (_raise(urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))), "[Errno -2] Name or service not known"),
    (_raise(urllib.error.URLError(ConnectionRefusedError(111, "Connection refused"))), "[Errno 111] Connection refused"),
    (_raise(TimeoutError("timed out")), "no answer within 20 s"),
    (_raise(socket.timeout("timed out")), "no answer within 20 s"),
    (_raise(urllib.error.URLError(TimeoutError("timed out"))), "no answer within 20 s"),
    (_raise(urllib.error.HTTPError("https://x", 429, "Too Many Requests", {}, None)), "HTTP 429 Too Many Requests"),
    (_raise(ConnectionResetError(104, "Connection reset by peer")), "[Errno 104] Connection reset by peer"),
    (_raise(http.client.RemoteDisconnected("Remote end closed connection without response")),
     "Remote end closed connection without response"),
    (_raise(http.client.IncompleteRead(b"{", 100)), "IncompleteRead(1 bytes read, 100 more expected)"),
    (lambda url: b"<html>Service unavailable</html>", "the answer is not JSON: Expecting value: line 1 column 1 (char 0)"),
    (lambda url: b"\xff\xfe", "the answer is not JSON: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"),
    (lambda url: b"[1, 2]", "esearch.fcgi answered list, not a JSON object"),
    (lambda url: b'{"error": "API rate limit exceeded", "count": "11"}', "esearch.fcgi answered: API rate limit exceeded"),
    (lambda url: b'{"header": {}}', "esearch answered without 'esearchresult'"),
    (lambda url: b'{"esearchresult": {"count": "2"}}', "esearch answered without 'count' and 'idlist'"),
]


@pytest.mark.parametrize("fetch,reason", OFFLINE)
def test_offline_says_so_in_one_line_and_exits_2(tmp_path, capsys, fetch, reason):
    project = make_project(tmp_path)
    assert run(project, "--out", "report.md", fetch=fetch) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (f"evidence-watch: PubMed cannot be reached ({reason}); nothing was checked -> run it where the "
                   "internet is available, e.g. the scheduled GitHub workflow\n")
    assert not (project / "report.md").exists()


def test_a_failure_after_the_first_answers_writes_no_report(tmp_path, capsys):
    project = make_project(tmp_path)
    answers = iter([(RECORDED / "esearch-dry-needling.json").read_bytes()])

    def fetch(url: str) -> bytes:
        try:
            return next(answers)
        except StopIteration:
            raise TimeoutError("timed out") from None

    assert run(project, "--out", "report.md", fetch=fetch) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert not (project / "report.md").exists()


def test_offline_from_the_command_line(tmp_path):
    project = make_project(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "tpguide.watch", "--root", str(project), "--base-url",
                           "http://127.0.0.1:9/", "--out", "report.md"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert re.fullmatch(r"evidence-watch: PubMed cannot be reached \(.+\); nothing was checked -> run it where the "
                        r"internet is available, e.g\. the scheduled GitHub workflow\n", proc.stderr), proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (project / "report.md").exists()


# ---------------------------------------------------------------------------
# Refusals before anything is asked
# ---------------------------------------------------------------------------


def test_evidence_problems_end_in_file_line_what_and_fix(tmp_path, capsys):
    project = make_project(tmp_path, SEARCHES.replace("searched: 2026-11-15", "searched: 2026-13-01"))
    fetch = Recorded()
    assert run(project, "--out", "report.md", fetch=fetch) == 2
    err = capsys.readouterr().err
    assert err.startswith("evidence-watch: evidence/ has problems; nothing was checked -> fix them first:\n")
    assert re.search(r"^evidence/searches\.yml:9: .+ -> .+$", err, re.M), err
    assert "Traceback" not in err
    assert fetch.requests == []


def test_unknown_topic_suggests_the_closest(tmp_path, capsys):
    project = make_project(tmp_path)
    assert run(project, "--topic", "dry-needle", fetch=Recorded()) == 2
    assert capsys.readouterr().err == "evidence-watch: unknown topic 'dry-needle' -> did you mean 'dry-needling'?\n"


def test_since_after_today_is_refused(tmp_path, capsys):
    project = make_project(tmp_path)
    assert run(project, "--since", "2027-02-01", fetch=Recorded()) == 2
    assert capsys.readouterr().err == ("evidence-watch: --since 2027-02-01 is after today (2027-01-15) -> give the "
                                       "date of the last search\n")


def test_the_real_searches_load_and_have_queries():
    assert any(s.pubmed for s in watch.load_searches(ROOT))


# ---------------------------------------------------------------------------
# make target and scheduled workflow
# ---------------------------------------------------------------------------


def test_make_target_calls_the_watch():
    proc = subprocess.run(["make", "-n", "evidence-watch", "TOPIC=dry-needling", "OUT=build/x.md", "SINCE=2026-12-01"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r'python -m tpguide\.watch[\s\\]+--topic "dry-needling"[\s\\]+--since "2026-12-01"[\s\\]+--out "build/x\.md"',
                     proc.stdout), proc.stdout


def test_workflow_runs_the_watch_on_a_schedule_and_posts_an_issue():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert triggers["schedule"][0]["cron"].split()[2:4] == ["1", "*"]  # monthly
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "issues": "write"}
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert re.search(r"^\s*make evidence-watch OUT=", runs, re.M)
    assert "gh issue create" in runs and "--body-file" in runs
    assert watch.TITLE in json.dumps(workflow)
    assert any(str(step.get("uses", "")).startswith("astral-sh/setup-uv@") for step in steps)
