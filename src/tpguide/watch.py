"""The evidence watch (issue 25): new PubMed records for each topic since its last search.

    python -m tpguide.watch [--topic dry-needling] [--since 2026-12-01] [--out build/evidence-watch.md]

(`make evidence-watch [TOPIC=...] [SINCE=...] [OUT=...]` calls this; the scheduled workflow
`.github/workflows/evidence-watch.yml` posts the report as an issue.) For each topic of
evidence/searches.yml with a `pubmed:` query, PubMed's E-utilities are asked for the records added
(Entrez date) from the day after `searched` to today (esearch), then for their titles, years and
DOIs (esummary). The report is Markdown, one section per topic, for an editor to screen; it goes
to build/evidence-watch.md by default (build/ is ignored by git), or to stdout with `--out -`.
Everything PubMed sends is untrusted: it is escaped, so the report cannot carry markup.

Environment: NCBI_API_KEY (optional: 10 requests a second instead of 3), NCBI_EMAIL (optional:
sent with tool=tpguide, as NCBI asks of scripts). Exit status: 0 report written; 2 nothing was
checked (PubMed cannot be reached, evidence/ has problems, or an option was refused), with one
message on stderr and no traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import http.client
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import cli
from .build import DEFAULT_EVIDENCE_DIR
from .errors import ContentError
from .evidence import load_evidence_dir
from .evidence.model import Search

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
DOI_URL = "https://doi.org/{doi}"
DEFAULT_OUT = "build/evidence-watch.md"
TITLE = "Evidence watch: candidate papers to screen"
TOOL = "tpguide"
TIMEOUT = 20  # seconds per request
RETMAX = 200  # candidates listed per topic
MAX_BYTES = 10_000_000  # a larger answer is not a PubMed answer
INTERVAL = 1 / 3  # seconds between requests: NCBI allows 3 a second without an API key ...
INTERVAL_WITH_KEY = 1 / 10  # ... and 10 with one
OFFLINE_HINT = "run it where the internet is available, e.g. the scheduled GitHub workflow"

# Errors a network (or a server answering nonsense) can cause: refused, unknown host, timeout, TLS,
# HTTP status, a cut connection, a body that is not UTF-8 JSON.
NETWORK_ERRORS = (OSError, http.client.HTTPException, ValueError)

Fetch = Callable[[str], bytes]


class Unreachable(Exception):
    """PubMed could not be asked, or did not answer as E-utilities do; nothing was checked."""


@dataclass(frozen=True)
class Candidate:
    """One PubMed record added since a topic's last search."""

    pmid: str
    title: str
    year: str
    doi: str


@dataclass(frozen=True)
class Hits:
    """What esearch answered: how many records in all, the first PMIDs, a refusal, words it could not use."""

    count: int = 0
    pmids: tuple[str, ...] = ()
    refused: str = ""  # PubMed's error message when it refused the query
    unmatched: tuple[str, ...] = ()  # phrases or fields of the query PubMed did not find (so it ignored them)


@dataclass(frozen=True)
class TopicResult:
    """What PubMed returned for one topic: its hits, and the first of them as candidates."""

    search: Search
    since: dt.date  # the last search; records added from the next day on
    until: dt.date
    hits: Hits = Hits()
    candidates: tuple[Candidate, ...] = ()


# ---------------------------------------------------------------------------
# PubMed (NCBI E-utilities)
# ---------------------------------------------------------------------------


# GET a URL with a timeout; the body as bytes (network errors propagate to PubMed._get).
def fetch_url(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": f"{TOOL} evidence watch (urllib)"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        body = response.read(MAX_BYTES + 1)
    if len(body) > MAX_BYTES:
        raise ValueError(f"answer larger than {MAX_BYTES} bytes")
    return body


class PubMed:
    """esearch and esummary through an injectable fetch, at most 3 (10 with a key) requests a second."""

    def __init__(self, fetch: Fetch = fetch_url, *, base_url: str = BASE_URL, api_key: str = "", email: str = "",
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic):
        self.fetch, self.sleep, self.clock = fetch, sleep, clock
        self.base_url = base_url.rstrip("/") + "/"
        self.extra = {"tool": TOOL, **({"email": email} if email else {}), **({"api_key": api_key} if api_key else {})}
        self.interval = INTERVAL_WITH_KEY if api_key else INTERVAL
        self.last: float | None = None

    # One E-utilities request as JSON; any network or format failure becomes Unreachable.
    def _get(self, endpoint: str, params: dict[str, str]) -> dict:
        if self.last is not None:
            wait = self.interval - (self.clock() - self.last)
            if wait > 0:
                self.sleep(wait)
        url = f"{self.base_url}{endpoint}?{urllib.parse.urlencode({**params, **self.extra})}"
        try:
            data = json.loads(self.fetch(url).decode("utf-8"))
        except NETWORK_ERRORS as exc:
            raise Unreachable(_reason(exc)) from None
        finally:
            self.last = self.clock()
        if not isinstance(data, dict):
            raise Unreachable(f"{endpoint} answered {type(data).__name__}, not a JSON object")
        if "error" in data:  # service-level errors, such as "API rate limit exceeded"
            raise Unreachable(f"{endpoint} answered: {_one_line(str(data['error']))}")
        return data

    # Records added (Entrez date) from `first` to `last`: the count and the first RETMAX PMIDs, or PubMed's refusal.
    def search(self, query: str, first: dt.date, last: dt.date) -> Hits:
        data = self._get("esearch.fcgi", {
            "db": "pubmed", "term": query, "datetype": "edat", "mindate": first.strftime("%Y/%m/%d"),
            "maxdate": last.strftime("%Y/%m/%d"), "retmax": str(RETMAX), "retmode": "json"})
        result = data.get("esearchresult")
        if not isinstance(result, dict):
            raise Unreachable("esearch answered without 'esearchresult'")
        if "ERROR" in result:
            return Hits(refused=_one_line(str(result["ERROR"])))
        ids, count = result.get("idlist"), str(result.get("count", ""))
        if not isinstance(ids, list) or not count.isdigit():
            raise Unreachable("esearch answered without 'count' and 'idlist'")
        errors = result.get("errorlist") if isinstance(result.get("errorlist"), dict) else {}
        unmatched = [_one_line(str(word)) for key in ("phrasesnotfound", "fieldsnotfound")
                     for word in (errors.get(key) if isinstance(errors.get(key), list) else [])]
        return Hits(count=int(count), pmids=tuple(str(i) for i in ids if re.fullmatch(r"\d{1,12}", str(i))),
                    unmatched=tuple(unmatched))

    # Title, year and DOI of each PMID, in the order given (a record PubMed cannot summarise keeps its PMID).
    def summaries(self, pmids: tuple[str, ...]) -> list[Candidate]:
        if not pmids:
            return []
        data = self._get("esummary.fcgi", {"db": "pubmed", "id": ",".join(pmids), "retmode": "json"})
        result = data.get("result")
        if not isinstance(result, dict):
            raise Unreachable("esummary answered without 'result'")
        return [_candidate(pmid, result.get(pmid)) for pmid in pmids]


# A Candidate from one esummary record (missing fields stay empty).
def _candidate(pmid: str, record) -> Candidate:
    record = record if isinstance(record, dict) else {}
    year = re.search(r"\b(\d{4})\b", str(record.get("pubdate") or record.get("sortpubdate") or ""))
    ids = record.get("articleids") if isinstance(record.get("articleids"), list) else []
    doi = next((str(i.get("value", "")) for i in ids if isinstance(i, dict) and i.get("idtype") == "doi"), "")
    return Candidate(pmid=pmid, title=_one_line(str(record.get("title") or "")), year=year.group(1) if year else "",
                     doi=_one_line(doi))


# The reason of a network error, in one short line.
def _reason(exc: BaseException) -> str:
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(exc, urllib.error.HTTPError):
        text = f"HTTP {exc.code} {exc.reason}"
    elif isinstance(cause, TimeoutError):
        text = f"no answer within {TIMEOUT} s"
    elif isinstance(exc, urllib.error.URLError):
        text = str(exc.reason)
    elif isinstance(exc, (json.JSONDecodeError, UnicodeDecodeError)):
        text = f"the answer is not JSON: {exc}"
    else:
        text = str(exc) or type(exc).__name__
    return _one_line(text)[:200]


# Collapse whitespace and drop control characters.
def _one_line(text: str) -> str:
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


# ---------------------------------------------------------------------------
# The watch
# ---------------------------------------------------------------------------


# Ask PubMed about each search with a query; topics without one are left to the report.
def watch(searches: list[Search], pubmed: PubMed, *, today: dt.date, since: dt.date | None = None) -> list[TopicResult]:
    results = []
    for search in searches:
        if not search.pubmed:
            continue
        last_search = since or search.searched
        result = TopicResult(search=search, since=last_search, until=today)
        first = last_search + dt.timedelta(days=1)
        if first <= today:
            hits = pubmed.search(search.pubmed, first, today)
            result = TopicResult(search=search, since=last_search, until=today, hits=hits,
                                 candidates=tuple(pubmed.summaries(hits.pmids)))
        results.append(result)
    return results


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

# Characters with an inline meaning in (GitHub-flavoured) Markdown tables: backslash-escaped.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]~|$])")
# GitHub turns @name into a notification and owner/repo#1 into a cross-reference: a word joiner
# (U+2060, invisible) after @ and # stops both.
_GITHUB_REFS = re.compile(r"([@#])")


# Untrusted text as inert Markdown: one line, no HTML, no links, emphasis, code, mentions or table breaks.
def md_text(text: str) -> str:
    text = _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _GITHUB_REFS.sub("\\1\u2060", _MD_SPECIAL.sub(r"\\\1", text))


# Our own text (a query) as a code span, fenced by more backticks than it contains.
def md_code(text: str) -> str:
    text = _one_line(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# One table row: the PMID linked to PubMed, the title, the year, the DOI linked to doi.org.
def _row(c: Candidate) -> str:
    pmid = f"[{c.pmid}]({PUBMED_URL.format(pmid=c.pmid)})"
    doi = f"[{md_text(c.doi)}]({DOI_URL.format(doi=urllib.parse.quote(c.doi, safe='/'))})" if c.doi else "-"
    return f"| {pmid} | {md_text(c.title) or '(no title)'} | {c.year or '-'} | {doi} |"


# The section of one topic: label, query, dates, count and the table of candidates.
def _section(r: TopicResult) -> list[str]:
    s = r.search
    out = [f"## {md_text(s.label)} ({md_code(s.topic)})", "", f"Query: {md_code(s.pubmed)}  "]
    if r.since >= r.until:
        return out + [f"Since {r.since}: searched today, nothing to check yet.", ""]
    span = f"Since {r.since} (added to PubMed {r.since + dt.timedelta(days=1)} to {r.until})"
    fix = f"check `pubmed:` at {s.where.path}:{s.where.line}"
    if r.hits.refused:
        return out + [f"{span}: PubMed refused the query: {md_text(r.hits.refused)} -> {fix}.", ""]
    if r.hits.unmatched:
        words = "; ".join(md_text(w) for w in r.hits.unmatched)
        out += [f"PubMed did not find part of the query and searched without it ({words}) -> {fix}.  "]
    count, listed = r.hits.count, len(r.candidates)
    if not count:
        return out + [f"{span}: no new records.", ""]
    more = (f"; only the first {listed} are listed -> narrow the query, or screen a shorter span with --since, "
            "before recording the search") if listed < count else ""
    out += [f"{span}: {count} candidate{'s' if count != 1 else ''}{more}.", "",
            "| PMID | Title | Year | DOI |", "| --- | --- | --- | --- |"]
    return out + [_row(c) for c in r.candidates] + [""]


# The whole report: a summary, one section per watched topic, then the topics not watched.
def report(results: list[TopicResult], unwatched: list[Search], *, today: dt.date) -> str:
    total = sum(r.hits.count for r in results)
    with_new = sum(1 for r in results if r.hits.count)
    out = [f"# {TITLE}", "",
           f"New PubMed records for the topics of `evidence/searches.yml`, checked on {today}: "
           f"{total} candidate{'s' if total != 1 else ''} in {with_new} of {len(results)} topics watched.",
           "Screen each one as the editor guide says (\"The evidence watch: screening new papers\"), then record "
           "the search in `evidence/searches.yml`.", ""]
    for r in results:
        out += _section(r)
    if unwatched:
        names = ", ".join(f"{md_text(s.label)} ({md_code(s.topic)})" for s in unwatched)
        out += ["## Not watched", "", f"No `pubmed:` query in `evidence/searches.yml`: {names}.", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


class Refused(Exception):
    """An option or the evidence files stop the watch before anything is asked."""


# The searches to watch (all, or the one --topic names), from the project's evidence folder.
def load_searches(root: Path | str, topic: str | None = None, *, today: dt.date | None = None) -> list[Search]:
    project = cli.load_project(root)
    evidence_dir = project.root / str(project.tpguide.get("evidence_dir", DEFAULT_EVIDENCE_DIR))
    store = load_evidence_dir(evidence_dir, root=project.root, today=today)
    if topic is None:
        return list(store.searches.values())
    if topic not in store.searches:
        close = difflib.get_close_matches(topic, list(store.searches), n=1)
        raise Refused(f"unknown topic '{topic}' -> " + (f"did you mean '{close[0]}'?" if close else
                      "use a 'topic:' of evidence/searches.yml"))
    return [store.searches[topic]]


# The options (--base-url and --today are for tests).
def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tpguide.watch",
                                     description="Ask PubMed for records added since each topic's last search")
    parser.add_argument("--root", default=".", help="project folder (with mkdocs.yml); default: current folder")
    parser.add_argument("--topic", help="watch only this topic (a 'topic:' of evidence/searches.yml)")
    parser.add_argument("--since", type=dt.date.fromisoformat,
                        help="YYYY-MM-DD: use this instead of each topic's last search date")
    parser.add_argument("--out", default=DEFAULT_OUT, help=f"report file, or - for stdout (default: {DEFAULT_OUT})")
    parser.add_argument("--base-url", default=BASE_URL, help=argparse.SUPPRESS)
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    return parser


# Run the watch and write the report; one line on stderr and exit 2 when nothing could be checked.
def main(argv: list[str] | None = None, *, fetch: Fetch = fetch_url,
         sleep: Callable[[float], None] = time.sleep) -> int:
    args = _parser().parse_args(argv)
    today = args.today or dt.date.today()
    pubmed = PubMed(fetch, base_url=args.base_url, api_key=os.environ.get("NCBI_API_KEY", "").strip(),
                    email=os.environ.get("NCBI_EMAIL", "").strip(), sleep=sleep)
    try:
        if args.since and args.since > today:
            raise Refused(f"--since {args.since} is after today ({today}) -> give the date of the last search")
        searches = load_searches(args.root, args.topic, today=today)
        results = watch(searches, pubmed, today=today, since=args.since)
    except (Refused, cli.Refused) as exc:
        print(f"evidence-watch: {exc}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"evidence-watch: evidence/ has problems; nothing was checked -> fix them first:\n{exc}", file=sys.stderr)
        return 2
    except Unreachable as exc:
        print(f"evidence-watch: PubMed cannot be reached ({exc}); nothing was checked -> {OFFLINE_HINT}",
              file=sys.stderr)
        return 2
    text = report(results, [s for s in searches if not s.pubmed], today=today)
    if args.out == "-":
        sys.stdout.write(text)
        return 0
    out = Path(args.root) / args.out
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        print(f"evidence-watch: cannot write {out} ({_reason(exc)}) -> give another file with --out", file=sys.stderr)
        return 2
    total = sum(r.hits.count for r in results)
    print(f"evidence-watch: {total} candidate(s) in {len(results)} topic(s) watched -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
