"""The evidence base in real strict builds: what pages render from evidence/, and every kind of
bad data refused with file and line before anything reaches the HTML."""

import re

import pytest
from bs4 import BeautifulSoup

from support import ROOT, article, make_site

# The real vocabulary, with its MIDs' sources pointed at the fixture bib.
VOCABULARY = re.sub(r"(?m)^(    source: ).*$", r"\1smith2020knots",
                    (ROOT / "evidence" / "vocabulary.yml").read_text(encoding="utf-8"))

TREATMENT = """\
treatment:
  id: needling
  name: Needling
  short: needling
  kind: treatment
  page: needling.md
  what: A thin needle in the sore spot [@smith2020knots].
  burden: A few sessions [@smith2020knots].
  self_help: No [@smith2020knots].
  headline:
    pain: nd-pain-short
findings:
  - id: nd-pain-short
    comparison: sham
    population: Adults with neck pain
    region: neck
    outcome: pain
    timepoint: short
    timepoint_detail: 4 weeks
    measure: MD
    unit: points on a 0 to 10 scale
    estimate: -1.5
    ci: [-2.5, -0.5]
    studies: 3
    participants: 120
    pooled: true
    certainty: low
    certainty_by: review
    downgrades: [risk of bias, imprecision]
    mid: pain-0-10-slight
    source: smith2020knots
  - id: nd-pain-long
    comparison: no-treatment
    population: Adults with neck pain
    region: neck
    outcome: pain
    timepoint: long
    timepoint_detail: 6 months
    measure: SMD
    estimate: -0.1
    ci: [-0.4, 0.2]
    studies: 1
    pooled: false
    certainty: very low
    certainty_by: editors
    downgrades: [imprecision, risk of bias]
    source: smith2020knots
harms:
  - id: nd-bruising
    event: Bruising
    seriousness: minor
    how_often: {kind: rate, n: 76, of: 1000, unit: treatments}
    source: smith2020knots
  - id: nd-lung
    event: Collapsed lung
    seriousness: serious
    how_often: {kind: case-reports, cases: 2}
    source: smith2020knots
"""

SEARCHES = """\
- topic: needling
  label: Needling
  searched: 2026-01-05
  where: [PubMed]
"""

RED_FLAGS = """\
- id: stroke
  sign: Your face droops or an arm goes weak
  bold: [Your face droops]
  urgency: emergency
  regions: [all]
  sources: [smith2020knots]
- id: calf
  sign: A swollen warm calf
  bold: [A swollen warm calf]
  urgency: same-day
  regions: [calf]
  advice: Do not massage it
  sources: [smith2020knots]
- id: night
  sign: Pain that wakes you every night
  bold: [wakes you every night]
  urgency: soon
  regions: [all]
  sources: [smith2020knots]
"""

OPTIONS = """\
- option: needling
  needles: true
  clinic_visits: several
  cost: paid
  do_yourself: "no"
  trigger_points: unclear
"""
EVIDENCE = {"vocabulary.yml": VOCABULARY, "treatments/needling.yml": TREATMENT, "searches.yml": SEARCHES,
            "red-flags.yml": RED_FLAGS, "options.yml": OPTIONS}
NEEDLING_PAGE = article("Needling", """\
    Needling may ease pain for a while [[finding: nd-pain-short]].

    Certainty in short: [[finding: nd-pain-long | certainty]].

    [[evidence: needling]]

    [[harms: needling]]

    [[red-flags: calf]]
    """).replace("key_messages:", "evidence_topics: [needling]\nkey_messages:")
OTHER_PAGE = article("Other", """\
    Short-term pain [[finding: nd-pain-short | statement]].

    [[red-flags: all]]

    [[option-grid]]
    """)
PAGES = {"index.md": OTHER_PAGE, "needling.md": NEEDLING_PAGE}


def build(tmp_path, pages=None, evidence=None):
    site = make_site(tmp_path, pages or PAGES, evidence={**EVIDENCE, **(evidence or {})})
    return site, site.build()


def failing(tmp_path, pages=None, evidence=None) -> str:
    site, result = build(tmp_path, pages, evidence)
    assert result.returncode != 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert not (site.site_dir / "needling" / "index.html").exists() or True
    return result.stderr


# ---------------------------------------------------------------------------
# What pages render
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    site, result = build(tmp_path_factory.mktemp("evidence"))
    assert result.returncode == 0, result.stderr
    return site


def test_inline_finding_renders_numbers_certainty_and_citation(built):
    soup = BeautifulSoup(built.html("needling"), "html.parser")
    span = soup.select_one('.tpg-finding[data-finding="nd-pain-short"]')
    assert span is not None and span["data-certainty"] == "low"
    text = span.get_text(" ", strip=True)
    assert "MD −1.5 points on a 0 to 10 scale (95% CI −2.5 to −0.5)" in text and "3 studies, 120 people" in text
    assert span.find_next_sibling("sup").select_one("a.footnote-ref") is not None  # cited
    assert "very low certainty" in soup.get_text()


def test_summary_table_says_it_in_grade_words_and_checks_the_mid(built):
    soup = BeautifulSoup(built.html("needling"), "html.parser")
    rows = soup.select(".tpg-sof tr[data-finding]")
    assert [r["data-finding"] for r in rows] == ["nd-pain-short", "nd-pain-long"]
    short, long_ = (r.get_text(" ", strip=True) for r in rows)
    assert "Needling may reduce pain." in short and "Big enough to notice" in short and "rated down for risk of bias and imprecision" in short
    assert "We are very uncertain whether needling reduces pain." in long_ and "our rating" in long_
    assert soup.select_one(".tpg-sof caption").get_text() == "Evidence at a glance: needling"


def test_harms_tables_split_minor_and_serious_with_rates(built):
    soup = BeautifulSoup(built.html("needling"), "html.parser")
    captions = [c.get_text() for c in soup.select(".tpg-harms caption")]
    assert captions == ["Minor side effects: needling", "Serious harms: needling"]
    text = soup.select_one(".tpg-harms").get_text(" ", strip=True)
    assert "76 of 1,000 treatments (7.6%)" in text and "Case reports only (2 cases): how often it happens is not known" in text


def test_red_flags_render_from_one_list_with_the_same_urgency_everywhere(built):
    seen = {}
    for page in ("", "needling"):
        for el in BeautifulSoup(built.html(page), "html.parser").select("[data-red-flag]"):
            seen.setdefault(el["data-red-flag"], set()).add((el["data-urgency"], el.get_text(strip=True)))
    assert seen["calf"] == {("same-day", "A swollen warm calf.")}
    assert all(len(v) == 1 for v in seen.values()), seen


def test_each_sign_shows_its_key_words_in_bold(built):
    soup = BeautifulSoup(built.html(""), "html.parser")
    stroke = soup.select_one('[data-red-flag="stroke"]')
    assert [b.get_text() for b in stroke.find_all("strong")] == ["Your face droops"]
    assert stroke.get_text() == "Your face droops or an arm goes weak."  # the words themselves unchanged


def _load_flags(tmp_path, red_flags: str):
    from tpguide.errors import ContentError
    from tpguide.evidence import load_evidence_dir

    folder = tmp_path / "evidence"
    for name, text in {**EVIDENCE, "red-flags.yml": red_flags}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    try:
        return load_evidence_dir(folder, root=tmp_path), ""
    except ContentError as err:
        return None, str(err)


@pytest.mark.parametrize("bold,message", [
    (None, "evidence/red-flags.yml:1: red flag 'stroke': 'bold' is missing"),
    ("  bold: [Your face drops]\n", "evidence/red-flags.yml:3: red flag 'stroke': bold words 'Your face drops' are not in its sign"),
    ("  bold: [face droo]\n", "bold words 'face droo' are not in its sign, as whole words"),
    ("  bold: [your face droops]\n", "bold words 'your face droops' are not in its sign"),
    ("  bold: 12\n", "red flag 'stroke': 'bold' must be a list of text items -> write"),
    ("  bold: []\n", "red flag 'stroke': 'bold' is empty"),
    ("  bold: [\"\"]\n", "red flag 'stroke': 'bold' must be a list of text items"),
    ("  bold: {a: b}\n", "red flag 'stroke': 'bold' must be a list of text items"),
])
def test_a_sign_without_good_bold_words_is_refused_with_file_and_line(tmp_path, bold, message):
    flags = RED_FLAGS.replace("  bold: [Your face droops]\n", bold or "")
    store, err = _load_flags(tmp_path, flags)
    assert store is None and message in err, err
    assert " -> " in err  # and how to fix it


def test_bold_words_may_be_one_text_or_several_and_keep_their_order(tmp_path):
    flags = RED_FLAGS.replace("  bold: [Your face droops]\n", "  bold: [an arm goes weak, Your face droops]\n")
    store, err = _load_flags(tmp_path, flags)
    assert not err, err
    from tpguide.evidence.render import sign_html
    assert sign_html(store.red_flags["stroke"]) == ("<strong>Your face droops</strong> or "
                                                    "<strong>an arm goes weak</strong>.")
    store, err = _load_flags(tmp_path / "b", RED_FLAGS.replace("  bold: [Your face droops]\n", "  bold: Your face\n"))
    assert not err and store.red_flags["stroke"].bold == ("Your face",), err


def test_one_certainty_per_finding_on_every_page(built):
    certainty = {}
    for page in ("", "needling", "evidence-map"):
        for el in BeautifulSoup(built.html(page), "html.parser").select("[data-finding][data-certainty]"):
            certainty.setdefault(el["data-finding"], set()).add(el["data-certainty"])
    assert certainty["nd-pain-short"] == {"low"} and all(len(v) == 1 for v in certainty.values())


def test_evidence_map_page_links_each_cell_to_its_findings(built):
    soup = BeautifulSoup(built.html("evidence-map"), "html.parser")
    cell = soup.select_one('.tpg-map__table a[href="#cell-needling-pain"]')
    assert cell is not None and "2 findings" in cell.get_text() and "best: low" in cell.get_text()
    assert soup.select_one("#cell-needling-pain") is not None and soup.select_one("#f-nd-pain-long") is not None
    assert soup.select_one(".tpg-map__table").find("thead") is not None  # a real table


def test_option_grid_and_evidence_date_and_library_uses(built):
    soup = BeautifulSoup(built.html(""), "html.parser")
    card = soup.select_one('details.tpg-opt[data-option="needling"]')
    text = card.get_text(" ", strip=True) if card is not None else ""
    assert "Compared with a sham (fake) treatment or placebo, needling may reduce pain" in text
    assert "Bruising: about 8 in 100 treatment sessions (per session)" in text
    assert "Collapsed lung: case reports only, how often is not known." in text
    page = BeautifulSoup(built.html("needling"), "html.parser")
    box = page.select_one(".tpg-review-box").get_text(" ", strip=True)
    assert "Evidence last searched 5 January 2026" in box
    library = BeautifulSoup(built.html("references"), "html.parser")
    uses = library.select_one("#smith2020knots .tpg-ref-uses")
    assert uses is not None and "Finding: Needling: pain, short term (low certainty)" in uses.get_text()


# ---------------------------------------------------------------------------
# Bad data: refused with file and line
# ---------------------------------------------------------------------------

def _treatment(old: str, new: str) -> dict:
    assert old in TREATMENT, old
    return {"treatments/needling.yml": TREATMENT.replace(old, new, 1)}


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


@pytest.mark.parametrize("old,new,message,needle", [
    ("    source: smith2020knots\n  - id: nd-pain-long", "    source: smith2020knot\n  - id: nd-pain-long",
     "unknown bib key 'smith2020knot' -> did you mean 'smith2020knots'?", "    source: smith2020knot\n"),
    ("    outcome: pain\n    timepoint: short", "    outcome: pains\n    timepoint: short",
     "unknown outcome 'pains' -> did you mean 'pain'?", "    outcome: pains"),
    ("    comparison: sham", "    comparison: placebo-ish", "unknown comparison 'placebo-ish'", "    comparison: placebo-ish"),
    ("    ci: [-2.5, -0.5]", "    ci: [-1.2, -0.5]", "the 95% CI -1.2 to -0.5 does not contain the estimate -1.5", "    ci: [-1.2"),
    ("    certainty: low", "    certainty: moderately low", "'certainty' is 'moderately low', not one of: high, moderate, low, very low",
     "    certainty: moderately low"),
    ("  - id: nd-pain-long", "  - id: nd-pain-short", "duplicate id 'nd-pain-short', also at evidence/treatments/needling.yml:13",
     "  - id: nd-pain-short\n    comparison: no-treatment"),
    ("    downgrades: [risk of bias, imprecision]", "    downgrades: [no better than exercise]",
     "'downgrades': 'no better than exercise' is not one of", "    downgrades: [no better than exercise]"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}", "how_often: {kind: rate, n: 1200, of: 1000, unit: treatments}",
     "n (1200) is larger than of (1000)", "how_often: {kind: rate, n: 1200"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}", "how_often: {kind: rate, rate: 7, range: [1, 9], unit: treatments}",
     "give 'range:' or 'rate:'/'n:', not both", "how_often: {kind: rate, rate: 7, range"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}", "how_often: {kind: rate, rate: 7, unit: treatments, counted: events}",
     "'counted: events' needs 'of:'", "how_often: {kind: rate, rate: 7, unit: treatments, counted"),
    ("how_often: {kind: case-reports, cases: 2}", "how_often: {kind: case-series, studies: 3}",
     "'of' is missing", "how_often: {kind: case-series"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}",
     "how_often: {kind: rate, n: 76, of: 1000, unit: treatments, comparison: placebo}",
     "'comparison:' needs 'comparison_n:'", "how_often: {kind: rate, n: 76, of: 1000, unit: treatments, comparison"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}",
     "how_often: {kind: rate, rate: 7.6, unit: treatments, comparison_n: 5, comparison: placebo}",
     "'comparison_n:' needs 'n:' and 'of:'", "how_often: {kind: rate, rate: 7.6"),
    # issue 23: a relative risk can never be typed as an absolute one, and a benefit needs its denominator
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}", "how_often: {kind: rate, rr: 1.19, unit: people}",
     "a ratio ('rr:') is not a rate out of a number of people", "how_often: {kind: rate, rr"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}", "how_often: {kind: rate, rate: 1.19, unit: times as many people}",
     "describes a ratio, not a rate", "how_often: {kind: rate, rate: 1.19"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}", "how_often: {kind: relative, measure: RR, ratio: 1.6}",
     "'comparison' is missing", "how_often: {kind: relative"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}",
     "how_often: {kind: relative, measure: RR, ratio: 1.6, ratio_ci: [1.7, 2.0], comparison: placebo}",
     "ratio_ci does not contain the ratio 1.6", "how_often: {kind: relative"),
    ("how_often: {kind: rate, n: 76, of: 1000, unit: treatments}", "how_often: {kind: rate, n: 76, unit: treatments}",
     "'of' is missing", "how_often: {kind: rate, n: 76, unit"),
    ("    measure: MD\n    unit: points on a 0 to 10 scale\n    estimate: -1.5\n    ci: [-2.5, -0.5]",
     "    measure: proportions\n    event: felt better",
     "finding 'nd-pain-short': 'rates' is missing", "  - id: nd-pain-short"),    # a source's own "below the minimal important difference" never stands beside a verified MID
    ("    mid: pain-0-10-slight\n", "    mid: pain-0-10-slight\n    below_mid: true\n",
     "'below_mid: true' and 'mid:' both say how big the effect is", "    below_mid: true"),
    ("    mid: pain-0-10-slight\n", "    below_mid: yes please\n", "'below_mid' must be true or false", "    below_mid: yes"),
])
def test_bad_finding_fails_with_file_and_line(tmp_path, old, new, message, needle):
    changed = _treatment(old, new)
    err = failing(tmp_path, evidence=changed)
    line = _line_of(changed["treatments/needling.yml"], needle)
    assert f"evidence/treatments/needling.yml:{line}:" in err and message in err, err


def test_unknown_treatment_in_a_marker_names_page_and_line(tmp_path):
    page = NEEDLING_PAGE.replace("[[harms: needling]]", "[[harms: needlin]]")
    err = failing(tmp_path, pages={**PAGES, "needling.md": page})
    assert re.search(r"docs/needling\.md:\d+: unknown treatment 'needlin' -> did you mean 'needling'\?", err), err


def test_unknown_finding_on_a_page_names_page_and_line(tmp_path):
    page = OTHER_PAGE.replace("nd-pain-short | statement", "nd-pain-shrt | statement")
    err = failing(tmp_path, pages={**PAGES, "index.md": page})
    line = _line_of(page, "nd-pain-shrt")
    assert f"docs/index.md:{line}: unknown finding 'nd-pain-shrt' -> did you mean 'nd-pain-short'?" in err, err


def test_treatment_page_that_does_not_exist(tmp_path):
    err = failing(tmp_path, evidence=_treatment("  page: needling.md", "  page: needles.md"))
    assert "evidence/treatments/needling.yml:1: treatment 'needling': page 'needles.md' does not exist in docs/" in err


def test_treatment_with_no_harms_record(tmp_path):
    text = TREATMENT[: TREATMENT.index("harms:")]
    err = failing(tmp_path, evidence={"treatments/needling.yml": text})
    assert "evidence/treatments/needling.yml:1: treatment 'needling' has no harms record" in err


def test_treatment_page_that_hides_its_harms(tmp_path):
    page = NEEDLING_PAGE.replace("[[harms: needling]]\n", "")
    err = failing(tmp_path, pages={**PAGES, "needling.md": page})
    assert "docs/needling.md: treatment page of 'needling' does not show its harms -> add a line [[harms: needling]]" in err


def test_search_date_in_the_future(tmp_path):
    err = failing(tmp_path, evidence={"searches.yml": SEARCHES.replace("2026-01-05", "2099-01-05")})
    assert "evidence/searches.yml:3: search 'needling': 'searched' 2099-01-05 is in the future" in err


def test_impossible_date_and_bad_yaml_are_file_and_line_not_a_traceback(tmp_path):
    err = failing(tmp_path, evidence={"searches.yml": SEARCHES.replace("2026-01-05", "2026-13-05")})
    assert "evidence/searches.yml:3: '2026-13-05' is not a real date" in err
    err = failing(tmp_path / "b", evidence={"red-flags.yml": RED_FLAGS.replace("  urgency: emergency", "  urgency: [emergency")})
    assert "evidence/red-flags.yml:" in err and "not valid YAML" in err


def test_typed_certainty_in_front_matter_uses_markers_with_a_known_id(tmp_path):
    page = NEEDLING_PAGE.replace("  - First key message.", "  - \"Needling has [[finding: nd-nope | certainty]].\"")
    err = failing(tmp_path, pages={**PAGES, "needling.md": page})
    assert re.search(r"docs/needling\.md:\d+: unknown finding 'nd-nope'", err), err


def test_nothing_half_built_when_evidence_is_bad(tmp_path):
    site, result = build(tmp_path, evidence=_treatment("    certainty: low", "    certainty: lowish"))
    assert result.returncode != 0
    assert not (site.site_dir / "needling" / "index.html").exists()


def test_treatment_leaflet_is_built_from_the_data(built):
    soup = BeautifulSoup(built.html("handouts/needling"), "html.parser")
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert headings[:2] == ["What it is", "What it may do for you and its risks, in numbers"], headings
    assert "What matters to you" in headings
    text = soup.select_one("article").get_text(" ", strip=True)
    assert ("About 1.5 points less pain on a 0 to 10 scale than with a sham (fake) treatment or placebo" in text
            and "How sure we are: low certainty." in text)
    assert "Bruising: about 8 in 100 treatment sessions (per session) (time frame not stated)." in text
    assert "Serious harms: Collapsed lung: case reports only, how often is not known." in text
    assert "What it asks of you: Needles; a course of clinic visits" in text


def test_markup_in_evidence_text_is_refused_with_file_and_line(tmp_path):
    changed = _treatment("  what: A thin needle in the sore spot [@smith2020knots].",
                         "  what: A thin needle <script>alert(1)</script> [see](javascript:alert(1)).")
    err = failing(tmp_path, evidence=changed)
    assert "evidence/treatments/needling.yml:7: treatment: 'what': <script> is not allowed in content" in err, err
    assert "javascript:" in err


def test_handouts_print_the_warning_signs_of_their_own_page(built):
    # issue 21: the neck guide's handout printed a generic list without the guide's own signs
    def flags(url):
        return {s["data-red-flag"] for s in BeautifulSoup(built.html(url), "html.parser").select("[data-red-flag]")}
    assert flags("needling") == {"stroke", "calf"}
    assert flags("handouts/needling") >= flags("needling"), "the leaflet keeps the page's own warning signs"
    # a page that lists every sign: its handout prints those that need help now or today, and
    # says where the others are
    assert flags("") == {"stroke", "calf", "night"} and flags("handouts/home") == {"stroke", "calf"}
    assert "are not printed here" in built.html("handouts/home")


# ---------------------------------------------------------------------------
# The decision aid (issue 23): option grid, values step, summary, handouts
# ---------------------------------------------------------------------------

RATIO_HARM = """\
  - id: nd-soreness
    event: Soreness
    seriousness: minor
    how_often: {kind: relative, measure: RR, ratio: 1.6, ratio_ci: [1.2, 2.0], comparison: placebo, time_frame: 2 weeks}
    source: smith2020knots
  - id: nd-proportion-ok
    event: Fainting
    seriousness: serious
    how_often: {kind: rate, n: 3, of: 2000, unit: treatments, counted: events}
    source: smith2020knots
"""
GRID_PAGE = article("Options", """\
    [[values-step]]

    [[option-grid]]
    """)
MINE_PAGE = article("Mine", """\
    [[my-options]]
    """)


@pytest.fixture(scope="module")
def grid_site(tmp_path_factory):
    evidence = {"options.yml": OPTIONS, "treatments/needling.yml": TREATMENT + RATIO_HARM}
    site, result = build(tmp_path_factory.mktemp("grid"), {**PAGES, "options.md": GRID_PAGE, "mine.md": MINE_PAGE}, evidence)
    assert result.returncode == 0, result.stderr
    return site


def test_the_grid_shows_every_option_in_natural_frequencies_with_its_fit(grid_site):
    soup = BeautifulSoup(grid_site.html("options"), "html.parser")
    card = soup.select_one('details.tpg-opt[data-option="needling"]')
    assert card is not None and card["data-fit-needles"] == "no" and card["data-fit-cost"] == "no"
    assert card["data-fit-serious"] == "no"  # case reports of a collapsed lung
    text = card.get_text(" ", strip=True)
    # the MD on a 0 to 10 scale beside its comparison, the smallest noticeable change marked
    assert "About 1.5 points less pain on a 0 to 10 scale than with a sham (fake) treatment or placebo" in text
    assert "The smallest change most people notice is about 1 point: this is bigger than that." in text
    assert card.select_one("svg.tpg-ruler title").get_text().startswith("A difference of 1.5 points")
    # harms: one denominator per kind, per session said every time, a ratio never turned into "N in 100"
    assert "Bruising: about 8 in 100 treatment sessions (per session) (time frame not stated)." in text
    assert "Fainting: about 2 events per 1,000 treatment sessions (per session)" in text
    assert "Per session means counted per treatment session, not per person" in text
    assert "Soreness: more common than with placebo (about 1.6 times as common); how many in 100 was not reported." in text
    assert "Whether they were chosen because they had muscle knots is not clear" in text
    assert card.select("sup a.footnote-ref")  # cited
    # the values step: a form of radio groups that works without script, saying where answers are kept
    form = soup.select_one("form[data-values]")
    assert form is not None and len(form.select("fieldset")) == 7 and len(form.select("input[type=radio]")) == 21
    assert "never sent anywhere" in form.get_text() and "local storage" in form.get_text()


def test_the_options_handout_prints_every_option_of_the_grid(grid_site):
    page = BeautifulSoup(grid_site.html("options"), "html.parser")
    handout = BeautifulSoup(grid_site.html("handouts/options"), "html.parser")
    on_page = {d["data-option"] for d in page.select("details.tpg-opt")}
    on_paper = {r["data-option"] for r in handout.select(".tpg-gridtable tr[data-option]")}
    assert on_page and on_paper == on_page, (on_page, on_paper)
    # every option links to its page: Markdown links, resolved by the engine (never a raw ".md")
    for soup in (page, handout, BeautifulSoup(grid_site.html("mine"), "html.parser")):
        assert not soup.select('article a[href$=".md"]'), soup.select('article a[href$=".md"]')
    assert handout.select_one('.tpg-gridtable th a[href="../../needling/"]') is not None


def test_the_treatment_leaflet_gives_its_numbers_and_the_values_questions(grid_site):
    text = BeautifulSoup(grid_site.html("handouts/needling"), "html.parser").get_text(" ", strip=True)
    assert "What it may do for you and its risks, in numbers" in text
    assert "Bruising: about 8 in 100 treatment sessions (per session)" in text
    assert "What matters to you" in text and "How sure must the evidence be before I try something?" in text
    assert "Fainting: about 2 events per 1,000 treatment sessions (per session)" in text
    assert text.count("Per session means counted per treatment session") == 1  # once, after both figures


def test_the_summary_lists_every_option_and_the_search_date(grid_site):
    soup = BeautifulSoup(grid_site.html("mine"), "html.parser")
    form = soup.select_one("form[data-mine]")
    assert [i["value"] for i in form.select('input[name="option"]')] == ["needling"]
    assert all(r.has_attr("hidden") for r in form.select("tr[data-option]"))  # shown when ticked
    assert "The evidence was last searched on 5 January 2026." in form.get_text(" ", strip=True)


@pytest.mark.parametrize("options,message,needle", [
    (OPTIONS.replace("cost: paid", "cost: pricey"), "'cost' is 'pricey', not one of: free, low, paid", "  cost: pricey"),
    (OPTIONS.replace("option: needling", "option: needlng"), "option 'needlng' is not a treatment -> did you mean 'needling'?",
     "- option: needlng"),
    ("- option: wait-and-see\n  needles: false\n  clinic_visits: none\n  cost: free\n  do_yourself: \"yes\"\n"
     "  trigger_points: \"no\"\n",
     "no decision-aid facts for: needling", None),
])
def test_bad_option_facts_fail_with_file_and_line(tmp_path, options, message, needle):
    err = failing(tmp_path, evidence={"options.yml": options})
    where = f"evidence/options.yml:{_line_of(options, needle)}:" if needle else "evidence/options.yml:"
    assert where in err and message in err, err


# ---------------------------------------------------------------------------
# Open data (issue 25): every table's "Download this data" CSV holds exactly its rows
# ---------------------------------------------------------------------------


def test_download_this_data_gives_exactly_the_rows_of_its_table(built):
    import csv
    import posixpath

    soup = BeautifulSoup(built.html("needling"), "html.parser")
    seen = {}
    for link in soup.select(".tpg-download a[download]"):
        block = link.find_parent(class_="tpg-evidence-fold")
        path = posixpath.normpath(posixpath.join("needling/", link["href"]))
        rows = list(csv.DictReader((built.site_dir / path).open(encoding="utf-8")))
        if "/findings/" in path:
            shown = [r["data-finding"] for r in block.select(".tpg-sof tr[data-finding], [data-finding].tpg-finding-card")]
        else:
            shown = [r["data-harm"] for r in block.select("tr[data-harm]")]
        seen[path] = ([r["id"] for r in rows], shown)
    assert set(seen) == {"data/findings/needling.csv", "data/harms/needling.csv"}, seen
    for path, (in_file, on_page) in seen.items():
        assert in_file and sorted(in_file) == sorted(set(on_page)), (path, in_file, on_page)
    for name in ("datapackage.json", "findings.csv", "harms.csv", "evidence.json", "references.csl.json"):
        assert (built.site_dir / "data" / name).is_file(), name
