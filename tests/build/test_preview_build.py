"""make serve on MkDocs/ProperDocs: a saved page is rebuilt alone, anything else builds the site
(issue 24; tpguide.preview, hooks/preview.py)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from .test_evidence_build import EVIDENCE, NEEDLING_PAGE, OTHER_PAGE
from .test_news_build import AUTHORS_YML
from support import ROOT, article, http_text as _get, make_site, wait_for
from tpguide import engines, preview

# Material's blog plugin writes this page into docs/ when it is missing (a change, after the first
# build, that builds the site again)
BLOG_INDEX = {"research-news/index.md": "# Research news\n"}
QUESTIONS = "\n## Questions to ask your practitioner\n\n- How many visits will I need?\n- What will it cost?\n"


class _Server:
    """What the session needs of the engine's live server."""

    def __init__(self):
        self.watched: list[str] = []
        self.builder = None

    def watch(self, path):
        self.watched.append(path)


@pytest.fixture
def served(tmp_path):
    """A fixture site built in this process as `serve` builds it, with the preview session
    installed as the server's builder; yields (site, session, server)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    site = make_site(tmp_path, {"index.md": OTHER_PAGE, "needling.md": NEEDLING_PAGE + QUESTIONS,
                                "other.md": article("Other page", "\n## Notes\n\nFirst text [@smith2020knots].\n"
                                                                  "\n## Later\n\nNo citation here.\n"),
                                **BLOG_INDEX},
                     evidence=EVIDENCE)
    full_builds = []

    def full(config=None):
        config = config or load_config(str(site.config), strict=True)
        full_builds.append(config)
        build(config)

    config = load_config(str(site.config), strict=True)
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        session = preview.session()
        assert session is not None, "hooks/preview.py starts a session under serve"
        build(config)
        server = _Server()
        session.install(server, full)
        session.full_builds = full_builds
        yield site, session, server
    finally:
        # the hooks remember the command for the whole process: back to build for the next tests
        config.plugins.on_startup(command="build", dirty=False)
        assert preview.session() is None


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_session_becomes_the_servers_builder_and_watches_the_inputs(served):
    site, session, server = served
    assert server.builder is session
    watched = {Path(p).name for p in server.watched}
    assert {"docs", "bib", "evidence", "mkdocs.yml", "includes"} <= watched, watched


def test_a_saved_page_is_rebuilt_alone(served):
    site, session, _ = served
    index = site.site_dir / "index.html"
    before = index.stat().st_mtime_ns
    # a longer text: the reading time the page shows changes, nothing other pages show does
    _edit(site.root / "docs" / "other.md", "First text", "Saved text. " + "Some more words here. " * 300)
    session()
    assert session.last == "page" and session.full_builds == []
    html = site.html("other")
    assert "Saved text" in html and "First text" not in html
    assert 'class="footnote-ref"' in html and "[@" not in html  # our pipeline ran
    assert index.stat().st_mtime_ns == before, "no other page was written"
    # its stylesheets and scripts are the fingerprinted files the full build left
    assets = re.findall(r'(?:href|src)="\.\./(assets/[^"]+\.(?:css|js))"', html)
    assert any(re.search(r"\.[0-9a-f]{8}\.css$", a) for a in assets), assets
    missing = [a for a in assets if not (site.site_dir / a).is_file()]
    assert not missing, missing


def test_a_page_alone_rebuilds_its_handout_too(served):
    site, session, _ = served
    assert "How many visits will I need?" in site.html("handouts/needling")
    _edit(site.root / "docs" / "needling.md", "How many visits will I need?", "How long is each visit?")
    session()
    assert session.last == "page"
    assert "How long is each visit?" in site.html("handouts/needling")
    assert "How long is each visit?" in site.html("needling")


@pytest.mark.parametrize("old, new", [
    ("First text [@smith2020knots]", "First text [@smith2020knots] [@lee2019manual]"),  # a new citation
    ("title: Other page", "title: Renamed page"),  # front matter: the navigation changes
    ("## Later", "## Later on"),  # a heading other pages can link to (no citation under it)
])
def test_an_edit_other_pages_show_builds_the_site(served, old, new):
    site, session, _ = served
    _edit(site.root / "docs" / "other.md", old, new)
    session()
    assert session.last == "full" and len(session.full_builds) == 1
    if "lee2019manual" in new:
        # the "where cited" page lists the new place
        assert "other/" in site.html("references/where-cited").split("lee2019manual", 1)[-1]
    # and the next body edit is a page alone again, against the new build
    _edit(site.root / "docs" / "other.md", "First text", "Later text")
    session()
    assert session.last == "page" and "Later text" in site.html("other")


def test_other_inputs_and_new_pages_build_the_site(served):
    site, session, _ = served
    bib = next((site.root / "bib").glob("*.bib"))
    bib.write_text(bib.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    session()
    assert session.last == "full"
    (site.root / "docs" / "new.md").write_text(article("New page", "\nNew text.\n"), encoding="utf-8")
    session()
    assert session.last == "full" and "New text." in site.html("new")


def test_an_editors_own_files_rebuild_nothing(served):
    site, session, _ = served
    (site.root / "docs" / ".other.md.swp").write_text("x", encoding="utf-8")
    (site.root / "docs" / "other.md~").write_text("x", encoding="utf-8")
    session()
    assert session.last == "none" and session.full_builds == []


def test_a_problem_stops_the_page_with_file_and_line_and_the_last_good_page_stays(served, caplog):
    from mkdocs.exceptions import Abort

    site, session, _ = served
    page = site.root / "docs" / "other.md"
    _edit(page, "First text", "Broken [@nosuchkey2020]")
    with pytest.raises(Abort):
        session()
    assert "docs/other.md:" in caplog.text and "nosuchkey2020" in caplog.text
    assert "First text" in site.html("other")
    _edit(page, "Broken [@nosuchkey2020]", "Mended text")
    session()
    assert session.last == "page" and "Mended text" in site.html("other")


def test_refused_markup_in_a_saved_page_is_refused(served):
    from mkdocs.exceptions import Abort

    site, session, _ = served
    _edit(site.root / "docs" / "other.md", "First text", 'First <script>alert(1)</script> text')
    with pytest.raises(Abort):
        session()
    assert "alert(1)" not in site.html("other")


def test_a_warning_fails_the_page_as_it_fails_the_strict_build(served, caplog):
    from mkdocs.exceptions import Abort

    site, session, _ = served
    _edit(site.root / "docs" / "other.md", "First text", "First [a link](missing.md) text")
    with pytest.raises(Abort, match="warnings in strict mode"):
        session()
    assert "missing.md" in caplog.text


_CSP_META_RE = re.compile(r'\n\s*<meta http-equiv="Content-Security-Policy"[^>]*>')
_GENERATOR_RE = re.compile(r'<meta name="generator" content="[^"]*">')


def test_a_page_alone_is_what_a_full_build_makes_of_it(served, tmp_path):
    site, session, _ = served
    _edit(site.root / "docs" / "needling.md", "How many visits will I need?", "How long is each visit?")
    _edit(site.root / "docs" / "needling.md", "Needling may ease pain", "Needling may, for a while, ease pain")
    session()
    assert session.last == "page"
    full = tmp_path / "full-site"
    result = site.build("-d", str(full))
    assert result.returncode == 0, result.stderr
    for page in ("needling/index.html", "handouts/needling/index.html"):
        alone = _GENERATOR_RE.sub("", (site.site_dir / page).read_text(encoding="utf-8"))
        built = _GENERATOR_RE.sub("", (full / page).read_text(encoding="utf-8"))  # (this process: MkDocs)
        # (`serve` leaves out the CSP <meta>: its live-reload script is inline)
        assert alone == _CSP_META_RE.sub("", built), page
    assert "How long is each visit?" in alone


def test_a_link_from_another_page_to_an_id_the_page_lost_fails_as_in_the_strict_build(served, caplog):
    from mkdocs.exceptions import Abort

    site, session, _ = served
    _edit(site.root / "docs" / "other.md", "No citation here.", "No citation *here*{ #spot }.")
    _edit(site.root / "docs" / "index.md", "Short-term pain", "See [the spot](other.md#spot). Short-term pain")
    session()  # two pages: built together, alone
    assert session.last == "page" and 'href="other/#spot"' in site.html()
    _edit(site.root / "docs" / "other.md", "*here*{ #spot }", "here")
    with pytest.raises(Abort, match="warnings in strict mode"):
        session()
    assert "'other.md#spot'" in caplog.text


def test_a_blog_authors_file_is_not_an_editors_file(served):
    site, session, _ = served
    news = site.root / "docs" / "research-news"
    (news / "team.svg").write_bytes((ROOT / "docs" / "research-news" / "team.svg").read_bytes())
    (news / ".authors.yml").write_text(AUTHORS_YML, encoding="utf-8")
    session()
    assert session.last == "full"


def test_a_save_while_the_site_builds_is_a_change_next_time(served):
    site, session, _ = served
    bib = next((site.root / "bib").glob("*.bib"))
    inner = session.full_builder

    def full_with_a_save(config=None):  # an editor saves bib/ as the build starts
        bib.write_text(bib.read_text(encoding="utf-8") + "\n% saved\n", encoding="utf-8")
        inner(config)

    session.full_builder = full_with_a_save
    (site.root / "mkdocs.yml").write_text((site.root / "mkdocs.yml").read_text(encoding="utf-8") + "\n",
                                          encoding="utf-8")
    session()
    assert session.last == "full"
    session.full_builder = inner
    _edit(site.root / "docs" / "other.md", "First text", "Saved text")
    session()
    assert session.last == "full", "the bib/ save during the build is built, not skipped"


def test_a_new_day_or_a_new_commit_builds_the_site(served):
    import datetime as dt

    site, session, _ = served
    session._good.day -= dt.timedelta(days=1)  # built yesterday: "review due" may have changed
    _edit(site.root / "docs" / "other.md", "First text", "Saved text")
    session()
    assert session.last == "full"
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q"], cwd=site.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=site.root, check=True)
    subprocess.run([*git, "commit", "-qm", "first"], cwd=site.root, check=True)
    _edit(site.root / "mkdocs.yml", "site_name:", "site_name: ")  # a full build that sees the repository
    session()
    assert session.last == "full"
    _edit(site.root / "docs" / "other.md", "Saved text", "Later text")
    session()
    assert session.last == "page"
    subprocess.run([*git, "commit", "-qam", "second"], cwd=site.root, check=True)
    _edit(site.root / "docs" / "other.md", "Later text", "Last text")
    session()
    assert session.last == "full", "a commit changes the page history a full build shows"


def test_any_error_in_a_page_alone_goes_through_on_build_error(served, monkeypatch):
    from tpguide import deploy

    site, session, _ = served
    seen = []
    monkeypatch.setattr(session._good.config.plugins, "on_build_error", lambda *, error: seen.append(error))

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(deploy, "finish_page", broken)
    _edit(site.root / "docs" / "other.md", "First text", "Saved text")
    with pytest.raises(RuntimeError, match="a bug"):
        session()
    assert len(seen) == 1 and isinstance(seen[0], RuntimeError)


def test_build_has_no_session():
    assert preview.begin("build") is None and preview.session() is None


# ---------------------------------------------------------------------------
# The real command, on each engine with hooks
# ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["properdocs", "mkdocs"])
def test_serve_rebuilds_a_saved_page_alone(tmp_path, engine):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    site = make_site(tmp_path, {"index.md": OTHER_PAGE, "needling.md": NEEDLING_PAGE,
                                "other.md": article("Other page", "\nFirst text [@smith2020knots].\n"), **BLOG_INDEX},
                     evidence=EVIDENCE)
    log_path = tmp_path / "serve.log"
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(engines.command("serve", "--strict", "-a", f"127.0.0.1:{port}", engine=engine,
                                            config=str(site.config)),
                            cwd=site.root, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, start_new_session=True)
    url = f"http://127.0.0.1:{port}/other/"
    try:
        assert wait_for(lambda: "First text" in _get(url), 180, step=0.05), log_path.read_text()
        time.sleep(1)  # the watchers start after the first build
        for _ in range(2):
            token = uuid.uuid4().hex[:10]
            page = site.root / "docs" / "other.md"
            page.write_text(re.sub(r"(First text|Saved \w+)", f"Saved {token}", page.read_text(encoding="utf-8")),
                            encoding="utf-8")
            assert wait_for(lambda: f"Saved {token}" in _get(url), 60, step=0.05), log_path.read_text()
            time.sleep(0.5)
        text = log_path.read_text()
        assert text.count("rebuilt docs/other.md, docs/handouts/other.md alone") >= 2, text
        assert text.count("Building documentation") == 1, text
        html = _get(url)
        assert 'class="footnote-ref"' in html and "[@" not in html
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            log.close()


# ---------------------------------------------------------------------------
# The same rules on Zensical: tpguide.prepare.Session (make serve ENGINE=zensical)
# ---------------------------------------------------------------------------


@pytest.fixture
def prepared(tmp_path):
    from tpguide import prepare

    site = make_site(tmp_path, {"index.md": OTHER_PAGE, "needling.md": NEEDLING_PAGE + QUESTIONS,
                                "other.md": article("Other page", "\n## Notes\n\nFirst text [@smith2020knots].\n"),
                                **BLOG_INDEX},
                     evidence=EVIDENCE)
    session = prepare.Session(site.config, tmp_path / "work")
    session.full()
    yield site, session, tmp_path / "work" / "docs"
    preview.begin("build")


def test_zensical_preview_prepares_a_page_and_its_handout_alone(prepared):
    site, session, out = prepared
    _edit(site.root / "docs" / "needling.md", "How many visits will I need?", "How long is each visit?")
    assert session.page("needling.md") is True
    assert "How long is each visit?" in (out / "needling.md").read_text(encoding="utf-8")
    assert "How long is each visit?" in (out / "handouts" / "needling.md").read_text(encoding="utf-8")
    _edit(site.root / "docs" / "other.md", "First text", "Saved text. " + "More words. " * 300)
    assert session.page("other.md") is True
    assert "Saved text." in (out / "other.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new", [
    ("First text [@smith2020knots]", "First text [@smith2020knots] [@lee2019manual]"),
    ("title: Other page", "title: Renamed page"),
])
def test_zensical_preview_prepares_everything_after_an_edit_other_pages_show(prepared, old, new):
    site, session, out = prepared
    _edit(site.root / "docs" / "other.md", old, new)
    assert session.page("other.md") is False


def test_zensical_preview_reports_a_problem_with_file_and_line(prepared):
    from tpguide import prepare

    site, session, out = prepared
    _edit(site.root / "docs" / "other.md", "First text", "Broken [@nosuchkey2020]")
    with pytest.raises(prepare.PrepareError, match=r"docs/other\.md:\d+: .*nosuchkey2020"):
        session.page("other.md")
    assert "First text" in (out / "other.md").read_text(encoding="utf-8")
