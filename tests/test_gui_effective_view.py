"""A photo stored without a view, measured from the side: the editor works in the view of
its landmarks (side view), as measuring does, not in the dorsal view.

It once showed no measure while a landmark was dragged (the side landmarks read with the
dorsal formulas give none) and asked for the dorsal landmarks when placing by clicking.
"""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import send_mouse
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QLabel

from footlog.domain.arch_measures import medial_measures
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View
from footlog.library_measuring import recompute_library_measures
from footlog.storage.measure_store import load_measures, save_detection
from footlog.storage.photo_store import get_photo, import_photo

# A foot from its inner side in a 64 x 48 photo, toes to the right, standing on y = 44;
# `dorsum_50` is left out, to be placed by clicking.
SIDE_LANDMARKS = {
    "heel_back": (4.0, 40.0),
    "toe_tip": (60.0, 42.0),
    "mtp1": (48.0, 40.0),
    "floor_heel": (4.0, 44.0),
    "floor_toe": (60.0, 44.0),
    "arch_apex": (28.0, 38.0),
}


def _side_photo_without_view(lib, path) -> int:
    photo_id = import_photo(lib, path, lib.person()).photo_id
    # Measured as a guessed side view that was not kept (the person may say the view):
    # the landmarks are the side view's, the photo's view stays unknown.
    save_detection(lib, photo_id, MeasureResult(View.MEDIAL, Foot.UNKNOWN, Status.REVIEW,
                                                landmarks=dict(SIDE_LANDMARKS),
                                                detector_version="test"))
    recompute_library_measures(lib, photo_id)
    assert get_photo(lib, photo_id).view == View.UNKNOWN
    return photo_id


def _measure_label(panel, name: str) -> QLabel | None:
    return panel.findChild(QLabel, f"measure_{name}")


def test_editor_measures_and_places_in_the_view_of_the_landmarks(window, qtbot, photo_files):
    lib = window.session.library
    photo_id = _side_photo_without_view(lib, photo_files[0])
    assert "arch_height_ratio" in load_measures(lib, photo_id)  # as measuring stored it
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    qtbot.wait(50)
    canvas, panel = window.editor.canvas, window.editor.panel
    assert _measure_label(panel, "arch_height_ratio") is not None

    # Live preview: the arch's apex dragged up, the button still held.
    start = canvas.mapFromScene(canvas.items_by_name["arch_apex"].pos())
    end = start + QPoint(0, -40)
    left, viewport = Qt.MouseButton.LeftButton, canvas.viewport()
    send_mouse(viewport, QMouseEvent.Type.MouseButtonPress, start, left, left)
    for i in range(1, 6):
        send_mouse(viewport, QMouseEvent.Type.MouseMove, start + (end - start) * i / 5,
                   Qt.MouseButton.NoButton, left)
    positions = canvas.positions()
    assert positions["arch_apex"][1] < SIDE_LANDMARKS["arch_apex"][1] - 1  # it moved
    live = medial_measures(positions)["arch_height_ratio"]
    label = _measure_label(panel, "arch_height_ratio")
    assert label is not None and f"{live:.2f}" in label.text()
    assert _measure_label(panel, "hallux_angle") is None
    send_mouse(viewport, QMouseEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton)
    assert load_measures(lib, photo_id)["arch_height_ratio"] == pytest.approx(live, abs=1e-3)

    # Placing by clicking asks for the side view's missing landmark, not a dorsal one.
    qtbot.mouseClick(panel.place_button, Qt.MouseButton.LeftButton)
    assert canvas.placing and panel.guide_box.isVisible()
    assert "dorsum_50" in panel.guide_text.text()
    qtbot.mouseClick(viewport, left, pos=canvas.mapFromScene(32.0, 20.0))
    assert not canvas.placing  # the only one missing
    assert "arch_height_index" in load_measures(lib, photo_id)
    assert get_photo(lib, photo_id).view == View.UNKNOWN
