"""Renders the main views to PNG files in test-artifacts/ for a person to look at.

Not compared pixel by pixel: the test checks that each view renders to a non-empty picture
with more than one colour, and keeps the files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import photo_with_landmarks, temp_settings
from PySide6.QtGui import QImage
from testdata import PHOTOS

from footlog.gui.main_window import MainWindow
from footlog.gui.session import LibrarySession
from footlog.storage.run_store import add_event

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _distinct_colours(image: QImage) -> int:
    small = image.scaled(64, 40)
    return len({small.pixel(x, y) for x in range(small.width()) for y in range(small.height())})


def test_render_main_views(qtbot, tmp_path: Path) -> None:
    from datetime import UTC, date, datetime

    from footlog.domain.runs import Run
    from footlog.storage.run_store import save_runs

    ARTIFACTS.mkdir(exist_ok=True)
    session = LibrarySession.open(tmp_path / "library")
    lib = session.library
    source = tmp_path / "right_dorsal.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__t.jpg", source)
    photo_id = photo_with_landmarks(lib, source)
    save_runs(lib, lib.person(), [
        Run(start=datetime(2024, 5, d, 7, tzinfo=UTC), distance_m=5000.0 + 100 * d,
            duration_s=1800.0, name="Barefoot run" if d % 2 else "Easy run",
            gear="" if d % 2 else "Pegasus", external_id=f"shot:{d}")
        for d in range(1, 12)
    ])
    add_event(lib, lib.person(), date(2024, 5, 3), "started toe spacers")
    window = MainWindow(session, temp_settings(tmp_path))
    qtbot.addWidget(window)
    window.resize(1200, 780)
    window.show()
    window.library_view.loader.wait()
    qtbot.wait(50)
    shots = {"library": window.grab().toImage()}
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    qtbot.wait(50)
    shots["editor"] = window.grab().toImage()
    window.tabs.setCurrentWidget(window.runs_view)
    qtbot.wait(50)
    shots["runs"] = window.grab().toImage()
    for name, image in shots.items():
        assert not image.isNull() and image.width() >= 1000
        assert _distinct_colours(image) > 20, f"the {name} view rendered nearly blank"
        image.save(str(ARTIFACTS / f"window-{name}.png"))
    window.close()
    session.close()
