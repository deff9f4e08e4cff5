"""What practitioners rely on: stable URLs, link previews, a QR code on printed pages."""

from pathlib import Path

from bs4 import BeautifulSoup

from support import ROOT, article, make_site
from tpguide import share

URL_LIST = ROOT / "published-urls.txt"
ANCHOR_LIST = ROOT / "published-anchors.txt"


def test_every_published_url_still_resolves(built_site):
    missing = [u for u in share.read_url_list(URL_LIST) if not share.resolves(built_site, u)]
    assert not missing, f"published URLs that no longer resolve (add a redirect): {missing}"


def test_every_built_page_is_in_the_published_list(built_site):
    listed = set(share.read_url_list(URL_LIST))
    unlisted = [u for u in ("/" + u for u in share.built_urls(built_site)) if u not in listed]
    assert not unlisted, f"new pages not in published-urls.txt (run `make urls`): {unlisted}"


# A practitioner links to a section ("/when-to-see-a-professional/#warning-signs") or a finding
# ("/evidence-map/#f-dn-pain-1-3-weeks"): every anchor the site has published keeps working.
def test_every_published_anchor_still_works(built_site):
    missing = [a for a in share.read_url_list(ANCHOR_LIST) if not share.anchor_resolves(built_site, a)]
    assert not missing, ("published section anchors that no longer work (keep the old id on the reworded "
                         f"heading: `## New words {{ #old-id }}`): {missing}")


def test_every_built_section_anchor_is_in_the_published_list(built_site):
    listed = set(share.read_url_list(ANCHOR_LIST))
    unlisted = [a for a in share.built_anchors(built_site) if a not in listed]
    assert not unlisted, f"new section anchors not in published-anchors.txt (run `make urls`): {unlisted[:10]}"


def test_a_reworded_heading_keeps_its_anchor_only_with_its_old_id(tmp_path):
    body = "## Where it hurts\n\nText [@smith2020knots].\n"
    site = make_site(tmp_path, {"index.md": article("Home", "Text [@smith2020knots].\n"), "guide.md": article("A guide", body)})
    assert site.build().returncode == 0
    anchors = share.built_anchors(site.site_dir)
    assert "/guide/#where-it-hurts" in anchors
    listed = tmp_path / "anchors.txt"
    assert "/guide/#where-it-hurts" in share.update_anchor_list(listed, site.site_dir)
    assert share.update_anchor_list(listed, site.site_dir) == []  # never twice
    (site.root / "docs" / "guide.md").write_text(article("A guide", body.replace("Where it hurts", "Where you feel it")))
    assert site.build().returncode == 0
    assert not share.anchor_resolves(site.site_dir, "/guide/#where-it-hurts")  # the test above would fail
    (site.root / "docs" / "guide.md").write_text(article("A guide", body.replace("Where it hurts", "Where you feel it { #where-it-hurts }")))
    assert site.build().returncode == 0
    assert share.anchor_resolves(site.site_dir, "/guide/#where-it-hurts")
    # a moved page keeps its anchors through its redirect
    config = site.config.read_text().replace("redirect_maps: {}", "redirect_maps:\n        old-guide.md: guide.md")
    site.config.write_text(config)
    assert site.build().returncode == 0
    assert share.anchor_resolves(site.site_dir, "/old-guide/#where-it-hurts")
    assert not share.anchor_resolves(site.site_dir, "/old-guide/#never-there")


def test_moved_page_keeps_its_url_through_a_redirect(tmp_path):
    pages = {"index.md": article("Home", "Text [@smith2020knots].\n"),
             "new-place.md": article("Moved", "Text [@smith2020knots].\n")}
    site = make_site(tmp_path, pages)
    config = site.config.read_text().replace("redirect_maps: {}", "redirect_maps:\n        old-place.md: new-place.md")
    site.config.write_text(config)
    assert site.build().returncode == 0
    assert share.resolves(site.site_dir, "/old-place/")
    assert "new-place/" in (site.site_dir / "old-place" / "index.html").read_text()
    assert not share.resolves(site.site_dir, "/never-existed/")


def test_url_list_update_adds_never_removes(tmp_path):
    site_dir = tmp_path / "site"
    (site_dir / "a").mkdir(parents=True)
    (site_dir / "a" / "index.html").write_text("<html></html>")
    (site_dir / "index.html").write_text("<html></html>")
    url_list = tmp_path / "urls.txt"
    url_list.write_text("/gone-but-kept/\n")
    assert sorted(share.update_url_list(url_list, site_dir)) == ["/", "/a/"]
    assert share.update_url_list(url_list, site_dir) == []
    assert share.read_url_list(url_list)[0] == "/gone-but-kept/"
    assert sorted(share.read_url_list(url_list)) == ["/", "/a/", "/gone-but-kept/"]


def test_link_preview_meta_and_print_qr_code(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Text [@smith2020knots].\n"),
                                "guide.md": article("A guide", "Text [@smith2020knots].\n")})
    assert site.build().returncode == 0
    soup = BeautifulSoup(site.html("guide"), "html.parser")
    og = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
    assert og["og:title"] == "A guide" and og["og:type"] == "article"
    assert og["og:url"] == "https://trigger-point-guide.github.io/guide/"
    assert og["og:description"] == "A short description of this page for search results."
    assert soup.select_one("meta[name='twitter:card']")["content"] == "summary"
    assert soup.select_one("link[rel=canonical]")["href"] == "https://trigger-point-guide.github.io/guide/"
    qr = soup.select_one(".tpg-print-link svg.tpg-qr")
    assert qr["role"] == "img" and "https://trigger-point-guide.github.io/guide/" in qr["aria-label"]
    assert "https://trigger-point-guide.github.io/guide/" in soup.select_one(".tpg-print-link").get_text()


def test_qr_code_encodes_the_url():
    svg = share.qr_svg("https://example.org/page/")
    assert svg.startswith("<svg") and 'viewBox="0 0 ' in svg and "<path" in svg
    assert share.qr_svg("https://example.org/other/") != svg


def test_patient_article_gets_a_printable_handout(tmp_path):
    site = make_site(tmp_path, {"index.md": article("Home", "Text [@smith2020knots].\n"),
                                "guide.md": article("A guide", "Text [@smith2020knots].\n")})
    assert site.build().returncode == 0
    page = BeautifulSoup(site.html("guide"), "html.parser")
    assert page.select_one("a.tpg-review__handout")["href"] == "../handouts/guide/"
    handout = BeautifulSoup(site.html("handouts/guide"), "html.parser")
    assert handout.select_one("h1").get_text() == "Handout: A guide"
    assert [li.get_text() for li in handout.select(".tpg-key-messages li")] == ["First key message.", "Second key message."]
    # on paper, the handout's QR code and address open the full page, which has the rest
    qr = handout.select_one(".tpg-print-link svg.tpg-qr")
    assert qr["aria-label"].endswith("https://trigger-point-guide.github.io/guide/") and "handouts" not in qr["aria-label"]
    printed = handout.select_one(".tpg-print-link").get_text(" ", strip=True)
    assert "Read the full page online" in printed and "https://trigger-point-guide.github.io/guide/" in printed
    assert "/handouts/" not in printed
    assert handout.select_one("a[href='../../guide/']") is not None
    assert "verhagen2016red" in str(handout.select_one("div.footnote"))
    # the large print box, and /handouts/ lists every handout by its page's title
    assert handout.select_one(".tpg-web-only input#tpg-large-print[type=checkbox]") is not None
    index = BeautifulSoup(site.html("handouts"), "html.parser")
    assert [(a.get_text(), a["href"]) for a in index.select("article li a")] == [
        ("A guide", "guide/"), ("Home", "home/")]
    assert [h.get_text().strip("¶") for h in index.select("article h2")] == ["Everything else"]
