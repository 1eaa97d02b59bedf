"""The Compare tab driven as a person would: the wheel zooms about the pointer, a drag pans,
the picture is cropped to the two feet, the foot is chosen first, the change column gives
the noise and marks doubted photos, and an older photo imported becomes the first."""

from __future__ import annotations

import shutil

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import drag, photo_with_landmarks
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from testdata import PHOTOS

from footlog.storage.photo_store import update_photo


def _wheel(widget, at: QPoint, notches: int) -> None:
    event = QWheelEvent(QPointF(at), QPointF(widget.mapToGlobal(at)), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def feet(window, tmp_path) -> dict[str, int]:
    """Two right dorsal photos (2020, 2024), one left (2022); a real photo, so that the
    outline-less landmarks sit in a small part of it."""
    lib = window.session.library
    ids = {}
    for key, name, day, foot in (("old", "ala-jaidi__1.jpg", "2020-01-01", "right"),
                                 ("new", "ala-jaidi__t.jpg", "2024-01-01", "right"),
                                 ("left", "ala-jaidi__av.jpg", "2022-01-01", "left")):
        source = tmp_path / name
        shutil.copy(PHOTOS / name, source)
        ids[key] = photo_with_landmarks(lib, source)
        update_photo(lib, ids[key], taken_at=f"{day}T10:00:00", foot=foot)
    window.session.photos_changed.emit()
    window.tabs.setCurrentWidget(window.compare_tab)
    return ids


def test_the_foot_is_chosen_first_and_never_mixed(window, qtbot, feet):
    view = window.compare_view
    assert view.foot_combo.currentData() == "right"  # the foot with the most photos
    listed = [view.first_combo.itemData(i) for i in range(view.first_combo.count())]
    assert listed == [feet["old"], feet["new"]]  # no left photo among them
    view.foot_combo.setCurrentIndex(view.foot_combo.findData("left"))
    view.foot_combo.activated.emit(view.foot_combo.currentIndex())
    assert [view.first_combo.itemData(i) for i in range(view.first_combo.count())] == [
        feet["left"]]
    assert view.comparison is None and "Two measured photos" in view.summary.text()


def test_wheel_zooms_about_the_pointer_and_drag_pans(window, qtbot, feet):
    view = window.compare_view
    canvas = view.canvas
    assert view.comparison is not None
    # Cropped to the feet: the landmarks span a small part of the 64 x 48 px layout
    # scaled onto a large photo, so the crop is far smaller than the picture.
    assert canvas.crop.width() < canvas.first.width() / 2
    target = canvas._target()
    assert target.width() <= canvas.width() + 1 and target.height() <= canvas.height() + 1
    assert max(target.width() / canvas.width(), target.height() / canvas.height()) > 0.95

    at = QPoint(int(target.center().x()) + 20, int(target.center().y()) - 10)
    under = canvas._transform().inverted()[0].map(QPointF(at))
    _wheel(canvas, at, 2)
    assert canvas.zoom == pytest.approx(1.25 ** 2)
    still = canvas._transform().map(under)  # the point under the pointer stays under it
    assert still.x() == pytest.approx(at.x(), abs=0.5) and still.y() == pytest.approx(
        at.y(), abs=0.5)

    before = canvas._target().topLeft()
    drag(canvas, QPoint(200, 200), QPoint(260, 170))
    moved = canvas._target().topLeft() - before
    assert moved.x() == pytest.approx(60, abs=1) and moved.y() == pytest.approx(-30, abs=1)
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton)
    assert canvas.zoom == 1.0 and canvas.pan.isNull()
    _wheel(canvas, at, -3)  # never smaller than the two feet whole
    assert canvas.zoom == 1.0


def test_curtain_drags_with_the_left_button_and_pans_with_the_right(window, qtbot, feet):
    view = window.compare_view
    canvas = view.canvas
    view.curtain.setChecked(True)
    target = canvas._target()
    y = int(target.center().y())
    drag(canvas, QPoint(int(target.left() + 0.3 * target.width()), y),
         QPoint(int(target.left() + 0.6 * target.width()), y))
    assert canvas.curtain == pytest.approx(0.6, abs=0.02)
    from gui_helpers import send_mouse
    from PySide6.QtGui import QMouseEvent

    right = Qt.MouseButton.RightButton
    send_mouse(canvas, QMouseEvent.Type.MouseButtonPress, QPoint(100, 100), right, right)
    send_mouse(canvas, QMouseEvent.Type.MouseMove, QPoint(140, 100), Qt.MouseButton.NoButton,
               right)
    send_mouse(canvas, QMouseEvent.Type.MouseButtonRelease, QPoint(140, 100), right,
               Qt.MouseButton.NoButton)
    assert canvas.pan.x() == pytest.approx(40) and canvas.curtain == pytest.approx(0.6,
                                                                                   abs=0.02)


def test_change_column_gives_the_noise_and_marks_doubted_photos(window, qtbot, feet):
    lib = window.session.library
    with lib.db.atomic():
        lib.db.execute("UPDATE photos SET status = 'review' WHERE id = ?", [feet["old"]])
    window.session.photos_changed.emit()
    view = window.compare_view
    table = view.table
    rows = {table.item(r, 0).text(): r for r in range(table.rowCount())}
    hallux = rows["Hallux angle"]
    # No repeat photos: the published figure for the hallux angle (docs/MEASURES.md).
    assert table.item(hallux, 4).text() == "±6.9°"
    assert "within noise" in table.item(hallux, 3).text()  # the same landmarks: no change
    assert "⚠" in table.item(hallux, 1).text() and "⚠" not in table.item(hallux, 2).text()
    assert "doubted" in table.item(hallux, 1).toolTip()
    assert "doubted" in view.summary.text()
    assert "⚠ review" in view.first_combo.currentText()


def test_an_older_photo_imported_becomes_the_first(window, qtbot, feet, tmp_path):
    view = window.compare_view
    assert view.first_combo.currentData() == feet["old"]
    source = tmp_path / "older.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__2.jpg", source)
    older = photo_with_landmarks(window.session.library, source)
    update_photo(window.session.library, older, taken_at="2015-06-01T10:00:00")
    window.session.photos_changed.emit()
    assert view.first_combo.currentData() == older
    assert view.second_combo.currentData() == feet["new"]
    # A first photo the person chose stays chosen through an import.
    view.first_combo.setCurrentIndex(view.first_combo.findData(feet["old"]))
    view.first_combo.activated.emit(view.first_combo.currentIndex())
    source2 = tmp_path / "oldest.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__3.jpg", source2)
    oldest = photo_with_landmarks(window.session.library, source2)
    update_photo(window.session.library, oldest, taken_at="2012-06-01T10:00:00")
    window.session.photos_changed.emit()
    assert view.first_combo.currentData() == feet["old"]


def test_the_crop_holds_both_outlines_with_a_margin():
    import numpy as np

    from footlog.gui.compare_canvas import CROP_MARGIN, feet_box

    first = np.array([[100.0, 200.0], [300.0, 200.0], [300.0, 600.0], [100.0, 600.0]])
    second = first + np.array([50.0, -20.0])
    box = feet_box([first, second], 1000, 800)
    assert box.left() == pytest.approx(100 - CROP_MARGIN * 250)
    assert box.right() == pytest.approx(350 + CROP_MARGIN * 250)
    assert box.top() == pytest.approx(180 - CROP_MARGIN * 420)
    assert box.bottom() == pytest.approx(min(800.0, 600 + CROP_MARGIN * 420))
    whole = feet_box([], 1000, 800)  # nothing to crop to: the whole photo
    assert (whole.width(), whole.height()) == (1000, 800)
