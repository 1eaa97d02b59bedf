"""The import dialog: each photo's thumbnail, date (with its source), foot and view,
editable before anything is copied into the library.

The thumbnails and the view each photo will be measured as are worked out in the
background (a reduced decode, `footlog.app.preview_picture`), one photo at a time, while
the dialog stays responsive.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast

import numpy as np
from PySide6.QtCore import QDateTime, QSize, Qt, QThreadPool
from PySide6.QtGui import QFocusEvent, QIcon, QImage, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from footlog.app import preview_photo, preview_picture
from footlog.domain.views import Foot, View
from footlog.gui.background import PoolJob, PoolSignals
from footlog.gui.preferences_dialog import EXPLANATION, PAPER_NAMES

FEET = (Foot.UNKNOWN, Foot.LEFT, Foot.RIGHT)
VIEWS = (View.UNKNOWN, View.DORSAL, View.MEDIAL, View.PLANTAR)
SOURCE_WORDS = {"exif": "camera", "sidecar": "Google Photos", "filename": "file name",
                "file_time": "file time", "user": "you"}
THUMB = 72  # px, the thumbnails' longer side
LET_MEASURING_DECIDE = None  # a combo item's data: no choice made, measuring tells


def _preview(paths: list[Path], cancelled: threading.Event,
             emit: Callable[[object], None]) -> None:
    """The header facts of every photo first (dates show at once): ("facts", row, facts);
    then each photo's thumbnail and guessed view (a reduced decode each): ("picture", row,
    thumbnail RGB array or None, view)."""
    for row, path in enumerate(paths):
        if cancelled.is_set():
            return
        emit(("facts", row, preview_photo(path)))
    for row, path in enumerate(paths):
        if cancelled.is_set():
            return
        thumb, view = preview_picture(path, THUMB)
        emit(("picture", row, thumb, view))


class DateEdit(QDateTimeEdit):
    """A date and time field in which a click selects the part clicked (year, month, ...),
    so that typing replaces it: "2011" typed after a click on the year is the year 2011
    (a plain QDateTimeEdit puts the cursor after the year's digits and ignores the typing)."""

    def __init__(self) -> None:
        super().__init__()
        self.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.setCalendarPopup(True)
        self.setCurrentSection(QDateTimeEdit.Section.YearSection)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        self.setSelectedSection(self.currentSection())

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.setSelectedSection(self.currentSection())


class ImportDialog(QDialog):
    """Lists the photos about to be imported; `overrides()` gives what the person chose."""

    def __init__(self, paths: list[Path], parent: QWidget | None = None,
                 ask_paper: str | None = None) -> None:
        """`ask_paper`: the library has no paper set yet; ask which, this one preselected."""
        super().__init__(parent)
        self.setWindowTitle(f"Import {len(paths)} photo{'s' if len(paths) != 1 else ''}")
        self.resize(980, 520)
        self.paths = paths
        self._guessed: dict[int, dict] = {}
        self.table = QTableWidget(len(paths), 5)
        self.table.setHorizontalHeaderLabels(["Photo", "Taken", "Date from", "Foot", "View"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 8)
        self.table.setIconSize(QSize(THUMB, THUMB))
        for row, path in enumerate(paths):
            self.table.setItem(row, 0, QTableWidgetItem(path.name))
            self._item(row, 0).setToolTip(str(path))
            self._item(row, 0).setFlags(Qt.ItemFlag.ItemIsEnabled)
            date = DateEdit()
            date.setEnabled(False)
            date.dateTimeChanged.connect(lambda _value, r=row: self._date_edited(r))
            self.table.setCellWidget(row, 1, date)
            self.table.setItem(row, 2, QTableWidgetItem("…"))
            self._item(row, 2).setFlags(Qt.ItemFlag.ItemIsEnabled)
            for col, choices in ((3, FEET), (4, VIEWS)):
                combo = QComboBox()
                # It grows with the words measuring puts in its "unknown" item.
                combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
                for choice in choices:
                    undecided = choice in (Foot.UNKNOWN, View.UNKNOWN)
                    combo.addItem(str(choice), LET_MEASURING_DECIDE if undecided else str(choice))
                self.table.setCellWidget(row, col, combo)
        # Wide enough for the date and the time, whatever the font; foot and view as wide
        # as their words.
        self.table.setColumnWidth(1, DateEdit().sizeHint().width() + 24)
        self._fit_columns()
        self._loading: set[int] = set()

        self.all_foot = QComboBox()
        self.all_foot.addItems(["(as guessed)", *FEET[1:]])
        self.all_view = QComboBox()
        self.all_view.addItems(["(as guessed)", *VIEWS[1:]])
        apply_all = QPushButton("Apply to all")
        apply_all.clicked.connect(self._apply_to_all)
        all_row = QHBoxLayout()
        all_row.addWidget(QLabel("All photos:"))
        all_row.addWidget(self.all_foot)
        all_row.addWidget(self.all_view)
        all_row.addWidget(apply_all)
        all_row.addStretch(1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Check each photo's date, foot and view. Everything can still "
                "be changed later in the photo's editor."
            )
        )
        layout.addWidget(self.table, 1)
        layout.addLayout(all_row)
        self.paper_choice: QComboBox | None = None
        if ask_paper is not None:
            layout.addLayout(self._paper_row(ask_paper))
        layout.addWidget(buttons)

        self._signals = PoolSignals()
        self._signals.result.connect(self._preview_arrived)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        # The pool owns the job (a job freed by Python while its thread runs would crash);
        # the dialog keeps only the flag that stops it once the dialog is done.
        self._cancel_previews = threading.Event()
        self._pool.start(PoolJob(partial(_preview, paths, self._cancel_previews),
                                 self._signals))
        self.finished.connect(lambda _result: self._cancel_previews.set())

    def _paper_row(self, paper: str) -> QHBoxLayout:
        """The first import into a library asks which paper goes under the foot."""
        self.paper_choice = QComboBox()
        for key, name in PAPER_NAMES.items():
            self.paper_choice.addItem(name, key)
        self.paper_choice.setCurrentIndex(self.paper_choice.findData(paper))
        self.paper_choice.setToolTip(EXPLANATION)
        row = QHBoxLayout()
        row.addWidget(QLabel("Paper under the foot:"))
        row.addWidget(self.paper_choice)
        row.addWidget(QLabel("(asked once; Edit ▸ Preferences… changes it)"))
        row.addStretch(1)
        return row

    def chosen_paper(self) -> str | None:
        """The paper chosen for the library, or None when it was not asked."""
        return None if self.paper_choice is None else str(self.paper_choice.currentData())

    def _preview_arrived(self, item: tuple) -> None:
        if item[0] == "facts":
            self._show_preview(*item[1:])
        else:
            self._show_picture(*item[1:])

    def _show_preview(self, row: int, facts: dict) -> None:
        self._guessed[row] = facts
        date = self._date(row)
        if facts["taken_at"]:
            self._loading.add(row)  # not the person's edit
            date.setDateTime(QDateTime.fromString(facts["taken_at"], Qt.DateFormat.ISODate))
            self._loading.discard(row)
            date.setEnabled(True)
        source = SOURCE_WORDS.get(facts["taken_at_source"], "")
        item = self._item(row, 2)
        item.setText(f"⚠ {facts['error']}" if facts["error"] else source)
        self._fit_columns()
        for col, key in ((3, "foot"), (4, "view")):
            combo = self._combo(row, col)
            combo.setCurrentIndex(max(0, combo.findData(facts[key])))  # "unknown": item 0
        if facts["foot"] == Foot.UNKNOWN:
            self._name_unknown(self._combo(row, 3), "from the photo",
                               "Left or right is told from the foot itself when it is "
                               "measured; choose one to decide it yourself.")

    def _show_picture(self, row: int, thumb: np.ndarray | None, view: str) -> None:
        if thumb is not None:
            h, w = thumb.shape[:2]
            image = QImage(thumb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()
            self._item(row, 0).setIcon(QIcon(QPixmap.fromImage(image)))
        combo = self._combo(row, 4)
        if view and combo.currentData() is LET_MEASURING_DECIDE:
            self._name_unknown(combo, f"{view}: from the photo",
                               f"The photo looks like a {view} view: it will be measured as "
                               "one and stored so. Choose a view to decide it yourself.")

    def _name_unknown(self, combo: QComboBox, words: str, tip: str) -> None:
        """Say, in the "unknown" item, what measuring will decide."""
        combo.setItemText(0, f"({words})")
        combo.setItemData(0, tip, Qt.ItemDataRole.ToolTipRole)
        if combo.currentIndex() == 0:
            combo.setToolTip(tip)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Date source, foot and view as wide as their words (which grow as the previews
        come in); the file name takes the rest."""
        header = self.table.horizontalHeader()
        for col in (2, 3, 4):
            header.resizeSection(col, max(self.table.sizeHintForColumn(col),
                                          header.sectionSizeHint(col)))

    def _date_edited(self, row: int) -> None:
        """A date the person typed says so in "Date from"."""
        if row in self._loading or row not in self._guessed:
            return
        guessed = self._guessed[row].get("taken_at") or ""
        shown = self._date(row).dateTime().toString("yyyy-MM-ddTHH:mm")
        item = self._item(row, 2)
        if shown != guessed[:16]:
            item.setText(SOURCE_WORDS["user"])
        elif not self._guessed[row]["error"]:
            item.setText(SOURCE_WORDS.get(self._guessed[row]["taken_at_source"], ""))

    def _apply_to_all(self) -> None:
        for row in range(self.table.rowCount()):
            for col, choice in ((3, self.all_foot), (4, self.all_view)):
                if choice.currentIndex() > 0:
                    combo = self._combo(row, col)
                    combo.setCurrentIndex(combo.findData(choice.currentText()))

    def _item(self, row: int, col: int) -> QTableWidgetItem:
        """A cell's item: __init__ sets the name and date-source items of every row."""
        return cast(QTableWidgetItem, self.table.item(row, col))

    def _date(self, row: int) -> QDateTimeEdit:
        """The row's date editor (set in __init__)."""
        return cast(QDateTimeEdit, self.table.cellWidget(row, 1))

    def _combo(self, row: int, col: int) -> QComboBox:
        """The row's foot (column 3) or view (column 4) choice (set in __init__)."""
        return cast(QComboBox, self.table.cellWidget(row, col))

    def wait_for_previews(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

    def overrides(self) -> dict[Path, dict[str, str]]:
        """Per file: the foot and view chosen, and the date when the person changed it."""
        chosen: dict[Path, dict[str, str]] = {}
        for row, path in enumerate(self.paths):
            facts: dict[str, str] = {}
            for col, key in ((3, "foot"), (4, "view")):
                value = self._combo(row, col).currentData()
                if value is not LET_MEASURING_DECIDE:
                    facts[key] = str(value)
            guessed = self._guessed.get(row, {})
            date = self._date(row)
            shown = date.dateTime().toString("yyyy-MM-ddTHH:mm:ss")
            if (
                date.isEnabled()
                and guessed.get("taken_at")
                and shown[:16] != guessed["taken_at"][:16]
            ):
                facts["taken_at"] = shown
            chosen[path] = facts
        return chosen
