"""Input files checked before MkDocs reads them: encoding, YAML, front matter types, snippets."""

import pytest
import yaml

from tpguide import inputs


def messages(problems) -> list[str]:
    return [str(p) for p in problems]


# ---------------------------------------------------------------------------
# Encoding
# ---------------------------------------------------------------------------


def test_utf8_with_or_without_bom_and_any_line_ending_reads_as_mkdocs_reads_it():
    for data in (b"a\nb\n", b"\xef\xbb\xbfa\nb\n", b"a\r\nb\r\n", b"a\rb\r"):
        assert inputs.decode(data, "f.md") == ("a\nb\n", [])


def test_a_byte_that_is_not_utf8_is_named_by_line_and_column():
    text, problems = inputs.decode("line one\ncaf\xe9 au lait\n".encode("latin-1"), "docs/p.md")
    assert text is None
    assert messages(problems) == ["docs/p.md:2: is not UTF-8 text (byte 0xe9 at column 4) -> " + inputs.HINT_UTF8]


def test_utf16_and_nul_characters_are_refused():
    assert messages(inputs.decode("ab".encode("utf-16"), "f.md")[1]) == ["f.md:1: is UTF-16 text, not UTF-8 -> " + inputs.HINT_UTF8]
    assert "f.md:2: contains a NUL character" in messages(inputs.decode(b"a\nb\x00\n", "f.md")[1])[0]


def test_a_missing_file_is_a_problem_not_an_exception(tmp_path):
    text, problems = inputs.read_text(tmp_path / "nope.bib", "bib/nope.bib")
    assert text is None and messages(problems)[0].startswith("bib/nope.bib: cannot be read")


# ---------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,expect", [
    ("a: 1\nb: 2026-13-01\n", "f.yml:2: '2026-13-01' is not a real date (month must be in 1..12)"),
    ("a: 2026-02-30\n", "f.yml:1: '2026-02-30' is not a real date (day is out of range for month)"),
    ("a: 2026-01-10 25:00:00\n", "f.yml:1: '2026-01-10 25:00:00' is not a real date"),
    ("a: 1\nb:\n  c: 2\na: 3\n", "f.yml:4: field 'a' appears twice (also on line 1)"),
    ("title: Knots: a review\n", "f.yml:1: is not valid YAML: mapping values are not allowed here"),
    ("a: [1, 2\nb: 3\n", "f.yml:2: is not valid YAML"),
    ("a:\n\t- b\n", "f.yml:2: is not valid YAML: found character '\\t' that cannot start any token -> indent with spaces"),
    ("a: @x\n", "f.yml:1: is not valid YAML: found character '@' that cannot start any token"),
    ("a: - b\n", "f.yml:1: is not valid YAML: sequence entries are not allowed here"),
    ("a: 1\nb: \x07\n", "f.yml:2: contains the control character U+0007, which YAML does not allow"),
    ("a: " + "[" * 2000 + "]" * 2000 + "\n", "f.yml:1: is not valid YAML: the data is nested too deeply"),
    ("a: !!float abc\n", "f.yml:1: 'abc' cannot be read"),
    ("a: !!python/object:os.system ls\n", "f.yml:1: is not valid YAML: could not determine a constructor"),
    ("[" * 200 + "]" * 200 + "\n", "f.yml:1: "),
])
def test_yaml_mistakes_are_problems_with_their_line(text, expect):
    doc, problems = inputs.parse_yaml(text, path="f.yml")
    assert doc.data is None
    assert len(problems) == 1 and str(problems[0]).startswith(expect), messages(problems)
    assert " -> " in str(problems[0])


def test_yaml_lines_count_from_the_given_first_line_and_name_every_key():
    doc, problems = inputs.parse_yaml("title: A\nlist:\n  - x\n  - y: 1\n", path="p.md", first_line=2, what="front matter")
    assert problems == []
    assert doc.data == {"title": "A", "list": ["x", {"y": 1}]}
    assert doc.lines == {("title",): 2, ("list",): 3, ("list", 0): 4, ("list", 1): 5, ("list", 1, "y"): 5}
    _, problems = inputs.parse_yaml("a: 1\nb: 2026-13-01\n", path="p.md", first_line=2, what="front matter")
    assert str(problems[0]).startswith("p.md:3: front matter: '2026-13-01' is not a real date")


def test_load_yaml_reports_encoding_and_syntax_with_the_display_path(tmp_path):
    good = tmp_path / "good.yml"
    good.write_text("id: dry-needling-neck\nfindings:\n  - effect: small\n", encoding="utf-8")
    doc, problems = inputs.load_yaml(good, display="evidence/good.yml")
    assert problems == [] and doc.data["findings"][0]["effect"] == "small"
    assert doc.lines[("findings", 0, "effect")] == 3
    bad = tmp_path / "bad.yml"
    bad.write_bytes(b"id: x\nnote: caf\xe9\n")
    assert messages(inputs.load_yaml(bad, display="evidence/bad.yml")[1])[0].startswith("evidence/bad.yml:2: is not UTF-8")
    bad.write_text("id: x\n  note: y\n", encoding="utf-8")
    assert messages(inputs.load_yaml(bad, display="evidence/bad.yml")[1])[0].startswith("evidence/bad.yml:2: is not valid YAML")


# Issue 24: inputs are parsed with libyaml's C parser when PyYAML has it (its wheels do): several
# times faster than the Python parser, with the same lines and, by _same_words, the same messages.
def test_the_c_parser_is_used_when_pyyaml_has_it():
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    assert issubclass(inputs._Loader, yaml.CSafeLoader)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,expect", [
    ("---\ntitle: A\nBody\n", "p.md:1: front matter starts with '---' but has no closing '---' line"),
    ("---\n- a\n- b\n---\nBody\n", "p.md:2: front matter must be 'field: value' lines"),
    ("---\ntitle: [a, b]\n---\n", "p.md:2: front matter field 'title': must be text, not a list"),
    ("---\ntitle: A\ntags: knots\n---\n", "p.md:3: front matter field 'tags': must be a list of text"),
    ("---\ndraft: yes please\n---\n", "p.md:2: front matter field 'draft': must be true or false"),
    ("---\ndescription: 2026-01-10\n---\n", "p.md:2: front matter field 'description': must be text, not a date"),
    ("---\ntemplate: ~\n---\n", "p.md:2: front matter field 'template': must be text, not empty"),
    ("---\nauthor: '0;url=https://x/\" http-equiv=\"refresh'\n---\n",
     "p.md:2: front matter field 'author': may not hold a double quote"),
    ("---\nstatus: 'new\" onmouseover=\"x'\n---\n", "p.md:2: front matter field 'status': may not hold a double quote"),
    ("---\nsearch: exclude\n---\n", "p.md:2: front matter field 'search': must be indented 'key: value' lines"),
    ("---\n1: x\n---\n", "p.md:2: front matter field name 1 is not a word"),
    ("template: ../../etc/passwd\n---\n---\n\n# Tags\n", "p.md:1: the page starts with 'template:', which MkDocs reads"),
    ("  Note: a first line\n\nText.\n", "p.md:1: the page starts with 'Note:', which MkDocs reads as a hidden page setting"),
    ("---\ntitle: A\nlinks: \"\"\n---\n", "p.md:3: front matter field 'links': must be a list of links, not ''"),
    ("---\nlinks: [1]\n---\n", "p.md:2: front matter field 'links': must be a list of links"),
    ("---\nlinks:\n  - {a: x.md, b: y.md}\n---\n", "p.md:2: front matter field 'links': must be a list of links"),
    ("---\nlinks:\n  - Section:\n      - A: {x: 1}\n---\n", "p.md:2: front matter field 'links': must be a list of links"),
    ("---\ntitle: <b>Bold</b>\n---\n", "p.md:2: front matter field 'title': '<b>Bold</b>' contains markup"),
    ("---\ntitle: A\n---\n\nText.\n\n<script>x</script>\n", "p.md:7: <script> is not allowed in content"),
])
def test_page_front_matter_and_body_are_checked_with_lines(text, expect):
    _, problems = inputs.check_page(text, path="p.md")
    assert problems and str(problems[0]).startswith(expect), messages(problems)


def test_blog_links_in_materials_navigation_shapes_are_accepted():
    text = ("---\nlinks:\n  - treatments/dry-needling.md\n  - The evidence: evidence.md#top\n"
            "  - More:\n      - Data: data.md\n      - https://example.org/\n---\n")
    assert inputs.check_page(text, path="p.md")[1] == []


def test_a_good_page_gives_its_meta_and_body():
    source, problems = inputs.check_page("---\ntitle: A\ntags: [x]\n---\n\nBody [@key].\n", path="p.md")
    assert problems == []
    assert source.meta == {"title": "A", "tags": ["x"]} and source.body_line == 5 and source.body == "\nBody [@key].\n"
    assert inputs.check_page("No front matter, just text.\n", path="p.md")[1] == []
    assert inputs.check_page("# A title: with a colon\n\nhttps://example.org/ text.\n", path="p.md")[1] == []


# ---------------------------------------------------------------------------
# Snippets
# ---------------------------------------------------------------------------


def test_snippets_may_only_name_files_inside_the_base_folders(tmp_path):
    base = tmp_path / "includes"
    (base / "sub").mkdir(parents=True)
    (base / "abbreviations.md").write_text("*[TrP]: trigger point\n", encoding="utf-8")
    (base / "sub" / "x.md").write_text("x\n", encoding="utf-8")
    (tmp_path / "includes-evil").mkdir()
    (tmp_path / "includes-evil" / "x.md").write_text("x\n", encoding="utf-8")
    text = "\n".join([
        'Fine: --8<-- "abbreviations.md" in text is not a snippet line',
        '--8<-- "abbreviations.md"',
        '--8<-- "sub/x.md:1:2"',
        ';--8<-- "../mkdocs.yml"',
        '--8<-- "../mkdocs.yml"',
        '--8<-- "/etc/passwd"',
        '--8<-- "../includes-evil/x.md"',
        '--8<-- "missing.md"',
        '--8<-- "https://example.org/x.md"',
        "--8<--",
        "abbreviations.md",
        "; ../commented-out.md",
        "../../secret.txt",
        "--8<--",
        "```",
        '--8<-- "sub"',
        "```",
    ])
    found = messages(inputs.snippet_problems(text, path="docs/p.md", bases=[base], first_line=1))
    assert [f.split(" -> ")[0] for f in found] == [
        "docs/p.md:5: snippet '../mkdocs.yml' is outside includes/",
        "docs/p.md:6: snippet '/etc/passwd' is an absolute path",
        "docs/p.md:7: snippet '../includes-evil/x.md' is outside includes/",
        "docs/p.md:8: snippet 'missing.md' is not a file in includes/",
        "docs/p.md:9: snippet 'https://example.org/x.md' is a URL: snippets cannot download",
        "docs/p.md:13: snippet '../../secret.txt' is outside includes/",
        "docs/p.md:16: snippet 'sub' is not a file in includes/",
    ]


# ---------------------------------------------------------------------------
# The blog's .authors.yml
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("text,expect", [
    ("authors:\n  team:\n    name: Team\n    description: Us\n    avatar: team.svg\n", None),
    ("authors:\n  team:\n    name: Team\n    description: Us\n", "a.yml:2: author 'team': 'avatar' must be text"),
    ("authors:\n  team:\n    name: <b>Team</b>\n    description: Us\n    avatar: t.svg\n",
     "a.yml:3: field 'team.name': '<b>Team</b>' contains markup"),
    ('authors:\n  team:\n    name: Team\n    description: Us\n    avatar: t.svg\n    url: "javascript:alert(1)"\n',
     "a.yml:6: field 'team.url': script URL"),
    ("authors:\n  team:\n    name: 'a\" onerror=\"x'\n    description: Us\n    avatar: t.svg\n",
     "a.yml:3: author 'team': the name contains '\"'"),
    ("authors:\n  team:\n    name: Team\n    description: Us\n    avatar: t.svg\n    emial: x\n",
     "a.yml:6: author 'team': unknown field 'emial'"),
    ("- team\n", "a.yml:1: must hold one 'authors:' mapping"),
    ("authors:\n  team:\n    name: Team\n  team:\n    name: Two\n", "a.yml:4: field 'team' appears twice"),
])
def test_authors_file_is_checked(tmp_path, text, expect):
    path = tmp_path / ".authors.yml"
    path.write_text(text, encoding="utf-8")
    found = messages(inputs.check_authors(path, display="a.yml"))
    if expect is None:
        assert found == []
    else:
        assert found and found[0].startswith(expect), found


def test_a_yaml_file_is_parsed_once_until_it_changes(tmp_path, monkeypatch):
    from tpguide import inputs

    calls = []
    real = inputs.parse_yaml
    monkeypatch.setattr(inputs, "parse_yaml", lambda text, **kw: calls.append(kw["path"]) or real(text, **kw))
    path = tmp_path / "a.yml"
    path.write_text("a: 1\n", encoding="utf-8")
    first, problems = inputs.load_yaml(path, display="evidence/a.yml")
    problems.append("changed by a caller")
    second, again = inputs.load_yaml(path, display="evidence/a.yml")
    assert calls == ["evidence/a.yml"] and second is first and again == []
    path.write_text("a: 2\n", encoding="utf-8")
    assert inputs.load_yaml(path, display="evidence/a.yml")[0].data == {"a": 2}
    assert calls == ["evidence/a.yml", "evidence/a.yml"]
    bad = tmp_path / "b.yml"
    bad.write_text("a: [1\n", encoding="utf-8")
    assert inputs.load_yaml(bad, display="b.yml")[1] == inputs.load_yaml(bad, display="b.yml")[1] != []
