"""What a build keeps for the next one, in the user's cache folder (``csl.cache_dir``: outside
the repository, so a pull request cannot bring anything into it).

- Compiled templates. Jinja compiles every template it renders, about 0.45 s a build here: twice,
  because the build and the inline-script scan (``tpguide.security``) each have their own
  template environment. ``keep_compiled_templates`` gives an environment Jinja's own bytecode
  cache; Jinja checks each entry against the template's source and its own version.
- QR codes. ``share.qr_svg`` takes about 4 ms a code; ``qr_codes()`` keeps the codes made, by URL,
  and writes them when the process ends (any engine, any command). A code read back must be
  exactly what ``share.qr_svg`` writes for its URL (``_valid_qr``), or it is made again.
Both are used only when the folder can be made and written; a file that cannot be read is not
used.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from .csl import cache_dir

TEMPLATES_FOLDER = "jinja"


def _folder(name: str) -> Path | None:
    folder = cache_dir() / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


# The environment, with Jinja's bytecode cache in the cache folder (unchanged without one).
def keep_compiled_templates(env):
    from jinja2 import FileSystemBytecodeCache

    if env.bytecode_cache is None and (folder := _folder(TEMPLATES_FOLDER)) is not None:
        env.bytecode_cache = FileSystemBytecodeCache(str(folder))
    return env


class KeptStrings:
    """Strings made from strings (``make(key)``), kept in one JSON file between builds. Only
    values that ``valid(key, value)`` accepts are read back; ``save()`` writes what was added."""

    def __init__(self, name: str, version: str, make: Callable[[str], str], valid: Callable[[str, str], bool]):
        digest = hashlib.sha256(version.encode()).hexdigest()[:16]
        folder = _folder("kept")
        self.file = folder / f"{name}-{digest}.json" if folder is not None else None
        self.make, self.valid, self.added = make, valid, False
        self.values: dict[str, str] = {}
        if self.file is None:
            return
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict):
            self.values = {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str) and valid(k, v)}

    def __call__(self, key: str) -> str:
        if key not in self.values:
            self.values[key] = self.make(key)
            self.added = True
        return self.values[key]

    # Atomically: a reader never sees half a file.
    def save(self) -> None:
        if not (self.added and self.file):
            return
        self.added = False
        try:
            partial = self.file.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(json.dumps(self.values, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(partial, self.file)
        except OSError:
            pass


# A QR code as share.qr_svg makes it: one <svg> with the URL's label and one <path> of moves.
_QR_RE = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="([^"<>]*)" viewBox="0 0 (\d+) \2" '
                    r'width="\2" height="\2" class="tpg-qr"><path transform="scale\(\d+\)" class="qrline" '
                    r'stroke="#000" d="[MmHhVv0-9. -]+"/></svg>')


def _valid_qr(url: str, svg: str) -> bool:
    from .share import qr_label

    match = _QR_RE.fullmatch(svg)
    return match is not None and match.group(1) == qr_label(url)


_QR: dict[str, KeptStrings] = {}


# The QR codes of this process (share.qr_svg at its default size), kept between builds.
def qr_codes() -> KeptStrings:
    if "qr" not in _QR:
        import segno

        from . import share

        _QR["qr"] = KeptStrings("qr", f"{segno.__version__}|{share.QR_VERSION}", share.qr_svg, _valid_qr)
        atexit.register(_QR["qr"].save)
    return _QR["qr"]
