"""Find the parts of a Markdown page that are code, so that nothing inside them is rewritten."""

from __future__ import annotations

import functools
import re

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

_FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_INLINE_CODE_RE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`)(?P<body>.+?)(?<!`)(?P=ticks)(?!`)", re.S)
# An HTML comment as a browser ends it: "<!-->" and "<!--->" are whole (empty) comments, and "--!>"
# ends one as "-->" does (read on to the next "-->", they would hide the HTML after them).
_HTML_COMMENT_RE = re.compile(r"<!--(?:-?>|.*?--!?>)", re.S)
_FRONT_MATTER_RE = re.compile(r"\A---\s*\n.*?\n(?:---|\.\.\.)\s*\n", re.S)


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


# Sorted, merged (start, end) character spans of fenced code, inline code and HTML comments.
def code_spans(markdown: str) -> list[tuple[int, int]]:
    return list(_code_spans(markdown))


# Kept for the last few texts: the citations, evidence markers, charts and checks each ask about
# the same page (a string's hash is computed once and kept by Python, so a lookup is cheap).
@functools.lru_cache(maxsize=16)
def _code_spans(markdown: str) -> tuple[tuple[int, int], ...]:
    spans = _fenced_spans(markdown)
    outside = _complement(spans, len(markdown))
    for start, end in outside:
        chunk = markdown[start:end]
        for m in _INLINE_CODE_RE.finditer(chunk):
            # inline code never spans a blank line
            if "\n\n" not in m.group(0):
                spans.append((start + m.start(), start + m.end()))
        for m in _HTML_COMMENT_RE.finditer(chunk):
            spans.append((start + m.start(), start + m.end()))
    return tuple(_merge(spans))


# Spans of fenced code blocks (``` or ~~~). A fence that is never closed is no code block: the
# Markdown after it is rendered as Markdown (pymdownx.superfences), so it is prose here too.
def _fenced_spans(markdown: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    open_at = None
    fence = ""
    for line in markdown.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        if open_at is None:
            m = _FENCE_OPEN_RE.match(stripped)
            if m and not (m.group("fence")[0] == "`" and "`" in m.group("info")):
                open_at, fence = pos, m.group("fence")
        elif stripped.strip().startswith(fence[0] * len(fence)) and not stripped.strip().strip(fence[0]):
            spans.append((open_at, pos + len(line)))
            open_at = None
        pos += len(line)
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
def prose_spans(markdown: str) -> list[tuple[int, int]]:
    return _complement(_code_spans(markdown), len(markdown))


# Length of the front matter block MkDocs strips, so line numbers can be mapped to the file.
def front_matter_lines(source: str) -> int:
    m = _FRONT_MATTER_RE.match(source)
    return m.group(0).count("\n") if m else 0
