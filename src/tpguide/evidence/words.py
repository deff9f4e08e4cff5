"""Findings in words and numbers: GRADE statements, effect sizes, certainty, MIDs, harm rates.

Statements follow the GRADE informative-statement pattern (Santesso et al. 2020, see
EVIDENCE.md): the certainty picks the verb ("reduces" / "probably reduces" / "may reduce" /
"we are very uncertain whether ... reduces"), the size of the effect picks the words ("a large
reduction", "slightly", "little to no difference"). The size comes from the numbers: the
finding's MID when a verified source gives one, otherwise the usual SMD rule of thumb (0.2
small, 0.5 moderate, 0.8 large), and "unclear" when the 95% CI includes no effect.
"""

from __future__ import annotations

import datetime as dt
import re

from . import model as m
from .icons import half_up

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

SMD_SLIGHT, SMD_MODERATE, SMD_LARGE = 0.2, 0.5, 0.8
MINUS = "\u2212"
SIZES = ("large", "moderate", "slight", "trivial", "unclear", "worse", "none")
_MODAL = {"high": "", "moderate": "probably ", "low": "may "}
CERTAINTY_MEANING = {
    "high": "We are very confident that the true effect is close to this.",
    "moderate": "The true effect is probably close to this, but it may be quite different.",
    "low": "The true effect may be quite different from this.",
    "very low": "The true effect is likely to be quite different from this.",
}


# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


# A number as printed: true minus sign; `decimals` fixed, else the shortest form (no ".0").
def num(value: float | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    if decimals is not None:
        text = f"{float(value):.{decimals}f}"
    else:
        text = repr(round(float(value), 4))
        if text.endswith(".0"):
            text = text[:-2]
    return text.replace("-", MINUS)


# Decimals to print an estimate and its CI with: the finding's own `decimals` (to keep a
# source's trailing zeros, "-0.40"), else None: each number in its shortest form, as written.
def decimals_of(f: m.Finding) -> int | None:
    return f.decimals


def count(value: int) -> str:
    return f"{value:,}"


# A count out of 100 or 1,000, rounded half up (40.5 is 41); below half, "fewer than 1".
def whole(value: float) -> str:
    if value < 0.5:
        return "fewer than 1" if value > 0 else "0"
    return count(half_up(value))


# "about 3 events", "about 1 event", "fewer than 1 event" (noun "event"); "about 3", "fewer than 1"
# without one: a count out of 100 or 1,000 as the decision aid and the harm lines say it.
def about(value: float, noun: str = "") -> str:
    n = whole(value)
    text = n if n.startswith("fewer") else f"about {n}"
    return text + (f" {noun}{'' if n in ('1', 'fewer than 1') else 's'}" if noun else "")


# A finding's time point joined to a sentence: "..., after 5 days", "..., over 3 to 13 weeks", "...,
# in the short term, as the review defined it"; a detail that is not a time ("pain over the past 7
# days, after 12 weeks") goes in brackets.
def when(detail: str) -> str:
    if not detail:
        return ""
    first = detail.split(" ", 1)[0].lower()
    if first in ("after", "at", "up", "over", "within", "during", "by", "in", "from", "until", "between", "immediately",
                 "right", "straight", "on", "as") or re.match(r"\d+(?: to \d+)? \w+ after\b", detail):
        return f", {detail}"
    if detail.lower().startswith(("the end", "the follow-up")):
        return f", at {detail}"
    if detail.lower().startswith("short term"):
        return f", in the {detail}"
    if first == "longer-term":
        return f", at the {detail}"
    if first[:1].isdigit() or first == "the":
        return f", over {detail}"
    return f" ({detail})"


# "SMD −0.81 (95% CI −1.21 to −0.40)", "MD −2.31 points on a 0 to 10 scale (95% CI ...)".
def numbers(f: m.Finding) -> str:
    if f.measure == "narrative":
        return ""
    if f.measure == "proportions":
        a, b = f.rates
        # counts out of 100, with what they count and when ("78 in 100 had their pain at least
        # halved with treatment, against 20 in 100 with the comparison, at the end of each trial")
        event = f" {f.event}" if f.event else ""
        # whole numbers, rounded as the decision aid's "out of 100" pictures are (a reviewer found
        # "54.9 in 100" in a sentence and "55 out of 100" in the picture below it)
        text = f"{whole(a)} in 100{event} with treatment, against {whole(b)} in 100 with the comparison{when(f.timepoint_detail)}"
        if f.estimate is not None:
            d = decimals_of(f)
            text += f"; {num(f.estimate, d)}" + (f" (95% CI {num(f.ci[0], d)} to {num(f.ci[1], d)})" if f.ci else "")
        return text
    d = decimals_of(f)
    unit = f" {f.unit}" if f.measure == "MD" and f.unit else ""
    ci = f" (95% CI {num(f.ci[0], d)} to {num(f.ci[1], d)})" if f.ci else " (no confidence interval given)"
    return f"{f.measure} {num(f.estimate, d)}{unit}{ci}"


# How the studies behind a finding were combined: one study, several pooled in a meta-analysis,
# or several not pooled. One place decides, so a card, a sentence and a chart never disagree.
SINGLE, POOLED, NOT_POOLED = "single", "pooled", "not pooled"


def synthesis(f: m.Finding) -> str:
    if f.studies == 1 and f.study_kind == "study":
        return SINGLE
    return POOLED if f.pooled else NOT_POOLED


# "1 study, 42 people" / "5 studies, 280 people, pooled" / "15 studies, not pooled" /
# "several studies pooled" / "several studies, not pooled" / "36 systematic reviews, not pooled".
def evidence_base(f: m.Finding) -> str:
    how = synthesis(f)
    if f.studies is None:
        text = "several studies pooled" if how == POOLED else "several studies, not pooled"
    elif f.study_kind == "review":
        text = f"{count(f.studies)} systematic review{'' if f.studies == 1 else 's'}"
    else:
        text = f"{count(f.studies)} {'study' if f.studies == 1 else 'studies'}"
    if f.participants:
        text += f", {count(f.participants)} people"
    if f.studies is not None and how != SINGLE:
        text += ", pooled" if how == POOLED else ", not pooled"
    return text


# ---------------------------------------------------------------------------
# Size and direction
# ---------------------------------------------------------------------------


def null_value(f: m.Finding) -> float:
    return 1.0 if f.measure in ("RR", "OR") else 0.0


# Does the finding's estimate favour the treatment?
def favours_treatment(f: m.Finding) -> bool | None:
    if f.measure == "narrative":
        return {"benefit": True, "harm": False}.get(f.effect)
    if f.measure == "proportions":
        a, b = f.rates
        return (a > b) if f.better == "higher" else (a < b)
    if f.estimate is None or f.measure == "kappa":
        return None
    above = f.estimate > null_value(f)
    return above if f.better == "higher" else not above


def ci_includes_null(f: m.Finding) -> bool:
    return f.ci is not None and f.ci[0] <= null_value(f) <= f.ci[1]


# One of SIZES: how big the effect is, from the numbers (see the module docstring).
def size(f: m.Finding, vocab: m.Vocabulary) -> str:
    if f.measure == "kappa":
        return "none"
    if f.measure == "narrative":
        return {"benefit": "moderate", "no-difference": "trivial", "unclear": "unclear", "harm": "worse"}[f.effect]
    mid = vocab.mids.get(f.mid) if f.mid else None
    if ci_includes_null(f):
        if mid and max(abs(f.ci[0]), abs(f.ci[1])) < mid.value:
            return "trivial"
        if f.measure == "SMD" and max(abs(f.ci[0]), abs(f.ci[1])) < SMD_SLIGHT:
            return "trivial"
        return "unclear"
    if favours_treatment(f) is False:
        return "worse"
    if f.measure == "SMD":
        value = abs(f.estimate)
        if value >= SMD_LARGE:
            return "large"
        if value >= SMD_MODERATE:
            return "moderate"
        return "slight" if value >= SMD_SLIGHT else "trivial"
    if mid and f.estimate is not None:
        return "moderate" if abs(f.estimate) >= mid.value else "slight"
    if f.below_mid:  # the source's own word that the difference was below the MID
        return "slight"
    return "moderate"


# ---------------------------------------------------------------------------
# Statements
# ---------------------------------------------------------------------------


def _third(verb: str, plural: bool = False) -> str:
    if plural:
        return verb
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x", "z")) else "s")


# The GRADE statement for a finding, e.g. "Compared with sham, dry needling may reduce pain."
# treatment: a Treatment (its short name, and whether it is plural: "NSAID tablets reduce") or a name.
def statement(f: m.Finding, vocab: m.Vocabulary, treatment, *, with_comparison: bool = True) -> str:
    if f.measure == "kappa":
        return _sentence(f.result)
    t, plural = (treatment, False) if isinstance(treatment, str) else (treatment.short, treatment.plural)
    if f.treatment_detail and not isinstance(treatment, str):
        # the form that was tested, where narrower than the treatment: "CBT probably reduces pain",
        # not "psychological therapy" for a CBT-only result
        t, plural = f.treatment_detail, False
    outcome = vocab.outcomes[f.outcome]
    verb, obj, noun = outcome.verb, outcome.object, outcome.noun

    def third(v: str) -> str:
        return _third(v, plural)

    def conj(certainty: str, v: str) -> str:
        return _conj(certainty, v, plural)

    kind = size(f, vocab)
    c = f.certainty
    if c == "very low":
        if kind == "trivial":
            text = f"we are very uncertain whether {t} {'make' if plural else 'makes'} any difference to {obj}"
        else:
            text = f"we are very uncertain whether {t} {third(verb)} {obj}"
    elif kind == "unclear":
        text = f"it is not clear whether {t} {third(verb)} {obj}: the results fit both a benefit and no difference"
    elif kind == "worse":
        other = vocab.comparisons[f.comparison].phrase if f.comparison in vocab.comparisons else "the comparison"
        if f.comparison == "other-treatment":
            text = f"{t} {conj(c, verb)} {obj} less than {other}"
        else:
            text = f"{t} {conj(c, 'make')} {obj} worse"
    elif kind == "large":
        text = f"{t} {conj(c, 'result')} in a large {noun} in {obj}"
    elif kind == "slight":
        text = f"{t} {conj(c, verb)} {obj} slightly"
    elif kind == "trivial":
        text = f"{t} {conj(c, 'result')} in little to no difference in {obj}"
    else:
        text = f"{t} {conj(c, verb)} {obj}"
    if with_comparison and f.comparison in vocab.comparisons and not (kind == "worse" and f.comparison == "other-treatment"):
        text = f"compared with {compared_with(f, vocab)}, {text}"
    return _sentence(text)


# What a finding's treatment was compared with, for a statement: the source's own words when they
# name one placebo plainly ("a placebo (dummy) gel", "placebo (dummy) tablets"), else the
# vocabulary's phrase ("a sham (fake) treatment or placebo" read oddly for a gel against a dummy gel).
def compared_with(f: m.Finding, vocab: m.Vocabulary) -> str:
    detail = f.comparison_detail.strip()
    if (f.comparison == "sham" and detail and len(detail) <= 30 and re.search(r"\b(?:placebo|dummy)\b", detail)
            and not re.search(r"[\d,;:]", detail)):
        return detail
    return vocab.comparisons[f.comparison].phrase


def _conj(certainty: str, verb: str, plural: bool = False) -> str:
    modal = _MODAL.get(certainty, "may ")
    if not modal:
        return _third(verb, plural)
    return modal + (_third(verb, plural) if modal == "probably " else verb)


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# "Low certainty", and the reasons: "rated down for inconsistency and imprecision".
def certainty_label(f: m.Finding) -> str:
    return f"{f.certainty[0].upper()}{f.certainty[1:]} certainty"


def downgrade_text(f: m.Finding) -> str:
    if not f.downgrades:
        return ""
    items = list(f.downgrades)
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
    return f"rated down for {joined}"


def rated_by(f: m.Finding) -> str:
    return "the review's rating" if f.certainty_by == "review" else "our rating"


# ---------------------------------------------------------------------------
# Plain words and MIDs
# ---------------------------------------------------------------------------


# "about 2.3 points less pain (on a 0 to 10 scale)" for an MD; else the numbers in brief.
# For an SMD, `who` names the treatment ("in favour of dry needling") and `ci` goes inside its
# bracket, so a card reads one bracket, not two.
def plain_effect(f: m.Finding, vocab: m.Vocabulary, *, who: str = "the treatment", ci: str = "") -> str:
    outcome = vocab.outcomes[f.outcome]
    if f.measure == "MD" and f.estimate is not None:
        amount = num(round(abs(f.estimate), 1))
        unit = f.unit
        if unit.startswith("points"):
            rest = unit[len("points"):].strip()
            good = favours_treatment(f)
            # a bad thing goes down ("2.3 points less pain"); a good thing improves ("an improvement of
            # 7.7 points in function"), whatever the direction of the scale
            if outcome.verb == "reduce":
                text = f"about {amount} points {'less' if good else 'more'} {outcome.object}"
            else:
                text = f"{'an ' + outcome.noun if good else 'a worsening'} of about {amount} points in {outcome.object}"
            return text + (f" ({rest})" if rest else "")
        # "about", so no more precision than a reader can use ("about 1.06" read as a measurement)
        return f"a difference of about {num(round(f.estimate, 1))} {unit}"
    if f.measure == "SMD" and f.estimate is not None:
        # the size without its sign, so the side it favours in words (a patient reviewer met
        # "SMD -0.69" on one page and "0.69" on another); and "medium" never stands alone
        # when the range of likely results includes no difference
        side = f"in favour of {who}" if favours_treatment(f) else "in favour of the comparison"
        size = f"{_smd_size(abs(f.estimate))} by a common rule of thumb"
        if ci_includes_null(f):
            size = f"{size}, but the range of likely results includes no difference"
        return f"a standardised difference of {num(abs(f.estimate))} {side} ({ci + ': ' if ci else ''}{size})"
    if f.measure == "proportions":
        a, b = f.rates
        return f"{num(a)}% against {num(b)}%"
    if f.measure in ("RR", "OR") and f.estimate is not None:
        return f"a {'risk' if f.measure == 'RR' else 'odds'} ratio of {num(f.estimate)}"
    return f.result


# Cohen's small, medium and large: "medium", not "moderate", which beside "low certainty" read as a
# certainty grade (a practitioner reviewer).
def _smd_size(value: float) -> str:
    if value >= SMD_LARGE:
        return "large"
    if value >= SMD_MODERATE:
        return "medium"
    return "small" if value >= SMD_SLIGHT else "very small"


# (verdict, text) for "is it big enough to notice?": verdict yes | no | unknown.
def noticeable(f: m.Finding, vocab: m.Vocabulary, short: bool = False) -> tuple[str, str]:
    mid = vocab.mids.get(f.mid) if f.mid else None
    if mid is None and f.below_mid:
        lead = "Probably too small to notice" if short else "Probably not"
        return "no", (f"{lead}: the study's authors say the difference was smaller than the smallest change "
                      "people notice (the minimal important difference).")
    if mid is None or f.estimate is None:
        if f.measure == "SMD" and f.estimate is not None:
            return "unknown", "No verified minimal important difference for this mix of scales."
        return "unknown", "No verified minimal important difference for this scale."
    value = num(mid.value)
    unit = mid.unit[len("points"):] if mid.value == 1 and mid.unit.startswith("points") else mid.unit
    unit = ("point" + unit) if unit is not mid.unit else unit
    near = min(abs(f.ci[0]), abs(f.ci[1])) if f.ci and not ci_includes_null(f) else 0.0
    meaning = "" if short else f" ({mid.meaning})"
    if abs(f.estimate) >= mid.value:
        extra = " The range of likely values also includes smaller changes." if near < mid.value else ""
        lead = "Big enough to notice" if short else "Yes"
        return "yes", f"{lead}: more than {value} {unit}, the smallest change people notice{meaning}.{extra}"
    lead = "Probably too small to notice" if short else "Probably not"
    # the far end of the range may still reach it (the shoulder trial: 7.7, range 1.2 to 14.2, against
    # 10.2): a fact-checker read a flat "probably not" as overstated
    far = max(abs(f.ci[0]), abs(f.ci[1])) if f.ci and not ci_includes_null(f) else 0.0
    extra = " The range of likely values also includes changes big enough to notice." if far >= mid.value else ""
    return "no", f"{lead}: less than {value} {unit}, the smallest change people notice{meaning}.{extra}"


# How often a harm happens, in words: "1,463 of 7,629 treatments (19.2%)".
def how_often(h: m.Harm) -> str:
    o = h.how_often
    if o.kind == "rate":
        unit = o.unit
        if o.rate_range is not None:
            low, high = o.rate_range
            return (f"between {_pct(low)} and {_pct(high)} of {unit} "
                    "(the lowest and highest estimates in the source, not one pooled rate)")
        if o.counted == "events":
            per100 = o.rate if o.rate is not None else round(100.0 * o.n / o.of, 1 if o.n / o.of >= 0.01 else 2)
            events = f"{count(o.n)} events in {count(o.of)} {unit}" if o.n is not None else f"in a study of {count(o.of)} {unit}"
            if per100 < 1:  # rarer than 1 in 100: per 1,000, as the decision aid says it (a patient reviewer
                # found "0.1 events per 100" here and "1 event per 1,000" there); the source's figure stays
                per1000 = (o.rate * 10) if o.rate is not None else 1000.0 * o.n / o.of
                lead = about(per1000, "event") if per1000 > 0 else "fewer than 1 event"  # 0 events too
                return (f"{lead} per 1,000 {unit} ({events if o.n is not None else f'{num(per100)} per 100, ' + events}; "
                        "events, not people: one person can have more than one)")
            # a whole number, as the decision aid says it (the phone reviewer read "19.2 events per 100"
            # as false precision); the counts, or the source's own figure, stay in brackets
            detail = events if o.n is not None else f"{num(per100)} per 100, {events}"
            return (f"{about(per100, 'event')} per 100 {unit} ({detail}; events, not people: "
                    "one person can have more than one)")
        elif o.n is not None and o.of and o.comparison_n is not None:
            # both groups out of the same number, the comparison beside the option (issue 23)
            text = f"{count(o.n)} in {count(o.of)} {unit}, against {count(o.comparison_n)} in {count(o.of)} with {o.comparison}"
            if o.time_frame:
                text += f", over {o.time_frame}"
        elif o.n is not None and o.of:
            pct = o.rate if o.rate is not None else round(100.0 * o.n / o.of, 1 if o.n / o.of >= 0.01 else 2)
            text = f"{count(o.n)} of {count(o.of)} {unit} ({_pct(pct)})"
        elif o.of:
            text = f"{_pct(o.rate)} of {count(o.of)} {unit}"
        else:
            text = f"{_pct(o.rate)} of {unit}"
        if o.rate_ci:
            text += f"; 95% CI {_pct(o.rate_ci[0])} to {_pct(o.rate_ci[1])}"
        return text
    if o.kind == "relative":
        return ratio_words(o)
    if o.kind == "case-series":
        studies = "1 study" if o.studies == 1 else f"{count(o.studies)} studies"
        return (f"Known from {studies} of {count(o.of)} people treated for it, not from people who used it: "
                "how often it happens is not known")
    if o.kind == "none-seen":
        text = f"None seen in {count(o.of)} {o.unit}"
        if o.upper_rate is not None:
            # as a count, the way the rates beside it read (a patient reviewer could not set "at
            # most 0.04%" against "about 1 event per 1,000"); the source's percentage stays
            u = o.upper_rate
            per = (f"{num(round(u * 100, 1))} in 10,000" if u < 0.1 else f"{num(round(u * 10, 1))} in 1,000" if u < 1
                   else f"{num(round(u, 1))} in 100")
            text += f" (so probably at most {per}, or {_pct(u)})"
        return text
    if o.kind == "case-reports":
        cases = "1 case" if o.cases == 1 else f"{count(o.cases)} cases"
        return f"Case reports only ({cases}): how often it happens is not known"
    where = ", ".join(o.searched)
    if o.direction:
        return (f"{cap(direction_words(o))}, but how often was not reported: no figure found in {where} "
                f"as of {o.as_of:%-d %B %Y}")
    # the answer first ("Not known"), then where we looked (a clinician reviewer read "No data found
    # in PubMed, ..." as a search log, not an answer)
    return f"Not known: we found no figure in {where} (as of {o.as_of:%-d %B %Y})"


def direction_words(o: m.HowOften) -> str:
    return {"more": f"more common than with {o.comparison}", "less": f"less common than with {o.comparison}",
            "no-difference": f"no clear difference from {o.comparison}"}[o.direction]


# A ratio in words: the direction first, then the ratio with its interval, then what is not known.
# Never "N extra in 100": the sources give no absolute rate for the option (issue 23).
def ratio_direction(o: m.HowOften) -> str:
    low, high = o.ratio_ci if o.ratio_ci else (o.ratio, o.ratio)
    if low <= 1 <= high and o.ratio_ci:
        return f"no clear difference from {o.comparison}"
    if o.ratio > 1:
        return f"more common than with {o.comparison} (about {num(round(o.ratio, 1))} times as common)"
    if o.ratio < 1:
        return f"less common than with {o.comparison}"
    return f"as common as with {o.comparison}"


def ratio_words(o: m.HowOften) -> str:
    name = {"RR": "risk ratio", "OR": "odds ratio", "HR": "hazard ratio"}.get(o.measure, o.measure)
    text = cap(ratio_direction(o))
    text += f" ({name} {num(o.ratio)}"
    if o.ratio_ci:
        text += f", 95% CI {num(o.ratio_ci[0])} to {num(o.ratio_ci[1])}"
    text += ")"
    if o.time_frame:
        text += f", over {o.time_frame}"
    if o.comparison_n is not None:
        text += (f". With {o.comparison}, {count(o.comparison_n)} in {count(o.of)} {o.unit} had it; "
                 "the source gives no rate for the option itself")
    else:
        text += f". How many {o.unit} out of 100 have it was not reported"
    return text


def cap(text: str) -> str:  # "more common" -> "More common"
    return text[:1].upper() + text[1:]


# How often, in a few words, for summaries (the options table).
def how_often_brief(h: m.Harm) -> str:
    if h.how_often.kind == "relative":
        return ratio_direction(h.how_often) + "; how many in 100 not reported"
    if h.how_often.kind == "no-data" and h.how_often.direction:
        return direction_words(h.how_often) + "; how many in 100 not reported"
    if h.how_often.kind == "no-data":
        return "how often is not known"
    if h.how_often.kind == "case-reports":
        return "case reports only, how often is not known"
    if h.how_often.kind == "case-series":
        return "seen in studies of people treated for it; how often is not known"
    return how_often(h)


# Does the source find no more of this harm than with the comparison: counts no higher than the
# comparison group's, a ratio whose interval holds 1 (or below 1), "no difference" or "less"
# without a figure, or none seen at all? Such harms are listed after the ones that happen
# (render.harms_by_kind): "Serious: no clear difference ..." first hid the liver damage of an
# overdose of paracetamol behind "(2 more in the table)".
def reassuring(h: m.Harm) -> bool:
    o = h.how_often
    if o.kind == "rate" and o.n is not None and o.comparison_n is not None:
        # no more often than in the comparison group ("19 in 1,000 with duloxetine, against 21 with
        # placebo" read as "safer" at the top of the summary)
        return o.n <= o.comparison_n
    if o.kind == "relative":
        return o.ratio <= 1 or bool(o.ratio_ci and o.ratio_ci[0] <= 1)
    if o.kind == "no-data":
        return o.direction in ("less", "no-difference")
    return o.kind == "none-seen"


# A percentage as given in the data (3.01 stays 3.01); computed ones are rounded by the caller.
def _pct(value: float | None) -> str:
    if value is None:
        return ""
    return num(value) + "%"


# When searches ran, read as one: "on 5 January 2026", "between 1 and 6 December 2026", "between 30
# November and 6 December 2026", "between 1 December 2025 and 6 January 2026".
def when_searched(first: dt.date, last: dt.date) -> str:
    if first == last:
        return f"on {first:%-d %B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"between {first:%-d} and {last:%-d %B %Y}"
    if first.year == last.year:
        return f"between {first:%-d %B} and {last:%-d %B %Y}"
    return f"between {first:%-d %B %Y} and {last:%-d %B %Y}"
