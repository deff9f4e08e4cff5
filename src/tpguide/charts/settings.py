"""The chart settings in mkdocs.yml (extra.tpguide.charts): checked and completed."""

from __future__ import annotations

import re

from .model import ChartSetupError

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

DEFAULT_SETTINGS = {
    "currency": "EUR",
    "locale": "en-GB",
    "example_price": 50,
    "example_minutes": 90,
    "modules": [],
}


# Check and complete extra.tpguide.charts; raise ChartSetupError naming the key.
def settings_from(extra_tpguide: dict | None) -> dict:
    raw = dict((extra_tpguide or {}).get("charts") or {})
    where = "mkdocs.yml: extra.tpguide.charts"
    unknown = sorted(set(raw) - set(DEFAULT_SETTINGS))
    if unknown:
        raise ChartSetupError(f"{where}: unknown setting(s) {', '.join(unknown)} -> use {', '.join(DEFAULT_SETTINGS)}")
    out = {**DEFAULT_SETTINGS, **raw}
    if not isinstance(out["currency"], str) or not re.fullmatch(r"[A-Z]{3}", out["currency"]):
        raise ChartSetupError(f"{where}.currency: {out['currency']!r} is not an ISO 4217 code -> e.g. EUR, GBP, USD")
    if not isinstance(out["locale"], str) or not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", out["locale"]):
        raise ChartSetupError(f"{where}.locale: {out['locale']!r} is not a language tag -> e.g. en-GB")
    for key, high in (("example_price", 100000), ("example_minutes", 1440)):
        value = out[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= high:
            raise ChartSetupError(f"{where}.{key}: {value!r} must be a number above 0 and at most {high}")
    if not isinstance(out["modules"], list) or not all(isinstance(m, str) for m in out["modules"]):
        raise ChartSetupError(f"{where}.modules: must be a list of Python file paths (relative to mkdocs.yml)")
    return out
