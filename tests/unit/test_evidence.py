"""Evidence words and YAML reading on small objects (no build)."""

import dataclasses
import datetime as dt
import re

import pytest

from tpguide import history, quality
from tpguide.evidence import render
from tpguide.evidence import model as m
from tpguide.evidence import words as w
from tpguide.yamlsource import load_text

VOCAB = m.Vocabulary(
    outcomes={"pain": m.Outcome("pain", "Pain", "pain", "reduce", "reduction", "lower"),
              "qol": m.Outcome("qol", "Quality of life", "quality of life", "improve", "improvement", "higher")},
    comparisons={"sham": m.Term("sham", "Sham", "a sham treatment"), "other-treatment": m.Term("other-treatment", "Other", "other treatments")},
    mids={"p10": m.Mid("p10", "pain", "points on a 0 to 10 scale", 1.0, "slightly better", "x")},
)
BASE = m.Finding(
    id="f", treatment="t", comparison="sham", comparison_detail="", population="p", region="neck", outcome="pain",
    timepoint="short", timepoint_detail="4 weeks", measure="SMD", unit="", estimate=-0.6, ci=(-0.9, -0.3), rates=None,
    effect="", result="", studies=3, participants=100, pooled=True, certainty="low", certainty_by="review",
    downgrades=("imprecision",), certainty_note="", mid="", better="lower", source="k", notes="", where=m.Where("x", 1),
)


def f(**changes):
    return dataclasses.replace(BASE, **changes)


@pytest.mark.parametrize("changes,expect", [
    ({"certainty": "high"}, "Compared with a sham treatment, needling reduces pain."),
    ({"certainty": "moderate"}, "Compared with a sham treatment, needling probably reduces pain."),
    ({}, "Compared with a sham treatment, needling may reduce pain."),
    ({"certainty": "very low"}, "Compared with a sham treatment, we are very uncertain whether needling reduces pain."),
    ({"estimate": -0.9, "ci": (-1.2, -0.6)}, "Compared with a sham treatment, needling may result in a large reduction in pain."),
    ({"estimate": -0.3, "ci": (-0.45, -0.21), "certainty": "moderate"}, "Compared with a sham treatment, needling probably reduces pain slightly."),
    ({"estimate": -0.05, "ci": (-0.15, 0.1), "certainty": "high"}, "Compared with a sham treatment, needling results in little to no difference in pain."),
    ({"estimate": -0.53, "ci": (-1.08, 0.02)}, "Compared with a sham treatment, it is not clear whether needling reduces pain: the results fit both a benefit and no difference."),
    ({"estimate": 0.5, "ci": (0.2, 0.8), "comparison": "other-treatment"}, "Needling may reduce pain less than other treatments."),
    ({"measure": "MD", "unit": "points on a 0 to 10 scale", "estimate": -0.5, "ci": (-0.9, -0.1), "mid": "p10"},
     "Compared with a sham treatment, needling may reduce pain slightly."),
    ({"measure": "MD", "unit": "points on a 0 to 10 scale", "estimate": -0.3, "ci": (-0.8, 0.2), "mid": "p10"},
     "Compared with a sham treatment, needling may result in little to no difference in pain."),
    ({"outcome": "qol", "better": "higher", "estimate": 0.6, "ci": (0.3, 0.9)}, "Compared with a sham treatment, needling may improve quality of life."),
    ({"measure": "narrative", "estimate": None, "ci": None, "effect": "no-difference", "comparison": "other-treatment"},
     "Compared with other treatments, needling may result in little to no difference in pain."),
])
def test_grade_statements(changes, expect):
    assert w.statement(f(**changes), VOCAB, "needling") == expect


def test_a_result_for_one_form_of_the_treatment_names_that_form():
    therapy = type("Treatment", (), {"short": "psychological therapy", "plural": False})()
    assert w.statement(f(certainty="moderate"), VOCAB, therapy) == (
        "Compared with a sham treatment, psychological therapy probably reduces pain.")
    assert w.statement(f(certainty="moderate", treatment_detail="CBT"), VOCAB, therapy) == (
        "Compared with a sham treatment, CBT probably reduces pain.")


def test_a_standardised_difference_says_which_side_it_favours_and_when_it_may_be_none():
    # BASE: SMD -0.6 (-0.9 to -0.3), lower is better
    assert w.plain_effect(f(), VOCAB) == (
        "a standardised difference of 0.6 in favour of the treatment (medium by a common rule of thumb)")
    unclear = f(estimate=-0.53, ci=(-1.08, 0.02))
    assert w.plain_effect(unclear, VOCAB).endswith(
        "(medium by a common rule of thumb, but the range of likely results includes no difference)")
    # a card names the treatment and keeps its interval inside the one bracket
    assert w.plain_effect(unclear, VOCAB, who="hands-on therapy", ci="95% CI −0.02 to 1.08") == (
        "a standardised difference of 0.53 in favour of hands-on therapy (95% CI −0.02 to 1.08: medium by a common "
        "rule of thumb, but the range of likely results includes no difference)")
    assert "in favour of the comparison" in w.plain_effect(f(estimate=0.4, ci=(0.1, 0.7)), VOCAB)


def test_a_statement_names_a_plain_placebo_in_the_sources_words():
    gel = f(comparison_detail="a placebo (dummy) gel", certainty="high")
    assert w.statement(gel, VOCAB, "a diclofenac gel") == "Compared with a placebo (dummy) gel, a diclofenac gel reduces pain."
    # a longer or counted description keeps the vocabulary's phrase
    for detail in ("placebo needling (4 trials)", "sham dry needling, with participants blinded", "a sham device"):
        assert w.statement(f(comparison_detail=detail), VOCAB, "needling").startswith("Compared with a sham treatment,")
    assert w.statement(f(comparison="other-treatment", comparison_detail="placebo"), VOCAB, "needling").startswith(
        "Compared with other treatments,")


def test_shares_read_as_counts_out_of_100_with_what_was_counted_and_when():
    share = f(measure="proportions", rates=(78, 20), estimate=None, ci=None, event="had their pain at least halved",
              timepoint_detail="at the end of each trial")
    assert w.numbers(share) == ("78 in 100 had their pain at least halved with treatment, against 20 in 100 with "
                                "the comparison, at the end of each trial")
    assert w.numbers(dataclasses.replace(share, event="", timepoint_detail="")) == (
        "78 in 100 with treatment, against 20 in 100 with the comparison")
    # whole numbers, rounded half up as the "out of 100" pictures are: never "54.9 in 100"
    assert w.numbers(dataclasses.replace(share, rates=(54.9, 40.5), event="", timepoint_detail="")) == (
        "55 in 100 with treatment, against 41 in 100 with the comparison")


def test_numbers_keep_the_printed_decimals_and_a_true_minus():
    # each number as written (YAML drops trailing zeros, so "decimals" keeps a source's "-0.40")
    assert w.numbers(f(estimate=-7.83, ci=(-17.1, 0.08))) == "SMD −7.83 (95% CI −17.1 to 0.08)"
    assert w.numbers(f(estimate=-0.81, ci=(-1.21, -0.40))) == "SMD −0.81 (95% CI −1.21 to −0.4)"
    assert w.numbers(f(estimate=-0.81, ci=(-1.21, -0.40), decimals=2)) == "SMD −0.81 (95% CI −1.21 to −0.40)"
    assert w.numbers(f(estimate=-2.0, ci=(-3.4, -0.6), decimals=2)) == "SMD −2.00 (95% CI −3.40 to −0.60)"


def test_mid_verdicts():
    md = dict(measure="MD", unit="points on a 0 to 10 scale", mid="p10")
    assert w.noticeable(f(estimate=-2.31, ci=(-3.64, -0.99), **md), VOCAB)[0] == "yes"
    assert w.noticeable(f(estimate=-0.51, ci=(-0.95, -0.06), **md), VOCAB)[0] == "no"
    assert w.noticeable(f(), VOCAB)[0] == "unknown"
    assert "more than 1 point on a 0 to 10 scale" in w.noticeable(f(estimate=-2.31, ci=(-3.64, -0.99), **md), VOCAB)[1]
    # below the MID, but the range reaches past it: said, so "probably not" is not read as "no"
    reaches = w.noticeable(f(estimate=-0.77, ci=(-1.42, -0.12), **md), VOCAB)
    assert reaches[0] == "no" and reaches[1].endswith("The range of likely values also includes changes big enough to notice.")
    assert "big enough" not in w.noticeable(f(estimate=-0.51, ci=(-0.95, -0.06), **md), VOCAB)[1]


# Review: a calf page's line said "Dry needling probably reduces pain" for a heel pain trial whose
# authors called the difference smaller than the minimal important difference.
def test_a_source_that_says_below_the_mid_reads_slight_and_probably_not_noticed():
    md = dict(measure="MD", unit="mm on a 0 to 100 mm scale", estimate=-14.4, ci=(-23.5, -5.2), certainty="moderate")
    assert w.statement(f(**md), VOCAB, "needling", with_comparison=False) == "Needling probably reduces pain."
    assert w.noticeable(f(**md), VOCAB)[0] == "unknown"
    below = f(below_mid=True, **md)
    assert w.statement(below, VOCAB, "needling", with_comparison=False) == "Needling probably reduces pain slightly."
    verdict, text = w.noticeable(below, VOCAB)
    assert verdict == "no" and text.startswith("Probably not: the study's authors say")
    assert w.noticeable(below, VOCAB, short=True)[1].startswith("Probably too small to notice")
    # an interval that includes no difference stays "not clear", whatever the authors add
    assert "it is not clear" in w.statement(f(below_mid=True, **{**md, "ci": (-23.5, 2.0)}), VOCAB, "needling")


def test_a_single_findings_gist_says_who_was_studied():
    store = m.EvidenceStore(vocab=dataclasses.replace(VOCAB, timepoints={"short": m.Term("short", "Short term")}))
    store.treatments["t"] = m.Treatment(id="t", name="Needling", short="needling", kind="treatment", page="t.md", what="",
                                        burden="", self_help="", headline={}, where=m.Where("x", 1))
    one = f(id="t-heel", population="84 people with heel pain for at least a month")
    assert render.findings_gist(store, [one]).startswith("1 finding, in 84 people with heel pain for at least a month. Needling")
    assert render.findings_gist(store, [one, f(id="t-two")]).startswith("2 findings. Needling")


def test_how_often_wording():
    harm = m.Harm("h", "t", "Bruising", "minor", m.HowOften(kind="rate", n=1463, of=7629, unit="treatments"), "k", "", m.Where("x", 1))
    assert w.how_often(harm) == "1,463 of 7,629 treatments (19.2%)"
    none = dataclasses.replace(harm, how_often=m.HowOften(kind="none-seen", of=7629, unit="treatments", upper_rate=0.04))
    assert w.how_often(none) == "None seen in 7,629 treatments (so probably at most 4 in 10,000, or 0.04%)"


@pytest.mark.parametrize("changes,expect", [
    ({"studies": 1, "participants": 42, "pooled": False}, "1 study, 42 people"),
    ({"studies": 5, "participants": 280, "pooled": True}, "5 studies, 280 people, pooled"),
    ({"studies": 15, "participants": None, "pooled": False}, "15 studies, not pooled"),
    ({"studies": None, "participants": None, "pooled": True}, "several studies pooled"),
    ({"studies": None, "participants": None, "pooled": False}, "several studies, not pooled"),
    ({"studies": 36, "participants": None, "pooled": False, "study_kind": "review"}, "36 systematic reviews, not pooled"),
    ({"studies": 1, "participants": None, "pooled": False, "study_kind": "review"}, "1 systematic review, not pooled"),
])
def test_one_study_several_not_pooled_and_pooled_are_told_apart(changes, expect):
    # the fact-check found "15 studies (a single study)" and an umbrella review "(pooled)" that pooled nothing
    finding = f(**changes)
    assert w.evidence_base(finding) == expect
    assert w.synthesis(finding) == (w.SINGLE if expect.startswith("1 study") else w.POOLED if "pooled" in expect
                                    and "not pooled" not in expect else w.NOT_POOLED)


def test_finding_card_says_how_the_studies_were_combined():
    from tpguide.evidence import render
    store = m.EvidenceStore(vocab=dataclasses.replace(
        VOCAB, regions={"neck": m.Term("neck", "Neck")}, timepoints={"short": m.Term("short", "Short term")}))
    store.treatments["t"] = m.Treatment(id="t", name="Needling", short="needling", kind="treatment", page="t.md", what="",
                                        burden="", self_help="", headline={}, where=m.Where("x", 1))
    for studies, pooled, words in ((15, False, "15 studies, 100 people, not pooled"), (1, False, "1 study, 100 people"),
                                   (4, True, "4 studies, 100 people, pooled")):
        card = render.finding_card(store, f(studies=studies, pooled=pooled))
        assert words in card
        assert "(a single study)" not in card and "(pooled)" not in card


def test_harm_rates_say_what_they_count():
    def harm(**how):
        return m.Harm("h", "t", "Bruising", "minor", m.HowOften(kind="rate", **how), "k", "", m.Where("x", 1))
    # events, not people: a survey counting side effects per treatment session (Brady 2014)
    assert w.how_often(harm(n=1463, of=7629, unit="treatments", counted="events")) == (
        "about 19 events per 100 treatments (1,463 events in 7,629 treatments; events, not people: "
        "one person can have more than one)")
    assert w.how_often(harm(rate=7.55, of=7629, unit="treatments", counted="events")).startswith(
        "about 8 events per 100 treatments (7.55 per 100, in a study of 7,629 treatments;")
    # rarer than 1 in 100: per 1,000, as the decision aid says it, with the source's own figure
    assert w.how_often(harm(n=20, of=20494, unit="treatments", counted="events")) == (
        "about 1 event per 1,000 treatments (20 events in 20,494 treatments; events, not people: "
        "one person can have more than one)")
    assert w.how_often(harm(rate=0.88, of=7629, unit="treatments", counted="events")).startswith(
        "about 9 events per 1,000 treatments (0.88 per 100, in a study of 7,629 treatments;")
    # a range is never shown as one pooled figure
    text = w.how_often(harm(rate_range=(0.007, 0.13), unit="patients"))
    assert text.startswith("between 0.007% and 0.13% of patients") and "not one pooled rate" in text
    series = m.Harm("b", "t", "Burns", "serious", m.HowOften(kind="case-series", studies=10, of=1343), "k", "", m.Where("x", 1))
    assert w.how_often(series) == ("Known from 10 studies of 1,343 people treated for it, not from people who used it: "
                                   "how often it happens is not known")
    assert "not known" in w.how_often_brief(series) and "case reports" not in w.how_often(series)


def test_a_harms_summary_leads_with_a_harm_that_happens(real_store):
    # "no clear difference from placebo" must not stand for a treatment's serious harms when another
    # one (liver damage after an overdose of paracetamol) is known to happen
    def harm(hid, **how):
        return m.Harm(hid, "t", hid, "serious", m.HowOften(**how), "k", "", m.Where("x", 1))
    same = harm("same", kind="relative", measure="RR", ratio=1.2, ratio_ci=(0.7, 2.1), comparison="placebo", unit="people")
    fewer = harm("fewer", kind="no-data", direction="less", comparison="placebo")
    overdose = harm("overdose", kind="no-data")
    more = harm("more", kind="relative", measure="RR", ratio=1.5, ratio_ci=(1.1, 2.0), comparison="placebo", unit="people")
    fewer_counted = harm("counted", kind="rate", n=19, of=1000, comparison_n=21, comparison="placebo", unit="people")
    more_counted = harm("counted", kind="rate", n=30, of=1000, comparison_n=21, comparison="placebo", unit="people")
    alone = harm("alone", kind="rate", n=3, of=1000, unit="people")
    assert [w.reassuring(h) for h in (same, fewer, overdose, more, fewer_counted, more_counted, alone)] == [
        True, True, False, False, True, False, False]
    assert w.how_often_brief(overdose) == "how often is not known"
    gist = render.harms_gist(real_store, real_store.treatments["paracetamol"])
    serious = gist.split("Serious: ", 1)[1]
    assert serious.startswith("liver damage after too much paracetamol") and "more in the table" in serious
    # the same harm on every page that shows one: the summary sheet, leaflets and option cards
    from tpguide.evidence import grid
    para = real_store.treatments["paracetamol"]
    assert grid.brief_harm(real_store, para, "serious").startswith("Liver damage after too much paracetamol")
    assert render.harms_by_kind(real_store, para, "serious")[-1].id == "para-serious-side-effects"


def test_yaml_keeps_the_line_of_every_value():
    data, problems = load_text("a: 1\nb:\n  - x: 2026-01-01\n  - y\nc: {d: 2}\n", "f.yml")
    assert problems == []
    assert data.line_of("b") == 2 and data["b"].line_of(1) == 4 and data["b"][0].line_of("x") == 3
    assert data.line_of("c") == 5 and data["c"].line_of("d") == 5


def test_yaml_problems_name_file_and_line():
    for text, line, words in (("a: 1\nb: 2026-13-01\n", 2, "not a real date"),
                              ("a: 1\na: 3\n", 2, "appears twice"),
                              ("a: [1, 2\n", 2, "not valid YAML")):
        data, problems = load_text(text, "f.yml")
        assert data is None and len(problems) == 1
        assert str(problems[0]).startswith(f"f.yml:{line}:") and words in str(problems[0]), problems


@pytest.mark.parametrize("text,hits", [
    ("Pain fell (SMD −0.53, 95% CI −1.08 to 0.02).", 2),
    ("The certainty is low.", 1),
    ("Low-certainty evidence.", 1),
    ('"Low certainty" means the true effect may differ.', 0),
    ("It fell [[finding: dn-x]] in 42 trials.", 0),
    ("`SMD -0.5` in code", 0),
])
def test_typed_numbers_are_found_outside_markers_code_and_quotes(text, hits):
    assert len(quality.typed_numbers(text)) == hits


def test_bare_points_and_percent_only_on_treatment_pages():
    assert quality.typed_numbers("14% improved, 2.3 points less.") == []
    assert len(quality.typed_numbers("14% improved, 2.3 points less.", bare=True)) == 2


def test_plain_words_follow_the_outcome_not_the_sign_of_the_scale():
    md = dict(measure="MD", unit="points on a 0 to 10 scale", estimate=-2.31, ci=(-3.64, -0.99))
    assert w.plain_effect(f(**md), VOCAB) == "about 2.3 points less pain (on a 0 to 10 scale)"
    better = dict(measure="MD", unit="points on the DASH", estimate=7.7, ci=(1.2, 14.2), outcome="qol", better="higher")
    assert w.plain_effect(f(**better), VOCAB) == "an improvement of about 7.7 points in quality of life (on the DASH)"


def test_a_findings_gist_adds_the_fake_treatment_comparison_of_the_same_treatment():
    from tpguide.evidence import render
    store = m.EvidenceStore(vocab=dataclasses.replace(
        VOCAB, timepoints={"short": m.Term("short", "Short term")}, regions={"neck": m.Term("neck", "Neck")}))
    for tid, name in (("t", "Needling"), ("u", "Waves")):
        store.treatments[tid] = m.Treatment(id=tid, name=name, short=name.lower(), kind="treatment", page=f"{tid}.md",
                                            what="", burden="", self_help="", headline={"pain": f"{tid}-main"},
                                            where=m.Where("x", 1))
    main = f(id="t-main", comparison="other-treatment", estimate=-0.6, ci=(-0.9, -0.3))
    sham = f(id="t-sham", comparison="sham", estimate=-0.05, ci=(-0.3, 0.2), certainty="moderate")
    other = f(id="u-sham", treatment="u", comparison="sham", estimate=-0.05, ci=(-0.3, 0.2), certainty="high")
    gist = render.findings_gist(store, [main, sham], lead="Found: ")
    assert gist.startswith("Found: 2 findings. Needling may reduce pain")
    assert "Compared with a fake (sham) treatment: it is not clear whether needling reduces pain" in gist
    # the pooled sham-controlled result speaks for the comparison, not a surer single trial that reads better
    single = f(id="t-sham-1", comparison="sham", estimate=-1.4, ci=(-2.0, -0.8), certainty="moderate", studies=1, pooled=False)
    pooled = f(id="t-sham-4", comparison="sham", estimate=-0.3, ci=(-0.9, 0.3), certainty="low", studies=4, pooled=True)
    fair = render.findings_gist(store, [main, single, pooled])
    assert "Compared with a fake (sham) treatment: it is not clear whether needling reduces pain" in fair, fair
    assert "(short term, low certainty)" in fair.split("fake (sham)")[1]
    # a table of several treatments never borrows another treatment's sham comparison
    mixed = render.findings_gist(store, [main, other])
    assert "Compared with a fake" not in mixed or mixed.split("Compared with a fake")[0].lower().count("waves")


def test_a_harm_with_its_comparison_group_reads_both_out_of_the_same_number():
    how = m.HowOften(kind="rate", n=95, of=1000, unit="people taking an NSAID", comparison_n=111,
                     comparison="placebo tablets", time_frame="1 day to 12 weeks")
    harm = m.Harm("h", "t", "Any side effect", "minor", how, "k", "", m.Where("x", 1))
    assert w.how_often(harm) == ("95 in 1,000 people taking an NSAID, against 111 in 1,000 with placebo tablets, "
                                 "over 1 day to 12 weeks")


@pytest.mark.parametrize("day,months,expect", [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)), (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
    (dt.date(2026, 12, 1), 12, dt.date(2027, 12, 1)), (dt.date(2026, 11, 30), 3, dt.date(2027, 2, 28)),
    (dt.date(2026, 5, 15), 0, dt.date(2026, 5, 15)),
])
def test_next_search_dates_add_calendar_months(day, months, expect):
    assert m.add_months(day, months) == expect


def test_only_searches_that_found_nothing_new_become_update_log_lines():
    where = m.Where("evidence/searches.yml", 1)
    search = m.Search(topic="x", label="Dry needling", searched=dt.date(2026, 3, 1), where_searched=("PubMed",), terms="",
                      notes="", where=where, outcome="no change", earlier=(
                          m.SearchRun(dt.date(2025, 9, 1), "changed", ""), m.SearchRun(dt.date(2025, 3, 1), "no change", "")))
    assert search.next_due == dt.date(2027, 3, 1) and search.overdue(dt.date(2027, 3, 1)) and not search.overdue(dt.date(2027, 2, 28))
    assert history.search_checks([search]) == (
        history.Change(dt.date(2026, 3, 1), "Evidence on dry needling searched again: checked, no change."),
        history.Change(dt.date(2025, 3, 1), "Evidence on dry needling searched again: checked, no change."))
    page = history.page_history({"update_log": [{"date": dt.date(2026, 2, 1), "change": "New figures."}]}, "p.md",
                                history.GitLog(), history.search_checks([search]))
    assert [c.date for c in page.entries] == [dt.date(2026, 3, 1), dt.date(2026, 2, 1), dt.date(2025, 3, 1)]
    assert page.last_updated == dt.date(2026, 2, 1)  # a search that changed nothing does not update the page


# Emergency numbers become links a phone can call, written either way round; other numbers stay text.
def test_emergency_numbers_become_call_links():
    from tpguide.evidence import render
    out = render.call_links("Call (UK 999, Europe 112, North America 911, Australia 000, New Zealand 111) now.")
    for number in ("999", "112", "911", "000", "111"):
        assert f'<a href="tel:{number}">{number}</a>' in out
    assert out.startswith("Call (UK <a href=") and "New Zealand <a href" in out
    assert render.call_links("999 in the UK") == '<a href="tel:999">999</a> in the UK'
    assert render.call_links("1999 people, UK 1999, 112 steps") == "1999 people, UK 1999, 112 steps"
    assert render.call_links("111 only in New Zealand") == '<a href="tel:111">111</a> only in New Zealand'


# Review (a UK physiotherapist): "New Zealand 111" among the emergency numbers, beside "NHS 111" for
# advice today, could send a UK reader to 111 in an emergency. The UK's 999 comes first and New
# Zealand's 111 stands apart.
def test_the_emergency_line_gives_the_uk_999_first_and_111_as_new_zealands_only(real_store):
    from tpguide.evidence import render
    emergency = real_store.vocab.urgencies["emergency"].phrase
    assert emergency.index("UK 999") < emergency.index("; in New Zealand 111)")
    assert render.EMERGENCY_NUMBERS in emergency
    linked = render.call_links(render.EMERGENCY_NUMBERS)
    for number in ("999", "112", "911", "000", "111"):
        assert f'<a href="tel:{number}">{number}</a>' in linked


# A span of search dates reads as one ("between 1 and 6 December 2026"), not "1 December 2026 to
# 6 December 2026" (a patient reviewer found it odd).
def test_a_span_of_dates_reads_as_one():
    import datetime as dt

    d = dt.date
    assert w.when_searched(d(2026, 1, 5), d(2026, 1, 5)) == "on 5 January 2026"
    assert w.when_searched(d(2026, 12, 1), d(2026, 12, 6)) == "between 1 and 6 December 2026"
    assert w.when_searched(d(2026, 11, 30), d(2026, 12, 6)) == "between 30 November and 6 December 2026"
    assert w.when_searched(d(2025, 12, 1), d(2026, 1, 6)) == "between 1 December 2025 and 6 January 2026"


# A folded group's summary line says what to do about its signs, in the number it has.
@pytest.mark.parametrize("n, expect", [(1, "1 more sign: mention it at your next appointment"),
                                       (2, "2 more signs: mention them at your next appointment")])
def test_a_folded_group_of_signs_says_what_to_do_in_the_right_number(n, expect, real_store):
    routine = [f for f in real_store.red_flags.values() if f.urgency == "routine"][:n]
    emergency = [f for f in real_store.red_flags.values() if f.urgency == "emergency"][:1]
    assert len(routine) == n
    html = render.red_flags_block(real_store, emergency + routine, title="Signs", key="k", fold=("routine",))
    assert f"<summary>{expect}</summary>" in html


# Review: "against advice to rest in bed, over as the trials measured it" did not read.
@pytest.mark.parametrize("detail, expect", [
    ("after 5 days", ", after 5 days"),
    ("as the trials measured it", ", as the trials measured it"),
    ("short term, as the review defined it", ", in the short term, as the review defined it"),
    ("longer-term follow-up, as the review defined it", ", at the longer-term follow-up, as the review defined it"),
    ("6 to 12 months after treatment", ", 6 to 12 months after treatment"),
    ("3 to 13 weeks", ", over 3 to 13 weeks"),
    ("the follow-up of each trial", ", at the follow-up of each trial"),
    ("the end of treatment", ", at the end of treatment"),
    ("6 weeks, after one session a week", ", over 6 weeks, after one session a week"),
    ("1 to 4 weeks after treatment", ", 1 to 4 weeks after treatment"),
    ("pain over the past 7 days, after 12 weeks", " (pain over the past 7 days, after 12 weeks)"),
    ("", ""),
])
def test_a_time_point_joins_the_sentence(detail, expect):
    from tpguide.evidence import grid
    assert grid._when(detail) == expect


# Review: "78 in 100 ... with anti-inflammatory gels" was the result of one diclofenac gel.
def test_a_chance_names_the_form_of_the_treatment_that_was_tested(real_store):
    from tpguide.evidence import grid
    f = real_store.findings["tnsaid-diclofenac-acute"]
    t = real_store.treatments[f.treatment]
    assert f.treatment_detail == "a diclofenac gel"
    assert "78 in 100 had their pain at least halved with a diclofenac gel, against 20 in 100" in grid.chance_text(real_store, f, t)
    assert "with a diclofenac gel" in render.chance(real_store, f, "medicines/")
    plain = dataclasses.replace(f, treatment_detail="")
    assert f"with {t.name[:1].lower() + t.name[1:]}, against" in grid.chance_text(real_store, plain, t)


# Review: the dry needling leaflet gave the lower of two surveys' rates of mild side effects.
def test_of_two_counted_rates_of_a_harm_the_higher_comes_first(real_store):
    minor = render.harms_by_kind(real_store, real_store.treatments["dry-needling"], "minor")
    ids = [h.id for h in minor]
    assert ids.index("dn-any-minor-2020") < ids.index("dn-any-minor-2014")
    # a range from several studies counts by its top: soreness in 29 to 91 in 100 people leads
    assert ids[0] == "dn-soreness-per-person" and minor[0].how_often.rate_range[1] > 36.7
    kinds = [m.HARM_KINDS.index(h.how_often.kind) for h in minor]
    assert kinds == sorted(kinds), "counted harms still come before the others"


# Review: a four-sign box broke across pages, its needling sign parted from its heading. A short
# box is marked to print on one page; a long one may break.
def test_a_short_warning_box_is_marked_to_print_whole(real_store):
    flags = list(real_store.red_flags.values())
    short = render.red_flags_block(real_store, flags[:render.SHORT_BOX], title="Signs", key="k")
    long = render.red_flags_block(real_store, flags[:render.SHORT_BOX + 1], title="Signs", key="k")
    assert 'class="admonition danger tpg-redflags tpg-redflags--short"' in short
    assert "tpg-redflags--short" not in long


# Review: "(low certainty 7) 7" when a sentence cites, right after the marker, the source the
# finding already cites. The marker's own citation is dropped then, and kept otherwise.
def test_a_finding_marker_does_not_cite_its_source_twice(real_store):
    from tpguide.evidence import markers
    f = real_store.findings["onsaid-neck"]
    again = f"Thin ([[finding: onsaid-neck | certainty]]) [@{f.source}]."
    out, problems, _ = markers.expand(again, real_store, path="p.md", src_uri="p.md", page_url="p/")
    assert not problems and out.count(f"[@{f.source}]") == 1 and out.endswith(f"</span>) [@{f.source}].")
    other = "Thin ([[finding: onsaid-neck | certainty]]) [@nice2016low]."
    out, _, _ = markers.expand(other, real_store, path="p.md", src_uri="p.md", page_url="p/")
    assert f"</span>[@{f.source}]) [@nice2016low]." in out


# Review: "From 5 studies, 1,201 people, pooled: adults with acute low back pain (5 trials, 1,201
# people)" said the counts twice.
def test_who_was_studied_does_not_repeat_the_counts(real_store):
    from tpguide.evidence import grid
    f = real_store.findings["tnsaid-diclofenac-acute"]
    assert f.population.endswith("(2 trials, 314 people)")
    text = grid.chance_text(real_store, f, real_store.treatments[f.treatment])
    assert text.endswith("adults with a recent strain, sprain or overuse injury, using diclofenac gel.")
    assert grid._who(dataclasses.replace(f, population="People in (one) clinic")) == "people in (one) clinic."


# Fact-check: "Yet Examiners agreed only moderately" and "which is Examiners ...": a sentence a marker
# writes inside someone else's sentence starts in lower case; at a sentence start it keeps its capital.
@pytest.mark.parametrize("before, mid", [
    ("Yet ", True), ("by hand, which is ", True), ("For dry needling: ", True), ("- **Gel**, for a sprain: ", True),
    ("", False), ("It was small. ", False), ("- ", False), ("1. ", False), ("**In short.** ", False), ("<p>", False),
])
def test_a_marker_inside_a_sentence_starts_in_lower_case(real_store, before, mid):
    from tpguide.evidence import markers
    assert markers.mid_sentence(before) is mid
    out, problems, _ = markers.expand(before + "[[finding: palp-agreement-2017 | statement]].", real_store,
                                      path="p.md", src_uri="p.md", page_url="p/")
    assert not problems
    assert ("examiners agreed" if mid else "Examiners agreed") in out
    key_message, _ = markers.expand_plain(before + "[[finding: palp-agreement-2017 | statement]]", real_store, path="p.md", line=1)
    assert key_message.startswith(before + ("examiners" if mid else "Examiners"))
    # a name in capitals keeps them
    assert render._lower_first("CBT probably reduces pain") == "CBT probably reduces pain"


# Review (a patient on a phone): "Pain, right after treatmentRight after treatment." The cell keeps a
# space before its small print, and a time that only repeats the label is not said twice.
def test_a_summary_row_does_not_run_its_label_into_a_repeat_of_it(real_store):
    same = next(f for f in real_store.findings.values() if f.measure != "kappa"
                and real_store.vocab.timepoints[f.timepoint].label.lower() == f.timepoint_detail.rstrip(".").lower())
    other = next(f for f in real_store.findings.values() if f.measure != "kappa" and f.timepoint_detail
                 and real_store.vocab.timepoints[f.timepoint].label.lower() != f.timepoint_detail.rstrip(".").lower())
    for f in (same, other):
        html = render.summary_table(real_store, [f], caption="c", page_url="p/")
        cell = re.search(r'data-label="Outcome and when"[^>]*>(.*?)</t[dh]>', html).group(1)
        label = real_store.vocab.timepoints[f.timepoint].label.lower()
        assert f"{label} <small>" in cell, cell
        assert (w.cap(f.timepoint_detail) in cell) is (f is other), cell


# A fact-checker read "reported case reports only (1 case): how often it happens is not known ... case
# reports only (1 case) ..." in one sentence: "| cite" keeps the page tied to the record and cites its
# source, where the sentence already says what happened; an unknown form is refused.
def test_a_harm_marker_can_give_only_its_source(real_store):
    from tpguide.evidence import markers
    out, problems, _ = markers.expand("Reported in case reports [[harm: dn-pneumothorax-case | cite]].", real_store,
                                      path="p.md", src_uri="p.md", page_url="p/")
    assert not problems
    assert '<span class="tpg-harm" data-harm="dn-pneumothorax-case" hidden></span>[@patel2019dry]' in out
    assert "how often" not in out
    _, problems, _ = markers.expand("[[harm: dn-pneumothorax-case | loud]]", real_store, path="p.md", src_uri="p.md", page_url="p/")
    assert problems and "unknown harm form 'loud'" in problems[0].message
