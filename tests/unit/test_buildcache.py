"""What a build keeps for the next one (tpguide.buildcache): compiled templates and QR codes."""

import json

import jinja2
import pytest

from tpguide import buildcache, share


@pytest.fixture
def cache(monkeypatch, tmp_path):
    monkeypatch.setenv("TPG_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _env(templates: dict) -> jinja2.Environment:
    return buildcache.keep_compiled_templates(jinja2.Environment(loader=jinja2.DictLoader(templates)))


# A second environment (the next build, or the inline-script scan of the same build) loads the
# compiled template instead of compiling it; a changed template is compiled again.
def test_a_compiled_template_is_kept_for_the_next_environment(cache, monkeypatch):
    assert _env({"t.html": "Hello {{ name }}"}).get_template("t.html").render(name="a") == "Hello a"
    assert list((cache / buildcache.TEMPLATES_FOLDER).iterdir())
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, *a, **k: compiled.append(a) or original(self, *a, **k))
    assert _env({"t.html": "Hello {{ name }}"}).get_template("t.html").render(name="b") == "Hello b"
    assert not compiled
    assert _env({"t.html": "Bye {{ name }}"}).get_template("t.html").render(name="c") == "Bye c"
    assert len(compiled) == 1


def test_without_a_writable_cache_folder_templates_are_compiled_as_usual(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("TPG_CACHE_DIR", str(tmp_path / "file" / "below"))
    env = _env({"t.html": "ok"})
    assert env.bytecode_cache is None and env.get_template("t.html").render() == "ok"


def _kept(made: list, valid=lambda key, value: value == key.upper()):
    return buildcache.KeptStrings("test", "v1", lambda key: made.append(key) or key.upper(), valid)


def test_kept_strings_are_made_once_and_read_back_by_the_next_process(cache):
    made = []
    first = _kept(made)
    assert first("a") == "A" and first("a") == "A" and made == ["a"]
    first.save()
    assert not list(first.file.parent.glob("*.tmp"))
    second = _kept(made)
    assert second("a") == "A" and made == ["a"], "read from the file, not made again"
    assert _kept(made) and buildcache.KeptStrings("test", "v2", str.upper, lambda k, v: True).values == {}, \
        "another version reads nothing"


def test_a_value_that_is_not_valid_or_a_broken_file_is_made_again(cache):
    made = []
    kept = _kept(made)
    kept("a")
    kept.save()
    kept.file.write_text(json.dumps({"a": "<script>alert(1)</script>"}), encoding="utf-8")
    assert _kept(made)("a") == "A" and made == ["a", "a"]
    for broken in ("{not json", "[]", '{"a": 3}', ""):
        kept.file.write_text(broken, encoding="utf-8")
        assert _kept(made)("a") == "A"
    assert made == ["a"] * 6


def test_kept_strings_without_a_cache_folder_are_made_each_time(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    monkeypatch.setenv("TPG_CACHE_DIR", str(tmp_path / "file" / "below"))
    made = []
    kept = _kept(made)
    assert kept.file is None and kept("a") == "A"
    kept.save()


# A kept QR code is used only when it is exactly what share.qr_svg writes for its URL.
def test_a_kept_qr_code_must_be_the_code_of_its_url():
    url = "https://example.org/a/?b=1&c=2"
    svg = share.qr_svg(url)
    assert buildcache._valid_qr(url, svg)
    assert not buildcache._valid_qr("https://example.org/other/", svg)
    for tampered in (svg.replace('d="', 'onload="alert(1)" d="'), svg.replace("</svg>", "<script>x</script></svg>"),
                     svg.replace('d="M', 'd="javascript:M'), svg + " ", svg.replace("tpg-qr", "other")):
        assert not buildcache._valid_qr(url, tampered)


def test_the_qr_codes_of_a_build_are_share_qr_svg(cache, monkeypatch):
    monkeypatch.setattr(buildcache, "_QR", {})
    url = "https://example.org/page/"
    assert buildcache.qr_codes()(url) == share.qr_svg(url)
    buildcache.qr_codes().save()
    monkeypatch.setattr(buildcache, "_QR", {})
    monkeypatch.setattr(share, "qr_svg", lambda url, **kw: pytest.fail("made again"))
    assert buildcache.qr_codes()(url).startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
