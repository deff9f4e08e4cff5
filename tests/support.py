"""Fixture sites built through the project's own mkdocs.yml, hooks and templates."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tpguide.audit import CHROMIUM, CHROMIUM_ARGS  # noqa: E402,F401  (one definition, in the package)
from tpguide import engines  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

GOOD_BIB = """\
@article{smith2020knots,
  author  = {Smith, Anna B. and Jones, Carl},
  title   = {Muscle knots in adults: a systematic review},
  journal = {Journal of Examples},
  year    = {2020},
  volume  = {12},
  number  = {3},
  pages   = {100--110},
  doi     = {10.1000/example.1},
  pmid    = {12345678},
  studytype = {systematic review},
  topics  = {diagnosis}
}

@book{lee2019manual,
  author    = {Lee, Dana},
  title     = {A manual of muscle pain},
  publisher = {Example Press},
  year      = {2019},
  url       = {https://example.org/manual},
  studytype = {textbook},
  topics    = {mechanisms}
}
"""

# Generated handouts cite these two sources in their "when to get help" box.
SAFETY_BIB = """\

@article{verhagen2016red,
  author  = {Verhagen, Arianne P. and Downie, Aron},
  title   = {Red flags presented in current low back pain guidelines: a review},
  journal = {European Spine Journal},
  year    = {2016},
  doi     = {10.1007/s00586-016-4684-0}
}

@article{finucane2020international,
  author  = {Finucane, Laura M. and Downie, Aron},
  title   = {International Framework for Red Flags for Potential Serious Spinal Pathologies},
  journal = {Journal of Orthopaedic \\& Sports Physical Therapy},
  year    = {2020},
  doi     = {10.2519/jospt.2020.9971}
}
"""

FRONT_MATTER = """\
---
title: {title}
description: A short description of this page for search results.
audience: patient
authors:
  - Test Author
reviewer: Test Reviewer
last_reviewed: 2026-01-10
next_review: 2027-01-10
key_messages:
  - First key message.
  - Second key message.
---
"""


# Evidence data for fixture sites that place the data-driven charts on `page`: the real
# vocabulary, warning signs and manual-therapy findings (the Bron 2011 chart), shown on that page
# as a test (no treatment page needed), and two pain findings for the forest plot.
def chart_evidence(page: str) -> dict[str, str]:
    real = ROOT / "evidence"
    return {
        "vocabulary.yml": (real / "vocabulary.yml").read_text(encoding="utf-8"),
        "red-flags.yml": (real / "red-flags.yml").read_text(encoding="utf-8"),
        "searches.yml": "- topic: fixture\n  label: Fixture\n  searched: 2026-01-05\n  where: [PubMed]\n"
                        "- topic: manual-therapy\n  label: Manual therapy\n  searched: 2026-12-01\n  where: [PubMed]\n",
        "treatments/manual-therapy.yml": (real / "treatments" / "manual-therapy.yml").read_text(encoding="utf-8")
        .replace("  page: treatments/manual-therapy.md", f"  page: {page}").replace("  kind: treatment", "  kind: test"),
        "treatments/fixture.yml": FIXTURE_TREATMENT.format(page=page),
    }


# A page that shows the chart_evidence charts must list their topics.
def with_chart_topics(page_text: str) -> str:
    return page_text.replace("key_messages:", "evidence_topics: [fixture, manual-therapy]\nkey_messages:", 1)


FIXTURE_TREATMENT = """\
treatment:
  id: fixture
  name: Needling
  short: needling
  kind: test
  page: {page}
  what: A needle [@navarrosantana2020effectiveness].
  burden: Sessions [@navarrosantana2020effectiveness].
  self_help: No [@navarrosantana2020effectiveness].
findings:
  - {{id: fx-smd, comparison: mixed, population: Adults, region: several, outcome: pain, timepoint: short,
     timepoint_detail: 1 to 3 weeks, measure: SMD, estimate: -0.69, ci: [-1.02, -0.35], pooled: true,
     certainty: low, certainty_by: editors, downgrades: [inconsistency], source: sanchezinfante2021dry}}
  - {{id: fx-md, comparison: mixed, population: Adults, region: neck, outcome: pain, timepoint: short,
     timepoint_detail: short term, measure: MD, unit: points on a 0 to 10 scale, estimate: -2.31,
     ci: [-3.64, -0.99], studies: 1, pooled: false, certainty: low, certainty_by: editors,
     downgrades: [imprecision], mid: pain-0-10-slight, source: navarrosantana2020effectiveness}}
"""


def article(title: str, body: str) -> str:
    return FRONT_MATTER.format(title=title) + "\n" + textwrap.dedent(body)


@dataclass
class Site:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    # Drop one of the project's hooks from this fixture's mkdocs.yml (e.g. "content_policy.py", to
    # reach the checks behind it).
    def without_hook(self, name: str) -> None:
        text = self.config.read_text(encoding="utf-8")
        line = f"  - {ROOT}/hooks/{name}\n"
        assert line in text, name
        self.config.write_text(text.replace(line, ""), encoding="utf-8")

    def html(self, page: str = "") -> str:
        return (self.site_dir / page / "index.html").read_text(encoding="utf-8")

    # Build in this process (~0.3 s instead of ~2 s): the result's messages are what the command
    # line prints at WARNING and above. Any exception other than MkDocs' own clean stop
    # (a traceback on the command line) propagates to the test.
    def build_in_process(self) -> "BuildResult":
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.exceptions import Abort, ConfigurationError

        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            config = load_config(str(self.config), strict=True)
            config.plugins.on_startup(command="build", dirty=False)
            build(config)
            return BuildResult(True, handler.messages)
        except (Abort, ConfigurationError) as exc:
            return BuildResult(False, handler.messages + [str(exc)])
        finally:
            logger.removeHandler(handler)
            # (no on_shutdown: Material's blog plugin instance is reused by the next load_config
            # in this process, and its shutdown deletes the temporary folder it keeps)

    def build(self, *extra: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        return subprocess.run(
            engines.command("build", "--strict", *extra, config=str(self.config)),
            cwd=self.root, capture_output=True, text=True, env=env, timeout=300,
        )


@dataclass
class BuildResult:
    """The outcome of an in-process build: success, and every message at WARNING or above."""

    ok: bool
    messages: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.messages)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


# The project's mkdocs.yml with paths pointing at the repository and no nav.
def fixture_config(extra_yaml: str = "") -> str:
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?ms)^nav:.*\Z", "", text)
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = re.sub(r"(?m)^  - hooks/", f"  - {ROOT}/hooks/", text)
    text = text.replace("!relative $config_dir/includes", str(ROOT / "includes"))
    return text + "\n" + textwrap.dedent(extra_yaml)


# Write a fixture site into tmp_path: pages (path -> text), bib files (name -> text).
def make_site(tmp_path: Path, pages: dict[str, str], bib: dict[str, str] | None = None, extra_yaml: str = "",
              evidence: dict[str, str] | None = None) -> Site:
    root = tmp_path / "fixture"
    docs = root / "docs"
    docs.mkdir(parents=True)
    shutil.copytree(ROOT / "docs" / "assets", docs / "assets")
    (root / "bib").mkdir()
    for name, text in (bib if bib is not None else {"refs.bib": GOOD_BIB}).items():
        if "verhagen2016red" not in text and name == sorted(bib or {"refs.bib": ""})[0]:
            text += SAFETY_BIB
        (root / "bib" / name).write_text(text, encoding="utf-8")
    for name, text in pages.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, text in (evidence or {}).items():
        path = root / "evidence" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "mkdocs.yml").write_text(fixture_config(extra_yaml), encoding="utf-8")
    return Site(root)


# A browser page plus every console error, page error and request it made (browser tests).
class PageWatch:
    """A page plus every console error, page error and request it made."""

    def __init__(self, page, base_url: str = ""):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("request", lambda r: self.requests.append(r.url))

    @property
    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not (u.startswith(self.base_url) or u.startswith("data:") or u.startswith("blob:"))]


# A live preview's page as text ("" while the server does not answer), and waiting for it: the
# same two that make bench uses.
from tpguide.bench import http_text, wait_for  # noqa: E402,F401
