"""Page history: "last updated" from git, and the update log shown under each article.

The update log comes from the page's front matter (``update_log:`` list of {date, change}) when it
has one, otherwise from the git commits that touched the file. Without git (a tarball, a fixture
site, git not installed) everything falls back to the page's own dates: nothing fails.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .frontmatter import parse_date

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

GIT_TIMEOUT = 20
MAX_GIT_ENTRIES = 5
_RECORD = "\x1e"
_FIELD = "\x1f"


@dataclass(frozen=True)
class Change:
    """One line of a page's update log."""

    date: dt.date
    change: str


@dataclass(frozen=True)
class History:
    """What the page-history box shows."""

    last_updated: dt.date | None
    updated_source: str  # "git", "front matter" or ""
    entries: tuple[Change, ...] = ()
    entries_source: str = ""  # "front matter", "git" or ""


@dataclass
class GitLog:
    """Commits per docs file (docs-relative path), newest first; empty when git is unavailable."""

    commits: dict[str, list[Change]] = field(default_factory=dict)
    available: bool = False

    def last_date(self, src_uri: str) -> dt.date | None:
        entries = self.commits.get(src_uri)
        return entries[0].date if entries else None


# ---------------------------------------------------------------------------
# Git
# ---------------------------------------------------------------------------


# One read-only `git log` over the docs folder; any failure gives an empty log.
def read_git_log(docs_dir: Path | str) -> GitLog:
    cmd = ["git", "-C", str(docs_dir), "log", "--no-merges", f"--format={_RECORD}%cI{_FIELD}%s",
           "--name-only", "--relative", "--", "."]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return GitLog()
    if result.returncode != 0:
        return GitLog()
    return parse_git_log(result.stdout)


# Parse the output of read_git_log's command into commits per file.
def parse_git_log(text: str) -> GitLog:
    log = GitLog(available=True)
    for record in text.split(_RECORD):
        if not record.strip():
            continue
        head, _, names = record.partition("\n")
        stamp, _, subject = head.partition(_FIELD)
        try:
            day = dt.datetime.fromisoformat(stamp.strip()).date()
        except ValueError:
            continue
        for name in names.splitlines():
            name = name.strip()
            if name:
                log.commits.setdefault(name, []).append(Change(day, subject.strip()))
    return log


# ---------------------------------------------------------------------------
# Page history
# ---------------------------------------------------------------------------


# The history of one page from its front matter and the git log; `checks` (searches of its
# evidence that found nothing new, from search_checks) join the log without changing "last updated".
def page_history(meta: dict, src_uri: str, git: GitLog, checks: tuple[Change, ...] = ()) -> History:
    logged = _front_matter_log(meta)
    git_entries = git.commits.get(src_uri, [])
    if logged:
        entries, entries_source = tuple(logged), "front matter"
    elif git_entries:
        entries, entries_source = tuple(git_entries[:MAX_GIT_ENTRIES]), "git"
    else:
        entries, entries_source = (), ""
    if checks:
        entries = tuple(sorted(entries + tuple(checks), key=lambda c: c.date, reverse=True))
    last = git.last_date(src_uri)
    if last is not None:
        newest_logged = logged[0].date if logged else None
        if newest_logged and newest_logged > last:  # logged but not committed yet
            return History(newest_logged, "front matter", entries, entries_source)
        return History(last, "git", entries, entries_source)
    own = [c.date for c in logged] + [d for d in (parse_date(meta.get("last_reviewed")), parse_date(meta.get("first_published"))) if d]
    return History(max(own) if own else None, "front matter" if own else "", entries, entries_source)


# "Checked, no change" lines for the searches (evidence.model.Search) of a page's topics: each
# search whose outcome was "no change", newest first.
def search_checks(searches) -> tuple[Change, ...]:
    out = {Change(run.searched, f"Evidence on {s.label[:1].lower() + s.label[1:]} searched again: checked, no change.")
           for s in searches for run in s.runs if run.outcome == "no change"}
    return tuple(sorted(out, key=lambda c: (c.date, c.change), reverse=True))


# The update_log of the front matter, newest first (invalid items are left to the schema check).
def _front_matter_log(meta: dict) -> list[Change]:
    out = []
    for item in meta.get("update_log") or []:
        if isinstance(item, dict):
            day = parse_date(item.get("date"))
            change = item.get("change")
            if day and isinstance(change, str) and change.strip():
                out.append(Change(day, change.strip()))
    return sorted(out, key=lambda c: c.date, reverse=True)
