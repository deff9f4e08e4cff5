import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support import ROOT  # noqa: E402
from tpguide import engines  # noqa: E402


# Caches kept between builds (tpguide.csl) go to a folder of this session, never the user's: a test
# sees only what this session formatted, and leaves nothing behind.
@pytest.fixture(scope="session", autouse=True)
def _session_cache_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tpg-cache")
    old = os.environ.get("TPG_CACHE_DIR")
    os.environ["TPG_CACHE_DIR"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("TPG_CACHE_DIR", None)
    else:
        os.environ["TPG_CACHE_DIR"] = old


# A free port on 127.0.0.1 for serving the built site (chosen before the build).
@pytest.fixture(scope="session")
def site_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The project's own evidence data, loaded once per session with its bibliography (tests read it,
# never change it).
@pytest.fixture(scope="session")
def real_store():
    from tpguide.bib import load_bib_dir
    from tpguide.evidence import load_evidence_dir

    return load_evidence_dir(ROOT / "evidence", root=ROOT, bib=load_bib_dir(ROOT / "bib", root=ROOT))


# Build the project's site once per session, strictly, into a temporary folder. site_url is the
# address it will be served at: Material's instant navigation only follows links it finds in
# the sitemap, which holds absolute URLs.
@pytest.fixture(scope="session")
def built_site(tmp_path_factory, site_port) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TPG_SITE_URL": f"http://127.0.0.1:{site_port}/"}
    result = subprocess.run(
        engines.command("build", "--strict", "-d", str(site_dir)),
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return site_dir




# One Chromium for the whole session: Playwright's sync API allows one running instance per
# process, so every browser test (tests/browser, tests/deploy, tests/audit) shares this one.
@pytest.fixture(scope="session")
def browser():
    from support import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.fail(f"system Chromium not found at {CHROMIUM}: run 'make test' (it installs it) or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


# Print the per-page readability and citation figures after the run.
def pytest_terminal_summary(terminalreporter):
    module = sys.modules.get("content.test_content")
    REPORTS = getattr(module, "REPORTS", None)
    if not REPORTS:
        return
    terminalreporter.section("content report (Flesch-Kincaid grade, citations)")
    for report in sorted(REPORTS.values(), key=lambda r: r.path):
        terminalreporter.write_line(
            f"{report.path:<42} {report.audience:<12} grade {report.grade:4.1f}  "
            f"citations {report.citations:3d}  sources {report.distinct:2d}  words {report.words:5d}"
        )
