"""Browser tests: the real site, built strictly, served on 127.0.0.1, driven in system Chromium."""

from __future__ import annotations

import pytest

from support import PageWatch
from tpguide import audit

MOBILE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


# Serve the built site on 127.0.0.1 on the port it was built for; yields the base URL.
@pytest.fixture(scope="session")
def base_url(built_site, site_port) -> str:
    with audit.serve(built_site, port=site_port) as url:
        yield url


def _context(browser, kind: str, scheme: str):
    options = dict(MOBILE if kind == "mobile" else DESKTOP)
    return browser.new_context(color_scheme=scheme, **options)


# A fresh page (desktop, light) with watchers; use `open_page(kind, scheme)` for others.
@pytest.fixture
def open_page(browser, base_url):
    contexts = []

    def opener(kind: str = "desktop", scheme: str = "light") -> PageWatch:
        ctx = _context(browser, kind, scheme)
        contexts.append(ctx)
        return PageWatch(ctx.new_page(), base_url)

    yield opener
    for ctx in contexts:
        ctx.close()
