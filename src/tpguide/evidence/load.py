"""Read evidence/ and check every record: ``evidence/file.yml:LINE: what -> how to fix``.

Checks made here: YAML and encoding; every field's type; ids (lowercase, unique across all
files); words from the vocabulary (treatment, comparison, outcome, timepoint, region, urgency,
MID); the four GRADE certainty words and five reasons for rating down; a 95% CI that contains
its estimate; bib keys that exist; a treatment page that exists; at least one harms record per
treatment; search dates not in the future. Nothing that fails reaches a page.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
from pathlib import Path

from .. import content_policy
from ..errors import Problem, raise_if_any
from ..frontmatter import parse_date
from ..yamlsource import YDict, YList, load_file
from . import model as m

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
VOCABULARY = "vocabulary.yml"
SEARCHES = "searches.yml"
RED_FLAGS = "red-flags.yml"
COURSES = "natural-history.yml"
HELP = "help.yml"
OPTIONS = "options.yml"
CHANGE_REASONS = "change-reasons.yml"
HTTPS_RE = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:[/?#][^\s\"'<>`]*)?$")
TREATMENTS_DIR = "treatments"
KNOWN_FILES = (VOCABULARY, SEARCHES, RED_FLAGS, COURSES, HELP, OPTIONS, CHANGE_REASONS)

# Words that make a "rate" record's unit a ratio in disguise ("times as likely", "risk ratio"): the
# build refuses them, so a relative risk can never be shown as an absolute one (issue 23).
_RATIO_WORDS = re.compile(r"\b(times|ratio|relative|odds|more likely|less likely|as likely|RR|OR|HR)\b")
ALL_REGIONS = "all"


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------


# Load and check evidence_dir; raise ContentError listing every problem. No folder: empty store.
def load_evidence_dir(evidence_dir: Path | str, *, root: Path | str, bib=None,
                      today: dt.date | None = None) -> m.EvidenceStore:
    evidence_dir, root = Path(evidence_dir), Path(root)
    store = m.EvidenceStore()
    if not evidence_dir.is_dir():
        return store
    reader = _Reader(root, bib, today or dt.date.today())
    for path in sorted(evidence_dir.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            rel = reader.rel(path)
            inside = path.relative_to(evidence_dir).as_posix()
            if inside not in KNOWN_FILES and not re.fullmatch(rf"{TREATMENTS_DIR}/[^/]+\.ya?ml", inside):
                reader.problems.append(Problem(rel, None, "is not a known evidence file",
                                               f"use {', '.join(KNOWN_FILES)} or {TREATMENTS_DIR}/<treatment>.yml"))
    vocab_path = evidence_dir / VOCABULARY
    if not vocab_path.is_file():
        reader.problems.append(Problem(reader.rel(vocab_path), None, "is missing",
                                       "the evidence folder needs vocabulary.yml (outcomes, comparisons, ...)"))
        raise_if_any(reader.problems)
    store.vocab = reader.vocabulary(vocab_path)
    reader.vocab = store.vocab
    for path in sorted((evidence_dir / TREATMENTS_DIR).glob("*.y*ml")):
        reader.treatment_file(path, store)
    for name, method in ((SEARCHES, reader.searches), (RED_FLAGS, reader.red_flags), (COURSES, reader.courses),
                         (HELP, reader.help_entries), (OPTIONS, reader.option_facts),
                         (CHANGE_REASONS, reader.change_reasons)):
        if (evidence_dir / name).is_file():
            method(evidence_dir / name, store)
    reader.cross_check(store)
    raise_if_any(reader.problems)
    return store


# Treatments whose page is not one of the site's pages (docs-relative paths), as problems.
def page_problems(store: m.EvidenceStore, pages) -> list[Problem]:
    pages = sorted(pages)
    problems = []
    for t in store.treatments.values():
        if t.page not in pages:
            close = difflib.get_close_matches(t.page, pages, n=1)
            problems.append(Problem(t.where.path, t.where.line, f"treatment '{t.id}': page '{t.page}' does not exist in docs/",
                                    f"did you mean '{close[0]}'?" if close else "give the docs-relative path of its page, e.g. treatments/x.md"))
    return problems


# ---------------------------------------------------------------------------
# Reading records
# ---------------------------------------------------------------------------


class _Reader:
    """Reads records field by field, collecting problems with their lines."""

    def __init__(self, root: Path, bib, today: dt.date):
        self.root = root
        self.bib = bib
        self.today = today
        self.problems: list[Problem] = []
        self.vocab = m.Vocabulary()
        self.ids: dict[tuple[str, str], m.Where] = {}  # (kind, id) -> where first defined
        self.headlines: dict[str, tuple[str, YDict | dict]] = {}  # treatment id -> (file, headline block)
        self.glance_lines: dict[str, tuple[str, int]] = {}

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)

    def bad(self, rel: str, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(rel, line, message, hint))

    def _load(self, path: Path, shape: type):
        rel = self.rel(path)
        data, problems = load_file(path, rel)
        self.problems += problems
        if problems:
            return rel, None
        if not isinstance(data, shape):
            want = "a list of records ('- id: ...')" if shape is YList else "a mapping of 'name: value' lines"
            self.bad(rel, getattr(data, "line", 1), f"must hold {want}", "see the editor guide, 'Evidence data'")
            return rel, None
        return rel, data

    # -- vocabulary ----------------------------------------------------------

    def vocabulary(self, path: Path) -> m.Vocabulary:
        rel, data = self._load(path, YDict)
        vocab = m.Vocabulary()
        if data is None:
            return vocab
        f = _Fields(self, rel, data, "vocabulary")
        f.only(("outcomes", "comparisons", "timepoints", "regions", "urgencies", "contexts", "mids"))
        for section, target in (("comparisons", vocab.comparisons), ("timepoints", vocab.timepoints),
                                ("regions", vocab.regions), ("urgencies", vocab.urgencies),
                                ("contexts", vocab.contexts)):
            for rank, (tid, item, line) in enumerate(self._terms(rel, data, section)):
                t = _Fields(self, rel, item, f"{section} '{tid}'", line)
                t.only(("label", "phrase"))
                target[tid] = m.Term(id=tid, label=t.text("label"), phrase=t.text("phrase", required=False),
                                     rank=rank)
        for tid, item, line in self._terms(rel, data, "outcomes"):
            t = _Fields(self, rel, item, f"outcome '{tid}'", line)
            t.only(("label", "object", "verb", "noun", "better"))
            vocab.outcomes[tid] = m.Outcome(id=tid, label=t.text("label"), object=t.text("object"),
                                            verb=t.text("verb"), noun=t.text("noun"),
                                            better=t.choice("better", m.BETTER))
        for tid, item, line in self._terms(rel, data, "mids", required=False):
            t = _Fields(self, rel, item, f"MID '{tid}'", line)
            t.only(("outcome", "unit", "value", "meaning", "source"))
            vocab.mids[tid] = m.Mid(id=tid, outcome=t.word("outcome", vocab.outcomes), unit=t.text("unit"),
                                    value=t.number("value", positive=True), meaning=t.text("meaning"),
                                    source=t.bib_key("source"))
        return vocab

    def _terms(self, rel: str, data: YDict, section: str, required: bool = True):
        block = data.get(section)
        if block is None:
            if required:
                self.bad(rel, data.line, f"vocabulary has no '{section}:' section", f"add '{section}:' with at least one word")
            return []
        if not isinstance(block, YDict) or not block:
            self.bad(rel, data.line_of(section), f"'{section}' must be a mapping of id: {{label: ...}}",
                     "write one '  id:' line per word, with its fields indented below")
            return []
        out = []
        for tid, item in block.items():
            line = block.line_of(tid)
            if not isinstance(tid, str) or not ID_RE.match(tid):
                self.bad(rel, line, f"{section}: id {tid!r} must be lowercase letters, digits and hyphens")
                continue
            if not isinstance(item, YDict):
                self.bad(rel, line, f"{section} '{tid}' must be a mapping", "indent its fields (label: ...) below it")
                continue
            out.append((tid, item, line))
        return out

    # -- treatment files -----------------------------------------------------

    def treatment_file(self, path: Path, store: m.EvidenceStore) -> None:
        rel, data = self._load(path, YDict)
        if data is None:
            return
        f = _Fields(self, rel, data, "treatment file")
        f.only(("treatment", "findings", "harms"))
        block = data.get("treatment")
        if not isinstance(block, YDict):
            self.bad(rel, data.line_of("treatment"), "has no 'treatment:' block",
                     "start the file with 'treatment:' and its id, name, kind and page")
            return
        t = _Fields(self, rel, block, "treatment", data.line_of("treatment"))
        t.only(("id", "name", "short", "kind", "page", "what", "burden", "self_help", "headline", "at_a_glance",
                "expect", "leaflet_flags", "plural"))
        tid = t.new_id("id")
        if tid and tid != path.stem:
            self.bad(rel, block.line_of("id"), f"treatment id '{tid}' differs from the file name '{path.stem}'",
                     f"rename the file to {tid}.yml or the id to {path.stem}")
        headline = block.get("headline") or {}
        if headline and not isinstance(headline, YDict):
            self.bad(rel, block.line_of("headline"), "treatment 'headline' must map outcomes to finding ids",
                     "write 'headline:' then '  pain: <finding id>'")
            headline = {}
        treatment = m.Treatment(
            id=tid or path.stem, name=t.text("name"), short=t.text("short"), kind=t.choice("kind", m.TREATMENT_KINDS),
            page=t.text("page"), what=t.text("what"), burden=t.text("burden"), self_help=t.text("self_help"),
            headline=dict(headline), where=m.Where(rel, block.line),
            at_a_glance=tuple(t.text_list("at_a_glance", required=False)),
            expect=t.text("expect", required=False),
            leaflet_flags=tuple(t.text_list("leaflet_flags", required=False)),
            plural=block.get("plural") is True,
        )
        self.glance_lines[tid or path.stem] = (rel, block.line_of("at_a_glance"))
        self.headlines[treatment.id] = (rel, headline)
        store.treatments[treatment.id] = treatment
        for item, line in self._records(rel, data, "findings"):
            finding = self.finding(rel, item, line, treatment.id)
            if finding:
                store.findings[finding.id] = finding
        for item, line in self._records(rel, data, "harms"):
            harm = self.harm(rel, item, line, treatment.id)
            if harm:
                store.harms[harm.id] = harm

    # The records of a file that is one list ("- id: ..."): (file, [(record, line)]).
    def _top_records(self, path: Path) -> tuple[str, list[tuple[YDict, int]]]:
        rel, data = self._load(path, YList)
        out = []
        for i, item in enumerate(data or []):
            if isinstance(item, YDict):
                out.append((item, data.line_of(i)))
            else:
                self.bad(rel, data.line_of(i), f"item {i + 1} must be a record ('- id: ...' with its fields below)")
        return rel, out

    def _records(self, rel: str, data: YDict, section: str):
        block = data.get(section)
        if block is None:
            return []
        if not isinstance(block, YList):
            self.bad(rel, data.line_of(section), f"'{section}' must be a list", "write each record as '  - id: ...'")
            return []
        out = []
        for i, item in enumerate(block):
            if not isinstance(item, YDict):
                self.bad(rel, block.line_of(i), f"{section}: item {i + 1} must be a record of 'name: value' lines")
                continue
            out.append((item, block.line_of(i)))
        return out

    def finding(self, rel: str, item: YDict, line: int, treatment: str) -> m.Finding | None:
        label = f"finding '{item.get('id', '?')}'"
        f = _Fields(self, rel, item, label, line)
        f.only(("id", "comparison", "comparison_detail", "population", "region", "outcome", "timepoint",
                "timepoint_detail", "measure", "unit", "estimate", "ci", "rates", "effect", "result", "studies",
                "participants", "pooled", "certainty", "certainty_by", "downgrades", "certainty_note", "mid",
                "better", "source", "notes", "decimals", "study_kind", "event", "treatment_detail", "below_mid"))
        fid = f.new_id("id")
        v = self.vocab
        measure = f.choice("measure", m.MEASURES)
        outcome = f.word("outcome", v.outcomes)
        estimate = ci = rates = None
        effect = ""
        if measure in ("SMD", "MD", "RR", "OR", "kappa"):
            estimate = f.number("estimate")
            ci = f.interval("ci", required=measure != "kappa")  # agreement is often printed without one
            f.absent("effect", "only narrative findings have 'effect:'; numbers speak for the others")
        elif measure == "proportions":
            rates = f.interval("rates", ordered=False, low=0, high=100, what="two percentages [treatment, comparison]")
            if not item.get("event"):
                self.bad(rel, line, f"{label}: a proportion needs 'event:', what the two rates count",
                         "write, for example, 'event: had their pain at least halved' (as the source defines it)")
            estimate = f.number("estimate", required=False)
            ci = f.interval("ci", required=False)
        elif measure == "narrative":
            effect = f.choice("effect", m.EFFECTS)
            f.absent("estimate", "a narrative finding has no estimate; use measure SMD, MD, RR or OR for numbers")
            f.absent("ci", "a narrative finding has no CI")
        if estimate is not None and ci is not None and not ci[0] <= estimate <= ci[1]:
            self.bad(rel, item.line_of("ci"), f"{label}: the 95% CI {ci[0]} to {ci[1]} does not contain the estimate {estimate}",
                     "check both against the source; the CI must run from its lower to its upper limit around the estimate")
        if measure in ("RR", "OR") and ci is not None and ci[0] <= 0:
            self.bad(rel, item.line_of("ci"), f"{label}: a {measure} and its CI must be above 0", "check the source")
        unit = f.text("unit", required=measure == "MD")
        result = f.text("result", required=measure in ("narrative", "kappa"))
        studies = f.integer("studies", required=False, low=1)
        participants = f.integer("participants", required=False, low=1)
        pooled = f.boolean("pooled")
        if studies == 1 and pooled:
            self.bad(rel, item.line_of("pooled"), f"{label}: pooled is true but studies is 1",
                     "a result from a single study is 'pooled: false'")
        certainty = f.choice("certainty", m.CERTAINTIES, hint="GRADE has four levels: high, moderate, low, very low")
        downgrades = f.word_list("downgrades", m.DOWNGRADES, required=False,
                                 hint="GRADE rates down for: " + ", ".join(m.DOWNGRADES)
                                      + " (being no better than another treatment is not one)")
        if certainty and certainty != "high" and not downgrades:
            self.bad(rel, item.line_of("certainty"), f"{label}: certainty '{certainty}' with no reason for rating down",
                     "add 'downgrades: [..]' from: " + ", ".join(m.DOWNGRADES))
        mid = f.word("mid", v.mids, required=False)
        if mid:
            mid_rec = v.mids[mid]
            if mid_rec.outcome != outcome or (measure == "MD" and mid_rec.unit != unit):
                self.bad(rel, item.line_of("mid"), f"{label}: MID '{mid}' is for {mid_rec.outcome} in '{mid_rec.unit}'",
                         f"use an MID on the finding's own scale ({outcome}, '{unit}') or none")
            elif measure != "MD":
                self.bad(rel, item.line_of("mid"), f"{label}: an MID can only be compared with a mean difference (MD)",
                         "remove 'mid:' or give the MD on the MID's scale")
        below_mid = bool(f.boolean("below_mid", required=False))
        if below_mid and mid:
            self.bad(rel, item.line_of("below_mid"), f"{label}: 'below_mid: true' and 'mid:' both say how big the effect is",
                     "keep 'mid:' when the MID's value is in vocabulary.yml; 'below_mid' is for a source that only says so")
        elif below_mid and measure not in ("MD", "SMD"):
            self.bad(rel, item.line_of("below_mid"), f"{label}: 'below_mid' is for a mean difference (MD or SMD), not {measure}",
                     "remove 'below_mid:'")
        better = f.choice("better", m.BETTER, required=False) or (v.outcomes[outcome].better if outcome else "lower")
        values = dict(
            comparison=f.word("comparison", v.comparisons), comparison_detail=f.text("comparison_detail", required=False),
            population=f.text("population"), region=f.word("region", v.regions), timepoint=f.word("timepoint", v.timepoints),
            timepoint_detail=f.text("timepoint_detail"), certainty_by=f.choice("certainty_by", m.CERTAINTY_BY),
            certainty_note=f.text("certainty_note", required=False), notes=f.text("notes", required=False),
            decimals=f.integer("decimals", required=False, low=0),
            study_kind=f.choice("study_kind", ("study", "review"), required=False) or "study",
            event=f.text("event", required=False), treatment_detail=f.text("treatment_detail", required=False),
            below_mid=below_mid,
        )
        source = f.bib_key("source")
        if not (fid and outcome and measure and certainty and source):
            return None
        return m.Finding(
            id=fid, treatment=treatment, outcome=outcome, measure=measure, unit=unit, estimate=estimate, ci=ci,
            rates=rates, effect=effect, result=result, studies=studies, participants=participants, pooled=bool(pooled),
            certainty=certainty, downgrades=tuple(downgrades), mid=mid, better=better, source=source,
            where=m.Where(rel, line), **values,
        )

    def harm(self, rel: str, item: YDict, line: int, treatment: str) -> m.Harm | None:
        label = f"harm '{item.get('id', '?')}'"
        f = _Fields(self, rel, item, label, line)
        f.only(("id", "event", "seriousness", "how_often", "source", "notes"))
        hid = f.new_id("id")
        how = item.get("how_often")
        how_often = None
        if not isinstance(how, YDict):
            self.bad(rel, item.line_of("how_often") if "how_often" in item else line, f"{label}: needs 'how_often:'",
                     "give kind: rate (with rate, range or n/of), none-seen, case-series, case-reports or no-data")
        else:
            how_often = self.how_often(rel, how, label)
        event, seriousness = f.text("event"), f.choice("seriousness", m.SERIOUSNESS)
        notes, source = f.text("notes", required=False), f.bib_key("source")
        if not (hid and how_often and source):
            return None
        return m.Harm(id=hid, treatment=treatment, event=event, seriousness=seriousness, how_often=how_often,
                      source=source, notes=notes, where=m.Where(rel, line))

    def how_often(self, rel: str, how: YDict, label: str) -> m.HowOften | None:
        f = _Fields(self, rel, how, f"{label} how_often", how.line)
        kind = f.choice("kind", m.HARM_KINDS)
        if kind == "rate":
            ratio_keys = [k for k in ("ratio", "rr", "or", "hr", "risk_ratio", "odds_ratio", "ratio_ci") if k in how]
            if ratio_keys:
                self.bad(rel, how.line_of(ratio_keys[0]), f"{label}: a ratio ('{ratio_keys[0]}:') is not a rate out of a number of people",
                         "use kind: relative with measure:, ratio: and comparison:; never turn a ratio into 'N in 100'")
                return None
            unit_text = str(how.get("unit", ""))
            if _RATIO_WORDS.search(unit_text):
                self.bad(rel, how.line_of("unit"), f"{label}: the unit {unit_text!r} describes a ratio, not a rate",
                         "use kind: relative with measure:, ratio: and comparison:, or give the count out of how many people")
                return None
            f.only(("kind", "rate", "rate_ci", "range", "n", "of", "unit", "counted", "comparison_n", "comparison",
                    "time_frame"))
            comparison_n = f.integer("comparison_n", required=False, low=0)
            comparison = f.text("comparison", required=comparison_n is not None)
            if comparison and comparison_n is None:
                self.bad(rel, how.line_of("comparison"), f"{label}: 'comparison:' needs 'comparison_n:'",
                         "give how many had it in the comparison group, out of the same 'of:'")
            rate = f.number("rate", required=False, low=0, high=100)
            rate_range = f.interval("range", required=False, low=0, high=100)
            n = f.integer("n", required=False, low=0)
            of = f.integer("of", low=1, required=n is not None)
            counted = f.choice("counted", m.COUNTED, required=False) or "people"
            if rate is None and n is None and rate_range is None:
                self.bad(rel, how.line, f"{label}: a rate needs 'rate:' (percent), 'range:' [lowest, highest] or 'n:' with 'of:'",
                         "copy them from the source")
            if rate_range is not None and (rate is not None or n is not None):
                self.bad(rel, how.line_of("range"), f"{label}: give 'range:' or 'rate:'/'n:', not both",
                         "'range:' is for a source that gives only the lowest and highest estimate, not one rate")
            if counted == "events" and (of is None or (n is None and rate is None)):
                self.bad(rel, how.line_of("counted"), f"{label}: 'counted: events' needs 'of:' and 'n:' (how many events) or 'rate:'",
                         "copy the number of events, or events per 100, and of treatments or people from the source")
            if n is not None and of is not None and n > of and counted != "events":
                self.bad(rel, how.line_of("n"), f"{label}: n ({n}) is larger than of ({of})",
                         "check the source; if n counts events (one person can have several), add 'counted: events'")
            rate_ci = f.interval("rate_ci", required=False, low=0, high=100)
            if rate is not None and rate_ci is not None and not rate_ci[0] <= rate <= rate_ci[1]:
                self.bad(rel, how.line_of("rate_ci"), f"{label}: rate_ci does not contain the rate {rate}", "check the source")
            if comparison_n is not None and (n is None or of is None):
                self.bad(rel, how.line_of("comparison_n"), f"{label}: 'comparison_n:' needs 'n:' and 'of:'",
                         "both groups are shown out of the same number: give n and of for the option too")
            elif comparison_n is not None and comparison_n > of:
                self.bad(rel, how.line_of("comparison_n"), f"{label}: comparison_n ({comparison_n}) is larger than of ({of})",
                         "check the source")
            return m.HowOften(kind=kind, rate=rate, rate_ci=rate_ci, rate_range=rate_range, n=n, of=of,
                              unit=f.text("unit"), counted=counted, comparison_n=comparison_n, comparison=comparison,
                              time_frame=f.text("time_frame", required=False))
        if kind == "relative":
            f.only(("kind", "measure", "ratio", "ratio_ci", "comparison", "time_frame", "unit", "comparison_n", "of"))
            measure = f.choice("measure", m.RATIO_MEASURES)
            ratio = f.number("ratio", positive=True)
            ratio_ci = f.interval("ratio_ci", required=False, low=0)
            if ratio is not None and ratio_ci is not None and not ratio_ci[0] <= ratio <= ratio_ci[1]:
                self.bad(rel, how.line_of("ratio_ci"), f"{label}: ratio_ci does not contain the ratio {ratio}", "check the source")
            comparison = f.text("comparison")
            comparison_n = f.integer("comparison_n", required=False, low=0)
            of = f.integer("of", low=1, required=comparison_n is not None)
            if of is not None and comparison_n is None:
                self.bad(rel, how.line_of("of"), f"{label}: 'of:' in a relative record is the comparison group's denominator",
                         "give 'comparison_n:' too (how many had it in the comparison group), or remove 'of:'")
            elif comparison_n is not None and of is not None and comparison_n > of:
                self.bad(rel, how.line_of("comparison_n"), f"{label}: comparison_n ({comparison_n}) is larger than of ({of})",
                         "check the source")
            return m.HowOften(kind=kind, measure=measure, ratio=ratio, ratio_ci=ratio_ci, comparison=comparison,
                              comparison_n=comparison_n, of=of, unit=f.text("unit", required=False) or "people",
                              time_frame=f.text("time_frame", required=False))
        if kind == "case-series":
            f.only(("kind", "studies", "of"))
            return m.HowOften(kind=kind, studies=f.integer("studies", low=1), of=f.integer("of", low=1))
        if kind == "none-seen":
            f.only(("kind", "of", "unit", "upper_rate"))
            return m.HowOften(kind=kind, of=f.integer("of", low=1), unit=f.text("unit"),
                              upper_rate=f.number("upper_rate", required=False, low=0, high=100))
        if kind == "case-reports":
            f.only(("kind", "cases"))
            return m.HowOften(kind=kind, cases=f.integer("cases", low=1))
        if kind == "no-data":
            f.only(("kind", "searched", "as_of", "direction", "comparison"))
            searched = f.text_list("searched")
            as_of = f.date("as_of")
            # no number, but the source says which way: "more common than with placebo" (issue 23:
            # "not known" reads as "none known")
            direction = f.choice("direction", m.DIRECTIONS, required=False)
            comparison = f.text("comparison", required=bool(direction))
            if comparison and not direction:
                self.bad(rel, how.line_of("comparison"), f"{label}: 'comparison:' in a no-data record needs 'direction:'",
                         "say what the source reports: direction: more, less or no-difference")
            return m.HowOften(kind=kind, searched=tuple(searched), as_of=as_of, direction=direction, comparison=comparison)
        return None

    # -- searches, red flags, natural history --------------------------------

    def searches(self, path: Path, store: m.EvidenceStore) -> None:
        rel, records = self._top_records(path)
        for item, line in records:
            f = _Fields(self, rel, item, f"search '{item.get('topic', '?')}'", line)
            f.only(("topic", "label", "searched", "where", "terms", "notes", "pubmed", "every_months", "outcome",
                    "earlier"))
            topic = f.new_id("topic", kind="search topic")
            searched = f.date("searched", not_future=True)
            every = f.integer("every_months", required=False, low=1, hint="write the number of months, e.g. 'every_months: 12'")
            record = dict(label=f.text("label"), where_searched=tuple(f.text_list("where")),
                          terms=f.text("terms", required=False), notes=f.text("notes", required=False),
                          pubmed=f.text("pubmed", required=False), every_months=every or m.DEFAULT_SEARCH_MONTHS,
                          outcome=f.choice("outcome", m.SEARCH_OUTCOMES, required=False,
                                           hint="write 'outcome: no change' when the search found nothing that changes the site"),
                          earlier=self._earlier_searches(rel, item, topic or "?", searched))
            if topic and searched:
                store.searches[topic] = m.Search(topic=topic, searched=searched, where=m.Where(rel, line), **record)

    # change-reasons.yml: the public reason for a commit's evidence change, where the commit's
    # subject (the reason shown by default, tpguide.changes) was not written for readers.
    def change_reasons(self, path: Path, store: m.EvidenceStore) -> None:
        rel, records = self._top_records(path)
        for item, line in records:
            f = _Fields(self, rel, item, f"change reason '{item.get('commit', '?')}'", line)
            f.only(("commit", "reason"))
            if "commit" in item and not isinstance(item["commit"], str):
                # YAML reads 1302386 as a number (and 0123456, 1e23456 as other numbers)
                f._bad("commit", "the commit id must be in quotes", f"write commit: \"{item['commit']}\" (the id as git shows it)")
                continue
            commit, reason = f.text("commit"), f.text("reason")
            if commit and not re.fullmatch(r"[0-9a-f]{7,40}", commit):
                f._bad("commit", f"'{commit}' is not a commit id",
                       "give the commit's id (at least 7 of its hex digits), as `git log --oneline` shows it")
                continue
            if commit in store.change_reasons:
                f._bad("commit", f"commit '{commit}' already has a reason", "keep one record per commit")
                continue
            if commit and reason:
                store.change_reasons[commit] = reason

    # `earlier:` of a search topic: the searches before the latest one, each with its date and outcome.
    def _earlier_searches(self, rel: str, item: YDict, topic: str, latest: dt.date | None) -> tuple[m.SearchRun, ...]:
        value = item.get("earlier")
        if value is None:
            return ()
        hint = "write '- searched: YYYY-MM-DD' with 'outcome: no change' (or changed) and 'notes:' under 'earlier:'"
        if not isinstance(value, list):
            self.bad(rel, item.line_of("earlier"), f"search '{topic}': 'earlier' must be a list of searches", hint)
            return ()
        runs = []
        for run in value:
            if not isinstance(run, YDict):
                self.bad(rel, item.line_of("earlier"), f"search '{topic}': each of 'earlier' must be a search", hint)
                continue
            f = _Fields(self, rel, run, f"search '{topic}', earlier search", run.line)
            f.only(("searched", "outcome", "notes"))
            day = f.date("searched", not_future=True)
            outcome = f.choice("outcome", m.SEARCH_OUTCOMES, required=False)
            notes = f.text("notes", required=False)
            if day and latest and day >= latest:
                f._bad("searched", f"{day} is not before the latest search ({latest})",
                       "'searched:' at the top is the latest search; earlier ones go under 'earlier:'")
            elif day:
                runs.append(m.SearchRun(day, outcome, notes))
        return tuple(sorted(runs, key=lambda r: r.searched, reverse=True))

    def red_flags(self, path: Path, store: m.EvidenceStore) -> None:
        rel, records = self._top_records(path)
        v = self.vocab
        for item, line in records:
            f = _Fields(self, rel, item, f"red flag '{item.get('id', '?')}'", line)
            f.only(("id", "sign", "bold", "urgency", "regions", "contexts", "advice", "sources"))
            rid = f.new_id("id")
            # a sign tied to a situation (taking a medicine) may name no region: it shows only where
            # a page asks for its context or for it by id, not in every region's box
            contexts = f.word_list("contexts", tuple(v.contexts), required=False)
            regions = f.word_list("regions", tuple(v.regions) + (ALL_REGIONS,), required=not contexts)
            sign = f.text("sign")
            record = dict(sign=sign, bold=self._sign_bold(f, item, sign),
                          urgency=f.word("urgency", v.urgencies), regions=tuple(regions),
                          contexts=tuple(contexts), advice=f.text("advice", required=False),
                          sources=tuple(f.bib_keys("sources")))
            if rid:
                store.red_flags[rid] = m.RedFlag(id=rid, where=m.Where(rel, line), **record)

    # The words of a sign that a reader scanning a long warning box looks for, shown in bold: each
    # is copied from the sign, so the bold words can never say something the sign does not.
    def _sign_bold(self, f: _Fields, item: YDict, sign: str) -> tuple[str, ...]:
        raw = item.get("bold")
        if raw is None or raw == "" or raw == []:
            f._bad("bold", f"'bold' is {'missing' if raw is None else 'empty'}: a reader scanning the box needs "
                   "the sign's key words in bold",
                   "add 'bold: [\"words copied from the sign\"]', e.g. 'bold: [\"Chest pain, pressure or tightness\"]'")
            return ()
        phrases = f.text_list("bold", required=False) if not isinstance(raw, str) else [f.text("bold")]
        if not sign:
            return ()
        for phrase in phrases:
            if not m.sign_bold_spans(sign, [phrase]):
                f._bad("bold", f"bold words {phrase!r} are not in its sign, as whole words",
                       "copy the words exactly from 'sign:' (same case and punctuation)")
                return ()
        return tuple(phrases)

    def help_entries(self, path: Path, store: m.EvidenceStore) -> None:
        rel, records = self._top_records(path)
        v = self.vocab
        for item, line in records:
            f = _Fields(self, rel, item, f"help entry '{item.get('id', '?')}'", line)
            f.only(("id", "name", "kind", "country", "regions", "treatments", "url", "phone", "text", "source", "checked"))
            hid = f.new_id("id")
            # an address we cannot vouch for must not reach a patient: where it was checked, and when
            if item.get("source") in (None, ""):
                self.bad(rel, line, f"help entry '{hid or '?'}': no 'source:'",
                         "say where you checked that the address (and phone number) are right, e.g. "
                         "\"the service's own contact page, seen 2026-12-06\"")
            if item.get("checked") in (None, ""):
                self.bad(rel, line, f"help entry '{hid or '?'}': no 'checked:' date",
                         "add 'checked: YYYY-MM-DD', the day you checked the address and number")
            kind = f.choice("kind", m.HELP_KINDS)
            url = f.text("url")
            if url and not HTTPS_RE.match(url):
                self.bad(rel, item.line_of("url"), f"help entry '{hid}': url {url!r} is not a plain https:// address",
                         "copy the https:// address of the service's own page")
            regions = f.word_list("regions", tuple(v.regions), required=False)
            if regions and kind != "condition-info":
                self.bad(rel, item.line_of("regions"), f"help entry '{hid}': only condition-info entries have regions",
                         "remove 'regions:'")
            phone = f.text("phone", required=False)
            if phone and not re.fullmatch(r"[0-9 +()-]{2,20}", phone):
                self.bad(rel, item.line_of("phone"), f"help entry '{hid}': phone {phone!r} must be digits, spaces, + ( ) or -",
                         "write it as the service prints it, e.g. \"116 123\"")
            treatments = f.word_list("treatments", tuple(store.treatments), required=False)
            record = dict(name=f.text("name"), kind=kind, country=f.text("country"), regions=tuple(regions),
                          treatments=tuple(treatments), url=url,
                          phone=phone, text=f.text("text"),
                          source=f.text("source") if item.get("source") not in (None, "") else "",
                          checked=f.date("checked", not_future=True) if item.get("checked") not in (None, "") else None)
            if hid and record["source"] and record["checked"] and url:
                store.help[hid] = m.HelpEntry(id=hid, where=m.Where(rel, line), **record)

    def courses(self, path: Path, store: m.EvidenceStore) -> None:
        rel, records = self._top_records(path)
        v = self.vocab
        for item, line in records:
            f = _Fields(self, rel, item, f"natural history '{item.get('id', '?')}'", line)
            f.only(("id", "region", "group", "population", "outcome", "unit", "points", "source", "notes"))
            cid = f.new_id("id")
            points = []
            raw = item.get("points")
            if not isinstance(raw, YList) or len(raw) < 2:
                self.bad(rel, item.line_of("points") if "points" in item else line,
                         f"natural history '{cid}': needs 'points:' with at least two time points",
                         "write '- {time: 6 weeks, weeks: 6, value: 23, ci: [21, 25]}'")
            else:
                for j, p in enumerate(raw):
                    if not isinstance(p, YDict):
                        self.bad(rel, raw.line_of(j), f"natural history '{cid}': point {j + 1} must be a mapping")
                        continue
                    pf = _Fields(self, rel, p, f"natural history '{cid}' point {j + 1}", raw.line_of(j))
                    pf.only(("time", "weeks", "value", "ci"))
                    value, ci = pf.number("value"), pf.interval("ci", required=False)
                    if value is not None and ci is not None and not ci[0] <= value <= ci[1]:
                        self.bad(rel, raw.line_of(j), f"natural history '{cid}' point {j + 1}: CI does not contain {value}",
                                 "check the source")
                    points.append(m.CoursePoint(time=pf.text("time"), weeks=pf.number("weeks", low=0), value=value, ci=ci))
                weeks = [p.weeks for p in points]
                if None not in weeks and weeks != sorted(weeks):
                    self.bad(rel, raw.line, f"natural history '{cid}': points must be in time order", "sort them by weeks")
            record = dict(region=f.word("region", v.regions), group=f.text("group"), population=f.text("population"),
                          outcome=f.word("outcome", v.outcomes), unit=f.text("unit"), source=f.bib_key("source"),
                          notes=f.text("notes", required=False))
            if cid:
                store.courses[cid] = m.Course(id=cid, points=tuple(points), where=m.Where(rel, line), **record)

    # -- across files --------------------------------------------------------

    # The decision aid's facts about each option: one record per treatment (tests excepted) and
    # one for waiting and seeing, when the file exists.
    def option_facts(self, path: Path, store: m.EvidenceStore) -> None:
        rel, records = self._top_records(path)
        for item, line in records:
            f = _Fields(self, rel, item, f"option '{item.get('option', '?')}'", line)
            f.only(("option", "needles", *m.OPTION_FACTS))
            oid = f.new_id("option", kind="option")
            if oid and oid != m.WAIT_AND_SEE and oid not in store.treatments:
                close = difflib.get_close_matches(oid, list(store.treatments) + [m.WAIT_AND_SEE], n=1)
                self.bad(rel, item.line_of("option"), f"option '{oid}' is not a treatment",
                         f"did you mean '{close[0]}'?" if close else f"use a treatment id or '{m.WAIT_AND_SEE}'")
                continue
            needles = f.boolean("needles")
            facts = {k: f.choice(k, choices) for k, choices in m.OPTION_FACTS.items()}
            if oid and needles is not None and all(facts.values()):
                store.options[oid] = m.OptionFacts(option=oid, needles=needles, where=m.Where(rel, line), **facts)
        missing = [t.id for t in store.treatments.values() if t.kind != "test" and t.id not in store.options]
        if store.options and missing:
            self.bad(rel, None, f"no decision-aid facts for: {', '.join(missing)}",
                     "add '- option: <id>' with needles, " + ", ".join(m.OPTION_FACTS) + " for each (see the editor guide)")

    def cross_check(self, store: m.EvidenceStore) -> None:
        for t in store.treatments.values():
            rel, line = t.where.path, t.where.line
            if t.kind != "test" and not store.harms_of(t.id):
                self.bad(rel, line, f"treatment '{t.id}' has no harms record",
                         "add at least one under 'harms:', or a cited 'kind: no-data' record saying where you searched and when")
            if t.id not in store.searches:
                self.bad(rel, line, f"treatment '{t.id}' has no search record",
                         f"add '- topic: {t.id}' to evidence/{SEARCHES} with the date and where the literature was searched")
            hrel, headline = self.headlines.get(t.id, (rel, {}))
            for outcome, fid in headline.items():
                hline = headline.line_of(outcome) if isinstance(headline, YDict) else line
                if outcome not in store.vocab.outcomes:
                    self.bad(hrel, hline, f"treatment '{t.id}': headline outcome '{outcome}' is not in the vocabulary")
                elif fid not in store.findings or store.findings[fid].treatment != t.id:
                    self.bad(hrel, hline, f"treatment '{t.id}': headline {outcome} finding '{fid}' is not a finding of this treatment",
                             "name one of the ids under 'findings:' in this file")
                elif store.findings[fid].outcome != outcome:
                    self.bad(hrel, hline, f"treatment '{t.id}': headline '{outcome}' names a finding about {store.findings[fid].outcome}")
            for flag in t.leaflet_flags:
                if flag not in store.red_flags:
                    self.bad(rel, line, f"treatment '{t.id}': leaflet_flags names '{flag}', not a warning sign",
                             f"use ids from evidence/{RED_FLAGS}")
            grel, gline = self.glance_lines.get(t.id, (rel, line))
            for fid in t.at_a_glance:
                if fid not in store.findings or store.findings[fid].treatment != t.id:
                    self.bad(grel, gline, f"treatment '{t.id}': at_a_glance names '{fid}', not a finding of this treatment",
                             "list ids from 'findings:' in this file")
        for f in store.findings.values():
            newest = self.bib[f.source].year if self.bib is not None and f.source in self.bib else None
            search = store.searches.get(f.treatment)
            if newest and search and newest.isdigit() and int(newest) > search.searched.year:
                self.bad(f.where.path, f.where.line,
                         f"finding '{f.id}': its source ({newest}) is newer than the last search for '{f.treatment}' ({search.searched})",
                         f"update the search date in evidence/{SEARCHES}")


# ---------------------------------------------------------------------------
# Field reading
# ---------------------------------------------------------------------------


class _Fields:
    """Typed access to the fields of one record, reporting each problem at its line."""

    def __init__(self, reader: _Reader, rel: str, data: YDict, label: str, line: int | None = None):
        self.r, self.rel, self.data, self.label = reader, rel, data, label
        self.line = line or data.line

    def _at(self, key) -> int:
        return self.data.line_of(key) if key in self.data else self.line

    def _bad(self, key, message: str, hint: str = "") -> None:
        self.r.bad(self.rel, self._at(key), f"{self.label}: {message}", hint)

    def only(self, allowed) -> None:
        for key in self.data:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
                self._bad(key, f"unknown field '{key}'",
                          f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(allowed))

    def _get(self, key, required: bool):
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self._bad(key, f"'{key}' is missing", f"add '{key}: ...'")
            return None
        return value

    def absent(self, key, hint: str) -> None:
        if self.data.get(key) is not None:
            self._bad(key, f"'{key}' does not belong here", hint)

    def text(self, key, required: bool = True) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self._bad(key, f"'{key}' must be text, not {type(value).__name__}", "put it in quotes if needed")
            return ""
        # data text reaches pages as Markdown: the same markup policy as a page body
        for problem in content_policy.check_markdown(value, path=self.rel, first_line=self._at(key)):
            self.r.problems.append(Problem(problem.path, problem.line, f"{self.label}: '{key}': {problem.message}", problem.hint))
        return " ".join(value.split())

    def text_list(self, key, required: bool = True) -> list[str]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            self._bad(key, f"'{key}' must be a list of text items", f"write '{key}: [a, b]'")
            return []
        return [" ".join(v.split()) for v in value]

    def new_id(self, key, kind: str = "id") -> str:
        value = self._get(key, True)
        if value is None:
            return ""
        if not isinstance(value, str) or not ID_RE.match(value):
            self._bad(key, f"{kind} {value!r} must be lowercase letters, digits and hyphens", "e.g. dn-neck-pain-short")
            return ""
        where = m.Where(self.rel, self._at(key))
        first = self.r.ids.get((kind, value))
        if first is not None:
            self._bad(key, f"duplicate {kind} '{value}', also at {first.path}:{first.line}", "every id must be unique")
            return ""
        self.r.ids[(kind, value)] = where
        return value

    def choice(self, key, choices, required: bool = True, hint: str = "") -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if value not in choices:
            self._bad(key, f"'{key}' is {value!r}, not one of: " + ", ".join(map(str, choices)), hint or "pick one of those")
            return ""
        return value

    def word(self, key, words: dict, required: bool = True) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if value not in words:
            close = difflib.get_close_matches(str(value), list(words), n=1, cutoff=0.6)
            self._bad(key, f"unknown {key} '{value}'",
                      f"did you mean '{close[0]}'?" if close else f"add it to evidence/{VOCABULARY} or use one of: "
                      + ", ".join(words))
            return ""
        return value

    def word_list(self, key, words, required: bool = True, hint: str = "") -> list[str]:
        value = self._get(key, required)
        if value is None:
            return []
        if not isinstance(value, list):
            self._bad(key, f"'{key}' must be a list", f"write '{key}: [a, b]'")
            return []
        out = []
        for v in value:
            if v not in words:
                self._bad(key, f"'{key}': {v!r} is not one of: " + ", ".join(words), hint or "pick from those")
            else:
                out.append(v)
        return out

    def bib_key(self, key, required: bool = True) -> str:
        value = self._get(key, required)
        if value is None:
            return ""
        if not isinstance(value, str):
            self._bad(key, f"'{key}' must be one bib key", "write the key without @, e.g. smith2020title")
            return ""
        return self._cited(key, value)

    def bib_keys(self, key) -> list[str]:
        value = self._get(key, True)
        if value is None:
            return []
        out = []
        for v in value if isinstance(value, list) else [value]:
            if not isinstance(v, str):
                self._bad(key, f"'{key}' must list bib keys", f"write '{key}: [key1, key2]'")
            elif cited := self._cited(key, v):
                out.append(cited)
        return out

    # A bib key as written (with or without "@"), "" with a problem when bib/ has no such entry.
    def _cited(self, key, value: str) -> str:
        value = value.lstrip("@")
        if self.r.bib is not None and value not in self.r.bib:
            guess = self.r.bib.suggest(value)
            self._bad(key, f"unknown bib key '{value}'", f"did you mean '{guess}'?" if guess else "add the entry to a file in bib/ first")
            return ""
        return value

    def number(self, key, required: bool = True, low=None, high=None, positive: bool = False) -> float | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            self._bad(key, f"'{key}' must be a number, not {value!r}", "write it as in the source, e.g. -0.81 (a dot for decimals)")
            return None
        if (low is not None and value < low) or (high is not None and value > high) or (positive and value <= 0):
            self._bad(key, f"'{key}' {value} is out of range", "check the source")
            return None
        return float(value)

    def integer(self, key, required: bool = True, low: int | None = None,
                hint: str = "write it without commas or spaces, e.g. 7629") -> int | None:
        value = self._get(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or (low is not None and value < low):
            self._bad(key, f"'{key}' must be a whole number" + (f" of at least {low}" if low is not None else ""), hint)
            return None
        return value

    def boolean(self, key, required: bool = True) -> bool | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, bool):
            self._bad(key, f"'{key}' must be true or false", f"write '{key}: true' or '{key}: false'")
            return None
        return value

    def interval(self, key, required: bool = True, ordered: bool = True, low=None, high=None,
                 what: str = "[lower, upper]") -> tuple[float, float] | None:
        value = self._get(key, required)
        if value is None:
            return None
        if (not isinstance(value, list) or len(value) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value)):
            self._bad(key, f"'{key}' must be two numbers {what}", f"write '{key}: [-1.08, 0.02]'")
            return None
        a, b = float(value[0]), float(value[1])
        if ordered and a > b:
            self._bad(key, f"'{key}' lower limit {a} is above the upper limit {b}", "write the lower limit first")
            return None
        if (low is not None and min(a, b) < low) or (high is not None and max(a, b) > high):
            self._bad(key, f"'{key}' is out of range ({low} to {high})", "check the source")
            return None
        return a, b

    def date(self, key, not_future: bool = False) -> dt.date | None:
        value = self._get(key, True)
        if value is None:
            return None
        day = parse_date(value)
        if day is None:
            self._bad(key, f"'{key}' {value!r} is not a date", "write it as YYYY-MM-DD")
            return None
        if not_future and day > self.r.today:
            self._bad(key, f"'{key}' {day} is in the future", "use the date the search was done")
            return None
        return day
