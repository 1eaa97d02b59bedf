"""The Timeline tab, driven like a person would: choices, hover, click, events, export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from test_charts import make_library
from testdata import photo_value

from footlog.charts import photo_points
from footlog.gui.event_dialog import EventDialog
from footlog.gui.session import LibrarySession
from footlog.gui.timeline_view import TimelineView
from footlog.storage.library import Library
from footlog.storage.run_store import list_events


@pytest.fixture(scope="module")
def library_root(tmp_path_factory) -> Path:
    return make_library(tmp_path_factory.mktemp("gui") / "library")


@pytest.fixture
def view(qtbot, library_root: Path, tmp_path: Path):
    # A copy per test: events are added and removed.
    import shutil

    root = tmp_path / "library"
    shutil.copytree(library_root, root)
    session = LibrarySession(Library.open(root))
    widget = TimelineView(session)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    session.close()


def canvas_pos(view: TimelineView, ax, x: float, y: float) -> QPoint:
    """Qt widget position of data point (x, y) on `ax` (matplotlib: pixels from the bottom)."""
    view.canvas.draw()
    px, py = ax.transData.transform((x, y))
    ratio = view.canvas.device_pixel_ratio
    height = view.canvas.figure.bbox.height
    return QPoint(round(px / ratio), round((height - py) / ratio))


def click_link(view: TimelineView, qtbot, words: str) -> None:
    """Click the link in the words' panel whose text holds `words`, as a person would."""
    document = view.summary.document()
    cursor = document.find(words)
    assert not cursor.isNull(), words
    cursor.setPosition(cursor.selectionStart() + 2)
    rect = view.summary.cursorRect(cursor)
    qtbot.mouseClick(view.summary.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())


def test_choices_redraw_and_explain(view: TimelineView, qtbot) -> None:
    assert view.measure_box.currentData() == "hallux_angle"
    text = view.summary.toPlainText()
    assert text.startswith("Your left big-toe angle has changed by")
    assert "Hallux angle, left" not in text  # the numbers wait behind their link
    click_link(view, qtbot, "Show the numbers")
    assert view.details_open and "Hallux angle, left" in view.summary.toPlainText()
    view.measure_box.setCurrentIndex(view.measure_box.findData("toe_splay"))
    view.foot_box.setCurrentIndex(view.foot_box.findData("right"))
    text = view.summary.toPlainText()
    assert "Toe splay, right:" in text and "Toe splay, left:" not in text
    assert "Your right toe splay" in text and "Your left toe splay" not in text
    click_link(view, qtbot, "Hide the numbers")
    assert "Toe splay, right:" not in view.summary.toPlainText()
    click_link(view, qtbot, "What is the toe splay?")  # Help ▸ Measures, at the toe splay
    page = view.help_page
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: page.browser.verticalScrollBar().value() > 0)
    top = page.browser.cursorForPosition(page.browser.viewport().rect().topLeft())
    assert "Toe splay" in top.block().text() or "toe_splay" in top.block().text()
    page.close()
    assert view.canvas.figure.axes[0].get_ylabel() == "Toe splay (°)"
    view.kind_box.setCurrentIndex(view.kind_box.findData("scatter"))
    assert "barefoot distance" in view.canvas.figure.axes[0].get_xlabel()
    view.kind_box.setCurrentIndex(view.kind_box.findData("overview"))
    assert len([a for a in view.canvas.figure.axes if a.get_visible()]) == 3


def test_date_range_limits_the_sessions(view: TimelineView) -> None:
    before = len(view.data.observations)
    view.all_dates.setChecked(False)
    view.from_edit.setDate(QDate(2020, 1, 1))
    view.to_edit.setDate(QDate(2020, 12, 31))
    assert 0 < len(view.data.observations) < before
    assert all(o.taken_at.year == 2020 for o in view.data.observations)


def test_hover_and_click_on_a_point(view: TimelineView, qtbot) -> None:
    points = photo_points(view.canvas.figure)[1]  # the right foot's photos
    k = 5
    target_id = points.ids[k]
    pos = canvas_pos(view, points.ax, points.x[k], points.y[k])
    html = view.tooltip_html(target_id)
    assert "<img src=" in html and "Hallux angle" in html  # a real thumbnail path
    with qtbot.waitSignal(view.open_photo, timeout=2000) as blocker:
        qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [target_id]
    qtbot.mouseMove(view.canvas, pos)
    qtbot.waitUntil(lambda: view._hover_id == target_id, timeout=2000)


def test_click_away_from_points_opens_nothing(view: TimelineView, qtbot) -> None:
    opened: list[int] = []
    view.open_photo.connect(opened.append)
    qtbot.mouseClick(view.canvas, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    assert opened == []


def test_events_are_added_edited_and_removed(view: TimelineView, monkeypatch) -> None:
    def fill(text: str, day: date, foot: str):
        def fake_exec(dialog: EventDialog) -> int:
            dialog.text_edit.setText(text)
            dialog.date_edit.setDate(QDate(day.year, day.month, day.day))
            dialog.foot_box.setCurrentText(foot)
            return QDialog.DialogCode.Accepted
        monkeypatch.setattr(EventDialog, "exec", fake_exec)

    lib = view.session.library
    fill("New toe spacers", date(2020, 9, 15), "right")
    view.add_event()
    view.reload()  # the signal's reload is queued; run it now
    stored = [e for e in list_events(lib) if e["text"] == "New toe spacers"]
    assert stored and stored[0]["date"] == "2020-09-15" and stored[0]["foot"] == "right"
    assert view.events_list.count() == 3
    key = " ".join(t.get_text() for t in view.canvas.figure.texts)
    assert "New toe spacers (right foot)" in key
    assert [t.get_text() for t in view.canvas.figure.axes[0].texts] == ["1", "2", "3"]

    view.events_list.setCurrentRow(1)  # sorted by date: the new one is second
    fill("Toe spacers, every night", date(2020, 9, 16), "both")
    view.edit_event()
    view.reload()
    assert any(e["text"] == "Toe spacers, every night" for e in list_events(lib))

    view.events_list.setCurrentRow(1)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.remove_event()
    view.reload()
    assert len(list_events(lib)) == 2 and view.events_list.count() == 2


def test_dialog_needs_words() -> None:
    dialog = EventDialog(None)
    assert not dialog._ok.isEnabled()
    dialog.text_edit.setText("Sprained ankle")
    assert dialog._ok.isEnabled()
    assert dialog.values()[1:] == ("Sprained ankle", "both")


def test_export_current_chart(view: TimelineView, monkeypatch, tmp_path: Path) -> None:
    from PIL import Image

    target = tmp_path / "chart"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(target), "PNG image (*.png)"))
    view.export_chart()
    with Image.open(tmp_path / "chart.png") as img:
        assert img.width > 500


def test_signals_reload_the_tab(view: TimelineView, qtbot) -> None:
    from footlog.storage.run_store import add_event

    add_event(view.session.library, view.session.person, date(2021, 1, 1), "Outside", "both")
    view.session.events_changed.emit()
    qtbot.waitUntil(lambda: view.events_list.count() == 3, timeout=2000)


def test_choices_and_ranges_do_not_read_the_library_again(view: TimelineView) -> None:
    loads = view.loads
    view.measure_box.setCurrentIndex(view.measure_box.findData("toe_splay"))
    view.foot_box.setCurrentIndex(view.foot_box.findData("left"))
    view.kind_box.setCurrentIndex(view.kind_box.findData("scatter"))
    assert view.loads == loads  # a redraw, not a reload
    view.all_dates.setChecked(False)
    view.from_edit.setDate(QDate(2020, 1, 1))
    after_range = view.loads
    assert after_range > loads
    view.all_dates.setChecked(True)  # back to a range already read
    assert view.loads == after_range
    view.session.runs_changed.emit()  # the library changed: read again
    view.reload()
    assert view.loads == after_range + 1


def test_canvas_draws_text_from_the_cache(view: TimelineView) -> None:
    from footlog.charts.render import CachedTextRendererAgg, text_cache_size

    view.canvas.draw()
    assert isinstance(view.canvas.get_renderer(), CachedTextRendererAgg)
    assert text_cache_size() > 0


def test_the_lead_fits_without_scrolling_at_the_window_size(qtbot, library_root: Path) -> None:
    """At the main window's first size (1280 x 820) the lead sentences of both feet show
    whole in the words' panel: no scroll bar."""
    from PySide6.QtCore import QSettings

    from footlog.gui.main_window import MainWindow

    session = LibrarySession(Library.open(library_root))
    window = MainWindow(session, QSettings("footlog-tests", "lead-fits"))
    window.settings.clear()
    qtbot.addWidget(window)
    window.resize(1280, 820)
    window.show()
    window.tabs.setCurrentWidget(window.timeline_tab)
    qtbot.waitExposed(window)
    view = window.timeline_view
    qtbot.waitUntil(lambda: "Your" in view.summary.toPlainText())
    for measure in ("hallux_angle", "toe_splay"):
        view.measure_box.setCurrentIndex(view.measure_box.findData(measure))
        qtbot.wait(10)
        assert view.summary.verticalScrollBar().maximum() == 0, measure
        assert view.measure_box.toolTip().startswith(view.measure_box.currentText())
    window.close()
    session.close()


def test_photos_the_chart_leaves_out_are_counted_and_opened(qtbot, library_root, tmp_path):
    """A photo not marked left or right and one that gave no measure are not on the chart:
    the words say so, and "Open them" steps through them in the editor."""
    import shutil

    from gui_helpers import temp_settings

    from footlog.gui.main_window import MainWindow

    root = tmp_path / "library"
    shutil.copytree(library_root, root)
    with Library.open(root) as lib:
        lib.db.execute("UPDATE photos SET foot = 'unknown' WHERE id = 1")
        lib.db.execute("UPDATE photos SET status = 'failed' WHERE id = 2")
        lib.db.execute("DELETE FROM measures WHERE photo_id = 2")
    session = LibrarySession(Library.open(root))
    window = MainWindow(session, temp_settings(tmp_path))
    qtbot.addWidget(window)
    window.resize(1300, 820)
    window.show()
    window.tabs.setCurrentWidget(window.timeline_tab)
    view = window.timeline_view
    qtbot.waitUntil(lambda: view.data is not None)
    text = view.summary.toPlainText()
    assert "2 photos are not on the chart: 1 gave no measure (its landmarks were not " \
           "found), 1 is not marked left or right." in " ".join(text.split())
    click_link(view, qtbot, "Open them")
    qtbot.waitUntil(lambda: window.editor.photo_id is not None)
    assert window.review_ids == [2, 1]
    assert window.editor.photo_id == 2
    window.library_view.loader.wait()
    window.close()
    qtbot.wait(10)
    session.close()


def test_left_out_words_say_each_reason_once() -> None:
    from footlog.domain.timeline import build_timeline, left_out_words

    def row(pid: int, **kw):
        base = dict(status="ok", measures={"hallux_angle": 5.0},
                    taken_at=f"2020-01-0{pid}T09:00:00", foot="left", view="dorsal")
        return photo_value(pid, **{**base, **kw})

    data = build_timeline([row(1), row(2, foot="unknown"), row(3, status="failed", measures={}),
                           row(4, view="unknown"), row(5, foot="unknown")], [], [])
    assert data.left_out == {"foot": [2, 5], "failed": [3], "view": [4]}
    assert left_out_words(data.left_out) == (
        "4 photos are not on the chart: 1 gave no measure (its landmarks were not found), "
        "2 are not marked left or right, 1 has no view.")
    assert left_out_words({}) is None
