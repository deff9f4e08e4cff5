"""The engines that build the site, and the command line of each (issue 24).

- ``properdocs`` (the default): ProperDocs 1.6, the maintained fork of MkDocs 1.6. It runs our
  hooks and Material's plugins unchanged (it answers ``import mkdocs...`` with its own modules),
  and its output is byte-identical to MkDocs' except the generator meta tag.
- ``mkdocs``: MkDocs 1.6.1, the last 1.x release (unmaintained; 2.x drops plugins).
- ``zensical``: Zensical 0.0.73, Material's successor, which runs no hooks: tpguide.zensical
  prepares the pages first and finishes the site after (prepare, build, finish).

The engine is chosen by ``TPG_ENGINE`` (``make build ENGINE=...`` sets it); every build in the
Makefile, the tests and ``make bench`` goes through :func:`command`, so all of them use one engine.
"""

from __future__ import annotations

import os
import sys

DEFAULT = "properdocs"
ENGINES = ("properdocs", "mkdocs", "zensical")
# The module each engine's command line runs (python -m ...).
MODULES = {"properdocs": "properdocs", "mkdocs": "mkdocs", "zensical": "tpguide.zensical"}
ENV = "TPG_ENGINE"


class EngineError(ValueError):
    """An engine name that is not one of ENGINES."""


def chosen(environ: dict[str, str] | None = None) -> str:
    """The engine named by TPG_ENGINE (DEFAULT when unset or empty); unknown names are refused."""
    name = (os.environ if environ is None else environ).get(ENV, "").strip() or DEFAULT
    if name not in ENGINES:
        raise EngineError(f"engine {name!r} (ENGINE= for make, {ENV} otherwise) is not one this site builds on "
                          f"-> use one of: {', '.join(ENGINES)}")
    return name


def command(*args: str, engine: str | None = None, config: str = "mkdocs.yml") -> list[str]:
    """The command line that runs ``engine`` (default: :func:`chosen`) with ``args``.

    ``-f`` is always given: ProperDocs otherwise looks for ``properdocs.yml`` first and prints a
    notice about the legacy file name.
    """
    name = engine or chosen()
    if name not in ENGINES:
        raise EngineError(f"engine {name!r} is not one of: {', '.join(ENGINES)}")
    if not args:
        raise ValueError("command() needs a subcommand, e.g. 'build'")
    return [sys.executable, "-m", MODULES[name], args[0], "-f", config, *args[1:]]


def main(argv: list[str] | None = None) -> int:
    """``python -m tpguide.engines``: prints the chosen engine, or the reason it is refused (exit 2)."""
    try:
        print(chosen())
    except EngineError as exc:
        print(f"tpguide: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
