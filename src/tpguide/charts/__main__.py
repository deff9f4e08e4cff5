"""`python -m tpguide.charts [SITE_DIR [PAGE]]` (make chart-figures): the chart byte figures."""

from __future__ import annotations

import sys

from .sizes import byte_figures


def main(argv: list[str]) -> int:
    figures = byte_figures(argv[0] if argv else None, argv[1] if len(argv) > 1 else None)
    for key, value in figures.items():
        shown = f"{value:,} B ({value / 1024:.0f} KiB)" if isinstance(value, int) else value
        print(f"{key:24} {shown}")
    return 0


raise SystemExit(main(sys.argv[1:]))
