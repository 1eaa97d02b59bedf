"""The Photos tab's bar: search, sort, whose photos, and filters by foot, view, status and
the day taken, with a count of what is shown and a button that clears every filter."""

from __future__ import annotations

from datetime import date
from typing import cast

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from footlog.gui.photo_filter import SORT_CHOICES, PhotoFilters
from footlog.gui.session import LibrarySession

FOOT_CHOICES = ((None, "Both feet"), ("left", "Left"), ("right", "Right"),
                ("unknown", "Unknown foot"))
VIEW_CHOICES = ((None, "All views"), ("dorsal", "Dorsal"), ("medial", "Medial"),
                ("plantar", "Plantar"), ("unknown", "Unknown view"))
STATUS_CHOICES = ((None, "All statuses"), ("review", "Needs review"),
                  ("confirmed", "Confirmed"))
# Typing waits this long before the photos are filtered again: one pass per pause, not per
# key, keeps typing smooth in a library of thousands of photos.
SEARCH_PAUSE_MS = 150
DATE_FORMAT = "yyyy-MM-dd"
SORT_COMBO_CHARS = 24  # the longest choices ("Toe spread ratio, largest first") elide


def _combo(choices) -> QComboBox:
    combo = QComboBox()
    for value, text in choices:
        combo.addItem(text, value)
    return combo


class PhotoFilterBar(QWidget):
    """Emits `filters_changed` with the filters chosen and `sort_changed` with the order."""

    filters_changed = Signal(object)  # PhotoFilters
    sort_changed = Signal(str)

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._dates_set_by_person = False
        self._span: tuple[date, date] | None = None  # first and last day of the photos
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search file names and notes")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.setInterval(SEARCH_PAUSE_MS)
        self._search_pause.timeout.connect(self._emit_filters)
        self.search.textChanged.connect(lambda _t: self._search_pause.start())
        self.search.returnPressed.connect(self._emit_filters)
        self.sort_combo = _combo((key, text) for key, text in SORT_CHOICES)
        self.sort_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sort_combo.setMinimumContentsLength(SORT_COMBO_CHARS)
        self.sort_combo.currentIndexChanged.connect(
            lambda _i: self.sort_changed.emit(self.sort_combo.currentData()))
        self.person_combo = QComboBox()
        self.person_combo.setToolTip("Whose photos: a family can share one library")
        self.person_combo.activated.connect(self._person_chosen)
        session.person_changed.connect(self.fill_people)
        self.count_label = QLabel()

        self.foot_combo = _combo(FOOT_CHOICES)
        self.view_combo = _combo(VIEW_CHOICES)
        self.status_combo = _combo(STATUS_CHOICES)
        self.status_combo.setToolTip(
            "Needs review: photos the detector doubted or could not measure, and photos "
            "new since you last confirmed one (Photo ▸ Review Photos steps through them)")
        self.date_from, self.date_to = QDateEdit(), QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat(DATE_FORMAT)
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(self._dates_edited)
        self.date_from.setToolTip("Photos taken on this day or later")
        self.date_to.setToolTip("Photos taken on this day or earlier")
        for combo in (self.foot_combo, self.view_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._emit_filters)
        self.clear_button = QPushButton("Clear Filters")
        self.clear_button.clicked.connect(self.clear)

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(QLabel("Sort:"))
        top.addWidget(self.sort_combo)
        top.addWidget(QLabel("Person:"))
        top.addWidget(self.person_combo)
        top.addStretch(1)
        top.addWidget(self.count_label)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("Show:"))
        for widget in (self.foot_combo, self.view_combo, self.status_combo):
            bottom.addWidget(widget)
        bottom.addSpacing(12)
        bottom.addWidget(QLabel("Taken from"))
        bottom.addWidget(self.date_from)
        bottom.addWidget(QLabel("to"))
        bottom.addWidget(self.date_to)
        bottom.addWidget(self.clear_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.fill_people()

    # -- what is chosen ------------------------------------------------------------------

    def filters(self) -> PhotoFilters:
        dated = self._dates_set_by_person
        return PhotoFilters(
            foot=self.foot_combo.currentData(),
            view=self.view_combo.currentData(),
            status=self.status_combo.currentData(),
            date_from=_day(self.date_from) if dated else None,
            date_to=_day(self.date_to) if dated else None,
            text=self.search.text().strip(),
        )

    def _emit_filters(self) -> None:
        self._search_pause.stop()
        self.filters_changed.emit(self.filters())

    def _dates_edited(self) -> None:
        self._dates_set_by_person = True
        self._emit_filters()

    def clear(self) -> None:
        """Every photo again: no search, no filter (the order and the person stay)."""
        for widget in (self.search, self.foot_combo, self.view_combo, self.status_combo):
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.foot_combo, self.view_combo, self.status_combo):
            combo.setCurrentIndex(0)
        for widget in (self.search, self.foot_combo, self.view_combo, self.status_combo):
            widget.blockSignals(False)
        self._dates_set_by_person = False
        if self._span is not None:
            self._show_days(*self._span)
        self._emit_filters()

    # -- following the library -----------------------------------------------------------

    def show_span(self, first: date | None, last: date | None) -> None:
        """Offer the days of the photos in the date fields, unless the person set them."""
        if first is None or last is None:
            return
        self._span = (first, last)
        if not self._dates_set_by_person:
            self._show_days(first, last)

    def _show_days(self, first: date, last: date) -> None:
        for edit, day in ((self.date_from, first), (self.date_to, last)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def show_count(self, shown: int, total: int) -> None:
        self.count_label.setText(
            f"{shown} of {total} photos" if shown != total else f"{total} photos")
        self.clear_button.setEnabled(self.filters() != PhotoFilters())

    def fill_people(self) -> None:
        self.person_combo.clear()
        current = self.session.person
        for person in self.session.library.people():
            self.person_combo.addItem(person.name, person.id)
            if person == current:
                self.person_combo.setCurrentIndex(self.person_combo.count() - 1)
        self.person_combo.setEnabled(self.person_combo.count() > 1)

    def _person_chosen(self, index: int) -> None:
        wanted = self.person_combo.itemData(index)
        for person in self.session.library.people():
            if person.id == wanted and person != self.session.person:
                self.session.set_person(person)


def _day(edit: QDateEdit) -> date:
    """The edit's day as a Python date (PySide6's stubs type toPython() as object)."""
    return cast(date, edit.date().toPython())
