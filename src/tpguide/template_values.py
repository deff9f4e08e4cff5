"""What page templates show, as plain data (issue 24): dates come pre-formatted, so a template
needs no Python method (``.strftime``) and reads the same on any engine's template language
(Jinja2 under MkDocs and ProperDocs; minijinja under Zensical has no methods on values).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .history import History


def day(value: dt.date | None) -> dict[str, str] | None:
    """A date as ``{"iso": "2026-12-06", "long": "6 December 2026", "short": "6 Dec 2026"}``; None stays None."""
    if value is None:
        return None
    return {"iso": value.isoformat(), "long": f"{value.day} {value:%B %Y}", "short": f"{value.day} {value:%b %Y}"}


def history(story: History) -> dict:
    """The page-history box: the last update and the log entries, each date pre-formatted."""
    return {
        "last_updated": day(story.last_updated),
        "updated_source": story.updated_source,
        "entries": [{"date": day(entry.date), "change": entry.change} for entry in story.entries],
        "entries_source": story.entries_source,
    }


def plain(value, *, keep_dates: bool = False):
    """``value`` as plain data a page's front matter can carry (dicts, lists, strings, numbers):
    dataclasses become dicts, tuples and sets lists, dates ISO strings (``keep_dates``: dates stay
    dates, as YAML writes them), anything else that is not plain data its text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name), keep_dates=keep_dates) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v, keep_dates=keep_dates) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [plain(v, keep_dates=keep_dates) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value if keep_dates else value.isoformat()
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)
