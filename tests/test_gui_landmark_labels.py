"""The landmarks' names on the photo: plain words, the id in the tooltip, and no name over
another at fit-to-window zoom (measured on real photos with hand-placed landmarks)."""

from __future__ import annotations

import json
import shutil
from itertools import combinations

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import send_mouse
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from testdata import PHOTOS

from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View
from footlog.library_measuring import recompute_library_measures
from footlog.storage.measure_store import save_detection
from footlog.storage.photo_store import import_photo, update_photo

# Every dorsal photo of tests/data with hand-placed landmarks (the demo's photos among them):
# the toe tips and joints bunch up at fit-to-window zoom.
DORSAL_PHOTOS = sorted(
    p.name.removesuffix(".json") for p in PHOTOS.glob("*.jpg.json")
    if json.loads(p.read_text())["view"] == "dorsal"
)


def _open_reference(window, tmp_path, name: str) -> None:
    reference = json.loads((PHOTOS / f"{name}.json").read_text())
    source = tmp_path / name
    shutil.copy(PHOTOS / name, source)
    lib = window.session.library
    photo_id = import_photo(lib, source, lib.person()).photo_id
    foot = Foot(reference["side"])
    update_photo(lib, photo_id, foot=foot.value, view="dorsal")
    landmarks = {k: tuple(v) for k, v in reference["landmarks"].items()}
    save_detection(lib, photo_id, MeasureResult(View.DORSAL, foot, Status.OK,
                                                landmarks=landmarks, detector_version="test"))
    recompute_library_measures(lib, photo_id)
    window.open_photo(photo_id)
    window.editor.wait_for_image()


def _label_rects(canvas) -> dict[str, QRectF]:
    """Each shown name's rectangle on the screen (viewport px)."""
    rects = {}
    for name, item in canvas.items_by_name.items():
        if item.plate.isVisible():
            to_screen = item.deviceTransform(canvas.viewportTransform())
            rects[name] = to_screen.mapRect(item.plate.mapRectToParent(item.plate.rect()))
    return rects


@pytest.mark.parametrize("name", DORSAL_PHOTOS)
def test_labels_do_not_overlap_at_fit_zoom(window, qtbot, tmp_path, name):
    _open_reference(window, tmp_path, name)
    canvas = window.editor.canvas
    canvas.fit()
    qtbot.wait(20)
    rects = _label_rects(canvas)
    overlaps = [(a, b) for a, b in combinations(rects, 2) if rects[a].intersects(rects[b])]
    assert overlaps == []
    # Most names find room; the others show on hover.
    assert len(rects) >= len(canvas.items_by_name) // 2


def test_labels_speak_plain_words_and_show_when_hovered_or_selected(window, qtbot, tmp_path):
    _open_reference(window, tmp_path, "ala-jaidi__t.jpg")
    canvas = window.editor.canvas
    canvas.fit()
    item = canvas.items_by_name["mt1_medial"]
    assert item.label.text() == "big toe joint"
    assert "mt1_medial" in item.toolTip() and "medial bump" in item.toolTip()
    assert canvas.items_by_name["cleft12"].label.text() == "web between first and second toe"

    crowded = [n for n, i in canvas.items_by_name.items() if not i.plate.isVisible()]
    if not crowded:  # a large screen may have room for every name: zoom out until not
        canvas.zoom_by(0.3)
        crowded = [n for n, i in canvas.items_by_name.items() if not i.plate.isVisible()]
    assert crowded
    hidden = canvas.items_by_name[crowded[0]]
    # Pointing at the handle shows its name; pointing away hides it again. (Mouse moves
    # sent to the view itself, whatever window the system's pointer is over.)
    at = canvas.mapFromScene(hidden.pos())
    none = Qt.MouseButton.NoButton
    send_mouse(canvas.viewport(), QMouseEvent.Type.MouseMove, at, none, none)
    assert hidden.plate.isVisible()
    send_mouse(canvas.viewport(), QMouseEvent.Type.MouseMove, QPoint(1, 1), none, none)
    assert not hidden.plate.isVisible()
    # Selecting it (Tab, a click in the list) places its name first.
    canvas.select_landmark(crowded[0])
    assert hidden.plate.isVisible()
    rects = _label_rects(canvas)
    assert all(not rects[a].intersects(rects[b]) for a, b in combinations(rects, 2))
