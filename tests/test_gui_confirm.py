"""Confirming a photo in the window, as a person would: Enter in the editor, the Photo
menu on a selection in the library, and Edit ▸ Undo withdrawing it."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import menu_action, photo_with_landmarks
from PySide6.QtCore import Qt

from footlog.storage.photo_store import get_photo


@pytest.fixture
def opened(window, photo_files) -> int:
    """A photo with landmarks, open in the editor; its id."""
    photo_id = photo_with_landmarks(window.session.library, photo_files[0])
    window.session.photos_changed.emit()
    window.open_photo(photo_id)
    window.editor.wait_for_image()
    return photo_id


def test_enter_in_the_editor_confirms_and_undo_withdraws(window, qtbot, opened):
    lib, photo_id = window.session.library, opened
    window.editor.canvas.setFocus()
    qtbot.keyClick(window.editor.canvas, Qt.Key.Key_Return)
    photo = get_photo(lib, photo_id)
    assert photo.status == "confirmed" and photo.confirmed_by
    panel = window.editor.panel
    assert "confirmed" in panel.status.text() and not panel.confirm_button.isEnabled()
    assert "Confirm photo" in window.undo_action.text()

    window.undo_action.trigger()
    photo = get_photo(lib, photo_id)
    assert photo.status == photo.measured_status != "confirmed"
    assert panel.confirm_button.isEnabled()
    window.redo_action.trigger()
    assert get_photo(lib, photo_id).status == "confirmed"


def test_enter_in_the_note_field_does_not_confirm(window, qtbot, opened):
    lib, photo_id = window.session.library, opened
    note = window.editor.panel.note
    note.setFocus()
    qtbot.keyClicks(note, "after a long run")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    assert get_photo(lib, photo_id).status != "confirmed"


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
    menu_action(window, "Photo", "Confirm Landmarks").trigger()
    assert all(get_photo(lib, pid).status == "confirmed" for pid in ids)
    window.undo_action.trigger()
    assert all(get_photo(lib, pid).status != "confirmed" for pid in ids)

    # A photo with nothing to vouch for says why, and nothing is confirmed.
    from footlog.storage.photo_store import import_photo

    bare = import_photo(lib, photo_files[2], lib.person(), measure=False).photo_id
    window.session.photos_changed.emit()
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() >= 3)
    said = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: said.append(a[2]))
    window.library_view.list.selectAll()
    menu_action(window, "Photo", "Confirm Landmarks").trigger()
    assert said and "not been measured yet" in said[0]
    assert all(get_photo(lib, pid).status != "confirmed" for pid in [*ids, bare])


def test_measure_all_again_shows_the_changes_then_saves_and_undoes(window, qtbot, tmp_path):
    import shutil

    from testdata import PHOTOS

    from footlog.library_measuring import measure_library_photo
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
    menu_action(window, "Photo", "Measure All Again…").trigger()
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


def test_the_review_queue_is_driven_by_keys(window, qtbot, photo_files):
    """Two doubted photos and one confirmed: F7 opens the first doubted photo with its
    doubtful landmark selected; an arrow key nudges it by one screen pixel (a fraction of
    a photo pixel at 4x zoom), Tab moves on, Enter confirms and opens the next; Esc stops."""
    from footlog.storage.confirm_store import confirm_photos
    from footlog.storage.measure_store import load_landmarks

    lib = window.session.library
    done, *queue = (photo_with_landmarks(lib, p) for p in photo_files)
    confirm_photos(lib, [done], by="me")
    with lib.db.atomic():
        for pid in queue:
            lib.db.execute("UPDATE photos SET status = 'review', auto_status = 'review', "
                           "warnings = ? WHERE id = ?",
                           ['["the toe splay moves: check toe5_lateral"]', pid])
    window.session.photos_changed.emit()
    menu_action(window, "Photo", "Review Photos").trigger()
    editor = window.editor
    assert editor.photo_id == queue[0] and editor.reviewing
    assert editor.canvas.selected_name() == "toe5_lateral"  # the doubtful one first
    assert editor.canvas.ghosts  # the confirmed photo's landmarks, faint
    assert editor.panel.loupe.name == "toe5_lateral"

    editor.canvas.resetTransform()
    editor.canvas.scale(4.0, 4.0)  # at 4x, one screen pixel is 0.25 photo pixel
    before = load_landmarks(lib, queue[0])["toe5_lateral"]
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Right)
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    after = load_landmarks(lib, queue[0])["toe5_lateral"]
    assert after.x - before.x == pytest.approx(0.5)
    assert after.y - before.y == pytest.approx(-2.5)
    assert after.source == "manual"
    window.undo_action.trigger()  # the nudges are one step
    undone = load_landmarks(lib, queue[0])["toe5_lateral"]
    assert (undone.x, undone.y) == (before.x, before.y)

    qtbot.keyClick(editor.canvas, Qt.Key.Key_Tab)
    assert editor.canvas.selected_name() not in (None, "toe5_lateral")
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Return)
    assert get_photo(lib, queue[0]).status == "confirmed"
    assert editor.photo_id == queue[1]  # and on to the next
    qtbot.keyClick(editor.canvas, Qt.Key.Key_Escape)
    assert not editor.reviewing and not editor.canvas.ghosts
    assert get_photo(lib, queue[1]).status == "review"


def test_the_needs_review_filter(window, qtbot, photo_files):
    lib = window.session.library
    ids = [photo_with_landmarks(lib, p) for p in photo_files]
    with lib.db.atomic():
        lib.db.execute("UPDATE photos SET status = 'review' WHERE id = ?", [ids[0]])
    window.session.photos_changed.emit()
    view = window.library_view
    qtbot.waitUntil(lambda: view.model.photo_count() == 3)
    view.status_combo.setCurrentText("Needs review")
    assert view.model.photo_ids() == [ids[0]]
    view.status_combo.setCurrentText("Confirmed")
    assert view.model.photo_ids() == []
