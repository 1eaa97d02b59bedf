"""The Runs tab, driven like a person would: dialogs, keys, filters, imports, gear."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from footlog.domain.runs import Footwear, Run
from footlog.gui.run_models import COLUMN, SORT_ROLE
from footlog.gui.runs_view import EMPTY_TEXT, RunLogView
from footlog.gui.session import LibrarySession
from footlog.storage.run_store import add_run, gear_map, list_runs, save_runs

RUNS = Path(__file__).parent / "data" / "runs"


@pytest.fixture
def session(library):
    return LibrarySession(library)


@pytest.fixture
def view(qtbot, session):
    widget = RunLogView(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    yield widget
    if widget.importing:  # never leave a thread writing to a library being deleted
        qtbot.waitUntil(lambda: not widget.importing, timeout=10_000)


def cell(view: RunLogView, row: int, key: str) -> str:
    return view.proxy.index(row, COLUMN[key]).data()


def column(view: RunLogView, key: str) -> list[str]:
    return [cell(view, row, key) for row in range(view.proxy.rowCount())]


def seed(session, *runs: tuple[str, float, str, str]) -> None:
    """Add (ISO start, km, name, gear) runs straight to the library, then tell the view."""
    for start, km, name, gear in runs:
        add_run(
            session.library,
            session.person,
            Run(datetime.fromisoformat(start), km * 1000, 1800, "run", name, gear=gear),
        )
    session.runs_changed.emit()


def select_row(view: RunLogView, row: int) -> None:
    view.table.clearSelection()
    view.table.selectRow(row)


def test_empty_state_says_what_to_do(view) -> None:
    assert view.stack.currentIndex() == 1
    assert EMPTY_TEXT in view.empty_message.text()
    assert not view.bottom.isVisibleTo(view)
    assert not view.edit_action.isEnabled() and not view.delete_action.isEnabled()


def test_add_run_through_the_dialog(qtbot, view, session) -> None:
    view.add_run()
    dialog = view.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # no distance yet
    assert dialog.distance_error.isVisibleTo(dialog)
    dialog.start_edit.setDateTime(
        QDateTime.fromString("2024-03-05 07:30:00", "yyyy-MM-dd HH:mm:ss")
    )
    dialog.distance_edit.setText("abc")
    assert (
        not dialog.ok_button.isEnabled()
        and "not a distance" in dialog.distance_error.text().lower()
    )
    qtbot.keyClicks(dialog.distance_edit, "")  # typing marks the field as touched
    dialog.distance_edit.clear()
    qtbot.keyClicks(dialog.distance_edit, "5.5")
    dialog.duration_edit.setText("0:3x")
    assert not dialog.ok_button.isEnabled()
    dialog.duration_edit.setText("0:31:15")
    dialog.name_edit.setText("Barefoot loop")
    dialog.gear_combo.setCurrentText("Luna Mono")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert view.stack.currentIndex() == 0
    assert column(view, "name") == ["Barefoot loop"]
    assert cell(view, 0, "start") == "2024-03-05 07:30"
    assert cell(view, 0, "distance_m") == "5.50"
    assert cell(view, 0, "duration_s") == "31:15"
    assert cell(view, 0, "footwear") == "barefoot" and cell(view, 0, "footwear_source") == "keyword"
    assert cell(view, 0, "counts_toward_mileage") == "yes"
    (stored,) = list_runs(session.library, session.person)
    assert stored["distance_m"] == pytest.approx(5500)
    assert stored["duration_s"] == pytest.approx(1875)
    assert stored["gear"] == "Luna Mono"
    assert datetime.fromisoformat(stored["start"]).astimezone().strftime("%H:%M") == "07:30"
    assert view.gear_view.names() == ["Luna Mono"]


def test_edit_changes_only_what_was_typed(qtbot, view, session) -> None:
    add_run(
        session.library,
        session.person,
        Run(datetime(2024, 3, 1, 7, tzinfo=UTC), 8021.7, 1805.4, "run", "Morning"),
    )
    session.runs_changed.emit()
    select_row(view, 0)
    view.table.setFocus()
    view.edit_action.trigger()
    dialog = view.dialog
    assert dialog.windowTitle() == "Edit run"
    assert dialog.distance_edit.text() == "8.022"  # metre precision, km
    dialog.distance_edit.clear()
    qtbot.keyClicks(dialog.distance_edit, "10")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    (stored,) = list_runs(session.library, session.person)
    assert stored["distance_m"] == pytest.approx(10_000)
    assert stored["duration_s"] == pytest.approx(1805.4)  # untouched: not rounded
    assert stored["name"] == "Morning"
    assert cell(view, 0, "distance_m") == "10.00"
    assert view.selected_ids() == [stored["id"]]  # the edited run stays selected


def test_edit_in_miles(qtbot, view, session) -> None:
    seed(session, ("2024-03-01T07:00:00+00:00", 5, "Easy", ""))
    select_row(view, 0)
    view.edit_action.trigger()
    dialog = view.dialog
    dialog.unit_combo.setCurrentText("mi")
    assert dialog.distance_edit.text() == "3.107"  # same distance, other unit
    dialog.distance_edit.clear()
    qtbot.keyClicks(dialog.distance_edit, "2")
    dialog.footwear_combo.setCurrentIndex(dialog.footwear_combo.findData(Footwear.SHOD))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (stored,) = list_runs(session.library, session.person)
    assert stored["distance_m"] == pytest.approx(3218.688)
    assert (stored["footwear"], stored["footwear_source"]) == ("shod", "override")


def test_delete_with_the_delete_key_after_confirmation(qtbot, view, session, monkeypatch):
    seed(
        session,
        ("2024-03-01T07:00:00+00:00", 5, "one", ""),
        ("2024-03-02T07:00:00+00:00", 6, "two", ""),
    )
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.No if len(asked) == 1 else QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    select_row(view, 0)  # newest first: "two"
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert len(asked) == 1  # the key asked first ...
    assert len(list_runs(session.library, session.person)) == 2  # ... and we said no
    view.delete_action.trigger()
    assert "Delete this run?" in asked[-1]
    assert [r["name"] for r in list_runs(session.library, session.person)] == ["one"]
    assert column(view, "name") == ["one"]


def test_filter_by_footwear_and_text(view, session) -> None:
    seed(
        session,
        ("2024-03-01T07:00:00+00:00", 5, "Barefoot on grass", ""),
        ("2024-03-02T07:00:00+00:00", 6, "Tempo in huaraches", "Xero Prio"),
        ("2024-03-03T07:00:00+00:00", 7, "Long", "Pegasus"),
    )
    combo = view.footwear_filter
    combo.setCurrentIndex(combo.findData(Footwear.BAREFOOT))
    assert column(view, "name") == ["Barefoot on grass"]
    combo.setCurrentIndex(combo.findData(Footwear.MINIMAL))
    assert column(view, "name") == ["Tempo in huaraches"]
    combo.setCurrentIndex(combo.findData(Footwear.UNKNOWN))
    assert column(view, "name") == ["Long"]
    combo.setCurrentIndex(0)
    view.text_filter.setText("pegas")  # gear, any case
    assert column(view, "name") == ["Long"]
    view.text_filter.setText("")
    assert view.proxy.rowCount() == 3


def test_sort_by_distance_is_numeric(view, session) -> None:
    seed(
        session,
        ("2024-03-01T07:00:00+00:00", 9, "nine", ""),
        ("2024-03-02T07:00:00+00:00", 10, "ten", ""),
        ("2024-03-03T07:00:00+00:00", 2.5, "short", ""),
    )
    assert column(view, "name") == ["short", "ten", "nine"]  # newest first by default
    view.table.sortByColumn(COLUMN["distance_m"], Qt.SortOrder.AscendingOrder)
    assert column(view, "distance_m") == ["2.50", "9.00", "10.00"]  # not "10.00" < "2.50"
    view.table.sortByColumn(COLUMN["distance_m"], Qt.SortOrder.DescendingOrder)
    assert column(view, "name") == ["ten", "nine", "short"]
    view.table.sortByColumn(COLUMN["start"], Qt.SortOrder.AscendingOrder)
    assert column(view, "name") == ["nine", "ten", "short"]
    assert isinstance(view.proxy.index(0, COLUMN["start"]).data(SORT_ROLE), float)


def test_import_gpx_and_strava_export_in_the_background(qtbot, view, session) -> None:
    view.start_import([RUNS / "track.gpx", RUNS / "strava_export"])
    assert view.importing and view.busy.isVisibleTo(view)
    assert not view.import_action.isEnabled()
    qtbot.waitUntil(lambda: not view.importing, timeout=10_000)
    assert view.last_import_message.startswith("8 run(s) added, 0 already there.")
    assert view.summary_box is not None and view.summary_box.isVisible()
    assert view.model.rowCount() == 8 and not view.busy.isVisibleTo(view)
    assert "Sunday ride, 40k" in column(view, "name")
    ride = column(view, "name").index("Sunday ride, 40k")
    assert cell(view, ride, "counts_toward_mileage") == "no"
    assert len(list_runs(session.library, session.person)) == 8

    view.start_import([RUNS / "track.gpx", RUNS / "README.md"])  # again, plus a non-run file
    qtbot.waitUntil(lambda: not view.importing, timeout=10_000)
    message = view.last_import_message
    assert message.startswith("0 run(s) added, 1 already there.")
    assert "1 problem(s)" in message and "README.md" in message
    assert view.summary_box.icon() == QMessageBox.Icon.Warning


def test_dropping_files_imports_them(qtbot, view) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(RUNS / "activity.tcx"))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(event)
    qtbot.waitUntil(lambda: not view.importing, timeout=10_000)
    assert view.last_import_message.startswith("1 run(s) added")
    assert view.model.rowCount() == 1


def test_changing_a_gear_class_reclassifies_runs(qtbot, view, session) -> None:
    seed(
        session,
        ("2024-03-01T07:00:00+00:00", 5, "Easy", "Pegasus 40"),
        ("2024-03-02T07:00:00+00:00", 6, "Tempo", "pegasus 40 "),  # same shoe, other spelling
        ("2024-03-03T07:00:00+00:00", 7, "Long", "Luna Mono"),
    )
    assert view.gear_view.names() == ["Luna Mono", "Pegasus 40"]
    combo = view.gear_view.combo_for("Pegasus 40")
    combo.setCurrentIndex(combo.findData(Footwear.SHOD))
    qtbot.waitUntil(lambda: column(view, "footwear").count("shod") == 2)
    assert gear_map(session.library, session.person) == {"Pegasus 40": Footwear.SHOD}
    decided = {cell(view, r, "name"): cell(view, r, "footwear_source") for r in range(3)}
    assert decided == {"Easy": "gear", "Tempo": "gear", "Long": "none"}
    # Back to "not set": the mapping is removed and the runs are unknown again.
    combo = view.gear_view.combo_for("Pegasus 40")
    combo.setCurrentIndex(combo.findData(None))
    qtbot.waitUntil(lambda: "shod" not in column(view, "footwear"))
    assert gear_map(session.library, session.person) == {}


def test_totals_per_month_and_year(view, session) -> None:
    seed(
        session,
        ("2024-02-10T12:00:00+00:00", 5, "Barefoot a", ""),
        ("2024-02-20T12:00:00+00:00", 3, "sandals b", ""),
        ("2024-03-05T12:00:00+00:00", 10, "c", ""),
    )
    model = view.totals_model
    assert view.period_combo.currentData() == "month"
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(2)]
    # Newest first; columns: period, barefoot, minimal, shod, unknown, total.
    assert rows == [
        ["2024-03", "–", "–", "–", "10.0", "10.0"],
        ["2024-02", "5.0", "3.0", "–", "–", "8.0"],
    ]
    view.period_combo.setCurrentIndex(view.period_combo.findData("year"))
    assert model.rowCount() == 1 and model.index(0, 5).data() == "18.0"
    view.period_combo.setCurrentIndex(view.period_combo.findData("week"))
    assert model.rowCount() == 3


def test_shortcuts_add_edit_and_import(qtbot, view, session, monkeypatch) -> None:
    seed(session, ("2024-03-01T07:00:00+00:00", 5, "Easy", ""))
    view.activateWindow()
    view.table.setFocus()
    qtbot.waitUntil(view.table.hasFocus)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(view.table, Qt.Key.Key_N, mods)
    assert view.dialog is not None and view.dialog.windowTitle() == "Add run"
    view.dialog.reject()
    select_row(view, 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert view.dialog.windowTitle() == "Edit run"
    view.dialog.reject()
    chosen = [str(RUNS / "track.gpx")]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: (chosen, ""))
    qtbot.keyClick(view.table, Qt.Key.Key_I, mods)
    qtbot.waitUntil(lambda: not view.importing, timeout=10_000)
    assert view.last_import_message.startswith("1 run(s) added")
    # Return in the filter box filters; it does not open the run under the selection.
    view.dialog = None
    view.text_filter.setFocus()
    qtbot.keyClick(view.text_filter, Qt.Key.Key_Return)
    assert view.dialog is None


def test_shortcuts_stay_in_their_tab(qtbot, session) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    view, other = RunLogView(session), QLineEdit()
    layout = QVBoxLayout(window)
    layout.addWidget(view)
    layout.addWidget(other)
    window.show()
    window.activateWindow()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    mods = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(other, Qt.Key.Key_N, mods)
    assert view.dialog is None


def type_into(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_the_dialog_refuses_values_out_of_range_and_says_why(qtbot, view, session) -> None:
    view.add_run()
    dialog = view.dialog
    dialog.start_edit.setDateTime(
        QDateTime.fromString("2024-03-05 07:30:00", "yyyy-MM-dd HH:mm:ss")
    )
    type_into(qtbot, dialog.distance_edit, "1500")
    assert not dialog.ok_button.isEnabled()
    assert dialog.distance_error.isVisibleTo(dialog)
    assert dialog.distance_error.text() == (
        "The distance 1,500 km is not below 1,000 km for one activity; "
        "check the number and its unit."
    )
    dialog.unit_combo.setCurrentText("mi")  # the same 1,500 km, now 932.057 mi
    assert not dialog.ok_button.isEnabled()
    type_into(qtbot, dialog.distance_edit, "600")  # 965.6 km
    assert dialog.ok_button.isEnabled() and not dialog.distance_error.isVisibleTo(dialog)

    type_into(qtbot, dialog.duration_edit, "400:00:00")
    assert not dialog.ok_button.isEnabled()
    assert "not below 14 days" in dialog.duration_error.text()
    type_into(qtbot, dialog.duration_edit, "100:00:00")
    assert dialog.ok_button.isEnabled()

    future = date.today() + timedelta(days=3)
    dialog.start_edit.setDateTime(QDateTime.fromString(f"{future} 07:30:00", "yyyy-MM-dd HH:mm:ss"))
    assert not dialog.ok_button.isEnabled()
    assert dialog.start_error.text().startswith(f"The date {future} is in the future")
    dialog.start_edit.setDateTime(
        QDateTime.fromString("1969-07-20 20:17:00", "yyyy-MM-dd HH:mm:ss")
    )
    assert "is before 1970-01-01" in dialog.start_error.text()
    assert not dialog.ok_button.isEnabled()
    dialog.start_edit.setDateTime(
        QDateTime.fromString("2024-03-05 07:30:00", "yyyy-MM-dd HH:mm:ss")
    )
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    (stored,) = list_runs(session.library, session.person)
    assert stored["distance_m"] == pytest.approx(600 * 1609.344)


def test_a_save_refused_by_the_library_is_reported(qtbot, view, session, monkeypatch) -> None:
    # Whatever the dialog let through, the library checks again and the tab says why.
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    view.add_run()
    dialog = view.dialog
    type_into(qtbot, dialog.distance_edit, "5")
    monkeypatch.setattr(dialog, "distance_m", lambda: float("inf"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert list_runs(session.library, session.person) == []
    assert "Could not save the run: cannot save this run: the distance is too large" in shown[0]


def test_incomplete_runs_are_marked_and_replaced_on_import(qtbot, view, session, tmp_path):
    data = (RUNS / "run.fit").read_bytes()
    half = tmp_path / "half.fit"
    half.write_bytes(data[: len(data) // 2])
    save_runs(session.library, session.person,
              [Run(datetime(2024, 3, 1, 7, tzinfo=UTC), 5000, 1800, "run", "Whole")])
    view.start_import([half])
    qtbot.waitUntil(lambda: not view.importing, timeout=10_000)
    assert view.last_import_message.startswith("1 run(s) added (1 incomplete), 0 already there.")
    names = column(view, "name")
    assert sorted(names) == ["Barefoot (incomplete)", "Whole"]
    row = names.index("Barefoot (incomplete)")
    tip = view.proxy.index(row, COLUMN["name"]).data(Qt.ItemDataRole.ToolTipRole)
    assert "ends early" in tip

    view.start_import([RUNS / "run.fit"])
    qtbot.waitUntil(lambda: not view.importing, timeout=10_000)
    assert view.last_import_message.startswith(
        "0 run(s) added, 1 replaced an incomplete copy, 0 already there."
    )
    assert sorted(column(view, "name")) == ["Barefoot", "Whole"]
    row = column(view, "name").index("Barefoot")
    assert cell(view, row, "distance_m") == "5.01"
