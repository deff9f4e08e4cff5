"""What a build keeps for the next one, in the user's cache folder (``csl.cache_dir``: outside
the repository, so a pull request cannot bring anything into it).

- Compiled templates. Jinja compiles every template the build renders, about 0.25 s a build here.
  ``keep_compiled_templates`` gives the build's template environment Jinja's own bytecode cache.
  Jinja checks each entry against the template's file and source; the file names also carry a
  fingerprint of the environment (``_setup_fingerprint``: the versions of Jinja, MarkupSafe, the
  engine and the theme, and the environment's settings, filters and tests), because Jinja
  settles some things when it compiles. An entry that cannot be read is compiled again, and one
  that cannot be written is not kept.
- QR codes. ``share.qr_svg`` takes about 4 ms a code; ``qr_codes()`` keeps the codes made, by URL,
  and writes those of this process when it ends (any engine, any command). The file's name carries
  a fingerprint of what ``share.qr_svg`` writes now (one probe code), so a changed generator never
  reads old codes; a code read back must have the shape ``share.qr_svg`` writes, with its URL's
  label (``_valid_qr``), or it is made again.

The cache folder is trusted like the user's own files: cached templates are run as code. So it is
used only when it belongs to the user running the build and no one else can write to it (as
Jinja requires of its own default folder), and when it can be made and written.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path

from .csl import cache_dir

TEMPLATES_FOLDER = "jinja"
KEPT_FOLDER = "kept"


# A folder of the cache, made if needed (owner only); None when it cannot be made or written, when
# it belongs to someone else or others may write to it, or when the cache folder itself belongs
# to someone else (the checks Jinja makes of its own default folder, and one more).
def _folder(name: str) -> Path | None:
    root = cache_dir()
    folder = root / name
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        mine = (lambda info: info.st_uid == os.getuid()) if hasattr(os, "getuid") else (lambda info: True)
        info = folder.lstat()
        if not stat.S_ISDIR(info.st_mode) or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH) or not mine(info):
            return None
        if not mine(root.stat()):
            return None
    except OSError:
        return None
    return folder if os.access(folder, os.W_OK) else None


def _setup_fingerprint(env) -> str:
    from importlib import metadata

    versions = []
    for dist in ("jinja2", "markupsafe", "mkdocs", "properdocs", "mkdocs-material"):
        try:
            versions.append(f"{dist}={metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{dist}=-")
    settings = [repr(env.autoescape), repr(env.optimized), repr(sorted(env.extensions)),
                repr(sorted((name, getattr(f, "jinja_pass_arg", None)) for name, f in env.filters.items())),
                repr(sorted(env.tests)), env.block_start_string, env.block_end_string, env.variable_start_string,
                env.variable_end_string, env.comment_start_string, env.comment_end_string,
                repr(env.line_statement_prefix), repr(env.line_comment_prefix), repr(env.trim_blocks),
                repr(env.lstrip_blocks), repr(env.newline_sequence), repr(env.keep_trailing_newline)]
    return hashlib.sha256("|".join(versions + settings).encode()).hexdigest()[:16]


def _bytecode_cache(folder: Path, fingerprint: str):
    from jinja2 import FileSystemBytecodeCache

    class KeptTemplates(FileSystemBytecodeCache):
        """Jinja's file cache, where an entry that cannot be read or written is simply not used."""

        def load_bytecode(self, bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged entry (half a file, junk after a valid header)
                bucket.reset()

        def dump_bytecode(self, bucket) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:  # a full disk, or the folder removed while `make serve` runs
                pass

    return KeptTemplates(str(folder), pattern=f"__tpg_{fingerprint}_%s.cache")


# The environment, with Jinja's bytecode cache in the cache folder (unchanged without one).
def keep_compiled_templates(env):
    if env.bytecode_cache is None and (folder := _folder(TEMPLATES_FOLDER)) is not None:
        env.bytecode_cache = _bytecode_cache(folder, _setup_fingerprint(env))
    return env


class KeptStrings:
    """Strings made from strings (``make(key)``), kept in one JSON file between builds. Only
    values that ``valid(key, value)`` accepts are read back; ``save()`` writes the values this
    process used, when it made any (so the file holds one build's codes, not every code ever made)."""

    def __init__(self, name: str, version: str, make: Callable[[str], str], valid: Callable[[str, str], bool]):
        digest = hashlib.sha256(version.encode()).hexdigest()[:16]
        folder = _folder(KEPT_FOLDER)
        self.file = folder / f"{name}-{digest}.json" if folder is not None else None
        self.make, self.valid, self.added = make, valid, False
        self.values: dict[str, str] = {}
        self.used: set[str] = set()
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
        self.used.add(key)
        return self.values[key]

    # Atomically: a reader never sees half a file, and a failed write leaves no partial file.
    def save(self) -> None:
        if not (self.added and self.file):
            return
        self.added = False
        partial = self.file.with_suffix(f".{os.getpid()}.tmp")
        try:
            kept = {k: self.values[k] for k in sorted(self.used)}
            partial.write_text(json.dumps(kept, ensure_ascii=False, sort_keys=True), encoding="utf-8")
            os.replace(partial, self.file)
        except OSError:
            try:
                partial.unlink()
            except OSError:
                pass


# A QR code as share.qr_svg makes it: one <svg> with the URL's label and one <path> of moves.
_QR_RE = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="([^"<>]*)" viewBox="0 0 (\d+) \2" '
                    r'width="\2" height="\2" class="tpg-qr"><path transform="scale\(\d+\)" class="qrline" '
                    r'stroke="#000" d="[MmHhVv0-9. -]+"/></svg>')
QR_PROBE_URL = "https://example.org/tpguide/qr-probe/"


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

        probe = hashlib.sha256(share.qr_svg(QR_PROBE_URL).encode()).hexdigest()
        _QR["qr"] = KeptStrings("qr", f"{segno.__version__}|{probe}", share.qr_svg, _valid_qr)
        atexit.register(_QR["qr"].save)
    return _QR["qr"]
