"""The Photos tab as a person uses it: typing a search, choosing an order, filtering by
foot, status, person and the days taken, clearing it all; captions that fit their cell;
and the welcome of an empty library."""

from __future__ import annotations

import pytest

pytest.importorskip("pytestqt")

from gui_helpers import photo_with_landmarks
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from testdata import photo_value

from footlog.gui.library_view import CELL, foot_and_view
from footlog.storage.photo_store import update_photo


@pytest.fixture
def three(window, photo_files) -> list[int]:
    """Three photos: 2011 (left, a note), 2015 (right, review, a larger angle), 2020."""
    lib = window.session.library
    ids = [photo_with_landmarks(lib, p) for p in photo_files]
    update_photo(lib, ids[0], taken_at="2011-05-12T15:42:33", foot="left",
                 note="after the marathon")
    update_photo(lib, ids[1], taken_at="2015-03-01T08:00:00")
    update_photo(lib, ids[2], taken_at="2020-07-04T18:00:00", note="new insoles")
    with lib.db.atomic():
        lib.db.execute("UPDATE photos SET status = 'review' WHERE id = ?", [ids[1]])
        lib.db.execute("UPDATE measures SET value = 30 WHERE photo_id = ? AND name = ?",
                       [ids[1], "hallux_angle"])
    window.session.photos_changed.emit()
    window.tabs.setCurrentWidget(window.library_view)
    return ids


def _headers(view) -> int:
    return view.model.rowCount() - len(view.model.photo_ids())


def test_typing_a_search_filters_by_file_name_and_note(window, qtbot, three):
    view = window.library_view
    assert view.model.photo_ids() == [three[2], three[1], three[0]]  # newest first
    qtbot.keyClicks(view.search, "MARATHON")
    qtbot.waitUntil(lambda: view.model.photo_ids() == [three[0]], timeout=2000)
    assert "1 of 3" in view.count_label.text() and _headers(view) == 1  # its month only
    view.search.clear()
    qtbot.keyClicks(view.search, "right.png")  # a file name (photo_files[2])
    qtbot.waitUntil(lambda: view.model.photo_ids() == [three[2]], timeout=2000)
    view.search.clear()
    qtbot.keyClicks(view.search, "no such words")
    qtbot.waitUntil(lambda: view.stack.currentWidget() is view.no_match, timeout=2000)
    qtbot.mouseClick(view.no_match_clear, Qt.MouseButton.LeftButton)
    assert view.model.photo_ids() == [three[2], three[1], three[0]]
    assert view.stack.currentWidget() is view.list and view.search.text() == ""


def test_sorting_by_date_measure_and_status(window, qtbot, three):
    view = window.library_view
    view.sort_combo.setCurrentText("Oldest first")
    assert view.model.photo_ids() == [three[0], three[1], three[2]]
    assert _headers(view) == 3  # one month header above each photo, oldest first
    first = view.model.index(0)
    assert first.data(Qt.ItemDataRole.DisplayRole) == "May 2011"
    view.sort_combo.setCurrentText("Hallux angle, largest first")
    assert view.model.photo_ids()[0] == three[1]
    assert _headers(view) == 0  # months mean nothing in this order
    view.sort_combo.setCurrentText("Needs a look first")
    assert view.model.photo_ids()[0] == three[1]
    # Open photo steps (PgDown) follow the order shown.
    window.open_photo(view.model.photo_ids()[0])
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.editor.photo_id == view.model.photo_ids()[1]


def test_filters_by_foot_status_and_dates_typed(window, qtbot, three):
    view = window.library_view
    view.foot_combo.setCurrentText("Left")
    assert view.model.photo_ids() == [three[0]]
    view.foot_combo.setCurrentText("Both feet")
    view.status_combo.setCurrentText("Needs review")
    assert view.model.photo_ids() == [three[1]]
    view.status_combo.setCurrentText("All statuses")
    # The date fields offer the library's span, and a typed year narrows it.
    assert view.bar.date_from.date().toString("yyyy-MM-dd") == "2011-05-12"
    edit = view.bar.date_from
    edit.setFocus()
    edit.setSelectedSection(edit.Section.YearSection)
    qtbot.keyClicks(edit, "2014")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.date().year() == 2014
    assert view.model.photo_ids() == [three[2], three[1]]
    assert "2 of 3" in view.count_label.text()
    qtbot.mouseClick(view.bar.clear_button, Qt.MouseButton.LeftButton)
    assert len(view.model.photo_ids()) == 3
    assert edit.date().toString("yyyy-MM-dd") == "2011-05-12"  # the span offered again


def test_choosing_a_person_in_the_bar(window, qtbot, three):
    view = window.library_view
    assert not view.bar.person_combo.isEnabled()  # one person: nothing to choose
    window.session.library.add_person("Sam")
    window.session.person_changed.emit()
    assert view.bar.person_combo.isEnabled() and view.bar.person_combo.count() == 2
    combo = view.bar.person_combo
    combo.setCurrentIndex(combo.findText("Sam"))
    combo.activated.emit(combo.currentIndex())
    assert window.session.person.name == "Sam"
    assert view.model.photo_ids() == [] and view.stack.currentWidget() is view.empty


def test_a_dragged_landmark_keeps_a_filtered_photo_in_place(window, qtbot, three):
    from footlog.storage.measure_store import set_manual_landmark

    view = window.library_view
    view.status_combo.setCurrentText("Needs review")
    assert view.model.photo_ids() == [three[1]]
    from footlog.library_measuring import recompute_library_measures

    set_manual_landmark(window.session.library, three[1], "hallux_medial", 14.0, 12.0)
    recompute_library_measures(window.session.library, three[1])
    window.session.photo_changed.emit(three[1])  # corrected by the person: "manual"
    assert view.model.photo_ids() == []


def test_captions_fit_their_cell(window):
    font = window.library_view.list.font()
    width = CELL.width() - 12
    for foot in ("left", "right", "unknown"):
        for view in ("dorsal", "medial", "plantar", "unknown"):
            text = foot_and_view(photo_value(1, foot=foot, view=view))
            assert QFontMetrics(font).horizontalAdvance(text) <= width, text


def test_the_empty_library_says_how_to_start(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    view = window.library_view
    assert view.stack.currentWidget() is view.empty
    assert "Taking the photos" in view.empty.how_to.text()
    asked = []
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        lambda *a, **k: asked.append(True) or ([], ""))
    qtbot.mouseClick(view.empty.import_button, Qt.MouseButton.LeftButton)
    assert asked == [True]

    import footlog.demo

    opened = []

    def quick_demo(root, progress=None):
        from footlog.storage.library import Library

        Library.open(root).close()
        return root

    monkeypatch.setattr(footlog.demo, "build_demo_library", quick_demo)
    monkeypatch.setattr(window, "switch_library", opened.append)
    qtbot.mouseClick(view.empty.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=10000)
    assert opened[0].name == "library" and opened[0].is_dir()
    assert window.worker is None


def test_the_welcome_opens_help_on_taking_photos_when_the_window_has_it(qtbot, tmp_path):
    from gui_helpers import temp_settings

    from footlog.gui.main_window import MainWindow
    from footlog.gui.session import LibrarySession

    opened = []

    class WindowWithHelp(MainWindow):
        def show_capture_help(self):
            opened.append(True)

    session = LibrarySession.open(tmp_path / "library")
    window = WindowWithHelp(session, temp_settings(tmp_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.wait(20)  # the window's first tasks (measuring photos left over) run
    panel = window.library_view.empty
    assert panel.help_button.isVisible()
    qtbot.mouseClick(panel.help_button, Qt.MouseButton.LeftButton)
    assert opened == [True]
    window.library_view.loader.wait()
    session.close()
