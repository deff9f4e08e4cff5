"""What practitioners need to share a page: QR code, link-preview metadata, stable URLs."""

from __future__ import annotations

import html
import re
from pathlib import Path

import segno

# ---------------------------------------------------------------------------
# QR code
# ---------------------------------------------------------------------------


# The accessible name of the QR code of url (escaped for an attribute).
def qr_label(url: str) -> str:
    return html.escape(f"QR code that opens {url}", quote=True)


# An inline SVG QR code that opens url, made at build time (no external service).
def qr_svg(url: str, *, scale: int = 3) -> str:
    # A fixed mask pattern: every mask gives a valid code, and searching for the "best" one
    # costs ~13 ms per page (85% of the QR time on a 300-page build).
    qr = segno.make_qr(url, error="m", mask=1, boost_error=False)
    svg = qr.svg_inline(scale=scale, border=2, svgclass="tpg-qr", omitsize=False)
    label = qr_label(url)
    # give the image an accessible name and a viewBox so it scales in print
    size = re.search(r'width="(\d+)"', svg).group(1)
    svg = re.sub(r"<title>.*?</title>", "", svg)
    return svg.replace(
        '<svg ', f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" viewBox="0 0 {size} {size}" ', 1
    )


# ---------------------------------------------------------------------------
# Link previews
# ---------------------------------------------------------------------------


# Open Graph and Twitter card (property/name, content) pairs for a page.
def social_meta(*, site_name: str, title: str, description: str, url: str, is_article: bool) -> list[tuple[str, str, str]]:
    pairs = [
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:type", "article" if is_article else "website"),
        ("property", "og:locale", "en"),
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]
    return [(attr, key, value) for attr, key, value in pairs if value]


# ---------------------------------------------------------------------------
# Stable URLs
# ---------------------------------------------------------------------------


URL_LIST_HEADER = """\
# Every URL this site has published, one per line, relative to site_url.
# Practitioners print and share these: a URL listed here must keep resolving for ever.
# When a page moves, keep its old URL here and add a redirect (mkdocs.yml, plugins: redirects).
# New pages are added with `make urls` after a build; lines are never removed automatically.
"""


# Published URLs ("/", "/treatments/dry-needling/") from the list kept in the repository.
def read_url_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


# Add the built site's URLs that the list lacks; never remove one. Returns the added URLs.
def update_url_list(path: Path, site_dir: Path) -> list[str]:
    return _add_to_list(path, URL_LIST_HEADER, ("/" + u for u in built_urls(site_dir)))


# Append to a kept list (URLs, anchors) the items it lacks, under its header; never remove a line.
# Returns the added items.
def _add_to_list(path: Path, header: str, items) -> list[str]:
    known = read_url_list(path) if path.exists() else []
    seen = set(known)
    new = [i for i in dict.fromkeys(items) if i not in seen]
    path.write_text(header + "\n".join(known + new) + "\n", encoding="utf-8")
    return new


# Site-relative URLs of every HTML page in a built site (directory URLs), redirects excluded.
def built_urls(site_dir: Path) -> list[str]:
    urls = []
    for page in sorted(site_dir.rglob("index.html")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if 'http-equiv="refresh"' in text[:2000]:
            continue
        rel = page.parent.relative_to(site_dir).as_posix()
        urls.append("" if rel == "." else rel + "/")
    return urls


# True when a site-relative URL resolves in the built site (a page or a redirect page).
def resolves(site_dir: Path, url: str) -> bool:
    url = url.lstrip("/")
    target = site_dir / url
    return (target / "index.html").is_file() if url.endswith("/") or url == "" else target.is_file()


# ---------------------------------------------------------------------------
# Stable anchors: a section a practitioner links to keeps its address
# ---------------------------------------------------------------------------

ANCHOR_LIST_HEADER = """\
# Every section anchor this site has published (page URL#id), one per line, relative to site_url.
# Practitioners link to sections and to findings: an anchor listed here must keep working for ever.
# When you reword a heading, keep its old id: `## New words { #old-id }`.
# New anchors are added with `make urls` after a build; lines are never removed automatically.
"""

# Pages whose anchors are indexes made from other data (tag names, where each source is cited) or
# printed sheets: not sections anyone is promised.
_NO_ANCHOR_PAGES = ("tags/", "references/where-cited/", "handouts/")
_SECTION_ID_RE = re.compile(r'<h[23]\b[^>]*\sid="([^"]+)"')
_FINDING_ID_RE = re.compile(r'\sid="(f-[^"]+)"')
_REFRESH_TARGET_RE = re.compile(r'http-equiv="refresh" content="0; url=([^"]+)"')


# "/page/#id" for every h2 and h3 of every built page (and every finding's "#f-<id>" on the
# evidence map), in page order.
def built_anchors(site_dir: Path) -> list[str]:
    out = []
    for url in built_urls(site_dir):
        if url.startswith(_NO_ANCHOR_PAGES):
            continue
        text = (site_dir / url / "index.html").read_text(encoding="utf-8", errors="replace")
        ids = _SECTION_ID_RE.findall(text)
        if url == "evidence-map/":
            ids += _FINDING_ID_RE.findall(text)
        out += [f"/{url}#{i}" for i in dict.fromkeys(ids)]
    return out


# True when "/page/#id" finds an element with that id on the page, or on the page its redirect
# leads to (a moved page keeps its anchors).
def anchor_resolves(site_dir: Path, anchor: str) -> bool:
    url, _, frag = anchor.partition("#")
    page = site_dir / url.lstrip("/") / "index.html"
    for _ in range(3):
        if not page.is_file():
            return False
        text = page.read_text(encoding="utf-8", errors="replace")
        moved = _REFRESH_TARGET_RE.search(text[:2000])
        if not moved:
            return f' id="{html.escape(frag, quote=True)}"' in text
        target = (page.parent / moved.group(1).split("#")[0]).resolve()
        page = target if target.suffix == ".html" else target / "index.html"
    return False


# Add the built site's anchors that the list lacks; never remove one. Returns the added anchors.
def update_anchor_list(path: Path, site_dir: Path) -> list[str]:
    return _add_to_list(path, ANCHOR_LIST_HEADER, built_anchors(site_dir))


if __name__ == "__main__":
    import sys

    added = update_url_list(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(added)} new URL(s) added to {sys.argv[1]}" + "".join(f"\n  {u}" for u in added))
    if len(sys.argv) > 3:
        anchors = update_anchor_list(Path(sys.argv[3]), Path(sys.argv[2]))
        print(f"{len(anchors)} new anchor(s) added to {sys.argv[3]}" + "".join(f"\n  {a}" for a in anchors[:20])
              + (f"\n  ... and {len(anchors) - 20} more" if len(anchors) > 20 else ""))
