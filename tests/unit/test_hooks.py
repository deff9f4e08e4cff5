"""Hooks are thin adapters: they may call only the public functions of the tpguide package."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = sorted((ROOT / "hooks").glob("*.py"))


# (line, "module.name") of every private tpguide name a hook uses: `from tpguide import x` then
# `x._name`, or `from tpguide.x import _name`.
def _private_uses(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "tpguide":
            for alias in node.names:
                if node.module == "tpguide":
                    modules.add(alias.asname or alias.name)
                elif alias.name.startswith("_"):
                    uses.append((node.lineno, f"{node.module}.{alias.name}"))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                and node.attr.startswith("_")):
            uses.append((node.lineno, f"{node.value.id}.{node.attr}"))
    return uses


@pytest.mark.parametrize("path", HOOKS, ids=lambda p: p.name)
def test_hook_calls_only_public_tpguide_functions(path):
    assert _private_uses(path) == []


def test_the_check_finds_a_private_call(tmp_path):
    hook = tmp_path / "hook.py"
    hook.write_text("from tpguide import build\nfrom tpguide.charts import _h\n\nbuild._source(None)\n")
    assert _private_uses(hook) == [(2, "tpguide.charts._h"), (4, "build._source")]
