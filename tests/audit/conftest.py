"""Quality-gate tests: session fixtures for the real site and for a fixture site with faults.

Every test here is also an e2e test (Chromium, Java and tools/audit/node_modules are needed;
`make test` installs them through `audit-deps`). Tests marked `lighthouse` are slow and run only
under `make audit` (TPG_AUDIT_LIGHTHOUSE=1).
"""

from __future__ import annotations

import os
import subprocess
import textwrap
from pathlib import Path

import pytest

from support import ROOT, article, make_site
from tpguide import audit, engines

LIGHTHOUSE_ENV = "TPG_AUDIT_LIGHTHOUSE"
LIGHTHOUSE_SCORES: dict[str, audit.LighthouseResult] = {}


def pytest_configure(config):
    config.addinivalue_line("markers", "lighthouse: Lighthouse runs (slow; make audit only)")


def pytest_collection_modifyitems(config, items):
    run_lighthouse = os.environ.get(LIGHTHOUSE_ENV) == "1"
    skip = pytest.mark.skip(reason=f"Lighthouse runs only under make audit ({LIGHTHOUSE_ENV}=1)")
    for item in items:
        if "tests/audit" not in str(item.fspath).replace("\\", "/"):
            continue
        item.add_marker(pytest.mark.e2e)
        if "lighthouse" in item.keywords and not run_lighthouse:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter):
    if not LIGHTHOUSE_SCORES:
        return
    terminalreporter.section("Lighthouse (mobile, median of runs)")
    for page, result in LIGHTHOUSE_SCORES.items():
        terminalreporter.write_line(f"/{page:<40} " + "  ".join(f"{k} {v:.2f}" for k, v in result.scores.items()))
        terminalreporter.write_line(f"  {result.summary()}")


def _require_tools():
    missing = [str(p) for p in (audit.VNU_JAR, audit.AXE_JS, audit.LIGHTHOUSE_CLI) if not p.is_file()]
    if missing:
        pytest.fail(f"audit tools missing ({', '.join(missing)}): run 'make audit-deps' or 'make test'")


# ---------------------------------------------------------------------------
# The real site
# ---------------------------------------------------------------------------


# The project's site, built strictly once per session into a temporary folder.
@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    _require_tools()
    site_dir = tmp_path_factory.mktemp("audit-site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(engines.command("build", "--strict", "-d", str(site_dir)),
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-4000:]
    return site_dir


@pytest.fixture(scope="session")
def real_url(real_site):
    with audit.serve(real_site) as base_url:
        yield base_url


# The session's one Chromium (tests/conftest.py): Playwright's sync API allows one per process.
@pytest.fixture(scope="session")
def audit_browser(browser):
    return browser


# axe (light and dark) and the requests of every page of the real site, run once.
@pytest.fixture(scope="session")
def real_browser_report(audit_browser, real_site, real_url) -> audit.BrowserReport:
    return audit.audit_in_browser(audit_browser, real_url, audit.site_pages(real_site))


# The patient pages on a phone (390 px), light and dark.
@pytest.fixture(scope="session")
def real_phone_report(audit_browser, real_site, real_url) -> audit.BrowserReport:
    from tpguide import pagelength
    return audit.audit_in_browser(audit_browser, real_url, pagelength.patient_urls(ROOT / "docs"), phone=True)


# ---------------------------------------------------------------------------
# The fixture site: one page per fault, plus clean pages
# ---------------------------------------------------------------------------

FAULT_PAGES = {
    "index.md": article("Fixture home", """\
        A clean page. See [the clean article](clean.md#a-real-heading).
        """),
    "clean.md": article("Clean article", """\
        ## A real heading

        Plain text with a [link home](index.md).
        """),
    "links.md": article("Link faults", """\
        ## Links

        <p><a href="../clean/#no-such-anchor">A broken anchor</a> and
        <a href="../no-such-page/">a missing page</a>.</p>
        """),
    "html.md": article("HTML fault", """\
        ## Obsolete element

        <center>Centred the old way.</center>
        """),
    "a11y.md": article("Accessibility faults", """\
        ## Faults

        <p class="fault-contrast" style="color: #b8b8b8; background: #ffffff">Very light grey text.</p>

        <p><input type="text" class="fault-unlabelled"></p>
        """),
    "security.md": article("Security fault", """\
        ## Inline handler

        <p><button type="button" onclick="alert(1)">Press</button></p>
        """),
    "requests.md": article("Foreign request", """\
        ## Tracker image

        <p><img src="https://tracker.example.org/pixel.png" alt="" width="1" height="1"></p>
        """),
}
SHORT_HANDOUT = "---\nhandout: true\n" + FAULT_PAGES["clean.md"].removeprefix("---\n")
LONG_HANDOUT = "---\nhandout: true\n" + article("Long handout", "## Too long\n\n" + "\n\n".join(
    f"Paragraph {i}: " + "This sentence makes the handout far longer than two printed pages. " * 8
    for i in range(60))).removeprefix("---\n")
FAULT_PAGES["handout-short.md"] = SHORT_HANDOUT.replace("title: Clean article", "title: Short handout")
FAULT_PAGES["handout-long.md"] = LONG_HANDOUT


# The fixture site built through the project's mkdocs.yml, hooks and templates. The build's
# content policy (hooks/content_policy.py) refuses the handler and the tracker image before any
# gate could see them (tests/build/test_content_policy_build.py): it is left out here, so that
# these gates, the second line, are proven on the built pages.
@pytest.fixture(scope="session")
def fault_site(tmp_path_factory):
    _require_tools()
    site = make_site(tmp_path_factory.mktemp("audit-faults"), {k: textwrap.dedent(v) for k, v in FAULT_PAGES.items()})
    site.without_hook("content_policy.py")
    result = site.build()
    assert result.returncode == 0, result.stderr[-4000:]
    return site


@pytest.fixture(scope="session")
def fault_url(fault_site):
    with audit.serve(fault_site.site_dir) as base_url:
        yield base_url


@pytest.fixture(scope="session")
def fault_browser_report(audit_browser, fault_site, fault_url) -> audit.BrowserReport:
    return audit.audit_in_browser(audit_browser, fault_url, audit.site_pages(fault_site.site_dir))
