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
