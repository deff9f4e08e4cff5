"""tpguide.preview: which files changed between two snapshots (the rest: tests/build/test_preview_build.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tpguide import preview


def _touch(path: Path, text: str = "x") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_snapshot_covers_folders_and_single_files(tmp_path):
    _touch(tmp_path / "docs" / "a.md")
    _touch(tmp_path / "docs" / "sub" / "b.md")
    _touch(tmp_path / "mkdocs.yml")
    snap = preview.snapshot([tmp_path / "docs", tmp_path / "mkdocs.yml"])
    assert set(snap) == {str(tmp_path / "docs" / "a.md"), str(tmp_path / "docs" / "sub" / "b.md"),
                         str(tmp_path / "mkdocs.yml")}


def test_changed_finds_edits_new_and_removed_files(tmp_path):
    docs = tmp_path / "docs"
    _touch(docs / "a.md")
    _touch(docs / "b.md")
    before = preview.snapshot([docs])
    _touch(docs / "a.md", "longer text")
    (docs / "b.md").unlink()
    _touch(docs / "c.md")
    assert preview.changed(before, preview.snapshot([docs])) == {docs / "a.md", docs / "b.md", docs / "c.md"}


def test_a_save_with_the_same_size_is_still_a_change(tmp_path):
    page = tmp_path / "a.md"
    _touch(page, "aaaa")
    before = preview.snapshot([tmp_path])
    _touch(page, "bbbb")
    os.utime(page, ns=(before[str(page)][0] + 10_000_000, before[str(page)][0] + 10_000_000))
    assert preview.changed(before, preview.snapshot([tmp_path])) == {page}


@pytest.mark.parametrize("name", [".a.md.swp", ".a.md.swo", ".a.md.swx", "a.md~", "4913", ".#a.md", "#a.md#",
                                  "a.md.tmp", "a.bak"])
def test_editors_own_files_are_not_changes(tmp_path, name):
    before = preview.snapshot([tmp_path])
    _touch(tmp_path / name)
    after = preview.snapshot([tmp_path])
    assert after != before and preview.changed(before, after) == set()


@pytest.mark.parametrize("name", [".authors.yml", ".pages", "a.md", "2026.md"])
def test_other_files_are_changes_dotfiles_too(tmp_path, name):
    before = preview.snapshot([tmp_path])
    _touch(tmp_path / name)
    assert preview.changed(before, preview.snapshot([tmp_path])) == {tmp_path / name}


def test_no_session_unless_serving():
    try:
        assert preview.begin("serve") is preview.session() is not None
        assert preview.begin("build") is None and preview.session() is None
    finally:
        preview.begin("build")
