"""The security headers and the CSP, defined once in tpguide.security."""

import re

from support import ROOT
from tpguide import security

PAGE = """<!doctype html>
<html><head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<script>__md_scope=new URL(".",location)</script>
<script type="application/ld+json">{"@type": "MedicalWebPage"}</script>
</head><body>
<script id="__config" type="application/json">{"base": "."}</script>
<script src="assets/javascripts/bundle.a5f9d56c.min.js"></script>
<script type="module">import "./x.js"</script>
<script>alert(1)</script>
</body></html>
"""


def directives(policy: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


def test_policy_is_strict_and_allows_what_material_and_plotly_need():
    policy = directives(security.content_security_policy())
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    everything = security.content_security_policy(["sha256-abc"])
    assert "unsafe-eval" not in everything
    assert "'unsafe-inline'" not in " ".join(directives(everything)["script-src"])
    assert "http" not in everything, "no third-party origin is allowed"


def test_script_hashes_join_script_src_sorted_and_deduplicated():
    policy = security.content_security_policy(["sha256-b", "sha256-a", "sha256-b"])
    assert directives(policy)["script-src"] == ["'self'", "'sha256-a'", "'sha256-b'"]


def test_meta_variant_drops_header_only_directives_and_otherwise_matches():
    hashes = ["sha256-x"]
    header = security.content_security_policy(hashes)
    meta = security.content_security_policy(hashes, for_meta=True)
    assert "frame-ancestors" not in meta
    assert header == meta + "; frame-ancestors 'none'"


def test_header_set_is_complete():
    headers = security.security_headers(["sha256-x"])
    assert headers["Content-Security-Policy"] == security.content_security_policy(["sha256-x"])
    assert headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    features = dict(item.split("=") for item in headers["Permissions-Policy"].split(", "))
    for feature in ("camera", "microphone", "geolocation"):
        assert features[feature] == "()"


def test_script_hash_is_the_csp_sha256_of_the_exact_text():
    # Known value: the CSP hash of the script text "alert(1)".
    assert security.script_hash("alert(1)") == "sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI="


def test_only_executable_inline_scripts_are_hashed():
    hashes = security.inline_script_hashes(PAGE)
    assert hashes == {
        security.script_hash('__md_scope=new URL(".",location)'),
        security.script_hash('import "./x.js"'),
        security.script_hash("alert(1)"),
    }


def test_meta_tag_goes_right_after_charset_before_any_script():
    policy = security.content_security_policy(["sha256-x"], for_meta=True)
    out = security.set_csp_meta(PAGE, policy)
    head = out.split("</head>")[0]
    assert re.search(r'<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy"', head)
    assert head.index("Content-Security-Policy") < head.index("<script")
    assert security.csp_meta_policy(out) == policy
    assert out.count("http-equiv") == 1


def test_meta_tag_is_replaced_not_duplicated():
    once = security.set_csp_meta(PAGE, "default-src 'self'")
    twice = security.set_csp_meta(once, "default-src 'none'")
    assert twice.count("http-equiv") == 1
    assert security.csp_meta_policy(twice) == "default-src 'none'"


def test_meta_tag_escapes_its_content():
    tag = security.csp_meta_tag('a "b" <c> & d')
    assert tag == '<meta http-equiv="Content-Security-Policy" content="a &quot;b&quot; &lt;c&gt; &amp; d">'


# The allowed inline scripts come from the template sources, before any page is built: each of
# ours, Material's __md_scope for every folder depth and the error pages' path, and its tabs script.
def test_allowed_inline_scripts_are_the_templates_scripts_for_every_base_url():
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    env = config.theme.get_env()
    allowed = security.allowed_inline_scripts(env, config=config, base_urls=security.page_base_urls("https://x.org/sub/"))
    main = (ROOT / "overrides" / "main.html").read_text(encoding="utf-8")
    palette = (ROOT / "overrides" / "partials" / "javascripts" / "palette.html").read_text(encoding="utf-8")
    ours = security.inline_scripts(main) + security.inline_scripts(palette)
    assert len(ours) == 3
    assert {security.script_hash(body) for body in ours} <= allowed
    scope = security.inline_scripts(env.loader.get_source(env, "partials/javascripts/base.html")[0])[0]
    assert scope.startswith('__md_scope=new URL("{{ config.extra.scope | d(base_url) }}",location)')
    for base in (".", "..", "../../..", "/sub/"):
        assert security.script_hash(scope.replace("{{ config.extra.scope | d(base_url) }}", base)) in allowed
    assert security.script_hash("alert(1)") not in allowed
    # ours (3) + Material's tabs (2) + __md_scope for ".", 12 depths and "/sub/"
    assert len(allowed) == 3 + 2 + 1 + security.MAX_PAGE_DEPTH + 1


def test_redirect_scripts_are_only_made_for_plain_urls():
    assert security.redirect_script("../new-page/#part").startswith('var anchor=window.location.hash.substr(1);location.href="../new-page/#part"')
    assert security.redirect_script("https://example.org/a/") is not None
    for bad in ('x"+alert(1)+"', "javascript:alert(1)", "a b", "</script>"):
        assert security.redirect_script(bad) is None, bad
