"""Every rule of our stylesheets survives Chromium's CSS parser.

A selector the parser rejects (a mistyped pseudo-class, a pseudo-element in the wrong place) drops
its whole rule without a word, and with it every other selector in the same list. The rules
Chromium keeps are counted against the rules in the file."""

import re

import pytest

from support import ROOT

SHEETS = sorted((ROOT / "docs" / "assets" / "stylesheets").glob("*.css"))
_GROUPS_RE = re.compile(r"@(?:media|supports|layer|container|page|font-face|keyframes)\b[^{]*\{")


def _rules_in_text(css: str) -> int:
    text = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return text.count("{") - len(_GROUPS_RE.findall(text))


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda p: p.name)
def test_chromium_keeps_every_rule(browser, sheet):
    css = sheet.read_text(encoding="utf-8")
    assert "@keyframes" not in css  # their inner blocks are not style rules; count them if one is added
    page = browser.new_page()
    try:
        kept = page.evaluate("""(css) => { const sheet = new CSSStyleSheet(); sheet.replaceSync(css); let n = 0;
            const walk = (rules) => { for (const r of rules) { if (r instanceof CSSStyleRule) n++; else if (r.cssRules) walk(r.cssRules); } };
            walk(sheet.cssRules); return n; }""", css)
    finally:
        page.close()
    assert kept == _rules_in_text(css), f"{sheet.name}: Chromium dropped {_rules_in_text(css) - kept} rule(s)"


def test_the_count_would_see_a_dropped_rule(browser):
    bad = ".a:hovr, .b { display: none; }\n.g { color: red; }\n"
    page = browser.new_page()
    try:
        kept = page.evaluate("(css) => { const s = new CSSStyleSheet(); s.replaceSync(css); return s.cssRules.length; }", bad)
    finally:
        page.close()
    assert _rules_in_text(bad) == 2 and kept == 1
