"""The main window, driven as a person would: import, open, drag, undo, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import drag, photo_with_landmarks
from PySide6.QtCore import QPoint
from testdata import noise_photos

from footlog.storage.integrity import check_library
from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks, load_measures


def _photos(folder: Path, count: int) -> list[Path]:
    return noise_photos(folder, count)


def test_import_runs_in_the_background_and_shows_the_photos(window, qtbot, tmp_path):
    paths = _photos(tmp_path / "camera", 4)
    window.import_photos(paths, ask=False)
    assert window.worker is not None and window.progress.isVisible()
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    assert window.library_view.model.photo_count() == 4
    assert "4 photo(s) imported" in window.status_text.text()
    assert window.library_view.stack.currentWidget() is window.library_view.list


def test_cancelling_an_import_half_way_keeps_the_library_consistent(window, qtbot, tmp_path):
    paths = _photos(tmp_path / "camera", 40)
    window.import_photos(paths, ask=False)

    def cancel_after_three(done: int, _total: int, _what: str) -> None:
        if done >= 3:
            window.cancel_work()

    window.worker.progress.connect(cancel_after_three)
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    imported = window.library_view.model.photo_count()
    assert 3 <= imported < 40
    with Library.open(window.session.root) as lib:
        assert check_library(lib) == []


def test_drag_a_landmark_updates_the_measure_and_undo_restores_it(window, qtbot, photo_files):
    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    before = load_measures(lib, photo_id)["hallux_angle"]
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    qtbot.wait(50)
    canvas = window.editor.canvas
    item = canvas.items_by_name["hallux_medial"]
    start = canvas.mapFromScene(item.pos())
    # Drag the big toe's inner edge toward the second toe (laterally, +x for a right foot).
    drag(canvas.viewport(), start, start + QPoint(40, 0))
    moved = load_landmarks(lib, photo_id)["hallux_medial"]
    assert moved.source == "manual"
    assert moved.x > 10.5
    after = load_measures(lib, photo_id)["hallux_angle"]
    assert after > before + 1.0
    label = window.editor.panel.findChild(type(window.editor.panel.title), "measure_hallux_angle")
    assert label is not None and f"{after:+.1f}" in label.text()
    assert "Move big toe's inner edge" in window.undo_action.text()

    window.undo_action.trigger()
    restored = load_landmarks(lib, photo_id)["hallux_medial"]
    assert (restored.x, restored.y, restored.source) == (10.0, 12.0, "auto")
    assert load_measures(lib, photo_id)["hallux_angle"] == pytest.approx(before)
    assert canvas.items_by_name["hallux_medial"].pos().x() == pytest.approx(10.0)

    window.redo_action.trigger()
    assert load_landmarks(lib, photo_id)["hallux_medial"].source == "manual"


def test_place_landmarks_by_clicking(window, qtbot, photo_files):
    from footlog.storage.photo_store import import_photo, update_photo

    lib = window.session.library
    photo_id = import_photo(lib, photo_files[0], lib.person()).photo_id
    update_photo(lib, photo_id, foot="right", view="dorsal")
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    window.editor.start_placing()
    assert window.editor.panel.guide_box.isVisibleTo(window.editor.panel)
    first = window.editor._placing[0]
    canvas = window.editor.canvas
    target = canvas.mapFromScene(20.0, 30.0)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(canvas.viewport(), Qt.MouseButton.LeftButton, pos=target)
    placed = load_landmarks(lib, photo_id)[first]
    assert placed.source == "manual"
    assert placed.x == pytest.approx(20.0, abs=1.0) and placed.y == pytest.approx(30.0, abs=1.0)
    assert window.editor._placing and window.editor._placing[0] != first
    QTest.keyClick(window.editor, Qt.Key.Key_Escape)
    assert not window.editor.canvas.placing


def test_editing_the_foot_is_stored(window, qtbot, photo_files):
    from footlog.library_measuring import recompute_library_measures
    from footlog.storage.measure_store import set_manual_landmark

    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    set_manual_landmark(lib, photo_id, "hallux_medial", 14.0, 12.0)  # toward the 2nd toe
    recompute_library_measures(lib, photo_id)
    as_right = load_measures(lib, photo_id)["hallux_angle"]
    assert as_right > 5
    window.open_photo(photo_id)
    panel = window.editor.panel
    panel.foot.setCurrentText("left")
    panel.foot.activated.emit(panel.foot.currentIndex())
    from footlog.storage.photo_store import get_photo

    assert get_photo(lib, photo_id).foot == "left"
    # The same landmarks read as a left foot turn the big toe the other way.
    assert load_measures(lib, photo_id)["hallux_angle"] == pytest.approx(-as_right)


def test_filters_and_empty_state(window, photo_files):
    assert window.library_view.stack.currentWidget() is window.library_view.empty
    lib = window.session.library
    photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    view = window.library_view
    assert view.model.photo_count() == 1
    view.foot_combo.setCurrentIndex(1)  # left only
    assert view.model.photo_count() == 0
    assert "0 of 1" in view.count_label.text()


def test_rerun_detector_keeps_manual_landmarks(window, qtbot, tmp_path):
    import shutil

    from testdata import PHOTOS

    from footlog.storage.measure_store import set_manual_landmark

    lib = window.session.library
    source = tmp_path / "right_dorsal.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__t.jpg", source)
    photo_id = photo_with_landmarks(lib, source)
    set_manual_landmark(lib, photo_id, "hallux_tip", 123.0, 45.0)
    window.open_photo(photo_id)
    window.editor.rerun_detector()
    assert not window.editor.panel.rerun_button.isEnabled()
    qtbot.waitUntil(lambda: window.editor.panel.rerun_button.isEnabled(), timeout=60000)
    kept = load_landmarks(lib, photo_id)["hallux_tip"]
    assert (kept.x, kept.y, kept.source) == (123.0, 45.0, "manual")
    from footlog.storage.photo_store import get_photo

    assert get_photo(lib, photo_id).detector_version.startswith("dorsal-")


def test_compare_tab_blends_and_drags_the_curtain(window, qtbot, photo_files):
    from footlog.storage.photo_store import update_photo

    lib = window.session.library
    first = photo_with_landmarks(lib, photo_files[0])
    second = photo_with_landmarks(lib, photo_files[1])
    update_photo(lib, second, taken_at="2030-01-01T10:00:00")
    window.session.photos_changed.emit()
    window.tabs.setCurrentWidget(window.compare_tab)
    view = window.compare_view
    assert view.first_combo.currentData() == first
    assert view.second_combo.currentData() == second
    assert view.comparison is not None and view.canvas.first is not None
    assert "aligned on 6 landmarks" in view.summary.text()
    assert view.table.rowCount() >= 2
    view.slider.setValue(20)
    assert view.canvas.opacity == pytest.approx(0.2)
    view.curtain.setChecked(True)
    assert view.canvas.curtain == pytest.approx(0.2)
    target = view.canvas._target()
    x = int(target.left() + 0.75 * target.width())
    drag(view.canvas, QPoint(x - 5, int(target.center().y())),
         QPoint(x, int(target.center().y())))
    assert view.canvas.curtain == pytest.approx(0.75, abs=0.02)
    assert view.slider.value() == pytest.approx(75, abs=2)


def test_export_report_runs_in_the_background(window, qtbot, photo_files, tmp_path):
    photo_with_landmarks(window.session.library, photo_files[0])
    target = tmp_path / "report.pdf"
    window.export_report(str(target))
    assert window.worker is not None
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    assert target.exists() and target.read_bytes().startswith(b"%PDF")
    assert "Report saved" in window.status_text.text()


def test_delete_a_photo_and_switch_people(window, qtbot, photo_files, monkeypatch):
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from footlog.storage.integrity import check_library

    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    window.open_photo(photo_id)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.delete_photos()
    assert window.library_view.model.photo_count() == 0
    assert window.editor.photo_id is None
    assert check_library(lib) == []
    assert photo_files[0].exists()  # the original is untouched

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Ana", True))
    window.add_person()
    assert window.session.person.name == "Ana"
    names = [a.text() for a in window.people_menu.actions() if a.isCheckable()]
    assert names == ["Me", "Ana"]


def test_import_dialog_shows_dates_and_guesses_and_takes_edits(qtbot, photo_files):
    from footlog.gui.import_dialog import ImportDialog

    dialog = ImportDialog(photo_files)
    qtbot.addWidget(dialog)
    assert dialog.wait_for_previews()
    qtbot.waitUntil(lambda: dialog.table.item(0, 2).text() != "…")
    by_name = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    dated = by_name["IMG_20110512_154233.jpg"]
    assert dialog.table.cellWidget(dated, 1).dateTime().toString("yyyy-MM-dd HH:mm") == \
        "2011-05-12 15:42"
    assert dialog.table.item(dated, 2).text() == "file name"
    assert dialog.table.cellWidget(by_name["left_2015-03-01.jpg"], 3).currentText() == "left"
    dialog.all_view.setCurrentText("dorsal")
    dialog._apply_to_all()
    dialog.table.cellWidget(dated, 3).setCurrentText("right")
    chosen = dialog.overrides()
    assert chosen[photo_files[0]] == {"foot": "right", "view": "dorsal"}
    assert all(facts["view"] == "dorsal" for facts in chosen.values())


def test_dropping_files_on_the_window_imports_them(window, qtbot, photo_files, monkeypatch):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    from footlog.gui.import_dialog import ImportDialog

    monkeypatch.setattr(ImportDialog, "exec", lambda self: ImportDialog.DialogCode.Accepted)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(photo_files[0].parent))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: window.worker is not None, timeout=5000)
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    assert window.library_view.model.photo_count() == len(photo_files)


def test_a_dragged_landmark_updates_only_its_thumbnail_cell(window, qtbot, photo_files):
    from footlog.storage.measure_store import set_manual_landmark

    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    model = window.library_view.model
    resets: list[bool] = []
    model.modelReset.connect(lambda: resets.append(True))
    set_manual_landmark(lib, photo_id, "hallux_medial", 14.0, 12.0)
    from footlog.library_measuring import recompute_library_measures

    recompute_library_measures(lib, photo_id)
    window.session.photo_changed.emit(photo_id)
    from footlog.gui.photo_model import PhotoRole

    photo = model.data(model.index(model.row_of(photo_id)), role=PhotoRole)
    assert photo.status == "manual" and photo.measures["hallux_angle"] > 5
    assert resets == []  # updated in place, not reloaded


def test_import_dialog_shows_thumbnails_and_the_view_measuring_will_take(qtbot, tmp_path):
    import shutil

    from testdata import PHOTOS

    from footlog.gui.import_dialog import ImportDialog

    src = tmp_path / "IMG_0001.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__aaa.jpg", src)
    dialog = ImportDialog([src])
    qtbot.addWidget(dialog)
    assert dialog.wait_for_previews()
    qtbot.waitUntil(lambda: not dialog.table.item(0, 0).icon().isNull())
    view = dialog.table.cellWidget(0, 4)
    qtbot.waitUntil(lambda: "dorsal" in view.currentText())
    assert "from the photo" in view.currentText()
    # Shown, not chosen: measuring decides (and stores) the view, the person's word wins.
    assert dialog.overrides()[src] == {}
    view.setCurrentIndex(view.findData("medial"))
    assert dialog.overrides()[src] == {"view": "medial"}


def test_a_date_is_typed_over_the_part_clicked(qtbot, photo_files):
    from PySide6.QtCore import QPoint, Qt

    from footlog.gui.import_dialog import ImportDialog

    dialog = ImportDialog(photo_files)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.wait_for_previews()
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.item(r, 0).text() == "right.png")
    qtbot.waitUntil(lambda: dialog.table.cellWidget(row, 1).isEnabled())
    date = dialog.table.cellWidget(row, 1)
    # The column shows the time too.
    assert dialog.table.columnWidth(1) >= date.sizeHint().width()
    qtbot.mouseClick(date, Qt.MouseButton.LeftButton, pos=QPoint(8, date.height() // 2))
    qtbot.keyClicks(date, "2011")
    assert date.dateTime().date().year() == 2011
    assert dialog.table.item(row, 2).text() == "you"
    assert dialog.overrides()[photo_files[2]]["taken_at"].startswith("2011-")


def test_closing_the_import_dialog_stops_its_previews(qtbot, photo_files):
    from footlog.gui.import_dialog import ImportDialog

    dialog = ImportDialog(photo_files * 20)  # more than it reads before the close
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()
    assert dialog._cancel_previews.is_set()
    assert dialog.wait_for_previews(10000)
