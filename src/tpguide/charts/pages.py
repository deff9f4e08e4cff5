"""Charts on pages: find the markers, replace them with figures (tpguide.pipeline), write the CSVs
(hooks/charts.py after a MkDocs build, tpguide.finish after another engine)."""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from ..bib import Bibliography
from ..errors import ContentError, Problem
from ..markdown_regions import front_matter_lines, prose_spans
from .markup import BUNDLE_URL, figure_html
from .model import CHART_ID_RE, Chart
from .registry import load_registry
from .render import ChartProblem, Rendered, render
from .settings import settings_from

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

CSV_DIR = "assets/charts"  # site-relative folder of the CSV downloads
LIBRARY_URL = "references/"  # fallback URL of the reference library page
STATE_KEY = "_tpguide_charts"

# A marker on its own line; group "id" may be malformed (checked separately).
MARKER_LINE_RE = re.compile(r"^[ \t]*\[\[[ \t]*chart[ \t]*:[ \t]*(?P<id>[^\]\n]*?)[ \t]*\]\][ \t]*$", re.M | re.I)
# Anything that looks like a marker, anywhere (to catch markers inside a paragraph).
MARKER_ANY_RE = re.compile(r"\[\[[ \t]*chart[ \t]*:[^\]\n]*\]\]", re.I)


@dataclass
class ChartState:
    """Chart registry and what this build rendered, stored on the MkDocs config."""

    charts: dict[str, Chart]
    settings: dict
    rendered: dict[str, Rendered] = field(default_factory=dict)
    pages: dict[str, list[str]] = field(default_factory=dict)  # src_uri -> chart ids placed

    @property
    def used(self) -> set[str]:
        return {cid for ids in self.pages.values() for cid in ids}


# ---------------------------------------------------------------------------
# Markers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """One chart marker on a page."""

    chart_id: str
    line: int  # line in the source file
    start: int
    end: int


# Markers outside code, plus problems (malformed or not on its own line, unknown id, twice).
def find_markers(markdown: str, known: Sequence[str], *, path: str, line_offset: int = 0) -> tuple[list[Marker], list[Problem]]:
    markers: list[Marker] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for start, end in prose_spans(markdown):
        chunk_start = start
        own_line = {m.start(): m for m in MARKER_LINE_RE.finditer(markdown, start, end)}
        for m in MARKER_ANY_RE.finditer(markdown, start, end):
            line = markdown.count("\n", 0, m.start()) + 1 + line_offset
            line_start = markdown.rfind("\n", 0, m.start()) + 1
            whole = own_line.get(max(line_start, chunk_start))
            if whole is None or not (whole.start() <= m.start() < whole.end()):
                problems.append(Problem(path, line, f"chart marker {m.group(0)!r} is not on a line of its own",
                                        "put [[chart: <id>]] alone on its own line, with blank lines around it"))
                continue
            cid = whole.group("id").strip()
            if not CHART_ID_RE.match(cid):
                problems.append(Problem(path, line, f"chart marker {m.group(0)!r} has no valid chart id",
                                        "write [[chart: <id>]] with a lowercase id such as feedback-loop"))
                continue
            if cid not in known:
                close = difflib.get_close_matches(cid, list(known), n=1, cutoff=0.5)
                hint = f"did you mean '{close[0]}'?" if close else "known charts: " + ", ".join(sorted(known))
                problems.append(Problem(path, line, f"unknown chart id '{cid}'", hint))
                continue
            if cid in seen:
                problems.append(Problem(path, line, f"chart '{cid}' is placed twice on this page",
                                        "place each chart once per page"))
                continue
            seen.add(cid)
            markers.append(Marker(cid, line, whole.start(), whole.end()))
    return markers, problems


# ---------------------------------------------------------------------------
# Build events
# ---------------------------------------------------------------------------


# on_config: load settings and the registry into a fresh ChartState.
def start(config, *, evidence=None) -> ChartState:
    root = Path(config.config_file_path).parent
    settings = settings_from(config.extra.get("tpguide"))
    state = ChartState(charts=load_registry(settings, root=root, evidence=evidence), settings=settings)
    config[STATE_KEY] = state
    return state


def state_of(config) -> ChartState:
    return config[STATE_KEY]


# on_page_markdown: replace every marker with its figure; raise ContentError on any problem.
def page_markdown(state: ChartState, markdown: str, *, src_uri: str, page_url: str, path: str, source: str,
                  bib: Bibliography | None, library_url: str = LIBRARY_URL) -> str:
    if "chart" not in markdown:
        return markdown
    markers, problems = find_markers(markdown, list(state.charts), path=path, line_offset=front_matter_lines(source))
    out, pos = [], 0
    for marker in markers:
        try:
            rendered = _rendered(state, marker.chart_id, bib)
        except ChartProblem as exc:
            problems.append(Problem(path, marker.line, str(exc), "fix the chart module; numbers must come from bib/NOTES.md"))
            continue
        csv_url = relative_url(f"{CSV_DIR}/{marker.chart_id}.csv", page_url)
        lib = relative_url(library_url, page_url)
        out.append(markdown[pos:marker.start])
        plotly_url = relative_url(BUNDLE_URL, page_url)
        out.append("\n" + figure_html(rendered, csv_url=csv_url, library_url=lib, bib=bib, plotly_url=plotly_url) + "\n")
        pos = marker.end
    if problems:
        raise ContentError(problems)
    if markers:
        state.pages[src_uri] = [m.chart_id for m in markers]
    out.append(markdown[pos:])
    return "".join(out)


def _rendered(state: ChartState, chart_id: str, bib: Bibliography | None) -> Rendered:
    if chart_id not in state.rendered:
        state.rendered[chart_id] = render(state.charts[chart_id], bib, state.settings)
    return state.rendered[chart_id]


# on_post_build: write the CSV of every chart placed on a page.
def write_csvs(state: ChartState, site_dir: Path | str) -> list[Path]:
    out_dir = Path(site_dir) / CSV_DIR
    written = []
    for cid in sorted(state.used):
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{cid}.csv"
        path.write_text(state.rendered[cid].csv, encoding="utf-8")
        written.append(path)
    return written


# Relative URL from a page (its MkDocs url) to a site-relative target.
def relative_url(target: str, page_url: str) -> str:
    base = posixpath.dirname(page_url) if not page_url.endswith("/") else page_url.rstrip("/")
    path, _, frag = target.partition("#")
    rel = posixpath.relpath(path or ".", base or ".")
    if path.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{frag}" if frag else "")
