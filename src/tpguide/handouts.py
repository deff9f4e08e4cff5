"""Printable handouts: a short summary of each patient page, generated at build time.

Each patient article gets `/handouts/<page>/`: its title, review dates, key messages, the
summary an editor may write in the `handout:` front matter field, a standard "when to get help"
box, and the page's address as text and QR code (see overrides/partials/tpg-print.html).
"""

from __future__ import annotations

import posixpath

import yaml

from .quality import split_front_matter

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

HANDOUT_DIR = "handouts"
REVIEW_FIELDS = ("authors", "reviewer", "last_reviewed", "next_review", "evidence_checked", "key_messages", "tags")
SAFETY = """\
## When to get help { .practical }

See a doctor or another health professional if your pain is severe, keeps getting worse, or does
not ease with time. Get urgent help for chest pain, new numbness or weakness, loss of bladder or
bowel control, fever with your pain, or pain after a serious injury: these can be signs of
something other than a muscle problem [@verhagen2016red; @finucane2020international].
"""
SAFETY_LINK = "Read more: [when to see a professional]({safety_link}).\n"
SAFETY_PAGE = "when-to-see-a-professional.md"


# The handout's src URI for an article's src URI: "treatments/dry-needling.md" -> "handouts/treatments-dry-needling.md".
def handout_uri(src_uri: str) -> str:
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem.endswith("/index") or stem == "index":
        stem = stem[: -len("index")].rstrip("/") or "home"
    return f"{HANDOUT_DIR}/{stem.replace('/', '-')}.md"


# True for pages that get a handout: articles written for patients (with a title: without one
# the article's own front matter check reports it).
def wants_handout(meta: dict) -> bool:
    return meta.get("audience") == "patient" and bool(meta.get("key_messages")) and isinstance(meta.get("title"), str)


# Markdown source of the handout of one article.
def handout_source(src_uri: str, source: str, *, safety_uri: str | None = SAFETY_PAGE) -> str:
    meta, _ = split_front_matter(source)
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
        f"This is a short, printable summary of [{meta['title']}]({page_link}). The full page explains "
        "each point and lists every study it is based on. <!-- no-cite -->",
        "",
    ]
    summary = meta.get("handout")
    if isinstance(summary, str) and summary.strip():
        body += ["## In brief", "", summary.strip(), ""]
    if safety_uri is None or target != handout_uri(safety_uri):
        body.append(SAFETY)
        if safety_uri:
            body.append(SAFETY_LINK.format(safety_link=posixpath.relpath(safety_uri, posixpath.dirname(target))))
    return "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n\n" + "\n".join(body)
