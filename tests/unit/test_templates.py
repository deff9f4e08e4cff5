"""Template overrides that copy one of Material's partials must stay in step with it."""

import re
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[2]
MATERIAL = Path(material.__file__).parent / "templates"


def _script(path: Path) -> str:
    return re.search(r"<script>.*?</script>", path.read_text(encoding="utf-8"), re.S).group(0)


# overrides/partials/javascripts/palette.html = Material's script + the first-visit lookup + the
# switching mark. Without those two additions it must be Material's script, byte for byte: when
# a Material update changes its script, this fails and the override is redone from the new one.
def test_palette_script_is_materials_plus_two_additions():
    ours = _script(ROOT / "overrides" / "partials" / "javascripts" / "palette.html")
    theirs = _script(MATERIAL / "partials" / "javascripts" / "palette.html")
    first_visit = re.search(r"if\(!\(palette&&palette\.color\)\)\{.*?\}\}\}", ours).group(0)
    switching = 'document.body.setAttribute("data-md-color-switching","");'
    assert first_visit and switching in ours
    assert ours.replace(first_visit, "", 1).replace(switching, "", 1) == theirs


# The bundle must still be the one that reads the switching mark we set (see the override).
def test_material_bundle_still_uses_the_switching_mark_and_the_classes_we_set_early():
    bundle = next((MATERIAL / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    assert "data-md-color-switching" in bundle
    assert '"no-js"' in bundle and "js-focus-visible" in bundle
