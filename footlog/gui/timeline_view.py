"""The Timeline tab: foot structure over time against barefoot mileage, with the noise shown.

The chart is drawn by `footlog.charts` into a FigureCanvasQTAgg (with the text cache of
`footlog.charts.render`); this widget only chooses what to draw, explains it in words, and
turns hover/click on a photo point into a tooltip and `open_photo(id)`. Hover never redraws
the figure: a nearest-point lookup in screen pixels over at most a few hundred points is
microseconds, a redraw ~200 ms. The library is read again only after it changed or for a
date range not read yet (`benchmarks/timeline_speed.py` times the whole path).
"""

from __future__ import annotations

import html
from datetime import date
from pathlib import Path

from matplotlib.backend_bases import MouseEvent
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from footlog.charts import CHARTS, apply_margins, point_at, save_figure
from footlog.charts.render import TextCacheCanvasMixin
from footlog.domain.measure_guide import plain_name
from footlog.domain.measure_guide import tooltip as measure_tooltip
from footlog.domain.stats_text import format_value, label, plain_summary
from footlog.domain.timeline import LEFT_OUT_REASONS, TimelineData, left_out_words
from footlog.domain.views import MEASURES
from footlog.gui.event_dialog import EventDialog
from footlog.gui.session import LibrarySession
from footlog.imaging.photo_io import PhotoError
from footlog.imaging.thumbnails import ensure_thumbnail
from footlog.storage.errors import STORAGE_ERRORS
from footlog.storage.run_store import add_event, delete_event, update_event
from footlog.timeline import load_timeline

KINDS = (
    ("timeline", "Over time"),
    ("scatter", "Against barefoot km"),
    ("overview", "All measures"),
)
FOOT_CHOICES = (("both", "Both feet"), ("left", "Left foot"), ("right", "Right foot"))
EVENT_ID_ROLE = Qt.ItemDataRole.UserRole
EXPORT_FILTERS = "PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)"
SIDE_MIN_WIDTH_PX = 340  # the words' column: about 45 characters a line


class TimelineCanvas(TextCacheCanvasMixin, FigureCanvasQTAgg):
    """The Qt canvas, drawing text from the text cache (`footlog.charts.render`): the tick
    labels, legends and event key of a redraw are mostly the strings of the one before."""


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class TimelineView(QWidget):
    """The Timeline tab. Emits `open_photo(photo_id)` when a photo point is clicked, and
    `open_photos(ids)` for "Open them" under the photos the chart leaves out."""

    open_photo = Signal(int)
    open_photos = Signal(list)

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.data: TimelineData | None = None
        # Timelines already read, per (person id, first day, last day): switching the date
        # range back and forth reads nothing again; any change to the library empties it.
        self._cache: dict[tuple[int | None, date | None, date | None], TimelineData] = {}
        self.loads = 0  # how many times the library was read (tests check it stays put)
        self._dirty = True
        self._hover_id: int | None = None
        self._thumbs: dict[int, str] = {}
        self._build()
        # Several signals arrive together (a person switch sends four): reload once.
        self._reload_timer = QTimer(self, singleShot=True, interval=0)
        self._reload_timer.timeout.connect(self.reload)
        for signal in (session.photos_changed, session.runs_changed, session.events_changed,
                       session.person_changed):
            signal.connect(self.schedule_reload)
        session.photo_changed.connect(lambda _id: self.schedule_reload())

    # -- construction ----------------------------------------------------------------------

    def _build(self) -> None:
        self.kind_box = QComboBox()
        for key, text in KINDS:
            self.kind_box.addItem(text, key)
        self.measure_box = QComboBox()
        self.foot_box = QComboBox()
        for key, text in FOOT_CHOICES:
            self.foot_box.addItem(text, key)
        self.all_dates = QCheckBox("All dates")
        self.all_dates.setChecked(True)
        self.from_edit, self.to_edit = QDateEdit(), QDateEdit()
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.export_button = QPushButton("Export chart…")
        bar = QHBoxLayout()
        for w in (QLabel("Show"), self.kind_box, QLabel("Measure"), self.measure_box,
                  self.foot_box, self.all_dates, QLabel("From"), self.from_edit,
                  QLabel("to"), self.to_edit):
            bar.addWidget(w)
        bar.addStretch(1)
        bar.addWidget(self.export_button)

        self.canvas = TimelineCanvas(Figure(figsize=(10, 6.5)))
        self.canvas.setMinimumSize(480, 320)
        self.canvas.mpl_connect("motion_notify_event", self._on_motion)
        self.canvas.mpl_connect("button_press_event", self._on_press)
        self.canvas.mpl_connect("resize_event", lambda _e: apply_margins(self.canvas.figure))

        self.summary = QTextBrowser()
        self.summary.setOpenLinks(False)
        # The lead sentences show first; the numbers behind them open on request.
        self.details_open = False
        self.summary.anchorClicked.connect(self._summary_link)
        self.events_list = QListWidget()
        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.remove_button = QPushButton("Remove")
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(b)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(QLabel("<b>What the photos say</b>"))
        side_layout.addWidget(self.summary, 3)
        side_layout.addWidget(QLabel("<b>Events</b> (drawn as numbered lines)"))
        side_layout.addWidget(self.events_list, 1)
        side_layout.addLayout(buttons)
        splitter = QSplitter()
        splitter.addWidget(self.canvas)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        # Wide enough that the lead sentences of both feet fit without scrolling.
        side.setMinimumWidth(SIDE_MIN_WIDTH_PX)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)

        for box in (self.kind_box, self.measure_box, self.foot_box):
            box.currentIndexChanged.connect(self.redraw)
        self.all_dates.toggled.connect(self._dates_toggled)
        self.from_edit.dateChanged.connect(self._range_changed)
        self.to_edit.dateChanged.connect(self._range_changed)
        self.export_button.clicked.connect(self.export_chart)
        self.add_button.clicked.connect(self.add_event)
        self.edit_button.clicked.connect(self.edit_event)
        self.remove_button.clicked.connect(self.remove_event)
        self.events_list.itemDoubleClicked.connect(lambda _i: self.edit_event())

    # -- data ------------------------------------------------------------------------------

    def schedule_reload(self) -> None:
        """The library changed: forget what was read, read again when shown."""
        self._cache.clear()
        self._thumbs.clear()
        self._dirty = True
        if self.isVisible():
            self._reload_timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.reload()

    def date_range(self) -> tuple[date | None, date | None]:
        if self.all_dates.isChecked():
            return None, None
        return _pydate(self.from_edit.date()), _pydate(self.to_edit.date())

    def reload(self) -> None:
        """Read the library (unless this person and range were read since the last change)
        and redraw."""
        self._dirty = False
        start, end = self.date_range()
        person = self.session.person
        key = (person.id if person else None, start, end)
        if key not in self._cache:
            self._cache[key] = load_timeline(self.session.library, person, start, end)
            self.loads += 1
        self.data = self._cache[key]
        self._fill_measures()
        self._fill_events()
        if self.all_dates.isChecked():
            self._show_span()
        self.redraw()

    def _fill_measures(self) -> None:
        assert self.data is not None
        current = self.measure_box.currentData()
        present = self.data.measures_present
        names = present + [m for m in MEASURES if m not in present]
        self.measure_box.blockSignals(True)
        self.measure_box.clear()
        for name in names:
            suffix = "" if name in present else " (no data)"
            self.measure_box.addItem(label(name) + suffix, name)
            self.measure_box.setItemData(self.measure_box.count() - 1, measure_tooltip(name),
                                         Qt.ItemDataRole.ToolTipRole)
        index = self.measure_box.findData(current) if current else 0
        self.measure_box.setCurrentIndex(max(0, index))
        self.measure_box.blockSignals(False)

    def _fill_events(self) -> None:
        assert self.data is not None
        selected = self.selected_event_id()
        self.events_list.clear()
        for number, e in enumerate(self.data.events, start=1):
            foot = "" if e.foot == "both" else f" ({e.foot})"
            item = QListWidgetItem(f"[{number}] {e.day.isoformat()}  {e.text}{foot}")
            item.setData(EVENT_ID_ROLE, e.id)
            self.events_list.addItem(item)
            if e.id == selected:
                self.events_list.setCurrentItem(item)

    def _show_span(self) -> None:
        span = self.data.span() if self.data else None
        if span:
            for edit, day in ((self.from_edit, span[0]), (self.to_edit, span[1])):
                edit.blockSignals(True)
                edit.setDate(_qdate(day))
                edit.blockSignals(False)

    def _dates_toggled(self, whole: bool) -> None:
        self.from_edit.setEnabled(not whole)
        self.to_edit.setEnabled(not whole)
        self.reload()

    def _range_changed(self) -> None:
        if not self.all_dates.isChecked():
            self.reload()

    # -- drawing ---------------------------------------------------------------------------

    def measure(self) -> str:
        return self.measure_box.currentData() or "hallux_angle"

    def foot(self) -> str:
        return self.foot_box.currentData() or "both"

    def kind(self) -> str:
        return self.kind_box.currentData() or "timeline"

    def redraw(self) -> None:
        if self.data is None:
            return
        fig = self.canvas.figure  # sized to the widget by the canvas on every resize
        if self.kind() == "overview":
            CHARTS["overview"](self.data, self.foot(), fig=fig)
        else:
            CHARTS[self.kind()](self.data, self.measure(), self.foot(), fig=fig)
        self.canvas.draw_idle()
        self.measure_box.setToolTip(measure_tooltip(self.measure()))
        self._show_summary()

    def _show_summary(self) -> None:
        """The lead sentences, then a link that opens or closes the numbers behind them."""
        assert self.data is not None
        feet = ("left", "right") if self.foot() == "both" else (self.foot(),)
        words = plain_summary(self.data.stats, self.measure(), feet)
        parts = [f"<p>{html.escape(line)}</p>" for line in words.lead]
        left_out = left_out_words(self.data.left_out)
        if left_out:
            many = sum(len(ids) for ids in self.data.left_out.values()) > 1
            parts.append(f"<p style='color:#8a5a00'>{html.escape(left_out)} "
                         f"<a href='#left_out'>Open {'them' if many else 'it'}</a></p>")
        links = [f"<a href='#explain'>What is the "
                 f"{html.escape(plain_name(self.measure()))}?</a>"]
        if words.details:
            arrow, verb = ("▾", "Hide") if self.details_open else ("▸", "Show")
            links.insert(0, f"<a href='#details'>{arrow} {verb} the numbers</a>")
        parts.append(f"<p>{' · '.join(links)}</p>")
        if self.details_open:
            parts += [f"<p style='color:#444'>{html.escape(line)}</p>"
                      for line in words.details]
        self.summary.setHtml("".join(parts))

    def _summary_link(self, url) -> None:
        if url.fragment() == "details":
            self.details_open = not self.details_open
            self._show_summary()
        elif url.fragment() == "left_out" and self.data is not None:
            ids = [i for why in LEFT_OUT_REASONS for i in self.data.left_out.get(why, [])]
            if ids:
                self.open_photos.emit(ids)
        elif url.fragment() == "explain":  # Help ▸ Measures, at this measure
            from footlog.gui.help_actions import open_measures

            self.help_page = open_measures(self.window(), self.measure())

    # -- hover and click -------------------------------------------------------------------

    def photo_at(self, event: MouseEvent) -> int | None:
        if event.x is None or event.y is None:
            return None
        return point_at(self.canvas.figure, event.x, event.y,
                        radius_px=8 * self.canvas.device_pixel_ratio)

    def _on_motion(self, event: MouseEvent) -> None:
        photo_id = self.photo_at(event)
        if photo_id == self._hover_id:
            return
        self._hover_id = photo_id
        if photo_id is None:
            QToolTip.hideText()
            self.canvas.setCursor(Qt.CursorShape.ArrowCursor)
            return
        self.canvas.setCursor(Qt.CursorShape.PointingHandCursor)
        QToolTip.showText(QCursor.pos(), self.tooltip_html(photo_id), self.canvas)

    def _on_press(self, event: MouseEvent) -> None:
        if event.button != 1:
            return
        photo_id = self.photo_at(event)
        if photo_id is not None:
            self.open_photo.emit(photo_id)

    def tooltip_html(self, photo_id: int) -> str:
        """Thumbnail, date, foot and view, and every measure of the photo."""
        assert self.data is not None
        info = self.data.photos[photo_id]
        thumb = self._thumbnail(photo_id)
        img = f'<img src="{html.escape(thumb)}" width="160"><br>' if thumb else ""
        values = "<br>".join(
            f"{html.escape(label(k))}: {html.escape(format_value(k, v))}"
            for k, v in info.measures.items()
        )
        doubt = {
            "review": "<br><i>the detector doubted this photo: it decides no change (check "
                      "and confirm it, Photo ▸ Review Photos)</i>",
            "confirmed": "<br><i>confirmed by you</i>",
            "manual": "<br><i>landmarks corrected by you</i>",
        }.get(info.status, "")
        return (
            f"{img}<b>{info.taken_at:%Y-%m-%d %H:%M}</b>, {info.foot} foot, {info.view}<br>"
            f"{values}{doubt}<br><span style='color:gray'>Click to open the photo</span>"
        )

    def _thumbnail(self, photo_id: int) -> str:
        if photo_id not in self._thumbs:
            assert self.data is not None
            info = self.data.photos[photo_id]
            lib = self.session.library
            try:
                path = ensure_thumbnail(lib.photo_path(info.file_name), lib.cache_dir, info.sha256)
                self._thumbs[photo_id] = str(path)
            except (OSError, PhotoError, ValueError):
                self._thumbs[photo_id] = ""  # missing or unreadable file: text-only tooltip
        return self._thumbs[photo_id]

    # -- events ----------------------------------------------------------------------------

    def selected_event_id(self) -> int | None:
        item = self.events_list.currentItem()
        return int(item.data(EVENT_ID_ROLE)) if item is not None else None

    def add_event(self) -> None:
        dialog = EventDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            day, text, foot = dialog.values()
            self._store(lambda: add_event(self.session.library, self.session.person, day, text,
                                          foot))

    def edit_event(self) -> None:
        event_id = self.selected_event_id()
        event = next((e for e in (self.data.events if self.data else []) if e.id == event_id),
                     None)
        if event is None:
            return
        dialog = EventDialog(self, event.day, event.text, event.foot, title="Edit event")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            day, text, foot = dialog.values()
            self._store(lambda: update_event(self.session.library, event.id, date=day,
                                             text=text, foot=foot))

    def remove_event(self) -> None:
        event_id = self.selected_event_id()
        if event_id is None:
            return
        answer = QMessageBox.question(self, "Remove event", "Remove the selected event?")
        if answer == QMessageBox.StandardButton.Yes:
            self._store(lambda: delete_event(self.session.library, event_id))

    def _store(self, change) -> None:
        try:
            change()
        except STORAGE_ERRORS as exc:
            QMessageBox.warning(self, "footlog", f"The event was not saved: {exc}")
            return
        self.session.events_changed.emit()

    # -- export ----------------------------------------------------------------------------

    def export_chart(self) -> None:
        name = f"footlog-{self.kind()}-{self.measure()}.png"
        target, chosen = QFileDialog.getSaveFileName(self, "Export chart", name, EXPORT_FILTERS)
        if not target:
            return
        path = Path(target)
        if path.suffix.lower() not in (".png", ".svg", ".pdf"):
            path = path.with_suffix("." + chosen.split("*.")[-1].rstrip(")"))
        try:
            save_figure(self.canvas.figure, path)
        except OSError as exc:
            QMessageBox.warning(self, "footlog", f"The chart was not saved: {exc.strerror}")
