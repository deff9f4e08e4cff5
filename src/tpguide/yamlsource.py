"""YAML data with the line of every value, for readers that check records field by field.

Reading and parsing is ``tpguide.inputs.load_yaml`` (encoding, syntax, impossible dates and
duplicate keys become ``file:line`` problems, never a traceback). This module turns its result,
plain data plus a map of key paths to lines, into mappings and lists that know the line of each
of their items, so that a record reader (tpguide.evidence.load) can name the exact line of a
bad field.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem
from .inputs import YamlDoc, load_yaml, parse_yaml

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


# Load one YAML file: (value with lines, problems). The value is None when it cannot be read.
def load_file(path: Path, rel: str) -> tuple[object, list[Problem]]:
    doc, problems = load_yaml(path, display=rel)
    return (None, problems) if problems else (with_lines(doc), [])


def load_text(text: str, rel: str) -> tuple[object, list[Problem]]:
    doc, problems = parse_yaml(text, path=rel)
    return (None, problems) if problems else (with_lines(doc), [])


# The data of a parsed document as YDict/YList trees (scalars stay as they are).
def with_lines(doc: YamlDoc):
    return _wrap(doc.data, (), doc.lines, 1)


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


def _wrap(value, path: tuple, lines: dict, line: int):
    if isinstance(value, dict):
        out = YDict()
        out.line, out.lines = line, {}
        for key, item in value.items():
            key_line = lines.get(path + (key,), line)
            out[key] = _wrap(item, path + (key,), lines, key_line)
            out.lines[key] = key_line
        return out
    if isinstance(value, list):
        out = YList()
        out.line, out.lines = line, []
        for index, item in enumerate(value):
            item_line = lines.get(path + (index,), line)
            out.append(_wrap(item, path + (index,), lines, item_line))
            out.lines.append(item_line)
        return out
    return value
