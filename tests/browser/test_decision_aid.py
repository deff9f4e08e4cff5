"""The decision aid (issue 23) in Chromium: the values step keeps answers in the browser only, the
grid says in words which options fit, everything works without JavaScript, and print keeps every
option: the options handout on at most two A4 pages, the summary on one, no column cut."""

from __future__ import annotations

import re

import pytest

from tpguide import audit

OPTIONS = "options/"
MINE = "my-options/"


def _answer(page, answers: dict[str, str]) -> None:
    for name, value in answers.items():
        page.check(f'form[data-values] input[name="{name}"][value="{value}"]')


@pytest.mark.parametrize("kind,scheme", [("mobile", "light"), ("desktop", "dark")])
def test_the_values_step_marks_options_in_words_and_sends_nothing(open_page, kind, scheme):
    watch = open_page(kind, scheme)
    page = watch.page
    page.goto(watch.base_url + OPTIONS, wait_until="networkidle")
    before = len(watch.requests)
    _answer(page, {"needles": "2", "cost": "1", "sure": "1"})
    page.wait_for_timeout(300)
    # nothing is sent, nothing is stored in cookies; the answers are in local storage only
    sent = [u for u in watch.requests[before:] if not u.endswith("/assets/favicon.svg")]  # the browser's own
    assert sent == [], sent
    assert page.evaluate("document.cookie") == "" and page.context.cookies() == []
    assert page.evaluate("JSON.parse(localStorage.getItem('tpg-values'))") == {"needles": "2", "cost": "1", "sure": "1"}
    # an option with needles clashes, in words (not colour alone); one without fits
    needling = page.locator('details[data-option="dry-needling"] [data-fit-text]')
    assert needling.is_visible() and "Clashes with something that matters a lot to you" in needling.inner_text()
    assert "Does not fit: avoiding needles" in needling.inner_text()
    heat = page.locator('details[data-option="heat"] [data-fit-text]').inner_text()
    assert heat.startswith("Fits what matters most to you.") and "Fits: avoiding needles" in heat
    # an answer that is not a plain yes says why, from the card's data (dry needling: low certainty)
    assert "Partly fits: evidence we can be fairly sure of, whichever way it points (low certainty)" in needling.inner_text()
    result = page.locator("[data-values-result]").inner_text()
    assert "Dry needling" not in result and "Heat" in result
    assert "does not mean an option works" in result  # a fit is not a recommendation
    page.click("a.tpg-values__jump")  # the link under the questions leads to the options and the result
    page.wait_for_timeout(300)
    assert page.locator("[data-values-result]").is_visible() and page.evaluate("location.hash") == "#every-option"
    # the answers come back on the next visit, and the clear button removes them
    page.reload(wait_until="networkidle")
    assert page.is_checked('form[data-values] input[name="needles"][value="2"]')
    # it asks first: saying no keeps every answer
    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("[data-values-clear]")
    assert asked and "cannot be undone" in asked[0]
    assert page.is_checked('form[data-values] input[name="needles"][value="2"]')
    assert page.evaluate("localStorage.getItem('tpg-values')") is not None
    page.once("dialog", lambda d: d.accept())
    page.click("[data-values-clear]")
    assert page.evaluate("localStorage.getItem('tpg-values')") is None
    assert not page.locator('details[data-option="dry-needling"] [data-fit-text]').is_visible()
    assert watch.errors == [] and watch.foreign_requests == []


def _fits(page) -> dict[str, dict[str, str]]:
    return page.eval_on_selector_all("details[data-option]", """cards => Object.fromEntries(cards.map(c => [c.dataset.name,
        Object.fromEntries([...c.attributes].filter(a => /^data-fit-[a-z]+$/.test(a.name)).map(a => [a.name.slice(9), a.value]))]))""")


def test_with_no_full_fit_the_nearest_options_are_named(open_page):
    watch = open_page("mobile", "light")
    page = watch.page
    page.goto(watch.base_url + OPTIONS, wait_until="networkidle")
    fits = _fits(page)
    # the answers' expected reading, from the cards' own data: no option is a plain yes for both
    strong = ["benefit", "serious"]
    assert not [n for n, f in fits.items() if all(f[k] == "yes" for k in strong)]
    nearest = [n for n, f in fits.items() if all(f[k] != "no" for k in strong)]
    clashing = [n for n in fits if n not in nearest]
    assert nearest and clashing
    _answer(page, {k: "2" for k in strong})
    page.wait_for_timeout(200)
    result = page.locator("[data-values-result]").inner_text()
    assert result.startswith("No option fits everything you marked")
    assert result.endswith("Fitting your answers does not mean an option works: each option says how well it worked in studies.")
    tiers = [t.split(", ") for t in result.split("(closest first): ", 1)[1].split(". Open them to see", 1)[0].split("; then ")]
    assert sorted(n for t in tiers for n in t) == sorted(nearest)
    # nearer tiers first (more plain yeses, then more partlies), and one tier's options equally near
    key = [[(sum(fits[n][k] == "yes" for k in strong), sum(fits[n][k] == "partly" for k in strong)) for n in t] for t in tiers]
    assert all(len(set(k)) == 1 for k in key) and [k[0] for k in key] == sorted({k[0] for k in key}, reverse=True)
    # a single answer that every option fits only partly: one tier, said to be equally near
    page.once("dialog", lambda d: d.accept())
    page.click("[data-values-clear]")
    _answer(page, {"benefit": "2"})
    page.wait_for_timeout(200)
    single = page.locator("[data-values-result]").inner_text()
    partly = [n for n, f in fits.items() if f["benefit"] == "partly"]
    unknown = [n for n, f in fits.items() if f["benefit"] == "unknown"]
    if partly and not unknown:
        assert "none of them clashes with your answers (all equally close): " in single
    else:
        assert "(closest first): " in single and single.split("(closest first): ", 1)[1].startswith(partly[0])
    assert watch.errors == []


def test_the_values_step_works_from_the_keyboard(open_page):
    watch = open_page("desktop", "light")
    page = watch.page
    page.goto(watch.base_url + OPTIONS, wait_until="networkidle")
    page.focus('form[data-values] input[name="needles"][value="2"]')
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # to the next question
    page.keyboard.press("Space")
    page.wait_for_timeout(200)
    assert page.is_checked('form[data-values] input[name="needles"][value="2"]')
    assert page.is_checked('form[data-values] input[name="cost"][value="2"]')
    # the choice the keyboard is on shows a focus ring (Material's reset removes the browser's)
    ring = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                         " return [document.activeElement.type, s.outlineStyle, parseFloat(s.outlineWidth)]; }")
    assert ring[0] == "radio" and ring[1] != "none" and ring[2] >= 2, ring
    card = page.locator('details[data-option="heat"] > summary')
    card.focus()
    page.keyboard.press("Enter")
    assert page.locator('details[data-option="heat"]').evaluate("d => d.open")


def test_the_grid_and_the_worksheet_work_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(base_url + OPTIONS, wait_until="load")
        cards = page.locator("details.tpg-opt")
        assert cards.count() >= 15
        assert page.locator("form[data-values] input[type=radio]").count() == 21
        page.check('form[data-values] input[name="needles"][value="2"]')  # a worksheet: still tickable
        first = cards.first
        first.locator("summary").click()
        assert first.locator("dt", has_text="Minor harms and side effects").is_visible()
        assert first.locator("dt", has_text="Who the evidence comes from").is_visible()
        assert page.locator("[data-fit-text]:visible").count() == 0  # fit is the script's job
        n = cards.count()
        page.goto(base_url + MINE, wait_until="load")
        assert page.locator('form[data-mine] input[name="option"]').count() == n
        assert page.locator("[data-mine-blank]").is_visible()  # copy the numbers by hand
    finally:
        context.close()


def _pages_of(page) -> int:
    return audit.pdf_page_count(page.pdf(format="A4", print_background=False))


def test_the_options_handout_prints_every_option_on_two_pages_at_most(browser, base_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + OPTIONS, wait_until="networkidle")
        names = page.eval_on_selector_all("details.tpg-opt", "els => els.map(e => e.dataset.name)")
        page.goto(base_url + "handouts/options/", wait_until="networkidle")
        assert _pages_of(page) <= 2
        page.emulate_media(media="print")
        rows = page.eval_on_selector_all(".tpg-gridtable tbody th", "els => els.map(e => e.innerText.trim())")
        assert rows == names
        assert page.evaluate("[...document.querySelectorAll('.tpg-gridtable tr')].every(r => r.offsetParent !== null)")
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 900}])
def test_the_summary_prints_on_one_page_with_the_chosen_options(browser, base_url, viewport):
    context = browser.new_context(viewport=viewport, locale="en-US")
    try:
        page = context.new_page()
        page.goto(base_url + OPTIONS, wait_until="networkidle")
        page.check('form[data-values] input[name="needles"][value="2"]')
        page.goto(base_url + MINE, wait_until="networkidle")
        assert page.is_checked('form[data-mine] input[name="matters"][value="needles"]')  # carried over
        for option in ("heat", "exercise", "wait-and-see"):
            page.check(f'form[data-mine] input[name="option"][value="{option}"]')
        page.check('form[data-mine] input[name="lean"][value="unsure"]')
        page.fill("#tpg-mine-q", "How many sessions would I need?")
        assert page.locator('tr[data-option="heat"]').is_visible()
        assert not page.locator('tr[data-option="dry-needling"]').is_visible()  # on a phone too (rows stack)
        assert page.locator("tr[data-option]:visible").count() == 3
        assert page.context.cookies() == []
        assert _pages_of(page) == 1
        page.emulate_media(media="print")
        text = page.locator("form[data-mine]").inner_text()
        assert "Heat" in text and "How many sessions would I need?" in page.input_value("#tpg-mine-q")
        assert re.search(r"The evidence was last searched (on|between) \d{1,2} ", text), text
        # today's date in the site's style, also in a browser set to US English
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", page.locator("[data-mine-date]").inner_text()), (
            page.locator("[data-mine-date]").inner_text())
    finally:
        context.close()


# Review (a patient on a phone): "Clear my answers" touched "Print my summary" and wiped everything
# with one tap. The two stand apart, and clearing asks first.
def test_clearing_the_summary_asks_first_and_stands_apart_from_print(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(base_url + MINE, wait_until="networkidle")
        # nothing ticked: no empty table under an orphan caption, only the line that stands in for it
        assert not page.locator("form[data-mine] .tpg-gridtable").is_visible()
        assert page.locator("[data-mine-blank]").is_visible()
        page.check('form[data-mine] input[name="option"][value="heat"]')
        assert page.locator("form[data-mine] .tpg-gridtable caption").is_visible()
        clear, print_ = page.locator("[data-mine-clear]").bounding_box(), page.locator("[data-mine-print]").bounding_box()
        apart = max(clear["x"] - (print_["x"] + print_["width"]), clear["y"] - (print_["y"] + print_["height"]))
        assert apart >= 16, (clear, print_)
        page.once("dialog", lambda d: d.dismiss())
        page.click("[data-mine-clear]")
        assert page.is_checked('form[data-mine] input[name="option"][value="heat"]')
        page.evaluate("localStorage.setItem('tpg-values', JSON.stringify({needles: '2'}))")  # answered on the options page
        page.once("dialog", lambda d: d.accept())
        page.click("[data-mine-clear]")
        assert not page.is_checked('form[data-mine] input[name="option"][value="heat"]')
        assert page.evaluate("localStorage.getItem('tpg-mine')") is None
        # the options page's answers go too: they would tick "what matters" again on the next visit
        assert page.evaluate("localStorage.getItem('tpg-values')") is None
        page.reload(wait_until="networkidle")
        assert not page.is_checked('form[data-mine] input[name="matters"][value="needles"]')
    finally:
        context.close()


# Every box on the printed options page stays inside the paper: no column of the grid is cut.
def test_printing_the_options_page_cuts_nothing(browser, base_url):
    context = browser.new_context(viewport={"width": 794, "height": 1123})  # A4 at 96 dpi
    try:
        page = context.new_page()
        page.goto(base_url + OPTIONS, wait_until="networkidle")
        page.emulate_media(media="print")
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        cut = page.evaluate("""() => {
            const width = document.querySelector('.md-content').getBoundingClientRect().right + 1;
            return [...document.querySelectorAll('.tpg-opt, .tpg-opt dd, .tpg-opt svg, .tpg-values fieldset')]
              .filter(e => e.getBoundingClientRect().right > width || e.scrollWidth > e.clientWidth + 1)
              .map(e => e.className.baseVal ?? e.className);
        }""")
        assert cut == []
        assert page.evaluate("[...document.querySelectorAll('details.tpg-opt')].every(d => d.open)")
        assert _pages_of(page) > 1
    finally:
        context.close()


# Review (a practitioner): the summary's handout said "Fill this in" and had nothing to fill in. It
# is the form, with the answers the reader has given, and then the warning signs, on two pages.
def test_the_summary_handout_is_the_form_with_the_warning_signs(browser, base_url):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(base_url + MINE, wait_until="networkidle")
        page.check('form[data-mine] input[name="option"][value="heat"]')
        page.goto(base_url + "handouts/my-options/", wait_until="networkidle")
        assert page.is_checked('form[data-mine] input[name="option"][value="heat"]')  # the same answers
        page.emulate_media(media="print")
        assert page.locator("form[data-mine]").is_visible()
        assert page.locator(".tpg-handout-body .tpg-redflags").is_visible()
        assert page.locator(".tpg-handout-body .footnote").is_visible()  # the signs' sources print too
        assert _pages_of(page) <= 2
    finally:
        context.close()
