"""Find the evidence markers on a page and expand them from the store.

Markers (outside code, which is never touched)::

    [[finding: dn-neck-pain-short]]              numbers, studies and certainty, cited
    [[finding: dn-neck-pain-short | statement]]  the GRADE sentence first
    [[finding: dn-neck-pain-short | certainty]]  only "low certainty"
    [[finding: dn-neck-pain-short | plain]]      "about 2.3 points less pain (on a 0 to 10 scale)"
    [[harm: dn-bruising]]                        how often, cited
    [[harm: dn-bruising | cite]]                 only the record's source (the sentence says what happened)
    [[searched: dry-needling]]                   the date that topic was last searched

and, each alone on its own line::

    [[evidence: dry-needling]]                   summary of findings of a treatment
    [[evidence: region=neck, outcome=pain]]      ... or of every finding matching filters
    [[harms: dry-needling]]                      the harms tables of a treatment
    [[red-flags: neck, head]]                    warning signs for regions (or "all")
    [[red-flags: context=after-needling]]        warning signs for a situation
    [[course: neck-acute]]                       natural history tables
    [[option-grid]]                              the decision aid: one card per option, in natural frequencies
    [[option-table]]                             ... the same numbers as one table (handouts)
    [[option-numbers: dry-needling]]             ... one option's numbers, as a list (its leaflet)
    [[option-numbers: heat | brief]]             ... without what it asks of you (a leaflet of several options)
    [[values-step]]                              "what matters to you": a worksheet the grid responds to
    [[my-options]]                               the one-page summary to take to an appointment
    [[chance: onsaid-back-global]]               a proportion as natural frequencies, beside its comparison group, with icon arrays
    [[help-elsewhere]]                           where else to get help (evidence/help.yml)
    [[help-elsewhere: neck, shoulder]]           ... with the condition pages about those regions
    [[help-elsewhere: treatment=injections]]     ... with the services for that treatment (registers, reporting)
    [[help-elsewhere: full]]                     ... every entry with its description and checked date
    [[open-data]]                                the Data page's list of downloads (tpguide.opendata)
    [[evidence-changes]]                         what changed in findings and harms, from git (tpguide.changes)

This is a plain function of (text, store), so it can run as a Python-Markdown preprocessor as
well as from the MkDocs hook.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass, field

from .. import changes, opendata
from ..errors import Problem
from ..markdown_regions import prose_spans
from . import grid
from . import model as m
from . import render
from . import words as w

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

MARKER_RE = re.compile(r"\[\[[ \t]*(?P<name>[a-z][a-z-]*)[ \t]*(?::[ \t]*(?P<args>[^\[\]\n]*?))?[ \t]*\]\]")
INLINE = ("finding", "harm", "searched")
BLOCK = ("evidence", "harms", "red-flags", "course", "evidence-map", "help-elsewhere", "chance", "open-data",
         "evidence-changes",
         "option-grid", "option-table", "values-step", "my-options", "option-numbers")
OTHERS = ("chart",)  # expanded by the charts step of tpguide.pipeline before this runs
FILTERS = ("treatment", "region", "outcome", "comparison", "timepoint")


@dataclass
class PageUse:
    """What one page showed from the store (for the one-rating-per-finding checks)."""

    findings: set[str] = field(default_factory=set)
    red_flags: set[str] = field(default_factory=set)
    harms_of: set[str] = field(default_factory=set)
    summaries_of: set[str] = field(default_factory=set)
    changes: bool = False  # shows [[evidence-changes]]: the evidence-changes feed points here


# ---------------------------------------------------------------------------
# Expanding a page
# ---------------------------------------------------------------------------


# Replace every evidence marker in markdown; returns (markdown, problems, use).
def expand(markdown: str, store: m.EvidenceStore, *, path: str, src_uri: str, page_url: str,
           line_offset: int = 0) -> tuple[str, list[Problem], PageUse]:
    use = PageUse()
    problems: list[Problem] = []
    if "[[" not in markdown:
        return markdown, problems, use
    out, pos = [], 0
    for start, end in prose_spans(markdown):
        for mk in MARKER_RE.finditer(markdown, start, end):
            name = mk.group("name")
            if name in OTHERS:
                continue
            line = markdown.count("\n", 0, mk.start()) + 1 + line_offset
            args = (mk.group("args") or "").strip()
            try:
                if name in INLINE:
                    before = markdown[markdown.rfind("\n", 0, mk.start()) + 1:mk.start()]
                    text = _inline(store, name, args, page_url, use, mid_sentence=mid_sentence(before))
                elif name in BLOCK:
                    if not _alone(markdown, mk):
                        raise _Bad(f"marker {mk.group(0)!r} must be alone on its line",
                                   "put it on its own line with blank lines around it")
                    text = "\n" + _block(store, name, args, src_uri, page_url, use) + "\n"
                else:
                    close = difflib.get_close_matches(name, INLINE + BLOCK + OTHERS, n=1)
                    raise _Bad(f"unknown marker '[[{name}: ...]]'",
                               f"did you mean [[{close[0]}: ...]]?" if close else "see the editor guide, 'Evidence data'")
            except _Bad as exc:
                problems.append(Problem(path, line, exc.message, exc.hint))
                continue
            out.append(markdown[pos:mk.start()])
            out.append(_unrepeated(text, markdown, mk.end()))
            pos = mk.end()
    out.append(markdown[pos:])
    return "".join(out), problems, use


# "([[finding: x | certainty]]) [@src]": the finding cites its source and the sentence cites it
# again just after the bracket, which printed "(low certainty 7) 7". The marker's own citation is
# left out when the same key follows at once.
_CITE_END_RE = re.compile(r"\[@([^\]\s;]+)\]$")


def _unrepeated(text: str, markdown: str, after: int) -> str:
    cite = _CITE_END_RE.search(text)
    if cite and re.match(r"\)?\s*\[@" + re.escape(cite.group(1)) + r"\]", markdown[after:after + 200]):
        return text[:cite.start()]
    return text


# Plain text (no HTML, no citation) for front matter strings such as key messages: only
# [[finding: id | form]] is allowed there. Returns (text, problems).
def expand_plain(text: str, store: m.EvidenceStore, *, path: str, line: int | None) -> tuple[str, list[Problem]]:
    problems: list[Problem] = []

    def one(mk: re.Match) -> str:
        name, args = mk.group("name"), (mk.group("args") or "").strip()
        fid, _, form = (p.strip() for p in args.partition("|"))
        if name != "finding":
            problems.append(Problem(path, line, f"marker {mk.group(0)!r} cannot be used in front matter",
                                    "only [[finding: <id> | certainty]] or [[finding: <id> | statement]] work there"))
            return mk.group(0)
        if fid not in store.findings:
            close = difflib.get_close_matches(fid, list(store.findings), n=1, cutoff=0.5)
            problems.append(Problem(path, line, f"unknown finding '{fid}'", f"did you mean '{close[0]}'?" if close else
                                    "ids are listed on the evidence map page"))
            return mk.group(0)
        f = store.findings[fid]
        form = form or "certainty"
        lower = render._lower_first if mid_sentence(text[:mk.start()]) else str
        if form == "certainty":
            return f"{f.certainty} certainty"
        if form == "statement":
            return lower(w.statement(f, store.vocab, store.treatments[f.treatment]).rstrip("."))
        if form == "plain":
            return lower(w.plain_effect(f, store.vocab))
        problems.append(Problem(path, line, f"finding form '{form}' cannot be used in front matter",
                                "use certainty, statement or plain"))
        return mk.group(0)

    return MARKER_RE.sub(one, text), problems


# Problems of a treatment page that does not show its evidence and harms.
def treatment_page_problems(store: m.EvidenceStore, src_uri: str, use: PageUse, *, path: str) -> list[Problem]:
    problems = []
    for t in store.treatments_of_page(src_uri):
        if t.kind == "test":  # an examination, not a treatment: no harms or summary table required
            continue
        if t.id not in use.harms_of:
            problems.append(Problem(path, None, f"treatment page of '{t.id}' does not show its harms",
                                    f"add a line [[harms: {t.id}]] under the risks heading"))
        if store.findings_of(t.id) and t.id not in use.summaries_of:
            problems.append(Problem(path, None, f"treatment page of '{t.id}' does not show its evidence at a glance",
                                    f"add a line [[evidence: {t.id}]] under the research heading"))
    return problems


class _Bad(Exception):
    def __init__(self, message: str, hint: str = ""):
        self.message, self.hint = message, hint


def _alone(markdown: str, mk: re.Match) -> bool:
    start = markdown.rfind("\n", 0, mk.start()) + 1
    end = markdown.find("\n", mk.end())
    end = len(markdown) if end < 0 else end
    return not markdown[start:mk.start()].strip() and not markdown[mk.end():end].strip()


def _ids(args: str) -> list[str]:
    return [a.strip() for a in args.split(",") if a.strip()]


def _known(kind: str, value: str, known) -> None:
    if value not in known:
        close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
        raise _Bad(f"unknown {kind} '{value}'", f"did you mean '{close[0]}'?" if close else f"no {kind} with that id in evidence/")


# Is a marker after this text (its line up to the marker) inside a sentence? Then a sentence it
# writes starts in lower case: "Yet Examiners agreed only moderately" and "which is Examiners ..."
# read as mistakes (a fact-checker). Not after a full stop, at the start of a line, or after a tag.
def mid_sentence(before: str) -> bool:
    tail = before.rstrip().rstrip("*_").rstrip()
    return bool(tail) and tail[-1] not in ".!?>" and not re.fullmatch(r"[-*+]|\d+[.)]", tail)


def _inline(store: m.EvidenceStore, name: str, args: str, page_url: str, use: PageUse, *,
            mid_sentence: bool = False) -> str:
    if name == "finding":
        fid, _, form = (p.strip() for p in args.partition("|"))
        if not fid:
            raise _Bad("[[finding: ...]] needs a finding id", "write [[finding: <id>]]; ids are listed on the evidence map page")
        _known("finding", fid, store.findings)
        form = form or "numbers"
        if form not in render.FINDING_FORMS:
            raise _Bad(f"unknown finding form '{form}'", "use one of: " + ", ".join(render.FINDING_FORMS))
        use.findings.add(fid)
        return render.finding_inline(store, store.findings[fid], form, page_url, mid_sentence=mid_sentence)
    if name == "harm":
        hid, _, form = (p.strip() for p in args.partition("|"))
        _known("harm", hid, store.harms)
        if form not in ("", "cite"):
            raise _Bad(f"unknown harm form '{form}'", "use [[harm: <id>]] or [[harm: <id> | cite]]")
        return render.harm_inline(store.harms[hid], cite_only=form == "cite")
    _known("search topic", args, store.searches)
    return render.searched_inline(store.searches[args])


def _block(store: m.EvidenceStore, name: str, args: str, src_uri: str, page_url: str, use: PageUse) -> str:
    if name == "evidence":
        return _summary(store, args, page_url, use)
    if name == "harms":
        _known("treatment", args, store.treatments)
        use.harms_of.add(args)
        t = store.treatments[args]
        table = render.harms_table(store, t) + "\n\n" + opendata.download_link("harms", t.id, len(store.harms_of(t.id)), page_url)
        return render.fold(render.harms_gist(store, t), table, kind="harms")
    if name == "red-flags":
        return _red_flags(store, args, use)
    if name == "help-elsewhere":
        return _help(store, args)
    if name == "chance":
        _known("finding", args, store.findings)
        f = store.findings[args]
        if f.measure != "proportions" or not f.rates:
            raise _Bad(f"[[chance: {args}]] needs a finding with rates in both groups (measure: proportions)",
                       "a mean difference or an SMD is not a chance; use [[finding: id]] for it")
        use.findings.add(f.id)
        return render.chance(store, f, page_url)
    if name == "course":
        ids = _ids(args)
        if not ids:
            raise _Bad("[[course: ...]] needs natural-history ids", "write [[course: neck-acute]]")
        for cid in ids:
            _known("natural history record", cid, store.courses)
        courses = [store.courses[c] for c in ids]
        return render.fold(render.course_gist(courses[0], len(courses)), render.course_block(store, courses), kind="course")
    if name in ("option-grid", "option-table", "values-step", "my-options"):
        if args:
            raise _Bad(f"[[{name}]] takes no arguments", f"write [[{name}]]")
        if not store.options:
            raise _Bad(f"[[{name}]] needs evidence/options.yml", "add what each option asks of a person (see the editor guide)")
        page_of = lambda page: posixpath.relpath(page, posixpath.dirname(src_uri) or ".")  # noqa: E731
        for t in store.treatments.values():
            use.findings.update(t.headline.values())
        if name == "option-grid":
            return grid.option_grid(store, page_of)  # each card folds by itself
        if name == "option-table":
            return grid.grid_table(store, page_of)
        if name == "values-step":
            return grid.values_step(store)
        dates = sorted(s.searched for s in store.searches.values())
        searched = w.when_searched(dates[0], dates[-1]) if dates else "on a date not recorded"
        return grid.my_options(store, page_of, searched)
    if name == "evidence-changes":
        if args:
            raise _Bad("[[evidence-changes]] takes no arguments", "write [[evidence-changes]]")
        use.changes = True
        pages = {t.id: render.relative_url(render.doc_url(t.page), page_url) for t in store.treatments.values()}
        return changes.changes_html(store.changes, lambda tid: pages.get(tid, ""),
                                    names={t.id: t.name for t in store.treatments.values()})
    if name == "open-data":
        if args:
            raise _Bad("[[open-data]] takes no arguments", "write [[open-data]]")
        return opendata.data_block(store, page_url)
    if name == "option-numbers":
        tid, _, form = (p.strip() for p in args.partition("|"))
        _known("treatment", tid, store.treatments)
        if form not in ("", "brief"):
            raise _Bad(f"unknown form '{form}' in [[option-numbers: ...]]", "write [[option-numbers: <id>]] or [[option-numbers: <id> | brief]]")
        return grid.option_numbers(store, store.treatments[tid], asks=form != "brief")
    if args:
        raise _Bad("[[evidence-map]] takes no arguments", "write [[evidence-map]]")
    return render.evidence_map(store)


def _summary(store: m.EvidenceStore, args: str, page_url: str, use: PageUse) -> str:
    filters: dict[str, str] = {}
    for part in _ids(args):
        key, eq, value = (p.strip() for p in part.partition("="))
        if not eq:
            key, value = "treatment", key
        if key not in FILTERS:
            raise _Bad(f"unknown filter '{key}' in [[evidence: ...]]", "filter by: " + ", ".join(FILTERS))
        known = {"treatment": store.treatments, "region": store.vocab.regions, "outcome": store.vocab.outcomes,
                 "comparison": store.vocab.comparisons, "timepoint": store.vocab.timepoints}[key]
        _known(key, value, known)
        filters[key] = value
    if not filters:
        raise _Bad("[[evidence: ...]] needs a treatment or filters", "write [[evidence: dry-needling]] or [[evidence: region=neck]]")
    found = [f for f in store.findings.values() if all(getattr(f, k) == v for k, v in filters.items())]
    if not found:
        raise _Bad(f"no finding matches [[evidence: {args}]]", "check the filters against evidence/treatments/*.yml")
    for f in found:
        use.findings.add(f.id)
    if set(filters) == {"treatment"}:
        t = store.treatments[filters["treatment"]]
        use.summaries_of.add(t.id)
        caption = f"Evidence at a glance: {t.short}"
        first = [f for f in found if f.id in t.at_a_glance] if t.at_a_glance else found
        rest = [f for f in found if f not in first]
        text = render.summary_table(store, first, caption=caption, page_url=page_url)
        if rest:
            text += "\n\n" + render.more_findings(store, rest, t, page_url)
        text += "\n\n" + opendata.download_link("findings", t.id, len(found), page_url)
        return render.fold(render.findings_gist(store, found, lead="What the research found: "), text, kind="findings")
    words = []
    for key in ("treatment", "outcome", "region", "comparison", "timepoint"):
        if key in filters:
            value = filters[key]
            label = store.treatments[value].name if key == "treatment" else getattr(store.vocab, key + "s")[value].label
            words.append(label.lower())
    caption = "What the research found: " + ", ".join(words)
    table = render.summary_table(store, found, caption=caption, page_url=page_url, show_treatment="treatment" not in filters)
    return render.fold(render.findings_gist(store, found), table, kind="findings")


def _help(store: m.EvidenceStore, args: str) -> str:
    regions, treatments, full = [], [], False
    for part in _ids(args):
        key, eq, value = (p.strip() for p in part.partition("="))
        if part == "full":
            full = True
        elif eq and key == "treatment":
            _known("treatment", value, store.treatments)
            treatments.append(value)
        elif eq:
            raise _Bad(f"unknown filter '{key}' in [[help-elsewhere: ...]]", "write regions, treatment=<id> or full")
        else:
            _known("region", part, store.vocab.regions)
            regions.append(part)
    if not store.help:
        raise _Bad("[[help-elsewhere]] has nothing to show", "add services to evidence/help.yml")
    entries = (list(store.help.values()) if full and not regions and not treatments
               else render.help_entries_for(store, regions, treatments))
    return render.help_block(store, entries, full=full)


# The regions a page's warning-sign markers name ("all" and filters left out), in order.
def page_regions(markdown: str) -> list[str]:
    parts = _marker_parts(markdown, "red-flags")
    return [p for p in parts if "=" not in p and p != "all"]


# The arguments of every [[name: ...]] marker in a page's prose, each once, in page order.
def _marker_parts(markdown: str, name: str) -> list[str]:
    parts: list[str] = []
    for start, end in prose_spans(markdown):
        for mk in MARKER_RE.finditer(markdown, start, end):
            if mk.group("name") == name:
                parts += [p for p in _ids(mk.group("args") or "") if p not in parts]
    return parts


# What the handout of a page that lists every warning sign prints: every sign that needs help now
# or today (a missed same-day sign, such as a clot in the leg, can cost a life).
PRINTED_URGENCIES = ("emergency", "same-day")


# One [[red-flags: ...]] marker showing every warning sign the page's own markers show ("" when it
# has none), for its handout: regions, contexts and chosen flags, in the page's order.
def page_red_flags_marker(markdown: str, extra_flags=()) -> str:
    parts = _marker_parts(markdown, "red-flags")
    if not parts:
        return ""
    if "all" in parts:
        # the page lists every sign: its handout prints every sign that needs help now or today
        # (a leaflet that also held the "soon" and routine ones would run to four pages); the
        # page has the rest, and the handout says so
        parts = [p for p in parts if p != "all" and not p.startswith("context=")] + [f"urgency={u}" for u in PRINTED_URGENCIES]
    parts += [f"flag={f}" for f in extra_flags if f"flag={f}" not in parts]
    return "[[red-flags: " + ", ".join(parts) + "]]"


# A patient page gets the "where else to get help" block at its end unless it places one itself.
def with_help_block(markdown: str, store: m.EvidenceStore, meta: dict, src_uri: str = "") -> str:
    if not store.help or meta.get("audience") != "patient" or has_marker(markdown, "help-elsewhere"):
        return markdown
    return markdown.rstrip("\n") + "\n\n" + help_marker(markdown, store, src_uri) + "\n"


# The [[help-elsewhere: ...]] marker for a page: its regions and its treatments (a handout uses
# its article's). "" when the site has no help entries.
def help_marker(markdown: str, store: m.EvidenceStore, src_uri: str = "") -> str:
    if not store.help:
        return ""
    args = page_regions(markdown) + [f"treatment={t.id}" for t in store.treatments_of_page(src_uri)]
    return "[[help-elsewhere" + (": " + ", ".join(args) if args else "") + "]]"


def has_marker(markdown: str, name: str) -> bool:
    return any(mk.group("name") == name for start, end in prose_spans(markdown)
               for mk in MARKER_RE.finditer(markdown, start, end))


def _red_flags(store: m.EvidenceStore, args: str, use: PageUse) -> str:
    regions, contexts, chosen = [], [], []
    for part in _ids(args):
        key, eq, value = (p.strip() for p in part.partition("="))
        if eq and key == "context":
            _known("context", value, store.vocab.contexts)
            contexts.append(value)
        elif eq and key == "flag":
            _known("warning sign", value, store.red_flags)
            chosen.append(value)
        elif eq and key == "urgency":
            _known("urgency", value, store.vocab.urgencies)
            chosen += [f.id for f in store.red_flags.values() if f.urgency == value]
        elif eq:
            raise _Bad(f"unknown filter '{key}' in [[red-flags: ...]]",
                       "write regions (neck, head, all), context=<id>, flag=<id> or urgency=<level>")
        else:
            if key != "all":
                _known("region", key, store.vocab.regions)
            regions.append(key)
    if not regions and not contexts and not chosen:
        raise _Bad("[[red-flags: ...]] needs regions or a context", "write [[red-flags: neck, head]] or [[red-flags: all]]")
    flags = []
    for flag in store.red_flags.values():
        if flag.id in chosen:
            flags.append(flag)
            continue
        by_region = regions and ("all" in regions or "all" in flag.regions or set(flag.regions) & set(regions))
        by_context = contexts and set(flag.contexts) & set(contexts)
        if "all" in regions:
            ok = True
        elif contexts and not regions:
            ok = bool(by_context)
        elif regions and not contexts:
            ok = bool(by_region)
        elif regions or contexts:
            ok = bool(by_region) or bool(by_context)
        else:
            ok = False
        if ok:
            flags.append(flag)
    if regions and "all" not in regions:
        # a region's box: its own signs, and of the signs for every region only those that need
        # help today or now; the rest are on the full list (a [[red-flags: all]] page)
        flags = [f for f in flags if f.id in chosen or set(f.regions) & set(regions) or set(f.contexts) & set(contexts)
                 or render.URGENCY_ORDER.index(f.urgency) <= 1]
        flags.sort(key=lambda f: "all" in f.regions and not set(f.regions) & set(regions))
    if not flags:
        raise _Bad(f"no warning sign matches [[red-flags: {args}]]", "check evidence/red-flags.yml")
    use.red_flags.update(f.id for f in flags)
    context_words = ", ".join(store.vocab.contexts[c].label.lower() for c in contexts)
    if chosen and not regions and not contexts:
        title = "When to get help"
    elif chosen and contexts and not regions:
        # general signs chosen by id, and a situation's signs: the title must not narrow the box to
        # the situation (a reader who takes no painkillers would skip a stroke sign)
        title = f"When to get help, including {context_words}"
    elif contexts and not regions:
        title = "Get help if you notice these: " + context_words
    elif "all" in regions:
        title = "Warning signs: when to get help"
    else:
        title = "Warning signs: " + ", ".join(store.vocab.regions[r].label.lower() for r in regions)
    # emergency and same-day signs are never folded away in a box of regions; the full list of
    # every sign keeps only the emergency ones open (length), each other urgency folded on its own
    # under a summary that says what to do (a same-day sign behind "less urgent" could be missed)
    fold = ("same-day",) + render.LESS_URGENT if "all" in regions else render.LESS_URGENT if regions else ()
    return render.red_flags_block(store, flags, title=title, key=args, fold=fold)
