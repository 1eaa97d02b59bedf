"""Every subpackage of footlog is listed in pyproject.toml, so installs are complete."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "footlog").rglob("__init__.py")
    }
    assert found | {"footlog.assets"} == listed


def test_assets_are_importable_as_a_package() -> None:
    from importlib.resources import files

    demo = files("footlog.assets") / "demo" / "photos"
    assert any(p.name.endswith(".jpg") for p in demo.iterdir())
