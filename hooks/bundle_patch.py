"""Hook: fix Material's bundle in the built site (logic and the reasons: tpguide.bundle_patch).

on_post_build, default priority: before hooks/deploy.py (-100) writes the headers files; the
bundle's name does not change, so nothing else needs to know.
"""

from __future__ import annotations

from mkdocs.exceptions import PluginError

from tpguide import bundle_patch
from tpguide.errors import ContentError


def on_post_build(*, config, **kwargs) -> None:
    try:
        bundle_patch.patch_site(config.site_dir)
    except ContentError as exc:
        raise PluginError(str(exc)) from None
