"""`footlog self-check`: a headless check that an installed or bundled footlog works.

It opens the window offscreen on a temporary library, measures a bundled photo, writes a
calibration sheet, and says what passed. Used after building the bundle, and by people
reporting a problem.
"""

from __future__ import annotations

import os
import tempfile
import time
from importlib.resources import as_file, files
from pathlib import Path


def run_self_check() -> list[tuple[str, bool, str]]:
    """Return (check, passed, detail) for each check."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    results: list[tuple[str, bool, str]] = []
    tmp = Path(tempfile.mkdtemp(prefix="footlog-check-"))

    def check(name: str, action) -> None:
        t0 = time.perf_counter()
        try:
            detail = action()
        except Exception as exc:  # a self-check reports, it does not crash
            results.append((name, False, f"{type(exc).__name__}: {exc}"))
        else:
            results.append((name, True, f"{detail} ({time.perf_counter() - t0:.2f} s)"))

    def measure() -> str:
        from footlog.measuring import measure_file

        photo = files("footlog.assets") / "demo" / "photos" / "ala-jaidi__t.jpg"
        with as_file(photo) as path:
            result = measure_file(path)
        return f"{result.status}, {len(result.landmarks)} landmarks"

    def library() -> str:
        from footlog.app import import_photos
        from footlog.storage.integrity import check_library
        from footlog.storage.library import Library

        photo = files("footlog.assets") / "demo" / "photos" / "ala-jaidi__1.jpg"
        with Library.open(tmp / "library") as lib, as_file(photo) as path:
            report = import_photos(lib, [path], lib.person())
            problems = check_library(lib)
        if problems or len(report.of("added")) != 1:
            raise RuntimeError("; ".join(problems) or "the photo was not imported")
        return "import and integrity check"

    def window() -> str:
        from footlog.gui.main import render_check

        return render_check(tmp / "library", tmp / "settings.ini")

    def sheet() -> str:
        from footlog.imaging.calibration_sheet import write_sheet

        path = write_sheet(tmp / "sheet.pdf", "a4")
        return f"{path.stat().st_size} bytes"

    def formats() -> str:
        from PIL import Image, features

        from footlog.imaging import photo_io

        Image.init()  # loads every format plugin Pillow has
        readers = {"JPEG": "JPEG", "PNG": "PNG", "TIFF": "TIFF", "WebP": "WEBP",
                   "HEIC": "HEIF", "AVIF": "AVIF"}
        missing = [name for name, key in readers.items() if key not in Image.OPEN]
        if not features.check("avif"):
            missing.append("AVIF (no codec)")
        if missing:
            raise RuntimeError(f"cannot read {', '.join(missing)}")
        heif = getattr(photo_io.heif, "__name__", "?")
        return f"reads {', '.join(readers)} (HEIC through {heif})"

    def modules() -> str:
        # A bundle leaves out what its build did not see imported: load every module of
        # footlog, so that one missing library fails here rather than in a person's hands.
        import importlib
        import pkgutil

        import footlog

        names = [info.name for info in pkgutil.walk_packages(footlog.__path__, "footlog.")
                 if not info.name.endswith("__main__")]
        for name in names:
            importlib.import_module(name)
        return f"{len(names)} modules load"

    check("photo formats", formats)
    check("modules", modules)
    check("measure a photo", measure)
    check("library", library)
    check("window", window)
    check("calibration sheet", sheet)
    return results
