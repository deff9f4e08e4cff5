"""Find ``[@key]`` citations outside code, check them, and turn them into numbered footnotes.

The footnotes extension numbers ``[^key]`` references in order of first use, so a page that
cites three works gets footnotes 1-3 with the formatted references at the end of the page, and
Material shows each one as a tooltip on hover or focus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .bib import KEY_PATTERN, Bibliography
from .errors import Problem
from .markdown_regions import prose_spans
from .references import footnote_text

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

# A bracket group that starts with "@" is a citation attempt: it must match CITATION_RE fully.
# Not followed by "(" or "[" (a link or a reference link); a ":" after it is a citation too,
# except at the start of a line, where "[@x]: ..." would be a reference definition.
_ATTEMPT_RE = re.compile(r"(?<![\\!\]])\[\s*@(?P<body>[^\[\]\n]*)\](?![(\[])")
_CITATION_BODY_RE = re.compile(rf"^\s*@{KEY_PATTERN}\s*(?:;\s*@{KEY_PATTERN}\s*)*$")
_KEY_IN_BODY_RE = re.compile(rf"@({KEY_PATTERN})")
_HEADING_RE = re.compile(r"^(#{1,6})\s+(?P<text>.+?)\s*#*\s*(?:\{[^}]*\})?\s*$")

FOOTNOTE_MARKER = "///Footnotes Go Here///"
# Between the footnote numbers of one citation group: [@a; @b] reads "2,3", never "23".
CITE_SEPARATOR = '<sup class="tpg-cite-sep">,</sup>'
REFERENCES_HEADING = "References"


@dataclass(frozen=True)
class Citation:
    """One use of a key on a page: where, and under which heading."""

    key: str
    line: int  # line in the source file
    heading: str  # text of the nearest heading above, "" at the top of the page


@dataclass
class PageCitations:
    """The result of processing one page."""

    markdown: str
    citations: list[Citation] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """Cited keys in order of first use."""
        return list(dict.fromkeys(c.key for c in self.citations))


# ---------------------------------------------------------------------------
# Processing
# ---------------------------------------------------------------------------


# Resolve every citation on a page; rewrite them as footnotes and append the reference list.
def process_page(
    markdown: str,
    bib: Bibliography,
    *,
    path: str,
    line_offset: int = 0,
    library_url: str | None = None,
    csl_style: Path | None = None,
    compact: bool = False,
) -> PageCitations:
    result = PageCitations(markdown=markdown)
    out: list[str] = []
    pos = 0
    line_starts = _line_starts(markdown)
    headings = _headings(markdown, line_starts)
    for start, end in prose_spans(markdown):
        for m in _ATTEMPT_RE.finditer(markdown, start, end):
            if markdown.startswith(":", m.end()) and not markdown[markdown.rfind("\n", 0, m.start()) + 1:m.start()].strip():
                continue  # "[@x]: ..." at the start of a line is a reference definition, not a citation
            line = _line_of(line_starts, m.start()) + line_offset
            body = "@" + m.group("body")
            if not _CITATION_BODY_RE.match(body):
                result.problems.append(
                    Problem(path, line, f"malformed citation {m.group(0)!r}",
                            "write [@key] or [@key1; @key2] (keys separated by semicolons, nothing else)")
                )
                continue
            keys = _KEY_IN_BODY_RE.findall(body)
            for key in keys:
                if key not in bib:
                    guess = bib.suggest(key)
                    hint = f"did you mean @{guess}?" if guess else "add the entry to a file in bib/ first"
                    result.problems.append(Problem(path, line, f"unknown citation key '{key}'", hint))
                else:
                    heading = _heading_before(headings, m.start())
                    result.citations.append(Citation(key=key, line=line, heading=heading))
            out.append(markdown[pos : m.start()])
            out.append(CITE_SEPARATOR.join(f"[^{k}]" for k in keys))
            pos = m.end()
    out.append(markdown[pos:])
    if result.problems:
        return result
    text = "".join(out)
    if result.citations:
        text = text.rstrip() + "\n\n" + _reference_section(result.keys, bib, library_url, csl_style, compact)
    result.markdown = text
    return result


# The "References" heading, the footnote placement marker and one footnote per cited key, in the
# CSL style (a .csl file; default Vancouver), or compact (authors, source, year: a printed handout).
def _reference_section(keys: list[str], bib: Bibliography, library_url: str | None, csl_style: Path | None,
                       compact: bool = False) -> str:
    # the list folds away under its heading (tpguide.mdx): a citation's link opens it (site.js)
    lines = [f"## {REFERENCES_HEADING} {{#references .tpg-references-heading .fold}}", "", FOOTNOTE_MARKER, ""]
    for key in keys:
        link = f"{library_url}#{key}" if library_url else None
        lines.append(f"[^{key}]: {footnote_text(bib[key], library_link=link, style=csl_style, compact=compact)}")
    return "\n".join(lines) + "\n"


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts += [m.end() for m in re.finditer(r"\n", text)]
    return starts


def _line_of(line_starts: list[int], offset: int) -> int:
    lo, hi = 0, len(line_starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


# (offset, text) of every ATX heading outside code.
def _headings(markdown: str, line_starts: list[int]) -> list[tuple[int, str]]:
    out = []
    for start, end in prose_spans(markdown):
        for m in re.finditer(r"^#{1,6}[ \t]+.+$", markdown[start:end], re.M):
            hm = _HEADING_RE.match(m.group(0))
            if hm:
                out.append((start + m.start(), hm.group("text").strip()))
    return out


def _heading_before(headings: list[tuple[int, str]], offset: int) -> str:
    text = ""
    for pos, heading in headings:
        if pos > offset:
            break
        text = heading
    return text
