"""The Linux desktop entry and AppStream metainfo validate, and the icon exists at the
usual sizes."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-utils is not installed")
def test_desktop_file_validates() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(PACKAGING / "org.footlog.footlog.desktop")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_metainfo_validates() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net",
         str(PACKAGING / "org.footlog.footlog.metainfo.xml")],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_icon_sizes() -> None:
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        with Image.open(ROOT / "assets" / "icons" / f"footlog-{size}.png") as icon:
            assert icon.size == (size, size)
            assert icon.mode == "RGBA"
    assert (ROOT / "assets" / "icons" / "footlog.svg").read_text().lstrip().startswith("<?xml")


def test_the_bundle_spec_names_every_lazily_loaded_module() -> None:
    spec = (PACKAGING / "footlog.spec").read_text()
    assert 'collect_submodules("footlog")' in spec
    assert '"footlog/assets"' in spec


def test_the_bundle_constraints_pin_every_dependency_within_its_bounds() -> None:
    """packaging/constraints.txt pins one exact version of each dependency the bundle is
    built with, and each pin is one pyproject.toml allows (else the build would fail to
    resolve, or build with versions nobody tested)."""
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    pins = {}
    for line in (ROOT / "packaging" / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for text in project["dependencies"]:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue  # for another Python than this one
        name = canonicalize_name(requirement.name)
        if name == "pillow-heif":
            continue  # replaced by pi-heif in the bundle (below)
        assert name in pins, f"{name} is not pinned for the bundle"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]}: {text}"
    # The bundle reads HEIC with the decode-only twin, without the GPL x265 encoder.
    assert "pi-heif" in pins and "pillow-heif" not in pins
