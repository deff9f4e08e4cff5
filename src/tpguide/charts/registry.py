"""The chart registry: every chart module, imported and indexed by chart id.

A chart module (one per chart, in tpguide/charts_defs/ or a file listed in
extra.tpguide.charts.modules) defines either ``CHART``, a Chart, or ``make_chart(settings)``
(``make_chart(settings, evidence)`` for a chart drawn from the evidence store),
which returns one built from the chart settings (tpguide.charts.settings). ``_chart_of`` below is
the one place that reads this protocol.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import re
import sys
from dataclasses import replace
from pathlib import Path

from .model import CHART_ID_RE, Chart, ChartSetupError

# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------

DEFS_PACKAGE = "tpguide.charts_defs"
PROJECT_ROOT = Path(__file__).resolve().parents[3]  # module paths in messages are relative to it


# ---------------------------------------------------------------------------
# Registry
# ---------------------------------------------------------------------------


# Import every chart module (ours plus extra ones from settings) and index the charts by id.
def load_registry(settings: dict, *, root: Path | None = None, evidence=None) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    modules = [_import_package_module(name) for name in _package_modules()]
    for rel in settings.get("modules", []):
        modules.append(_import_file_module(Path(root or ".") / rel, rel))
    for module in modules:
        chart = _chart_of(module, settings, evidence)
        if chart.id in charts:
            other = charts[chart.id]
            raise ChartSetupError(
                f"{_module_path(module)}: chart id {chart.id!r} is also defined in {other.module_path} -> ids must be unique"
            )
        charts[chart.id] = chart
    return charts


def _package_modules() -> list[str]:
    pkg = importlib.import_module(DEFS_PACKAGE)
    return sorted(f"{DEFS_PACKAGE}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__) if not m.name.startswith("_"))


# Import (or re-import, for `mkdocs serve` rebuilds) one module of tpguide.charts_defs.
def _import_package_module(name: str):
    try:
        if name in sys.modules:
            return importlib.reload(sys.modules[name])
        return importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - any error in a chart module stops the build
        raise ChartSetupError(f"chart module {name} could not be imported: {type(exc).__name__}: {exc}") from exc


# Import an extra chart module from a file path given in extra.tpguide.charts.modules.
def _import_file_module(path: Path, rel: str):
    if not path.is_file():
        raise ChartSetupError(f"mkdocs.yml: extra.tpguide.charts.modules: {rel!r} is not a file")
    name = "tpguide_extra_charts." + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # noqa: BLE001
        raise ChartSetupError(f"chart module {rel} could not be imported: {type(exc).__name__}: {exc}") from exc
    module.__tpg_rel__ = rel
    return module


# The Chart a module defines: CHART, make_chart(settings) for settings-dependent charts, or
# make_chart(settings, evidence) for charts drawn from the evidence store (tpguide.evidence).
def _chart_of(module, settings: dict, evidence=None) -> Chart:
    where = _module_path(module)
    try:
        if hasattr(module, "make_chart"):
            takes_evidence = len(inspect.signature(module.make_chart).parameters) > 1
            chart = module.make_chart(settings, evidence) if takes_evidence else module.make_chart(settings)
        else:
            chart = getattr(module, "CHART")
    except AttributeError:
        raise ChartSetupError(f"{where}: defines neither CHART nor make_chart(settings)") from None
    except Exception as exc:  # noqa: BLE001
        raise ChartSetupError(f"{where}: make_chart raised {type(exc).__name__}: {exc}") from exc
    if not isinstance(chart, Chart):
        raise ChartSetupError(f"{where}: CHART must be a tpguide.charts.Chart, not {type(chart).__name__}")
    if not CHART_ID_RE.match(chart.id or ""):
        raise ChartSetupError(f"{where}: chart id {chart.id!r} must be lowercase letters, digits and hyphens")
    return replace(chart, module=module.__name__, module_path=where)


def _module_path(module) -> str:
    rel = getattr(module, "__tpg_rel__", None)
    if rel:
        return rel
    path = Path(getattr(module, "__file__", "") or module.__name__)
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)
