"""Each page load asks the server for each URL once: full loads of a few pages (a chart page with
every chart drawn among them), and an instant navigation after a full load.

Material's instant navigation fetches sitemap.xml once per full load; its language switcher used
to fetch it again for each of the six feed autodiscovery links (tpguide.bundle_patch). Not
counted: the browser's own fetches of the favicon, which Chromium repeats on every same-document
navigation (a plain page calling history.pushState shows it too); the page does not ask for them.
"""

from __future__ import annotations

from collections import Counter

import pytest

PAGES = ["", "what-are-trigger-points/", "how-trigger-points-develop/", "references/"]
CHART_PAGE = "how-trigger-points-develop/"
FAVICON = "assets/favicon.svg"  # theme.favicon in mkdocs.yml


# Record every request the page makes, as (site-relative URL without fragment, resource type);
# the browser's own favicon fetches are left out.
class Requests:
    def __init__(self, page, base_url: str):
        self.base_url = base_url
        self.seen: list[str] = []
        page.on("request", self._record)

    def _record(self, request) -> None:
        url = request.url.split("#")[0]
        if not url.startswith(self.base_url):
            return
        path = url[len(self.base_url):]
        if not (request.resource_type == "other" and path == FAVICON):
            self.seen.append(path)


def _repeated(urls: list[str]) -> dict[str, int]:
    return {url: n for url, n in Counter(urls).items() if n > 1}


# Every chart on the page scrolled into view and drawn, so the Plotly bundle is asked for too.
def _draw_charts(page) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # folded sections
    for figure in page.locator("figure[data-tpg-chart]").all():
        figure.scroll_into_view_if_needed()
        figure.locator(".main-svg").first.wait_for(timeout=30000)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("path", PAGES)
def test_a_page_load_asks_for_no_url_twice(open_page, base_url, path):
    page = open_page("desktop", "light").page
    requests = Requests(page, base_url)
    page.goto(base_url + path, wait_until="networkidle")
    if path == CHART_PAGE:
        _draw_charts(page)
        assert sum("plotly" in url for url in requests.seen) == 1
    assert requests.seen.count("sitemap.xml") == 1, "instant navigation needs the sitemap once"
    assert _repeated(requests.seen) == {}


def test_an_instant_navigation_asks_for_nothing_twice(open_page, base_url):
    page = open_page("desktop", "light").page
    requests = Requests(page, base_url)
    page.goto(base_url, wait_until="networkidle")
    page.evaluate("window.__sameDocument = true")
    first = len(requests.seen)
    page.locator("summary", has_text="Start here").click()  # the home page's list of pages is folded
    page.locator(".md-content a[href$='/what-are-trigger-points/']:visible").first.click()
    page.locator("h1", has_text="What are trigger points?").wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__sameDocument === true"), "navigation was a full page load, not instant"
    after = requests.seen[first:]
    assert after == ["what-are-trigger-points/"], "only the new page; the first load's sitemap serves every instant navigation"
    assert _repeated(requests.seen) == {}
