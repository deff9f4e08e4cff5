"""Content is untrusted input: every refused construct fails a real strict build with file:line,
every malformed file is named, and a failed build leaves no site behind."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from build.test_news_build import AUTHORS_YML, good_post, news_site
from support import ROOT, article, make_site
from tpguide import security

BODY = "Text [@smith2020knots].\n\n"  # the markup after it is on line 18 of the page
GOOD_PAGE = article("Home", BODY)


def refused(tmp_path, pages=None, **kwargs) -> str:
    site = make_site(tmp_path, pages or {"index.md": GOOD_PAGE}, **kwargs)
    result = site.build_in_process()
    assert not result.ok, result.text
    assert not site.site_dir.exists(), "a failed build leaves no site folder"
    return result.text


# ---------------------------------------------------------------------------
# Markup in page bodies
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("markup,expect", [
    ("<script>alert(1)</script>", "<script> is not allowed in content"),
    ("<style>.md-footer{display:none}</style>", "<style> is not allowed in content"),
    ('<iframe src="https://evil.example/"></iframe>', "<iframe> is not allowed in content"),
    ('<object data="https://evil.example/x"></object>', "<object> is not allowed in content"),
    ('<embed src="https://evil.example/x">', "<embed> is not allowed in content"),
    ('<img src="x.png" alt="x" onerror="alert(1)">', "<img>: event handler attribute 'onerror' is not allowed"),
    ('Text {: onclick="alert(1)" }', "attribute list: event handler attribute 'onclick'"),
    ("[Click](javascript:alert(1))", "link: script URL 'javascript:alert(1)' is not allowed"),
    ("[Click](jav&#x61;script:alert(1))", "link: script URL"),
    ("[Click](<java\tscript:alert(1)>)", "link: script URL"),
    ("![Chart](data:image/svg+xml;base64,PHN2Zz4=)", "link: data: URL"),
    ("<javascript:alert(1)>", "autolink: script URL"),
    ("[Click][x]\n\n[x]: vbscript:msgbox(1)", "link reference: script URL"),  # on line 19
    ('<a href="data:text/html,x">x</a>', "<a> href: data: URL"),
    # issue 24 review: what a browser reads differently from Python's parser, and the build's marks
    ("Text <!--><img src=x onerror=alert(1)>--> more", "<img>: event handler attribute 'onerror'"),
    ("Text <!-- a --!><img src=x onerror=alert(1)>--> more", "<img>: event handler attribute 'onerror'"),
    ("```\n<img src=x onerror=alert(1)>", "<img>: event handler attribute 'onerror'"),  # on line 18
    ('[^m]: \ue010`<a href="javascr&Tab;ipt:x">x</a>`\ue011', "the invisible character U+E010 is not allowed"),
])
def test_refused_markup_in_a_page_fails_with_file_and_line(tmp_path, markup, expect):
    text = refused(tmp_path, {"index.md": article("Home", BODY + markup + "\n")})
    line = 19 if markup.startswith("[Click][x]") else 18 if markup.startswith("```") else 17
    assert f"docs/index.md:{line}: {expect}" in text, text
    assert " -> " in text


# The editor guide shows such constructs in code, and builds; so does an allowed data: image.
def test_code_and_raster_data_images_build(tmp_path):
    body = BODY + ("Write `<script>` or `[x](javascript:alert(1))` in code.\n\n"
                   "```html\n<script>alert(1)</script>\n<img onerror=\"alert(1)\">\n```\n\n"
                   "![Dot](data:image/png;base64,iVBORw0KGgo=)\n")
    site = make_site(tmp_path, {"index.md": article("Home", body)})
    result = site.build_in_process()
    assert result.ok, result.text
    code = BeautifulSoup(site.html(), "html.parser").select("article pre code")[0].get_text()
    assert "<script>alert(1)</script>" in code


# ---------------------------------------------------------------------------
# Front matter
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("old,new,expect", [
    ("title: Home", 'title: "<img src=x onerror=alert(1)>"', "docs/index.md:2: front matter field 'title': '<img src=x onerror=alert(1)>' contains markup"),
    ("title: Home", 'title: "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"', "docs/index.md:2: front matter field 'title':"),
    ("  - Second key message.", "  - <script>alert(1)</script>", "docs/index.md:12: front matter field 'key_messages.1':"),
    ("last_reviewed: 2026-01-10", "last_reviewed: 2026-13-01", "docs/index.md:8: front matter: '2026-13-01' is not a real date"),
    ("title: Home", "title: Knots: a review", "docs/index.md:2: front matter is not valid YAML"),
    ("title: Home", "title: [Home, Away]", "docs/index.md:2: front matter field 'title': must be text, not a list"),
    ("title: Home", "title: Home\ntitle: Again", "docs/index.md:3: front matter: field 'title' appears twice"),
    ("key_messages:", "tags: knots\nkey_messages:", "docs/index.md:10: front matter field 'tags': must be a list of text"),
    ("title: Home", "title: Home\ntemplate: ../../etc/passwd", "docs/index.md:3: front matter field 'template': '../../etc/passwd' is not in the theme"),
    ("title: Home", "title: Home\nicon: material/no-such-icon", "docs/index.md:3: front matter field 'icon': 'material/no-such-icon' is not in the theme"),
    ("title: Home", "title: Home\nhandout: 'Heat helps [@nokey2020].'", "docs/index.md:3: in the handout summary: unknown citation key 'nokey2020'"),
    ("title: Home", "title: Home\nhandout: '<script>alert(1)</script>'", "docs/index.md:3: <script> is not allowed in content"),
])
def test_front_matter_mistakes_and_markup_fail_with_file_and_line(tmp_path, old, new, expect):
    assert old in GOOD_PAGE
    text = refused(tmp_path, {"index.md": GOOD_PAGE.replace(old, new, 1)})
    assert expect in text, text


def test_front_matter_that_never_closes_is_named(tmp_path):
    text = refused(tmp_path, {"index.md": GOOD_PAGE.replace("---\n\nText", "\nText", 1)})
    assert "docs/index.md:1: front matter starts with '---' but has no closing '---' line" in text


# ---------------------------------------------------------------------------
# Encoding, SVG and HTML files, side files
# ---------------------------------------------------------------------------


def test_a_page_that_is_not_utf8_is_named_with_its_line_and_a_bom_is_fine(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE, "other.md": article("Other", BODY)})
    (site.root / "docs" / "other.md").write_bytes(article("Other", BODY + "Caf\xe9.\n").encode("latin-1"))
    (site.root / "docs" / "index.md").write_bytes(b"\xef\xbb\xbf" + GOOD_PAGE.encode("utf-8"))
    result = site.build_in_process()
    assert not result.ok
    assert "docs/other.md:17: is not UTF-8 text (byte 0xe9 at column 4)" in result.text
    assert "docs/index.md" not in result.text, "a UTF-8 BOM is fine"


def test_a_bib_file_that_is_not_utf8_is_named(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE})
    bib = site.root / "bib" / "refs.bib"
    bib.write_bytes(bib.read_text(encoding="utf-8").replace("Smith, Anna", "Sm\u00eft, Anna").encode("latin-1"))
    result = site.build_in_process()
    assert not result.ok
    assert "bib/refs.bib:2: is not UTF-8 text (byte 0xef at column 16)" in result.text


def test_svg_with_script_and_html_or_xml_files_under_docs_are_refused(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">\n'
           '<script>alert(document.domain)</script>\n<image href="https://tracker.example/p.gif"/>\n</svg>\n')
    xhtml = '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>'
    text = refused(tmp_path, {"index.md": GOOD_PAGE, "assets/evil.svg": svg, "raw.html": "<script>alert(1)</script>",
                              "feed.xml": xhtml, "style.xsl": xhtml})
    assert "docs/assets/evil.svg:2: SVG element <script> is not allowed" in text
    assert "docs/assets/evil.svg:3: SVG href='https://tracker.example/p.gif' refers outside the file" in text
    assert "docs/raw.html: .html files are published as they are, unchecked" in text
    # XML a browser opens as XHTML runs its scripts on the site's origin too
    assert "docs/feed.xml: .xml files are published as they are, unchecked" in text
    assert "docs/style.xsl: .xsl files are published as they are, unchecked" in text


def test_evidence_yaml_is_checked_for_encoding_and_syntax(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE})
    (site.root / "evidence" / "treatments").mkdir(parents=True)
    (site.root / "evidence" / "treatments" / "dry-needling.yml").write_text("id: dn\nfindings:\n  - a\n b: c\n",
                                                                           encoding="utf-8")
    (site.root / "evidence" / "notes.yml").write_bytes(b"id: n\nnote: caf\xe9\n")
    result = site.build_in_process()
    assert not result.ok
    assert "evidence/notes.yml:2: is not UTF-8 text" in result.text
    assert "evidence/treatments/dry-needling.yml:4: is not valid YAML" in result.text


def test_includes_are_checked_like_pages(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE})
    includes = site.root / "includes"
    includes.mkdir()
    (includes / "abbreviations.md").write_text('*[TrP]: trigger point\n\n<img src=x onerror="alert(1)">\n',
                                               encoding="utf-8")
    site.config.write_text(site.config.read_text(encoding="utf-8").replace(str(ROOT / "includes"), str(includes)),
                           encoding="utf-8")
    result = site.build_in_process()
    assert not result.ok
    assert "includes/abbreviations.md:3: <img>: event handler attribute 'onerror'" in result.text


# ---------------------------------------------------------------------------
# Research news: posts and .authors.yml
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("post,authors,expect", [
    (good_post(date="2026-13-01"), AUTHORS_YML, "docs/research-news/posts/p.md:4: front matter: '2026-13-01' is not a real date"),
    (good_post().replace("## The question", "<script>alert(1)</script>\n\n## The question"), AUTHORS_YML,
     "docs/research-news/posts/p.md:15: <script> is not allowed in content"),
    (good_post(extra="links:\n  - javascript:alert(1)\n"), AUTHORS_YML,
     "docs/research-news/posts/p.md:14: front matter field 'links.0': script URL"),
    (good_post(), AUTHORS_YML.replace("name: Test Team", "name: Test: Team"), "docs/research-news/.authors.yml:3: is not valid YAML"),
    (good_post(), AUTHORS_YML + '    url: "javascript:alert(1)"\n', "docs/research-news/.authors.yml:6: field 'editorial-team.url': script URL"),
])
def test_posts_and_authors_are_checked(tmp_path, post, authors, expect):
    site = news_site(tmp_path, {"p.md": post}, pages={"research-news/.authors.yml": authors})
    result = site.build_in_process()
    assert not result.ok
    assert expect in result.text, result.text
    assert not site.site_dir.exists()


# ---------------------------------------------------------------------------
# Snippets: includes/ only, on the command line too (never a traceback)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("line,expect", [
    ('--8<-- "../mkdocs.yml"', "docs/index.md:17: snippet '../mkdocs.yml' is outside includes/"),
    ('--8<-- "/etc/passwd"', "docs/index.md:17: snippet '/etc/passwd' is an absolute path"),
])
def test_snippets_outside_includes_fail_with_file_and_line_not_a_traceback(tmp_path, line, expect):
    site = make_site(tmp_path, {"index.md": article("Home", BODY + line + "\n")})
    result = site.build()
    assert result.returncode == 1
    assert expect in result.stderr
    assert "Traceback" not in result.stderr
    assert not site.site_dir.exists()


# ---------------------------------------------------------------------------
# A failed build leaves no site
# ---------------------------------------------------------------------------


def test_a_failed_build_removes_the_site_of_an_earlier_good_build(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE})
    assert site.build().returncode == 0 and (site.site_dir / "index.html").is_file()
    # a strict-mode warning (aborts after every page is written) and a refused construct
    for bad in (BODY + "[missing](nowhere.md)\n", BODY + "<script>alert(1)</script>\n"):
        (site.root / "docs" / "index.md").write_text(article("Home", bad), encoding="utf-8")
        result = site.build()
        assert result.returncode == 1, result.stderr
        assert not site.site_dir.exists(), "no complete-looking site/ after a failed build"
        (site.root / "docs" / "index.md").write_text(GOOD_PAGE, encoding="utf-8")
        assert site.build().returncode == 0


# ---------------------------------------------------------------------------
# The CSP only allows our templates' inline scripts; the built pages are checked again
# ---------------------------------------------------------------------------


def with_hook(site, source: str) -> None:
    (site.root / "inject.py").write_text(source, encoding="utf-8")
    text = site.config.read_text(encoding="utf-8")
    site.config.write_text(text.replace("hooks:\n", f"hooks:\n  - {site.root / 'inject.py'}\n", 1), encoding="utf-8")


# Even with every content check gone, an injected inline script is never hashed into the CSP:
# the build fails naming the page.
def test_an_injected_inline_script_is_refused_by_the_csp_not_allowed(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE, "other.md": article("Other", BODY + "<script>alert(1)</script>\n")})
    site.without_hook("content_policy.py")
    result = site.build_in_process()
    assert not result.ok
    assert "docs/other.md: the built page has 1 inline script(s) that no template of the site writes" in result.text
    assert not site.site_dir.exists()


def test_the_real_inline_scripts_are_allowed_and_listed_in_the_policy(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE, "a/b/deep.md": article("Deep", BODY)})
    result = site.build_in_process()
    assert result.ok, result.text
    for page in ("", "a/b/deep/"):
        html = site.html(page)
        policy = security.csp_meta_policy(html)
        assert security.inline_script_hashes(html) and all(f"'{h}'" in policy for h in security.inline_script_hashes(html))
    assert "'sha256-" in (site.root / "build" / "deploy" / "csp.conf").read_text(encoding="utf-8")


# What a plugin or extension makes of the content is checked on the rendered page.
# Found by review (issue 24): a heading whose "on this page" entry (Material prints it as it is)
# comes out as "<style x", outside the article. The source check and the content check pass it;
# the contents entries are checked (and the whole-page check would refuse the <style> in the body).
def test_a_heading_that_becomes_markup_in_the_page_contents_is_refused(tmp_path):
    body = BODY + "## A <i a=\"<!--\" b='-->\"><<!--'><!---->style x\n\n{} html{background:red}\n\n</style>\n"
    text = refused(tmp_path, {"index.md": article("Home", body)})
    assert "docs/index.md: the heading 'A <style x' becomes markup in the page's title or contents list" in text, text


@pytest.mark.parametrize("hook,expect", [
    ("def on_page_markdown(markdown, **kwargs):\n    return markdown + '\\n\\n<img src=\"x\" onerror=\"alert(1)\">\\n'\n",
     "docs/index.md: the built page: <img> has event handler attribute 'onerror'"),
    ("def on_page_content(html, **kwargs):\n    return html + '<a href=\"jav&#x61;script:alert(1)\">x</a>'\n",
     "docs/index.md: the built page: <a> href: script URL"),
    ("def on_post_page(output, **kwargs):\n    return output.replace('</body>', '<iframe src=\"https://evil.example\"></iframe></body>')\n",
     "docs/index.md: the built page contains <iframe>"),
    ("def on_post_page(output, **kwargs):\n    return output.replace('<body', '<body onload=\"alert(1)\"', 1)\n",
     "docs/index.md: the built page: <body> has event handler attribute 'onload'"),
])
def test_the_rendered_page_is_the_last_line_of_defence(tmp_path, hook, expect):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE})
    with_hook(site, hook)
    result = site.build_in_process()
    assert not result.ok
    assert expect in result.text, result.text


# A redirect page (mkdocs-redirects, written after the build) carries a script of its own: it
# is allowed because it is computed from mkdocs.yml, and a target that could break out is refused.
def test_redirect_pages_keep_working_and_unsafe_targets_are_refused(tmp_path):
    site = make_site(tmp_path, {"index.md": GOOD_PAGE, "new.md": article("New", BODY)})
    text = site.config.read_text(encoding="utf-8")
    assert "redirect_maps: {}" in text
    site.config.write_text(text.replace("redirect_maps: {}", "redirect_maps: {old.md: new.md}"), encoding="utf-8")
    result = site.build_in_process()
    assert result.ok, result.text
    old = site.html("old")
    assert 'location.href="../new/"' in old
    assert all(f"'{h}'" in security.csp_meta_policy(old) for h in security.inline_script_hashes(old))
    site.config.write_text(text.replace("redirect_maps: {}", "redirect_maps: {old.md: 'https://x.org/\"+alert(1)+\"'}"),
                           encoding="utf-8")
    result = site.build_in_process()
    assert not result.ok
    assert "mkdocs.yml: redirects: 'old.md' -> " in result.text
