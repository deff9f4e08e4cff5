"""How long each patient page is on a phone, and how far down its first practical help starts.

Measured in Chromium at 390 x 844 CSS pixels (a common phone), with every disclosure closed, as
a reader first sees the page. One "screen" is 844 px of page height. Used by a browser test
(tests/browser/test_page_length.py) and by ``make bench`` (``python -m tpguide.pagelength``).

- first practical element: the "Your next step" box, or the "What you can do" section, whichever
  comes first; it must start within 2 screens on every patient page.
- practical steps: the "What you can do" section itself (its heading), on region guides and
  self-care; it must start within 3 screens.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

VIEWPORT = {"width": 390, "height": 844}
SCREEN = VIEWPORT["height"]
FIRST_PRACTICAL_SCREENS = 2
PRACTICAL_STEPS_SCREENS = 3

# Page (site URL, "" for home) -> screen budget. Targets of issue 22.
HOME_BUDGET, OPTIONS_BUDGET, PAGE_BUDGET = 8, 15, 12
STEPS_PAGES = ("regions/", "self-care/")  # prefixes of the pages whose practical steps must be near the top

_MEASURE_JS = """() => {
  const top = (el) => el ? Math.round(el.getBoundingClientRect().top + window.scrollY) : null;
  const next = [...document.querySelectorAll('.md-content .admonition')].find(
      (a) => (a.querySelector('.admonition-title') || {}).textContent === 'Your next step');
  const steps = document.querySelector('.md-content #what-you-can-do');
  const tops = [top(next), top(steps)].filter((t) => t !== null);
  const article = document.querySelector('.md-content article') || document.body;
  return {
    height: document.documentElement.scrollHeight,
    first: tops.length ? Math.min(...tops) : null,
    steps: top(steps),
    words: (article.innerText.match(/\\S+/g) || []).length,
    overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
  };
}"""


@dataclass(frozen=True)
class Length:
    url: str
    height: int  # CSS px
    first: int | None  # top of the first practical element
    steps: int | None  # top of the "What you can do" section
    words: int  # words a reader sees or can open (innerText: closed disclosures count their summary only)

    @property
    def screens(self) -> float:
        return self.height / SCREEN

    @property
    def budget(self) -> int:
        return HOME_BUDGET if self.url == "" else OPTIONS_BUDGET if self.url == "options/" else PAGE_BUDGET

    def problems(self) -> list[str]:
        out = []
        name = "/" + self.url
        if self.screens > self.budget:
            out.append(f"{name}: {self.screens:.1f} screens (budget {self.budget})")
        if self.first is None:
            out.append(f"{name}: no 'Your next step' box or 'What you can do' section")
        elif self.first > FIRST_PRACTICAL_SCREENS * SCREEN:
            out.append(f"{name}: first practical element at {self.first} px (screen {self.first / SCREEN + 1:.1f}; "
                       f"must be within {FIRST_PRACTICAL_SCREENS})")
        if self.url.startswith(STEPS_PAGES) and self.url != "regions/":
            if self.steps is None:
                out.append(f"{name}: no 'What you can do' section (id what-you-can-do)")
            elif self.steps > PRACTICAL_STEPS_SCREENS * SCREEN:
                out.append(f"{name}: 'What you can do' starts at {self.steps} px (must be within "
                           f"{PRACTICAL_STEPS_SCREENS} screens)")
        return out


# Site URLs of the patient pages of a built site: articles whose front matter says audience patient.
def patient_urls(docs_dir: Path) -> list[str]:
    from .quality import article_paths, split_front_matter

    out = []
    for path in article_paths(docs_dir):
        meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
        rel = path.relative_to(docs_dir).with_suffix("").as_posix()
        if meta.get("audience") == "patient" or rel == "index":
            url = "" if rel == "index" else (rel[: -len("index")] if rel.endswith("/index") else rel + "/")
            out.append(url)
    return sorted(out)


def measure(page, base_url: str, url: str) -> Length:
    page.goto(base_url + url, wait_until="load")
    data = page.evaluate(_MEASURE_JS)
    return Length(url=url, height=data["height"], first=data["first"], steps=data["steps"], words=data["words"])


def measure_site(browser, base_url: str, urls, *, color_scheme: str = "light") -> list[Length]:
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  color_scheme=color_scheme, reduced_motion="reduce")
    try:
        page = context.new_page()
        return [measure(page, base_url, url) for url in urls]
    finally:
        context.close()


def table(lengths: list[Length]) -> str:
    lines = [f"{'page':<40} {'screens':>7} {'budget':>6} {'first practical':>15} {'steps at':>8} {'words':>6}"]
    for n in lengths:
        first = f"{n.first / SCREEN:.1f} scr" if n.first is not None else "-"
        steps = f"{n.steps / SCREEN:.1f} scr" if n.steps is not None else "-"
        lines.append(f"{'/' + n.url:<40} {n.screens:>7.1f} {n.budget:>6} {first:>15} {steps:>8} {n.words:>6}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from .audit import CHROMIUM, CHROMIUM_ARGS, serve

    args = argv if argv is not None else sys.argv[1:]
    site_dir = Path(args[0] if args else "site")
    docs_dir = Path(args[1] if len(args) > 1 else "docs")
    urls = patient_urls(docs_dir)
    with serve(site_dir) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            lengths = measure_site(browser, base, urls)
        finally:
            browser.close()
    print(f"Page length at {VIEWPORT['width']} x {VIEWPORT['height']} px, disclosures closed "
          f"(1 screen = {SCREEN} px; first practical element within {FIRST_PRACTICAL_SCREENS} screens):")
    print(table(lengths))
    problems = [p for n in lengths for p in n.problems()]
    print(f"{len(problems)} page(s) over a target" + ("".join(f"\n  {p}" for p in problems) if problems else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
