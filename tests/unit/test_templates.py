"""Template overrides that copy one of Material's partials, or redo what its bundle does, must
stay in step with Material."""

import re
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[2]
MATERIAL = Path(material.__file__).parent / "templates"
BUNDLE = next((MATERIAL / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
PALETTE_CSS = next((MATERIAL / "assets" / "stylesheets").glob("palette.*.min.css")).read_text(encoding="utf-8")


def _without_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}\s*", "", text, flags=re.S).strip()


def _inline_scripts(path: Path) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", path.read_text(encoding="utf-8"), re.S)


# overrides/partials/palette.html = Material's palette form with our marker instead of Material's
# component name (so the bundle does not mount its palette). Otherwise byte for byte Material's:
# when an update changes the partial, this fails and the override is redone from the new one.
def test_palette_form_is_materials_with_our_marker():
    ours = _without_comments((ROOT / "overrides" / "partials" / "palette.html").read_text(encoding="utf-8"))
    theirs = _without_comments((MATERIAL / "partials" / "palette.html").read_text(encoding="utf-8"))
    assert 'data-md-component="palette"' in theirs
    assert ours == theirs.replace('data-md-component="palette"', "data-tpg-palette")


# Our palette script keeps Material's stored choice and body attributes, and the switching mark
# that Material's CSS reads (transitions off while the colours change).
def test_palette_script_uses_materials_storage_attributes_and_switching_mark():
    (script,) = _inline_scripts(ROOT / "overrides" / "partials" / "javascripts" / "palette.html")
    assert '__md_get("__palette")' in script and '__md_set("__palette"' in script
    assert '"data-md-color-" + key' in script and '"data-md-color-switching"' in script
    assert "[data-md-color-switching] *" in PALETTE_CSS
    assert '"__palette"' in BUNDLE, "Material still stores the palette choice under the same key"


# overrides/main.html makes relative URLs absolute before the bundle, with the rule of Material's
# instant navigation (resolve()): same selector, same test for "already absolute". If Material
# changes its rule, ours must change with it or the bundle would set every link again.
def test_early_url_resolve_uses_materials_rule():
    (script,) = [s for s in _inline_scripts(ROOT / "overrides" / "main.html") if "[href], [src]" in s]
    rule = r"/^(?:[a-z]+:)?\/\//i"
    assert '"[href], [src]"' in script and rule in script
    assert '"[href], [src]"' in BUNDLE and rule in BUNDLE
    assert re.search(r"(\w)\[(\w)\]=\1\[\2\]", BUNDLE), "Material's self-assignment that resolves a URL"


# overrides/main.html switches no-js -> js and sets the focus-visible marker in <head>; the bundle
# must still be the one that expects them (else the early switch would be pointless).
def test_material_bundle_still_sets_the_classes_we_set_early():
    assert '"no-js"' in BUNDLE and "js-focus-visible" in BUNDLE


# search-on-demand.js holds back what the bundle uses to load search: an XMLHttpRequest for the
# index and a Worker for the search worker, named as the script expects. Should Material fetch
# them another way, this fails (and the browser test finds the index loaded on every page).
def test_search_on_demand_matches_how_the_bundle_loads_search():
    script = (ROOT / "docs" / "assets" / "javascripts" / "search-on-demand.js").read_text(encoding="utf-8")
    assert 'new URL("search/search_index.json",' in BUNDLE and "new XMLHttpRequest" in BUNDLE
    assert "fetch(" not in BUNDLE
    assert re.search(r"function \w+\(e,t=new Worker\(e\)\)", BUNDLE), "the worker is made with new Worker(url)"
    worker = next((MATERIAL / "assets" / "javascripts" / "workers").glob("search.*.min.js")).name
    assert re.search(r"/workers/search\.[^/]*\.js$", "/assets/javascripts/workers/" + worker)
    assert r"/\/search\/search_index\.json$/" in script and r"/\/workers\/search\.[^/]*\.js$/" in script
