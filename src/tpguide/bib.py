"""Load and validate the BibTeX files in bib/: the only source of references.

Every entry keeps the file and line it came from, so that every problem is reported as
``bib/file.bib:LINE: what is wrong -> what to do``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path


from . import bibtex_reader, inputs
from .errors import Problem, raise_if_any

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

# One key grammar, shared by the bib scanner and the citation finder.
KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_:\-]*"
KEY_RE = re.compile(rf"^{KEY_PATTERN}$")


STUDY_TYPES = (
    "systematic review",
    "meta-analysis",
    "umbrella review",
    "RCT",
    "pilot RCT",
    "cohort study",
    "cross-sectional study",
    "survey",
    "case report",
    "consensus",
    "editorial",
    "animal study",
    "laboratory study",
    "reliability study",
    "narrative review",
    "hypothesis",
    "rebuttal",
    "guideline",
    "textbook",
)

_UNSAFE_RE = re.compile(r"[<>]|javascript:|vbscript:|data:|&#|\bon\w+\s*=", re.I)
_DOI_RE = re.compile(r"^10\.\d{4,9}/[^\s\"'<>]+$")
_PMID_RE = re.compile(r"^\d{1,9}$")
_YEAR_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Entry:
    """A validated bibliography entry, with plain-text fields (LaTeX decoded)."""

    key: str
    type: str
    fields: dict[str, str]
    authors: tuple[str, ...]  # "Surname AB" forms; "et al." when the list ends with "others"
    path: str
    line: int
    topics: tuple[str, ...] = ()

    def get(self, name: str, default: str = "") -> str:
        return self.fields.get(name, default)

    @property
    def year(self) -> str:
        return self.get("year")

    @property
    def title(self) -> str:
        return self.get("title")

    @property
    def doi(self) -> str:
        return self.get("doi")

    @property
    def pmid(self) -> str:
        return self.get("pmid")

    @property
    def studytype(self) -> str:
        return self.get("studytype")


@dataclass
class Bibliography:
    """All entries of all bib files, by key."""

    entries: dict[str, Entry] = field(default_factory=dict)

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def __getitem__(self, key: str) -> Entry:
        return self.entries[key]

    def __len__(self) -> int:
        return len(self.entries)

    # Closest known keys to an unknown one, for "did you mean" hints.
    def suggest(self, key: str) -> str | None:
        close = difflib.get_close_matches(key, self.entries.keys(), n=1, cutoff=0.6)
        return close[0] if close else None


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


# Load every *.bib under bib_dir; raise ContentError listing every problem found.
def load_bib_dir(bib_dir: Path | str, *, root: Path | str | None = None) -> Bibliography:
    bib_dir = Path(bib_dir)
    root = Path(root) if root else bib_dir.parent
    files = sorted(bib_dir.rglob("*.bib"))
    problems: list[Problem] = []
    if not files:
        problems.append(Problem(_rel(bib_dir, root), None, "no .bib files found", "add at least one BibTeX file"))
    bib = Bibliography()
    seen: dict[str, tuple[str, int]] = {}
    for path in files:
        problems += _load_file(path, _rel(path, root), bib, seen)
    raise_if_any(problems)
    return bib


# Parse one file into bib, recording duplicates against keys seen in earlier files.
def _load_file(path: Path, rel: str, bib: Bibliography, seen: dict[str, tuple[str, int]]) -> list[Problem]:
    text, problems = inputs.read_text(path, rel)
    if text is None:
        return problems
    try:
        raw_entries = bibtex_reader.read(text)
    except bibtex_reader.BibSyntaxError as exc:
        if exc.hint:  # the reader knows the fix (an unknown or twice-defined @string macro)
            return [Problem(rel, exc.line, exc.message, exc.hint)]
        hint = "check braces, quotes and commas"
        if exc.entry:
            hint = f"look at the entry {exc.entry[0]!r} starting at line {exc.entry[1]}: {hint}"
        return [Problem(rel, exc.line, f"BibTeX does not parse: {exc.message}", hint)]
    problems: list[Problem] = []
    for raw in raw_entries:
        key, line = raw.key, raw.line
        if not KEY_RE.match(key):
            problems.append(
                Problem(rel, line, f"entry key {key!r} is not a valid citation key",
                        "use letters, digits, '-', '_' or ':' (e.g. smith2020title)")
            )
            continue
        if key in seen:
            other_path, other_line = seen[key]
            problems.append(
                Problem(rel, line, f"duplicate key {key!r}, also defined at {other_path}:{other_line}",
                        "keep one entry per key; rename or delete one of them")
            )
            continue
        seen[key] = (rel, line)
        entry, entry_problems = _make_entry(raw, rel)
        problems += entry_problems
        if entry is not None:
            bib.entries[key] = entry
    return problems


# Build an Entry from a raw entry and check it; returns (entry or None, problems).
def _make_entry(raw: bibtex_reader.RawEntry, rel: str) -> tuple[Entry | None, list[Problem]]:
    raw_fields = dict(raw.fields)
    fields = {name: _plain(value) for name, value in raw_fields.items() if name not in ("author", "editor")}
    authors = tuple(_person(n) for n in bibtex_reader.split_names(raw_fields.get("author", "")))
    editors = tuple(_person(n) for n in bibtex_reader.split_names(raw_fields.get("editor", "")))
    problems = _check(raw.key, raw.type, fields, raw_fields, authors or editors, rel, raw.line)
    if problems:
        return None, problems
    topics = tuple(t.strip() for t in fields.get("topics", "").split(",") if t.strip())
    entry = Entry(key=raw.key, type=raw.type, fields=fields, authors=authors or editors,
                  path=rel, line=raw.line, topics=topics)
    return entry, []


# Every rule an entry must meet before it can be cited.
def _check(key, etype, fields, raw_fields, people, rel, line) -> list[Problem]:
    problems = []

    def bad(message: str, hint: str) -> None:
        problems.append(Problem(rel, line, f"entry {key!r}: {message}", hint))

    # as written and as decoded: \textless{} decodes to '<', java{}script: to 'javascript:'
    for name, value in raw_fields.items():
        plain = fields[name] if name in fields else _plain(value)
        unsafe = _UNSAFE_RE.search(value) or (plain != value and _UNSAFE_RE.search(plain))
        if unsafe:
            bad(f"field '{name}' contains markup or a script URL ({unsafe.group(0)!r})",
                "bib fields must be plain text; remove HTML and script: or data: URLs")
    if not people and not fields.get("organization"):
        bad("has no author, editor or organization", "add author = {Surname, Given and ...}")
    if not fields.get("title"):
        bad("has no title", "add title = {...}")
    if not _YEAR_RE.match(fields.get("year", "")):
        bad("has no four-digit year", "add year = {YYYY}")
    if etype == "article" and not fields.get("journal"):
        bad("is an @article without journal", "add journal = {...}")
    if not any(fields.get(k) for k in ("doi", "pmid", "url")):
        bad("has none of doi, pmid or url", "add a verified doi = {10....} or pmid = {...}")
    doi = fields.get("doi", "")
    if doi and not _DOI_RE.match(doi):
        bad(f"doi {doi!r} is not a bare DOI", "write only the DOI, e.g. doi = {10.1186/1741-7015-9-8}")
    pmid = fields.get("pmid", "")
    if pmid and not _PMID_RE.match(pmid):
        bad(f"pmid {pmid!r} is not a number", "write only the PubMed number, e.g. pmid = {30025997}")
    url = fields.get("url", "")
    if url and not re.match(r"^https?://[^\s\"'<>]+$", url):
        bad(f"url {url!r} is not an http(s) link", "use an https:// address")
    studytype = fields.get("studytype", "")
    if studytype and studytype not in STUDY_TYPES:
        bad(f"studytype {studytype!r} is not known", "use one of: " + ", ".join(STUDY_TYPES))
    return problems


# A person as "Surname AB" (Vancouver style); "others" becomes "et al.".
def _person(name: str) -> str:
    last, given = bibtex_reader.name_parts(name)
    last = _plain(last)
    if last == "others":
        return "et al."
    initials = "".join(_plain(g)[:1] for g in given if _plain(g))
    return f"{last} {initials}".strip()


# Decode the LaTeX of bib files ({braces}, \&, TeX's accents such as {\"u} or \v{c}, letters such
# as {\o} or {\ss}) to plain text. "--" stays as written (the renderers make a dash of it in
# pages), "---" becomes an em dash. (pybtex's richtext renderer looks up plugins on every call;
# pylatexenc takes up to 0.5 ms a field, raises on some input, cuts a title at an unescaped '%'.)
def _plain(value) -> str:
    text = str(value)
    if not _LATEX_RE.search(text):  # most fields: nothing to decode
        return " ".join(text.split())
    text = _LATEX_ACCENT_RE.sub(_accent, text)
    text = _LATEX_LETTER_RE.sub(lambda m: _LATEX_LETTERS[m.group("name")], text)
    for latex, plain in _LATEX_ESCAPES:
        text = text.replace(latex, plain)
    text = _LATEX_FORMAT_RE.sub("", text)
    text = text.replace("{", "").replace("}", "")
    return " ".join(text.split())


# The accented letter of an accent match; an accent on \i or \j goes on a plain i or j.
def _accent(m: re.Match) -> str:
    return unicodedata.normalize("NFC", m.group("char")[-1] + _ACCENTS[m.group("accent")])


# \textless and \textgreater decode to '<' and '>', which the markup check then refuses.
_LATEX_ESCAPES = ((r"\&", "&"), (r"\%", "%"), (r"\_", "_"), (r"\$", "$"), (r"\#", "#"), ("~", " "),
                  ("---", "—"), (r"\textless", "<"), (r"\textgreater", ">"))
_LATEX_FORMAT_RE = re.compile(r"\\(?:textit|textbf|emph|textrm|textsc|mathrm|url)\s*(?=\{)")
# TeX's accent commands: the symbol ones, and the letter ones (\c{c}, \v c: a brace or space follows).
_ACCENTS = {"'": "\u0301", "`": "\u0300", '"': "\u0308", "^": "\u0302", "~": "\u0303", "=": "\u0304",
            ".": "\u0307", "c": "\u0327", "v": "\u030c", "u": "\u0306", "H": "\u030b", "k": "\u0328",
            "r": "\u030a", "d": "\u0323", "b": "\u0331"}
# TeX's letters that are commands: {\o}, \ss{}, S\o ren (the space after a command word is eaten).
_LATEX_LETTERS = {"o": "ø", "O": "Ø", "aa": "å", "AA": "Å", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ",
                  "ss": "ß", "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ"}
_LATEX_RE = re.compile(r"[\\{}~]|---")
_LATEX_ACCENT_RE = re.compile(r"\{?\\(?P<accent>['`\"^~=.]|[cvuHkrdb](?=[\s{]))\s*"
                              r"\{?(?P<char>[A-Za-z]|\\[ij](?![A-Za-z]))\}?\}?")
_LATEX_LETTER_RE = re.compile(r"\\(?P<name>aa|AA|ae|AE|oe|OE|ss|[oOlLij])(?![A-Za-z])(?:\{\}| )?")


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
