"""Fixture sites through tpguide.zensical (prepare, Zensical, finish; issue 24)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys

import pytest

from support import article, http_text as _get, make_site, wait_for as _wait_for
from tpguide import engines

BODY = """
Knots are common [@smith2020knots]. A manual describes them [@lee2019manual; @smith2020knots].

## What it is

Code `[@notakey]` stays as it is.
"""


def _regions(html: str, marker: str) -> list[str]:
    return re.findall(r"<div " + marker + r"[^>]*>.*?</div>", html, re.S)


def _build(site, tmp_path, *extra):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(engines.command("build", "--strict", "--workdir", str(tmp_path / "work"), "-d",
                                          str(site.site_dir), *extra, engine="zensical", config=str(site.config)),
                          cwd=site.root, capture_output=True, text=True, env=env, timeout=600)


@pytest.mark.slow
def test_a_fixture_site_builds_on_zensical_with_footnotes_backlinks_and_csp(tmp_path):
    other = ("\n## Second section\n\nAlso [@smith2020knots].\n\n## Knots & pain\n\nAnd [@lee2019manual].\n\n"
             "## Second section\n\nAgain [@smith2020knots].\n")
    # a page whose front matter is written in YAML's flow style: prepare adds the template values
    flow = "---\n{title: Tags, search: {exclude: true}}\n---\n\n# Tags\n\n<!-- material/tags -->\n"
    site = make_site(tmp_path, {"index.md": article("Home", BODY), "other.md": article("Other page", other),
                                "tags.md": flow})
    result = _build(site, tmp_path)
    assert result.returncode == 0, result.stderr
    home = site.html()
    assert home.count('class="footnote-ref"') == 3 and '<li id="fn:smith2020knots"' in home
    assert "<code>[@notakey]</code>" in home
    assert 'class="tpg-review-box"' in home and "First key message." in home  # template values
    assert 'http-equiv="Content-Security-Policy"' in home
    # the library and "where cited" say the same as on the default engine
    default = site.build("-d", str(tmp_path / "default-site"))
    assert default.returncode == 0, default.stderr
    for page, region in (("references", 'class="tpg-backlinks"'), ("references/where-cited", 'class="tpg-where-cited"')):
        ours = (tmp_path / "default-site" / page / "index.html").read_text(encoding="utf-8")
        assert _regions(site.html(page), region) == _regions(ours, region) != []
    where = site.html("references/where-cited")
    assert 'href="../../other/"' in where
    # the flow-style front matter kept its meaning: the tags page is left out of search
    search = (site.site_dir / "search.json").read_text(encoding="utf-8")
    assert '"location":"tags/' not in search.replace(" ", "") and '"location":"other/' in search.replace(" ", "")
    assert (site.site_dir / "_headers").is_file() and (site.site_dir / "robots.txt").is_file()
    assert not (tmp_path / "work" / "site").exists()  # moved to its place


@pytest.mark.slow
def test_bad_content_stops_in_prepare_with_file_and_line_and_leaves_no_site(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "\nA claim [@nosuchkey2020].\n")})
    site.site_dir.mkdir()
    (site.site_dir / "old.html").write_text("stale", encoding="utf-8")
    result = _build(site, tmp_path)
    assert result.returncode == 1
    assert "docs/index.md:" in result.stderr and "nosuchkey2020" in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.site_dir.exists()
    assert not (tmp_path / "work" / "site").exists()  # Zensical never ran


@pytest.mark.slow
def test_a_failing_engine_leaves_no_site(tmp_path, monkeypatch):
    from tpguide import zensical

    site = make_site(tmp_path, {"index.md": article("Home", BODY)})
    site.site_dir.mkdir()
    failed = subprocess.CompletedProcess([], 1, stdout="", stderr=(
        "\x1b[31mError: the engine stopped here\x1b[0m\nTraceback (most recent call last):\n  File \"x.py\", line 1\n"
        "    raise\nRuntimeError: Aborted because --strict flag is set\n"))
    real_run = subprocess.run

    def run(cmd, *args, **kwargs):  # only the engine fails; prepare's own commands (git) run
        return failed if "zensical" in cmd else real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(zensical.subprocess, "run", run)
    with pytest.raises(zensical.BuildError) as err:
        zensical.build(site.config, workdir=tmp_path / "work")
    # colour codes and the traceback are left out, its last line kept
    assert str(err.value) == ("zensical build failed (exit 1):\nError: the engine stopped here\n"
                              "RuntimeError: Aborted because --strict flag is set")
    assert not site.site_dir.exists()
    assert (tmp_path / "work" / "docs" / "index.md").is_file()  # prepare had run


@pytest.mark.slow
def test_a_warning_stops_prepare_as_strict_does_and_the_log_level_is_kept(tmp_path):
    import logging

    from tpguide import prepare

    site = make_site(tmp_path, {"index.md": article("Home", BODY)}, extra_yaml="nav:\n  - index.md\n  - missing.md\n")
    logger = logging.getLogger("mkdocs")
    before = logger.level
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / prepare.PREPARED_FILE).write_bytes(b"from an earlier run")
    with pytest.raises(prepare.PrepareError, match=r"(?s)warning: .*missing\.md.*in strict mode"):
        prepare.prepare(site.config, tmp_path / "work")
    assert logger.level == before
    assert not (tmp_path / "work" / prepare.PREPARED_FILE).exists()


# ---------------------------------------------------------------------------
# Live preview: make serve ENGINE=zensical
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_live_preview_shows_a_saved_page_and_keeps_the_last_good_one(tmp_path):
    import socket
    import uuid

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    site = make_site(tmp_path, {"index.md": article("Home", BODY),
                                "other.md": article("Other page", "\nFirst text [@smith2020knots].\n")})
    log = open(tmp_path / "serve.log", "w", encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "tpguide.zensical", "serve", "-f", str(site.config), "-a",
                             f"127.0.0.1:{port}", "--workdir", str(tmp_path / "work")],
                            cwd=site.root, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}/other/"
    try:
        assert _wait_for(lambda: "First text" in _get(url), 120), (tmp_path / "serve.log").read_text()
        page = site.root / "docs" / "other.md"
        token = uuid.uuid4().hex[:10]
        page.write_text(page.read_text(encoding="utf-8").replace("First text", f"Saved {token}"), encoding="utf-8")
        assert _wait_for(lambda: f"Saved {token}" in _get(url), 60), (tmp_path / "serve.log").read_text()
        html = _get(url)
        assert 'class="footnote-ref"' in html and "[@" not in html  # prepared, not raw
        # a problem is reported with file and line; the last good page stays
        page.write_text(page.read_text(encoding="utf-8").replace(f"Saved {token}", "Broken [@nosuchkey2020]"),
                        encoding="utf-8")
        assert _wait_for(lambda: "nosuchkey2020" in (tmp_path / "serve.log").read_text(), 30)
        assert "docs/other.md:" in (tmp_path / "serve.log").read_text()
        assert f"Saved {token}" in _get(url)
    finally:
        proc.terminate()  # serve stops the Zensical it started
        try:
            proc.wait(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of its process group
            log.close()
    # the engine it started has stopped too
    assert not _wait_for(lambda: _get(url) != "", 2)


@pytest.mark.slow
def test_live_preview_says_so_when_zensical_cannot_serve(tmp_path):
    import socket

    site = make_site(tmp_path, {"index.md": article("Home", BODY)})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "tpguide.zensical", "serve", "-f", str(site.config), "-a",
                                 f"127.0.0.1:{port}", "--workdir", str(tmp_path / "work")],
                                cwd=site.root, capture_output=True, text=True, timeout=180,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode != 0
    assert "tpguide: Zensical stopped (exit" in result.stderr
