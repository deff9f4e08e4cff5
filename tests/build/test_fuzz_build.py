"""Fuzzing the inputs of a fixture site (Hypothesis): whatever an editor's change does to front
matter, page bodies, bib entries or the blog's authors file, the strict build either succeeds
with clean pages, or fails with a message that names the changed file, never with a traceback,
and leaves no site folder behind.

`make test` runs a fixed number of examples with a fixed seed (TPG_FUZZ_EXAMPLES, default 100:
about 20 s of in-process builds); `make audit` runs many more with a random seed
(TPG_FUZZ_EXAMPLES=1000, TPG_FUZZ_RANDOM=1). A failure prints the mutated file and the draws
that made it; TPG_FUZZ_SHRINK=1 also shrinks it to a smaller example (slow).
"""

from __future__ import annotations

import os
import random
import re

import pytest
from hypothesis import HealthCheck, Phase, event, given, note, settings
from hypothesis import strategies as st

from build.test_news_build import AUTHORS_YML, good_post, news_site
from support import GOOD_BIB, article
from tpguide import audit, inputs, security

EXAMPLES = int(os.environ.get("TPG_FUZZ_EXAMPLES", "100"))
RANDOM_SEED = os.environ.get("TPG_FUZZ_RANDOM") == "1"
# Shrinking a failing example rebuilds the site hundreds of times (minutes): on request only.
PHASES = [Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if os.environ.get("TPG_FUZZ_SHRINK") == "1" else [])

ARTICLE = article("Home", """\
    Text with a citation [@smith2020knots] and a [link](other.md).

    ## A section

    More text [@lee2019manual; @smith2020knots].

    ```python
    print("<script>in code</script> @decorator")
    ```
    """)
OTHER = article("Other", "Plain words about muscles [@lee2019manual].\n")

# ---------------------------------------------------------------------------
# Mutations: each takes the file's text, a random generator and Hypothesis' data; returns text
# (or bytes, for encoding mutations).
# ---------------------------------------------------------------------------

YAML_VALUES = [
    "1", "-3.5", "1e999", "true", "no", "null", "~", "[]", "{}", "[a, b]", "[1, [2]]", "{x: 1}", "''", '""',
    "2026-01-10", "2026-13-01", "2026-02-30", "2026-01-10 25:00:00", "10/01/2026", "0x1F", ".inf",
    '"<script>alert(1)</script>"', "'<img src=x onerror=alert(1)>'", '"&lt;b&gt;"', '"javascript:alert(1)"',
    "a: b", "'unclosed", '"unclosed', "[unclosed", "{x: [1}", "*nothing", "&anchor x", "!!binary x", "!!float x",
    "!!python/object:os.system x", "|\n  block\n  text", ">\n  folded", "- item", "@at", "`tick", "%percent",
    "# comment only", "\"tab\\there\"", "\t", "a\tb", "FILL IN", "'" + "x" * 300 + "'",
    "nope.html", "main.html", "../../etc/passwd", "material/nope", "material/human-handsup", "[@nokey2020] text",
    "'Text [@smith2020knots] <b>x</b>'", "[x](javascript:alert(1))",
]
KEYS = ["title", "description", "audience", "authors", "reviewer", "last_reviewed", "next_review",
        "evidence_checked", "key_messages", "tags", "update_log", "handout", "hide", "search", "template",
        "icon", "status", "subtitle", "date", "draft", "categories", "slug", "links", "pin", "readtime",
        "unknown_field", "Title", "1", "'quoted key'", "authors.name"]
MARKUP = [
    "<script>alert(1)</script>", "<SCRIPT SRC=//x.example/a.js></SCRIPT>", '<img src=x onerror="alert(1)">',
    "<img/onerror=alert(1) src=x>", "[x](javascript:alert(1))", "[x](jav&#x61;script:alert(1))",
    "[x](<java\tscript:alert(1)>)", "<javascript:alert(1)>", "[r]: vbscript:x\n\n[y][r]",
    "![i](data:image/svg+xml;base64,PHN2Zz4=)", "![i](data:image/png;base64,iVBORw0KGgo=)",
    '<iframe src="https://x.example"></iframe>', "<style>*{display:none}</style>", '<object data="x"></object>',
    '<embed src="x">', '<a href="data:text/html,x">x</a>', 'Para {: onclick="alert(1)" }',
    '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', '<div markdown="1">*md* in html</div>',
    "<details><summary>S</summary>Text</details>", '<abbr title="x">X</abbr>', "<!-- comment -->",
    "<!-- unclosed comment", "`unclosed code", "<b>bold</b>", '<a href="https://example.org">ok</a>',
    # found by a review (issue 24): comments a browser ends early, a handler after a newline, a
    # named character reference in a scheme, markup after a fence that is never closed, and the
    # marks of a finished reference around markup in code
    "<!--><img src=x onerror=alert(1)>-->", "<!-- a --!><img src=x onerror=alert(1)>-->",
    "<b\nonmouseover=alert(1)>x</b>", '<a href="javascr&Tab;ipt:alert(1)">x</a>',
    "```\n<img src=x onerror=alert(1)>", '[^m]\n\n[^m]: \ue010`<a href="javascr&Tab;ipt:x">x</a>`\ue011',
]
MARKDOWN = [
    "[@unknownkey2020]", "[@smith2020knots, @lee2019manual]", "[@]", "[@smith2020knots", "@smith2020knots",
    "[[chart: nope]]", "[[chart: bron-2011]]", "Inline [[chart: bron-2011]] marker", '--8<-- "../mkdocs.yml"',
    '--8<-- "/etc/passwd"', '--8<-- "abbreviations.md"', '--8<-- "missing.md"', "--8<--\n../x\n--8<--",
    ";--8<-- \"../mkdocs.yml\"", "[missing](nowhere.md)", "[anchor](#no-such-anchor)", "[abs](/abs/path)",
    "# Another H1", "## The question", "<!-- more -->", "```\nunclosed fence", "~~~", "    indented code <script>",
    "[^1]\n\n[^1]: Footnote.", "!!! note \"Title <b>\"\n    Body.", '=== "Tab"\n    Content', "*[TrP]: abbr",
    "| a | b |\n|---|---|\n| 1 | 2 |", "{ #custom-id }", "FILL IN", "\\", "&nbsp;&#0;&#xD800;",
    "\u202e\u200b\ufeff", "\x0b\x0c", "---", "...",
]
BIB_CHARS = list("{}(),\"@=%#\\~$&_^") + ["\n", " and ", "@article{", "}\n}", "@string{x = {y}}"]
BIB_VALUES = ["{}", "{<b>x</b>}", "{javascript:alert(1)}", "{data:text/html,x}", "{1}", "{20x0}", '"unclosed',
              "{unclosed", "{10.1000/ok}", "{https://example.org}", "{a & b}", "{\\'e}", "noquotes", "{\n}"]


def _front(text: str) -> tuple[int, int] | None:
    m = re.match(r"---\n(.*?\n)---\n", text, re.S)
    return (m.start(1), m.end(1)) if m else None


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, pos = [], start
    for line in text[start:end].splitlines(keepends=True):
        out.append((pos, pos + len(line)))
        pos += len(line)
    return out


def _yaml_region(text: str, path: str) -> tuple[int, int]:
    if path.endswith(".yml"):
        return 0, len(text)
    return _front(text) or (0, 0)


# Put a snippet on a line of its own (as its own paragraph, or glued to the next line) in the body.
def _insert_line(text: str, rnd: random.Random, snippet: str, path: str) -> str:
    front = _front(text)
    start = front[1] + 4 if front and path.endswith(".md") else 0
    starts = [start] + [m.end() for m in re.finditer("\n", text) if m.end() > start]
    pos = rnd.choice(starts)
    glue = rnd.choice(["\n\n", "\n"])
    return text[:pos] + snippet + glue + text[pos:]


def fm_set_value(text, rnd, data, path):
    start, end = _yaml_region(text, path)
    keys = [m for m in re.finditer(r"(?m)^( *)([\w'.-]+):[ \t]*(.*)$", text[start:end])]
    if not keys:
        return text
    m = rnd.choice(keys)
    value = data.draw(st.sampled_from(YAML_VALUES) | st.text(max_size=30), label="value")
    return text[: start + m.start(3)] + value + text[start + m.end(3):]


# A random line of the YAML region: (start, end), or None when there is none.
def _pick_line(text: str, rnd: random.Random, path: str) -> tuple[int, int] | None:
    lines = _lines(text, *_yaml_region(text, path))
    return rnd.choice(lines) if lines else None


def fm_delete_line(text, rnd, data, path):
    if (line := _pick_line(text, rnd, path)) is None:
        return text
    return text[: line[0]] + text[line[1]:]


def fm_add_field(text, rnd, data, path):
    start, end = _yaml_region(text, path)
    key = data.draw(st.sampled_from(KEYS), label="key")
    value = data.draw(st.sampled_from(YAML_VALUES), label="value")
    lines = _lines(text, start, end) or [(start, start)]
    a, _ = rnd.choice(lines)
    indent = " " * rnd.choice([0, 0, 2, 4])
    return text[:a] + f"{indent}{key}: {value}\n" + text[a:]


def fm_duplicate_line(text, rnd, data, path):
    if (line := _pick_line(text, rnd, path)) is None:
        return text
    a, b = line
    return text[:b] + text[a:b] + text[b:]


def fm_insert_char(text, rnd, data, path):
    start, end = _yaml_region(text, path)
    pos = rnd.randint(start, max(start, end))
    char = data.draw(st.sampled_from(list(":\"'[]{}#&*!|>%@`,-?\t ") + ["\n", "\n  ", ": ", " #"]), label="char")
    return text[:pos] + char + text[pos:]


def fm_reindent(text, rnd, data, path):
    if (picked := _pick_line(text, rnd, path)) is None:
        return text
    a, b = picked
    line = text[a:b]
    new = line.lstrip(" ") if line.startswith(" ") else " " * rnd.choice([1, 2, 3, 4]) + line
    return text[:a] + new + text[b:]


def fm_unclose(text, rnd, data, path):
    front = _front(text)
    if front is None:
        return "---\n" + text
    return text[: front[1]] + text[front[1] + 4:]


def body_insert_markup(text, rnd, data, path):
    return _insert_line(text, rnd, data.draw(st.sampled_from(MARKUP), label="markup"), path)


def body_insert_markdown(text, rnd, data, path):
    return _insert_line(text, rnd, data.draw(st.sampled_from(MARKDOWN), label="markdown"), path)


def body_insert_text(text, rnd, data, path):
    value = data.draw(st.text(max_size=40), label="text")
    start = (_front(text) or (0, -4))[1] + 4 if path.endswith(".md") else 0
    pos = rnd.randint(min(start, len(text)), len(text))
    return text[:pos] + value + text[pos:]


def body_delete_span(text, rnd, data, path):
    if not text:
        return text
    a = rnd.randrange(len(text))
    b = min(len(text), a + rnd.choice([1, 1, 2, 5, 20, 200]))
    return text[:a] + text[b:]


def bytes_invalid_utf8(text, rnd, data, path):
    raw = text.encode("utf-8")
    pos = rnd.randint(0, len(raw))
    junk = data.draw(st.sampled_from([b"\xff", b"\xe9", b"\xc3(", b"\xed\xa0\x80", b"\x80\x80", b"\xf4\x90\x80\x80"]),
                     label="bytes")
    return raw[:pos] + junk + raw[pos:]


def bytes_bom_crlf(text, rnd, data, path):
    kind = data.draw(st.sampled_from(["bom", "crlf", "cr", "utf16", "nul"]), label="encoding")
    if kind == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if kind == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8")
    if kind == "cr":
        return text.replace("\n", "\r").encode("utf-8")
    if kind == "utf16":
        return text.encode("utf-16")
    pos = rnd.randint(0, len(text))
    return (text[:pos] + "\x00" + text[pos:]).encode("utf-8")


def bib_insert_char(text, rnd, data, path):
    pos = rnd.randint(0, len(text))
    return text[:pos] + data.draw(st.sampled_from(BIB_CHARS), label="char") + text[pos:]


def bib_set_field(text, rnd, data, path):
    fields = list(re.finditer(r"(?m)^\s*(\w+)\s*=\s*(\{.*\}|\".*\"|\w+),?$", text))
    if not fields:
        return text
    m = rnd.choice(fields)
    value = data.draw(st.sampled_from(BIB_VALUES) | st.text(max_size=20).map(lambda t: "{" + t + "}"), label="value")
    return text[: m.start(2)] + value + text[m.end(2):]


def bib_duplicate_entry(text, rnd, data, path):
    entries = [m.start() for m in re.finditer(r"(?m)^@", text)]
    if not entries:
        return text
    start = rnd.choice(entries)
    end = text.find("\n@", start + 1)
    entry = text[start: end + 1 if end > 0 else len(text)]
    return text + "\n" + entry


YAML_MUTATIONS = [fm_set_value, fm_delete_line, fm_add_field, fm_duplicate_line, fm_insert_char, fm_reindent]
MUTATIONS = {
    "markdown": YAML_MUTATIONS + [fm_unclose, body_insert_markup, body_insert_markdown, body_insert_text,
                                  body_delete_span, bytes_invalid_utf8, bytes_bom_crlf],
    "bib": [bib_insert_char, bib_set_field, bib_duplicate_entry, body_insert_text, body_delete_span,
            bytes_invalid_utf8, bytes_bom_crlf],
    "yaml": YAML_MUTATIONS + [body_insert_text, body_delete_span, bytes_invalid_utf8, bytes_bom_crlf],
}
# The files mutated, by kind; paths relative to the fixture root.
TARGETS = {
    "docs/index.md": "markdown",
    "docs/other.md": "markdown",
    "docs/tags.md": "markdown",
    "docs/research-news/index.md": "markdown",
    "docs/research-news/posts/p.md": "markdown",
    "docs/research-news/.authors.yml": "yaml",
    "bib/refs.bib": "bib",
}
MUTATION_KINDS = sorted({f.__name__ for fs in MUTATIONS.values() for f in fs})


# ---------------------------------------------------------------------------
# The property
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory):
    site = news_site(tmp_path_factory.mktemp("fuzz"), {"p.md": good_post()},
                     pages={"index.md": ARTICLE, "other.md": OTHER})
    result = site.build_in_process()
    assert result.ok, result.text
    allowed = set()
    for page in sorted(site.site_dir.rglob("*.html")):
        allowed |= security.inline_script_hashes(page.read_text(encoding="utf-8"))
    return site, allowed


def test_mutation_kinds_are_many():
    assert len(MUTATION_KINDS) >= 15


@settings(max_examples=EXAMPLES, derandomize=not RANDOM_SEED, database=None, deadline=None, phases=PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@pytest.mark.timeout(2400)  # make audit runs 1,000 examples, each built and prepared (0.4-0.7 s each)
def test_any_mutation_builds_cleanly_or_fails_naming_the_file(fuzz_site, data):
    site, allowed = fuzz_site
    target = data.draw(st.sampled_from(sorted(TARGETS)), label="file")
    kinds = MUTATIONS[TARGETS[target]]
    path = site.root / target
    original = path.read_bytes()
    rnd = random.Random(data.draw(st.integers(0, 2**32), label="seed"))
    content: str | bytes = original.decode("utf-8")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        mutation = data.draw(st.sampled_from(kinds), label="mutation")
        event(f"mutation: {mutation.__name__}")
        content = mutation(content, rnd, data, target) if isinstance(content, str) else content
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    note(f"{target} after mutation:\n{path.read_bytes()[:3000]!r}")
    try:
        result = site.build_in_process()  # a traceback would propagate from here and fail the test
        prepared = _prepare(site)  # the same input through tpguide.prepare (the step before Zensical)
    finally:
        path.write_bytes(original)
    if prepared is not None:
        event("prepare: refused")
        assert _names(prepared, target), f"prepare's message does not name {target}:\n{prepared}"
    else:
        event("prepare: accepted")
        # prepare checks inputs, not the rendered pages: what the build accepts, prepare accepts
    assert prepared is None or not result.ok, f"prepare refused what the build accepted:\n{prepared}"
    if result.ok:
        event("outcome: built")
        for page in sorted(site.site_dir.rglob("*.html")):
            html = page.read_text(encoding="utf-8")
            name = page.relative_to(site.site_dir).as_posix()
            assert audit.check_page_security(html, name) == [], name
            assert security.inline_script_hashes(html) <= allowed, f"{name}: an inline script that is not ours"
        return
    event("outcome: refused")
    assert _names(result.text, target), f"the message does not name {target}:\n{result.text}"
    assert not site.site_dir.exists(), "a failed build leaves no site folder"


# Cases the random runs found, kept as fixed examples: each must be refused naming the file and
# line, not end in a traceback (2026-12-06: Material's blog plugin on `links: ""`; Jinja on a
# `template:` that MkDocs read from a 'key: value' first line without front matter; Jinja on an
# empty `template: ~`).
@pytest.mark.parametrize("target,old,new,expect", [
    *[("docs/research-news/posts/p.md", "\ncategories:", f"\nlinks: {value}\ncategories:",
       "docs/research-news/posts/p.md:8: front matter field 'links': must be a list of links")
      for value in ['""', "x.md", "[1]", "{x: 1}", "[[1, [2]]]", "[{a: x.md, b: y.md}]"]],
    ("docs/tags.md", "---\ntitle: Tags\n", "template: ../../etc/passwd\n---\n",
     "docs/tags.md:1: the page starts with 'template:', which MkDocs reads as a hidden page setting"),
    # 2026-12-06, after the property also ran prepare (new examples): an empty `template:`
    ("docs/tags.md", "---\ntitle: Tags\n", "---\ntemplate: ~\ntitle: Tags\n",
     "docs/tags.md:2: front matter field 'template': must be text, not empty"),
])
def test_cases_found_by_random_runs_are_refused(fuzz_site, target, old, new, expect):
    site, _ = fuzz_site
    path = site.root / target
    original = path.read_text(encoding="utf-8")
    assert old in original
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        result = site.build_in_process()
        prepared = _prepare(site)
    finally:
        path.write_text(original, encoding="utf-8")
    assert not result.ok
    assert expect in result.text, result.text
    assert prepared is not None and expect in prepared, prepared


# The same, for every key and value the fuzzer knows: whatever our front matter check lets through,
# Material's blog reads without a traceback (its own errors are reported with the file name).
def test_what_our_checks_accept_materials_blog_validates_without_a_traceback():
    blog = pytest.importorskip("material.plugins.blog.structure.config")
    crashed = []
    for key in KEYS:
        for value in YAML_VALUES:
            source, problems = inputs.check_page(f"---\ntitle: A\n{key}: {value}\ndate: 2026-01-01\n---\nBody\n",
                                                 path="p.md")
            if problems:
                continue
            config = blog.PostConfig("p.md")
            config.load_dict(source.meta)
            try:
                config.validate()
            except Exception as exc:  # noqa: BLE001 - any exception here is the defect being looked for
                crashed.append(f"{key}: {value!r} -> {type(exc).__name__}: {exc}")
    assert crashed == []


# Does a build's message name the mutated file? As the project's messages do (docs/x.md:LINE),
# or as MkDocs and Material do (docs-relative 'x.md'). A bib mutation may instead leave a page
# citing a key that is no longer there: that page's message names the key and says where keys live.
# Prepare (tpguide.prepare) on the fixture as it is now: None when it accepts it, else its message.
# Any exception but PrepareError (a traceback) fails the test.
def _prepare(site) -> str | None:
    from tpguide import prepare

    try:
        prepare.prepare(site.config, site.root.parent / "prepared")
    except prepare.PrepareError as exc:
        return str(exc)
    return None


def _names(text: str, target: str) -> bool:
    relative = target.removeprefix("docs/")
    if re.search(rf"(?<![\w/.-])(?:{re.escape(target)}|{re.escape(relative)})(?![\w/-])", text):
        return True
    return target.startswith("bib/") and "unknown citation key" in text


# Every mutation kind really changes what it is given (a kind that never does tests nothing).
@pytest.mark.parametrize("name", MUTATION_KINDS)
def test_each_mutation_kind_changes_its_input(name):
    function = next(f for fs in MUTATIONS.values() for f in fs if f.__name__ == name)
    kind = next(k for k, fs in MUTATIONS.items() if function in fs)
    sample, path = {"markdown": (ARTICLE, "docs/index.md"), "bib": (GOOD_BIB, "bib/refs.bib"),
                    "yaml": (AUTHORS_YML, "docs/research-news/.authors.yml")}[kind]
    changed = []

    @settings(max_examples=20, derandomize=True, database=None)
    @given(data=st.data())
    def run(data):
        changed.append(function(sample, random.Random(data.draw(st.integers(0, 2**32))), data, path) != sample)

    run()
    assert any(changed)
