"""Problems found in content, reported with file and line and what to do."""

from __future__ import annotations

from dataclasses import dataclass


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file: where it is, what it is, how to fix it."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" -> {self.hint}"
        return text


class ContentError(Exception):
    """One or more problems that must stop the build."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__(self.render())

    # Render all problems, one per line, so editors see every one in one build.
    def render(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


# Raise a ContentError when the list is not empty.
def raise_if_any(problems: list[Problem]) -> None:
    if problems:
        raise ContentError(problems)
