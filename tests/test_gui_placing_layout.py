"""Place by clicking keeps the window's size, and the side panel keeps its room.

The guide shown while placing once made the window grow (820 to 915 px and more) and stay
grown after Esc, cut the warnings and squeezed the landmark list to four rows.
"""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import photo_with_landmarks
from PySide6.QtCore import Qt
from testdata import PHOTOS

MIN_LANDMARK_ROWS = 8  # the dorsal view has 11 landmarks: most of them stay in sight


def _visible_rows(widget) -> float:
    return widget.viewport().height() / max(1, widget.sizeHintForRow(0))


def test_placing_by_clicking_keeps_the_window_size(window, qtbot, tmp_path):
    source = tmp_path / "right_dorsal.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__t.jpg", source)
    photo_id = photo_with_landmarks(window.session.library, source)
    window.resize(1280, 820)
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    qtbot.wait(50)
    before = window.size()
    panel = window.editor.panel
    assert _visible_rows(panel.landmarks) >= MIN_LANDMARK_ROWS

    qtbot.mouseClick(panel.place_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert window.editor.canvas.placing and panel.guide_box.isVisible()
    assert window.size() == before
    assert _visible_rows(panel.landmarks) >= MIN_LANDMARK_ROWS
    # The warnings keep their width: the text wraps inside the box, never cut at its side.
    assert panel.status.width() <= panel.status_box.viewport().width()

    qtbot.keyClick(window.editor.canvas, Qt.Key.Key_Escape)
    qtbot.wait(50)
    assert not window.editor.canvas.placing and not panel.guide_box.isVisible()
    assert window.size() == before
    assert _visible_rows(panel.landmarks) >= MIN_LANDMARK_ROWS
