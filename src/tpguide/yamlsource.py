"""Read YAML data files with the line of every value, so that problems name ``file:line``.

PyYAML reports syntax errors with a position but turns a bad value (``2026-13-01``) into a bare
``ValueError`` with none, and loses the lines of valid values. Here a file is composed into
nodes first; every mapping and list keeps the line of each of its items, every scalar is
constructed on its own, and each problem becomes a ``Problem`` instead of a traceback.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import Problem

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


class YDict(dict):
    """A mapping from a YAML file: ``line`` of the mapping, ``lines[key]`` of each value."""

    line: int = 1
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class YList(list):
    """A sequence from a YAML file: ``line`` of the sequence, ``lines[i]`` of each item."""

    line: int = 1
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


# Text of a file decoded as UTF-8 (a BOM is allowed); a Problem with the line of the bad byte.
def read_text(path: Path, rel: str) -> tuple[str | None, list[Problem]]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, line, f"is not UTF-8 text (byte {data[exc.start]:#04x} at line {line})",
                              "save the file as UTF-8 in your editor")]


# Load one YAML document: (value with lines, problems). The value is None when it cannot be read.
def load_file(path: Path, rel: str) -> tuple[object, list[Problem]]:
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
    return load_text(text, rel)


def load_text(text: str, rel: str, *, line_offset: int = 0) -> tuple[object, list[Problem]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 if mark else 1) + line_offset
        what = exc.problem or exc.context or "syntax error"
        return None, [Problem(rel, line, f"YAML does not parse: {what}",
                              "check indentation, colons and quotes (put text with ': ' or '#' in quotes)")]
    except yaml.YAMLError as exc:  # e.g. a document that is not one document
        return None, [Problem(rel, 1 + line_offset, f"YAML does not parse: {exc}", "keep one YAML document per file")]
    if node is None:
        return None, []
    problems: list[Problem] = []
    value = _convert(node, rel, problems, _Constructor(), line_offset)
    return value, problems


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


class _Constructor(yaml.constructor.SafeConstructor):
    """Builds one scalar at a time (SafeLoader's types: str, int, float, bool, null, date)."""


def _line(node, offset: int) -> int:
    return node.start_mark.line + 1 + offset


def _convert(node, rel: str, problems: list[Problem], ctor: _Constructor, offset: int):
    if isinstance(node, yaml.MappingNode):
        out = YDict()
        out.line, out.lines = _line(node, offset), {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(Problem(rel, _line(key_node, offset), "a key must be plain text",
                                        "write 'name: value'; YAML merge keys (<<) and complex keys are not used here"))
                continue
            key = _scalar(key_node, rel, problems, ctor, offset)
            if isinstance(key, (list, dict)) or key is None:
                continue
            if key in out:
                problems.append(Problem(rel, _line(key_node, offset), f"key '{key}' appears twice in the same block",
                                        f"keep one '{key}:' (the line of the first is {out.lines[key]})"))
                continue
            out[key] = _convert(value_node, rel, problems, ctor, offset)
            out.lines[key] = _line(value_node, offset) if not isinstance(value_node, yaml.ScalarNode) else _line(key_node, offset)
        return out
    if isinstance(node, yaml.SequenceNode):
        out = YList()
        out.line, out.lines = _line(node, offset), []
        for item in node.value:
            out.append(_convert(item, rel, problems, ctor, offset))
            out.lines.append(_line(item, offset))
        return out
    return _scalar(node, rel, problems, ctor, offset)


def _scalar(node, rel: str, problems: list[Problem], ctor: _Constructor, offset: int):
    try:
        return ctor.construct_object(node, deep=True)
    except Exception as exc:  # noqa: BLE001 - PyYAML raises ValueError/OverflowError/ConstructorError
        text = node.value if isinstance(node, yaml.ScalarNode) else "?"
        hint = "write dates as YYYY-MM-DD with a real month and day" if _looks_like_date(text) else \
            "put the value in quotes to keep it as text"
        problems.append(Problem(rel, _line(node, offset), f"value {text!r} cannot be read ({exc})", hint))
        return None


def _looks_like_date(text) -> bool:
    return isinstance(text, str) and len(text) >= 8 and text[:4].isdigit() and text[4:5] == "-"
