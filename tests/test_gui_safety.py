"""Menu commands that must ask, undo, write, and notice: driven through their actions."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import menu_action, photo_with_landmarks
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox

from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks, set_manual_landmark
from footlog.storage.photo_store import import_photo, list_photos


@pytest.fixture
def answered(monkeypatch):
    """QMessageBox.question answers Yes and records each question it was asked."""
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def test_delete_photo_from_the_menu_asks_and_undo_brings_it_back(
    window, qtbot, photo_files, answered
):
    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    set_manual_landmark(lib, photo_id, "hallux_tip", 15.5, 3.5)
    window.session.photos_changed.emit()
    window.library_view.select_photo(photo_id)

    menu_action(window, "Photo", "Delete Photo…").trigger()

    assert len(answered) == 1 and "trash" in answered[0]
    assert window.library_view.model.photo_count() == 0
    assert list_photos(lib, deleted=True)[0].id == photo_id
    assert lib.photo_path(list_photos(lib, deleted=True)[0].file_name).exists()

    window.undo_action.trigger()  # Edit ▸ Undo, right after

    assert window.library_view.model.photo_count() == 1
    restored = load_landmarks(lib, photo_id)
    assert restored["hallux_tip"].source == "manual"
    assert (restored["hallux_tip"].x, restored["hallux_tip"].y) == (15.5, 3.5)

    window.redo_action.trigger()
    assert window.library_view.model.photo_count() == 0


def test_refusing_the_question_deletes_nothing(window, photo_files, monkeypatch):
    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    window.library_view.select_photo(photo_id)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    menu_action(window, "Photo", "Delete Photo…").trigger()
    assert [p.id for p in list_photos(lib)] == [photo_id]


def test_deleted_photos_dialog_restores_and_deletes_for_good(
    window, qtbot, photo_files, answered
):
    lib = window.session.library
    ids = [photo_with_landmarks(lib, path) for path in photo_files[:2]]
    window.session.photos_changed.emit()
    for photo_id in ids:
        window.library_view.select_photo(photo_id)
        window.delete_photos()
    menu_action(window, "Photo", "Deleted Photos…").trigger()
    dialog = window.deleted_dialog
    assert dialog.table.rowCount() == 2

    # Through the selection model: selectRow() honours keyboard modifiers left pressed.
    dialog.table.selectionModel().select(
        dialog.table.model().index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect
        | QItemSelectionModel.SelectionFlag.Rows,
    )
    first = dialog.selected_ids()[0]
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 1
    assert first in [p.id for p in list_photos(lib)]

    qtbot.mouseClick(dialog.empty_button, Qt.MouseButton.LeftButton)
    assert dialog.table.rowCount() == 0
    assert "cannot be undone" in answered[-1]
    assert list_photos(lib, deleted=True) == []
    assert window.library_undo.count() == 0  # nothing left to undo into a purged photo


def test_export_report_from_the_menu_writes_the_pdf(window, qtbot, photo_files, tmp_path,
                                                    monkeypatch):
    photo_with_landmarks(window.session.library, photo_files[0])
    target = tmp_path / "from-menu.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    menu_action(window, "File", "Export Report (PDF)…").trigger()
    assert window.worker is not None  # written in the background
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    assert target.read_bytes().startswith(b"%PDF")


def test_no_two_actions_share_a_shortcut(window):
    """A key bound twice where both can fire is 'ambiguous' in Qt and does nothing.

    Window-wide shortcuts clash with any other use of the key; shortcuts scoped to a widget
    (the Runs tab's Del, the photo list's Del) clash only within the same widget.
    """
    window_wide = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
    uses: dict[str, list[tuple[bool, object]]] = {}
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            if not key.isEmpty():
                scope = (action.shortcutContext() in window_wide, action.parent())
                uses.setdefault(key.toString(), []).append(scope)
    clashes = {
        key: len(scopes)
        for key, scopes in uses.items()
        if len(scopes) > 1
        and (any(wide for wide, _ in scopes) or len({id(p) for _, p in scopes}) < len(scopes))
    }
    assert clashes == {}
    assert len(uses) > 20  # the window's actions were all found


def test_redo_has_working_shortcuts(window, qtbot, photo_files, answered):
    lib = window.session.library
    photo_id = photo_with_landmarks(lib, photo_files[0])
    window.session.photos_changed.emit()
    window.library_view.select_photo(photo_id)
    window.delete_photos()
    window.activateWindow()
    redo_keys = [k.toString() for k in window.redo_action.shortcuts()]
    assert redo_keys, "Redo has no shortcut"
    assert set(redo_keys) == {
        k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
    }
    for key in redo_keys:
        window.undo_action.trigger()
        assert window.library_view.model.photo_count() == 1
        sequence = QKeySequence(key)
        combo = sequence[0]
        qtbot.keyClick(window.tabs, combo.key(), combo.keyboardModifiers())
        assert window.library_view.model.photo_count() == 0, f"{key} did not redo"


def test_window_notices_photos_added_by_another_process(window, qtbot, photo_files):
    assert window.library_view.model.photo_count() == 0
    # A second connection, as the command line would open.
    with Library.open(window.session.root) as other:
        import_photo(other, photo_files[0], other.person())
    qtbot.waitUntil(lambda: window.library_view.model.photo_count() == 1, timeout=5000)


def test_pending_photos_left_by_a_dead_process_are_measured_on_open(qtbot, tmp_path: Path,
                                                                    photo_files):
    from gui_helpers import temp_settings

    from footlog.gui.main_window import MainWindow
    from footlog.gui.session import LibrarySession

    root = tmp_path / "library"
    with Library.open(root) as lib:
        photo_id = import_photo(lib, photo_files[0], lib.person(), measure=False).photo_id
    session = LibrarySession.open(root)
    win = MainWindow(session, temp_settings(tmp_path))
    qtbot.addWidget(win)

    def status() -> str:
        row = session.library.db.execute("SELECT status FROM photos WHERE id = ?", [photo_id])
        return row.fetchone()[0]

    qtbot.waitUntil(lambda: status() != "pending" and win.worker is None, timeout=60000)
    session.close()


def test_back_up_library_from_the_menu_shows_progress_and_writes_a_verified_zip(
    window, qtbot, photo_files, tmp_path, monkeypatch
):
    import zipfile

    from footlog.storage.backup import restore_library

    for path in photo_files:
        photo_with_landmarks(window.session.library, path)
    target = tmp_path / "backup.zip"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Zip"))
    menu_action(window, "File", "Back Up Library…").trigger()
    assert window.worker is not None and window.progress.isVisible()
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    assert "Backup saved" in window.status_text.text()
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
    assert "footlog.db" in names and sum(n.startswith("photos/") for n in names) == 3
    summary = restore_library(target, tmp_path / "restored")
    assert summary.photos == 3


def _damage(db_path: Path, table: str) -> None:
    """Overwrite the header of `table`'s root page in a checkpointed database file, so that
    table alone cannot be read."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()
    conn.close()
    data = bytearray(db_path.read_bytes())
    start = (root[0] - 1) * page_size
    data[start : start + 12] = b"\xff" * 12
    db_path.write_bytes(bytes(data))


def test_a_damaged_library_opens_read_only_and_refuses_changes(
    qtbot, tmp_path, photo_files, monkeypatch
):
    from gui_helpers import temp_settings

    from footlog.gui.main_window import MainWindow
    from footlog.gui.session import LibrarySession

    root = tmp_path / "library"
    with Library.open(root) as lib:
        for path in photo_files:
            photo_with_landmarks(lib, path)
        for i in range(300):  # enough pages that the damage lands inside a table
            lib.db.execute("INSERT INTO events (person_id, date, text) VALUES (1, ?, ?)",
                           ["2024-01-01", f"event {i} " + "x" * 200])
    _damage(root / "footlog.db", "events")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    session = LibrarySession.open(root)
    win = MainWindow(session, temp_settings(tmp_path))
    qtbot.addWidget(win)
    assert "Read only" in win.status_text.text() and "damaged" in win.status_text.text()
    win.library_view.select_photo(win.library_view.model.photo_ids()[0])
    win.delete_photos()
    assert warnings and "damaged" in warnings[0]
    assert list_photos(session.library, deleted=True) == []
    session.close()


def test_an_error_escaping_a_slot_is_shown_as_a_message(monkeypatch):
    from footlog.gui.main import report_error_in_window
    from footlog.storage.database import LibraryReadOnlyError

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    error = LibraryReadOnlyError("the library folder is read-only")
    report_error_in_window(type(error), error, None)
    assert shown == ["The library folder is read-only"]


def test_only_the_views_whose_tables_another_process_changed_reload(window, photo_files):
    session = window.session
    fired: list[str] = []
    for name in ("photos_changed", "runs_changed", "events_changed"):
        getattr(session, name).connect(lambda n=name: fired.append(n))
    with Library.open(session.root) as other:
        import_photo(other, photo_files[0], other.person())
    assert session.check_outside_changes()
    assert fired == ["photos_changed"]
    fired.clear()
    with Library.open(session.root) as other:
        other.db.execute(
            "INSERT INTO events (person_id, date, text) VALUES (1, '2024-01-01', 'spacers')"
        )
    assert session.check_outside_changes()
    assert fired == ["events_changed"]
    fired.clear()
    assert not session.check_outside_changes()  # nothing new: nothing reloads
    assert fired == []


def test_dragging_a_landmark_in_a_read_only_library_changes_nothing(
    qtbot, tmp_path, photo_files, monkeypatch
):
    from gui_helpers import drag, temp_settings
    from PySide6.QtCore import QPoint

    from footlog.gui.main_window import MainWindow
    from footlog.gui.session import LibrarySession

    root = tmp_path / "library"
    with Library.open(root) as lib:
        photo_id = photo_with_landmarks(lib, photo_files[0])
        for i in range(300):
            lib.db.execute("INSERT INTO events (person_id, date, text) VALUES (1, ?, ?)",
                           ["2024-01-01", f"event {i} " + "x" * 200])
    _damage(root / "footlog.db", "events")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    session = LibrarySession.open(root)
    win = MainWindow(session, temp_settings(tmp_path))
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    win.open_photo(photo_id)
    win.editor.wait_for_image()
    qtbot.wait(50)
    canvas = win.editor.canvas
    start = canvas.mapFromScene(canvas.items_by_name["hallux_medial"].pos())
    drag(canvas.viewport(), start, start + QPoint(40, 0))
    assert warnings and "damaged" in warnings[0]
    stored = load_landmarks(session.library, photo_id)["hallux_medial"]
    assert (stored.x, stored.source) == (10.0, "auto")
    qtbot.waitUntil(
        lambda: canvas.items_by_name["hallux_medial"].pos().x() == pytest.approx(10.0)
    )
    assert win.library_undo.count() == 0 and win.editor.undo_stack.count() == 0
    session.close()


def test_ctrl_shift_r_opens_the_report_dialog(window, qtbot, monkeypatch):
    asked: list[str] = []

    def save_dialog(_parent, caption, *args, **kwargs):
        asked.append(caption)
        return "", ""  # the person cancels

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    window.activateWindow()
    qtbot.keyClick(
        window.tabs,
        Qt.Key.Key_R,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert asked == ["Save the report"]
    assert window.worker is None  # cancelled: nothing runs
