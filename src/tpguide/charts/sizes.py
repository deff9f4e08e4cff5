"""Byte figures of the chart bundle and of a built chart page (`make bench`, `make chart-figures`)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

DOCS_ASSETS = Path(__file__).resolve().parents[3] / "docs" / "assets"
BUNDLE_PATH = DOCS_ASSETS / "javascripts" / "vendor" / "plotly-tpg.min.js"
LOADER_PATH = DOCS_ASSETS / "javascripts" / "charts.js"


# ---------------------------------------------------------------------------
# Byte figures
# ---------------------------------------------------------------------------


# Bundle raw/gzip size, loader size and (given a built site) a chart page's total gzip transfer.
def byte_figures(site_dir: Path | str | None = None, page: str | None = None) -> dict[str, int | str]:
    out: dict[str, int | str] = {}
    bundle = BUNDLE_PATH.read_bytes()
    out["bundle_raw"] = len(bundle)
    out["bundle_gzip"] = _gz(bundle)
    loader = LOADER_PATH.read_bytes()
    out["loader_raw"] = len(loader)
    out["loader_gzip"] = _gz(loader)
    if site_dir is None:
        return out
    site = Path(site_dir)
    page_file = site / page / "index.html" if page else _first_chart_page(site)
    if page_file is None or not page_file.is_file():
        return out
    text = page_file.read_text(encoding="utf-8")
    total = _gz(page_file.read_bytes())
    seen = set()
    refs = re.findall(r'<(?:script[^>]+src|link[^>]+rel="stylesheet"[^>]+href|link[^>]+href)="([^"#?]+)', text)
    for ref in refs:
        if ref.startswith(("http:", "https:", "//", "data:")):
            continue
        target = (page_file.parent / ref).resolve()
        if target in seen or not target.is_file() or target.suffix not in (".js", ".css", ".svg"):
            continue
        seen.add(target)
        total += _gz(target.read_bytes())
    total += out["bundle_gzip"]  # loaded when the chart nears the viewport
    # (the search index is not counted: it loads only when the reader opens search)
    out["chart_page"] = str(page_file.relative_to(site))
    out["chart_page_gzip_total"] = total
    return out


def _first_chart_page(site: Path) -> Path | None:
    for path in sorted(site.rglob("index.html")):
        if 'data-tpg-chart="' in path.read_text(encoding="utf-8", errors="ignore"):
            return path
    return None


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))
