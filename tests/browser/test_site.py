"""The real site in system Chromium: loads cleanly, offline-safe, themable, searchable, mobile-ready."""

import pytest

PAGES = ["", "what-are-trigger-points/", "treatments/dry-needling/", "references/"]


@pytest.mark.parametrize("kind,scheme", [("desktop", "light"), ("mobile", "dark")])
@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_errors_or_foreign_requests(open_page, base_url, path, kind, scheme):
    watch = open_page(kind, scheme)
    response = watch.page.goto(base_url + path, wait_until="networkidle")
    assert response.status == 200
    assert watch.page.locator("article h1").first.is_visible()
    assert watch.errors == []
    assert watch.foreign_requests == []


@pytest.mark.parametrize("path", PAGES)
def test_mobile_has_no_horizontal_scroll(open_page, base_url, path):
    watch = open_page("mobile", "light")
    watch.page.goto(base_url + path, wait_until="networkidle")
    overflow = watch.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


def test_palette_toggle_switches_to_dark_and_back(open_page, base_url):
    page = open_page("desktop", "light").page
    page.goto(base_url, wait_until="networkidle")
    scheme = lambda: page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    background = lambda: page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert scheme() == "default"
    light_bg = background()
    for _ in range(3):
        page.locator("form[data-md-component=palette] label:visible").first.click()
        if scheme() == "slate":
            break
    assert scheme() == "slate"
    assert background() != light_bg
    page.reload(wait_until="networkidle")
    assert scheme() == "slate", "the choice is remembered across pages"


# The palette is applied by the inline script in the header, before the first paint, also on a
# first visit: checked with Material's bundle blocked, so only the HTML's own scripts run.
@pytest.mark.parametrize("scheme,expected", [("light", "default"), ("dark", "slate")])
def test_first_visit_paints_in_the_system_palette_before_the_bundle_runs(open_page, base_url, scheme, expected):
    page = open_page("mobile", scheme).page
    page.route("**/assets/javascripts/bundle.*.js", lambda route: route.abort())
    page.goto(base_url + "what-are-trigger-points/", wait_until="load")
    body = page.evaluate("""() => ({
        scheme: document.body.getAttribute('data-md-color-scheme'),
        primary: document.body.getAttribute('data-md-color-primary'),
        background: getComputedStyle(document.body).backgroundColor,
        js: document.documentElement.classList.contains('js'),
    })""")
    assert body["scheme"] == expected
    assert body["primary"] == "teal"
    assert (body["background"] == "rgb(255, 255, 255)") == (scheme == "light")
    assert body["js"], "the no-js to js switch happens in <head>"


# Scripts are deferred, and the bundle still ends its "switching" mark (which turns transitions
# off) and ends up with the same palette as the header script chose.
def test_bundle_runs_deferred_and_ends_the_switching_mark(open_page, base_url):
    watch = open_page("desktop", "dark")
    page = watch.page
    page.goto(base_url + "what-are-trigger-points/", wait_until="networkidle")
    state = page.evaluate("""() => ({
        deferred: [...document.querySelectorAll('script[src]')].every(s => s.defer),
        switching: document.body.hasAttribute('data-md-color-switching'),
        scheme: document.body.getAttribute('data-md-color-scheme'),
        colorScheme: document.querySelector('meta[name=color-scheme]')?.content,
        bundle: typeof window.document$ === 'object',
    })""")
    assert state == {"deferred": True, "switching": False, "scheme": "slate", "colorScheme": "dark", "bundle": True}
    assert watch.errors == []


def test_search_finds_the_article(open_page, base_url):
    page = open_page("desktop", "light").page
    page.goto(base_url, wait_until="networkidle")
    page.keyboard.press("/")
    page.keyboard.type("referred pain", delay=20)
    result = page.locator(".md-search-result__item a[href*='what-are-trigger-points']").first
    result.wait_for(state="visible", timeout=15000)
    result.click()
    page.wait_for_url("**/what-are-trigger-points/**")


def test_footnote_tooltip_shows_reference_on_hover(open_page, base_url):
    page = open_page("desktop", "light").page
    page.goto(base_url + "what-are-trigger-points/", wait_until="networkidle")
    ref = page.locator("sup a.footnote-ref").first
    ref.hover()
    tip = page.locator(".md-tooltip2--active, .md-tooltip2").filter(has_text="doi").first
    tip.wait_for(state="visible", timeout=5000)
    note_id = ref.get_attribute("href").split("#")[-1]
    assert note_id.startswith("fn:")
    assert tip.inner_text().split(".")[0] in page.locator(f"li[id='{note_id}']").inner_text()


def test_instant_navigation_keeps_footer_and_review(open_page, base_url):
    watch = open_page("desktop", "light")
    page = watch.page
    page.goto(base_url, wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    page.locator(".md-content a[href$='/what-are-trigger-points/']").first.click()
    page.wait_for_url("**/what-are-trigger-points/**", wait_until="commit")
    page.locator("h1", has_text="What are trigger points?").wait_for()
    assert page.evaluate("window.__sameDocument === true"), "navigation was a full page load, not instant"
    assert page.locator(".tpg-review").is_visible()
    assert "not a substitute for professional advice" in page.locator("footer").inner_text()
    assert watch.errors == []


def test_reference_library_filter_and_backlinks(open_page, base_url):
    page = open_page("desktop", "light").page
    page.goto(base_url + "references/", wait_until="networkidle")
    select = page.locator("#tpg-topic-filter")
    assert select.is_visible()
    total = page.locator(".tpg-ref").count()
    select.select_option("debate")
    visible = page.locator(".tpg-ref:visible").count()
    assert 0 < visible < total
    assert "references shown" in page.locator(".tpg-filter-count").inner_text()
    select.select_option("")
    assert page.locator(".tpg-ref:visible").count() == total
    backlinks = page.locator("#lucas2009reliability .tpg-backlinks")
    backlink = backlinks.locator("a").first
    assert not backlink.is_visible(), "the list of citing pages starts collapsed"
    backlinks.locator("summary").click()
    assert backlink.is_visible()
    href = backlink.get_attribute("href")
    backlink.click()
    page.wait_for_url("**/" + href.split("#")[0].lstrip("./").split("/")[-2] + "/**")


def test_cite_this_page_has_copy_button(open_page, base_url):
    page = open_page("desktop", "light").page
    page.goto(base_url + "what-are-trigger-points/", wait_until="networkidle")
    page.locator("#cite-this-page summary").click()
    assert "Trigger Point Guide" in page.locator(".tpg-cite__text").inner_text()
    copy = page.locator("#cite-this-page button[data-md-type=copy]")
    assert copy.count() == 1
    target = copy.get_attribute("data-clipboard-target")
    assert "@misc{tpguide_whataretriggerpoints_" in page.locator(target).inner_text()
