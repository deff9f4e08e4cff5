"""The evidence pages in Chromium: options, evidence map, a treatment page's tables and a region
guide with its body map, on a phone and a desktop, light and dark, and in print."""

import pytest

PAGES = ["options/", "evidence-map/", "treatments/dry-needling/", "regions/neck-and-shoulders/", ""]


@pytest.mark.parametrize("kind,scheme", [("mobile", "light"), ("mobile", "dark"), ("desktop", "light"), ("desktop", "dark")])
@pytest.mark.parametrize("path", PAGES)
def test_evidence_blocks_render_without_overflow_or_errors(open_page, base_url, path, kind, scheme):
    watch = open_page(kind, scheme)
    watch.page.goto(base_url + path, wait_until="networkidle")
    page = watch.page
    assert watch.errors == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the page itself never scrolls sideways (wide tables scroll inside their region)"
    expected = {"options/": "details.tpg-opt > summary", "evidence-map/": ".tpg-map__table",
                "treatments/dry-needling/": "summary:has(#what-the-research-shows)", "regions/neck-and-shoulders/": ".tpg-redflags",
                "": ".tpg-bodymap"}[path]
    assert page.locator(expected).first.is_visible()
    folded = {"treatments/dry-needling/": ".tpg-sof table", "options/": ".tpg-opt .tpg-opt__facts"}.get(path)
    if folded:
        # the table is one tap away (on a treatment page, inside its folded "What the research shows")
        assert not page.locator(folded).first.is_visible()
        page.locator(expected).first.click()
        if path == "treatments/dry-needling/":
            page.locator(".tpg-evidence-fold > summary").first.click()
        assert page.locator(folded).first.is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
    if kind == "mobile" and path == "treatments/dry-needling/":
        # phone: each finding row is a card, and each cell says what it is
        cell = page.locator(".tpg-sof td[data-label='How sure we are']").first
        assert page.evaluate("el => getComputedStyle(el).display", cell.element_handle()) == "block"
        assert "How sure we are" in page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle())


def test_body_map_regions_are_keyboard_links_with_24px_targets(open_page, base_url):
    page = open_page("mobile", "light").page
    page.goto(base_url, wait_until="networkidle")
    links = page.locator(".tpg-bodymap a[href]")
    assert links.count() >= 7
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, links.nth(i).inner_text()
    names = []
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.closest('.tpg-bodymap') ? document.activeElement.textContent.trim() : null")
        if focused:
            names.append(focused)
        if len(names) >= 3:
            break
    assert len(names) >= 3 and "Head and jaw" in names[0], names


@pytest.mark.parametrize("path", ["options/", "evidence-map/", "treatments/dry-needling/"])
def test_evidence_pages_print_within_the_page_width(browser, base_url, path):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base_url + path, wait_until="networkidle")
        page.emulate_media(media="print")
        # A4 at 96 dpi less margins: no evidence table wider than the printed page
        widest = page.evaluate("""Math.max(...Array.from(document.querySelectorAll(
            '.tpg-opt, .tpg-gridtable, .tpg-map__table, .tpg-sof table, .tpg-harms table')).map(t => t.getBoundingClientRect().width))""")
        body = page.evaluate("document.querySelector('.md-content').getBoundingClientRect().width")
        assert widest <= body + 1, (widest, body)
        assert len(page.pdf(format="A4")) > 1000
    finally:
        context.close()
