"""Shared fixtures. Qt runs offscreen in every test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Photos are measured in the importing process, as a pool of processes would measure them
# (tests/test_measure_pool.py shows both alike): a pool's start would cost most tests more
# than their photos' measuring. Child processes a test starts inherit it.
os.environ.setdefault("FOOTLOG_MEASURING_PROCESSES", "0")



@pytest.fixture
def library(tmp_path: Path):
    """A new, empty library in a temporary folder."""
    from footlog.storage.library import Library

    lib = Library.open(tmp_path / "library")
    yield lib
    lib.close()


@pytest.fixture
def photo_files(tmp_path: Path) -> list[Path]:
    """A few small JPEGs with distinct content and dated names."""
    from PIL import Image

    folder = tmp_path / "camera"
    folder.mkdir()
    paths = []
    for i, name in enumerate(["IMG_20110512_154233.jpg", "left_2015-03-01.jpg", "right.png"]):
        img = Image.new("RGB", (64 + i, 48), (200, 150 - 20 * i, 120))
        path = folder / name
        img.save(path)
        paths.append(path)
    return paths


@pytest.fixture
def window(qtbot, tmp_path: Path):
    """The main window on a new library, shown offscreen; background work ended after."""
    from gui_helpers import temp_settings

    from footlog.gui.main_window import MainWindow
    from footlog.gui.session import LibrarySession

    session = LibrarySession.open(tmp_path / "library")
    win = MainWindow(session, temp_settings(tmp_path))
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    yield win
    if win.worker is not None:
        win.worker.cancel()
        win.worker.wait()
    win.library_view.loader.wait()
    session.close()
