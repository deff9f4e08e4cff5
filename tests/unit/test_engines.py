"""tpguide.engines: which engine builds the site, and its command line (issue 24)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import ROOT
from tpguide import engines


def test_default_is_properdocs():
    assert engines.chosen({}) == "properdocs"
    assert engines.chosen({"TPG_ENGINE": "  "}) == "properdocs"


@pytest.mark.parametrize("name", engines.ENGINES)
def test_each_engine_can_be_chosen(name):
    assert engines.chosen({"TPG_ENGINE": name}) == name


@pytest.mark.parametrize("name", ["hugo", "MkDocs", "mkdocs; rm -rf /", "python"])
def test_unknown_engine_is_refused_with_the_ones_there_are(name):
    with pytest.raises(engines.EngineError) as err:
        engines.chosen({"TPG_ENGINE": name})
    assert repr(name) in str(err.value) and "-> use one of: properdocs, mkdocs, zensical" in str(err.value)


def test_command_always_names_the_config_file():
    assert engines.command("build", "--strict", engine="mkdocs") == [
        sys.executable, "-m", "mkdocs", "build", "-f", "mkdocs.yml", "--strict"]
    assert engines.command("serve", engine="properdocs", config="/x/mkdocs.yml")[2:6] == [
        "properdocs", "serve", "-f", "/x/mkdocs.yml"]
    assert engines.command("build", "--strict", engine="zensical")[1:] == [
        "-m", "tpguide.zensical", "build", "-f", "mkdocs.yml", "--strict"]
    with pytest.raises(engines.EngineError):
        engines.command("build", engine="hugo")
    with pytest.raises(ValueError):
        engines.command(engine="mkdocs")


def test_command_follows_the_environment(monkeypatch):
    monkeypatch.setenv("TPG_ENGINE", "mkdocs")
    assert engines.command("build")[2] == "mkdocs"
    monkeypatch.delenv("TPG_ENGINE")
    assert engines.command("build")[2] == "properdocs"


def test_cli_prints_the_engine_or_refuses(monkeypatch, capsys):
    monkeypatch.setenv("TPG_ENGINE", "mkdocs")
    assert engines.main([]) == 0 and capsys.readouterr().out == "mkdocs\n"
    monkeypatch.setenv("TPG_ENGINE", "nope")
    assert engines.main([]) == 2
    assert "'nope'" in capsys.readouterr().err


def test_make_refuses_an_unknown_engine_before_building():
    result = subprocess.run(["make", "-s", "--no-print-directory", "engine", "ENGINE=nope"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "engine 'nope'" in result.stderr and "use one of: properdocs, mkdocs, zensical" in result.stderr


def test_make_build_runs_the_chosen_engine():
    # make -n prints the recipe without running it
    for engine in engines.ENGINES:
        result = subprocess.run(["make", "-n", "--no-print-directory", "build", f"ENGINE={engine}"], cwd=ROOT,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert f" {engines.MODULES[engine]} build --strict -f mkdocs.yml" in result.stdout
    default = subprocess.run(["make", "-n", "--no-print-directory", "build"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert " properdocs build --strict -f mkdocs.yml" in default.stdout


def test_make_test_and_bench_refuse_zensical_with_the_reason():
    result = subprocess.run(["make", "-s", "--no-print-directory", "engine-for-tests", "ENGINE=zensical"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "make test builds on Zensical itself" in result.stderr
    for target in ("test", "bench"):
        dry = subprocess.run(["make", "-n", "--no-print-directory", target], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
        assert "engine-for-tests" not in dry.stderr and dry.returncode == 0
