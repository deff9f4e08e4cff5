"""The front matter schema of an article, and its validation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import Problem

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

AUDIENCES = ("patient", "practitioner", "editor", "general")
MAX_DESCRIPTION = 160
KEY_MESSAGES = (2, 5)
MAX_REVIEW_YEARS = 3

REQUIRED = (
    "title",
    "description",
    "audience",
    "authors",
    "reviewer",
    "last_reviewed",
    "next_review",
    "key_messages",
)
# Keys Material or our templates understand besides the required ones.
OPTIONAL = ("tags", "first_published", "update_log", "hide", "icon", "status", "search", "template", "subtitle",
            "handout", "evidence_topics", "clinical_review")
# A clinician's review of a page: who, their profession and public registration, and when. No page
# has one yet; the review box says so plainly (issue 21) until an editor adds this block.
CLINICAL_REVIEW_FIELDS = ("name", "profession", "registration", "date")
# Fields that existed once, and what replaced them.
MOVED = {
    "evidence_checked": "the date now comes from evidence/searches.yml: write 'evidence_topics: [topic, ...]' "
                        "with the search topics this page rests on",
}


@dataclass(frozen=True)
class Review:
    """The review dates of a page, as shown near its title."""

    last_reviewed: dt.date
    next_review: dt.date
    reviewer: str
    evidence_checked: dt.date | None = None  # from evidence/searches.yml (tpguide.evidence), not typed
    clinical: ClinicalReview | None = None  # None: no clinician has reviewed the page


@dataclass(frozen=True)
class ClinicalReview:
    """An independent clinician's review of one page (front matter 'clinical_review')."""

    name: str
    profession: str  # "physiotherapist", "general practitioner"
    registration: str  # the public register and number, e.g. "HCPC PH123456"
    date: dt.date


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


# Every problem with a page's front matter; an empty list means the page is valid.
def validate(meta: dict, *, path: str, source: str, today: dt.date | None = None) -> list[Problem]:
    today = today or dt.date.today()
    problems: list[Problem] = []

    def bad(key: str, message: str, hint: str) -> None:
        problems.append(Problem(path, field_line(source, key), f"front matter field '{key}': {message}", hint))

    for key in REQUIRED:
        if key not in meta or meta[key] in (None, "", []):
            problems.append(
                Problem(path, 1, f"front matter field '{key}' is missing", f"add '{key}:' ({_HINTS[key]})")
            )
    for key in meta:
        if key in MOVED:
            bad(key, "is no longer used", MOVED[key])
            continue
        if key not in REQUIRED and key not in OPTIONAL:
            close = [k for k in REQUIRED + OPTIONAL if _similar(k, key)]
            hint = f"did you mean '{close[0]}'?" if close else "remove it or see the editor guide for allowed fields"
            bad(key, "is not a known field", hint)

    if isinstance(meta.get("title"), str) is False and "title" in meta:
        bad("title", "must be text", "write title: Plain words")
    description = meta.get("description")
    if description is not None:
        if not isinstance(description, str):
            bad("description", "must be text", "write one sentence")
        elif len(description) > MAX_DESCRIPTION:
            bad("description", f"is {len(description)} characters long (at most {MAX_DESCRIPTION})",
                "shorten it: it is shown in search results and link previews")
    audience = meta.get("audience")
    if audience is not None and audience not in AUDIENCES:
        bad("audience", f"{audience!r} is not one of {', '.join(AUDIENCES)}", "pick one of those")
    for key in ("authors",):
        value = meta.get(key)
        if value is not None and not (isinstance(value, list) and value and all(_text(v) for v in value)):
            bad(key, "must be a list of names", "write '- Name' lines under it")
    if meta.get("reviewer") is not None and not _text(meta.get("reviewer")):
        bad("reviewer", "must be a name", "write reviewer: Name")
    messages = meta.get("key_messages")
    if messages is not None:
        lo, hi = KEY_MESSAGES
        if not isinstance(messages, list) or not all(_text(m) for m in messages):
            bad("key_messages", "must be a list of sentences", "write '- sentence' lines under it")
        elif not lo <= len(messages) <= hi:
            bad("key_messages", f"has {len(messages)} items (allowed {lo} to {hi})",
                "keep the 2 to 5 messages a reader must take away")

    dates = {}
    for key in ("last_reviewed", "next_review", "first_published"):
        if key in meta and meta[key] not in (None, ""):
            value = parse_date(meta[key])
            if value is None:
                bad(key, f"{meta[key]!r} is not a date", "write it as YYYY-MM-DD")
            else:
                dates[key] = value
    last, nxt = dates.get("last_reviewed"), dates.get("next_review")
    if last and last > today:
        bad("last_reviewed", f"{last} is in the future", "use the date the review was done")
    if last and nxt:
        if nxt <= last:
            bad("next_review", f"{nxt} is not after last_reviewed ({last})", "set a later date")
        elif nxt > _add_years(last, MAX_REVIEW_YEARS):
            bad("next_review", f"{nxt} is more than {MAX_REVIEW_YEARS} years after last_reviewed ({last})",
                f"review at least every {MAX_REVIEW_YEARS} years")
    topics = meta.get("evidence_topics")
    if topics is not None and not (isinstance(topics, list) and all(_text(x) for x in topics)):
        bad("evidence_topics", "must be a list of search topics", "write 'evidence_topics: [dry-needling, safety]'")
    handout = meta.get("handout")
    if handout is not None and not (handout is True or _text(handout)):
        bad("handout", "must be a short Markdown summary", "write 'handout: |' and a few cited sentences")
    problems += _validate_update_log(meta.get("update_log"), path, source)
    problems += _validate_clinical_review(meta.get("clinical_review"), path, source, today)
    return problems


# clinical_review: {name, profession, registration, date}: every field, a real date, not in the future.
def _validate_clinical_review(review, path: str, source: str, today: dt.date) -> list[Problem]:
    if review is None:
        return []
    line = field_line(source, "clinical_review")
    hint = ("write 'clinical_review:' with 'name:', 'profession:', 'registration:' (the register and number "
            "a reader can check) and 'date: YYYY-MM-DD' indented below it")
    if not isinstance(review, dict):
        return [Problem(path, line, "front matter field 'clinical_review': must be a block of fields", hint)]
    problems = []
    for key in review:
        if key not in CLINICAL_REVIEW_FIELDS:
            problems.append(Problem(path, line, f"front matter field 'clinical_review': unknown field '{key}'", hint))
    for key in CLINICAL_REVIEW_FIELDS[:3]:
        if not _text(review.get(key)):
            problems.append(Problem(path, line, f"front matter field 'clinical_review': '{key}' is missing", hint))
    day = parse_date(review.get("date"))
    if day is None:
        problems.append(Problem(path, line, "front matter field 'clinical_review': 'date' is missing or not a date", hint))
    elif day > today:
        problems.append(Problem(path, line, f"front matter field 'clinical_review': date {day} is in the future",
                                "use the date the clinician reviewed the page"))
    return problems


# The update log is a list of {date: YYYY-MM-DD, change: text}, newest first.
def _validate_update_log(log, path: str, source: str) -> list[Problem]:
    if log is None:
        return []
    line = field_line(source, "update_log")
    if not isinstance(log, list):
        return [Problem(path, line, "front matter field 'update_log': must be a list", "write '- date: ...' items")]
    problems = []
    for i, item in enumerate(log, 1):
        if not isinstance(item, dict) or parse_date(item.get("date")) is None or not _text(item.get("change")):
            problems.append(Problem(path, line, f"front matter field 'update_log': item {i} needs a date and a change",
                                    "write '- date: YYYY-MM-DD' and '  change: what changed'"))
    return problems


# Review dates of a valid page.
def review_of(meta: dict) -> Review:
    clinical = meta.get("clinical_review")
    return Review(
        last_reviewed=parse_date(meta["last_reviewed"]),
        next_review=parse_date(meta["next_review"]),
        reviewer=str(meta["reviewer"]),
        clinical=ClinicalReview(name=str(clinical["name"]), profession=str(clinical["profession"]),
                                registration=str(clinical["registration"]), date=parse_date(clinical["date"]))
        if isinstance(clinical, dict) else None,
    )


# 1-based line of "key:" in the front matter of source, or 1 when absent.
def field_line(source: str, key: str) -> int:
    m = re.search(rf"^{re.escape(key)}\s*:", source, re.M)
    return source.count("\n", 0, m.start()) + 1 if m else 1


# A date from YAML (date, datetime) or text (YYYY-MM-DD); None when it is not one.
def parse_date(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _similar(a: str, b: str) -> bool:
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio() > 0.75


_HINTS = {
    "title": "the page title",
    "description": f"one sentence, at most {MAX_DESCRIPTION} characters",
    "audience": "one of " + ", ".join(AUDIENCES),
    "authors": "a list of names",
    "reviewer": "who reviewed the page",
    "last_reviewed": "YYYY-MM-DD",
    "next_review": f"YYYY-MM-DD, after last_reviewed and at most {MAX_REVIEW_YEARS} years later",
    "key_messages": "a list of 2 to 5 sentences",
}
