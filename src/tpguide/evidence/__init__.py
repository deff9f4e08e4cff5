"""The evidence base: findings, harms, searches, red flags and natural history, from evidence/.

Every effect estimate, certainty rating, harm rate, warning sign and "evidence checked" date on
the site comes from the YAML files in ``evidence/`` (one file per treatment under
``evidence/treatments/``, plus ``vocabulary.yml``, ``searches.yml``, ``red-flags.yml`` and
``natural-history.yml``, ``help.yml`` and ``options.yml``). Pages refer to the data with markers (``[[finding: id]]``,
``[[evidence: treatment]]``, ``[[harms: treatment]]``, ``[[red-flags: region]]`` ...), which
``tpguide.evidence.markers`` turns into Markdown before citations are resolved, so each
rendered number carries its citation.

- ``model``: the records and the store.
- ``load``: read and check the files (``file:line: what -> how to fix``).
- ``words``: GRADE statements, effect sizes and number formats.
- ``render``: the HTML/Markdown of every block.
- ``grid``: the decision aid (option grid, values step, summary), in natural frequencies.
- ``markers``: find and expand the markers on a page.
"""

from .load import load_evidence_dir, page_problems
from .markers import (PageUse, expand, expand_plain, has_marker, help_marker, page_red_flags_marker, page_regions, treatment_page_problems,
                      with_help_block)
from .model import CERTAINTIES, DOWNGRADES, EvidenceStore
from .render import MAP_PAGE, map_page_markdown

__all__ = ["CERTAINTIES", "DOWNGRADES", "EvidenceStore", "MAP_PAGE", "PageUse", "expand", "expand_plain", "has_marker", "help_marker", "load_evidence_dir",
           "map_page_markdown", "page_problems", "page_red_flags_marker", "page_regions", "treatment_page_problems", "with_help_block"]
