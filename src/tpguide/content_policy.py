"""What markup content may carry: one policy for Markdown, front matter, SVG files and built pages.

Content (Markdown pages, front matter, includes/, bib/, .authors.yml, SVG files) comes from pull
requests and is untrusted input. Nothing in it may run script on the site's origin, load from
another origin, or restyle the site. The build refuses, with ``file:line: what -> how to fix``:

- elements that run, embed or load code, or change how the page loads: ``<script>``, ``<style>``,
  ``<iframe>``, ``<frame>``, ``<frameset>``, ``<object>``, ``<embed>``, ``<applet>``, ``<base>``,
  ``<meta>``, ``<link>``;
- event-handler attributes (``on…=``), in raw HTML and in attribute lists (``{ onclick=… }``);
- script URLs (``javascript:``, ``vbscript:``) anywhere a URL goes: Markdown links, images,
  autolinks, reference definitions, HTML attributes, attribute lists; also when obfuscated with
  character references (``jav&#x61;script:``), whitespace or control characters
  (``java\\tscript:``), backslash escapes or upper case;
- ``data:`` URLs other than raster images (``data:image/png|jpeg|gif|webp``). ``data:image/svg+xml``
  is refused too: an SVG can carry script, and one inside a data: URL can be neither checked by
  the SVG rule below nor read in a pull request's diff. Put the SVG in a file under docs/.

Code (fenced blocks, inline code; tpguide.markdown_regions) is text, not markup: the editor guide
shows ``<script>`` in code and keeps building. HTML comments are not markup either.

Front matter is plain text: it is written into the navigation, ``<title>``, meta tags and JSON-LD,
partly by Material's templates without escaping, so a field with a tag (``<b``, ``</``, ``<!``) or a
character reference (``&lt;``, ``&#60;``) is refused rather than escaped (escaping in our templates
would not reach Material's, and escaping the value would double-escape where a template does).

SVG files are checked as XML: no script, no event handlers, no ``foreignObject``, no DOCTYPE, and no
reference to anything outside the file (``href``/``xlink:href``/``src`` other than ``#id``, ``url()``
other than ``url(#id)``, ``@import``): an SVG opened directly runs its scripts on the site's origin,
and GitHub Pages sends no CSP header.

The built HTML of every page is checked again (``check_html``) as the last line of defence: what
Markdown extensions, snippets, plugins or templates made of the content.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import xml.parsers.expat
from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser

from .errors import Problem
from .mdx import RAW_END, RAW_START
from .markdown_regions import prose_spans

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

# Elements content may not contain (raw HTML in Markdown, or in the built page body).
FORBIDDEN_ELEMENTS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
    # raw text or markup depending on the browser (<noscript>: markup for a reader without
    # JavaScript, so a style or refresh inside would apply), and inert <template>s: no page needs them
    "xmp", "noembed", "noframes", "noscript", "plaintext", "template",
})
# In a whole built page, templates legitimately write <style>, <meta>, <link> in its <head>; these
# never. In its <body>, only <script> (each checked against the allowed hashes, tpguide.deploy):
# content can reach the body outside the article (Material prints the contents' headings as they
# are), so the body is held to FORBIDDEN_ELEMENTS but for <script>.
FORBIDDEN_IN_PAGE = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "template",
                               # no template of ours or Material's writes these (the theme's font <style>
                               # only with theme.font, which is off): a page title could carry one into <head>
                               "style", "base"})
SCRIPT_SCHEMES = frozenset({"javascript", "vbscript", "livescript"})
# data: URLs that are allowed: raster images only (they cannot carry script).
DATA_IMAGE_RE = re.compile(r"^data:image/(?:png|jpeg|jpg|gif|webp)[;,]")
# Attributes whose value is (or holds) a URL.
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "action", "formaction", "xlink:href", "poster", "background", "data", "cite",
    "longdesc", "lowsrc", "dynsrc", "ping", "manifest", "icon", "codebase", "classid", "archive", "profile",
    "usemap", "imagesrcset",
})

_HINT_ELEMENT = {
    "script": "content cannot carry scripts; to show code, put it in `backticks` or a fenced block",
    "style": "content cannot restyle the site; ask for a class in docs/assets/stylesheets/site.css",
    "iframe": "embedded pages load from other sites; link to the page instead",
}
_HINT_ELEMENT_DEFAULT = "remove it; to show it as code, put it in `backticks` or a fenced block"
_HINT_HANDLER = "remove the attribute: content cannot run script"
_HINT_URL = "link to an https:// address or a page of the site"
_HINT_DATA = "put the image in a file under docs/ and link to it (data: URLs are allowed only for png, jpeg, gif, webp)"

_TAG_START_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_ATTR_RE = re.compile(r"""[\s/]*(?P<name>[^\s/>=]+)(?:\s*=\s*(?P<value>"[^"]*"|'[^']*'|[^\s>]*))?""")
# Markdown URLs: inline links and images "](url", reference definitions, autolinks "<scheme:...>".
_MD_INLINE_URL_RE = re.compile(r"\]\(\s*(?P<url><[^>\n]*>|(?:[^()\n]|\([^()\n]*\))*)")
_MD_REFDEF_RE = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:[ \t]*(?:\n[ \t]*)?(?P<url><[^>\n]*>|\S+)", re.M)
_MD_AUTOLINK_RE = re.compile(r"<(?P<url>[A-Za-z][A-Za-z0-9+.\-\s&#;]*:[^<>\n]*)>")
# attr_list: "{: #id .class key=value }" after a block or an inline element.
_ATTR_LIST_RE = re.compile(r"\{:?(?P<body>[^{}\n]*=[^{}\n]*)\}")
# A tag start or an HTML character reference in what must be plain text.
_TEXT_TAG_RE = re.compile(r"<[A-Za-z/!?]")
# Numeric references, named ones with ";", and the legacy names browsers read without ";".
_TEXT_ENTITY_RE = re.compile(r"&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*;|(?i:lt|gt|amp|quot)(?![A-Za-z0-9]))")
_SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")
_RAW_MARK_RE = re.compile(f"[{RAW_START}{RAW_END}]")


# ---------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------


# The URL as a browser reads its scheme: character references decoded, backslash escapes,
# whitespace and control characters dropped, lower case.
def normalise_url(value: str) -> str:
    text = value
    for _ in range(3):  # "&amp;#106;" and other nestings, until stable
        decoded = html_lib.unescape(text)
        if decoded == text:
            break
        text = decoded
    text = re.sub(r"\\(.)", r"\1", text)
    return _CONTROL_RE.sub("", text).lower()


# Why a URL is refused ("script" or "data"), or None when it is allowed.
def unsafe_url(value: str) -> str | None:
    url = normalise_url(value.strip().strip("<>"))
    m = _SCHEME_RE.match(url)
    if m is None:
        return None
    if m.group(1) in SCRIPT_SCHEMES:
        return "script"
    if m.group(1) == "data" and not DATA_IMAGE_RE.match(url):
        return "data"
    return None


# The problem of one URL found at path:line, or None.
def url_problem(value: str, *, path: str, line: int | None, where: str) -> Problem | None:
    reason = unsafe_url(value)
    if reason is None:
        return None
    shown = _short(value)
    if reason == "script":
        return Problem(path, line, f"{where}: script URL {shown!r} is not allowed", _HINT_URL)
    return Problem(path, line, f"{where}: data: URL {shown!r} is not an allowed image type", _HINT_DATA)


# ---------------------------------------------------------------------------
# Markdown
# ---------------------------------------------------------------------------


# Every refused construct in the prose (not code) of a Markdown text; lines count from first_line.
def check_markdown(markdown: str, *, path: str, first_line: int = 1) -> list[Problem]:
    problems: list[Problem] = []
    prose = _blank_code(markdown)

    def line_of(pos: int) -> int:
        return first_line + prose.count("\n", 0, pos)

    # the marks of a finished reference (tpguide.mdx.raw_html): only the build writes them, and
    # what they hold is placed untouched, so content may not carry them, not even in code
    for m in _RAW_MARK_RE.finditer(markdown):
        problems.append(Problem(path, line_of(m.start()), f"the invisible character U+{ord(m.group(0)):04X} is not "
                                "allowed in content (the build marks finished references with it)",
                                "delete it (it is invisible: search for it, or retype the line)"))

    for m in _TAG_START_RE.finditer(prose):
        closing, name = m.group(1), m.group(2).lower()
        if name in FORBIDDEN_ELEMENTS:
            if not closing:
                problems.append(Problem(path, line_of(m.start()), f"<{name}> is not allowed in content",
                                        _HINT_ELEMENT.get(name, _HINT_ELEMENT_DEFAULT)))
            continue
        if closing:
            continue
        for attr, value, offset in _attributes(prose, m.end()):
            problems += _attribute_problems(attr, value, path=path, line=line_of(offset), element=name)
    for m in _ATTR_LIST_RE.finditer(prose):
        body_start = m.start("body")
        for attr, value, offset in _attributes(m.group("body") + ">", 0):
            if attr.startswith(("#", ".")):
                continue
            problems += _attribute_problems(attr, value, path=path, line=line_of(body_start + offset),
                                            element="attribute list")
    for regex, where in ((_MD_INLINE_URL_RE, "link"), (_MD_REFDEF_RE, "link reference"), (_MD_AUTOLINK_RE, "autolink")):
        for m in regex.finditer(prose):
            problem = url_problem(m.group("url"), path=path, line=line_of(m.start("url")), where=where)
            if problem is not None:
                problems.append(problem)
    return _unique(problems)


# The attributes of the tag whose name ends at `start`: (lower-case name, value, position).
def _attributes(text: str, start: int) -> list[tuple[str, str | None, int]]:
    out = []
    pos = start
    while pos < len(text):
        m = _ATTR_RE.match(text, pos)
        if m is None or m.end() == pos:
            break
        value = m.group("value")
        if value is not None and value[:1] in "\"'":
            value = value[1:-1]
        out.append((m.group("name").lower(), value, m.start("name")))
        pos = m.end()
        if text.startswith(">", pos) or text.startswith("/>", pos):
            break
    return out


def _attribute_problems(attr: str, value: str | None, *, path: str, line: int | None, element: str) -> list[Problem]:
    where = f"<{element}>" if element != "attribute list" else element
    if attr.startswith("on") and len(attr) > 2:
        return [Problem(path, line, f"{where}: event handler attribute '{attr}' is not allowed", _HINT_HANDLER)]
    if value is None:
        return []
    if attr in URL_ATTRIBUTES:
        # srcset: "url 1x, url 2x"
        urls = [part.split()[0] for part in value.split(",") if part.split()] if attr.endswith("srcset") else [value]
        for url in urls:
            problem = url_problem(url, path=path, line=line, where=f"{where} {attr}")
            if problem is not None:
                return [problem]
        return []
    # e.g. SVG <animate to="javascript:...">, or one item of its values="#;javascript:..." list
    items = [value, *value.split(";")] if attr == "values" else [value]
    if any(unsafe_url(item) == "script" for item in items):
        return [Problem(path, line, f"{where} {attr}: holds a script URL ({_short(value)!r})", _HINT_URL)]
    # an animation sets an attribute (an href) to these values: a data: URL counts as in href
    if attr in _ANIMATION_VALUES and any(unsafe_url(item) == "data" for item in items):
        return [Problem(path, line, f"{where} {attr}: holds a data: URL ({_short(value)!r})", _HINT_DATA)]
    return []


_ANIMATION_VALUES = frozenset({"values", "to", "from", "by"})


# The text with every code span blanked out (newlines kept, offsets kept). HTML comments stay:
# what is inside one is checked too (a browser may end a comment where no pattern expects).
def _blank_code(markdown: str) -> str:
    spans = prose_spans(markdown, comments=False)
    out, pos = [], 0
    for start, end in spans:
        out.append(re.sub(r"[^\n]", " ", markdown[pos:start]))
        out.append(markdown[start:end])
        pos = end
    out.append(re.sub(r"[^\n]", " ", markdown[pos:]))
    return "".join(out)


# ---------------------------------------------------------------------------
# Front matter and other plain-text fields
# ---------------------------------------------------------------------------


# The problem of one plain-text value (a title, a description, an author's name), or None.
def text_problem(value: str, *, path: str, line: int | None, field: str, url: bool = False) -> Problem | None:
    if _RAW_MARK_RE.search(value):
        return Problem(path, line, f"{field}: holds an invisible character the build keeps for itself (U+E010 or U+E011)",
                       "delete it (retype the value)")
    if url:
        problem = url_problem(value, path=path, line=line, where=field)
        if problem is not None:
            return problem
    elif any(normalise_url(value).startswith(f"{scheme}:") for scheme in SCRIPT_SCHEMES):
        return Problem(path, line, f"{field}: {_short(value)!r} is a script URL", "write plain text")
    m = _TEXT_TAG_RE.search(value) or _TEXT_ENTITY_RE.search(value)
    if m is None:
        return None
    return Problem(path, line, f"{field}: {_short(value)!r} contains markup ({m.group(0)!r}); this field is plain text",
                   "remove the HTML; write characters as they are (& < > \" instead of &amp; &lt; ...), "
                   "and put no '<' right before a letter")


# Every problem of the string values of parsed YAML (front matter, .authors.yml). `lines` maps
# key paths to their line (tpguide.inputs.YamlDoc.lines); values under a key in url_keys are
# URLs, values of a top-level key in markdown_keys are Markdown (checked as a page body).
def check_fields(data, *, path: str, lines: dict, first_line: int = 1, url_keys: Iterable[str] = (),
                 markdown_keys: Iterable[str] = (), label: str = "front matter field") -> list[Problem]:
    url_keys, markdown_keys = set(url_keys), set(markdown_keys)
    problems: list[Problem] = []
    seen: set[int] = set()

    def line_of(keys: tuple) -> int:
        while keys and keys not in lines:
            keys = keys[:-1]
        return lines.get(keys, first_line)

    def walk(value, keys: tuple) -> None:
        if isinstance(value, (dict, list)):
            if id(value) in seen:  # YAML aliases: visit each container once
                return
            seen.add(id(value))
        field = f"{label} '{'.'.join(str(k) for k in keys) or 'value'}'"
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str):
                    problems.append(text_problem(key, path=path, line=line_of(keys + (key,)), field=f"{field} key"))
                walk(item, keys + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, keys + (index,))
        elif isinstance(value, str):
            if keys and keys[0] in markdown_keys:
                problems.extend(check_markdown(value, path=path, first_line=line_of(keys)))
            else:
                url = any(k in url_keys for k in keys if isinstance(k, str))
                problems.append(text_problem(value, path=path, line=line_of(keys), field=field, url=url))

    walk(data, ())
    return _unique([p for p in problems if p is not None])


# ---------------------------------------------------------------------------
# SVG files
# ---------------------------------------------------------------------------


# Every problem of an SVG file: script, handlers, foreignObject, DOCTYPE, external references.
def check_svg(text: str, *, path: str) -> list[Problem]:
    problems: list[Problem] = []
    doctype = re.search(r"<!DOCTYPE|<!ENTITY", text, re.I)
    if doctype:
        line = text.count("\n", 0, doctype.start()) + 1
        return [Problem(path, line, "SVG has a DOCTYPE or entity declaration",
                        "remove it: SVG needs none, and entities can expand or pull in other files")]
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")

    def here() -> int:
        return parser.CurrentLineNumber

    def start(tag: str, attrs: dict) -> None:
        name = tag.split(" ")[-1].lower()
        if name in ("script", "foreignobject", "iframe", "object", "embed", "handler", "listener"):
            problems.append(Problem(path, here(), f"SVG element <{name}> is not allowed",
                                    "remove it: an SVG opened directly runs on the site's origin"))
        for raw, value in attrs.items():
            attr = raw.split(" ")[-1].lower()
            if attr.startswith("on"):
                problems.append(Problem(path, here(), f"SVG event handler attribute '{attr}' is not allowed",
                                        _HINT_HANDLER))
            elif attr in ("href", "src") and not value.strip().startswith("#"):
                problems.append(Problem(path, here(), f"SVG {attr}={_short(value)!r} refers outside the file",
                                        "keep the SVG self-contained: only href=\"#id\" references inside it"))
            elif _external_css(value) or (attr not in ("href", "src") and unsafe_url(value) == "script"):
                problems.append(Problem(path, here(), f"SVG attribute '{attr}' refers outside the file or to script",
                                        "keep the SVG self-contained: only url(#id) references inside it"))
        if name == "style":
            parser.CharacterDataHandler = style_text

    def style_text(data: str) -> None:
        if _external_css(data):
            problems.append(Problem(path, here(), "SVG <style> refers outside the file (@import or url())",
                                    "keep the SVG self-contained: only url(#id) references inside it"))

    def end(tag: str) -> None:
        parser.CharacterDataHandler = None

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as exc:
        problems.append(Problem(path, exc.lineno, f"SVG is not well-formed XML ({xml.parsers.expat.ErrorString(exc.code)})",
                                "open it in an SVG editor and save it again"))
    return _unique(problems)


def _external_css(text: str) -> bool:
    if re.search(r"@import", text, re.I):
        return True
    return any(not u.strip().strip("'\"").startswith("#") for u in re.findall(r"url\(([^)]*)\)", text, re.I))


# ---------------------------------------------------------------------------
# Built HTML (the last line of defence)
# ---------------------------------------------------------------------------


# Every refused construct in built HTML, for the page at `path`. content=True: the page body
# from Markdown (every FORBIDDEN_ELEMENTS refused); False: the whole page with its templates
# (FORBIDDEN_IN_PAGE anywhere, and in <body> every FORBIDDEN_ELEMENTS but <script>; inline scripts
# are checked against the allowed set by tpguide.deploy). Handlers, script and data: URLs and
# http-equiv in both.
def check_html(page_html: str, *, path: str, content: bool = True) -> list[Problem]:
    forbidden = FORBIDDEN_ELEMENTS if content else FORBIDDEN_IN_PAGE
    marks = [_mark_problem(path)] if content and (RAW_START in page_html or RAW_END in page_html) else []
    if not _needs_parsing(page_html, content=content):
        return marks
    # a fragment's last tag left open is completed by what the template writes next: here too
    return marks + _unique(_dom_problems(page_html + ">" if content else page_html, path, forbidden,
                                         body=None if content else _FORBIDDEN_IN_BODY))


_FORBIDDEN_IN_BODY = (FORBIDDEN_ELEMENTS | FORBIDDEN_IN_PAGE) - {"script"}


# The page's title and its "on this page" entries as the engine made them, which the theme prints
# as they are (Markdown's toc extension strips tags with a pattern, so a heading can come out as
# "A <style x"): none may hold a "<" before a letter, "/", "!" or "?", also once its character
# references are decoded (the theme's <title> is `page.title | striptags`, which decodes "&lt;").
def heading_problems(titles: Iterable[str], *, path: str) -> list[Problem]:
    return [Problem(path, None, f"the heading {_short(title)!r} becomes markup in the page's title or contents list",
                    "write the heading as plain words: no '<' right before a letter")
            for title in titles if _MARKUP_START_RE.search(html_lib.unescape(title or ""))]  # decoding keeps every "<"


_MARKUP_START_RE = re.compile(r"<[A-Za-z/!?]")


# The quick first look of check_html: may this HTML hold a problem?
def _needs_parsing(page_html: str, *, content: bool) -> bool:
    lowered = page_html.lower()
    if content:
        return _suspect(page_html, FORBIDDEN_ELEMENTS, lowered)
    return _suspect(page_html, FORBIDDEN_IN_PAGE, lowered) or _suspect_body(lowered)


# Does a whole page's <body> (from the first "<body") open an element only <head> may hold?
# A second <title> or </title> before it (a page title that closed the real one) may start the
# body early, in <head>: then the whole page counts.
def _suspect_body(lowered: str) -> bool:
    body = lowered.find("<body")
    end = body if body != -1 else len(lowered)
    if lowered.count("<title", 0, end) > 1 or lowered.count("</title", 0, end) > 1:
        return True
    return _opening_any(_FORBIDDEN_IN_BODY).search(lowered, max(body, 0)) is not None


# "<" and any of the tag names, as text (the same test as `f"<{tag}" in text` for each: one pass
# over the page instead of one per name, several times faster).
@functools.lru_cache(maxsize=8)
def _opening_any(tags: frozenset[str]) -> re.Pattern:
    if not tags:
        return re.compile(r"(?!)")  # matches nothing, as any() of no names is False
    return re.compile("<(?:" + "|".join(re.escape(t) for t in sorted(tags, key=len, reverse=True)) + ")")


# tpguide.mdx's marks around a finished reference (tpguide.mdx.raw_html) left in a page body: the
# extension did not run, or someone typed the character.
def _mark_problem(path: str) -> Problem:
    return Problem(path, None, "the built page holds U+E010 or U+E011, the marks around a finished reference",
                   "add '- tpguide.mdx' to markdown_extensions in mkdocs.yml, or delete the character from the page")


# A fast, deliberately wide first look (parsing every tag of every built page took 40% of the
# build): True unless the HTML has none of what the parser refuses: a forbidden element, anything
# like an event handler, "script:" (also split by white space, control characters or backslashes),
# a data: URL starting a value or a srcset item, an http-equiv other than the CSP one, or an
# attribute value with a character reference that decodes to a script or data: URL. Only a page
# that could hold a problem is parsed, so each problem is still reported exactly. It must never
# say False where the parser would report something a browser acts on (_handler_like names the one
# exception; tests/unit/test_content_policy.py checks it against the parser on tricky cases).
def _suspect(page_html: str, forbidden: frozenset[str], lowered: str | None = None) -> bool:
    lowered = page_html.lower() if lowered is None else lowered
    if _opening_any(forbidden).search(lowered):
        return True
    # without what a URL's scheme may be split by (normalise_url drops the same, and more)
    squeezed = lowered.encode("utf-8", "surrogatepass").translate(None, _SQUEEZED_OUT)
    if b"script:" in squeezed or _data_url_start(squeezed):
        return True
    # every whole page has its CSP <meta>: only an http-equiv of another kind needs the parser
    if lowered.count("http-equiv") != lowered.count('http-equiv="content-security-policy"'):
        return True
    if _handler_like(lowered):
        return True
    # a value with a character reference (quoted or not): decoded, does it hide a script or data: URL?
    # (decoded once more than normalise_url does: the parser decodes attribute values first)
    return any(_HIDDEN_SCHEME_RE.search(normalise_url(html_lib.unescape(next(g for g in m.groups() if g is not None))))
               for m in _ENTITY_VALUE_RE.finditer(page_html))


# Dropped before looking for "script:" and data: URLs: ASCII white space and control characters
# (a URL parser skips tabs and newlines anywhere), and backslashes (normalise_url unescapes them).
_SQUEEZED_OUT = bytes(range(0x21)) + b"\x7f\\"
# An attribute value holding "&": quoted (whatever it holds, ">" too) or unquoted (white space is
# ASCII's, as in HTML: a no-break space does not end a value). A lookahead,
# so matches overlap: a stray '="... &' in text cannot swallow the real value after it.
_ENTITY_VALUE_RE = re.compile(r"""=(?=\s*(?:"([^"]*&[^"]*)"|'([^']*&[^']*)'|([^\s"'=>`]*&[^\s>]*)))""", re.ASCII)


# (on the lower-cased text) anything like an event handler, also right after a quote or "/"
# (<img src="x"onerror=...>, <svg/onload=...>): "on" + letters + "=" after white space, a quote
# or "/". The one thing the parser reports and this misses is an "on..." attribute a browser never
# runs: without a value (<b onclick>) or with a name no event has (<b onclick1=x>). A pattern that
# starts with its literal "on" is searched fast; the character before is checked here.
_HANDLER_RE = re.compile(r"on[a-z]+\s*=")


def _handler_like(text: str) -> bool:
    for m in _HANDLER_RE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if before and (before in "/\"'" or before.isspace()):
            return True
    return False


# (on the squeezed bytes) a data: URL starting a value ('="data:', "=data:") or a srcset item
# (",data:"): wide, not exact.
def _data_url_start(squeezed: bytes) -> bool:
    at = squeezed.find(b"data:")
    while at != -1:
        k = at
        # back over quotes, "<" (unsafe_url strips it) and other characters' bytes (such as a
        # non-ASCII space, which a srcset's split() takes for white space)
        while k and (squeezed[k - 1] >= 0x80 or squeezed[k - 1] in b"\"'<"):
            k -= 1
        if k and squeezed[k - 1] in b"=,":
            return True
        at = squeezed.find(b"data:", at + 1)
    return False


_HIDDEN_SCHEME_RE = re.compile(r"script:|data:", re.I)


# Every problem of the HTML as a browser builds it. Lexbor (selectolax) parses by the HTML
# standard, so comments, raw-text elements (<title>, <textarea>), foreign content (SVG, MathML),
# CDATA and malformed tags end where a browser ends them; Python's html.parser differed on each,
# and markup could hide from it that a browser then ran. Of duplicate attributes the first counts,
# as in a browser.
def _dom_problems(page_html: str, path: str, forbidden: frozenset[str],
                  body: frozenset[str] | None = None) -> list[Problem]:
    where, problems = "the built page", []
    tree = LexborHTMLParser(page_html)
    if body and tree.body is not None:
        for node in tree.body.traverse(include_text=False):
            tag = (node.tag or "").lower()
            if tag in body and tag not in forbidden:
                problems.append(Problem(path, None, f"{where} contains <{tag}> in its body",
                                        _HINT_ELEMENT.get(tag, _HINT_ELEMENT_DEFAULT)))
    root = tree.root
    for node in root.traverse(include_text=False) if root is not None else ():
        tag = (node.tag or "").lower()
        if not tag or tag[0] in "-_#":  # a comment or a document node
            continue
        attrs = {(name or "").lower(): value for name, value in node.attributes.items()}
        if tag in forbidden:
            problems.append(Problem(path, None, f"{where} contains <{tag}>", _HINT_ELEMENT.get(tag, _HINT_ELEMENT_DEFAULT)))
        if tag == "meta" and "http-equiv" in attrs and (attrs["http-equiv"] or "").strip().lower() != "content-security-policy":
            # a page's <meta> can redirect or set headers (refresh, set-cookie): a value written
            # into another <meta> without escaping (a front matter field) could add one
            problems.append(Problem(path, None, f"{where} has <meta http-equiv={attrs['http-equiv']!r}>",
                                    "no page may redirect or set headers: look for a '\"' in a front matter "
                                    "field such as description or author"))
        for name, value in attrs.items():
            if name.startswith("on") and len(name) > 2:
                problems.append(Problem(path, None, f"{where}: <{tag}> has event handler attribute '{name}'", _HINT_HANDLER))
            elif value is not None:
                for problem in _attribute_problems(name, value, path=path, line=0, element=tag):
                    problems.append(Problem(path, None, f"{where}: {problem.message}", problem.hint))
    return problems


# ---------------------------------------------------------------------------
# Helper functions
# ---------------------------------------------------------------------------


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out
