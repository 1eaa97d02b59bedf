"""Confirming a photo in the window, as a person would: Enter in the editor, the Photo
menu on a selection in the library, and Edit ▸ Undo withdrawing it."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import photo_with_landmarks
from PySide6.QtCore import Qt

from footlog.storage.photo_store import get_photo


def _menu_action(window, menu: str, text: str):
    for top in window.menuBar().actions():
        if top.text().replace("&", "") == menu:
            for action in top.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu} ▸ {text}")


def test_enter_in_the_editor_confirms_and_undo_withdraws(window, qtbot, photo_files):
    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    window.editor.canvas.setFocus()
    qtbot.keyClick(window.editor.canvas, Qt.Key.Key_Return)
    photo = get_photo(lib, photo_id)
    assert photo["status"] == "confirmed" and photo["confirmed_by"]
    panel = window.editor.panel
    assert "confirmed" in panel.status.text() and not panel.confirm_button.isEnabled()
    assert "Confirm photo" in window.undo_action.text()

    window.undo_action.trigger()
    photo = get_photo(lib, photo_id)
    assert photo["status"] == photo["measured_status"] != "confirmed"
    assert panel.confirm_button.isEnabled()
    window.redo_action.trigger()
    assert get_photo(lib, photo_id)["status"] == "confirmed"


def test_enter_in_the_note_field_does_not_confirm(window, qtbot, photo_files):
    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    note = window.editor.panel.note
    note.setFocus()
    qtbot.keyClicks(note, "after a long run")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    assert get_photo(lib, photo_id)["status"] != "confirmed"


def test_confirming_a_selection_from_the_photo_menu(window, qtbot, photo_files, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    lib = window.session.library
    ids = [photo_with_landmarks(lib, p) for p in photo_files[:2]]
    window.session.photos_changed.emit()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() >= 2)
    window.tabs.setCurrentWidget(window.library_view)
    for pid in ids:
        window.library_view.select_photo(pid)
    window.library_view.list.selectAll()
    _menu_action(window, "Photo", "Confirm Landmarks").trigger()
    assert all(get_photo(lib, pid)["status"] == "confirmed" for pid in ids)
    window.undo_action.trigger()
    assert all(get_photo(lib, pid)["status"] != "confirmed" for pid in ids)

    # A photo with nothing to vouch for says why, and nothing is confirmed.
    from footlog.storage.photo_store import import_photo

    bare = import_photo(lib, photo_files[2], lib.person(), measure=False).photo_id
    window.session.photos_changed.emit()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() >= 3)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    window.library_view.list.selectAll()
    _menu_action(window, "Photo", "Confirm Landmarks").trigger()
    assert said and "not been measured yet" in said[0]
    assert all(get_photo(lib, pid)["status"] != "confirmed" for pid in [*ids, bare])


def test_measure_all_again_shows_the_changes_then_saves_and_undoes(window, qtbot, tmp_path):
    import shutil

    from testdata import PHOTOS

    from footlog.measuring import measure_library_photo
    from footlog.storage.measure_store import load_measures
    from footlog.storage.photo_store import import_photo

    lib = window.session.library
    source = tmp_path / "aaa.jpg"
    shutil.copy(PHOTOS / "ala-jaidi__aaa.jpg", source)
    pid = import_photo(lib, source, lib.person()).photo_id
    measure_library_photo(lib, pid)
    right = load_measures(lib, pid)["hallux_angle"]
    with lib.db.atomic():  # as an older detector left it
        lib.db.execute("UPDATE measures SET value = value + 5 WHERE photo_id = ? "
                       "AND name = 'hallux_angle'", [pid])
    window.session.photos_changed.emit()
    _menu_action(window, "Photo", "Measure All Again…").trigger()
    qtbot.waitUntil(lambda: getattr(window, "remeasure_dialog", None) is not None, timeout=60000)
    dialog = window.remeasure_dialog
    assert dialog.table.rowCount() == 1
    assert "hallux angle" in dialog.table.item(0, 2).text()
    assert load_measures(lib, pid)["hallux_angle"] == pytest.approx(right + 5)  # not yet
    dialog.accept()
    assert load_measures(lib, pid)["hallux_angle"] == pytest.approx(right)
    assert "Measure 1 photo(s) again" in window.undo_action.text()
    window.undo_action.trigger()
    assert load_measures(lib, pid)["hallux_angle"] == pytest.approx(right + 5)
