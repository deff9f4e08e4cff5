"""Find the parts of a Markdown page that are code, so that nothing inside them is rewritten."""

from __future__ import annotations

import functools
import re

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

_FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# (not after a backslash: "\\`" is a literal backtick, no code span)
_INLINE_CODE_RE = re.compile(r"(?<![`\\])(?P<ticks>`+)(?!`)(?P<body>.+?)(?<!`)(?P=ticks)(?!`)", re.S)
_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n")
# An HTML comment as a browser ends it: "<!-->" and "<!--->" are whole (empty) comments, and "--!>"
# ends one as "-->" does (read on to the next "-->", they would hide the HTML after them).
_HTML_COMMENT_RE = re.compile(r"<!--(?:-?>|.*?--!?>)", re.S)
_FRONT_MATTER_RE = re.compile(r"\A---\s*\n.*?\n(?:---|\.\.\.)\s*\n", re.S)


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


# Sorted, merged (start, end) character spans of fenced code, inline code and (comments=True) HTML
# comments. The content checks leave comments in: what a browser ends a comment at is not always
# where a pattern would, so they check what is inside too.
def code_spans(markdown: str, *, comments: bool = True) -> list[tuple[int, int]]:
    return list(_code_spans(markdown, comments))


# Kept for the last few texts: the citations, evidence markers, charts and checks each ask about
# the same page (a string's hash is computed once and kept by Python, so a lookup is cheap).
@functools.lru_cache(maxsize=16)
def _code_spans(markdown: str, comments: bool = True) -> tuple[tuple[int, int], ...]:
    spans = _fenced_spans(markdown)
    outside = _complement(spans, len(markdown))
    for start, end in outside:
        chunk = markdown[start:end]
        for m in _INLINE_CODE_RE.finditer(chunk):
            # inline code never spans a blank line (one of white space only counts as blank)
            if not _BLANK_LINE_RE.search(m.group(0)):
                spans.append((start + m.start(), start + m.end()))
        if comments:
            for m in _HTML_COMMENT_RE.finditer(chunk):
                spans.append((start + m.start(), start + m.end()))
    return tuple(_merge(spans))


# Spans of fenced code blocks (``` or ~~~). A fence that is never closed is no code block: the
# Markdown after it is rendered as Markdown (pymdownx.superfences), so it is prose here too.
# Like superfences, a block closes only on its own fence at its own indentation, and a line less
# indented than the fence ends it as no code block; lines end at "\n" only (Python-Markdown's
# lines: U+2028 and the like are text). Where this model and superfences still differ (a fence
# whose options it cannot parse, fences in lists), the check of the built HTML is the one that holds.
def _fenced_spans(markdown: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    open_at = None
    indent = fence = ""
    for line in markdown.split("\n"):
        stripped = line.rstrip("\r")
        if open_at is None:
            m = _FENCE_OPEN_RE.match(stripped)
            if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
                open_at, indent, fence = pos, m.group("indent"), m.group("fence")
        elif stripped.rstrip(" \t") == indent + fence:
            spans.append((open_at, min(pos + len(line) + 1, len(markdown))))
            open_at = None
        elif stripped.strip() and not stripped.startswith(indent):
            open_at = None
        pos += len(line) + 1
    return spans


def _complement(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    out, pos = [], 0
    for start, end in sorted(spans):
        if start > pos:
            out.append((pos, start))
        pos = max(pos, end)
    if pos < length:
        out.append((pos, length))
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# The (start, end) spans of markdown that are not code, in order.
def prose_spans(markdown: str, *, comments: bool = True) -> list[tuple[int, int]]:
    return _complement(_code_spans(markdown, comments), len(markdown))


# Length of the front matter block MkDocs strips, so line numbers can be mapped to the file.
def front_matter_lines(source: str) -> int:
    m = _FRONT_MATTER_RE.match(source)
    return m.group(0).count("\n") if m else 0
