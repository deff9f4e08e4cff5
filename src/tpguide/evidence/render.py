"""The Markdown/HTML of every evidence block, from the store.

Blocks are HTML with ``markdown="1"``/``"span"`` (md_in_html), so that the ``[@key]`` citations
they carry become numbered footnotes like any other citation on the page. Every string from the
data is HTML-escaped here (the loader has already refused markup in data text).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import Counter

from . import icons
from . import model as m
from . import words as w

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

MAP_PAGE = "evidence-map.md"  # generated: the evidence map and every finding in full
MAP_URL = "evidence-map/"
CERTAINTY_RANK = {c: i for i, c in enumerate(m.CERTAINTIES)}  # 0 = high
# GRADE's usual symbols: filled circles for the level (aria-hidden; the word is always shown too).
_CIRCLES = {"high": "⊕⊕⊕⊕", "moderate": "⊕⊕⊕◯", "low": "⊕⊕◯◯", "very low": "⊕◯◯◯"}
URGENCY_ORDER = ("emergency", "same-day", "soon", "routine")


def _h(text) -> str:
    return html.escape(str(text), quote=True)


# Relative URL from a page (its MkDocs url, e.g. "treatments/x/") to a site-relative target.
def relative_url(target: str, page_url: str) -> str:
    path, _, frag = target.partition("#")
    base = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url) + "/"
    rel = posixpath.relpath("/" + path, "/" + base) if path else "."
    if path.endswith("/") and not rel.endswith("/"):
        rel = "./" if rel == "." else rel + "/"
    return rel + (f"#{frag}" if frag else "")


# The site URL of a docs page (directory URLs): treatments/x.md -> treatments/x/, a/index.md -> a/.
def doc_url(src_uri: str) -> str:
    stem = src_uri.removesuffix(".md")
    return "" if stem == "index" else stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def finding_url(fid: str, page_url: str) -> str:
    return relative_url(f"{MAP_URL}#f-{fid}", page_url)


def certainty_badge(f: m.Finding) -> str:
    return (f'<span class="tpg-certainty tpg-certainty--{f.certainty.replace(" ", "-")}">'
            f'<span class="tpg-certainty__circles" aria-hidden="true">{_CIRCLES[f.certainty]}</span> '
            f"{_h(w.certainty_label(f))}</span>")


# ---------------------------------------------------------------------------
# Inline: [[finding: id | form]], [[harm: id]], [[searched: topic]]
# ---------------------------------------------------------------------------

FINDING_FORMS = ("numbers", "statement", "certainty", "plain")


def finding_inline(store: m.EvidenceStore, f: m.Finding, form: str, page_url: str, *,
                   mid_sentence: bool = False) -> str:
    t = store.treatments[f.treatment]
    lower = _lower_first if mid_sentence else str  # "Yet examiners agreed", not "Yet Examiners"
    link = finding_url(f.id, page_url)
    cert = f'<a href="{_h(link)}" class="tpg-finding__certainty">{_h(f.certainty)} certainty</a>'
    if form == "certainty":
        body = cert
    elif form == "plain":
        body = _h(lower(w.plain_effect(f, store.vocab))) + f" ({cert})"
    else:
        bits = [b for b in (w.numbers(f), w.evidence_base(f)) if b]
        detail = "; ".join(_h(b) for b in bits)
        body = f"({detail}; {cert})" if detail else f"({cert})"
        if form == "statement":
            body = _h(lower(w.statement(f, store.vocab, t).rstrip("."))) + " " + body
    return (f'<span class="tpg-finding" data-finding="{_h(f.id)}" data-certainty="{_h(f.certainty)}">{body}</span>'
            f"[@{f.source}]")


# cite_only: the sentence itself says what happened ("Collapsed lungs ... have been reported in two
# case reports"); the marker adds the record's source and keeps the page tied to the record, without
# "case reports only (1 case): how often it happens is not known" read twice in one sentence.
def harm_inline(h: m.Harm, *, cite_only: bool = False) -> str:
    if cite_only:
        return f'<span class="tpg-harm" data-harm="{_h(h.id)}" hidden></span>[@{h.source}]'
    # inside a sentence: "... serious side effects: none seen in 7,629 treatments", not "None seen"
    return f'<span class="tpg-harm" data-harm="{_h(h.id)}">{_h(_lower_first(w.how_often(h)))}</span>[@{h.source}]'


def searched_inline(s: m.Search) -> str:
    return f'<time datetime="{s.searched.isoformat()}">{s.searched:%-d %B %Y}</time>'


# ---------------------------------------------------------------------------
# Summary of findings: [[evidence: treatment]] or [[evidence: region=neck, outcome=pain]]
# ---------------------------------------------------------------------------


def sort_findings(store: m.EvidenceStore, findings: list[m.Finding]) -> list[m.Finding]:
    v = store.vocab
    outcomes = list(v.outcomes)
    return sorted(findings, key=lambda f: (
        list(store.treatments).index(f.treatment) if f.treatment in store.treatments else 0,
        outcomes.index(f.outcome) if f.outcome in outcomes else 99,
        v.timepoints[f.timepoint].rank if f.timepoint in v.timepoints else 99,
        v.comparisons[f.comparison].rank if f.comparison in v.comparisons else 99,
        CERTAINTY_RANK[f.certainty],
    ))


# A table that becomes cards on a phone (site.css .tpg-stack): a caption, column heads, and rows
# of (tr attributes, [(label, Markdown content)]); the first cell of a row is its row heading.
# Cells are markdown="span", so the [@key] citations in them become footnotes. An empty content
# gives an empty cell (hidden on a phone).
def stack_table(table_class: str, caption: str, head: list[str], rows: list[tuple[str, list[tuple[str, str]]]]) -> list[str]:
    lines = [
        f'<table class="{table_class} tpg-stack" markdown="1">',
        f"<caption>{_h(caption)}</caption>",
        "<thead><tr>" + "".join(f'<th scope="col">{_h(x)}</th>' for x in head) + "</tr></thead>",
        '<tbody markdown="1">',
    ]
    for attrs, cells in rows:
        lines.append(f'<tr markdown="1" {attrs}>')
        for n, (label, content) in enumerate(cells):
            if not content:
                lines.append("<td></td>")
                continue
            tag, scope = ("th", ' scope="row"') if n == 0 else ("td", "")
            lines.append(f'<{tag}{scope} data-label="{_h(label)}" markdown="span">{content}</{tag}>')
        lines.append("</tr>")
    return lines + ["</tbody>", "</table>"]


def summary_table(store: m.EvidenceStore, findings: list[m.Finding], *, caption: str, page_url: str,
                  show_treatment: bool = False) -> str:
    v = store.vocab
    head = ["Outcome and when", "Compared with", "What the studies found", "How sure we are"]
    if show_treatment:
        head.insert(0, "Treatment")
    rows = []
    for f in sort_findings(store, findings):
        t = store.treatments[f.treatment]
        outcome = v.outcomes[f.outcome].label
        when = v.timepoints[f.timepoint].label
        compared = v.comparisons[f.comparison].label
        if f.comparison_detail:
            compared += f": {f.comparison_detail}"
        found = f"**{_h(w.statement(f, v, t, with_comparison=False))}**"
        nums = w.numbers(f)
        found += (" " + _h(nums) + ".") if nums else ""
        if f.measure == "narrative" and f.result:
            found += " " + _h(_end(f.result))
        found += f" {_h(_end(w.cap(w.evidence_base(f))))}[@{f.source}]"
        verdict, notice = w.noticeable(f, v, short=True)
        if verdict != "unknown":
            found += f' <span class="tpg-notice tpg-notice--{verdict}">{_h(notice)}</span>'
        found += (f' <a href="{_h(finding_url(f.id, page_url))}" class="tpg-sof__more">Details'
                  '<span class="tpg-sr-only"> of this finding</span></a>')
        sure = certainty_badge(f)
        reasons = w.downgrade_text(f)
        sure += f": {_h(reasons)}" if reasons else ""
        sure += f" ({_h(w.rated_by(f))})."
        # the time in the source's words, unless it only repeats the label ("Pain, right after
        # treatment. Right after treatment." read as broken to a patient reviewer)
        same = f.timepoint_detail.strip().rstrip(".").lower() == when.strip().lower()
        detail = "" if same or not f.timepoint_detail.strip() else f"{_h(w.cap(f.timepoint_detail))}. "
        cells = []
        if show_treatment:
            cells.append(("Treatment", _h(t.name)))
        cells += [
            ("Outcome and when", f"{_h(outcome)}, {_h(when.lower())} <small>{detail}{_h(_end(f.population))}</small>"),
            ("Compared with", _h(compared)),
            ("What the studies found", found),
            ("How sure we are", sure),
        ]
        rows.append((f'data-finding="{_h(f.id)}" data-certainty="{_h(f.certainty)}"', cells))
    lines = ['<div class="tpg-sof" markdown="1">', *stack_table("tpg-sof__table", caption, head, rows), "</div>"]
    return "\n".join(lines)


# ---------------------------------------------------------------------------
# Disclosures: evidence one tap away (issue 22). Each block folds under a line that already says
# its gist in plain words, made from the data; print and links to anchors inside open it.
# ---------------------------------------------------------------------------


def fold(gist: str, body: str, *, kind: str) -> str:
    return "\n".join([f'<details class="tpg-evidence-fold" data-fold="{_h(kind)}" markdown="1">',
                      f'<summary markdown="span">{gist}</summary>', "", body, "", "</details>"])


# "What the research found: 20 findings. Dry needling may reduce pain (short term, low certainty).
# Compared with a fake (sham) treatment: it is not clear whether ... (low certainty)." The lead is
# the treatment's headline finding; the comparison with a sham is added when it says something else,
# so the line never reads better than the fairest test.
def findings_gist(store: m.EvidenceStore, findings: list[m.Finding], *, lead: str = "") -> str:
    v = store.vocab
    ordered = sort_findings(store, findings)
    first = ordered[0]
    t = store.treatments[first.treatment]
    if all(f.treatment == t.id for f in findings):
        lead_ids = list(t.headline.values()) + list(t.at_a_glance)
        first = next((f for fid in lead_ids for f in findings if f.id == fid), first)

    def said(f: m.Finding) -> str:
        text = w.statement(f, v, store.treatments[f.treatment], with_comparison=False)
        text = _end(text[:1].upper() + text[1:])[:-1]
        return f"{text} ({v.timepoints[f.timepoint].label.lower()}, {f.certainty} certainty)."

    n = len(findings)
    # a single finding says who was studied ("1 finding, in 84 people with heel pain ..."): a calf
    # page's line read as if needling eased calf pain
    who = f", in {_lower_first(first.population.rstrip('.'))}" if n == 1 and first.population else ""
    out = f"{lead}{n} finding{'s' if n != 1 else ''}{who}. {said(first)}"
    best = fairest_sham(store, first, ordered)
    if best:
        out += f" Compared with a fake (sham) treatment: {said(best)[:1].lower()}{said(best)[1:]}"
    return _h(out)


# The fairest test beside a lead result that is not against a fake (sham) treatment: the same
# treatment's sham-controlled result on the same outcome, pooled trials before a single trial, then
# the surer (a single trial must not speak for the comparison when a review pooled several); None
# when there is none, or it says the same. A summary line never reads better than the fairest test.
def fairest_sham(store: m.EvidenceStore, lead: m.Finding, findings: list[m.Finding] | None = None) -> m.Finding | None:
    if lead.comparison == "sham":
        return None
    pool = findings if findings is not None else store.findings_of(lead.treatment)
    shams = [f for f in pool if f.comparison == "sham" and f.outcome == lead.outcome and f.treatment == lead.treatment
             and f is not lead]
    if not shams:
        return None
    best = min(shams, key=lambda f: (not f.pooled or (f.studies or 0) < 2, m.CERTAINTIES.index(f.certainty)))
    t = store.treatments[lead.treatment]
    same = w.statement(best, store.vocab, t, with_comparison=False) == w.statement(lead, store.vocab, t, with_comparison=False)
    return None if same else best


# "Side effects and harms of dry needling. Minor: any mild side effect, about 19 events per 100
# treatments (7 more in the table). Serious: major events ..., about 1 event per 1,000 treatments
# (5 more in the table)."
def harms_gist(store: m.EvidenceStore, treatment: m.Treatment) -> str:
    parts = []
    for seriousness, label in (("minor", "Minor"), ("serious", "Serious")):
        group = harms_by_kind(store, treatment, seriousness)
        if group:
            h = group[0]
            # plain words (a patient reviewer did not know what "(6 records)" meant)
            more = f" ({len(group) - 1} more in the table)" if len(group) > 1 else ""
            parts.append(f"{label}: {_lower_first(h.event)}, {_lower_first(w.how_often_brief(h))}{more}.")
    return _h(f"Side effects and harms of {treatment.short}. " + " ".join(parts))


# A treatment's harms of one seriousness: those that happen first (words.reassuring), then the
# best-counted first (in the order of m.HARM_KINDS: rates, then ratios, ... "no data" last); of
# two counted rates (two surveys of the same harm), the higher first, so that a leaflet showing
# one figure shows the less reassuring one.
def harms_by_kind(store: m.EvidenceStore, treatment: m.Treatment, seriousness: str) -> list[m.Harm]:
    def percent(h: m.Harm) -> float:
        o = h.how_often
        if o.rate is not None:
            return o.rate
        if o.rate_range is not None:
            return o.rate_range[1]  # a range from several studies: its top
        return 100 * o.n / o.of if o.n is not None and o.of else 0.0

    # a harm that happens comes before one no more common than in the comparison group (words.
    # reassuring), so that every summary line, table, leaflet and card that shows only the first
    # names the same one: "no clear difference from placebo" hid paracetamol's overdose harm
    return sorted((h for h in store.harms_of(treatment.id) if h.seriousness == seriousness),
                  key=lambda h: (w.reassuring(h), m.HARM_KINDS.index(h.how_often.kind),
                                 -percent(h) if h.how_often.kind == "rate" else 0))


# The findings not shown at a glance, folded away under a summary line.
def more_findings(store: m.EvidenceStore, findings: list[m.Finding], t: m.Treatment, page_url: str) -> str:
    n = len(findings)
    return "\n".join([
        '<details class="tpg-sof-more" markdown="1">',
        f"<summary>{n} more finding{'s' if n != 1 else ''} on {_h(t.short)}</summary>",
        summary_table(store, findings, caption=f"More findings: {t.short}", page_url=page_url),
        "</details>",
    ])


def _end(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "?", "!")) else text + "."


# ---------------------------------------------------------------------------
# Harms: [[harms: treatment]]
# ---------------------------------------------------------------------------


def harms_table(store: m.EvidenceStore, treatment: m.Treatment) -> str:
    harms = store.harms_of(treatment.id)
    # "Minor", not "Minor, short-lived": not every minor harm is known to be brief (CBT's side effects)
    groups = (("minor", "Minor side effects"), ("serious", "Serious harms"))
    out = [f'<div class="tpg-harms" data-harms="{_h(treatment.id)}" markdown="1">']
    for seriousness, title in groups:
        rows = [(f'data-harm="{_h(h.id)}" data-seriousness="{_h(h.seriousness)}"',
                 [("What can happen", _h(h.event)), ("How often", f"{_h(w.how_often(h))}[@{h.source}]"),
                  ("Notes", _h(h.notes))])
                for h in harms if h.seriousness == seriousness]
        if rows:
            out += stack_table("tpg-harms__table", f"{title}: {treatment.short}",
                               ["What can happen", "How often", "Notes"], rows)
    out.append("</div>")
    return "\n".join(out)


# "Bruising" -> "bruising", but "DVT" stays.
def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def _cite(f: m.Finding) -> str:
    return f"[@{f.source}]"


# ---------------------------------------------------------------------------
# Evidence map (the generated page): treatments x outcomes, then every finding
# ---------------------------------------------------------------------------


def cell_id(treatment: str, outcome: str) -> str:
    return f"cell-{treatment}-{outcome}"


def map_outcomes(store: m.EvidenceStore) -> list[str]:
    used = {f.outcome for f in store.findings.values()}
    return [o for o in store.vocab.outcomes if o in used]


def evidence_map(store: m.EvidenceStore) -> str:
    v = store.vocab
    outcomes = map_outcomes(store)
    treatments = [t for t in store.treatments.values() if store.findings_of(t.id)]
    total = len(store.findings)
    best = Counter(f.certainty for f in store.findings.values())
    summary = (f"{total} finding{'s' if total != 1 else ''} on {len(treatments)} treatment{'s' if len(treatments) != 1 else ''} "
               f"and tests, across {len(outcomes)} outcome{'s' if len(outcomes) != 1 else ''}. "
               "Certainty of the findings: " + ", ".join(f"{best[c]} {c}" for c in m.CERTAINTIES) + ". "
               "Each cell gives the number of findings and the highest certainty among them; an empty cell means "
               "we have no finding for that pair. Each cell links to its findings below.")
    lines = [
        '<figure class="tpg-map" aria-labelledby="tpg-map-title" markdown="0">',
        '<p class="tpg-map__title" id="tpg-map-title">Evidence map: which treatments have findings on which outcomes, and how sure they are</p>',
        f'<p class="tpg-map__summary" id="tpg-map-summary">{_h(summary)}</p>',
        '<div class="tpg-map__scroll" role="region" aria-label="Evidence map table, scrolls sideways" tabindex="0">',
        '<table class="tpg-map__table" aria-describedby="tpg-map-summary">',
        '<thead><tr><th scope="col">Treatment</th>' + "".join(f'<th scope="col">{_h(v.outcomes[o].label)}</th>' for o in outcomes) + "</tr></thead>",
        "<tbody>",
    ]
    for t in treatments:
        row = [f'<th scope="row"><a href="#{_h(t.id)}">{_h(t.name)}</a></th>']
        for o in outcomes:
            cell = [f for f in store.findings_of(t.id) if f.outcome == o]
            if not cell:
                row.append('<td class="tpg-map__cell tpg-map__cell--none"><span aria-hidden="true">—</span><span class="tpg-sr-only">No findings</span></td>')
                continue
            top = min(cell, key=lambda f: CERTAINTY_RANK[f.certainty])
            n = len(cell)
            row.append(
                f'<td class="tpg-map__cell tpg-map__cell--{top.certainty.replace(" ", "-")}">'
                f'<a href="#{cell_id(t.id, o)}"><span class="tpg-map__count">{n} finding{"s" if n != 1 else ""}</span> '
                f'<span class="tpg-map__best">best: {_h(top.certainty)}</span>'
                f'<span class="tpg-sr-only"> ({_h(t.name)}, {_h(v.outcomes[o].label.lower())})</span></a></td>')
        lines.append("<tr>" + "".join(row) + "</tr>")
    lines += ["</tbody>", "</table>", "</div>", "</figure>"]
    return "\n".join(lines)


def map_page_markdown(store: m.EvidenceStore, *, data_page: str = "") -> str:
    v = store.vocab
    front = ("---\ntitle: Evidence map and all findings\n"
             "description: Every finding on this site in one place, by treatment and outcome, with its numbers, certainty and source.\n"
             # ranked after the patient pages in search: a patient reviewer's "foam roller" found this
             # page of record ids and GRADE symbols first (Material's search reads the boost)
             "search:\n  boost: 0.2\n"
             "---\n\n")
    intro = ("This page is built from our evidence data, the one place where every effect, certainty rating and "
             "harm on this site is recorded. Every other page shows these same records, so two pages cannot disagree. "
             "Certainty uses the four GRADE levels: high, moderate, low and very low.\n\n")
    if data_page:  # the open data (issue 25): the same records as files
        intro += f"You can download every record on this page, as CSV, JSON and other formats, from [our data]({data_page}).\n\n"
    parts = [front, "# Evidence map and all findings\n\n", intro, evidence_map(store), "\n"]
    for t in store.treatments.values():
        findings = store.findings_of(t.id)
        if not findings:
            continue
        # each treatment's cards fold under its name (issue 22); the table above links into them
        parts.append(f"\n## {_md_text(t.name)} {{#{t.id} .fold}}\n\n")
        for o in map_outcomes(store):
            cell = [f for f in sort_findings(store, findings) if f.outcome == o]
            if not cell:
                continue
            parts.append(f"### {_md_text(t.name)}: {_md_text(v.outcomes[o].label.lower())} {{#{cell_id(t.id, o)}}}\n\n")
            for f in cell:
                parts.append(finding_card(store, f) + "\n\n")
    return "".join(parts)


def finding_card(store: m.EvidenceStore, f: m.Finding) -> str:
    v = store.vocab
    t = store.treatments[f.treatment]
    verdict, notice = w.noticeable(f, v)
    rows = [
        ("In words", _h(w.statement(f, v, t))),
        ("Numbers", _h(w.numbers(f)) or "No pooled numbers: " + _h(f.result)),
        ("Studies", _h(w.cap(w.evidence_base(f)))),
        ("How sure", certainty_badge(f) + (f": {_h(w.downgrade_text(f))}" if f.downgrades else "")
         + f" ({_h(w.rated_by(f))})." + (f" {_h(f.certainty_note)}" if f.certainty_note else "")),
        ("Big enough to notice?", _h(notice)),
        ("Who", _h(f.population) + f" ({_h(v.regions[f.region].label)})"),
        ("Compared with", _h(v.comparisons[f.comparison].label) + (f": {_h(f.comparison_detail)}" if f.comparison_detail else "")),
        ("When", _h(v.timepoints[f.timepoint].label) + f": {_h(f.timepoint_detail)}"),
    ]
    if f.result and f.measure not in ("narrative",):
        rows.append(("In the source's words", _h(f.result)))
    if f.notes:
        rows.append(("Notes", _h(f.notes)))
    rows.append(("Source", f"[@{f.source}]"))
    out = [f'<div class="tpg-finding-card" id="f-{_h(f.id)}" data-finding="{_h(f.id)}" data-certainty="{_h(f.certainty)}" markdown="1">',
           f'<p class="tpg-finding-card__id" markdown="span">Finding <code>{_h(f.id)}</code></p>',
           '<dl class="tpg-finding-card__fields" markdown="1">']
    for label, content in rows:
        out += [f"<dt>{_h(label)}</dt>", f'<dd markdown="span">{content}</dd>']
    out += ["</dl>", "</div>"]
    return "\n".join(out)


def _md_text(text: str) -> str:
    return html.escape(text).replace("#", "&#35;").replace("{", "&#123;")


# ---------------------------------------------------------------------------
# Red flags: [[red-flags: neck, head]] / [[red-flags: context=after-needling]]
# ---------------------------------------------------------------------------


LESS_URGENT = ("soon", "routine")


# A sign as HTML, its key words in bold so that a reader can scan a long box for them.
def sign_html(flag: m.RedFlag) -> str:
    sign = _end(flag.sign)
    out, at = [], 0
    for a, b in m.sign_bold_spans(sign, flag.bold):
        out += [_h(sign[at:a]), f"<strong>{_h(sign[a:b])}</strong>"]
        at = b
    return "".join(out) + _h(sign[at:])


# What to do about a folded group of signs, for its summary line ("20 more signs: get medical
# advice today"): a reader who sees only the summary must know how urgent what is inside is.
# Each action as said of several signs and of one.
FOLDED_ACTION = {"same-day": ("get medical advice today",) * 2,
                 "soon": ("see a doctor within a few days",) * 2,
                 "routine": ("mention them at your next appointment", "mention it at your next appointment")}


SHORT_BOX = 8  # signs


def red_flags_block(store: m.EvidenceStore, flags: list[m.RedFlag], *, title: str, key: str, fold=()) -> str:
    v = store.vocab
    # a short box prints on one page, so that no sign is parted from its heading and urgency line
    short = " tpg-redflags--short" if len(flags) <= SHORT_BOX else ""
    out = [f'<div class="admonition danger tpg-redflags{short}" data-red-flags="{_h(key)}" markdown="1">',
           f'<p class="admonition-title">{_h(title)}</p>']
    groups: dict[str, list[m.RedFlag]] = {}
    for flag in flags:
        groups.setdefault(flag.urgency, []).append(flag)
    urgencies = sorted(groups, key=lambda u: (URGENCY_ORDER.index(u) if u in URGENCY_ORDER else 9))
    folded = [u for u in urgencies if u in fold]
    if folded and len(folded) == len(urgencies):
        folded = []  # nothing urgent to show first: show everything
    # a long box that folds signs needing help today (the full list) opens with a line of links to
    # each urgency, so that on a phone the same-day signs are one tap away, not five screens down
    jump = "same-day" in folded
    if jump:
        links = [f'<a href="#signs-{_h(u)}">{_h(v.urgencies[u].label)} ({len(groups[u])})</a>' for u in urgencies]
        out.append(f'<p class="tpg-redflags__jump">Jump to: {" · ".join(links)}</p>')
    for urgency in urgencies:
        term = v.urgencies[urgency]
        group = groups[urgency]
        if urgency in folded:  # each urgency folds on its own, its summary saying how urgent
            n = len(group)
            several, one = FOLDED_ACTION.get(urgency, (term.label.lower(),) * 2)
            action = one if n == 1 else several
            out += [f'<details class="tpg-redflags__more" data-urgency="{_h(urgency)}" markdown="1">',
                    f"<summary>{n} more sign{'s' if n != 1 else ''}: {_h(action)}</summary>", ""]
        anchor = f' id="signs-{_h(urgency)}"' if jump else ""
        out += [f'<div class="tpg-redflags__group"{anchor} data-urgency="{_h(urgency)}" markdown="1">',
                f'<p class="tpg-redflags__action"><strong>{_h(term.label)}.</strong> {call_links(_h(term.phrase))}</p>', ""]
        for flag in group:
            cites = "[" + "; ".join(f"@{k}" for k in flag.sources) + "]"
            advice = f" {_h(_end(flag.advice))}" if flag.advice else ""
            out.append(f'- <span class="tpg-redflag" data-red-flag="{_h(flag.id)}" data-urgency="{_h(urgency)}">'
                       f"{sign_html(flag)}</span>{advice}{cites}")
        out += ["", "</div>"]
        if urgency in folded:
            out += ["</details>"]
    out.append("</div>")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Chances: [[chance: finding-id]] (issue 23)
# ---------------------------------------------------------------------------


# What a finding's treatment was compared with, in the source's words where given.
def comparison_words(store: m.EvidenceStore, f: m.Finding) -> str:
    c = store.vocab.comparisons.get(f.comparison)
    return f.comparison_detail or ((c.phrase or c.label) if c else "the comparison group")


# A proportion as natural frequencies out of 100, beside the comparison group of the same source,
# with the time frame, who was studied, the certainty and the citation; icon arrays, no script.
def chance(store: m.EvidenceStore, f: m.Finding, page_url: str) -> str:
    t = store.treatments[f.treatment]
    comparison = comparison_words(store, f)
    name = f.treatment_detail or t.name  # the form tested ("a diclofenac gel"), where narrower
    option = name[:1].lower() + name[1:] if not name[:2].isupper() else name
    figure = icons.compare(event=f.event, option=option, option_rate=f.rates[0], comparison=comparison,
                           comparison_rate=f.rates[1], per=100, time_frame=f.timepoint_detail,
                           ident=f"chance-{f.id}")
    who = f'<p class="tpg-chance__who" markdown="span">Who was studied: {_h(_end(f.population))} How sure we are: ' \
          f'{certainty_badge(f)}.[@{f.source}]</p>'
    return "\n".join([f'<div class="tpg-chance" data-finding="{_h(f.id)}" data-certainty="{_h(f.certainty)}" markdown="1">',
                      figure, who, "</div>"])


# ---------------------------------------------------------------------------
# Where else to get help: [[help-elsewhere]] / [[help-elsewhere: neck, shoulder]] / [[help-elsewhere: full]]
# ---------------------------------------------------------------------------

HELP_ID = "where-else-to-get-help"
HELP_TITLE = "Where else to get help"
HELP_ROWS = (  # kind -> the question each row answers, in reading order
    ("crisis", "If you feel you cannot cope, or think about harming yourself (free, any time)"),
    ("condition-info", "Health information from public health services"),
    ("self-referral", "Seeing a physiotherapist without a doctor's referral"),
    ("self-management", "Learning to live well with long-lasting pain"),
    ("registration", "Checking that a practitioner is registered"),
    ("report-harm", "Reporting a side effect of a treatment, a medicine or a device"),
)


# The help entries a page shows: every crisis line, register, self-referral and self-management
# entry (those for some treatments only on those treatments' pages), and the condition pages about
# the page's regions (general ones when it names none or none match).
def help_entries_for(store: m.EvidenceStore, regions, treatments=()) -> list[m.HelpEntry]:
    regions, treatments = set(regions or ()), set(treatments or ())
    entries = [e for e in store.help.values() if not e.treatments or set(e.treatments) & treatments]
    about = [e for e in entries if e.kind == "condition-info" and regions and set(e.regions) & regions]
    if not about:
        about = [e for e in entries if e.kind == "condition-info" and (not e.regions or "several" in e.regions)]
    return [e for e in entries if e.kind != "condition-info"] + about


# "116 123" -> "116123": the number a phone dials from a tel: link.
def tel(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit() or c == "+")


# Emergency numbers after their country or region ("UK 999", "New Zealand 111"), or before it
# ("999 in the UK", "111 only in New Zealand"), become links a phone can call; other numbers in the
# text stay text.
_CALL_RE = re.compile(r"\b(?P<place>(?:UK|Europe|America|Canada|Australia|Zealand) )(?P<after>999|112|911|000|111)\b"
                      r"|\b(?P<before>999|112|911|000|111)\b(?= (?:only )?in )")


# Every emergency number, the UK's first: a practitioner reviewer read "New Zealand 111" in a list of
# emergency numbers beside "NHS 111" for advice today, which a UK reader could take for an emergency
# line. New Zealand's stands apart, after a semicolon (and the leaflets have no room for more words).
EMERGENCY_NUMBERS = "(UK 999, Europe 112, North America 911, Australia 000; in New Zealand 111)"


def call_links(text_html: str) -> str:
    def link(mk: re.Match) -> str:
        number = mk.group("after") or mk.group("before")
        return (mk.group("place") or "") + f'<a href="tel:{number}">{number}</a>'
    return _CALL_RE.sub(link, text_html)


# "Samaritans, phone 116 123 (UK and Ireland)"; in print the address follows, as paper has no links.
def _help_link(e: m.HelpEntry) -> str:
    # a service named by its number ("Need to talk? 1737") says "call or text", not the number twice
    said = "call or text" if e.phone and e.phone in e.name else "phone"
    phone = f', {said} <a href="tel:{_h(tel(e.phone))}"><strong>{_h(e.phone)}</strong></a>' if e.phone else ""
    shown = e.url.removeprefix("https://").removeprefix("www.").rstrip("/")
    return (f'<a class="tpg-help__link" href="{_h(e.url)}" data-help="{_h(e.id)}">{_h(e.name)}</a>{phone} '
            f'({_h(e.country)})<span class="tpg-help__url"> {_h(shown)}</span>')


def help_block(store: m.EvidenceStore, entries: list[m.HelpEntry], *, full: bool = False) -> str:
    if not entries:
        return ""
    checked = min(e.checked for e in entries)
    out = [f"## {HELP_TITLE} {{ #{HELP_ID} }}", "",
           f'<div class="tpg-help" data-help-full="{str(full).lower()}">',
           "<p>These free services are run by public health services and charities. They are not part of this site, "
           "and we have no link with any of them. In an emergency, call your local emergency number "
           + call_links(EMERGENCY_NUMBERS + ".")
           + "</p>"]
    # crisis lines always in view; the rest one tap away (print opens it)
    crisis = [e for e in entries if e.kind == "crisis"]
    rest = [(kind, question, [e for e in entries if e.kind == kind]) for kind, question in HELP_ROWS if kind != "crisis"]
    rest = [(kind, question, rows) for kind, question, rows in rest if rows]
    if full:
        for kind, question, rows in [("crisis", HELP_ROWS[0][1], crisis)] + rest:
            if not rows:
                continue
            items = [f"<li>{_help_link(e)}. {_h(_end(e.text))} <small>Checked "
                     f'<time datetime="{e.checked.isoformat()}">{e.checked:%-d %B %Y}</time>.</small></li>' for e in rows]
            if kind == "crisis":
                out += [f'<div class="tpg-help__kind" data-help-kind="{kind}">', f"<h3>{_h(question)}</h3>", "<ul>", *items,
                        "</ul>", "</div>"]
            else:
                out += [f'<details class="tpg-help__kind" data-help-kind="{kind}">',
                        f"<summary>{_h(question)} ({len(rows)})</summary>", "<ul>", *items, "</ul>", "</details>"]
    else:
        out.append('<ul class="tpg-help__rows">')
        if crisis:
            out.append(f'<li data-help-kind="crisis"><strong>{_h(HELP_ROWS[0][1])}:</strong> '
                       + "; ".join(_help_link(e) for e in crisis) + ".</li>")
        out.append("</ul>")
        if rest:
            n = sum(len(rows) for _, _, rows in rest)
            what = ", ".join(question.lower() for _, question, _ in rest)
            out += ['<details class="tpg-help__more-rows">',
                    f"<summary>{n} more services: {_h(what)}</summary>", '<ul class="tpg-help__rows">']
            out += [f'<li data-help-kind="{kind}"><strong>{_h(question)}:</strong> '
                    + "; ".join(_help_link(e) for e in rows) + ".</li>" for kind, question, rows in rest]
            out += ["</ul>", "</details>"]
        out.append('<p class="tpg-help__more">Registers of practitioners, physiotherapy without a referral, '
                   "programmes for living with pain and how to report a side effect are listed, with their "
                   "addresses, on the web version of this page.</p>")
    out += [f'<p class="tpg-help__checked">We last checked these addresses and numbers on '
            f'<time datetime="{checked.isoformat()}">{checked:%-d %B %Y}</time>.<span class="tpg-web-only"> If one '
            "no longer works, please tell us with the \"Report a problem\" link.</span></p>", "</div>"]
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Natural history: [[course: id, id]]
# ---------------------------------------------------------------------------


# "How it went: new (acute) neck pain: average pain was 43 at the start, 26 at 6 weeks ... (2 tables)."
def course_gist(first: m.Course, n: int) -> str:
    # the start and the first follow-up: later points may come from other studies (see the table's notes)
    a, b = first.points[0], first.points[1]
    text = f"{w.cap(first.group)}: {first.unit} went from {w.num(a.value)} at {a.time} to {w.num(b.value)} at {b.time}"
    return _h(f"How it went over time. {text}" + (f" ({n} tables)." if n > 1 else "."))


def course_block(store: m.EvidenceStore, courses: list[m.Course]) -> str:
    out = ['<div class="tpg-course" markdown="1">']
    for c in courses:
        steps = [f"{w.num(p.value)} at {p.time}" for p in c.points]
        summary = f"{w.cap(c.group)}: {c.unit} was " + ", ".join(steps[:-1]) + f" and {steps[-1]}."
        out += [
            f'<table class="tpg-course__table" data-course="{_h(c.id)}" markdown="1">',
            f"<caption>{_h(summary)}</caption>",
            f'<thead><tr><th scope="col">Time since joining the study</th><th scope="col">{_h(w.cap(c.unit))}</th><th scope="col">95% CI</th></tr></thead>',
            '<tbody markdown="1">',
        ]
        for p in c.points:
            ci = f"{w.num(p.ci[0])} to {w.num(p.ci[1])}" if p.ci else "—"
            out.append(f'<tr><th scope="row">{_h(p.time)}</th><td>{w.num(p.value)}</td><td>{ci}</td></tr>')
        out += ["</tbody>", "</table>",
                f'<p class="tpg-course__source" markdown="span">{_h(_end(c.population))}[@{c.source}]{(" " + _h(_end(c.notes))) if c.notes else ""}</p>']
    out.append("</div>")
    return "\n".join(out)
