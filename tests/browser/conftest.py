"""Browser tests: the real site, built strictly, served on 127.0.0.1, driven in system Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from support import ROOT, PageWatch

MOBILE = {"viewport": {"width": 375, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Serve the built site on 127.0.0.1 on a free port; yields the base URL.
@pytest.fixture(scope="session")
def base_url(built_site, site_port) -> str:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", site_port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    with socket.create_connection((host, port), timeout=5):
        pass
    yield f"http://{host}:{port}/"
    server.shutdown()
    server.server_close()




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
