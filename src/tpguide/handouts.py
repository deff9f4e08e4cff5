"""Printable handouts: a short summary of each patient page, generated at build time.

Each patient article gets `/handouts/<page>/`: its title, review dates, key messages, the
summary an editor may write in the `handout:` front matter field, the steps of its "What you can
do now" section (what_you_can_do), the page's own warning signs,
"Where else to get help" for its regions and treatments, and the page's address as text and QR code (see overrides/partials/tpg-print.html).
On screen, each handout offers large print and a print button (PRINT_CONTROLS); `/handouts/` lists them
all (index_source).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

import yaml

from .quality import split_front_matter

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

HANDOUT_DIR = "handouts"
REVIEW_FIELDS = ("authors", "reviewer", "last_reviewed", "next_review", "evidence_topics", "key_messages", "tags")
SAFETY = """\
## When to get help { .practical }

See a doctor or another health professional if your pain is severe, keeps getting worse, or does
not ease with time. Get urgent help for chest pain, new numbness or weakness, loss of bladder or
bowel control, fever with your pain, or pain after a serious injury: these can be signs of
something other than a muscle problem [@verhagen2016red; @finucane2020international].
"""
SAFETY_LINK = "Read more: [when to see a professional]({safety_link}).\n"
SAFETY_PAGE = "when-to-see-a-professional.md"
# A handout that prints every sign that needs help now or today (about 45 of them) may print on
# three A4 pages, not two: safety before the page count. The print gate (tpguide.audit) knows it
# by this class, on the line that says where the other signs are.
ALL_URGENT_SIGNS_CLASS = "tpg-urgent-signs-note"
# After a warning-sign box that prints only the urgent signs of a page that lists every sign
# (tpguide.evidence.markers.PRINTED_URGENCIES): where the others are.
NOT_PRINTED = ("Signs that need a doctor within a few days, or a routine appointment, are not printed here. "
               "They are on the web page: [{title}]({page_link}).")


@dataclass(frozen=True)
class Leaflet:
    """What a treatment's patient leaflet says, as Markdown pieces made from the evidence data."""

    what: str
    benefits: tuple[str, ...]  # one Markdown sentence each ([[finding: id | statement]] markers)
    harms: tuple[str, ...]  # "Bruising: [[harm: id]]"
    expect: str
    flags_marker: str  # "[[red-flags: flag=a, flag=b]]"
    flag_ids: tuple[str, ...] = ()  # the treatments' own leaflet_flags
    numbers: tuple[str, ...] = ()  # [[option-numbers: id]] markers: the decision aid's figures (issue 23)


# The decision aid's questions, for a leaflet to weigh the option against (issue 23).
VALUES_QUESTIONS = (
    "How much do needles, cost or clinic visits matter to me?",
    "Do I want something I can do myself?",
    "How do I feel about a small chance of a serious harm?",
    "How sure must the evidence be before I try something?",
)


# What the four certainty words mean, printed under a handout's numbers (issue 23 review).
CERTAINTY_WORDS = ("Certainty: *high*, the true effect is very likely close to this; *moderate*, probably close; "
                   "*low*, it may be quite different; *very low*, very uncertain (our four words, from GRADE). "
                   "<!-- no-cite -->")

QUESTIONS_HEADING = "Questions to ask your practitioner"

# On screen only, under a handout's first line: large type for paper, and a print button.
# The checkbox works without JavaScript: site.css prints the sheet in large type while it is
# ticked (16pt text and warning signs, against 9pt and 8pt; more pages: no page budget). The
# button is hidden until site.js wires it to the browser's print command.
LARGE_PRINT_ID = "tpg-large-print"
# Markers of forms a reader fills in and takes along (tpguide.evidence.grid.my_options): a page
# that holds one prints it on its handout.
FORM_MARKERS = ("[[my-options]]",)
FORM_HEADING = "Fill this in"

PRINT_CONTROLS = (
    '<p class="tpg-web-only tpg-print-controls">'
    f'<label><input type="checkbox" id="{LARGE_PRINT_ID}"> Print in large type (uses more pages)</label> '
    '<button type="button" class="md-button" data-tpg-print hidden>Print this sheet</button></p>'
)


# The values questions as a handout section (Markdown lines).
def values_section() -> list[str]:
    return ["## What matters to you", "", " ".join(VALUES_QUESTIONS) + " <!-- no-cite -->", ""]


# The list items under the "Questions to ask your practitioner" heading of a page, as Markdown.
def questions_of(body: str) -> list[str]:
    m = re.search(rf"(?ms)^## {re.escape(QUESTIONS_HEADING)}[^\n]*\n(.*?)(?=^## |\Z)", body)
    if not m:
        return []
    section = m.group(1).split("\n### ", 1)[0]  # the questions themselves, not a subsection after them
    return [line.strip()[2:].strip() for line in section.splitlines() if line.strip().startswith(("- ", "* "))]


# The handout's src URI for an article's src URI: "treatments/dry-needling.md" -> "handouts/treatments-dry-needling.md".
def handout_uri(src_uri: str) -> str:
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem.endswith("/index") or stem == "index":
        stem = stem[: -len("index")].rstrip("/") or "home"
    return f"{HANDOUT_DIR}/{stem.replace('/', '-')}.md"


# A page's "What you can do now" section ({ #what-you-can-do }) goes on its handout: its opening
# paragraph and its first list, the practical steps, which is what a reader needs on paper. Links
# are re-pointed from the page's folder to the handout's, and the page's own anchors to the page.
WHAT_YOU_CAN_DO_ID = "what-you-can-do"
WHAT_YOU_CAN_DO_HEADING = "What you can do now"
# On paper, under those steps: the page has the rest (a patient reviewer missed the neck page's
# exercises and drawings on its handout). Print only: on screen the page is one link away.
MORE_ON_THE_PAGE = ("More on each step, with any exercises and drawings, is on the full page: scan the QR code at "
                    "the top. <!-- no-cite -->")
_HEADING_RE = re.compile(r"^(#{1,6})\s")
_ITEM_RE = re.compile(r"^(?:[-*+]|\d+[.)])\s")
# an inline link or image: [text](url) or [text](<url> "title"); a reference definition: [id]: url
_LINK_RE = re.compile(r"\]\((?P<open><?)(?P<url>[^)\s>]+)(?P<close>>?)(?P<rest>\s+(?:\"[^\"]*\"|'[^']*'))?\)")
_DEF_RE = re.compile(r"^(?P<head> {0,3}\[[^\]]+\]:\s*<?)(?P<url>[^\s>]+)", re.M)


def what_you_can_do(page_body: str, src_uri: str, target: str) -> str:
    lines = page_body.replace("\r\n", "\n").splitlines()
    start = next((i for i, line in enumerate(lines)
                  if line.startswith("## ") and re.search(r"\{[^}]*#" + WHAT_YOU_CAN_DO_ID + r"\b[^}]*\}", line)), None)
    if start is None:
        return ""
    rest = lines[start + 1:]
    out: list[str] = []
    in_list = False
    for i, line in enumerate(rest):
        if _HEADING_RE.match(line):
            break
        if in_list and not line.strip():
            # a blank line inside a loose list: the list goes on if the next text is an item or
            # an indented continuation of one
            after = next((x for x in rest[i + 1:] if x.strip()), "")
            if not (_ITEM_RE.match(after) or after.startswith((" ", "\t"))):
                break
        elif in_list and not (_ITEM_RE.match(line) or line.startswith((" ", "\t"))):
            break  # the list has ended: the rest of the section is for the web page
        in_list = in_list or bool(_ITEM_RE.match(line))
        out.append(line)
    if not in_list:
        return ""
    return _relink("\n".join(out).strip(), src_uri, target)


def _relink(markdown_text: str, src_uri: str, target: str) -> str:
    page_link = posixpath.relpath(src_uri, posixpath.dirname(target))

    def moved(url: str) -> str:
        if url.startswith("#"):
            return page_link + url
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I) or url.startswith("/"):
            return url
        path, hash_, frag = url.partition("#")
        rel = posixpath.relpath(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path)),
                                posixpath.dirname(target))
        return rel + ("/" if path.endswith("/") and not rel.endswith("/") else "") + hash_ + frag

    def inline(mk: re.Match) -> str:
        return f"]({mk.group('open')}{moved(mk.group('url'))}{mk.group('close')}{mk.group('rest') or ''})"

    text = _LINK_RE.sub(inline, markdown_text)
    return _DEF_RE.sub(lambda mk: mk.group("head") + moved(mk.group("url")), text)


# True for pages that get a handout: articles written for patients (with a title: without one
# the article's own front matter check reports it).
def wants_handout(meta: dict) -> bool:
    return meta.get("audience") == "patient" and bool(meta.get("key_messages")) and isinstance(meta.get("title"), str)


# A page title as the words of a Markdown link: plain text, whatever it holds. A title is checked
# for HTML (content_policy) but not for Markdown: "]" or a trailing "\\" would break the link,
# "![i](https://...)" would load an image from elsewhere, and "[[...]]" or "[@key]" would be
# expanded as a marker or a citation. Markdown's punctuation is backslash-escaped, and "@" is a
# character reference (Python-Markdown has no escape for it).
_MD_PUNCTUATION_RE = re.compile(r"([\\`*_\[\]{}()#+!>.-])")  # Python-Markdown's escapable characters


def link_text(title: str) -> str:
    return _MD_PUNCTUATION_RE.sub(r"\\\1", " ".join(str(title).split())).replace("@", "&#64;")


# /handouts/: every handout by its page's title, for practitioners (a patient reviewer found the
# folder's address gave a "not found"). items: (page title, handout uri).
INDEX_URI = f"{HANDOUT_DIR}/index.md"


def index_source(items: list[tuple[str, str]]) -> str:
    front = {
        "title": "Printable handouts",
        "description": "Every printable handout on this site: a short summary of each patient page, to print or hand out.",
    }
    body = [
        "Each patient page has a printable summary: its key messages, what you can do, its warning signs, where else "
        "to get help, and a QR code back to the full page. On any of them, tick \"Print in large type\" for bigger "
        "print on more pages. <!-- no-cite -->",
        "",
    ]
    # grouped by the kind of page, as the site's menu has them (a patient reviewer found one list
    # of 29 hard to scan); a group with no handout is left out
    for heading, _ in INDEX_GROUPS:
        group = [(t, u) for t, u in items if _index_group(u) == heading]
        if group:
            body += [f"## {heading}", ""]
            body += [f"- [{link_text(t)}]({posixpath.relpath(u, HANDOUT_DIR)})" for t, u in sorted(group, key=lambda i: i[0].lower())]
            body.append("")
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + "\n".join(body)


# The index's groups: (heading, the first folders of the pages in it); the last takes the rest.
INDEX_GROUPS = (("Where it hurts", ("regions",)), ("Treatments and medicines", ("treatments", "medicines")),
                ("Everything else", ()))


def _index_group(handout: str) -> str:
    first = posixpath.basename(handout).removesuffix(".md").split("-")[0]
    return next((h for h, prefixes in INDEX_GROUPS if first in prefixes), INDEX_GROUPS[-1][0])


# Markdown source of the handout of one article; a treatment page gets a full leaflet.
def handout_source(src_uri: str, source: str, *, safety_uri: str | None = SAFETY_PAGE,
                   leaflet: Leaflet | None = None, flags_marker: str = "", help_marker: str = "",
                   extra: str = "") -> str:
    meta, page_body = split_front_matter(source)
    target = handout_uri(src_uri)
    front = {
        "title": f"Handout: {meta['title']}",
        "description": f"A printable two-page summary of '{meta['title']}'."[:160],
        "audience": "patient",
        **{k: meta[k] for k in REVIEW_FIELDS if k in meta},
        "handout": True,
        # the article itself is what search should find; its handout repeats it
        "search": {"exclude": True},
    }
    page_link = posixpath.relpath(src_uri, posixpath.dirname(target))
    body = [
        f"A printable summary of [{link_text(meta['title'])}]({page_link}); the full page lists every study. <!-- no-cite -->",
        "{: .tpg-web-only }",  # on paper the QR code block says where the full page is
        "",
        PRINT_CONTROLS,
        "",
    ]
    summary = meta.get("handout")
    if isinstance(summary, str) and summary.strip():
        body += ["## In brief", "", summary.strip(), ""]
    # a page that is a form to fill in prints the form itself (a practitioner reviewer found the
    # summary sheet's handout said "Fill this in" and had nothing to fill in)
    forms = [m for m in FORM_MARKERS if m in page_body]
    if forms:
        body += [f"## {FORM_HEADING}", "", *forms, ""]
    # a page with a leaflet (self-care, treatments) already prints what each option is and does
    steps = what_you_can_do(page_body, src_uri, target) if leaflet is None else ""
    if steps:
        body += [f"## {WHAT_YOU_CAN_DO_HEADING}", "", steps, "", MORE_ON_THE_PAGE, "{: .tpg-print-only .tpg-print-more }", ""]
    if leaflet is not None:
        body += _leaflet_sections(leaflet, questions_of(page_body), meta["title"], page_link)
        body += [help_marker, ""] if help_marker else []
        return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + "\n".join(body)

    if extra:
        body += [extra, ""]
    if flags_marker:
        body += [flags_marker, ""] + _not_printed(flags_marker, meta["title"], page_link)
    elif safety_uri is None or target != handout_uri(safety_uri):
        body.append(SAFETY)
    if safety_uri and target != handout_uri(safety_uri):
        body.append(SAFETY_LINK.format(safety_link=posixpath.relpath(safety_uri, posixpath.dirname(target))))
    if help_marker:
        body += ["", help_marker, ""]
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + "\n".join(body)


def _leaflet_sections(leaflet: Leaflet, questions: list[str], title: str, page_link: str) -> list[str]:
    out = ["## What it is", "", leaflet.what, ""]
    if leaflet.benefits and not leaflet.numbers:
        out += ["## What it may do for you, and how sure we are", ""] + [f"- {b}" for b in leaflet.benefits] + [""]
    if leaflet.numbers:
        out += ["## What it may do for you and its risks, in numbers", ""]
        # what the certainty words mean, on a one-option leaflet (one of several options has no room)
        out += [n + "\n" for n in leaflet.numbers] + ([CERTAINTY_WORDS, ""] if len(leaflet.numbers) == 1 else [])
    elif leaflet.harms:
        out += ["## Risks", ""] + [f"- {h}" for h in leaflet.harms] + [""]
    # the warning signs come with the risks, before what to expect and the questions (a practitioner
    # reviewer found a collapsed lung after needling on the second page, after the questions)
    out += [leaflet.flags_marker, ""] + _not_printed(leaflet.flags_marker, title, page_link)
    if leaflet.expect:
        out += ["## What to expect during and after", "", leaflet.expect, ""]
    if questions:
        out += [f"## {QUESTIONS_HEADING}", ""] + [f"- {q}" for q in questions] + [""]
    if leaflet.numbers:
        out += values_section()
    return out


# The line after a box of warning signs chosen by urgency: the page has the less urgent ones.
def _not_printed(flags_marker: str, title: str, page_link: str) -> list[str]:
    if "urgency=" not in flags_marker:
        return []
    return [NOT_PRINTED.format(title=link_text(title), page_link=page_link) + " <!-- no-cite -->", f"{{: .{ALL_URGENT_SIGNS_CLASS} }}", ""]
