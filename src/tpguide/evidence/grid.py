"""The decision aid (issue 23): every option in the same numbers, what matters to you, and a summary.

Plain functions of the evidence store, so they run from a Markdown preprocessor as well as from
the MkDocs hook:

- ``option_grid``: one folded card per option (and waiting and seeing): the chance of feeling
  better out of 100 beside the comparison group, the change in pain on a 0 to 10 scale with the
  smallest noticeable change marked, how sure we are, minor and serious harms as natural
  frequencies (out of 100, or out of 1,000 when rarer than 1 in 100) with the time frame, what it
  asks of you, and who the evidence comes from;
- ``grid_table``: the same numbers, one row per option, for the two-page handout;
- ``values_step``: "what matters to you", a worksheet that also works with JavaScript off;
- ``my_options``: the one-page summary to take to an appointment;
- ``option_numbers``: one option's numbers, for its treatment leaflet.

Numbers are never made up here: a harm given only as a ratio stays a ratio (see words.ratio_words);
an SMD is not turned into points or a chance (that needs a comparison risk the sources do not give).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from . import icons
from . import model as m
from . import words as w
from .icons import half_up
from .render import _end, _h, _lower_first, comparison_words as _comparison, fairest_sham, harms_by_kind

# What matters to you: (id, the question, what "fits" means). Each option's fit is worked out here
# from its facts and its evidence, and written on its card; the script only compares it with the
# person's answers.
VALUES = (
    ("benefit", "A good chance that it helps", "the studies found a clear benefit"),
    ("sure", "Evidence we can be fairly sure of, whichever way it points", "moderate or high certainty"),
    ("serious", "Avoiding options with any report of serious harm, however rare", "no serious harm reported"),
    ("needles", "Avoiding needles", "no needles"),
    ("cost", "Keeping the cost down", "free or low cost"),
    ("visits", "Few or no clinic visits", "few or no visits"),
    ("myself", "Something I can do myself", "you can do it yourself"),
)
RATINGS = (("2", "Matters a lot"), ("1", "Matters a little"), ("0", "Does not matter to me"))
# A card with no harm of a kind in the evidence data: "none recorded" read as "none happen" to a
# clinician reviewer.
NO_HARM_BRIEF = "None listed in our data"  # the table's cell
NO_HARM_LISTED = NO_HARM_BRIEF + ". That does not prove there are none."
PER_SESSION_NOTE = ("Per session means counted per treatment session, not per person. Over a course of several "
                    "sessions, one person's chance of having it at least once is higher, but the studies do not say "
                    "how much higher.")
_TO_0_10 = {  # units a pain difference can be shown in on a 0 to 10 scale: factor to points out of 10
    "points on a 0 to 10 scale": 1.0,
    "points on a 0 to 100 scale": 0.1,
    "cm on a 10 cm pain line": 1.0,
    "mm on a 100 mm pain line": 0.1,
}


_when = w.when  # a finding's time point joined to a sentence (tpguide.evidence.words.when)


# In the order of the names people read (a patient reviewer could not follow the order of file names:
# "Trigger point injections" between heat and laser).
def _options(store: m.EvidenceStore) -> list[m.Treatment]:
    return sorted((t for t in store.treatments.values() if t.kind != "test"), key=lambda t: t.name.casefold())


# ---------------------------------------------------------------------------
# Benefits
# ---------------------------------------------------------------------------


# The finding that gives a chance of feeling better: a proportion of the option (headline first),
# about pain or improvement overall. None when no source gives event rates in both groups.
def chance_finding(store: m.EvidenceStore, t: m.Treatment) -> m.Finding | None:
    own = [f for f in store.findings_of(t.id) if f.measure == "proportions" and f.rates and f.event]
    own.sort(key=lambda f: (f.id not in t.headline.values(), f.id not in t.at_a_glance))
    return own[0] if own else None


# The headline pain finding (else function), for "how much it changed".
def change_finding(store: m.EvidenceStore, t: m.Treatment) -> m.Finding | None:
    for outcome in ("pain", "function"):
        fid = t.headline.get(outcome)
        if fid in store.findings and store.findings[fid].measure != "proportions":
            return store.findings[fid]
    return None


# (estimate, ci, mid) on a 0 to 10 scale, or None when the unit cannot be shown on one.
def on_0_to_10(store: m.EvidenceStore, f: m.Finding):
    factor = _TO_0_10.get(f.unit)
    if f.measure != "MD" or f.outcome != "pain" or factor is None or f.estimate is None:
        return None
    mid = store.vocab.mids.get(f.mid) if f.mid else None
    mid_10 = mid.value * _TO_0_10[mid.unit] if mid and mid.unit in _TO_0_10 else None
    ci = (f.ci[0] * factor, f.ci[1] * factor) if f.ci else None
    return f.estimate * factor, ci, mid_10


# Who was studied, without a closing "(5 trials, 1,201 people)" that the evidence base just before
# it already says ("From 5 studies, 1,201 people, pooled: adults with ... (5 trials, 1,201 people)").
_COUNTS_RE = re.compile(r"\s*\(\d[\d,]* (?:trials?|studies|study|reviews?|systematic reviews)\b[^()]*\)\s*\.?$")


def _who(f: m.Finding) -> str:
    return _lower_first(_end(_COUNTS_RE.sub("", f.population.strip())))


# " with a diclofenac gel": the form tested, where a finding names one narrower than its option
def _tested(f: m.Finding) -> str:
    return f" with {f.treatment_detail}" if f.treatment_detail else ""


def chance_text(store: m.EvidenceStore, f: m.Finding, t: m.Treatment, *, who: bool = True) -> str:
    a, b = (half_up(x) for x in f.rates)
    text = f"{a} in 100 {f.event} with {_lower_first(f.treatment_detail or t.name)}, against {b} in 100 with {_comparison(store, f)}{_when(f.timepoint_detail)}."
    text += f" Put the other way: {100 - a} in 100 did not, against {100 - b} in 100."  # both frames (IPDAS)
    if who:  # which people, which medicine, how many studies: a single small trial reads very differently
        text += f" From {w.evidence_base(f)}: {_who(f)}"
    return text


# A 95% CI turned the same way as the words ("0.7 points less pain (95% CI 0.4 to 1.1)"): for an
# outcome where lower is better, the signs flip; an interval that crosses zero keeps its minus.
def ci_words(f: m.Finding, ci, decimals: int | None = None) -> str:
    low, high = (-ci[1], -ci[0]) if f.better == "lower" else (ci[0], ci[1])
    fmt = (lambda v: w.num(round(v, decimals))) if decimals is not None else w.num  # noqa: E731
    return f"95% CI {fmt(low)} to {fmt(high)}"


def change_text(store: m.EvidenceStore, f: m.Finding, t: m.Treatment, *, brief: bool = False) -> str:
    v = store.vocab
    over = _when(f.timepoint_detail)
    scaled = on_0_to_10(store, f)
    if scaled:
        est, ci, mid = scaled
        good = w.favours_treatment(f)
        text = (f"About {w.num(round(abs(est), 1))} points {'less' if good else 'more'} pain on a 0 to 10 scale than with "
                f"{_comparison(store, f)}")
        if ci:
            text += f" ({ci_words(f, ci, 1)})" if good else f" (95% CI {w.num(round(ci[0], 1))} to {w.num(round(ci[1], 1))})"
        text += f"{over}."
        if f.unit != "points on a 0 to 10 scale" and not brief:
            text += f" The studies used {f.unit.replace('points on ', '').replace('cm on ', '')}; we show it out of 10."
        if mid is not None:
            verdict = "bigger than" if abs(est) >= mid else "smaller than"
            text += f" The smallest change most people notice is about {w.num(round(mid, 1))} point{'s' if mid != 1 else ''}: this is {verdict} that."
        return text
    # a web card's SMD carries its interval inside the same bracket; a leaflet's has no room for it
    ci = ci_words(f, f.ci) if f.measure == "SMD" and f.ci and not brief else ""
    plain = w.cap(w.plain_effect(f, v, who=_lower_first(f.treatment_detail or t.short), ci=ci))
    if f.measure == "MD":
        # a scale with no known smallest noticeable change (laser's, not named in the review's
        # summary): say that its size cannot be judged (a clinician reviewer)
        # (not on a leaflet, brief, whose two pages have no room; its page says it)
        unknown = "" if f.mid in store.vocab.mids or brief else " We have no figure for the smallest change people notice on this scale, so we cannot say if this is big enough to feel."
        return f"{plain} than with {_comparison(store, f)}{over}.{unknown}"
    if f.measure == "SMD" and f.estimate is not None and brief:
        # (why it is not in points is on the web page; a leaflet's two pages have no room)
        return f"{plain} against {_comparison(store, f)}{over}."
    if f.measure == "SMD" and f.estimate is not None:
        return (f"{plain} against {_comparison(store, f)}{over}. "
                "The studies used different scales, so it cannot be given in points, and we have not turned it into a "
                "chance out of 100: that needs an assumption the studies do not give.")
    return w.statement(f, v, t)


# A 0 to 10 ruler with the difference drawn as a bar from 0, its 95% CI as a line and the smallest
# noticeable change as a dashed mark; inline SVG, no script, its numbers in its title.
def ruler(est: float, ci, mid, *, ident: str) -> str:
    scale, left, width = 30.0, 10.0, 300.0  # 0 to 10 points -> 300 px
    x = lambda v: left + min(10.0, max(0.0, abs(v))) * scale  # noqa: E731
    parts = [f'<line x1="{left}" y1="30" x2="{left + width}" y2="30" class="tpg-ruler__axis"/>']
    for p in range(11):
        parts.append(f'<line x1="{x(p)}" y1="26" x2="{x(p)}" y2="34" class="tpg-ruler__tick"/>')
        parts.append(f'<text x="{x(p)}" y="48" class="tpg-ruler__num">{p}</text>')
    parts.append(f'<rect x="{left}" y="16" width="{x(est) - left:.1f}" height="10" class="tpg-ruler__bar"/>')
    if ci:
        lo, hi = sorted((abs(ci[0]), abs(ci[1])))
        parts.append(f'<line x1="{x(lo):.1f}" y1="21" x2="{x(hi):.1f}" y2="21" class="tpg-ruler__ci"/>')
    label = f"A difference of {w.num(round(abs(est), 1))} points on a 0 to 10 scale"
    if mid is not None:
        parts.append(f'<line x1="{x(mid):.1f}" y1="8" x2="{x(mid):.1f}" y2="36" class="tpg-ruler__mid"/>')
        parts.append(f'<text x="{x(mid) + 3:.1f}" y="10" class="tpg-ruler__midlabel">noticeable: {w.num(round(mid, 1))}</text>')
        label += f"; the smallest change most people notice is {w.num(round(mid, 1))}"
    return (f'<svg class="tpg-ruler" viewBox="0 0 320 52" width="320" height="52" role="img" aria-labelledby="{ident}-t" '
            f'xmlns="http://www.w3.org/2000/svg"><title id="{ident}-t">{_h(label)}</title>{"".join(parts)}</svg>')


# ---------------------------------------------------------------------------
# Harms as natural frequencies
# ---------------------------------------------------------------------------


def per_session(o: m.HowOften) -> bool:
    return o.counted == "events" or o.unit.split(" ")[0] in ("treatments", "sessions", "treatment")


# "about 19 events per 100 treatment sessions (per session)" / "about 10 in 100 people ..., against 11
# in 100 with placebo" / "about 3 in 1,000 ..."; None when the record has no rate (a ratio, case
# reports, no data).
def frequency(o: m.HowOften) -> str | None:
    if o.kind != "rate":
        return None
    who = "treatment sessions (per session)" if per_session(o) else (o.unit or "people")
    if o.rate_range is not None:
        low, high = o.rate_range
        per = 100 if low >= 1 else 1000
        k = per / 100
        low_text, high_text = _range_ends(low * k, high * k)
        if low_text.startswith("fewer"):
            return f"from {low_text} up to {high_text} in {per:,} {who}"
        return f"between {low_text} and {high_text} in {per:,} {who}"
    share = (o.n / o.of) if (o.n is not None and o.of) else (o.rate / 100 if o.rate is not None else None)
    if share is None:
        return None
    per = 100 if share >= 0.01 else 1000
    if o.counted == "events":  # events, not people: one person can have several
        text = f"{w.about(share * per, 'event')} per {per:,} {who}"
    else:
        text = f"{w.about(share * per)} in {per:,} {who}"
    if o.comparison_n is not None and o.of:
        text += f", against {w.whole(o.comparison_n / o.of * per)} in {per:,} with {o.comparison}"
    return text


# Both ends of a range, with the same precision: whole numbers from 10 up; below that one decimal,
# rounded half up, so that the top is never shown below what was seen as a whole number (0.13% is
# 1.3 in 1,000, not 1: a clinician reviewer) and the ends never cross ("between 3 and 2.9"). A low
# end under 0.1 is "fewer than 0.1", never rounded up to it (0.007% read "0.1 in 1,000": a
# practitioner reviewer).
def _range_ends(low: float, high: float) -> tuple[str, str]:
    if high >= 10:
        return w.whole(low), w.whole(high)
    tenth = lambda v: w.num(float(Decimal(repr(v)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)))  # noqa: E731
    return ("fewer than 0.1" if low < 0.1 else tenth(low)), tenth(max(high, 0.05))


# brief: for the handout table, whose caption says that a figure without a time frame had none
def harm_line(h: m.Harm, *, brief: bool = False) -> str:
    o = h.how_often
    freq = frequency(o)
    if freq:
        over = f", over {o.time_frame}" if o.time_frame else "" if brief else " (time frame not stated)"
        return f"{h.event}: {freq}{over}."
    if o.kind == "relative":
        return f"{h.event}: {w.ratio_direction(o)}; how many in 100 was not reported."
    return f"{h.event}: {_lower_first(w.how_often_brief(h))}."


# A harm counted in both groups out of the same number, drawn as two icon arrays (out of 100, or
# 1,000 when rarer than 1 in 100); "" for any other record.
def harm_icons(h: m.Harm, t: m.Treatment) -> str:
    o = h.how_often
    if o.kind != "rate" or o.n is None or not o.of or o.comparison_n is None or per_session(o):
        return ""
    per = 100 if o.n / o.of >= 0.01 else 1000
    return icons.compare(event=f"had it: {_lower_first(h.event)}", option=_lower_first(t.name),
                         option_rate=o.n / o.of * per, comparison=o.comparison, comparison_rate=o.comparison_n / o.of * per,
                         per=per, time_frame=o.time_frame or "time frame not stated", ident=f"harm-{h.id}")


def harms_of(store: m.EvidenceStore, t: m.Treatment, seriousness: str, most: int) -> list[m.Harm]:
    return harms_by_kind(store, t, seriousness)[:most]


# How the option fits a "serious harm" worry: no (reported, or clearly more common than without it),
# yes (none seen, or counted and no more common than in the comparison group) or unknown.
def serious_fit(store: m.EvidenceStore, t: m.Treatment) -> str:
    serious = [h for h in store.harms_of(t.id) if h.seriousness == "serious"]
    kinds = {h.how_often.kind for h in serious}
    more = any(h.how_often.kind == "relative" and w.ratio_direction(h.how_often).startswith("more") for h in serious)
    if kinds & {"rate", "case-series", "case-reports"} or more or any(h.how_often.direction == "more" for h in serious):
        return "no"
    # counted in trials and no more common than in the comparison group, or none seen
    return "yes" if kinds & {"none-seen", "relative"} else "unknown"


# ---------------------------------------------------------------------------
# Fit with what matters (the values step)
# ---------------------------------------------------------------------------


def fits(store: m.EvidenceStore, t: m.Treatment | None, facts: m.OptionFacts | None) -> dict[str, str]:
    if facts is None:
        return {}
    out = {
        "needles": "no" if facts.needles else "yes",
        "cost": {"free": "yes", "low": "partly", "paid": "no"}[facts.cost],
        "visits": {"none": "yes", "few": "partly", "several": "no"}[facts.clinic_visits],
        "myself": {"yes": "yes", "partly": "partly", "no": "no"}[facts.do_yourself],
    }
    if t is None:  # waiting and seeing: no treatment, so no harm of one; no trial rates its certainty
        # no harm of a treatment, but waiting can miss a serious cause: only partly
        out.update(serious="partly", sure="unknown", benefit="unknown")
        return out
    out["serious"] = serious_fit(store, t)
    lead = change_finding(store, t) or chance_finding(store, t)
    out["benefit"] = benefit_fit(store, lead)
    chance = chance_finding(store, t)
    if out["benefit"] == "no" and chance is not None and benefit_fit(store, chance) == "yes":
        out["benefit"] = "partly"  # mixed: one counted result favours it, the main finding does not
    # A clear benefit in people who were not chosen for muscle knots (a gel for a recent sprain) is
    # no "good chance" for muscle knots: at most partly (a clinician reviewer: the options page
    # pointed to the gel alone, on sprain trials). The card says who was studied.
    if out["benefit"] == "yes" and facts.trigger_points == "no":
        out["benefit"] = "partly"
    out["sure"] = ({"high": "yes", "moderate": "yes", "low": "partly", "very low": "no"}[lead.certainty]
                   if lead else "unknown")
    return out


# Why an answer is not a plain fit, in a few words, for what the studies decide (benefit, how sure,
# serious harm): "Partly fits: a good chance that it helps (the good result was in people with other
# kinds of pain, not muscle knots)". A patient reviewer found "partly" and "does not fit" beside good numbers, with
# no reason, and read the result as random. Needles, visits, cost and doing it yourself explain
# themselves. Empty where the answer is a yes.
def fit_reasons(store: m.EvidenceStore, t: m.Treatment | None, facts: m.OptionFacts | None,
                fit: dict[str, str] | None = None) -> dict[str, str]:
    fit = fits(store, t, facts) if fit is None else fit
    if not fit:
        return {}
    if t is None:  # waiting and seeing
        # some trials did compare a treatment with a waiting list ("55 in 100 ... against 14 in 100
        # with 3 months on a waiting list"): a patient reviewer read "no trial compares" as a contradiction
        return {"benefit": "no trial tested waiting as a treatment; some compared treatments with a waiting list (see their cards)",
                "sure": "no trial to rate", "serious": "waiting can miss a serious cause: check the warning signs"}
    out: dict[str, str] = {}
    lead = change_finding(store, t) or chance_finding(store, t)
    benefit = fit["benefit"]
    if benefit != "yes":
        raw = benefit_fit(store, lead)
        if lead is None:
            out["benefit"] = "no result in our data"
        elif raw == "yes" and facts.trigger_points == "no":
            out["benefit"] = f"the good result was in {NOT_KNOTS}"
        elif raw == "no" and benefit == "partly":
            out["benefit"] = "one counted result favours it, the main result does not"
        elif lead.certainty == "very low":
            out["benefit"] = "the evidence is very uncertain"
        elif benefit == "partly":
            out["benefit"] = "only a small effect" if w.size(lead, store.vocab) == "slight" and lead.measure != "proportions" \
                else "the result is low certainty"
        else:
            out["benefit"] = "no clear benefit in the studies"
    sure = fit.get("sure")
    if sure and sure != "yes":
        out["sure"] = {"partly": "low certainty", "no": "very low certainty"}.get(sure, "no certainty rating")
    serious = fit.get("serious")
    if serious and serious != "yes":
        out["serious"] = serious_gist(store, t) if serious == "no" else "serious harms were not counted in the studies we used"
    return out


# "A good chance that it helps": yes for a moderate or large effect (or a counted chance in its
# favour) at moderate or high certainty; partly when that is only low certainty, or the effect is
# slight; no for no clear difference, harm, or very low certainty. (fits() also makes a yes partly
# when the people studied were not chosen for muscle knots.)
def benefit_fit(store: m.EvidenceStore, f: m.Finding | None) -> str:
    if f is None:
        return "unknown"
    if f.certainty == "very low":
        return "no"
    sure = f.certainty in ("high", "moderate")
    if f.measure == "proportions":
        return ("yes" if sure else "partly") if w.favours_treatment(f) else "no"
    size = w.size(f, store.vocab)
    if size in ("large", "moderate"):
        return "yes" if sure else "partly"  # a clear benefit we can be fairly sure of, or only may
    return "partly" if size == "slight" else "no"


def facts_words(facts: m.OptionFacts | None) -> str:
    if facts is None:
        return ""
    visits = {"none": "no clinic visits", "few": "a few visits (such as a prescription, a first session or a check-up)",
              "several": "a course of clinic visits"}[facts.clinic_visits]
    cost = {"free": "free", "low": "low cost", "paid": "sessions or a device that may have a fee"}[facts.cost]
    myself = {"yes": "you can do it yourself", "partly": "partly something you can do yourself",
              "no": "needs a professional to give or prescribe it"}[facts.do_yourself]
    return f"{'Needles' if facts.needles else 'No needles'}; {visits}; {cost}; {myself}."


def facts_brief(facts: m.OptionFacts | None) -> str:
    if facts is None:
        return ""
    return "; ".join(["needles" if facts.needles else "no needles",
                      {"none": "no visits", "few": "a few visits", "several": "a course of visits"}[facts.clinic_visits],
                      {"free": "free", "low": "low cost", "paid": "may have fees"}[facts.cost],
                      {"yes": "do it yourself", "partly": "partly yourself", "no": "needs a professional"}[facts.do_yourself]])


def _fit_attrs(fit: dict[str, str], why: dict[str, str] | None = None) -> str:
    return " ".join([f'data-fit-{k}="{_h(v)}"' for k, v in fit.items()]
                    + [f'data-fit-why-{k}="{_h(v)}"' for k, v in (why or {}).items()])


# ---------------------------------------------------------------------------
# The grid: one folded card per option
# ---------------------------------------------------------------------------


TRIGGER_POINT_WORDS = {
    "yes": "These were people chosen because they had muscle knots (trigger points).",
    "no": "These were not people chosen because they had muscle knots (trigger points).",
    "unclear": "Whether they were chosen because they had muscle knots is not clear from what we could read.",
}


def who(store: m.EvidenceStore, t: m.Treatment) -> str:
    lead = change_finding(store, t) or chance_finding(store, t)
    if lead is None:
        return "No finding in our data yet."
    region = store.vocab.regions[lead.region].label.lower() if lead.region in store.vocab.regions else lead.region
    facts = store.options.get(t.id)
    tp = f" {TRIGGER_POINT_WORDS[facts.trigger_points]}" if facts else ""
    text = f"{_h(_end(lead.population))} Body region: {_h(region)}.{_h(tp)}"
    chance = chance_finding(store, t)
    if chance is not None and chance is not lead and chance.population != lead.population:
        text = (f"For how much it changed: {text} For the chance of feeling better: {_h(_end(chance.population))}")
    return text


def _dl(rows: list[tuple[str, str]]) -> str:
    out = ['<dl class="tpg-opt__facts" markdown="1">']
    for term, value in rows:
        out += [f"<dt>{_h(term)}</dt>", f'<dd markdown="1">{value}</dd>']
    out.append("</dl>")
    return "\n".join(out)


# The card's one line: the headline result first (what the option's own page leads with), then a
# chance out of 100 when the studies give one, each with its evidence base, so that a single
# favourable trial never speaks before the pooled result.
def _gist(store: m.EvidenceStore, t: m.Treatment) -> str:
    chance = chance_finding(store, t)
    change = change_finding(store, t)
    bits = []
    if change:
        bits.append(f"{w.statement(change, store.vocab, t, with_comparison=False).rstrip('.')} "
                    f"(against {_comparison(store, change)}; {change.certainty} certainty)")
        # and the fairest test, where it says something else (a fact-checker found the shockwave card
        # without the double-blind sham trial that the shockwave page leads with)
        sham = fairest_sham(store, change)
        if sham:
            bits.append(f"against a fake (sham) treatment, {_lower_first(w.statement(sham, store.vocab, t, with_comparison=False).rstrip('.'))} "
                        f"({sham.certainty} certainty)")
    if chance:
        a, b = (half_up(x) for x in chance.rates)
        bits.append(f"{a} in 100 {chance.event}{_tested(chance)}, against {b} in 100 with {_comparison(store, chance)}"
                    f"{_when(chance.timepoint_detail)} ({w.evidence_base(chance)}; {chance.certainty} certainty)")
    bits.append(serious_gist(store, t))
    text = "; ".join(bits)
    lead = who_lead(store, t, [change, chance])
    return lead + _lower_first(text) if lead else text


# Who the results are about, before them, when they were not people with muscle knots: a patient
# reviewer read the gel's sprain result (78 in 100, high certainty) as "it works for my knot" on the
# card, and a practitioner reviewer the same on the summary row. With the part of the body when
# every result on the line is about the same one ("In studies of people with low back pain, not
# muscle knots": a reader with back pain read "other kinds of pain" as not about them; duloxetine's
# chance is from fibromyalgia and nerve pain, beside a low back result, so it keeps the general words).
# "" when the option was studied in muscle knots, or there is no result.
def who_lead(store: m.EvidenceStore, t: m.Treatment, findings: list[m.Finding | None]) -> str:
    found = [f for f in findings if f]
    facts = store.options.get(t.id)
    if not (facts and facts.trigger_points == "no" and found):
        return ""
    (rid, *others) = {f.region for f in found}
    region = None if others or rid in ("several", "all") else store.vocab.regions.get(rid)
    return not_knots_lead(f"people with {region.label.lower()} pain") if region else NOT_KNOTS_LEAD


# who was studied, when the options data says they were not chosen for muscle knots (the card's one
# line and the reason beside "a good chance that it helps")
OTHER_PAIN = "people with other kinds of pain"
NOT_KNOTS = f"{OTHER_PAIN}, not muscle knots"


def not_knots_lead(who: str = OTHER_PAIN) -> str:
    return f"In studies of {who}, not muscle knots: "


NOT_KNOTS_LEAD = not_knots_lead()


# The card line's word on serious harm. Harms known only from reports of cases (burns from heat, a
# clot after leg massage) say so: "serious harms reported" alone made a patient reviewer give up
# heat and foam rolling, which the self-care page calls low risk.
def serious_gist(store: m.EvidenceStore, t: m.Treatment) -> str:
    fit = serious_fit(store, t)
    if fit == "no":
        serious = [h.how_often for h in store.harms_of(t.id) if h.seriousness == "serious"]
        # cases with or without a direction are still cases; a count in trials (even of no
        # difference) is more than cases, so it keeps the plain words
        cases = [o for o in serious if o.kind in ("case-reports", "case-series")]
        silent = [o for o in serious if o.kind in ("no-data", "none-seen") and not o.direction]
        if cases and len(cases) + len(silent) == len(serious):
            return "serious harms known only from reported cases; how often is not known"
        return "serious harms reported"
    return {"yes": "no serious harm reported more often than without it", "unknown": "serious harms not known"}[fit]


def card(store: m.EvidenceStore, t: m.Treatment, page_of, *, open_: bool = False) -> str:
    facts = store.options.get(t.id)
    chance = chance_finding(store, t)
    change = change_finding(store, t)
    rows: list[tuple[str, str]] = [("What it involves", t.what)]
    if chance:
        rows.append(("Chance of feeling better", _h(chance_text(store, chance, t)) + f"[@{chance.source}]\n\n"
                     + icons.compare(event=chance.event, option=_lower_first(chance.treatment_detail or t.name), option_rate=chance.rates[0],
                                     comparison=_comparison(store, chance), comparison_rate=chance.rates[1],
                                     per=100, time_frame=chance.timepoint_detail, ident=f"grid-{chance.id}")))
    else:
        rows.append(("Chance of feeling better", "Not reported as a chance out of 100 in the studies we use."))
    if change:
        scaled = on_0_to_10(store, change)
        text = _h(change_text(store, change, t)) + f"[@{change.source}]"
        if scaled:
            text += "\n\n" + ruler(*scaled, ident=f"ruler-{change.id}")
        rows.append(("How much pain changed" if change.outcome == "pain" else "How much daily life changed", text))
    lead = change or chance
    if lead:
        rows.append(("How sure we are", f'<span class="tpg-certainty" data-certainty="{_h(lead.certainty)}">'
                     f"{_h(w.certainty_label(lead))}</span> ({_h(w.rated_by(lead))}): {_h(w.statement(lead, store.vocab, t))}"
                     f"[@{lead.source}]"))
    sessions = False
    for seriousness, title in (("minor", "Minor harms and side effects"), ("serious", "Serious harms")):
        group = harms_by_kind(store, t, seriousness)
        items = group[:3 if seriousness == "serious" else 2]
        sessions |= any(per_session(h.how_often) and h.how_often.kind == "rate" for h in items)
        text = " ".join(f"{_h(harm_line(h))}[@{h.source}]" for h in items) or NO_HARM_LISTED
        # the card shows the first few; it says how many more the full page has (a second reader
        # found 3 of vibration's 7 serious harms, with no word of the eye injuries)
        more = len(group) - len(items)
        if more > 0:
            text += f" {more} more {'is' if more == 1 else 'are'} on the full page."
        pictures = [harm_icons(h, t) for h in items]
        rows.append((title, "\n\n".join([text] + [p for p in pictures if p])))
    if sessions:
        rows.append(("Per session, not per person", _h(PER_SESSION_NOTE)))
    rows += [("Time and money", f"{_h(facts_words(facts))} {t.burden}".strip()),
             ("Can I do it myself?", t.self_help),
             ("Who the evidence comes from", who(store, t))]
    fit = fits(store, t, facts)
    link = f'<p class="tpg-opt__more" markdown="span">[Full page on {_h(t.short)}]({page_of(t.page)}): every finding and every harm.</p>'
    return _card_html(t.id, t.name, _gist(store, t), fit, rows, link, open_, fit_reasons(store, t, facts, fit))


def _card_html(oid: str, name: str, gist: str, fit: dict, rows, link: str, open_: bool,
               why: dict[str, str] | None = None) -> str:
    return "\n".join([
        f'<details class="tpg-opt" id="option-{_h(oid)}" data-option="{_h(oid)}" data-name="{_h(name)}" {_fit_attrs(fit, why)}'
        f'{" open" if open_ else ""} markdown="1">',
        f'<summary><span class="tpg-opt__name">{_h(name)}</span> <span class="tpg-opt__gist">{_h(gist)}</span>'
        '<span class="tpg-opt__fit" data-fit-text hidden></span></summary>',
        _dl(rows), link, "</details>"])


# Pain on a 0 to 100 scale, out of 10 as every other card gives pain (a patient reviewer met a 0 to
# 100 scale only on the waiting card).
_COURSE_OUT_OF_10 = {"average pain on a 0 to 100 scale": ("average pain out of 10", 0.1)}


# A course's unit and its start and first follow-up, in the card's terms: ("average pain out of
# 10", "6.4", "3.5"). Only those two: a later point can come from another mix of studies (new neck
# pain's 12-month figure), and without that caveat a second reader saw pain worsen; "How long it
# may last" gives every point with its notes.
def _course_start(c: m.Course) -> tuple[str, str, str]:
    unit, k = _COURSE_OUT_OF_10.get(c.unit, (c.unit, 1))
    return unit, w.num(round(c.points[0].value * k, 1)), w.num(round(c.points[1].value * k, 1))


def wait_card(store: m.EvidenceStore, page_of) -> str:
    courses = [c for c in store.courses.values() if c.outcome == "pain" and len(c.points) >= 2 and c.points[0].weeks == 0
               and c.group.startswith("new")]
    if not courses:
        return ""
    how_long = page_of("how-long-will-it-last.md")

    def course(c: m.Course) -> str:
        unit, start, then = _course_start(c)
        return (f"{_h(w.cap(c.group))}: {_h(unit)} went from {start} at {_h(c.points[0].time)} to {then} at "
                f"{_h(c.points[1].time)}[@{c.source}].")

    change = " ".join(course(c) for c in courses)
    facts = store.options.get(m.WAIT_AND_SEE)
    rows = [
        ("What it involves", "Carrying on with daily life and seeing how it goes, without a particular treatment. Most "
                             "people in these studies had some usual care, so the figures show what usually happens"
                             f"[{'; '.join('@' + k for k in dict.fromkeys(c.source for c in courses))}]."),
        ("Chance of feeling better", "Not reported as a chance out of 100 in the studies we use."),
        ("How pain changed", change + f" Later figures are on [how long it may last]({how_long})."),
        ("How sure we are", "These are studies that followed people over time, not trials, so there is no certainty "
                            f"rating like the others. See [how long it may last]({how_long})."),
        ("Minor harms and side effects", "No side effects of a treatment."),
        ("Serious harms", "Waiting can miss a serious cause of pain. Check the "
                               f"[warning signs]({page_of('when-to-see-a-professional.md')}), and get help if any of them "
                               "applies to you."),
        ("Time and money", _h(facts_words(facts)) or "None."),
        ("Can I do it myself?", "Yes. Keep going with your usual activities as best you can."),
        ("Who the evidence comes from", " ".join(_h(_end(c.population)) for c in courses)),
    ]
    link = f'<p class="tpg-opt__more" markdown="span">[How long it may last]({how_long}): how pain usually changes over time.</p>'
    # the one line gives the figures too: "what usually happens..." alone made the most reassuring
    # option look empty to a patient reviewer
    def brief(c: m.Course) -> str:
        unit, start, then = _course_start(c)
        return f"{c.group}, {unit} from {start} to {then} by {c.points[1].time}"

    gist = "what usually happens with ordinary care and no particular treatment: " + "; ".join(map(brief, courses))
    fit = fits(store, None, facts)
    return _card_html(m.WAIT_AND_SEE, "Waiting and seeing", gist, fit, rows, link, False,
                      fit_reasons(store, None, facts, fit))


def option_grid(store: m.EvidenceStore, page_of) -> str:
    cards = [card(store, t, page_of) for t in _options(store)]
    wait = wait_card(store, page_of)
    cards += [wait] if wait else []
    return "\n".join(['<div class="tpg-grid" data-option-grid markdown="1">',
                      '<p class="tpg-grid__result" data-values-result aria-live="polite" hidden></p>',
                      *cards, "</div>"])


# ---------------------------------------------------------------------------
# The grid as a table (handouts, the summary)
# ---------------------------------------------------------------------------


# The finding a table row shows: a chance out of 100 when there is one, else the change. Its
# certainty is the one the row gives (a clinician reviewer found tablets' "51 in 100" labelled with
# the certainty of the pain finding instead).
def brief_finding(store: m.EvidenceStore, t: m.Treatment) -> m.Finding | None:
    chance, change = chance_finding(store, t), change_finding(store, t)
    # a single trial never speaks for the option when a pooled result exists, as on the card (a
    # patient reviewer's summary sheet showed hands-on therapy's one shoulder trial, "55 in 100",
    # and made it look the strongest option)
    if chance and change and chance.studies == 1 and (change.pooled or (change.studies or 0) > 1):
        return change
    return chance or change


# The words of brief_finding's result, so that a row's words and its certainty are of one finding.
def brief_benefit(store: m.EvidenceStore, t: m.Treatment) -> str:
    f = brief_finding(store, t)
    if f is None:
        return "No finding yet"
    lead = _h(who_lead(store, t, [f]))
    if f.measure == "proportions":  # a chance out of 100 (change_finding never gives one)
        a, b = (half_up(x) for x in f.rates)
        return (f"{lead}{a} in 100 {f.event}{_tested(f)}, against {b} in 100 with {_comparison(store, f)}"
                f"{_when(f.timepoint_detail)}[@{f.source}]")
    scaled = on_0_to_10(store, f)
    if scaled:
        est, _, mid = scaled
        text = f"{lead}about {w.num(round(abs(est), 1))} points less pain out of 10 than {_comparison(store, f)}"
        if mid is not None:
            text += f" (the smallest change most people notice: {w.num(round(mid, 1))})"
        return text + f"[@{f.source}]"
    said = w.statement(f, store.vocab, t, with_comparison=False).rstrip(".")
    if lead:
        said = _lower_first(said)
    # the comparison in the card's words ("advice to rest in bed", not "another treatment": an assessor
    # found the two disagree)
    return lead + _h(f"{said} (against {_comparison(store, f)})") + f"[@{f.source}]"


def brief_harm(store: m.EvidenceStore, t: m.Treatment, seriousness: str) -> str:
    items = harms_of(store, t, seriousness, 1)
    if not items:
        return NO_HARM_BRIEF
    h = items[0]
    return _h(harm_line(h, brief=True).rstrip(".")) + f"[@{h.source}]"


# hidden: every row starts hidden (the summary shows the ticked ones).
def grid_table(store: m.EvidenceStore, page_of, *, hidden: bool = False) -> str:
    head = ["Option", "Chance or change (against comparison), and how sure", "Minor harms", "Serious harms",
            "What it asks of you"]
    extra = " tpg-mine__table" if hidden else ""
    out = [f'<table class="tpg-gridtable tpg-stack{extra}" markdown="1">', "<caption>Every option side by side: out of 100 people like those in the studies "
           "where the studies counted people, over the time given; a figure with no time frame had none in its source</caption>",
           "<thead><tr>" + "".join(f'<th scope="col">{_h(h)}</th>' for h in head) + "</tr></thead>", '<tbody markdown="1">']

    def row(oid: str, name: str, cells) -> str:
        return (f'<tr markdown="1"{" hidden" if hidden else ""} data-option="{_h(oid)}"><th scope="row" data-label="{_h(head[0])}" markdown="span">{name}</th>'
                + "".join(f'<td data-label="{_h(label)}" markdown="span">{c}</td>' for label, c in zip(head[1:], cells)) + "</tr>")

    for t in _options(store):
        shown = brief_finding(store, t)
        sure = f"; {shown.certainty} certainty" if shown else "; certainty not rated"
        cells = [brief_benefit(store, t) + _h(sure), brief_harm(store, t, "minor"), brief_harm(store, t, "serious"),
                 _h(facts_brief(store.options.get(t.id)))]
        out.append(row(t.id, f"[{_h(t.name)}]({page_of(t.page)})", cells))
    if store.courses:
        out.append(row(m.WAIT_AND_SEE, "Waiting and seeing", [
            "Most new neck and back pain eases over the first weeks; not rated (studies that followed people)", "None",
            "A serious cause can be missed: check the warning signs", _h(facts_brief(store.options.get(m.WAIT_AND_SEE)))]))
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


# One option's numbers for its leaflet, as Markdown list items.
def option_numbers(store: m.EvidenceStore, t: m.Treatment, *, asks: bool = True) -> str:
    lines = []
    chance, change = chance_finding(store, t), change_finding(store, t)
    if chance:
        # who took part, and which form of the treatment was tested (one gel of several, say)
        lines.append(f"- **Chance of feeling better:** {_h(chance_text(store, chance, t, who=False))} From "
                     f"{_h(w.evidence_base(chance))}: {_h(_who(chance))} How sure we are: "
                     f"{_h(chance.certainty)} certainty.[@{chance.source}]")
    if change:
        lines.append(f"- **How much it changed:** {_h(change_text(store, change, t, brief=True))} How sure we are: "
                     f"{_h(change.certainty)} certainty.[@{change.source}]")
    sessions = False
    for seriousness, label in (("minor", "Minor harms and side effects"), ("serious", "Serious harms")):
        for h in harms_of(store, t, seriousness, 1):
            lines.append(f"- **{label}:** {_h(harm_line(h))}[@{h.source}]")
            sessions |= per_session(h.how_often) and h.how_often.kind == "rate"
    if sessions:  # said once, after the figures it explains
        lines.append(f"- {_h(PER_SESSION_NOTE)}")
    if asks:
        lines.append(f"- **What it asks of you:** {_h(facts_words(store.options.get(t.id)))}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# What matters to you, and the summary to take along
# ---------------------------------------------------------------------------

STORAGE_NOTE = ("Your answers stay on this device. They are kept in this browser's local storage so they are still here "
                "when you come back, and are never sent anywhere: this page makes no request with them and sets no "
                "cookies. Use the button to clear them.")


def values_step(store: m.EvidenceStore) -> str:
    out = ['<form class="tpg-values" id="what-matters-form" data-values aria-describedby="tpg-values-note">',
           f'<p class="tpg-values__note" id="tpg-values-note">{_h(STORAGE_NOTE)}</p>']
    for vid, question, _ in VALUES:
        out.append(f'<fieldset class="tpg-values__item"><legend>{_h(question)}</legend>')
        for value, label in RATINGS:
            out.append(f'<label><input type="radio" name="{vid}" value="{value}"> {_h(label)}</label>')
        out.append("</fieldset>")
    # a link to the options (a patient reviewer answered the last question and did not find the
    # result: it sits above the cards, below a folded section)
    out += ['<p class="tpg-values__buttons"><button type="button" class="md-button" data-values-clear>Clear my answers</button></p>',
            '<p><a class="tpg-values__jump" href="#every-option">See which options fit you</a></p>',
            "</form>"]
    return "\n".join(out)


def my_options(store: m.EvidenceStore, page_of, searched: str) -> str:
    names = [(t.id, t.name) for t in _options(store)] + ([(m.WAIT_AND_SEE, "Waiting and seeing")] if store.courses else [])
    out = ['<form class="tpg-mine" data-mine aria-describedby="tpg-mine-note" markdown="1">',
           f'<p class="tpg-mine__note" id="tpg-mine-note">{_h(STORAGE_NOTE)}</p>',
           '<fieldset class="tpg-mine__options"><legend>1. The options I am considering (tick two or three)</legend>']
    out += [f'<label><input type="checkbox" name="option" value="{_h(oid)}"> {_h(name)}</label>' for oid, name in names]
    out += ["</fieldset>",
            '<div class="tpg-mine__numbers" markdown="1"><p class="tpg-mine__lead">Their numbers, from the options page:</p>',
            '<p class="tpg-mine__blank" data-mine-blank>Copy them from the options page: the chance of feeling better (and with '
            "what it was compared), how sure we are, common side effects and serious harms.</p>",
            grid_table(store, page_of, hidden=True),
            "</div>",
            '<fieldset class="tpg-mine__values"><legend>2. What matters most to me</legend>']
    out += [f'<label><input type="checkbox" name="matters" value="{vid}"> {_h(question)}</label>' for vid, question, _ in VALUES]
    out += ["</fieldset>",
            '<fieldset class="tpg-mine__lean"><legend>3. Which way I lean</legend>',
            '<label><input type="radio" name="lean" value="one"> Towards one option:</label> '
            '<label class="tpg-mine__text"><span class="tpg-sr-only">Which option</span><input type="text" name="lean_option" '
            'autocomplete="off"></label>',
            '<label><input type="radio" name="lean" value="unsure"> Not sure yet</label>',
            '<label><input type="radio" name="lean" value="wait"> Towards waiting and seeing</label>',
            "</fieldset>",
            '<p class="tpg-mine__questions"><label for="tpg-mine-q">4. Questions I still have</label>'
            '<textarea id="tpg-mine-q" name="questions" rows="4"></textarea></p>',
            f'<p class="tpg-mine__dates">Date: <span data-mine-date>______________</span>. The evidence was last searched '
            f"{_h(searched)}. The numbers, with their sources, are on the options page of Trigger Point Guide.</p>",
            '<p class="tpg-mine__buttons"><button type="button" class="md-button md-button--primary" data-mine-print>'
            'Print my summary</button> <button type="button" class="md-button" data-mine-clear>Clear my answers</button></p>',
            "</form>"]
    return "\n".join(out)
