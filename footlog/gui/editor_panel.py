"""The side panel of the photo editor: status, measures, facts, landmarks, actions."""

from __future__ import annotations

from datetime import datetime
from html import escape

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from footlog.domain.measure_guide import tooltip as measure_tooltip
from footlog.domain.photo import Photo
from footlog.domain.views import MEASURES, Foot, View
from footlog.gui.label_layout import short_words
from footlog.gui.landmark_guide import LandmarkGuide
from footlog.gui.library_view import STATUS_COLOURS
from footlog.gui.loupe import Loupe
from footlog.gui.undo_commands import landmark_words
from footlog.storage.measure_store import StoredLandmark

SOURCE_WORDS = {
    "exif": "from the camera",
    "filename": "from the file name",
    "file_time": "from the file's time",
    "sidecar": "from Google Photos' record of it",
    "user": "set by you",
}


def format_measure(name: str, value: float) -> str:
    info = MEASURES[name]
    if info.unit == "deg":
        return f"{value:+.1f}°"
    if info.unit == "mm":
        return f"{value:.0f} mm"
    return f"{value:.3f}"


STATUS_MAX_HEIGHT = 150  # px: the status and warnings scroll beyond this
LANDMARK_LIST_MIN_ROWS = 8  # a dorsal photo has 11 landmarks: most stay in sight
LIST_FRAME_PX = 2  # the list's frame, above and below


class EditorPanel(QWidget):
    facts_edited = Signal(dict)
    reset_requested = Signal(str)
    rerun_requested = Signal()
    confirm_requested = Signal()
    place_requested = Signal()
    landmark_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._taken_at = ""
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.RichText)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Long warnings scroll within a bounded box, so that the measures, the loupe and
        # the landmark list below keep their room.
        self.status_box = QScrollArea()
        self.status_box.setWidget(self.status)
        self.status_box.setWidgetResizable(True)
        self.status_box.setFrameShape(QFrame.Shape.NoFrame)
        self.status_box.setMaximumHeight(STATUS_MAX_HEIGHT)
        self.status_box.setMinimumHeight(STATUS_MAX_HEIGHT // 2)

        self.measures_box = QGroupBox("Measures")
        self.measures_form = QFormLayout(self.measures_box)

        facts = self.facts_box = QGroupBox("Photo")
        form = QFormLayout(facts)
        self.date = QDateTimeEdit()
        self.date.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.date.setCalendarPopup(True)
        self.date_source = QLabel()
        self.foot = QComboBox()
        self.foot.addItems([str(f) for f in (Foot.UNKNOWN, Foot.LEFT, Foot.RIGHT)])
        self.view = QComboBox()
        self.view.addItems([str(v) for v in (View.UNKNOWN, View.DORSAL, View.MEDIAL,
                                             View.PLANTAR)])
        self.note = QLineEdit()
        self.note.setPlaceholderText("a note, e.g. after a long run")
        form.addRow("Taken", self.date)
        form.addRow("", self.date_source)
        form.addRow("Foot", self.foot)
        form.addRow("View", self.view)
        form.addRow("Note", self.note)
        self.date.editingFinished.connect(self._date_edited)
        self.foot.activated.connect(lambda _i: self._emit({"foot": self.foot.currentText()}))
        self.view.activated.connect(lambda _i: self._emit({"view": self.view.currentText()}))
        self.note.editingFinished.connect(lambda: self._emit({"note": self.note.text()}))

        marks = QGroupBox("Landmarks")
        marks_layout = QVBoxLayout(marks)
        self.landmarks = QListWidget()
        # Long names wrap rather than hide behind a scroll bar beside the loupe.
        self.landmarks.setWordWrap(True)
        self.landmarks.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.landmarks.currentItemChanged.connect(self._landmark_chosen)
        self.reset_button = QPushButton("Reset to detector")
        self.reset_button.setToolTip("Give the selected landmark back to the detector")
        self.reset_button.clicked.connect(self._reset_clicked)
        self.place_button = QPushButton("Place by clicking…")
        self.place_button.setToolTip("Click each missing landmark on the photo, in order")
        self.place_button.clicked.connect(self.place_requested)
        self.rerun_button = QPushButton("Re-run detector")
        self.rerun_button.clicked.connect(self.rerun_requested)
        self.confirm_button = QPushButton("Confirm landmarks (Enter)")
        self.confirm_button.setToolTip(
            "Say that you checked these landmarks: the photo becomes 'confirmed', counts "
            "among the trusted photos of the timeline, and keeps its landmarks when the "
            "detector runs again. Undo withdraws it.")
        self.confirm_button.clicked.connect(self.confirm_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.place_button)
        # The loupe beside the list: both stay visible however long the warnings are.
        self.loupe = Loupe()
        row = QHBoxLayout()
        row.addWidget(self.loupe, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.landmarks, 1)
        rows = self.landmarks.fontMetrics().lineSpacing() * LANDMARK_LIST_MIN_ROWS
        self.landmarks.setMinimumHeight(max(self.loupe.height(), rows + 2 * LIST_FRAME_PX))
        marks_layout.addLayout(row, 1)
        marks_layout.addLayout(buttons)
        marks_layout.addWidget(self.rerun_button)
        marks_layout.addWidget(self.confirm_button)

        self.guide_box = QGroupBox("Click on the photo")
        # The picture beside the words, not under them: the box stays as low as the facts
        # it replaces.
        guide_layout = QHBoxLayout(self.guide_box)
        self.guide_text = QLabel()
        self.guide_text.setWordWrap(True)
        self.guide = LandmarkGuide()
        words = QVBoxLayout()
        words.addWidget(self.guide_text)
        words.addStretch(1)
        words.addWidget(QLabel("Esc stops placing."))
        guide_layout.addWidget(self.guide, 0, Qt.AlignmentFlag.AlignTop)
        guide_layout.addLayout(words, 1)
        self.guide_box.hide()

        # The panel scrolls rather than grow the window when a small screen cannot hold it
        # (placing once made the window 200 px taller, and it stayed so after Esc).
        content = QWidget()
        layout = QVBoxLayout(content)
        for widget in (self.title, self.status_box, self.measures_box, self.guide_box, facts,
                       marks):
            layout.addWidget(widget)
        layout.setStretchFactor(marks, 1)
        scroll = QScrollArea()
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    # -- showing -----------------------------------------------------------------------

    def show_photo(
        self,
        photo: Photo,
        measures: dict[str, float],
        landmarks: dict[str, StoredLandmark],
        expected: tuple[str, ...],
    ) -> None:
        self._loading = True
        self.title.setText(f"<b>{photo.original_name}</b>")
        colour = STATUS_COLOURS[photo.status].name()
        warnings = "".join(f"<li>{w}</li>" for w in photo.warnings)
        confirmed = photo.confirmed_at
        who = (f" by {escape(photo.confirmed_by or 'someone')} on {confirmed[:10]}"
               f" (measured: {photo.measured_status})" if confirmed else "")
        self.status.setText(
            f"<span style='color:{colour}; font-weight:bold'>"
            f"{photo.status}</span>{who}" + (f"<ul>{warnings}</ul>" if warnings else "")
        )
        self.confirm_button.setEnabled(not confirmed)
        self.confirm_button.setText("Confirmed" if confirmed else "Confirm landmarks (Enter)")
        self.show_measures(measures)
        self._taken_at = photo.taken_at
        when = datetime.fromisoformat(photo.taken_at)
        # PySide6 converts Python's date and time; its stubs lack that constructor.
        self.date.setDateTime(QDateTime(when.date(), when.time()))  # type: ignore[call-overload]
        self.date_source.setText(SOURCE_WORDS.get(photo.taken_at_source, ""))
        self.foot.setCurrentText(photo.foot)
        self.view.setCurrentText(photo.view)
        self.note.setText(photo.note)
        current = self.landmarks.currentItem()
        keep = current.data(Qt.ItemDataRole.UserRole) if current else None
        self.landmarks.clear()
        for name in dict.fromkeys([*expected, *landmarks]):
            lm = landmarks.get(name)
            # Short in the list (the panel is narrow), whole in the tooltip.
            short, state = (
                ("missing", "missing: not found by the detector") if lm is None
                else ("yours", "placed by you") if lm.source == "manual"
                else (f"photo {lm.carried_from}",
                      f"taken from your confirmed photo {lm.carried_from}")
                if lm.carried_from is not None
                else ("", "found by the detector")
            )
            words = landmark_words(name)
            item = QListWidgetItem(short_words(words) + (f" — {short}" if short else ""))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setToolTip(f"{words}: {state} ({name})")
            if lm is None:
                item.setForeground(QColor("#888888"))
            self.landmarks.addItem(item)
            if name == keep:
                self.landmarks.setCurrentItem(item)
        self._loading = False

    def show_measures(self, measures: dict[str, float]) -> None:
        while self.measures_form.rowCount():
            self.measures_form.removeRow(0)
        if not measures:
            self.measures_form.addRow(QLabel("No measure: landmarks are missing."))
        for name, value in measures.items():
            value_label = QLabel(format_measure(name, value))
            value_label.setObjectName(f"measure_{name}")
            name_label = QLabel(MEASURES[name].label)
            # What the measure is and what its sign means, on the name and on the value.
            for widget in (name_label, value_label):
                widget.setToolTip(measure_tooltip(name))
            self.measures_form.addRow(name_label, value_label)

    def show_guide(self, name: str | None, words: str = "") -> None:
        """The picture of the landmark to click, shown in the place of the photo's facts
        (date, foot, view, note), which are not edited while placing: the panel keeps its
        height and the landmark list its rows."""
        self.guide_box.setVisible(name is not None)
        # Neither the facts nor measuring again and confirming are for the middle of placing.
        for widget in (self.facts_box, self.rerun_button, self.confirm_button):
            widget.setVisible(name is None)
        self.guide.set_landmark(name)
        if name:
            self.guide_text.setText(f"Click the <b>{words}</b> ({name}).")

    # -- edits -------------------------------------------------------------------------

    def _emit(self, changes: dict) -> None:
        if not self._loading:
            self.facts_edited.emit(changes)

    def _date_edited(self) -> None:
        shown = self.date.dateTime().toString("yyyy-MM-ddTHH:mm:ss")
        if shown[:16] != self._taken_at[:16]:  # leaving the field unchanged is no edit
            self._taken_at = shown
            self._emit({"taken_at": shown})

    def _landmark_chosen(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None and not self._loading:
            self.landmark_selected.emit(item.data(Qt.ItemDataRole.UserRole))

    def selected_landmark(self) -> str | None:
        item = self.landmarks.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _reset_clicked(self) -> None:
        name = self.selected_landmark()
        if name:
            self.reset_requested.emit(name)
