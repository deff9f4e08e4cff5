"""Template values as plain data (issue 24): pre-formatted dates, and no Python method calls in
our templates, so they read the same under Jinja2 (MkDocs, ProperDocs) and minijinja (Zensical)."""

from __future__ import annotations

import datetime as dt
import re

from support import ROOT
from tpguide import template_values
from tpguide.history import Change, History

_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_METHOD_CALL_RE = re.compile(r"\.\s*[A-Za-z_]\w*\s*\(")
# Material's translation macro (partials/language.html): a macro call, which minijinja has too
_MACRO_RE = re.compile(r"\blang\.t\(")


def test_day_is_iso_long_and_short_without_leading_zero():
    assert template_values.day(dt.date(2026, 3, 4)) == {"iso": "2026-03-04", "long": "4 March 2026", "short": "4 Mar 2026"}
    assert template_values.day(dt.date(2026, 12, 31))["long"] == "31 December 2026"
    assert template_values.day(None) is None


def test_history_dates_are_pre_formatted():
    story = History(dt.date(2026, 5, 1), "git", (Change(dt.date(2026, 5, 1), "Added <x>"),), "git")
    out = template_values.history(story)
    assert out["last_updated"]["long"] == "1 May 2026" and out["updated_source"] == "git"
    # the text is left as written: the template escapes it
    assert out["entries"] == [{"date": {"iso": "2026-05-01", "long": "1 May 2026", "short": "1 May 2026"},
                               "change": "Added <x>"}]
    assert template_values.history(History(None, ""))["last_updated"] is None


def _method_calls(text: str) -> list[str]:
    return [tag for tag in _TAG_RE.findall(text) if _METHOD_CALL_RE.search(_MACRO_RE.sub("", tag))]


def test_the_check_finds_a_method_call():
    assert _method_calls('<time>{{ tpg.review.last_reviewed.strftime("%-d %B %Y") }}</time>')
    assert _method_calls("{% for k, v in tpg.items() %}")
    assert not _method_calls("{{ tpg.dates.last_reviewed.long }} <script>x.join('')</script> {{ a | join(', ') }}")
    assert not _method_calls("{{ lang.t('search') }}") and _method_calls("{{ lang.t('x') ~ d.isoformat() }}")


def test_our_templates_call_no_python_method():
    found = {str(p.relative_to(ROOT)): _method_calls(p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / "overrides").rglob("*.html"))}
    assert {path: calls for path, calls in found.items() if calls} == {}


def test_plain_can_keep_dates_for_yaml_and_writes_other_objects_as_text():
    from pathlib import PurePosixPath

    value = {"date": dt.date(2026, 11, 26), "tags": ("a",), "path": PurePosixPath("x/y")}
    assert template_values.plain(value, keep_dates=True) == {"date": dt.date(2026, 11, 26), "tags": ["a"], "path": "x/y"}
    assert template_values.plain(value)["date"] == "2026-11-26"
