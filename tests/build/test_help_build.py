"""'Where else to get help' (issue 21, DISCERN question 7): one data file, evidence/help.yml, rendered
on every patient page and handout; an entry with no source or no checked date, or an address that
is not plain https, stops the build with file and line."""

import re

import pytest
from bs4 import BeautifulSoup

from support import article, make_site
from .test_evidence_build import EVIDENCE, PAGES

HELP = """\
- id: crisis-line
  name: Example Crisis Line
  kind: crisis
  country: UK and Ireland
  url: https://crisis.example.org/
  phone: "116 123"
  text: Free, any time.
  source: "the service's own contact page"
  checked: 2026-11-30
- id: neck-info
  name: "Public service: neck pain"
  kind: condition-info
  country: UK
  regions: [neck]
  url: https://health.example.org/neck-pain/
  text: What to do about neck pain.
  source: "the page itself"
  checked: 2026-12-01
- id: calf-info
  name: "Public service: leg pain"
  kind: condition-info
  country: UK
  regions: [calf]
  url: https://health.example.org/leg-pain/
  text: What to do about leg pain.
  source: "the page itself"
  checked: 2026-12-01
- id: general-info
  name: "Public service: muscle pain"
  kind: condition-info
  country: US
  url: https://health.example.gov/muscle-pain/
  text: About muscle pain.
  source: "the page itself"
  checked: 2026-12-01
- id: register
  name: Practitioner register
  kind: registration
  country: UK
  url: https://register.example.org/check
  text: Check a physiotherapist is registered.
  source: "the register's home page"
  checked: 2026-12-01
"""

EDITOR_PAGE = article("For editors", "Editors' notes [@smith2020knots].\n").replace("audience: patient", "audience: editor")
FULL_PAGE = article("When to get help", "All services:\n\n[[help-elsewhere: full]]\n")


def _build(tmp_path, help_text=HELP, pages=None):
    site = make_site(tmp_path, pages or {**PAGES, "editors.md": EDITOR_PAGE, "when.md": FULL_PAGE},
                     evidence={**EVIDENCE, "help.yml": help_text})
    return site, site.build()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site, result = _build(tmp_path_factory.mktemp("help"))
    assert result.returncode == 0, result.stderr
    return site


def _help(site, url):
    soup = BeautifulSoup(site.html(url), "html.parser")
    return soup, soup.select_one(".tpg-help")


def test_every_patient_page_and_handout_has_the_block(built):
    handouts = sorted(p.parent.name for p in (built.site_dir / "handouts").glob("*/index.html"))
    assert handouts, "the fixture has handouts"
    for url in ["", "needling", "when"] + [f"handouts/{h}" for h in handouts]:
        soup, block = _help(built, url)
        assert block is not None, f"no help block on /{url}"
        heading = soup.select_one("#where-else-to-get-help")
        assert heading is not None and heading.name == "h2" and heading.get_text(strip=True).rstrip("¶") == "Where else to get help"
        assert "Example Crisis Line" in block.get_text() and "116 123" in block.get_text(), url
        assert "Practitioner register" in block.get_text(), url


def test_not_on_pages_for_editors(built):
    assert _help(built, "editors")[1] is None


def test_condition_pages_follow_the_regions_of_the_page(built):
    # the needling page shows the calf warning signs: the leg page, not the neck page
    block = _help(built, "needling")[1].get_text()
    assert "leg pain" in block and "neck pain" not in block and "muscle pain" not in block
    # the home page names no region (red flags: all): only the general condition page
    block = _help(built, "")[1].get_text()
    assert "muscle pain" in block and "neck pain" not in block and "leg pain" not in block


def test_the_full_list_gives_each_description_and_checked_date(built):
    soup, block = _help(built, "when")
    assert len(soup.select(".tpg-help")) == 1, "a page that places the block itself gets no second one"
    text = block.get_text(" ", strip=True)
    for words in ("Free, any time.", "What to do about neck pain.", "Check a physiotherapist is registered."):
        assert words in text
    assert [t["datetime"] for t in block.select("li time")].count("2026-12-01") == 4


def test_links_and_checked_date(built):
    _, block = _help(built, "needling")
    links = {a["href"] for a in block.select("a")}
    assert "https://crisis.example.org/" in links and "https://register.example.org/check" in links
    # the oldest check of what the block shows is the date it gives
    assert block.select_one(".tpg-help__checked time")["datetime"] == "2026-11-30"


def _entry(field_line: str, new: str | None) -> str:
    assert field_line in HELP
    return HELP.replace(field_line, new if new is not None else "", 1)


@pytest.mark.parametrize("old,new,message", [
    ("  source: \"the service's own contact page\"\n", None, "help entry 'crisis-line': no 'source:'"),
    ("  checked: 2026-11-30\n", None, "help entry 'crisis-line': no 'checked:' date"),
    ("  checked: 2026-11-30\n", "  checked: 2099-01-01\n", "'checked' 2099-01-01 is in the future"),
    ("  url: https://crisis.example.org/\n", "  url: http://crisis.example.org/\n", "is not a plain https:// address"),
    ("  url: https://crisis.example.org/\n", "  url: \"javascript:alert(1)\"\n", "is not a plain https:// address"),
    ("  url: https://crisis.example.org/\n", "  url: \"https://x.org/\\\" onmouseover=\\\"alert(1)\"\n",
     "is not a plain https:// address"),
    ("  kind: crisis\n", "  kind: hotline\n", "'kind' is 'hotline', not one of"),
    ("  phone: \"116 123\"\n", "  phone: \"<b>116</b>\"\n", "must be digits"),
])
def test_bad_entries_stop_the_build_with_file_and_line(tmp_path, old, new, message):
    site, result = _build(tmp_path, _entry(old, new))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert re.search(r"evidence/help\.yml:\d+: ", result.stderr) and message in result.stderr, result.stderr
    assert not site.site_dir.exists()


def test_unknown_region_in_the_marker(tmp_path):
    page = article("When", "[[help-elsewhere: necks]]\n")
    site, result = _build(tmp_path, pages={**PAGES, "when.md": page})
    assert result.returncode != 0 and re.search(r"docs/when\.md:\d+: unknown region 'necks'", result.stderr), result.stderr


def test_a_page_with_a_clinical_review_names_it_and_others_say_none(tmp_path):
    reviewed = article("Reviewed", "Text [@smith2020knots].\n").replace(
        "key_messages:", "clinical_review:\n  name: A Clinician\n  profession: physiotherapist\n"
                         "  registration: HCPC PH000000\n  date: 2026-01-05\nkey_messages:")
    site, result = _build(tmp_path, pages={**PAGES, "reviewed.md": reviewed})
    assert result.returncode == 0, result.stderr
    box = BeautifulSoup(site.html("reviewed"), "html.parser").select_one(".tpg-review-box__clinical").get_text(" ", strip=True)
    assert box == "Reviewed by A Clinician, physiotherapist (registration: HCPC PH000000), on 5 January 2026"
    other = BeautifulSoup(site.html("needling"), "html.parser").select_one(".tpg-review-box__clinical").get_text(" ", strip=True)
    assert other.startswith("None yet: no doctor, physiotherapist or other clinician has reviewed this page")
    # search engines read schema.org's reviewedBy as a medical review: only the reviewed page says it
    import json

    def jsonld(url):
        return json.loads(BeautifulSoup(site.html(url), "html.parser").select_one("script[type='application/ld+json']").string)

    assert jsonld("reviewed")["reviewedBy"] == {"@type": "Person", "name": "A Clinician"}
    assert "reviewedBy" not in jsonld("needling")
