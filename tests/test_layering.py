"""The layers of the package stay apart: Qt only in gui/, the domain free of OpenCV and SQL."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "footlog"
QT = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
NOT_IN_DOMAIN = {"cv2", "skimage", "sqlite_utils", "sqlite3", "PIL", "matplotlib"} | QT


def imported_top_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def modules() -> list[Path]:
    found = sorted(PACKAGE.rglob("*.py"))
    assert len(found) > 10, "the package was not found"
    return found


def test_only_gui_imports_qt() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in modules()
        if "gui" not in path.relative_to(PACKAGE).parts and imported_top_modules(path) & QT
    ]
    assert offenders == []


def test_domain_imports_no_opencv_skimage_or_sql() -> None:
    offenders = {
        str(path.relative_to(PACKAGE)): sorted(imported_top_modules(path) & NOT_IN_DOMAIN)
        for path in (PACKAGE / "domain").rglob("*.py")
        if imported_top_modules(path) & NOT_IN_DOMAIN
    }
    assert offenders == {}


def test_the_check_sees_an_offender(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom PySide6.QtCore import QObject\nimport cv2.aruco\n")
    assert {"PySide6", "cv2", "os"} <= imported_top_modules(bad)


def test_footlog_never_imports_scipy_and_uses_one_corner_of_scikit_image() -> None:
    """The desktop bundle leaves SciPy and all of scikit-image but `measure` out (about
    80 MB): an import of either anywhere else would work in tests and fail in the bundle."""
    scipy_users = [str(path.relative_to(PACKAGE)) for path in modules()
                   if "scipy" in imported_top_modules(path)]
    assert scipy_users == []
    skimage_parts: set[str] = set()
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("skimage"):
                skimage_parts.add(node.module or "")
            elif isinstance(node, ast.Import):
                skimage_parts.update(a.name for a in node.names if a.name.startswith("skimage"))
    assert skimage_parts <= {"skimage.measure"}


# Which of footlog's own layers each layer may import (besides itself). Top-level modules
# (footlog/*.py) wire the layers together; only the entry points start the window.
MAY_IMPORT = {
    "domain": set(),
    "imaging": {"domain"},
    "analysis": {"domain", "imaging"},
    "importers": {"domain"},
    "storage": {"domain", "imaging"},
    "charts": {"domain", "imaging"},
    "app": {"domain", "imaging", "analysis", "importers", "storage", "charts", "app"},
    "gui": {"domain", "imaging", "analysis", "importers", "storage", "charts", "app"},
    "commands": {"domain", "imaging", "analysis", "importers", "storage", "charts", "app",
                 "gui"},
}
ENTRY_POINTS = {"cli", "__main__", "self_check"}  # may also import commands and gui
# Neither the window nor the charts nor the pure layers speak SQL: storage says its errors
# in footlog's words (`footlog.storage.errors`).
NO_SQL = {"domain", "imaging", "analysis", "importers", "charts", "gui"}


def layer_of(module: str) -> str:
    """`footlog.gui.photo_editor` -> gui; `footlog.timeline` -> app."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()):
        return parts[1]
    return "app"


def footlog_imports(path: Path) -> set[str]:
    """The footlog modules `path` imports, at any depth of the file (late imports too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "footlog":  # a module of the package, or a name in it
                found.update(f"footlog.{alias.name}" for alias in node.names
                             if (PACKAGE / alias.name).is_dir()
                             or (PACKAGE / f"{alias.name}.py").exists())
            elif node.module.startswith("footlog."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("footlog."))
    return found


def wrong_arrows() -> list[str]:
    wrong = []
    for path in modules():
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        module = module.removesuffix(".__init__")
        layer = layer_of(module)
        if layer == "assets":
            continue
        allowed = MAY_IMPORT[layer] | {layer}
        if layer == "app" and module.split(".")[-1] in ENTRY_POINTS:
            allowed = allowed | {"commands", "gui"}
        for target in sorted(footlog_imports(path)):
            if target in ("footlog", "footlog.__init__"):
                continue
            if layer_of(target) not in allowed:
                wrong.append(f"{module} -> {target}")
        if layer in NO_SQL and imported_top_modules(path) & {"sqlite3", "sqlite_utils"}:
            wrong.append(f"{module} -> sqlite3/sqlite_utils")
    return wrong


def test_each_layer_imports_only_the_layers_below_it() -> None:
    assert wrong_arrows() == []


def test_the_layer_check_sees_a_wrong_arrow(tmp_path: Path, monkeypatch) -> None:
    import tests.test_layering as layering

    fake = tmp_path / "footlog"
    (fake / "charts").mkdir(parents=True)
    (fake / "storage").mkdir()
    (fake / "charts" / "chart.py").write_text("from footlog.storage.library import Library\n")
    (fake / "storage" / "library.py").write_text("import sqlite3\n")
    (fake / "timeline.py").write_text("from footlog import gui\n")
    (fake / "gui").mkdir()
    (fake / "gui" / "view.py").write_text("import sqlite3\n")
    monkeypatch.setattr(layering, "PACKAGE", fake)
    monkeypatch.setattr(layering, "modules", lambda: sorted(fake.rglob("*.py")))
    assert sorted(layering.wrong_arrows()) == [
        "footlog.charts.chart -> footlog.storage.library",
        "footlog.gui.view -> sqlite3/sqlite_utils",
        "footlog.timeline -> footlog.gui",
    ]
