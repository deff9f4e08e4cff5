"""Records of the evidence base and the store that indexes them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------
# Fixed words (not editable in data: GRADE has four levels and five reasons)
# ---------------------------------------------------------------------------

CERTAINTIES = ("high", "moderate", "low", "very low")
DOWNGRADES = ("risk of bias", "inconsistency", "indirectness", "imprecision", "publication bias")
CERTAINTY_BY = ("review", "editors")
MEASURES = ("SMD", "MD", "RR", "OR", "proportions", "narrative", "kappa")
EFFECTS = ("benefit", "no-difference", "unclear", "harm")  # narrative findings only
SERIOUSNESS = ("minor", "serious")
HARM_KINDS = ("rate", "relative", "none-seen", "case-series", "case-reports", "no-data")
RATIO_MEASURES = ("RR", "OR", "HR", "rate ratio")
DIRECTIONS = ("more", "less", "no-difference")  # a no-data harm whose source gives the direction only  # kind: relative; never shown as "N in 100"
HELP_KINDS = ("crisis", "condition-info", "registration", "self-referral", "self-management", "report-harm")
COUNTED = ("people", "events")  # a rate's n counts people (or treatments) with the harm, or events
TREATMENT_KINDS = ("treatment", "self-care", "medicine", "test")
BETTER = ("lower", "higher")
SEARCH_OUTCOMES = ("changed", "no change")  # what a search found, for the site
DEFAULT_SEARCH_MONTHS = 12  # a topic is searched again every 12 months unless searches.yml says otherwise


# The same day `months` later (the month's last day when it is shorter: 31 Jan + 1 month = 28/29 Feb).
def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no day in {year}-{month}")


# ---------------------------------------------------------------------------
# Vocabulary (evidence/vocabulary.yml)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str  # "Pain"
    object: str  # "pain", as in "may reduce pain"
    verb: str  # base form: "reduce", "improve"
    noun: str  # "reduction", "improvement"
    better: str  # lower | higher: which direction of the scale is good


@dataclass(frozen=True)
class Term:
    """A comparison, timepoint, region or urgency: an id, a label and optional words."""

    id: str
    label: str
    phrase: str = ""  # comparisons: "a sham (fake) treatment"; urgencies: what to do
    rank: int = 0  # order in tables


@dataclass(frozen=True)
class Mid:
    """A minimal important difference on one scale, from a verified source."""

    id: str
    outcome: str
    unit: str
    value: float
    meaning: str
    source: str


@dataclass
class Vocabulary:
    outcomes: dict[str, Outcome] = field(default_factory=dict)
    comparisons: dict[str, Term] = field(default_factory=dict)
    timepoints: dict[str, Term] = field(default_factory=dict)
    regions: dict[str, Term] = field(default_factory=dict)
    urgencies: dict[str, Term] = field(default_factory=dict)
    contexts: dict[str, Term] = field(default_factory=dict)
    mids: dict[str, Mid] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    path: str
    line: int


@dataclass(frozen=True)
class Treatment:
    id: str
    name: str  # "Dry needling"
    short: str  # "dry needling", inside a sentence
    kind: str
    page: str  # docs-relative .md path
    what: str  # Markdown, may cite
    burden: str  # time and cost, Markdown, may cite
    self_help: str  # what you can do yourself, Markdown, may cite
    headline: dict  # outcome id -> finding id, for the options table
    where: Where
    at_a_glance: tuple[str, ...] = ()  # finding ids shown first on its page; the rest fold away
    expect: str = ""  # what to expect during and after, Markdown, may cite (for the leaflet)
    leaflet_flags: tuple[str, ...] = ()  # warning-sign ids printed on its leaflet
    plural: bool = False  # its short name is plural ("NSAID tablets"): "reduce", not "reduces"


@dataclass(frozen=True)
class Finding:
    id: str
    treatment: str
    comparison: str
    comparison_detail: str
    population: str
    region: str
    outcome: str
    timepoint: str
    timepoint_detail: str
    measure: str
    unit: str  # MD: "points on a 0 to 10 scale"
    estimate: float | None
    ci: tuple[float, float] | None
    rates: tuple[float, float] | None  # proportions: (% with treatment, % with comparison)
    effect: str  # narrative: benefit | no-difference | unclear | harm
    result: str  # the result in the source's terms (plain text)
    studies: int | None
    participants: int | None
    pooled: bool
    certainty: str
    certainty_by: str
    downgrades: tuple[str, ...]
    certainty_note: str
    mid: str
    better: str
    source: str
    notes: str
    where: Where
    decimals: int | None = None  # decimals shown for estimate and CI (as printed in the source)
    study_kind: str = "study"  # "review": `studies` counts systematic reviews (an umbrella review)
    event: str = ""  # proportions: what the rates count, as in "had their pain at least halved"
    # the form of the treatment that was tested, where narrower than the treatment ("diclofenac gel")
    treatment_detail: str = ""
    # the source says the difference was smaller than the minimal important difference, without a
    # value we could verify for our vocabulary (a trial's "lower than the minimal important difference")
    below_mid: bool = False


@dataclass(frozen=True)
class HowOften:
    kind: str  # rate | relative | none-seen | case-series | case-reports | no-data
    ratio: float | None = None  # relative: the option's risk over the comparison group's (RR, OR, HR)
    ratio_ci: tuple[float, float] | None = None
    measure: str = ""  # relative: RR | OR | HR | rate ratio
    direction: str = ""  # no-data: what the source says without a number (more | less | no-difference), beside `comparison`
    rate: float | None = None  # percent
    rate_range: tuple[float, float] | None = None  # percent: lowest and highest estimate (not pooled)
    counted: str = "people"  # what n counts: "people" (or treatments) with the harm, or "events"
    studies: int | None = None  # case-series: how many studies of people treated for the harm
    comparison_n: int | None = None  # rate with n/of: how many of the same number had it in the comparison group
    comparison: str = ""  # who the comparison group were: "placebo tablets"
    time_frame: str = ""  # over how long: "1 day to 12 weeks"
    rate_ci: tuple[float, float] | None = None
    n: int | None = None
    of: int | None = None
    unit: str = ""  # treatments | patients | participants
    upper_rate: float | None = None  # none-seen: upper estimate, percent
    cases: int | None = None  # case-reports: how many cases our sources describe
    searched: tuple[str, ...] = ()  # no-data: where we looked
    as_of: dt.date | None = None  # no-data


@dataclass(frozen=True)
class Harm:
    id: str
    treatment: str
    event: str
    seriousness: str
    how_often: HowOften
    source: str
    notes: str
    where: Where


@dataclass(frozen=True)
class SearchRun:
    """One search of a topic: when, what it found for the site ("changed" or "no change"), notes."""

    searched: dt.date
    outcome: str  # "" (not recorded), "changed" or "no change"
    notes: str


@dataclass(frozen=True)
class Search:
    topic: str
    label: str
    searched: dt.date
    where_searched: tuple[str, ...]
    terms: str
    notes: str
    where: Where
    pubmed: str = ""  # the PubMed query `make evidence-watch` runs for records added since `searched`
    every_months: int = DEFAULT_SEARCH_MONTHS  # how often the topic is searched again
    outcome: str = ""  # of the latest search: "" (not recorded), "changed" or "no change"
    earlier: tuple[SearchRun, ...] = ()  # earlier searches, newest first

    @property
    def next_due(self) -> dt.date:
        return add_months(self.searched, self.every_months)

    # Every search of the topic, newest first (the latest one first).
    @property
    def runs(self) -> tuple[SearchRun, ...]:
        return (SearchRun(self.searched, self.outcome, self.notes),) + self.earlier

    def overdue(self, today: dt.date) -> bool:
        return self.next_due <= today


@dataclass(frozen=True)
class RedFlag:
    id: str
    sign: str  # what the reader notices, plain words
    bold: tuple[str, ...]  # words of the sign shown in bold, the ones a reader scans for
    urgency: str
    regions: tuple[str, ...]  # region ids, or ("all",)
    contexts: tuple[str, ...]  # e.g. after-needling
    advice: str  # extra words of what to do (optional)
    sources: tuple[str, ...]
    where: Where


# Where the bold words of a sign fall: (start, end) of the first whole-word match of each phrase,
# in order, merged where they touch; [] if any phrase is not in the sign.
def sign_bold_spans(sign: str, phrases) -> list[tuple[int, int]]:
    spans = []
    for phrase in phrases:
        phrase = phrase.strip()
        mk = re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", sign) if phrase else None
        if mk is None:
            return []
        spans.append(mk.span())
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


@dataclass(frozen=True)
class HelpEntry:
    """A service outside this site (evidence/help.yml): a public health page, a register, a crisis line."""

    id: str
    name: str  # "Samaritans", "NHS: back pain"
    kind: str  # one of HELP_KINDS
    country: str  # who it is for: "UK", "UK and Ireland", "International"
    regions: tuple[str, ...]  # condition-info: body regions it is about (empty: general)
    treatments: tuple[str, ...]  # shown only on the pages of these treatments (empty: on every page)
    url: str  # https only
    phone: str
    text: str  # one plain sentence
    source: str  # where the address and number were checked
    checked: dt.date
    where: Where


@dataclass(frozen=True)
class CoursePoint:
    time: str  # "6 weeks"
    weeks: float
    value: float
    ci: tuple[float, float] | None


@dataclass(frozen=True)
class Course:
    """How pain changed over time in cohorts followed from onset (natural history)."""

    id: str
    region: str
    group: str  # "new (acute)" / "long-lasting (persistent)"
    population: str
    outcome: str
    unit: str  # "average pain on a 0 to 100 scale"
    points: tuple[CoursePoint, ...]
    source: str
    notes: str
    where: Where


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------


# What an option asks of a person, for the decision aid's "what matters to you" step
# (evidence/options.yml): the editors' reading of each option's page, in a few fixed words.
OPTION_FACTS = {
    "clinic_visits": ("none", "few", "several"),  # none: at home; few: one or two; several: a course
    "cost": ("free", "low", "paid"),  # low: a pharmacy or a prescription charge; paid: sessions
    "do_yourself": ("yes", "partly", "no"),
    "trigger_points": ("yes", "no", "unclear"),  # the headline finding's people were chosen for trigger points
}
WAIT_AND_SEE = "wait-and-see"


@dataclass(frozen=True)
class OptionFacts:
    option: str  # a treatment id, or "wait-and-see"
    needles: bool
    clinic_visits: str
    cost: str
    do_yourself: str
    trigger_points: str
    where: Where


@dataclass
class EvidenceStore:
    """Everything in evidence/, indexed; empty when a site has no evidence/ folder."""

    vocab: Vocabulary = field(default_factory=Vocabulary)
    treatments: dict[str, Treatment] = field(default_factory=dict)
    findings: dict[str, Finding] = field(default_factory=dict)
    harms: dict[str, Harm] = field(default_factory=dict)
    searches: dict[str, Search] = field(default_factory=dict)
    red_flags: dict[str, RedFlag] = field(default_factory=dict)
    help: dict[str, HelpEntry] = field(default_factory=dict)
    courses: dict[str, Course] = field(default_factory=dict)
    options: dict[str, OptionFacts] = field(default_factory=dict)  # evidence/options.yml, by option id
    changes: list | None = None  # tpguide.changes.RecordChange from git history, newest first; None: no history
    change_reasons: dict[str, str] = field(default_factory=dict)  # evidence/change-reasons.yml: commit id -> public reason

    @property
    def empty(self) -> bool:
        return not (self.treatments or self.searches or self.red_flags or self.courses)

    def findings_of(self, treatment: str) -> list[Finding]:
        return [f for f in self.findings.values() if f.treatment == treatment]

    def harms_of(self, treatment: str) -> list[Harm]:
        return [h for h in self.harms.values() if h.treatment == treatment]

    # Treatment whose page is this docs path, or None.
    def treatment_of_page(self, src_uri: str) -> Treatment | None:
        for treatment in self.treatments.values():
            if treatment.page == src_uri:
                return treatment
        return None

    # Treatments shown on one page (a page may be the home of several, e.g. medicines).
    def treatments_of_page(self, src_uri: str) -> list[Treatment]:
        return [t for t in self.treatments.values() if t.page == src_uri]

    # bib key -> (findings, harms, red flags, courses) that rest on it, for the reference library.
    def uses_of_source(self) -> dict[str, dict[str, list]]:
        out: dict[str, dict[str, list]] = {}

        def add(key: str, kind: str, record) -> None:
            out.setdefault(key, {"findings": [], "harms": [], "red_flags": [], "courses": []})[kind].append(record)

        for f in self.findings.values():
            add(f.source, "findings", f)
        for h in self.harms.values():
            add(h.source, "harms", h)
        for r in self.red_flags.values():
            for key in r.sources:
                add(key, "red_flags", r)
        for c in self.courses.values():
            add(c.source, "courses", c)
        return out

    # The date the literature on these topics was last searched: the oldest of them.
    def checked_on(self, topics) -> dt.date | None:
        dates = [self.searches[t].searched for t in topics if t in self.searches]
        return min(dates) if dates else None

    # The soonest "next search due" date among the topics.
    def next_search_due(self, topics) -> dt.date | None:
        dates = [self.searches[t].next_due for t in topics if t in self.searches]
        return min(dates) if dates else None
