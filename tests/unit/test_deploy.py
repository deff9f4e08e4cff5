"""Publishing logic on strings and small folders: cache policy, fingerprints, sitemap, configs."""

import datetime as dt
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import ROOT
from tpguide import deploy, security
from tpguide.errors import ContentError

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


# ---------------------------------------------------------------------------
# Cache policy
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("path,expected", [
    ("assets/javascripts/bundle.a5f9d56c.min.js", deploy.IMMUTABLE),
    ("assets/javascripts/bundle.a5f9d56c.min.js.map", deploy.IMMUTABLE),
    ("assets/stylesheets/main.57a0d79d.min.css", deploy.IMMUTABLE),
    ("assets/stylesheets/site.0123abcd.css", deploy.IMMUTABLE),
    ("assets/javascripts/vendor/plotly-tpg.0123abcd.min.js", deploy.IMMUTABLE),
    ("index.html", deploy.REVALIDATE),
    ("treatments/", deploy.REVALIDATE),
    ("404.html", deploy.REVALIDATE),
    ("assets/stylesheets/site.css", deploy.REVALIDATE),
    ("assets/javascripts/lunr/min/lunr.de.min.js", deploy.REVALIDATE),
    ("search/search_index.json", deploy.REVALIDATE),
    ("sitemap.xml", deploy.REVALIDATE),
    ("handout.20261126.pdf", deploy.REVALIDATE),  # a date is not a fingerprint
    ("assets/site.0123ABCD.css", deploy.REVALIDATE),
])
def test_cache_control_per_file_type(path, expected):
    assert deploy.cache_control(path) == expected


def test_immutable_is_long_and_html_is_revalidated():
    assert "max-age=31536000" in deploy.IMMUTABLE and "immutable" in deploy.IMMUTABLE
    assert "max-age=0" in deploy.REVALIDATE and "must-revalidate" in deploy.REVALIDATE


# ---------------------------------------------------------------------------
# Fingerprinting
# ---------------------------------------------------------------------------


def test_fingerprinted_name_uses_content_hash_like_material():
    digest = hashlib.sha256(b"body{}").hexdigest()[:8]
    assert deploy.fingerprinted_name("assets/stylesheets/site.css", b"body{}") == f"assets/stylesheets/site.{digest}.css"
    assert deploy.fingerprinted_name("a/plotly-tpg.min.js", b"body{}") == f"a/plotly-tpg.{digest}.min.js"
    assert deploy.is_fingerprinted(deploy.fingerprinted_name("a/x.mjs", b""))


def test_fingerprint_files_renames_leaves_first_and_rewrites_references(tmp_path):
    (tmp_path / "a" / "vendor").mkdir(parents=True)
    (tmp_path / "a" / "vendor" / "lib.min.js").write_text("LIB")
    (tmp_path / "a" / "loader.js").write_text('var u = new URL("vendor/lib.min.js", s); var v = "./vendor/lib.min.js?v=1";')
    (tmp_path / "a" / "site.css").write_text("x{background:url(vendor/lib.min.js)}")
    (tmp_path / "a" / "bundle.a5f9d56c.min.js").write_text("MATERIAL")
    renames = deploy.fingerprint_files(
        tmp_path, ["a/vendor/lib.min.js", "a/loader.js", "a/site.css", "a/bundle.a5f9d56c.min.js", "a/missing.js"]
    )
    assert set(renames) == {"a/vendor/lib.min.js", "a/loader.js", "a/site.css"}
    lib = renames["a/vendor/lib.min.js"]
    assert (tmp_path / lib).read_text() == "LIB" and not (tmp_path / "a/vendor/lib.min.js").exists()
    loader = (tmp_path / renames["a/loader.js"]).read_text()
    rel = lib.removeprefix("a/")
    assert loader == f'var u = new URL("{rel}", s); var v = "./{rel}?v=1";'
    assert renames["a/loader.js"] == deploy.fingerprinted_name("a/loader.js", loader.encode())
    assert (tmp_path / renames["a/site.css"]).read_text() == f"x{{background:url({rel})}}"
    assert (tmp_path / "a/bundle.a5f9d56c.min.js").read_text() == "MATERIAL"


def test_rewrite_asset_urls_relative_absolute_and_untouched():
    renames = {"assets/site.css": "assets/site.0123abcd.css", "assets/js/app.js": "assets/js/app.89abcdef.js"}
    html = (
        '<link rel="stylesheet" href="../../assets/site.css">'
        '<script src="../../assets/js/app.js?v=2"></script>'
        '<a href="https://example.org/assets/site.css">x</a>'
        '<a href="../../assets/site.css.txt">y</a>'
        '<div data-tpg-src="../../assets/js/app.js"></div>'
    )
    out = deploy.rewrite_asset_urls(html, "sub/page/index.html", renames)
    assert '<link rel="stylesheet" href="../../assets/site.0123abcd.css">' in out
    assert '<script src="../../assets/js/app.89abcdef.js?v=2">' in out
    assert 'href="https://example.org/assets/site.css"' in out
    assert 'href="../../assets/site.css.txt"' in out
    assert 'data-tpg-src="../../assets/js/app.89abcdef.js"' in out
    page404 = '<link href="/guide/assets/site.css"><link href="/assets/site.css">'
    out404 = deploy.rewrite_asset_urls(page404, "404.html", renames, base_path="/guide/")
    assert out404 == '<link href="/guide/assets/site.0123abcd.css"><link href="/assets/site.css">'


# ---------------------------------------------------------------------------
# Sitemap and robots.txt
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("meta,expected", [
    ({"last_reviewed": dt.date(2026, 1, 10)}, "2026-01-10"),
    ({"last_reviewed": "2025-12-01"}, "2025-12-01"),
    ({"last_reviewed": dt.datetime(2025, 3, 4, 10, 0)}, "2025-03-04"),
    ({"last_reviewed": "soon"}, None),
    ({}, None),
])
def test_sitemap_lastmod_comes_from_last_reviewed(meta, expected):
    assert deploy.sitemap_lastmod(meta) == expected


def test_sitemap_xml():
    xml = deploy.sitemap_xml([
        deploy.SitemapEntry("https://example.org/a/", "2026-01-10"),
        deploy.SitemapEntry("https://example.org/b/?x=1&y=2"),
    ])
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    assert "<loc>https://example.org/a/</loc>\n    <lastmod>2026-01-10</lastmod>" in xml
    assert "<loc>https://example.org/b/?x=1&amp;y=2</loc>\n  </url>" in xml
    assert xml.count("<lastmod>") == 1


def test_robots_txt_points_to_the_sitemap():
    assert deploy.robots_txt("https://example.org/guide/") == (
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/guide/sitemap.xml\n"
    )
    assert "Sitemap" not in deploy.robots_txt(None)
    assert deploy.base_path("https://example.org/guide") == "/guide/"
    assert deploy.base_path(None) == "/"


# ---------------------------------------------------------------------------
# _headers and nginx
# ---------------------------------------------------------------------------


def test_headers_file_security_on_all_paths_and_immutable_per_fingerprinted_file():
    text = deploy.headers_file(["sha256-x"], ["assets/b.0123abcd.js", "assets/a.89abcdef.css"])
    blocks = {b.splitlines()[0]: b.splitlines()[1:] for b in re.split(r"\n\n", text.split("\n", 2)[2])}
    assert list(blocks) == ["/*", "/assets/a.89abcdef.css", "/assets/b.0123abcd.js"]
    expected = [f"  {k}: {v}" for k, v in security.security_headers(["sha256-x"]).items()]
    assert blocks["/*"] == expected
    assert not any("Cache-Control" in line for line in blocks["/*"]), "would be merged into the asset rules"
    for path in ("/assets/a.89abcdef.css", "/assets/b.0123abcd.js"):
        assert blocks[path] == [f"  Cache-Control: {deploy.IMMUTABLE}"]


def test_committed_nginx_conf_is_the_generated_one():
    assert deploy.COMMITTED_NGINX_CONF == ROOT / "deploy" / "nginx.conf"
    assert deploy.COMMITTED_NGINX_CONF.read_text(encoding="utf-8") == deploy.nginx_server_conf(), (
        "deploy/nginx.conf is out of date: run 'make deploy-config'"
    )


def test_nginx_conf_sends_every_security_header_and_the_cache_map():
    conf = deploy.nginx_server_conf()
    for name, value in security.security_headers().items():
        if name == "Content-Security-Policy":
            assert "add_header Content-Security-Policy $tpguide_csp always;" in conf
        else:
            assert f'add_header {name} "{value}" always;' in conf
    assert f'"~{deploy.FINGERPRINTED_RE.pattern}" "{deploy.IMMUTABLE}";' in conf
    assert f'default "{deploy.REVALIDATE}";' in conf
    for directive in ("gzip on;", "autoindex off;", "error_page 404 /404.html;", f"include {deploy.CONTAINER_CSP_CONF};"):
        assert directive in conf


def test_nginx_csp_conf_holds_the_header_policy():
    conf = deploy.nginx_csp_conf(["sha256-x"])
    assert f'default "{security.content_security_policy(["sha256-x"])}";' in conf


def test_dockerfile_uses_the_generated_paths():
    text = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    copies = dict(re.findall(r"^COPY (\S+) (\S+)$", text, re.M))
    assert copies["deploy/nginx.conf"] == "/etc/nginx/conf.d/default.conf"
    assert copies[f"{deploy.DEFAULT_DEPLOY_DIR}/{deploy.CSP_CONF_NAME}"] == deploy.CONTAINER_CSP_CONF
    assert copies["site/"].rstrip("/") == deploy.CONTAINER_ROOT
    assert f"EXPOSE {deploy.CONTAINER_LISTEN}" in text
    ignore = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for source in copies:
        assert "!" + source in ignore


# ---------------------------------------------------------------------------
# GitHub Actions workflow
# ---------------------------------------------------------------------------


def test_workflows_are_valid_github_workflow_yaml():
    assert WORKFLOWS, "no workflow in .github/workflows"
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(tool), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_tests_everything_deploys_main_and_uploads_pull_requests():
    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "site.yml").read_text(encoding="utf-8"))
    triggers = flow[True] if True in flow else flow["on"]  # YAML 1.1 reads the key `on` as True
    assert "push" in triggers and "pull_request" in triggers
    steps = flow["jobs"]["test"]["steps"]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "make test" in runs
    uses = {s.get("uses", "").split("@")[0]: s for s in steps}
    assert "pull_request" in uses["actions/upload-artifact"]["if"]
    assert "refs/heads/main" in uses["actions/upload-pages-artifact"]["if"]
    assert uses["actions/upload-pages-artifact"]["with"]["path"].rstrip("/") == "site"
    deploy_job = flow["jobs"]["deploy"]
    assert deploy_job["needs"] == "test" and "refs/heads/main" in deploy_job["if"]
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy_job["steps"][-1]["uses"].startswith("actions/deploy-pages@")


# ---------------------------------------------------------------------------
# Per-page hook logic
# ---------------------------------------------------------------------------


def test_page_output_adds_meta_and_records_sitemap_entry_but_not_under_serve(tmp_path):
    from types import SimpleNamespace

    page = SimpleNamespace(canonical_url="https://example.org/a/", meta={"last_reviewed": dt.date(2026, 2, 3)})
    html = '<html><head><meta charset="utf-8"><script>ours(1)</script></head></html>'
    allowed = {security.script_hash("ours(1)")}
    state = deploy.DeployState(deploy_dir=tmp_path, allowed_scripts=allowed)
    out = deploy.page_output(state, html, page)
    assert security.csp_meta_policy(out) == security.content_security_policy(allowed, for_meta=True)
    assert state.sitemap == [deploy.SitemapEntry("https://example.org/a/", "2026-02-03")]
    serving = deploy.DeployState(deploy_dir=tmp_path, csp_meta=False, allowed_scripts=allowed)
    assert deploy.page_output(serving, html, page) == html


# An inline script no template writes is never hashed into the policy: the page is refused,
# by name, also under `mkdocs serve`.
@pytest.mark.parametrize("serving", [False, True])
def test_page_output_refuses_an_inline_script_that_is_not_allowed(tmp_path, serving):
    from types import SimpleNamespace

    page = SimpleNamespace(canonical_url=None, meta={})
    html = '<html><head><meta charset="utf-8"><script>ours(1)</script></head><body><script>alert(1)</script></body></html>'
    state = deploy.DeployState(deploy_dir=tmp_path, csp_meta=not serving, allowed_scripts={security.script_hash("ours(1)")})
    with pytest.raises(ContentError) as exc:
        deploy.page_output(state, html, page, path="docs/bad.md")
    assert str(exc.value).startswith("docs/bad.md: the built page has 1 inline script(s) that no template")


def test_site_csp_refuses_a_written_file_with_an_unknown_script(tmp_path):
    site = tmp_path / "site"
    (site / "old").mkdir(parents=True)
    (site / "index.html").write_text("<html><head></head><script>ours()</script></html>", encoding="utf-8")
    (site / "old" / "index.html").write_text("<html><head></head><script>evil()</script></html>", encoding="utf-8")
    with pytest.raises(ContentError, match=r"^site/old/index.html: the built page has 1 inline script"):
        deploy.apply_site_csp(site, {}, allowed={security.script_hash("ours()")})
    assert "Content-Security-Policy" not in (site / "index.html").read_text(encoding="utf-8"), "nothing written"


def test_discard_site_removes_the_folder_and_only_when_it_exists(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("x", encoding="utf-8")
    assert deploy.discard_site(site) is True
    assert not site.exists()
    assert deploy.discard_site(site) is False
    assert deploy.discard_site(None) is False


# Our stylesheets ship without their comments (a quarter of site.css), and nothing else changes:
# strings keep a "/*", a licence comment stays, a comment between two words still parts them.
def test_css_comments_are_dropped_and_nothing_else():
    from tpguide.deploy import strip_css_comments

    css = 'a{b:1} /* why */\n/* two\n lines */\nc{content:"/* kept */"} /*! licence */\nd{margin:0/**/auto}\n'
    assert strip_css_comments(css) == 'a{b:1}\nc{content:"/* kept */"} /*! licence */\nd{margin:0 auto}\n'
    assert strip_css_comments("e{content:'it\\'s /* no'}/*x*/f{}") == "e{content:'it\\'s /* no'} f{}"


def test_fingerprinting_drops_comments_from_our_css_only(tmp_path):
    (tmp_path / "site.css").write_text("a{b:1} /* a note */\n", encoding="utf-8")
    (tmp_path / "vendor.min.css").write_text("a{b:1}/* kept */", encoding="utf-8")
    renames = deploy.fingerprint_files(tmp_path, ["site.css", "vendor.min.css"])
    assert (tmp_path / renames["site.css"]).read_text(encoding="utf-8") == "a{b:1}\n"
    assert (tmp_path / renames["vendor.min.css"]).read_text(encoding="utf-8") == "a{b:1}/* kept */"
