"""tpguide.prepare and tpguide.finish: the steps around an engine that runs no hooks (issue 24)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

import pytest

from tpguide import finish, prepare, template_values


def test_heading_ids_leave_out_the_permalink_and_markup():
    html = ('<h2 id="what-it-is">What <em>it</em> is<a class="headerlink" href="#what-it-is" title="Link">&para;</a></h2>'
            '<h3 id="a-b">A &amp; B</h3><h2>No id</h2><h2 id="what-it-is_1">What it is</h2>')
    # as tpguide.build reads MkDocs' table of contents: markup removed, the later of two equal headings
    assert finish.heading_ids(html) == {"What it is": "what-it-is_1", "A &amp; B": "a-b"}


def test_config_for_the_engine_resolves_relative_tags_and_points_at_the_prepared_folder(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\ndocs_dir: pages\ntheme:\n  name: material\n  custom_dir: overrides\n"
                      "markdown_extensions:\n  - pymdownx.snippets:\n      base_path: [!relative $config_dir/includes]\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    prepare._write_config(config, out, tmp_path / "site", out / "docs")
    text = (out / "mkdocs.yml").read_text(encoding="utf-8")
    assert "!relative" not in text and f'base_path: ["{tmp_path / "includes"}"]' in text
    assert text.startswith("docs_dir: docs\nsite_dir: site\n") and "docs_dir: pages" not in text
    assert f'  custom_dir: "{out / "overrides"}"' in text and "theme:\n  variant: classic\n" in text
    import yaml

    assert yaml.safe_load(text)["theme"]["custom_dir"] == str(out / "overrides")


def test_a_relative_tag_the_engine_cannot_read_is_refused(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: X\nextra:\n  x: !relative docs/x\n", encoding="utf-8")
    with pytest.raises(prepare.PrepareError, match=r"mkdocs.yml:3: only '!relative \$config_dir/PATH'"):
        prepare._write_config(config, tmp_path, tmp_path / "site", tmp_path / "docs")


def test_finish_without_prepare_says_what_to_run(tmp_path):
    with pytest.raises(finish.FinishError, match="run `python -m tpguide.prepare` first"):
        finish.finish(tmp_path)


def test_an_incomplete_prepare_is_refused(tmp_path):
    with open(tmp_path / prepare.PREPARED_FILE, "wb") as fh:
        pickle.dump(prepare.Prepared(root=tmp_path, out=tmp_path, site_dir=tmp_path / "public"), fh)
    with pytest.raises(finish.FinishError, match="not a complete prepare"):
        finish.finish(tmp_path)
    (tmp_path / prepare.PREPARED_FILE).write_bytes(b"not a pickle")
    with pytest.raises(finish.FinishError, match="cannot read what prepare wrote"):
        finish.finish(tmp_path)


def test_finish_without_a_built_site_removes_the_site_folder(tmp_path):
    target = tmp_path / "public"
    target.mkdir()
    (target / "index.html").write_text("old", encoding="utf-8")
    complete = prepare.Prepared(root=tmp_path, out=tmp_path, site_dir=target, state=object(), deploy=object())
    with open(tmp_path / prepare.PREPARED_FILE, "wb") as fh:
        pickle.dump(complete, fh)
    with pytest.raises(finish.FinishError, match="the engine wrote no site there"):
        finish.finish(tmp_path)
    assert not target.exists()


def test_finish_cli_reports_without_traceback(tmp_path, capsys):
    assert finish.main([str(tmp_path)]) == 1
    assert "tpguide finish:" in capsys.readouterr().err


@dataclasses.dataclass
class _Review:
    reviewer: str
    last_reviewed: dt.date
    topics: tuple


def test_plain_turns_template_values_into_front_matter_data():
    value = {"review": _Review("Ed", dt.date(2026, 1, 2), ("a", "b")), "social": [("property", "og:title", "T")],
             "n": 3, "none": None}
    assert template_values.plain(value) == {
        "review": {"reviewer": "Ed", "last_reviewed": "2026-01-02", "topics": ["a", "b"]},
        "social": [["property", "og:title", "T"]], "n": 3, "none": None}


def test_content_of_built_pages_is_checked_once_more(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text('<html><head><script>ok()</script></head><body><article class="md-content__inner">'
                                     "<p>Fine</p></article><script>var tabs=1</script></body></html>", encoding="utf-8")
    assert finish.content_problems(site) == []
    (site / "a" / "index.html").write_text('<article class="md-post"><p>x</p><img src=x onerror="alert(1)"></article>',
                                           encoding="utf-8")
    problems = finish.content_problems(site)
    assert problems and problems[0].path == "site/a/index.html"


def test_a_page_without_content_of_its_own_is_checked_as_a_whole(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html><body><div class="md-content"><h1>Blog</h1></div>'
                                     '<a href="javascript:alert(1)">x</a></body></html>', encoding="utf-8")
    problems = finish.content_problems(site)
    assert problems and "script" in problems[0].message


def test_a_citation_left_in_the_content_is_refused_but_not_in_the_key_messages(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    key_messages = '<div class="admonition abstract tpg-key-messages"><ul><li>Cite as [@key].</li></ul></div>'
    (site / "index.html").write_text(f"<article>{key_messages}<p>Fine.</p></article>", encoding="utf-8")
    assert finish.content_problems(site, {""}) == []
    # only on a page that has key messages, and only the first such box (the template's)
    assert "citation left unresolved" in finish.content_problems(site)[0].message
    (site / "index.html").write_text(f"<article>{key_messages}<p>Text [@smith2020].</p></article>", encoding="utf-8")
    assert "citation left unresolved" in finish.content_problems(site, {""})[0].message
    (site / "index.html").write_text(f"<article>{key_messages}{key_messages}</article>", encoding="utf-8")
    assert "citation left unresolved" in finish.content_problems(site, {""})[0].message


def test_template_scripts_are_learnt_from_the_404_page_for_every_depth(tmp_path):
    from tpguide import security

    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "a" / "b" / "index.html").write_text("x", encoding="utf-8")
    scope = '__md_scope=new URL("/",location),x()'
    (site / "404.html").write_text(f"<script>{scope}</script><script>other()</script>"
                                   '<script type="application/ld+json">{}</script>', encoding="utf-8")
    hashes = finish.template_scripts(site)
    expected = {security.script_hash(scope), security.script_hash("other()")} | {
        security.script_hash(scope.replace('"/"', f'"{base}"')) for base in (".", "..", "../..", "../../..")}
    assert hashes == expected
    (site / "404.html").unlink()
    with pytest.raises(finish.FinishError, match="404.html: missing"):
        finish.template_scripts(site)


def test_engine_messages_drop_colour_and_traceback_and_name_the_source(tmp_path):
    from tpguide import zensical

    out = ("\x1b[33mWarning: page does not exist\x1b[0m\n  --> build/zensical/docs/index.md:3:1\n"
           "Traceback (most recent call last):\n  File \"main.py\", line 9, in run\n    build()\n\n"
           "RuntimeError: Aborted because --strict flag is set\n")
    assert zensical.engine_messages(out, tmp_path / "w" / "docs", tmp_path / "docs") == (
        "Warning: page does not exist\n  --> docs/index.md:3:1\nRuntimeError: Aborted because --strict flag is set")
    assert zensical.engine_messages("", tmp_path, tmp_path) == "(no message)"


def test_a_meta_that_redirects_or_sets_headers_is_refused(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html><head><meta name="author" content="0;url=https://x.example/" '
                                     'http-equiv="refresh"></head><body><article><p>x</p></article></body></html>',
                                     encoding="utf-8")
    assert "http-equiv='refresh'" in finish.content_problems(site)[0].message
    (site / "index.html").write_text('<meta http-equiv="Content-Security-Policy" content="x"><article></article>',
                                     encoding="utf-8")
    assert finish.content_problems(site) == []


@pytest.mark.parametrize("where", [".", "docs", "docs/sub", ".."])
def test_prepare_never_writes_over_the_project(tmp_path, where):
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    with pytest.raises(prepare.PrepareError, match="would write over the project's own files"):
        prepare._check_out((root / where).resolve(), root, root / "docs")
    prepare._check_out(root / "build" / "zensical", root, root / "docs")  # its own folder: fine
    (root / "a-file").write_text("x", encoding="utf-8")
    with pytest.raises(prepare.PrepareError, match="is a file"):
        prepare._check_out(root / "a-file", root, root / "docs")
