"""Material's bundle patches still apply to the installed Material, keep the bundle's length, and
stop the build when they no longer match."""

from pathlib import Path

import material
import pytest

from tpguide import bundle_patch
from tpguide.errors import ContentError

BUNDLE = next((Path(material.__file__).parent / "templates" / "assets" / "javascripts").glob("bundle.*.min.js"))


def test_every_patch_applies_once_to_the_installed_bundle_and_keeps_its_length():
    text = BUNDLE.read_text(encoding="utf-8")
    new = bundle_patch.patched(text)
    assert len(new) == len(text)
    for patch in bundle_patch.PATCHES:
        assert patch.old not in new and new.count(patch.new) == 1


def test_the_language_switcher_no_longer_selects_feed_links():
    (patch,) = [p for p in bundle_patch.PATCHES if p.name == "alternate links are languages"]
    from bs4 import BeautifulSoup

    head = BeautifulSoup('<link rel="alternate" type="application/rss+xml" href="feed.xml">'
                         '<link rel="alternate" hreflang="de" href="/de/">', "html.parser")
    old, new = patch.old.strip('"'), patch.new.strip('"')
    assert len(head.select(old)) == 2
    assert [link["href"] for link in head.select(new)] == ["/de/"]


@pytest.mark.parametrize("text", ["no match here", 'a "link[rel=alternate]" b "link[rel=alternate]"'])
def test_a_patch_that_does_not_match_once_stops_the_build(text):
    with pytest.raises(ContentError) as info:
        bundle_patch.patched(text, path="assets/javascripts/bundle.x.min.js")
    (problem,) = info.value.problems
    assert problem.path == "assets/javascripts/bundle.x.min.js" and "alternate links are languages" in problem.message
    assert "Material changed" in problem.hint


def test_patching_twice_changes_nothing_more():
    # `mkdocs build --dirty` / `serve --dirty` keep the bundle the last build patched
    once = bundle_patch.patched(BUNDLE.read_text(encoding="utf-8"))
    assert bundle_patch.patched(once) == once


def test_patch_site_rewrites_only_materials_bundle(tmp_path):
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    (js / "bundle.abc.min.js").write_text('x=M("link[rel=alternate]")', encoding="utf-8")
    (js / "site.js").write_text('"link[rel=alternate]"', encoding="utf-8")
    assert bundle_patch.patch_site(tmp_path) == [js / "bundle.abc.min.js"]
    assert (js / "bundle.abc.min.js").read_text(encoding="utf-8") == 'x=M("link[hreflang][rel]")'
    assert (js / "site.js").read_text(encoding="utf-8") == '"link[rel=alternate]"'
