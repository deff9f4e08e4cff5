"""The decision aid's numbers (tpguide.evidence.grid): natural frequencies with one denominator,
per-session harms labelled, ratios never turned into counts, pain on a 0 to 10 scale, fit words."""

import dataclasses
import datetime as dt
import re

import pytest

from tpguide.evidence import grid
from tpguide.evidence import model as m
from tpguide.evidence import render
from tpguide.evidence import words as w


def how(**kw) -> m.HowOften:
    return m.HowOften(**{"kind": "rate", **kw})


def harm(o: m.HowOften, event="Bruising", seriousness="minor") -> m.Harm:
    return m.Harm("h", "t", event, seriousness, o, "k", "", m.Where("x", 1))


@pytest.mark.parametrize("o,expect", [
    # people, both groups out of the same number: shown out of 100, the comparison beside it
    (how(n=95, of=1000, unit="people taking an NSAID", comparison_n=111, comparison="placebo tablets"),
     "about 10 in 100 people taking an NSAID, against 11 in 100 with placebo tablets"),
    # rarer than 1 in 100: out of 1,000
    (how(n=3, of=1000, unit="people a year"), "about 3 in 1,000 people a year"),
    (how(n=20, of=20494, unit="treatments", counted="events"), "about 1 event per 1,000 treatment sessions (per session)"),
    (how(n=1, of=20494, unit="treatments", counted="events"), "fewer than 1 event per 1,000 treatment sessions (per session)"),
    # a percentage, and a range that is never pooled
    (how(rate=41.0, unit="patients"), "about 41 in 100 patients"),
    (how(rate_range=(29.4, 91.0), unit="people"), "between 29 and 91 in 100 people"),
    # below 10, both ends keep one decimal, rounded half up: 0.13% is 1.3 in 1,000, not 1, and the
    # ends never cross
    (how(rate_range=(0.007, 0.13), unit="patients"), "from fewer than 0.1 up to 1.3 in 1,000 patients"),
    (how(rate_range=(0.01, 0.13), unit="patients"), "between 0.1 and 1.3 in 1,000 patients"),
    (how(rate_range=(0.001, 0.13), unit="patients"), "from fewer than 0.1 up to 1.3 in 1,000 patients"),
    (how(rate_range=(0.2, 0.5), unit="patients"), "between 2 and 5 in 1,000 patients"),
    (how(rate_range=(0.26, 0.29), unit="people"), "between 2.6 and 2.9 in 1,000 people"),
    (how(rate_range=(0.025, 0.095), unit="people"), "between 0.3 and 1 in 1,000 people"),
    (how(rate_range=(2.0, 7.45), unit="people"), "between 2 and 7.5 in 100 people"),
    (how(rate_range=(2.0, 9.95), unit="people"), "between 2 and 10 in 100 people"),
])
def test_harm_rates_become_natural_frequencies(o, expect):
    assert grid.frequency(o) == expect


def test_a_ratio_is_never_shown_as_a_count():
    o = m.HowOften(kind="relative", measure="RR", ratio=1.19, ratio_ci=(1.09, 1.30), comparison="no exercise")
    assert grid.frequency(o) is None
    line = grid.harm_line(harm(o, "Minor problems"))
    assert line == "Minor problems: more common than with no exercise (about 1.2 times as common); how many in 100 was not reported."
    assert "extra" not in w.ratio_words(o) and "in 6" not in w.ratio_words(o)
    unclear = m.HowOften(kind="relative", measure="RR", ratio=1.2, ratio_ci=(0.7, 2.1), comparison="placebo tablets")
    assert w.ratio_direction(unclear) == "no clear difference from placebo tablets"


def test_a_harm_whose_source_gives_only_its_direction_is_not_not_known():
    o = m.HowOften(kind="no-data", searched=("the review",), as_of=dt.date(2026, 12, 6), direction="more",
                   comparison="placebo")
    assert w.how_often_brief(harm(o)) == "more common than with placebo; how many in 100 not reported"
    assert w.how_often(harm(o)).startswith("More common than with placebo, but how often was not reported")


def test_per_session_rates_say_so_and_the_time_frame_is_always_given():
    o = how(n=1463, of=7629, unit="treatments", counted="events")
    assert grid.per_session(o) and not grid.per_session(how(n=5, of=100, unit="people"))
    assert grid.harm_line(harm(o)) == "Bruising: about 19 events per 100 treatment sessions (per session) (time frame not stated)."
    timed = how(n=5, of=100, unit="people", time_frame="12 weeks")
    assert grid.harm_line(harm(timed)).endswith(", over 12 weeks.")


VOCAB = m.Vocabulary(
    outcomes={"pain": m.Outcome("pain", "Pain", "pain", "reduce", "reduction", "lower")},
    comparisons={"sham": m.Term("sham", "Sham or placebo", "a sham (fake) treatment or placebo")},
    mids={"pain-0-100-10": m.Mid("pain-0-100-10", "pain", "points on a 0 to 100 scale", 10.0, "", "k")},
)


def finding(**kw) -> m.Finding:
    base = dict(id="f", treatment="t", comparison="sham", comparison_detail="", population="Adults", region="neck",
                outcome="pain", timepoint="short", timepoint_detail="up to 3 weeks", measure="MD",
                unit="points on a 0 to 100 scale", estimate=-7.29, ci=(-10.98, -3.61), studies=4, participants=815,
                pooled=True, certainty="moderate", certainty_by="review", downgrades=(), certainty_note="",
                mid="pain-0-100-10", source="k", notes="", rates=None, effect="", result="", better="lower",
                where=m.Where("x", 1))
    base.update(kw)
    return m.Finding(**base)


def test_pain_on_a_0_to_100_scale_is_shown_out_of_10_with_the_noticeable_change():
    store = m.EvidenceStore(vocab=VOCAB)
    est, ci, mid = grid.on_0_to_10(store, finding())
    assert (round(est, 2), round(ci[0], 2), mid) == (-0.73, -1.1, 1.0)
    t = m.Treatment("t", "Tablets", "tablets", "medicine", "p.md", "", "", "", {}, m.Where("x", 1))
    text = grid.change_text(store, finding(), t)
    assert text.startswith("About 0.7 points less pain on a 0 to 10 scale than with a sham (fake) treatment or placebo")
    assert "The smallest change most people notice is about 1 point: this is smaller than that." in text
    assert grid.on_0_to_10(store, finding(unit="points on the review's scale", mid="")) is None
    unnamed = grid.change_text(store, finding(unit="points on the review's scale, not named", mid=""), t)
    assert unnamed.endswith("so we cannot say if this is big enough to feel.")
    assert "big enough to feel" not in grid.change_text(store, finding(unit="points on the Neck Disability Index"), t)
    assert "big enough to feel" not in grid.change_text(store, finding(unit="points on the review's scale", mid=""), t, brief=True)


@pytest.mark.parametrize("changes,fit", [
    ({}, "partly"),  # moderate certainty, smaller than the noticeable change: slight
    ({"estimate": -15.0, "ci": (-20.0, -10.0)}, "yes"),
    ({"certainty": "very low", "estimate": -15.0, "ci": (-20.0, -10.0)}, "no"),
    ({"ci": (-10.98, 1.0)}, "no"),  # no clear difference
    ({"measure": "proportions", "rates": (51.4, 36.7), "unit": "", "mid": "", "better": "higher"}, "yes"),
    ({"measure": "proportions", "rates": (51.4, 36.7), "unit": "", "mid": "", "better": "higher", "certainty": "low"}, "partly"),
    ({"estimate": -15.0, "ci": (-20.0, -10.0), "certainty": "low"}, "partly"),  # a clear benefit that only may be real
])
def test_a_good_chance_that_it_helps_follows_size_and_certainty(changes, fit):
    assert grid.benefit_fit(m.EvidenceStore(vocab=VOCAB), finding(**changes)) == fit


def test_what_an_option_asks_becomes_fit_words():
    facts = m.OptionFacts("x", needles=True, clinic_visits="several", cost="paid", do_yourself="no",
                          trigger_points="unclear", where=m.Where("x", 1))
    store = m.EvidenceStore(vocab=VOCAB)
    assert grid.fits(store, None, facts) == {"needles": "no", "cost": "no", "visits": "no", "myself": "no",
                                             "serious": "partly", "sure": "unknown", "benefit": "unknown"}
    assert grid.facts_brief(facts) == "needles; a course of visits; may have fees; needs a professional"
    assert grid._lower_first("A serious side effect") == "a serious side effect"
    assert grid._lower_first("NSAID gels") == "NSAID gels"


@pytest.mark.parametrize("trigger_points,fit", [("yes", "yes"), ("unclear", "yes"), ("no", "partly")])
def test_a_clear_benefit_outside_muscle_knots_only_partly_fits(trigger_points, fit):
    store = m.EvidenceStore(vocab=VOCAB)
    clear = finding(measure="proportions", rates=(78.0, 20.0), unit="", mid="", better="higher", event="pain halved")
    store.findings[clear.id] = clear
    t = m.Treatment("t", "Gel", "gel", "medicine", "p.md", "", "", "", {"pain": clear.id}, m.Where("x", 1))
    facts = m.OptionFacts("t", needles=False, clinic_visits="none", cost="low", do_yourself="yes",
                          trigger_points=trigger_points, where=m.Where("x", 1))
    assert grid.fits(store, t, facts)["benefit"] == fit


def test_a_chance_is_said_both_ways_rounded_half_up_with_its_studies():
    store = m.EvidenceStore(vocab=VOCAB)
    t = m.Treatment("t", "Duloxetine", "duloxetine", "medicine", "p.md", "", "", "", {}, m.Where("x", 1))
    f = finding(measure="proportions", rates=(54.9, 40.5), unit="", mid="", better="higher", event="had less pain",
                comparison_detail="placebo tablets", timepoint_detail="at the end of each trial", studies=24,
                participants=7833, population="Adults with long-lasting pain")
    text = grid.chance_text(store, f, t)
    assert text.startswith("55 in 100 had less pain with duloxetine, against 41 in 100 with placebo tablets, "
                           "at the end of each trial.")
    assert "Put the other way: 45 in 100 did not, against 59 in 100." in text
    assert text.endswith("From 24 studies, 7,833 people, pooled: adults with long-lasting pain.")


# An option's one-line summary leads with its headline (pooled) result; a chance out of 100 from
# a single trial comes after it, with its evidence base, never in its place (a patient reviewer
# read hands-on therapy as the best option from one shoulder trial against a waiting list).
def test_an_option_gist_leads_with_the_headline_result_not_a_single_trial():
    store = m.EvidenceStore(vocab=VOCAB)
    t = m.Treatment("t", "Hands-on therapy", "hands-on therapy", "treatment", "p.md", "", "", "",
                    {"pain": "pooled"}, m.Where("x", 1))
    store.treatments["t"] = t
    pooled = finding(id="pooled", measure="SMD", unit="", mid="", estimate=-0.53, ci=(-1.08, 0.02), certainty="low",
                     studies=19, participants=1047)
    single = finding(id="single", measure="proportions", rates=(55.0, 14.0), unit="", mid="", better="higher",
                     event="felt their shoulder had improved", comparison_detail="a waiting list", studies=1,
                     participants=120, pooled=False, estimate=None, ci=None)
    store.findings.update({"pooled": pooled, "single": single})
    gist = grid._gist(store, t)
    assert gist.startswith("It is not clear whether hands-on therapy reduces pain"), gist
    assert gist.index("not clear") < gist.index("55 in 100")
    assert "55 in 100 felt their shoulder had improved, against 14 in 100 with a waiting list, up to 3 weeks (1 study" in gist


def _harm_of(kind: str, **kw) -> m.Harm:
    return m.Harm("h-" + kind, "t", "A harm", "serious", m.HowOften(kind=kind, **kw), "k", "", m.Where("x", 1))


@pytest.mark.parametrize("harms,gist", [
    ([_harm_of("case-reports", cases=1)], "serious harms known only from reported cases; how often is not known"),
    ([_harm_of("case-series"), _harm_of("no-data")], "serious harms known only from reported cases; how often is not known"),
    ([_harm_of("case-reports", cases=1), _harm_of("rate", rate=0.1, unit="people")], "serious harms reported"),
    ([_harm_of("no-data", direction="more", comparison="either alone")], "serious harms reported"),
    ([], "serious harms not known"),
])
def test_a_card_says_when_serious_harms_are_known_only_from_cases(harms, gist):
    store = m.EvidenceStore(vocab=VOCAB)
    for h in harms:
        store.harms[h.id] = h
    t = m.Treatment("t", "Heat", "heat", "self-care", "p.md", "", "", "", {}, m.Where("x", 1))
    assert grid.serious_gist(store, t) == gist


# A patient reviewer could not follow the options' order (file names): they come by the name shown.
def test_options_come_in_the_order_of_their_names(real_store):
    table = grid.grid_table(real_store, lambda page: page)
    ids = re.findall(r'data-option="([^"]+)"', table)
    names = [real_store.treatments[i].name for i in ids if i in real_store.treatments]
    assert len(names) >= 15 and names == sorted(names, key=str.casefold)


# A patient reviewer read the gel's sprain result as "it works for my knot": when the options data
# says the people studied were not chosen for muscle knots, the one line says so first.
@pytest.mark.parametrize("chosen, lead", [("no", True), ("yes", False), ("unclear", False)])
def test_an_option_gist_says_first_when_the_people_studied_did_not_have_muscle_knots(chosen, lead):
    store = m.EvidenceStore(vocab=VOCAB)
    t = m.Treatment("t", "Gels", "an NSAID gel", "treatment", "p.md", "", "", "", {"pain": "pooled"}, m.Where("x", 1))
    store.treatments["t"] = t
    store.findings["pooled"] = finding(id="pooled", measure="SMD", unit="", mid="", estimate=-0.9, ci=(-1.2, -0.6),
                                       certainty="high", studies=5, participants=500)
    store.options["t"] = m.OptionFacts("t", needles=False, clinic_visits="none", cost="low", do_yourself="yes",
                                       trigger_points=chosen, where=m.Where("x", 1))
    gist = grid._gist(store, t)
    assert gist.startswith(grid.NOT_KNOTS_LEAD + "an NSAID gel") is lead, gist
    # a result about one part of the body names it (a reader with back pain skipped "other kinds")
    store.vocab = dataclasses.replace(VOCAB, regions={**VOCAB.regions, "low-back": m.Term("low-back", "Low back", "")})
    store.findings["pooled"] = dataclasses.replace(store.findings["pooled"], region="low-back")
    assert grid._gist(store, t).startswith("In studies of people with low back pain, not muscle knots: ") is lead


# Two results from different parts of the body: the general lead (duloxetine's chance out of 100
# is from fibromyalgia and nerve pain, its pain result from low back pain).
def test_a_gist_names_a_body_part_only_when_every_result_is_about_it(real_store):
    gist = grid._gist(real_store, real_store.treatments["antidepressants"])
    assert gist.startswith(grid.NOT_KNOTS_LEAD), gist[:120]
    assert grid._gist(real_store, real_store.treatments["oral-nsaids"]).startswith(
        "In studies of people with low back pain, not muscle knots: ")


# "Partly fits" beside a good result read as random to a patient reviewer: each answer that is not
# a plain yes carries its reason, and a yes carries none.
@pytest.mark.parametrize("chosen, certainty, why", [
    ("no", "high", "the good result was in people with other kinds of pain, not muscle knots"),
    ("yes", "low", "the result is low certainty"),
    ("yes", "very low", "the evidence is very uncertain"),
    ("yes", "high", None),
])
def test_each_answer_that_is_not_a_plain_yes_says_why(chosen, certainty, why):
    store = m.EvidenceStore(vocab=VOCAB)
    clear = finding(measure="proportions", rates=(78.0, 20.0), unit="", mid="", better="higher", event="pain halved",
                    certainty=certainty)
    store.findings[clear.id] = clear
    t = m.Treatment("t", "Gel", "gel", "medicine", "p.md", "", "", "", {"pain": clear.id}, m.Where("x", 1))
    facts = m.OptionFacts("t", needles=False, clinic_visits="none", cost="low", do_yourself="yes",
                          trigger_points=chosen, where=m.Where("x", 1))
    reasons = grid.fit_reasons(store, t, facts)
    assert reasons.get("benefit") == why
    assert "needles" not in reasons and "cost" not in reasons
    assert reasons.get("serious") == "serious harms were not counted in the studies we used"  # no harm records at all
    assert set(grid.fit_reasons(store, None, facts)) == {"benefit", "sure", "serious"}  # waiting and seeing


# "Waiting and seeing" looked empty beside options with numbers (a patient reviewer): its one line
# gives what usually happens, from the natural history data, and only for new pain.
def test_waiting_and_seeing_gives_what_usually_happens_in_figures():
    store = m.EvidenceStore(vocab=VOCAB)
    points = (m.CoursePoint("the start", 0, 64, None), m.CoursePoint("6.5 weeks", 6.5, 35, None))
    store.courses["neck"] = m.Course("neck", "neck", "new neck pain", "p", "pain", "average pain on a 0 to 100 scale",
                                     points, "k", "", m.Where("x", 1))
    store.courses["long"] = m.Course("long", "neck", "long-lasting neck pain", "p", "pain", "average pain", points, "k",
                                     "", m.Where("x", 1))
    html = grid.wait_card(store, lambda page: page)
    gist = re.search(r'<span class="tpg-opt__gist">([^<]*)</span>', html).group(1)
    # out of 10, as every other card gives pain (a patient reviewer met a 0 to 100 scale only here)
    assert gist == ("what usually happens with ordinary care and no particular treatment: new neck pain, average pain "
                    "out of 10 from 6.4 to 3.5 by 6.5 weeks")
    assert "average pain out of 10 went from 6.4 at the start to 3.5 at 6.5 weeks" in html


# "no trial compares waiting with a treatment" beside a card with "14 in 100 with 3 months on a waiting
# list": waiting is no treatment of its own, but trials did compare treatments with a waiting list.
def test_waiting_says_trials_compared_treatments_with_a_waiting_list(real_store):
    why = grid.fit_reasons(real_store, None, real_store.options[m.WAIT_AND_SEE])
    assert why["benefit"].startswith("no trial tested waiting as a treatment; some compared treatments with a waiting list")


# A summary row speaks with the pooled result, not one trial's chance, where both exist (a patient
# reviewer's sheet showed hands-on therapy's single shoulder trial and read it as the strongest).
def test_a_summary_row_prefers_a_pooled_result_to_one_trials_chance(real_store):
    seen = 0
    for t in real_store.treatments.values():
        chance, change = grid.chance_finding(real_store, t), grid.change_finding(real_store, t)
        brief = grid.brief_finding(real_store, t)
        if chance and chance.studies == 1 and change and change.pooled:
            seen += 1
            assert brief is change, t.id
        elif chance:
            assert brief is chance, t.id
    assert seen, "the real data has such an option (hands-on therapy)"


# Review (a practitioner): the summary row "78 in 100 had their pain at least halved with a diclofenac
# gel ... high certainty" did not say the trials were of sprains, on a page about muscle knots. The
# row says who was studied, as the card does, and an option studied in muscle knots has no lead.
def test_a_summary_row_says_who_was_studied_when_it_was_not_people_with_muscle_knots(real_store):
    gel = grid.brief_benefit(real_store, real_store.treatments["topical-nsaids"])
    assert gel.startswith("In studies of people with other kinds of pain, not muscle knots: 78 in 100"), gel
    tablets = grid.brief_benefit(real_store, real_store.treatments["oral-nsaids"])
    assert tablets.startswith("In studies of people with low back pain, not muscle knots: "), tablets
    needling = real_store.treatments["dry-needling"]
    assert real_store.options["dry-needling"].trigger_points != "no"
    assert not grid.brief_benefit(real_store, needling).startswith("In studies of")
    assert grid.who_lead(real_store, needling, [grid.brief_finding(real_store, needling)]) == ""


# A second reader found 3 of vibration's 7 serious harms on its card, with no word of the eye
# injuries: a card says how many more the full page has.
def test_a_card_says_how_many_more_harms_the_full_page_has(real_store):
    t = real_store.treatments["vibration"]
    serious = grid.harms_by_kind(real_store, t, "serious")
    assert len(serious) > 3
    html = grid.card(real_store, t, lambda page: page)
    assert f"{len(serious) - 3} more are on the full page." in html
    heat = grid.card(real_store, real_store.treatments["heat"], lambda page: page)
    assert "more are on the full page" not in heat.split("Serious harms", 1)[1].split("</dd>", 1)[0]


# A fact-checker found the shockwave card led with "may reduce pain (against control groups)" and left
# out the double-blind sham trial the shockwave page leads with: a card line gives the fairest test
# too, where it says something else.
def test_a_card_line_gives_the_fake_treatment_result_beside_its_lead(real_store):
    for tid in ("shockwave", "dry-needling"):
        t = real_store.treatments[tid]
        lead = grid.change_finding(real_store, t)
        sham = render.fairest_sham(real_store, lead)
        assert sham is not None and sham.comparison == "sham", tid
        line = grid._gist(real_store, t)
        assert "against a fake (sham) treatment, " in line and f"({sham.certainty} certainty)" in line, line
    # a lead that is itself sham-controlled has no second clause
    assert render.fairest_sham(real_store, sham) is None
