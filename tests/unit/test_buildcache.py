"""What a build keeps for the next one (tpguide.buildcache): compiled templates and QR codes."""

import json
import os

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


# Jinja settles some things when it compiles (filters on literals, autoescaping): an environment set
# up differently never reads another's entries.
def test_an_environment_set_up_differently_compiles_its_own(cache):
    def env(autoescape, upper):
        e = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "{{ '<b>' | shout }}"}), autoescape=autoescape)
        e.filters["shout"] = (lambda s: s.upper()) if upper else (lambda s: s)
        return buildcache.keep_compiled_templates(e)

    assert env(False, True).get_template("t.html").render() == "<B>"
    assert env(True, True).get_template("t.html").render() == "&lt;B&gt;"
    assert env(False, True).get_template("t.html").render() == "<B>"
    assert len(list((cache / buildcache.TEMPLATES_FOLDER).iterdir())) == 2


# A damaged entry (half a file, junk after a valid header) is compiled again, and a folder that
# disappears while `make serve` runs does not stop the build.
def test_a_damaged_entry_or_a_failed_write_does_not_stop_the_build(cache):
    assert _env({"t.html": "ok {{ 1 + 1 }}"}).get_template("t.html").render() == "ok 2"
    (entry,) = (cache / buildcache.TEMPLATES_FOLDER).iterdir()
    data = entry.read_bytes()
    for damaged in (data[: len(data) // 2], data[:40] + b"junk" * 10, b""):
        entry.write_bytes(damaged)
        assert _env({"t.html": "ok {{ 1 + 1 }}"}).get_template("t.html").render() == "ok 2"
    env = _env({"u.html": "fine"})
    import shutil
    shutil.rmtree(cache / buildcache.TEMPLATES_FOLDER)
    assert env.get_template("u.html").render() == "fine"


# Cached templates are run as code: a cache folder that others may write to, or that belongs to
# someone else, is not used.
def test_a_cache_folder_others_can_write_to_is_not_used(cache):
    folder = cache / buildcache.TEMPLATES_FOLDER
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    assert _env({"t.html": "ok"}).bytecode_cache is None
    folder.chmod(0o700)
    assert _env({"t.html": "ok"}).bytecode_cache is not None
    folder.rmdir()
    folder.symlink_to(cache.parent)  # a link put in its place is not followed
    assert _env({"t.html": "ok"}).bytecode_cache is None


def test_a_cache_folder_of_another_user_is_not_used(cache, monkeypatch):
    cache.mkdir(parents=True)
    uid = os.stat(cache).st_uid
    monkeypatch.setattr(buildcache.os, "getuid", lambda: uid + 1)
    assert _env({"t.html": "ok"}).bytecode_cache is None


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
    # a save keeps the values this process used, not every value ever made
    second("b")
    second.save()
    assert json.loads(second.file.read_text(encoding="utf-8")) == {"a": "A", "b": "B"}
    third = _kept(made)
    third("c")
    third.save()
    assert json.loads(third.file.read_text(encoding="utf-8")) == {"c": "C"}


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


# A changed QR generator never reads the codes of the old one: the file name carries a probe code.
def test_a_changed_qr_generator_reads_no_old_codes(cache, monkeypatch):
    monkeypatch.setattr(buildcache, "_QR", {})
    url = "https://example.org/page/"
    buildcache.qr_codes()(url)
    buildcache.qr_codes().save()
    monkeypatch.setattr(buildcache, "_QR", {})
    original = share.qr_svg
    monkeypatch.setattr(share, "qr_svg", lambda url, **kw: original(url, scale=4))
    assert buildcache.qr_codes().values == {}
    assert buildcache.qr_codes()(url) == original(url, scale=4)


def test_the_qr_codes_of_a_build_are_share_qr_svg(cache, monkeypatch):
    monkeypatch.setattr(buildcache, "_QR", {})
    url = "https://example.org/page/"
    assert buildcache.qr_codes()(url) == share.qr_svg(url)
    buildcache.qr_codes().save()
    monkeypatch.setattr(buildcache, "_QR", {})
    made = []
    original = share.qr_svg
    monkeypatch.setattr(share, "qr_svg", lambda u, **kw: made.append(u) or original(u, **kw))
    assert buildcache.qr_codes()(url) == original(url)
    assert made == [buildcache.QR_PROBE_URL], "only the probe is made: the page's code is read back"
