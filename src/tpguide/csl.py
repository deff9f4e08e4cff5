"""Format references through a CSL style, with citeproc-py (issue 25).

The Citation Style Language describes a reference style in a .csl file. Three are bundled in csl/
(Vancouver, the default as in medical journals, AMA and APA; csl/README.md says where they come
from), and ``extra.tpguide.csl_style`` in mkdocs.yml names one of them or a .csl file in the
repository, so an editor switches the style without code.

Bib content is untrusted input. citeproc-py escapes the words a style adds, not the values it is
given: every value is escaped before it goes in, and an output whose markup is anything but the
few tags the HTML formatter writes is refused. An entry the processor cannot format (it raises, or
its output is refused) is left out of the result, and the caller shows its plain form instead.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import warnings
from importlib.metadata import PackageNotFoundError, version
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as _citeproc_model
from citeproc.source.json import CiteProcJSON

from .bib import Entry
from .errors import ContentError, Problem
from .opendata import csl_item

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

STYLE_DIR = Path(__file__).parent / "csl"
BUNDLED = ("vancouver", "american-medical-association", "apa")
DEFAULT_STYLE = "vancouver"
TITLE_TAGS = ('<span class="tpg-ref__title">', "</span>")

# Shown beside each reference as links (tpguide.references.entry_links), so not in its text.
_LINKED = ("DOI", "URL", "PMID")
# Private-use characters around the title's value: they pass through the style untouched and mark
# where the title is in the output (its trailing full stop is moved inside). A style's capital for
# the title's first letter stops at the marker: our titles start with a capital or a digit.
_TITLE_START, _TITLE_END = "\ue000", "\ue001"
_TITLE_CLOSE_RE = re.compile(_TITLE_END + r"([.,;:]?)")
# The only markup citeproc-py's HTML formatter writes (<l>, "light", is no HTML: refused).
_FORMATTER_TAG_RE = re.compile(r'</?(?:i|b|u|sup|sub)>|<span style="font-variant:small-caps;">|</span>')
# A footnote is one line of Markdown (spaces a style writes, such as no-break ones, are kept).
_LINE_BREAK_RE = re.compile(r"[ \t]*[\r\n]+[ \t]*")
_MAX_CACHED = 20_000
_formatted: dict[tuple, str | None] = {}
CACHE_VERSION = 1  # raise when the formatting code changes what it writes: old cache files go unused
try:
    _CITEPROC_VERSION = version("citeproc-py")
except PackageNotFoundError:  # pragma: no cover - installed from uv.lock
    _CITEPROC_VERSION = "unknown"


# ---------------------------------------------------------------------------
# The style setting
# ---------------------------------------------------------------------------


# The .csl file of a bundled style.
def bundled(name: str) -> Path:
    return STYLE_DIR / f"{name}.csl"


# The .csl file named by extra.tpguide.csl_style: a bundled style's name, or the path of a .csl
# file inside root (the folder of mkdocs.yml); raise ContentError for anything else.
def style_path(value: object, root: Path) -> Path:
    if value in BUNDLED:
        return bundled(value)
    text = str(value or "")
    path = (root / text).resolve()
    if not (text.endswith(".csl") and path.is_file() and path.is_relative_to(root.resolve())):
        raise ContentError(_setting_problem(f"'{text}' is not a bundled CSL style"))
    try:
        _style(str(path), _stamp(path))
    except Exception as exc:  # lxml's syntax errors, or a CSL file without a bibliography
        raise ContentError(_setting_problem(f"'{text}' is not a valid CSL style ({exc})")) from None
    return path


def _setting_problem(message: str) -> Problem:
    return Problem("mkdocs.yml", None, f"extra.tpguide.csl_style: {message}",
                   f"use {', '.join(BUNDLED[:-1])} or {BUNDLED[-1]}, or the path of a .csl file in the repository")


# ---------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------


# Each entry as HTML in the style (default: Vancouver), by key, its title wrapped in title_tags;
# an entry the processor cannot format is missing. Results are kept per style file and entry
# content, so a rebuild (mkdocs serve) formats only what changed.
def format_references(entries: Iterable[Entry], style: Path | None = None, *,
                      title_tags: tuple[str, str] = TITLE_TAGS) -> dict[str, str]:
    path = style or bundled(DEFAULT_STYLE)
    style_key = (str(path), _stamp(path))
    disk = _DiskCache.of(path)
    out = {}
    for entry in entries:
        content = (entry.type, entry.authors, tuple(sorted(entry.fields.items())))
        key = (style_key, *content)
        if key not in _formatted:
            if len(_formatted) >= _MAX_CACHED:
                _formatted.clear()
            found, text = disk.get(content)
            _formatted[key] = text if found else disk.put(content, _format(style_key, entry))
        text = _formatted[key]
        if text is not None:
            out[entry.key] = text.replace(_TITLE_START, title_tags[0]).replace(_TITLE_END, title_tags[1])
    disk.save()
    return out


# The formatted entries kept between builds, one JSON file per style (by the style file's
# content, citeproc-py's version and CACHE_VERSION) in the user's cache folder: a fresh process
# (make build, CI with a cache) formats only new or changed entries. The folder is outside the
# repository, so a pull request cannot bring cached text; what is read is checked as if citeproc-py
# had just written it, and a file that cannot be read or written is simply not used.
class _DiskCache:
    _open: dict[str, _DiskCache] = {}

    def __init__(self, file: Path | None):
        self.file, self.entries, self.dirty = file, {}, False
        if file is None:
            return
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and isinstance(data.get("entries"), dict):
            self.entries = {k: v for k, v in data["entries"].items() if v is None or (isinstance(v, str) and _safe(v))}

    # The cache of one style file (one object per process and style content).
    @classmethod
    def of(cls, style: Path) -> _DiskCache:
        try:
            digest = hashlib.sha256(style.read_bytes() + f"|{_CITEPROC_VERSION}|{CACHE_VERSION}".encode()).hexdigest()
        except OSError:
            return cls(None)
        if digest not in cls._open:
            cls._open[digest] = cls(cache_dir() / f"csl-{digest[:24]}.json")
        return cls._open[digest]

    @staticmethod
    def _digest(content: tuple) -> str:
        return hashlib.sha256(json.dumps(content, ensure_ascii=False, default=str).encode()).hexdigest()[:32]

    def get(self, content: tuple) -> tuple[bool, str | None]:
        digest = self._digest(content)
        return digest in self.entries, self.entries.get(digest)

    def put(self, content: tuple, text: str | None) -> str | None:
        self.entries[self._digest(content)] = text
        self.dirty = True
        return text

    # Write the file when something was added (atomically: a reader never sees half a file).
    def save(self) -> None:
        if not (self.dirty and self.file):
            return
        self.dirty = False
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            partial = self.file.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps({"entries": self.entries}, ensure_ascii=False), encoding="utf-8")
            os.replace(partial, self.file)
        except OSError:
            pass


# The folder of caches kept between builds: $TPG_CACHE_DIR, else $XDG_CACHE_HOME/tpguide, else
# ~/.cache/tpguide.
def cache_dir() -> Path:
    if os.environ.get("TPG_CACHE_DIR"):
        return Path(os.environ["TPG_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "tpguide"


# Is this formatted text what _format could have written: only the HTML formatter's own tags?
def _safe(text: str) -> bool:
    bare = _FORMATTER_TAG_RE.sub("", text)
    return "<" not in bare and ">" not in bare


# One entry through citeproc-py, or None when it raises or writes markup of its own.
def _format(style_key: tuple[str, tuple[int, int]], entry: Entry) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "unsupported argument" and the like: noise in the build
            source = CiteProcJSON([_item(entry)])
            bibliography = CitationStylesBibliography(_style(*style_key), source, formatter.html)
            bibliography.register(Citation([CitationItem("ref")]))
            text = _LINE_BREAK_RE.sub(" ", str(bibliography.bibliography()[0])).strip()
    except Exception:  # citeproc-py raises many kinds on odd input; the plain form stands in
        return None
    if not _safe(text):
        return None
    if text.count(_TITLE_START) != text.count(_TITLE_END):
        text = text.replace(_TITLE_START, "").replace(_TITLE_END, "")
    return _TITLE_CLOSE_RE.sub(lambda m: m.group(1) + _TITLE_END, text)


# The entry's CSL-JSON (tpguide.opendata) as the styles need it: links left out, initials that
# styles can re-initialize ("AB" -> "A. B."), page ranges with one hyphen, reports with their
# number and institution, and every string escaped for HTML.
def _item(entry: Entry) -> dict:
    item = {name: value for name, value in csl_item(entry).items() if name not in _LINKED}
    item["id"] = "ref"
    for name in item.get("author", []):
        if "given" in name:
            name["given"] = " ".join(f"{initial}." for initial in name["given"])
    if "page" in item:
        item["page"] = re.sub(r"-+", "-", item["page"])
    if item["type"] == "report":
        if "issue" in item:
            item["number"] = item.pop("issue")
        if entry.get("institution"):
            item.setdefault("publisher", entry.get("institution"))
    item = _escaped(item)
    item["title"] = _TITLE_START + item["title"] + _TITLE_END
    return item


# Every string in a CSL-JSON value escaped for HTML (the title markers taken out first).
def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return html.escape(value.replace(_TITLE_START, "").replace(_TITLE_END, ""), quote=True)
    if isinstance(value, dict):
        return {name: _escaped(v) for name, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


# citeproc-py looks up macros, terms and options in the style by XPath for every variable of every
# entry: half the formatting time. The answers do not change once _style has parsed and trimmed a
# style: citeproc-py's own edits while it renders (a <name> added to a <names> that has none,
# attributes copied onto a date part) change no node that these lookups select by name, and no
# parent, child or sibling list they walk (checked against citeproc-py 0.11.1, the version in
# uv.lock; a test compares every bundled style's output with and without the kept answers). Each
# answer is kept by element and expression, as a tuple (its callers only read it); keeping the
# element as a key also keeps lxml's Python object for it alive, so a node is always the same key.
# _style clears them when it parses a style, so an edited .csl file (make serve) leaves none behind.
_XPATH_ANSWERS: dict[tuple, tuple] = {}
_MAX_XPATH_ANSWERS = 200_000
_xpath_search = _citeproc_model.CitationStylesElement.xpath_search


def _kept_xpath_search(element, expression):
    key = (element, expression)
    found = _XPATH_ANSWERS.get(key)
    if found is None:
        if len(_XPATH_ANSWERS) >= _MAX_XPATH_ANSWERS:
            _XPATH_ANSWERS.clear()
        found = _XPATH_ANSWERS[key] = tuple(_xpath_search(element, expression))
    return found


_citeproc_model.CitationStylesElement.xpath_search = _kept_xpath_search


# A style file parsed once per version of the file, without the citation number its bibliography
# starts with (footnotes and the library number or order the entries themselves).
@functools.lru_cache(maxsize=8)
def _style(path: str, stamp: tuple[int, int]) -> CitationStylesStyle:
    _XPATH_ANSWERS.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        style = CitationStylesStyle(path, validate=False)
    layout = style.root.bibliography.layout  # AttributeError: no <bibliography> to format with
    for element in list(layout.iter()):
        if element.get("variable") == "citation-number":
            element.getparent().remove(element)
    return style


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size
