"""The CSP in Chromium: a script that got into a built page does not run; ours all do.

The build refuses a page with an inline script that no template writes (tests/build/
test_content_policy_build.py), so an injected script can never be hashed into the policy. Here
one is written into a built page afterwards, as if it had slipped past every check: the page's
own policy blocks it, while the site's real inline scripts (the <head> class switch, the palette
toggle, the early URL resolve, Material's __md_scope) run, in both palettes.
"""

from __future__ import annotations

import shutil

import pytest

from tpguide import audit

PAGE = "what-are-trigger-points/"
INJECTED = "<script>window.__tpgInjected = true</script>"


@pytest.fixture(scope="module")
def tampered_url(built_site, tmp_path_factory):
    site = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(built_site, site)
    page = site / PAGE / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "</body>" in html
    page.write_text(html.replace("</body>", INJECTED + "</body>", 1), encoding="utf-8")
    with audit.serve(site) as url:
        yield url


@pytest.mark.parametrize("scheme,expected", [("light", "default"), ("dark", "slate")])
def test_injected_script_is_blocked_and_the_sites_own_inline_scripts_run(browser, tampered_url, scheme, expected):
    context = browser.new_context(color_scheme=scheme)
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.goto(tampered_url + PAGE, wait_until="networkidle")
        assert page.evaluate("window.__tpgInjected") is None, "the injected script ran"
        assert any("Content Security Policy" in e for e in errors), errors
        state = page.evaluate("""() => ({
            js: document.documentElement.classList.contains('js'),
            scope: typeof __md_scope === 'object' && __md_scope instanceof URL,
            scheme: document.body.getAttribute('data-md-color-scheme'),
            themeColor: /^#[0-9a-f]{6}$/.test(document.querySelector('meta[name=theme-color]')?.content || ''),
            resolved: /^https?:/.test(document.querySelector('link[rel=stylesheet]').getAttribute('href')),
        })""")
        assert state == {"js": True, "scope": True, "scheme": expected, "themeColor": True, "resolved": True}
        # only the injected script was refused
        assert len([e for e in errors if "Content Security Policy" in e]) == 1, errors
    finally:
        context.close()
