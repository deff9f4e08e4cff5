"""Changes to Material's JavaScript bundle in the built site, each checked to still apply.

Material 9.8 is in maintenance (critical fixes only), so a bug in its bundle that costs every
page load is fixed here, in the copy the build writes, as upstream was asked to fix it. Each
replacement has the length of the text it replaces, so the bundle's source map stays right. When
a Material update changes the code, the build stops and names the patch: redo it from the new
bundle or drop it if upstream fixed the bug.

The bundle keeps Material's file name (and its year of immutable caching): a browser that cached
the unpatched file from this site runs that one until its cache expires, as before the patch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

BUNDLE_GLOB = "assets/javascripts/bundle.*.min.js"


@dataclass(frozen=True)
class Patch:
    """One text replacement in Material's bundle, and why."""

    name: str
    why: str
    old: str
    new: str


PATCHES = (
    Patch(
        name="alternate links are languages",
        why=("Material's language switcher fetches sitemap.xml next to the target of every "
             '<link rel="alternate"> when a page loads, and so once per feed autodiscovery link '
             "(6 feeds: 6 more fetches of /sitemap.xml, squidfunk/mkdocs-material#8576). Only "
             "alternates with hreflang are languages, so only those are its business."),
        old='"link[rel=alternate]"',
        new='"link[hreflang][rel]"',
    ),
)


# ---------------------------------------------------------------------------
# Patching
# ---------------------------------------------------------------------------


# The bundle text with every patch applied; ContentError when one does not match exactly once.
def patched(text: str, *, path: str = "bundle", patches: tuple[Patch, ...] = PATCHES) -> str:
    problems = []
    for patch in patches:
        assert len(patch.new) == len(patch.old), f"{patch.name}: the replacement must keep the length"
        found = text.count(patch.old)
        if found == 0 and text.count(patch.new) == 1:
            continue  # already patched: a --dirty build leaves the bundle of the last build in place
        if found != 1:
            problems.append(Problem(path, None, f"Material's bundle patch '{patch.name}' found {patch.old!r} "
                                                f"{found} times, expected once ({patch.why})",
                                    "Material changed: redo the patch in tpguide/bundle_patch.py from the new "
                                    "bundle, or remove it if Material fixed the bug"))
            continue
        text = text.replace(patch.old, patch.new)
    if problems:
        raise ContentError(problems)
    return text


# Patch Material's bundle(s) in a built site; returns the files changed.
def patch_site(site_dir: Path | str) -> list[Path]:
    site = Path(site_dir)
    changed = []
    for path in sorted(site.glob(BUNDLE_GLOB)):
        text = path.read_text(encoding="utf-8")
        new = patched(text, path=str(path.relative_to(site)))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed
