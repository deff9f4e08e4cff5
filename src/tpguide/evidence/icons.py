"""Icon arrays: chances drawn as 100 (or 1,000) small figures, for the decision aid (issue 23).

Each array is inline SVG with no script: a grid of squares, one per person, those the event
happened to drawn filled, the rest drawn as outlines, so the meaning never rests on colour; the
text alternative reads the numbers ("9 out of 100 people ... with the gel, 10 out of 100 with a
placebo gel"). Two arrays side by side compare an option with its comparison group.
"""

from __future__ import annotations

import html

CELL = 10  # px per square, including the gap
SIZE = 8


def half_up(value: float) -> int:  # 40.5 is 41 (Python's round would give 40)
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def _count(value: float, per: int = 100) -> int:
    return max(0, min(per, half_up(value)))


# One grid of `per` squares (100: 10 x 10; 1,000: 40 x 25), the first `n` filled.
def grid(n: int, per: int = 100, *, label: str, ident: str) -> str:
    if per not in (100, 1000):
        raise ValueError("per must be 100 or 1000")
    cols = 10 if per == 100 else 40
    rows = per // cols
    n = max(0, min(per, n))
    width, height = cols * CELL, rows * CELL
    cells = []
    for i in range(per):
        x, y = (i % cols) * CELL + 1, (i // cols) * CELL + 1
        if i < n:
            cells.append(f'<rect x="{x}" y="{y}" width="{SIZE}" height="{SIZE}" class="tpg-icons__hit"/>')
        else:
            cells.append(f'<rect x="{x + 0.5}" y="{y + 0.5}" width="{SIZE - 1}" height="{SIZE - 1}" class="tpg-icons__miss"/>')
    title = html.escape(label)
    return (f'<svg class="tpg-icons__grid" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'role="img" aria-labelledby="{ident}-t" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{ident}-t">{title}</title>{"".join(cells)}</svg>')


# An option beside its comparison group, as two grids with captions and one sentence that reads
# both numbers. Rates are percentages (per=100) or per 1,000 (per=1000), from the source; the
# event is a verb phrase ("had a side effect", "felt better overall").
def compare(*, event: str, option: str, option_rate: float, comparison: str, comparison_rate: float,
            per: int = 100, time_frame: str, ident: str) -> str:
    a, b = _count(option_rate, per), _count(comparison_rate, per)
    sentence = (f"Out of {per:,} people like those in the studies ({time_frame}): {a} {event} with "
                f"{option}, and {b} with {comparison}.")
    out = [f'<figure class="tpg-icons" id="{html.escape(ident)}">',
           f'<figcaption class="tpg-icons__caption">{html.escape(sentence)}</figcaption>',
           '<div class="tpg-icons__pair">']
    for name, n, suffix in ((option, a, "a"), (comparison, b, "b")):
        label = f"{n} out of {per:,} with {name}"
        out += ['<div class="tpg-icons__one">', grid(n, per, label=label, ident=f"{ident}-{suffix}"),
                f'<p class="tpg-icons__label"><strong>{n}</strong> out of {per:,}: {html.escape(name)}</p>', "</div>"]
    out += ["</div>",
            '<p class="tpg-icons__key"><span class="tpg-icons__key-hit" aria-hidden="true"></span> filled: '
            f'{html.escape(event)}; <span class="tpg-icons__key-miss" aria-hidden="true"></span> outline: did not</p>',
            "</figure>"]
    return "\n".join(out)
