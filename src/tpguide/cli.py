"""Editor commands: scaffold a research news post or an article, and list pages due for review.

    python -m tpguide.cli new-post --title "..." --cite key1,key2 [--category Trials] [--tags "a,b"]
    python -m tpguide.cli new-article --title "..." --cite key1,key2 [--dir treatments]
    python -m tpguide.cli review [--days 60] [--fail]

(`make new-post TITLE="..." CITE="key1,key2"`, `make new-article ...` and `make review` call these.)
Exit status: 0 done; 1 pages are due and --fail was given; 2 the command was refused (nothing written).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import posts
from .bib import load_bib_dir
from .build import DEFAULT_EXEMPT
from .errors import ContentError
from .frontmatter import _add_years, parse_date

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

DEFAULT_DAYS = 60
REVIEW_INTERVAL_YEARS = 1
MAX_SLUG = 60
AUDIENCES = ("patient", "practitioner", "editor", "general")
DEFAULT_AUTHOR_NAME = "Trigger Point Guide editorial team"


class Refused(Exception):
    """The command cannot do what was asked; nothing was written."""


@dataclass(frozen=True)
class Project:
    """What the commands need from mkdocs.yml."""

    root: Path
    docs: Path
    tpguide: dict

    @property
    def news(self) -> posts.NewsSettings:
        return posts.settings_from(self.tpguide)[0]

    @property
    def exempt(self) -> tuple[str, ...]:
        return tuple(self.tpguide.get("frontmatter_exempt", DEFAULT_EXEMPT))


@dataclass(frozen=True)
class DuePage:
    """One row of the review report."""

    path: str
    title: str
    reviewer: str
    last_reviewed: dt.date | None
    next_review: dt.date | None
    days_left: int | None  # negative: overdue; None: no valid next_review

    @property
    def status(self) -> str:
        if self.days_left is None:
            return "no date"
        if self.days_left < 0:
            return f"overdue {-self.days_left} d"
        return "due today" if self.days_left == 0 else f"due in {self.days_left} d"


# ---------------------------------------------------------------------------
# Project
# ---------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: tags such as !ENV or !relative become plain values."""


def _any_tag(loader, suffix, node):
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        return items[-1] if suffix.strip() == "ENV" and items else items
    return loader.construct_mapping(node)


_Loader.add_multi_constructor("!", _any_tag)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


# Read mkdocs.yml of the project at root.
def load_project(root: Path | str) -> Project:
    root = Path(root).resolve()
    config_file = root / "mkdocs.yml"
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise Refused(f"cannot read {config_file}: {exc}") from None
    docs = root / str(config.get("docs_dir") or "docs")
    tpguide = ((config.get("extra") or {}).get("tpguide")) or {}
    return Project(root=root, docs=docs, tpguide=dict(tpguide))


# ---------------------------------------------------------------------------
# Scaffolding
# ---------------------------------------------------------------------------


# A URL-safe slug from a title: lowercase ASCII words joined by hyphens.
def slugify(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_SLUG:
            break
        slug = candidate
    return slug


# Split "a, b;c" into keys; check each against bib/ (unknown keys refuse the command).
def check_keys(project: Project, cite: str) -> list[str]:
    keys = [k.strip().lstrip("@") for k in re.split(r"[,;\s]+", cite or "") if k.strip()]
    if not keys:
        raise Refused("give at least one citation key: --cite key1,key2 (keys from bib/*.bib)")
    try:
        bib = load_bib_dir(project.root / "bib", root=project.root)
    except ContentError as exc:
        raise Refused(f"bib/ has problems, fix them first:\n{exc}") from None
    unknown = [k for k in keys if k not in bib]
    if unknown:
        hints = []
        for key in unknown:
            guess = bib.suggest(key)
            hints.append(f"'{key}'" + (f" (did you mean '{guess}'?)" if guess else ""))
        raise Refused("unknown citation key " + ", ".join(hints)
                      + ": add the reference to a file in bib/ first (see the editor guide)")
    return list(dict.fromkeys(keys))


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _list_block(items) -> str:
    return "".join(f"\n  - {_yaml_text(i)}" for i in items)


# Create docs/<news>/posts/<slug>.md; refuse an existing slug, an unknown key, author or category.
def new_post(project: Project, *, title: str, cite: str, category: str | None = None, author: str | None = None,
             tags: str = "", slug: str | None = None, today: dt.date | None = None) -> Path:
    today = today or dt.date.today()
    news = project.news
    if not title or not title.strip():
        raise Refused("give a title: --title \"Plain words\"")
    keys = check_keys(project, cite)
    category = category or news.categories[0]
    if category not in news.categories:
        raise Refused(f"unknown category '{category}': use one of {', '.join(news.categories)}")
    authors_file = project.docs / news.dir / posts.AUTHORS_FILE
    known = sorted(posts.author_ids(authors_file))
    author = author or (known[0] if known else "")
    if author not in known:
        raise Refused(f"unknown author '{author}': use one of {', '.join(known) or '(none)'} "
                      f"or add it to {authors_file.relative_to(project.root)}")
    slug = slug or slugify(title)
    if not slug or not re.match(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", slug):
        raise Refused(f"cannot make a slug from {title!r}: give --slug like bron-2011-trial")
    posts_dir = project.docs / news.posts_dir
    target = posts_dir / f"{slug}.md"
    taken = _post_slugs(posts_dir)
    if target.exists() or slug in taken:
        where = taken.get(slug, target)
        raise Refused(f"a post with the slug '{slug}' already exists ({where.relative_to(project.root)}); "
                      "choose another title or --slug (existing posts are never overwritten)")
    tag_list = [t.strip() for t in tags.split(",") if t.strip()] or ["research news"]
    text = POST_TEMPLATE.format(
        title=_yaml_text(title.strip()), date=today.isoformat(), author=author, category=_yaml_text(category),
        tags=_list_block(tag_list), slug=slug, first=keys[0], all="; ".join(f"@{k}" for k in keys),
        placeholder=posts.PLACEHOLDER,
    )
    posts_dir.mkdir(parents=True, exist_ok=True)
    _write_new(target, text)
    return target


# Create docs/<dir>/<slug>.md as an article with the full front matter schema.
def new_article(project: Project, *, title: str, cite: str, directory: str = "", audience: str = "patient",
                slug: str | None = None, today: dt.date | None = None) -> Path:
    today = today or dt.date.today()
    if not title or not title.strip():
        raise Refused("give a title: --title \"Plain words\"")
    if audience not in AUDIENCES:
        raise Refused(f"unknown audience '{audience}': use one of {', '.join(AUDIENCES)}")
    keys = check_keys(project, cite)
    slug = slug or slugify(title)
    if not slug:
        raise Refused(f"cannot make a slug from {title!r}: give --slug")
    directory = directory.strip("/")
    if ".." in Path(directory).parts:
        raise Refused("--dir must be a folder inside docs/")
    target = project.docs / directory / f"{slug}.md"
    if target.exists():
        raise Refused(f"{target.relative_to(project.root)} already exists (pages are never overwritten)")
    text = ARTICLE_TEMPLATE.format(
        title=_yaml_text(title.strip()), audience=audience, author=DEFAULT_AUTHOR_NAME, today=today.isoformat(),
        next=_add_years(today, REVIEW_INTERVAL_YEARS).isoformat(), first=keys[0],
        all="; ".join(f"@{k}" for k in keys), placeholder=posts.PLACEHOLDER,
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_new(target, text)
    return target


# Slugs of existing posts: the front matter `slug:` or else the file name.
def _post_slugs(posts_dir: Path) -> dict[str, Path]:
    out = {}
    for path in sorted(posts_dir.rglob("*.md")) if posts_dir.is_dir() else []:
        meta, _, _ = posts.split(path.read_text(encoding="utf-8"), str(path))
        slug = meta.get("slug") if isinstance(meta.get("slug"), str) else path.stem
        out[slug] = path
        out.setdefault(path.stem, path)
    return out


# Write a file that must not exist yet ("x" mode: never overwrite, even in a race).
def _write_new(path: Path, text: str) -> None:
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise Refused(f"{path} already exists (never overwritten)") from None


# ---------------------------------------------------------------------------
# Review report
# ---------------------------------------------------------------------------


# Articles whose next_review is past or within `days` of today, soonest first.
def due_pages(project: Project, *, days: int = DEFAULT_DAYS, today: dt.date | None = None) -> list[DuePage]:
    today = today or dt.date.today()
    limit = today + dt.timedelta(days=days)
    rows = []
    for path in sorted(project.docs.rglob("*.md")):
        src = path.relative_to(project.docs).as_posix()
        if posts.exempt(src, project.exempt):
            continue
        meta, _, problems = posts.split(path.read_text(encoding="utf-8"), src)
        if problems or not meta:
            continue
        nxt = parse_date(meta.get("next_review"))
        if nxt is not None and nxt > limit:
            continue
        rows.append(DuePage(
            path=path.relative_to(project.root).as_posix(),
            title=str(meta.get("title", "")),
            reviewer=str(meta.get("reviewer") or "(none)"),
            last_reviewed=parse_date(meta.get("last_reviewed")),
            next_review=nxt,
            days_left=(nxt - today).days if nxt else None,
        ))
    return sorted(rows, key=lambda r: (r.days_left if r.days_left is not None else -10**6, r.path))


# Search topics of evidence/searches.yml whose next search is past or within `days`, soonest first.
def due_searches(project: Project, *, days: int = DEFAULT_DAYS, today: dt.date | None = None) -> list:
    from .evidence.load import load_evidence_dir

    today = today or dt.date.today()
    try:
        store = load_evidence_dir(project.root / "evidence", root=project.root, today=today)
    except ContentError as exc:
        raise Refused(f"the evidence files have problems (run `make build` to see them all):\n{exc}") from None
    limit = today + dt.timedelta(days=days)
    return sorted((s for s in store.searches.values() if s.next_due <= limit), key=lambda s: (s.next_due, s.topic))


# A plain-text table of the search topics that are due.
def search_table(searches: list, *, days: int, today: dt.date) -> str:
    limit = today + dt.timedelta(days=days)
    if not searches:
        return f"No evidence search is due on or before {limit} ({days} days from {today}).\n"
    header = ("Topic", "Last searched", "Every", "Next search due", "Status")
    body = [(s.topic, str(s.searched), f"{s.every_months} months", str(s.next_due),
             "OVERDUE" if s.next_due <= today else f"due in {(s.next_due - today).days} days") for s in searches]
    out = [f"{len(searches)} evidence search(es) due on or before {limit} ({days} days from {today}); "
           "search again, then record it in evidence/searches.yml (editor guide: 'Searching again'):", ""]
    return "\n".join(out + _columns(header, body)) + "\n"


# Rows of text as aligned columns under a header and a rule.
def _columns(header: tuple, body: list[tuple]) -> list[str]:
    widths = [max(len(str(row[i])) for row in [header, *body]) for i in range(len(header))]
    line = lambda row: "  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip()  # noqa: E731
    return [line(header), line(tuple("-" * w for w in widths))] + [line(row) for row in body]


# A plain-text table of the review report.
def review_table(rows: list[DuePage], *, days: int, today: dt.date) -> str:
    if not rows:
        return f"No page is due for review on or before {today + dt.timedelta(days=days)} ({days} days from {today}).\n"
    header = ("Page", "Reviewer", "Last reviewed", "Next review", "Status")
    body = [(r.path, r.reviewer, str(r.last_reviewed or "-"), str(r.next_review or "-"), r.status) for r in rows]
    out = [f"{len(rows)} page(s) due for review on or before {today + dt.timedelta(days=days)} "
           f"({days} days from {today}):", ""]
    return "\n".join(out + _columns(header, body)) + "\n"


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tpguide.cli", description="Trigger Point Guide editor commands")
    parser.add_argument("--root", default=".", help="project folder (with mkdocs.yml); default: current folder")
    parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    post = sub.add_parser("new-post", help="create a research news post (as a draft) from the template")
    post.add_argument("--title", required=True)
    post.add_argument("--cite", required=True, help="citation keys from bib/, comma-separated")
    post.add_argument("--category", help="one of extra.tpguide.news.categories (default: the first)")
    post.add_argument("--author", help="author id from .authors.yml (default: the first)")
    post.add_argument("--tags", default="", help="comma-separated tags")
    post.add_argument("--slug", help="URL name (default: from the title)")

    article = sub.add_parser("new-article", help="create an article with complete front matter")
    article.add_argument("--title", required=True)
    article.add_argument("--cite", required=True, help="citation keys from bib/, comma-separated")
    article.add_argument("--dir", default="", help="folder under docs/, e.g. treatments")
    article.add_argument("--audience", default="patient", choices=AUDIENCES)
    article.add_argument("--slug", help="file name without .md (default: from the title)")

    review = sub.add_parser("review", help="list pages whose next review, and evidence topics whose next search, "
                                           "is past or within N days")
    review.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"look-ahead in days (default {DEFAULT_DAYS})")
    review.add_argument("--fail", action="store_true", help="exit with status 1 when any page is due (for CI)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    today = args.today or dt.date.today()
    try:
        project = load_project(args.root)
        if args.command == "new-post":
            path = new_post(project, title=args.title, cite=args.cite, category=args.category, author=args.author,
                            tags=args.tags, slug=args.slug, today=today)
            rel = path.relative_to(project.root)
            print(f"Created {rel} (a draft).\nNext: write every '{posts.PLACEHOLDER}' part, ask a reviewer, set "
                  f"'reviewer:', delete the 'draft: true' line, then run `make build`.")
        elif args.command == "new-article":
            path = new_article(project, title=args.title, cite=args.cite, directory=args.dir, audience=args.audience,
                               slug=args.slug, today=today)
            rel = path.relative_to(project.root)
            print(f"Created {rel}.\nNext: write every '{posts.PLACEHOLDER}' part, set 'reviewer:', add the page "
                  f"to nav: in mkdocs.yml, then run `make build`.")
        else:
            if args.days < 0:
                raise Refused("--days must be 0 or more")
            rows = due_pages(project, days=args.days, today=today)
            searches = due_searches(project, days=args.days, today=today)
            sys.stdout.write(review_table(rows, days=args.days, today=today) + "\n"
                             + search_table(searches, days=args.days, today=today))
            return 1 if (rows or searches) and args.fail else 0
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


# ---------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------

POST_TEMPLATE = """\
---
title: {title}
description: "{placeholder}: one sentence (at most 160 characters) on what the study found, for feeds and search."
date: {date}
authors:
  - {author}
reviewer: "{placeholder}: who checked this summary against the paper"
categories:
  - {category}
tags:{tags}
slug: {slug}
draft: true  # delete this line when the post is written and reviewed
---

{placeholder}: one sentence that says what the study found: the summary on the news page [@{first}].

<!-- more -->

## The question

{placeholder}: what did the researchers want to know? One or two short sentences [@{first}].

## What the researchers did

{placeholder}: the kind of study (explain it in plain words), who took part, what was compared, for how long [@{first}].

## What they found

{placeholder}: the main results, with numbers taken only from bib/NOTES.md or NOTES-added.md [@{first}].

## How certain it is

{placeholder}: say in words how sure we can be (low, moderate, high) and why: size, control group, bias, conflicts [@{first}].

## What it means for you

{placeholder}: what a reader with muscle pain can take from this, and a link to the related page of the guide [@{first}].

## The reference

{placeholder}: first author and colleagues, year, journal; say if the paper is free to read [{all}].
"""

ARTICLE_TEMPLATE = """\
---
title: {title}
description: "{placeholder}: one sentence of at most 160 characters for search results and link previews."
audience: {audience}
authors:
  - {author}
reviewer: "{placeholder}: who reviewed this page"
last_reviewed: {today}
next_review: {next}
evidence_topics: []
first_published: {today}
key_messages:
  - "{placeholder}: the first thing a reader must take away."
  - "{placeholder}: the second thing a reader must take away."
tags:
  - "{placeholder}"
update_log:
  - date: {today}
    change: First published.
---

{placeholder}: a short lead paragraph that says what this page covers [@{first}].

## {placeholder}: first section heading

{placeholder}: every factual paragraph cites a reference [{all}].
"""


if __name__ == "__main__":
    sys.exit(main())
