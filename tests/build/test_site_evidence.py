"""The guide's own built site: every finding shows one certainty, every warning sign one urgency
and wording, wherever they appear (they come from evidence/, so they cannot disagree)."""

from bs4 import BeautifulSoup


def _pages(site_dir):
    for path in sorted(site_dir.rglob("index.html")):
        yield path.relative_to(site_dir).parent.as_posix(), BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_one_certainty_per_finding_across_the_site(built_site):
    seen: dict[str, set[str]] = {}
    places = 0
    for _, soup in _pages(built_site):
        for el in soup.select("[data-finding][data-certainty]"):
            seen.setdefault(el["data-finding"], set()).add(el["data-certainty"])
            places += 1
    assert places > 20 and len(seen) > 10
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}


def test_each_warning_sign_has_one_urgency_and_one_wording_everywhere(built_site):
    seen: dict[str, set[tuple[str, str]]] = {}
    pages: dict[str, set[str]] = {}
    for name, soup in _pages(built_site):
        for el in soup.select("[data-red-flag]"):
            seen.setdefault(el["data-red-flag"], set()).add((el["data-urgency"], el.get_text(" ", strip=True)))
            pages.setdefault(el["data-red-flag"], set()).add(name)
    assert any(len(p) > 1 for p in pages.values()), "some warning signs appear on several pages"
    assert {k: v for k, v in seen.items() if len(v) > 1} == {}
