"""Issue 21 on the guide's own built site: each warning sign a GP and a physiotherapist asked for
appears, at its urgency, on the pages that should show it; the six-week plan carries the spinal
emergency signs; the handouts print their page's signs; every patient page and handout shows
where else to get help; and no page claims a clinical review that has not happened."""

import re

import pytest
from bs4 import BeautifulSoup

from support import ROOT
from tpguide import pagelength


def _soup(site_dir, url):
    return BeautifulSoup((site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser")


def _flags(site_dir, url) -> dict[str, str]:
    return {el["data-red-flag"]: el["data-urgency"] for el in _soup(site_dir, url).select("[data-red-flag]")}


# (sign, urgency, pages that must show it). Pages are built URLs; region guides pick signs up by
# their regions, other pages by the signs they name.
EXPECTED = [
    # 1. known cancer and spinal pain: same day; with nerve signs: emergency; weight loss: soon
    ("cancer-spine-pain", "same-day", ["regions/low-back", "regions/upper-back", "regions/neck-and-shoulders",
                                       "six-week-plan", "self-care", "how-long-will-it-last"]),
    ("cancer-spine-nerve", "emergency", ["regions/low-back", "regions/neck-and-shoulders", "six-week-plan", "",
                                         "self-care", "how-long-will-it-last"]),
    ("cancer-weight-loss", "soon", ["regions/low-back", "how-long-will-it-last"]),
    # 2. a clot in the leg (same day) and one that has moved to the lung (emergency)
    ("swollen-calf", "same-day", ["regions/calf", "regions/hip-and-buttock", "six-week-plan"]),
    ("clot-in-lung", "emergency", ["regions/calf", "regions/upper-back", "six-week-plan", ""]),
    # 3. septic arthritis
    ("hot-swollen-joint", "same-day", ["regions/neck-and-shoulders", "regions/hip-and-buttock", "regions/calf"]),
    # 4. gradual weakness same day, beside stroke signs (sudden weakness) as an emergency
    ("new-weakness", "same-day", ["regions/low-back", "six-week-plan"]),
    ("stroke-signs", "emergency", ["regions/low-back", "six-week-plan", ""]),
    # 5, 6. giant cell arteritis; neck artery tear
    ("jaw-scalp-over-50", "same-day", ["regions/head-and-jaw"]),
    ("neck-artery", "emergency", ["regions/neck-and-shoulders", "regions/head-and-jaw", ""]),
    # 7. collapsed lung after needling, now also on the low back
    ("breathless-after-needling", "emergency", ["regions/low-back", "regions/upper-back", "treatments/dry-needling",
                                                "treatments/injections"]),
    # 8. falls
    ("hip-after-fall", "emergency", ["regions/hip-and-buttock", ""]),
    ("neck-after-minor-fall", "emergency", ["regions/neck-and-shoulders", ""]),
    # 9, 10. the six-week plan carries cauda equina and fever with spinal pain
    ("bladder-bowel", "emergency", ["regions/low-back", "six-week-plan", ""]),
    ("fever-back-pain", "same-day", ["regions/low-back", "six-week-plan"]),
    # 11. medicines
    ("nsaid-gut-bleeding", "emergency", ["medicines", "self-care"]),
    ("paracetamol-too-much", "emergency", ["medicines", "self-care"]),
    # 12. thoughts of self-harm
    ("suicidal-thoughts", "same-day", ["how-long-will-it-last", "self-care", "regions/low-back", ""]),
    # 13. by region
    ("aortic-aneurysm", "emergency", ["regions/low-back"]),
    ("inflammatory-back-pain", "soon", ["regions/low-back"]),
    ("aortic-dissection", "emergency", ["regions/upper-back"]),
    ("collapsed-lung-sudden", "emergency", ["regions/upper-back"]),
    ("pericarditis", "same-day", ["regions/upper-back"]),
    ("shingles", "same-day", ["regions/upper-back", "regions/low-back"]),
    ("headache-getting-worse", "soon", ["regions/head-and-jaw"]),
    ("headache-pregnancy-cancer", "same-day", ["regions/head-and-jaw"]),
    ("headache-after-head-injury", "emergency", ["regions/head-and-jaw"]),
    ("painful-red-eye", "emergency", ["regions/head-and-jaw"]),
    ("carbon-monoxide", "same-day", ["regions/head-and-jaw"]),
    ("dental-infection", "emergency", ["regions/head-and-jaw"]),
    # new angina-like pain needs urgent help (St John Ambulance, NOTES-c16-angina.md): it was "soon",
    # folded away, with "get advice today" and "call an ambulance" hidden inside (a patient's read)
    ("exertion-jaw-arm-pain", "same-day", ["regions/head-and-jaw", "regions/neck-and-shoulders", "regions/upper-back"]),
    ("cannot-lift-arm-after-injury", "same-day", ["regions/neck-and-shoulders"]),
    ("shoulder-tip-pregnancy", "emergency", ["regions/neck-and-shoulders"]),
    ("compartment-syndrome", "emergency", ["regions/calf"]),
    ("cold-pale-leg", "emergency", ["regions/calf"]),
    ("achilles-rupture", "same-day", ["regions/calf"]),
    ("fluoroquinolone-tendon", "same-day", ["regions/calf", "when-to-see-a-professional"]),
    ("blood-thinner-bleed", "same-day", ["treatments/vibration-therapy", "when-to-see-a-professional"]),
    ("spreading-red-skin", "same-day", ["regions/calf"]),
    # the second safety reading (NOTES-c10-safety-review.md)
    ("severe-allergic-reaction", "emergency", ["medicines", "treatments/injections"]),
    ("botulinum-spread", "emergency", ["treatments/injections"]),
    ("serotonin-syndrome-severe", "emergency", ["treatments/antidepressants"]),
    ("serotonin-syndrome", "same-day", ["treatments/antidepressants"]),
    ("headache-fever-or-change", "same-day", ["regions/head-and-jaw"]),
    ("growing-lump", "soon", []),
]


@pytest.mark.parametrize("flag,urgency,pages", EXPECTED, ids=[e[0] for e in EXPECTED])
def test_warning_sign_at_its_urgency_on_its_pages(built_site, flag, urgency, pages):
    for url in pages + ["when-to-see-a-professional"]:
        shown = _flags(built_site, url)
        assert shown.get(flag) == urgency, f"/{url}: '{flag}' shown as {shown.get(flag)!r}, expected {urgency!r}"


def test_changed_wordings(built_site):
    text = {el["data-red-flag"]: el.get_text(" ", strip=True)
            for el in _soup(built_site, "when-to-see-a-professional").select("[data-red-flag]")}
    assert "50 or over" in text["jaw-scalp-over-50"] and "older person" not in text["jaw-scalp-over-50"]
    assert "feeling sick" not in text["neck-artery"] and "drooping eyelid" in text["neck-artery"]
    assert "both legs" in text["bladder-bowel"] and "sex" in text["bladder-bowel"]
    assert re.search(r"over days|over (a few )?days or weeks", text["new-weakness"]), text["new-weakness"]
    assert "back" in text["breathless-after-needling"]


def test_every_sign_shown_has_its_key_words_in_bold(built_site):
    # long boxes are scanned, not read (patient review): every sign on every page and handout
    # carries bold words, and they are words of the sign itself
    from tpguide.evidence import load_evidence_dir
    from tpguide.evidence.model import sign_bold_spans

    flags = load_evidence_dir(ROOT / "evidence", root=ROOT).red_flags
    pages = [p.parent for p in built_site.rglob("index.html")]
    seen = 0
    for page in pages:
        soup = BeautifulSoup((page / "index.html").read_text(encoding="utf-8"), "html.parser")
        for el in soup.select("[data-red-flag]"):
            flag = flags[el["data-red-flag"]]
            sign = flag.sign if flag.sign.endswith((".", "?", "!")) else flag.sign + "."
            where = f"{page.relative_to(built_site)}: '{flag.id}'"
            assert el.get_text() == sign, where  # the sign's own words, nothing added or lost
            expected = [sign[a:b] for a, b in sign_bold_spans(sign, flag.bold)]
            assert expected and [b.get_text() for b in el.find_all("strong")] == expected, where
            seen += 1
    assert seen > 300, seen


def test_painkiller_signs_stay_off_the_region_boxes(built_site):
    # tied to taking a medicine, not to a body region: shown where medicines are discussed
    for url in ("regions/neck-and-shoulders", "regions/low-back", "regions/calf"):
        assert not {"nsaid-gut-bleeding", "paracetamol-too-much"} & set(_flags(built_site, url)), url


def test_handouts_print_the_signs_of_their_page(built_site):
    for page, handout in (("regions/neck-and-shoulders", "handouts/regions-neck-and-shoulders"),
                          ("six-week-plan", "handouts/six-week-plan"),
                          ("treatments/dry-needling", "handouts/treatments-dry-needling")):
        missing = set(_flags(built_site, page)) - set(_flags(built_site, handout))
        assert not missing, f"{handout} leaves out {sorted(missing)}"
    neck = _flags(built_site, "handouts/regions-neck-and-shoulders")
    assert "fever-stiff-neck" in neck and "neck-artery" in neck
    # the pages that list every sign: their handouts print every sign that needs help now or
    # today (the reviewing clinician found the same-day ones missing from the paper copy)
    for page in ("when-to-see-a-professional", "conditions-like-muscle-knots"):
        shown = _flags(built_site, page)
        urgent = {flag for flag, urgency in shown.items() if urgency in ("emergency", "same-day")}
        printed = _flags(built_site, f"handouts/{page}")
        assert {"swollen-calf", "jaw-scalp-over-50"} <= urgent, "the page shows same-day signs"
        assert urgent - set(printed) == set(), f"handouts/{page} leaves out {sorted(urgent - set(printed))}"
        assert set(printed) <= urgent
        assert "not printed here" in _soup(built_site, f"handouts/{page}").select_one(".tpg-urgent-signs-note").get_text()


def test_region_handouts_print_what_you_can_do_now(built_site):
    # a reviewer of the printed neck sheet found warning signs but almost nothing on what to do
    for region in ("neck-and-shoulders", "low-back", "upper-back", "hip-and-buttock", "calf"):
        soup = _soup(built_site, f"handouts/regions-{region}")
        heading = soup.select_one("h2#what-you-can-do-now")
        assert heading is not None, region
        steps = heading.find_next_sibling("ul")
        assert steps is not None and len(steps.select("li")) >= 3, region
        assert steps.select("sup a.footnote-ref"), f"{region}: the steps keep their citations"
    assert "Keep moving" in _soup(built_site, "handouts/regions-neck-and-shoulders").select_one("h2#what-you-can-do-now").find_next_sibling("ul").get_text()


def test_a_printed_sheet_says_who_wrote_it_and_that_no_clinician_reviewed_it(built_site):
    # a reviewer: the honest line under the title is easy to miss on paper
    for handout in ("handouts/regions-neck-and-shoulders", "handouts/medicines", "six-week-plan"):
        who = _soup(built_site, handout).select_one(".tpg-print-only .tpg-print-who")
        assert who is not None, handout
        text = " ".join(who.get_text().split())
        assert "not personal advice" in text and "not reviewed by a doctor or physiotherapist" in text, text


def test_where_else_to_get_help_on_every_patient_page_and_handout(built_site):
    handouts = sorted(p.parent.relative_to(built_site).as_posix() for p in (built_site / "handouts").glob("*/index.html"))
    urls = [u.rstrip("/") for u in pagelength.patient_urls(ROOT / "docs")] + handouts
    assert len(urls) > 40
    for url in urls:
        block = _soup(built_site, url).select_one(".tpg-help")
        assert block is not None, f"/{url} has no 'Where else to get help'"
        crisis = block.select_one('[data-help-kind="crisis"]')
        assert crisis is not None and "116 123" in crisis.get_text() and "988" in crisis.get_text(), url
        assert block.select_one(".tpg-help__checked time")


def test_no_page_claims_a_clinical_review(built_site):
    box = _soup(built_site, "treatments/dry-needling").select_one(".tpg-review-box")
    assert "no doctor, physiotherapist or other clinician has reviewed this page" in box.get_text(" ", strip=True)
    link = box.select_one(".tpg-review-box__clinical a")["href"]
    assert link.endswith("about/#clinical-review")
    about = _soup(built_site, "about")
    assert about.select_one("#clinical-review") is not None
    assert "No doctor, physiotherapist or other clinician has reviewed any page" in about.get_text(" ", strip=True)


def test_children_are_pointed_to_a_doctor(built_site):
    page = _soup(built_site, "when-to-see-a-professional")
    section = page.select_one("#children-and-teenagers")
    assert section is not None
    assert "written for adults" in page.get_text(" ", strip=True)


# A box of general signs chosen one by one, plus a situation's signs, is titled for everyone: a
# reader who takes no painkillers must not skip the stroke signs because of the title.
def test_a_box_of_general_signs_is_not_titled_for_one_situation(built_site):
    for url, context in (("self-care", "while taking painkillers"),
                         ("treatments/antidepressants", "while taking an antidepressant")):
        text = _soup(built_site, url).get_text(" ", strip=True)
        assert f"When to get help, including {context}" in text, url
        assert f"Get help if you notice these: {context}" not in text, url
    # a box of one situation's signs only keeps its narrow title
    assert "Get help if you notice these: after needling" in _soup(built_site, "treatments/dry-needling").get_text(" ", strip=True)


# Review (a practitioner): a treatment leaflet gave its warning signs (a collapsed lung after
# needling) on the second page, after the questions. They come with the risks, before what to
# expect and the questions.
@pytest.mark.parametrize("leaflet", ["treatments-dry-needling", "treatments-injections", "medicines"])
def test_a_treatment_leaflet_gives_its_warning_signs_with_its_risks(built_site, leaflet):
    body = _soup(built_site, f"handouts/{leaflet}").select_one(".tpg-handout-body")
    order = [el for el in body.find_all(True) if el.name == "h2" or "tpg-redflags" in (el.get("class") or [])]
    names = ["SIGNS" if el.name != "h2" else el.get_text(" ", strip=True) for el in order]
    signs = names.index("SIGNS")
    later = [n for n in names[signs:] if n.startswith(("What to expect", "Questions to ask"))]
    earlier = [n for n in names[:signs] if n.startswith(("What to expect", "Questions to ask"))]
    assert later and not earlier, names
