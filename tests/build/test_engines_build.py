"""The real site on each engine (issue 24): ProperDocs (the default) and MkDocs 1.6.1 build the same
site, file for file and byte for byte, except the generator meta tag that names the engine."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from support import ROOT
from tpguide import engines

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _generators(site: Path) -> set[bytes]:
    return {m.group(0) for p in site.rglob("*.html") for m in GENERATOR.finditer(p.read_bytes())}


@pytest.mark.slow
def test_every_engine_builds_the_same_site(built_site, site_port, tmp_path):
    chosen = engines.chosen()
    others = [e for e in engines.ENGINES if e != chosen]
    assert others, "only one engine: nothing to compare"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TPG_SITE_URL": f"http://127.0.0.1:{site_port}/"}
    ours = _files(built_site)
    for engine in others:
        site = tmp_path / engine
        result = subprocess.run(engines.command("build", "--strict", "-d", str(site), engine=engine), cwd=ROOT,
                                capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, result.stderr[-4000:]
        theirs = _files(site)
        assert sorted(theirs) == sorted(ours), (
            f"{engine}: pages only here {sorted(set(theirs) - set(ours))[:10]}, "
            f"only on {chosen} {sorted(set(ours) - set(theirs))[:10]}")
        differ = [name for name, path in ours.items()
                  if GENERATOR.sub(b"", path.read_bytes()) != GENERATOR.sub(b"", theirs[name].read_bytes())]
        assert differ == [], f"{engine} and {chosen} differ in {len(differ)} files, e.g. {differ[:5]}"
        # the one difference: each names its engine
        assert any(b"ProperDocs" in g for g in _generators(site if engine == "properdocs" else built_site))
        assert _generators(site) != _generators(built_site)
