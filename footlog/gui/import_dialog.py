"""The import dialog: each photo's date (with its source), foot and view, editable before
anything is copied into the library."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDateTime, QObject, QRunnable, Qt, QThreadPool, Signal
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

from footlog.app import preview_photo
from footlog.gui.preferences_dialog import EXPLANATION, PAPER_NAMES

FEET = ["unknown", "left", "right"]
VIEWS = ["unknown", "dorsal", "medial", "plantar"]
SOURCE_WORDS = {"exif": "camera", "filename": "file name", "file_time": "file time", "user": "you"}


class _PreviewSignals(QObject):
    ready = Signal(int, dict)


class _PreviewJob(QRunnable):
    def __init__(self, paths: list[Path], signals: _PreviewSignals) -> None:
        super().__init__()
        self.paths, self.signals = paths, signals

    def run(self) -> None:
        for row, path in enumerate(self.paths):
            self.signals.ready.emit(row, preview_photo(path))


class ImportDialog(QDialog):
    """Lists the photos about to be imported; `overrides()` gives what the person chose."""

    def __init__(self, paths: list[Path], parent: QWidget | None = None,
                 ask_paper: str | None = None) -> None:
        """`ask_paper`: the library has no paper set yet; ask which, this one preselected."""
        super().__init__(parent)
        self.setWindowTitle(f"Import {len(paths)} photo{'s' if len(paths) != 1 else ''}")
        self.resize(820, 480)
        self.paths = paths
        self._guessed: dict[int, dict] = {}
        self.table = QTableWidget(len(paths), 5)
        self.table.setHorizontalHeaderLabels(["Photo", "Taken", "Date from", "Foot", "View"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        for row, path in enumerate(paths):
            self.table.setItem(row, 0, QTableWidgetItem(path.name))
            self.table.item(row, 0).setToolTip(str(path))
            self.table.item(row, 0).setFlags(Qt.ItemFlag.ItemIsEnabled)
            date = QDateTimeEdit()
            date.setDisplayFormat("yyyy-MM-dd HH:mm")
            date.setCalendarPopup(True)
            date.setEnabled(False)
            self.table.setCellWidget(row, 1, date)
            self.table.setItem(row, 2, QTableWidgetItem("…"))
            self.table.item(row, 2).setFlags(Qt.ItemFlag.ItemIsEnabled)
            for col, choices in ((3, FEET), (4, VIEWS)):
                combo = QComboBox()
                combo.addItems(choices)
                self.table.setCellWidget(row, col, combo)

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

        self._signals = _PreviewSignals()
        self._signals.ready.connect(self._show_preview)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.start(_PreviewJob(paths, self._signals))

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

    def _show_preview(self, row: int, facts: dict) -> None:
        self._guessed[row] = facts
        date: QDateTimeEdit = self.table.cellWidget(row, 1)
        if facts["taken_at"]:
            date.setDateTime(QDateTime.fromString(facts["taken_at"], Qt.DateFormat.ISODate))
            date.setEnabled(True)
        source = SOURCE_WORDS.get(facts["taken_at_source"], "")
        item = self.table.item(row, 2)
        item.setText(f"⚠ {facts['error']}" if facts["error"] else source)
        self.table.cellWidget(row, 3).setCurrentText(facts["foot"])
        self.table.cellWidget(row, 4).setCurrentText(facts["view"])

    def _apply_to_all(self) -> None:
        for row in range(self.table.rowCount()):
            if self.all_foot.currentIndex() > 0:
                self.table.cellWidget(row, 3).setCurrentText(self.all_foot.currentText())
            if self.all_view.currentIndex() > 0:
                self.table.cellWidget(row, 4).setCurrentText(self.all_view.currentText())

    def wait_for_previews(self, msecs: int = 30000) -> bool:
        return self._pool.waitForDone(msecs)

    def overrides(self) -> dict[Path, dict[str, str]]:
        """Per file: the foot and view chosen, and the date when the person changed it."""
        chosen: dict[Path, dict[str, str]] = {}
        for row, path in enumerate(self.paths):
            facts: dict[str, str] = {}
            for col, key in ((3, "foot"), (4, "view")):
                value = self.table.cellWidget(row, col).currentText()
                if value != "unknown":
                    facts[key] = value
            guessed = self._guessed.get(row, {})
            date: QDateTimeEdit = self.table.cellWidget(row, 1)
            shown = date.dateTime().toString("yyyy-MM-ddTHH:mm:ss")
            if (
                date.isEnabled()
                and guessed.get("taken_at")
                and shown[:16] != guessed["taken_at"][:16]
            ):
                facts["taken_at"] = shown
            chosen[path] = facts
        return chosen
