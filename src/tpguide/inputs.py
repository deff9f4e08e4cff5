"""Every input file, checked before MkDocs or a plugin reads it: encoding, YAML, front matter types.

MkDocs decodes pages and parses their front matter itself, and a mistake there ends in a
traceback that names no file (a byte that is not UTF-8, ``2026-13-01`` as a date) or is silently
dropped (front matter that is not valid YAML becomes page text). hooks/content_policy.py runs these
checks first, in ``on_config`` (bib/, includes/, evidence/, the blog's .authors.yml) and in
``on_files`` (every page and SVG under docs/), so every mistake is reported as
``file:line: what -> how to fix``.

``load_yaml`` is the reusable entry point for YAML data files (evidence/): it returns the data,
the line of every key, and the problems, never raising for a mistake in the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from . import content_policy
from .errors import Problem

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

# MkDocs' own front matter pattern (mkdocs.utils.meta.YAML_RE): what MkDocs will parse.
FRONT_MATTER_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
# MkDocs' other page settings (mkdocs.utils.meta.META_RE): without front matter, 'key: value' lines at
# the very top are read as settings (even `template:`) and removed from the text.
_MULTIMARKDOWN_META_RE = re.compile(r"[ ]{0,3}([A-Za-z0-9_-]+):")
HINT_UTF8 = "save the file as UTF-8 (in most editors: 'Save with encoding' > UTF-8)"
HINT_YAML = "check the indentation, and quote text that contains ': ', '#', or starts with '[', '{', '*', '&', '!', '@' or '`'"
MAX_NESTING = 50
# Characters no text file of ours may hold: what YAML (front matter, and the options of Material's
# markers in page bodies) refuses, less NUL (reported on its own) and the line endings.
_CONTROL_RE = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")

TEXT, TEXT_LIST, FLAG, MAPPING, NUMBER, TEXT_OR_TRUE = "text", "list of text", "true or false", "mapping", "number", "text or true"
LINK_LIST = "list of links"
# The types of front matter fields that MkDocs, Material or our code read, for every page.
# Article and post rules (required fields, dates, allowed values) are in tpguide.frontmatter and
# tpguide.posts; these only make sure no reader meets a value of the wrong kind.
FIELD_TYPES = {
    "title": TEXT, "description": TEXT, "subtitle": TEXT, "template": TEXT, "icon": TEXT, "status": TEXT, "author": TEXT,
    "reviewer": TEXT, "audience": TEXT, "slug": TEXT,
    "tags": TEXT_LIST, "hide": TEXT_LIST, "authors": TEXT_LIST, "categories": TEXT_LIST, "key_messages": TEXT_LIST,
    "search": MAPPING, "clinical_review": MAPPING, "draft": FLAG, "pin": FLAG, "readtime": NUMBER, "handout": TEXT_OR_TRUE,
    "links": LINK_LIST,
}
_TYPE_HINTS = {
    TEXT: "write plain text after the colon (quote it if it contains ': ' or starts with a special character)",
    TEXT_LIST: "write one '- item' line per entry under it",
    FLAG: "write true or false",
    MAPPING: "write 'key: value' lines indented under it",
    NUMBER: "write a whole number",
    TEXT_OR_TRUE: "write 'handout: true' or 'handout: |' and the text",
    LINK_LIST: "write one '- page.md' or '- Title: page.md' line per link (a '- Section:' line may hold more of them)",
}
# Fields the theme writes into an HTML attribute without escaping (Material's and Zensical's
# base.html: <meta name="author" content="...">; the status as a class): a '"' would end the
# attribute and let the value add its own (http-equiv="refresh"). The description is escaped by
# tpguide.html_fixes on every engine.
UNESCAPED_ATTRIBUTE_FIELDS = ("author", "status")
# Fields a reader uses as given, so an empty value (`template: ~`) is as wrong as one of the wrong
# kind: MkDocs asks Jinja for a template named None (a traceback).
NOT_EMPTY = ("template",)
# Front matter fields whose values are URLs (Material's blog post `links`), or Markdown.
URL_FIELDS = ("links",)
MARKDOWN_FIELDS = ("handout",)


@dataclass
class YamlDoc:
    """Parsed YAML: the data, and the line of each key (a path of keys and list indexes)."""

    data: object = None
    lines: dict[tuple, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


# The text of a file as MkDocs reads it (UTF-8, optional BOM, universal newlines), or a problem
# naming the line and column of the first byte that is not UTF-8.
def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return None, [Problem(display, None, f"cannot be read ({exc.strerror})", "check that the file exists and is readable")]
    return decode(data, display)


# Decode bytes as a UTF-8 text file (see read_text).
def decode(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(display, 1, "is UTF-16 text, not UTF-8", HINT_UTF8)]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        return None, [Problem(display, line, f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at column {column})",
                              HINT_UTF8)]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [Problem(display, line, "contains a NUL character (a binary file, or a broken copy)",
                              "remove the character, or save the file again as UTF-8 text")]
    bad = _CONTROL_RE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        return None, [Problem(display, line, f"contains the control character U+{ord(bad.group()):04X} at column {column}",
                              "delete it (it is invisible in most editors: retype that part of the line)")]
    return text, []


# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------


# Load a YAML file: (YamlDoc, problems). Syntax errors, impossible dates, duplicate keys and
# unreadable bytes become Problems with display path and line; nothing raises.
# Each text is parsed once (issue 24): the input checks and the evidence loader read the same
# files, and `make serve` reads them again on every rebuild. The result is kept by the file's
# name and the SHA-256 of its text, so a changed file is parsed again. Callers do not change
# the parsed data (tpguide.yamlsource copies it into its own containers).
def load_yaml(path: Path, *, display: str | None = None) -> tuple[YamlDoc, list[Problem]]:
    display = display or str(path)
    text, problems = read_text(path, display)
    if text is None:
        return YamlDoc(), problems
    key = (display, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    parsed = _PARSED.get(key)
    if parsed is None:
        parsed = parse_yaml(text, path=display)
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        _PARSED[key] = parsed
    return parsed[0], list(parsed[1])


_PARSED: dict[tuple[str, str], tuple[YamlDoc, list[Problem]]] = {}
MAX_PARSED = 1024  # files kept; more than the project has


# Parse YAML text whose first line is line `first_line` of the file at `path` (see load_yaml);
# `what` names the text in messages ("front matter"), empty for a whole file.
def parse_yaml(text: str, *, path: str, first_line: int = 1, what: str = "") -> tuple[YamlDoc, list[Problem]]:
    prefix = f"{what} " if what else ""
    loader = None
    try:
        loader = _Loader(text, first_line)
        data = loader.get_single_data()
    except yaml.reader.ReaderError as exc:  # a control character YAML does not allow (libyaml: a byte offset)
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        line = first_line + text.count("\n", 0, at if at >= 0 else exc.position)
        return YamlDoc(), [Problem(path, line, f"{prefix}contains the control character U+{exc.character:04X}, "
                                   "which YAML does not allow", "delete it (it is often invisible: retype the line)")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark is not None else first_line
        detail = _same_words(exc.problem or exc.context or "syntax error", text, mark)
        if isinstance(exc, _ValueError):
            return YamlDoc(), [Problem(path, line, f"{what}: {detail}" if what else detail, _yaml_hint(detail))]
        return YamlDoc(), [Problem(path, line, f"{prefix}is not valid YAML: {detail}", _yaml_hint(detail))]
    except yaml.YAMLError as exc:
        return YamlDoc(), [Problem(path, first_line, f"{prefix}is not valid YAML: {exc}", HINT_YAML)]
    except RecursionError:
        return YamlDoc(), [Problem(path, first_line, f"{prefix}is nested too deeply", "use at most a few levels of indentation")]
    finally:
        if loader is not None:
            loader.dispose()
    return YamlDoc(data, {k: first_line + v for k, v in loader.key_lines.items()}), []


# libyaml's messages in the words of PyYAML's own parser (which the editor guide quotes), with the
# character it stopped at, so a message does not depend on which parser PyYAML was built with.
_LIBYAML_WORDS = (
    (re.compile(r"^(mapping values|block sequence entries) are not allowed in this context$"),
     lambda m, ch: ("sequence entries" if m.group(1).startswith("block") else m.group(1)) + " are not allowed here"),
    (re.compile(r"^found character that cannot start any token$"),
     lambda m, ch: f"found character {ch!r} that cannot start any token" if ch else m.group(0)),
    (re.compile(r"^did not find expected (.+)$"), lambda m, ch: f"expected {m.group(1)}"),
    (re.compile(r"^exceeded maximum nesting depth$"), lambda m, ch: "the data is nested too deeply"),
)


def _same_words(problem: str, text: str, mark) -> str:
    lines = text.split("\n")
    ch = ""
    if mark is not None and 0 <= mark.line < len(lines) and 0 <= mark.column < len(lines[mark.line]):
        ch = lines[mark.line][mark.column]
    for pattern, words in _LIBYAML_WORDS:
        if m := pattern.match(problem):
            return words(m, ch)
    return problem


def _yaml_hint(problem: str) -> str:
    if "date" in problem:
        return "write a real date as YYYY-MM-DD (month 01-12, a day that month has)"
    if "twice" in problem:
        return "keep one of the two lines"
    if "tab" in problem or "'\\t'" in problem:
        return "indent with spaces, not tabs"
    return HINT_YAML


class _ValueError(yaml.constructor.ConstructorError):
    """A value YAML reads but cannot build: an impossible date, a duplicate key."""


# libyaml's parser (C) when PyYAML was built with it, as its wheels are: the same events and marks
# (line and column) as the Python parser, several times faster; our constructor stays in Python.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):
    """SafeLoader that reports impossible dates and duplicate keys with their line, and records
    the line of every key."""

    def __init__(self, text: str, first_line: int = 1):
        super().__init__(text)
        self.key_lines: dict[tuple, int] = {}
        self.first_line = first_line

    def construct_document(self, node):
        self._record(node, ())
        return super().construct_document(node)

    def _record(self, node, keys: tuple) -> None:
        if len(keys) > MAX_NESTING:
            raise _ValueError(None, None, "the data is nested too deeply", node.start_mark)
        if isinstance(node, yaml.MappingNode):
            seen: dict = {}
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None:
                    if key in seen:
                        raise _ValueError(None, None, f"field '{key}' appears twice (also on line {self.first_line + seen[key]})",
                                          key_node.start_mark)
                    seen[key] = key_node.start_mark.line
                    self.key_lines.setdefault(keys + (key,), key_node.start_mark.line)
                    self._record(value_node, keys + (key,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.key_lines.setdefault(keys + (index,), item.start_mark.line)
                self._record(item, keys + (index,))

    # Any other value a constructor cannot build (e.g. "!!float abc") names its line too.
    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise _ValueError(None, None, f"{node.value!r} cannot be read ({exc})", node.start_mark) from None

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise _ValueError(None, None, f"'{node.value}' is not a real date ({exc})", node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@dataclass
class PageSource:
    """One Markdown page as checked: its text, front matter and where its body starts."""

    text: str
    meta: dict
    body_line: int  # line of the file where the body (after the front matter) starts
    body: str


# Check one page's text: front matter YAML, field types, markup in front matter and body.
# theme_dirs: the theme's folders, where `template:` and `icon:` must name a file.
def check_page(text: str, *, path: str, theme_dirs=()) -> tuple[PageSource | None, list[Problem]]:
    m = FRONT_MATTER_RE.match(text)
    if m is None:
        if re.match(r"-{3}[ \t]*\n", text):
            return None, [Problem(path, 1, "front matter starts with '---' but has no closing '---' line",
                                  "end the front matter with a line that holds only '---'")]
        if m := _MULTIMARKDOWN_META_RE.match(text):
            return None, [Problem(path, 1, f"the page starts with '{m.group(1)}:', which MkDocs reads as a hidden "
                                  "page setting (MultiMarkdown meta-data), not as text",
                                  "put settings in front matter between two '---' lines, or start the text with a "
                                  "heading or a word without a colon after it")]
        return PageSource(text, {}, 1, text), content_policy.check_markdown(text, path=path)
    doc, problems = parse_yaml(m.group(1), path=path, first_line=2, what="front matter")
    if problems:
        return None, problems
    if doc.data is None:
        doc.data = {}
    if not isinstance(doc.data, dict):
        return None, [Problem(path, 2, "front matter must be 'field: value' lines",
                              "write each field on its own line as 'name: value'")]
    meta = doc.data
    problems += field_type_problems(meta, path=path, lines=doc.lines)
    problems += theme_file_problems(meta, path=path, lines=doc.lines, theme_dirs=theme_dirs)
    problems += content_policy.check_fields(meta, path=path, lines=doc.lines, first_line=2, url_keys=URL_FIELDS,
                                            markdown_keys=MARKDOWN_FIELDS)
    body_line = text.count("\n", 0, m.end()) + 1
    body = text[m.end():]
    problems += content_policy.check_markdown(body, path=path, first_line=body_line)
    return PageSource(text, meta, body_line, body), problems


# Fields of the wrong kind (FIELD_TYPES), and keys that are not text.
def field_type_problems(meta: Mapping, *, path: str, lines: Mapping[tuple, int]) -> list[Problem]:
    problems = []
    for key, value in meta.items():
        line = lines.get((key,), 2)
        if not isinstance(key, str):
            problems.append(Problem(path, line, f"front matter field name {key!r} is not a word",
                                    "field names are words like title or description"))
            continue
        kind = FIELD_TYPES.get(key)
        if key in UNESCAPED_ATTRIBUTE_FIELDS and isinstance(value, str) and '"' in value:
            problems.append(Problem(path, line, f"front matter field '{key}': may not hold a double quote (\")",
                                    "the theme writes it into HTML unescaped; use ' or typographic quotes (“ ”)"))
            continue
        if kind is None or (value is None and key not in NOT_EMPTY) or (value is not None and _is(kind, value)):
            continue
        problems.append(Problem(path, line, f"front matter field '{key}': must be {_article(kind)}, not {_describe(value)}",
                                _TYPE_HINTS[kind]))
    return problems


# `template:` and `icon:` name files of the theme (Jinja raises TemplateNotFound otherwise).
def theme_file_problems(meta: Mapping, *, path: str, lines: Mapping[tuple, int], theme_dirs) -> list[Problem]:
    problems = []
    for key, pattern, hint in (("template", "{}", "use a template of overrides/ or Material, e.g. main.html"),
                               ("icon", ".icons/{}.svg", "use an icon name such as material/human-handsup")):
        value = meta.get(key)
        if not isinstance(value, str) or not theme_dirs:
            continue
        name = pattern.format(value.strip())
        found = ".." not in Path(name).parts and not Path(name).is_absolute() and \
            any((Path(d) / name).is_file() for d in theme_dirs)
        if not found:
            problems.append(Problem(path, lines.get((key,), 2), f"front matter field '{key}': {value!r} is not in the theme",
                                    hint))
    return problems


def _is(kind: str, value) -> bool:
    if kind == TEXT:
        return isinstance(value, str)
    if kind == TEXT_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == FLAG:
        return isinstance(value, bool)
    if kind == MAPPING:
        return isinstance(value, dict)
    if kind == NUMBER:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == LINK_LIST:
        return _is_link_list(value)
    return value is True or isinstance(value, str)


# Material's blog `links` is a navigation: a list of paths or URLs, each bare or as 'Title: target',
# and 'Section:' entries holding such a list. Anything else ends in a traceback inside MkDocs' nav code.
def _is_link_list(value, depth: int = 0) -> bool:
    if not isinstance(value, list) or depth > MAX_NESTING:
        return False
    for item in value:
        if isinstance(item, str):
            continue
        if not (isinstance(item, dict) and len(item) == 1):
            return False
        (title, target), = item.items()
        if not isinstance(title, str) or not (isinstance(target, str) or _is_link_list(target, depth + 1)):
            return False
    return True


def _article(kind: str) -> str:
    return {TEXT: "text", TEXT_LIST: "a list of text", FLAG: "true or false", MAPPING: "indented 'key: value' lines",
            NUMBER: "a whole number", TEXT_OR_TRUE: "text or true", LINK_LIST: "a list of links"}[kind]


def _describe(value) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"a date ({value})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "indented fields"
    return f"{str(value)[:40]!r}"


# ---------------------------------------------------------------------------
# Side files: the blog's .authors.yml
# ---------------------------------------------------------------------------

AUTHOR_FIELDS = {"name": True, "description": True, "avatar": True, "slug": False, "url": False}


# Check Material's blog authors file: {authors: {id: {name, description, avatar, url?, slug?}}}.
def check_authors(path: Path, *, display: str) -> list[Problem]:
    doc, problems = load_yaml(path, display=display)
    if problems:
        return problems
    data = doc.data or {}
    authors = data.get("authors") if isinstance(data, dict) else None
    if not isinstance(authors, dict) or set(data) - {"authors"}:
        return [Problem(display, 1, "must hold one 'authors:' mapping of author ids",
                        "write 'authors:', then each id indented, with name, description and avatar under it")]
    for author, info in authors.items():
        line = doc.lines.get(("authors", author), 1)
        if not isinstance(author, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", author):
            problems.append(Problem(display, line, f"author id {author!r} is not a simple id",
                                    "use lowercase letters, digits and hyphens, e.g. editorial-team"))
            continue
        if not isinstance(info, dict):
            problems.append(Problem(display, line, f"author '{author}' must have name, description and avatar",
                                    "indent 'name:', 'description:' and 'avatar:' under the id"))
            continue
        for key, required in AUTHOR_FIELDS.items():
            value = info.get(key)
            if value is None and not required:
                continue
            if not isinstance(value, str) or not value.strip():
                problems.append(Problem(display, doc.lines.get(("authors", author, key), line),
                                        f"author '{author}': '{key}' must be text", f"write '{key}: ...' under the id"))
        for key in sorted(set(info) - set(AUTHOR_FIELDS), key=str):
            problems.append(Problem(display, doc.lines.get(("authors", author, key), line),
                                    f"author '{author}': unknown field '{key}'", "use " + ", ".join(AUTHOR_FIELDS)))
        name = info.get("name")
        if isinstance(name, str) and '"' in name:
            problems.append(Problem(display, doc.lines.get(("authors", author, "name"), line),
                                    f"author '{author}': the name contains '\"'", "write the name without double quotes"))
    problems += content_policy.check_fields(authors, path=display, lines={k[1:]: v for k, v in doc.lines.items() if k},
                                            first_line=1, url_keys=("avatar", "url"), label="field")
    return problems


# ---------------------------------------------------------------------------
# Snippets (pymdownx.snippets): pages may include files from includes/ only
# ---------------------------------------------------------------------------

SNIPPETS = "pymdownx.snippets"


# Every snippet line ("--8<-- \"file\"", or a path inside a "--8<--" block) that names a file
# outside the snippet base folders, an absolute path, a URL, or a file that does not exist.
# Snippets are expanded before Markdown sees code blocks, so lines in code count too.
def snippet_problems(text: str, *, path: str, bases: list[Path], first_line: int = 1) -> list[Problem]:
    from pymdownx.snippets import SnippetPreprocessor

    problems, block = [], False
    for index, line in enumerate(text.split("\n")):
        m = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
        if m:
            if m.group("escape") or (block and m.group("inline_marker")):
                continue
            if not m.group("inline_marker"):
                block = not block
                continue
            target = m.group("snippet")[1:-1].strip()
        elif block:
            target = line.strip()
            if not target or target.startswith(";"):
                continue
        else:
            continue
        problem = _snippet_problem(target, bases, path=path, line=first_line + index)
        if problem is not None:
            problems.append(problem)
    return problems


def _snippet_problem(target: str, bases: list[Path], *, path: str, line: int) -> Problem | None:
    from pymdownx.snippets import SnippetPreprocessor

    match = SnippetPreprocessor.RE_SNIPPET_FILE.match(target[:500])
    name = (match.group(1) if match else target).strip()
    folders = " or ".join(_short_base(b) for b in bases) or "includes/"
    hint = f"include only files inside {folders}, by a path relative to it (e.g. --8<-- \"abbreviations.md\")"
    if name.lower().startswith(("http://", "https://")):
        return Problem(path, line, f"snippet {name!r} is a URL: snippets cannot download", hint)
    if not name or Path(name).is_absolute() or name.startswith("~") or re.match(r"^[A-Za-z]:", name):
        return Problem(path, line, f"snippet {name!r} is an absolute path", hint)
    for base in bases:
        base = base.resolve()
        candidate = (base / name).resolve()
        if candidate.is_relative_to(base) and candidate.is_file():
            return None
    if not any((b.resolve() / name).resolve().is_relative_to(b.resolve()) for b in bases):
        return Problem(path, line, f"snippet {name!r} is outside {folders}", hint)
    return Problem(path, line, f"snippet {name!r} is not a file in {folders}",
                   "check the file name; to show the --8<-- line as text, write ;--8<-- instead")


def _short_base(base: Path) -> str:
    return base.name + "/"


# The snippet base folders and auto-appended files of a MkDocs config.
def snippet_settings(config) -> tuple[list[Path], list[str]]:
    options = dict(config.mdx_configs.get(SNIPPETS) or {})
    bases = options.get("base_path", ["."])
    bases = [bases] if isinstance(bases, (str, Path)) else list(bases)
    root = Path(config.config_file_path).parent
    return [(root / b).resolve() for b in bases], list(options.get("auto_append") or [])


# ---------------------------------------------------------------------------
# The project: what hooks/content_policy.py checks
# ---------------------------------------------------------------------------

EVIDENCE_DIR = "evidence"


# bib/ (encoding), includes/ (encoding, markup, snippets), evidence/ (encoding, YAML syntax) and
# the blog's .authors.yml: every problem, before any plugin reads them.
def check_side_files(config, *, bib_dir: Path) -> list[Problem]:
    root = Path(config.config_file_path).parent
    problems: list[Problem] = []
    for path in sorted(Path(bib_dir).rglob("*.bib")):
        problems += read_text(path, _display(path, root))[1]
    bases, auto_append = snippet_settings(config)
    for base in bases:
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            display = _display(path, root)
            text, found = read_text(path, display)
            problems += found
            # every file: a snippet of any name (x.html too) goes into the page as it is
            if text is not None:
                problems += content_policy.check_markdown(text, path=display)
                problems += snippet_problems(text, path=display, bases=bases)
    for name in auto_append:
        problems += [Problem("mkdocs.yml", None, f"{SNIPPETS}: auto_append {p.message}", p.hint)
                     for p in [_snippet_problem(name, bases, path="mkdocs.yml", line=0)] if p is not None]
    evidence = root / EVIDENCE_DIR
    if evidence.is_dir():
        for path in sorted(p for p in evidence.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file()):
            problems += load_yaml(path, display=_display(path, root))[1]
    authors = _authors_file(config)
    if authors is not None and authors.is_file():
        problems += check_authors(authors, display=_display(authors, root))
    return problems


# Every page (.md) and SVG file under docs/: encoding, front matter, markup, snippets. HTML
# files are refused: MkDocs would publish them as they are.
# Files a browser would run as a page of the site's origin (HTML, XHTML and any XML that declares
# the XHTML namespace, XSLT, web archives), which MkDocs would publish as they are.
PUBLISHED_UNCHECKED = (".html", ".htm", ".xhtml", ".xht", ".shtml", ".svgz", ".xml", ".xsl", ".xslt", ".mht", ".mhtml")


def check_doc_files(config, files) -> list[Problem]:
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir).resolve()
    bases, _ = snippet_settings(config)
    problems: list[Problem] = []
    for file in files:
        if not file.abs_src_path or not Path(file.abs_src_path).resolve().is_relative_to(docs):
            continue
        path = Path(file.abs_src_path)
        display = _display(path, root)
        suffix = path.suffix.lower()
        if suffix in PUBLISHED_UNCHECKED:
            problems.append(Problem(display, None, f"{suffix} files are published as they are, unchecked",
                                    "write the page in Markdown (.md); keep SVG images as plain .svg"))
        elif file.is_documentation_page() or suffix == ".svg":
            text, found = read_text(path, display)
            problems += found
            if text is None:
                continue
            if suffix == ".svg":
                problems += content_policy.check_svg(text, path=display)
                continue
            problems += check_page(text, path=display, theme_dirs=config.theme.dirs)[1]
            problems += snippet_problems(text, path=display, bases=bases)
    return problems


def _authors_file(config) -> Path | None:
    blog = config.plugins.get("material/blog")
    if blog is None:
        return None
    name = blog.config.authors_file.format(blog=blog.config.blog_dir)
    return Path(config.docs_dir) / name


def _display(path: Path, root: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path(root).resolve()))
    except ValueError:
        return str(path)
