"""CI runs the README's test command, exactly; it checks with ruff and mypy before the
tests, and mypy reads what to check from pyproject.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARK = "# The README's test command, exactly:"


def _ci_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return lines[lines.index(MARK) + 1].strip()


def test_ci_runs_the_readme_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert _ci_command() in [line.strip() for line in readme]


def test_the_command_lints_and_type_checks_before_the_tests() -> None:
    steps = [step.strip() for step in _ci_command().split("&&")]
    ruff = steps.index(".venv/bin/ruff check footlog tests benchmarks")
    mypy = steps.index(".venv/bin/mypy")
    tests = next(i for i, step in enumerate(steps) if step.endswith("-m pytest"))
    assert ruff < mypy < tests


def test_mypy_is_configured_strict_on_the_pure_layers_and_parsers() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(dep.startswith("mypy") for dep in project["project"]["optional-dependencies"]
               ["dev"])
    mypy = project["tool"]["mypy"]
    assert mypy["files"] == ["footlog"]
    strict = next(o for o in mypy["overrides"] if "footlog.domain.*" in o["module"])
    assert set(strict["module"]) == {"footlog.domain.*", "footlog.analysis.*",
                                     "footlog.storage.*", "footlog.importers.*"}
    for flag in ("disallow_untyped_defs", "disallow_any_generics", "warn_return_any",
                 "disallow_untyped_calls", "check_untyped_defs"):
        assert strict[flag] is True
    assert strict["implicit_reexport"] is False
    # Packages without type hints are named one by one, never ignored globally.
    assert "ignore_missing_imports" not in mypy
