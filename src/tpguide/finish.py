"""Finish (issue 24): what a built site needs after an engine that runs no hooks has written it.

``python -m tpguide.finish build/zensical`` reads what ``tpguide prepare`` left there
(``prepared.pickle``) and the site the engine wrote beside it, then:

1. fills the reference library and the "where cited" page: which pages cite each reference,
   linking to the section (the section ids are read from the built pages, as the engine made them);
2. writes the CSV of every chart placed and the feeds (news, updates, evidence changes);
3. adds the feed links to every page's <head>, defers every external script (tpguide.loading) and
   fixes the HTML Material-like themes write (tpguide.html_fixes); then checks every built page
   once more for refused markup: in its content (its <article>) no script, handler, embedding
   element or unresolved citation, in the whole page no handler, script URL or embedding element
   (tpguide.content_policy, as MkDocs' on_page_content and on_post_page hooks do);
4. fingerprints our CSS and JavaScript, gives every page the site-wide Content-Security-Policy
   and writes the sitemap with review dates, ``_headers`` and the nginx configs. Every inline
   script must be one the templates write (learnt from 404.html, the page with no content):
   any other stops finish, naming the page;
5. moves the finished site to its place (``site/`` by default).

If anything fails, neither the engine's output nor the site folder is left behind.
Under MkDocs and ProperDocs, the hooks do the same work during the build (hooks/deploy.py,
hooks/pages.py, hooks/news.py, hooks/charts.py, hooks/html_fixes.py, hooks/loading.py).
"""

from __future__ import annotations

import argparse
import html
import pickle
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import unquote
from types import SimpleNamespace

from . import build, content_policy, deploy, feeds, html_fixes, loading, posts, security
from .errors import ContentError, Problem
from .prepare import ENGINE_SITE, PREPARED_FILE, Prepared

_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*\bid=\"([^\"]+)\"[^>]*>(.*?)</h\1>", re.S)
_PERMALINK_RE = re.compile(r"<a\b[^>]*class=\"headerlink\"[^>]*>.*?</a>", re.S)
_TAG_RE = re.compile(r"<[^>]+>")


class FinishError(Exception):
    """Finish stopped; the site folder was removed."""


def load(out: Path | str) -> Prepared:
    path = Path(out) / PREPARED_FILE
    try:
        with open(path, "rb") as fh:
            prepared = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise FinishError(f"{path}: cannot read what prepare wrote ({exc}) -> run `python -m tpguide.prepare` first") from None
    if not isinstance(prepared, Prepared) or prepared.state is None or prepared.deploy is None:
        raise FinishError(f"{path}: not a complete prepare of this version -> run `python -m tpguide.prepare` again")
    return prepared


def heading_ids(page_html: str) -> dict[str, str]:
    """Heading text -> id of every heading with an id in a built page, the permalink left out: the
    same map tpguide.build makes from MkDocs' table of contents (build.heading_anchors)."""
    return build.heading_anchors((_PERMALINK_RE.sub("", m.group(3)), m.group(2))
                                 for m in _HEADING_RE.finditer(page_html))


# The built file of a page URL (MkDocs %-encodes a name with spaces or other letters).
def _page_file(site: Path, url: str) -> Path:
    url = unquote(url)
    return site / url / "index.html" if url == "" or url.endswith("/") else site / url


def finish(out: Path | str, site_dir: Path | str | None = None, *, prepared: Prepared | None = None) -> Path:
    """Finish the engine's site in ``out/site`` and move it to ``site_dir`` (default: prepare's).
    ``prepared``: what prepare returned (else it is read from ``out``, where prepare wrote it)."""
    out = Path(out).resolve()
    prepared = prepared if prepared is not None else load(out)
    engine_site = out / ENGINE_SITE
    target = Path(site_dir).resolve() if site_dir else prepared.site_dir
    try:
        if not (engine_site / "index.html").is_file():
            raise FinishError(f"{engine_site}: the engine wrote no site there -> build it first")
        _finish_site(prepared, engine_site)
    except (ContentError, FinishError, OSError, UnicodeDecodeError) as exc:
        shutil.rmtree(engine_site, ignore_errors=True)
        deploy.discard_site(target)
        raise FinishError(str(exc)) from None
    except BaseException:  # a bug: still nothing half-finished is left
        shutil.rmtree(engine_site, ignore_errors=True)
        deploy.discard_site(target)
        raise
    if target.exists():
        shutil.rmtree(target)
    shutil.move(str(engine_site), str(target))
    return target


# The content of a built page: from its first <article> to its last (Material-like themes put a
# page's content in one, and each excerpt of a blog index in one); everything between is checked.
_ARTICLE_RE = re.compile(r"<article\b.*</article>", re.S)
# overrides/partials/tpg-key-messages.html: one <div> holding a list, no <div> inside
_KEY_MESSAGES_RE = re.compile(r'<div class="admonition abstract tpg-key-messages">.*?</div>', re.S)


def content_problems(site: Path, key_message_pages: set[str] = frozenset()) -> list:
    """Refused markup in any built page (:func:`page_problems` on every HTML file of ``site``)."""
    problems = []
    for path in sorted(site.rglob("*.html")):
        url = path.relative_to(site).as_posix().removesuffix("index.html")
        problems += page_problems(path.read_text(encoding="utf-8"), f"{site.name}/{path.relative_to(site).as_posix()}",
                                  key_messages=url in key_message_pages)
    return problems


def page_problems(text: str, name: str, *, key_messages: bool = False) -> list:
    """Refused markup in one built page: in its content no script, handler or embedding element,
    and no citation left unresolved (as MkDocs' on_page_content hooks check each page's HTML); in
    the whole page no handler, script URL or embedding element (as on_post_page checks).
    ``key_messages``: the page shows key messages, front matter text in our template's box."""
    problems = content_policy.check_html(text, path=name, content=False)
    region = _ARTICLE_RE.search(text)
    if region is None:
        return problems  # a page without content of its own (a blog index with no posts yet)
    problems += content_policy.check_html(region.group(0), path=name)
    # (as on MkDocs, only what Markdown made: the key messages may name the syntax)
    content = _KEY_MESSAGES_RE.sub("", region.group(0), count=1) if key_messages else region.group(0)
    left = build.unresolved_citations(content)
    if left:
        problems.append(Problem(name, None, f"citation left unresolved in the page: {left[0]!r}",
                                "write [@key] or [@a; @b] in running text"))
    return problems


# Material's and Zensical's templates write one script that names the site's root relative to the
# page ("__md_scope=new URL("../..",location)"): the same script, once for each folder depth.
_SCOPE_RE = re.compile(r'(__md_scope=new URL\(")([^"]*)(",location\))')


def template_scripts(site: Path) -> set[str]:
    """CSP hashes of the inline scripts the templates write, learnt from the page that holds no
    content (404.html): each as it is, and the root-naming one for every folder depth of the site."""
    page = site / "404.html"
    if not page.is_file():
        raise FinishError(f"{site.name}/404.html: missing, so the scripts the templates write cannot be learnt "
                          "-> the engine's theme must write a 404 page")
    depth = max((p.relative_to(site).as_posix().count("/") for p in site.rglob("index.html")), default=0)
    bases = {".", *("/".join([".."] * n) for n in range(1, depth + 2))}
    hashes = set()
    for body in security.inline_scripts(page.read_text(encoding="utf-8")):
        hashes.add(security.script_hash(body))
        if _SCOPE_RE.search(body):
            hashes |= {security.script_hash(_SCOPE_RE.sub(lambda m, b=b: m.group(1) + b + m.group(3), body))
                       for b in bases}
    return hashes


def _finish_site(prepared: Prepared, site: Path) -> None:
    state = prepared.state
    # 1. who cites what, with the section ids the engine gave the headings
    for record in state.pages.values():
        page_file = _page_file(site, record.url)
        if page_file.is_file():
            record.anchors = heading_ids(page_file.read_text(encoding="utf-8"))
    for uri, fill in ((build.LIBRARY_PAGE, build.fill_library), (build.WHERE_CITED_PAGE, build.fill_where_cited)):
        url = state.urls.get(uri)
        if url is None:
            continue
        page_file = _page_file(site, url)
        page_file.write_text(fill(state, page_file.read_text(encoding="utf-8"), SimpleNamespace(url=url)),
                             encoding="utf-8")
    # 2. chart data and feeds
    for cid, text in prepared.chart_csvs.items():
        path = site / "assets" / "charts" / f"{cid}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if prepared.news is not None and prepared.news.site_url:
        posts.write_feeds(prepared.news, str(site))
    # 3. every page as hooks/pages.py, hooks/news.py, hooks/html_fixes.py and hooks/loading.py
    #    leave it: link previews of the blog's views (the engine made them), feed links in <head>
    #    (pages, not 404.html), HTML fixes, deferred scripts; then the last line of defence on the
    #    finished page
    news = prepared.news
    problems = []
    for path in sorted(site.rglob("*.html")):
        text = original = path.read_text(encoding="utf-8")
        url = path.relative_to(site).as_posix().removesuffix("index.html")
        if url in prepared.view_meta and "</head>" in text:
            tags = "".join(f'<meta {attr}="{key}" content="{html.escape(content, quote=True)}">\n'
                           for attr, key, content in prepared.view_meta[url])
            text = text.replace("</head>", tags + "</head>", 1)
        if path.name == "index.html" and news is not None and news.site_url and "</head>" in text:
            links = feeds.discovery_links("../" * url.count("/") or "./", news.site_name)
            text = text.replace("</head>", links + "\n</head>", 1)
        text = loading.defer_scripts(html_fixes.fix_page(text, prepared.descriptions.get(url)))
        if text != original:
            path.write_text(text, encoding="utf-8")
        problems += page_problems(text, f"{site.name}/{path.relative_to(site).as_posix()}",
                                  key_messages=url in prepared.key_message_pages)
    if problems:
        raise ContentError(problems)
    # 4. fingerprints, CSP, sitemap, _headers (tpguide.deploy, as hooks/deploy.py at the end of a build)
    dep = prepared.deploy
    base = deploy.base_path(prepared.news.site_url if prepared.news else "")
    renames = deploy.fingerprint_files(site, dep.own_assets)
    # every inline script must be one the templates write: content cannot add one
    hashes = deploy.apply_site_csp(site, renames, base=base, meta=True, allowed=template_scripts(site))
    if prepared.sitemap:
        deploy.write_sitemap(site, prepared.sitemap)
    (site / deploy.HEADERS_FILE).write_text(
        deploy.headers_file(hashes, deploy.fingerprinted_files(site), base=base), encoding="utf-8")
    deploy.write_server_configs(dep.deploy_dir, hashes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tpguide.finish", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the folder prepare wrote and the engine built in (e.g. build/zensical)")
    parser.add_argument("-d", "--site-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        target = finish(args.out, args.site_dir)
    except FinishError as exc:
        print(f"tpguide finish: {exc}", file=sys.stderr)
        return 1
    print(f"tpguide finish: site written to {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
