"""A small dialog for one event: its day, a few words, and which foot."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QWidget,
)

FEET = ("both", "left", "right")


class EventDialog(QDialog):
    """Add or edit an event. `values()` gives (day, text, foot) after `exec()` accepts."""

    def __init__(
        self,
        parent: QWidget | None = None,
        day: date | None = None,
        text: str = "",
        foot: str = "both",
        title: str = "Add event",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        d = day or date.today()
        self.date_edit.setDate(QDate(d.year, d.month, d.day))
        self.text_edit = QLineEdit(text)
        self.text_edit.setPlaceholderText("What happened, e.g. 'New toe spacers'")
        self.text_edit.setMinimumWidth(320)
        self.foot_box = QComboBox()
        self.foot_box.addItems(FEET)
        self.foot_box.setCurrentText(foot if foot in FEET else "both")
        form = QFormLayout(self)
        form.addRow("Date", self.date_edit)
        form.addRow("What happened", self.text_edit)
        form.addRow("Foot", self.foot_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        # An event without words would be an unexplained line on every chart.
        self.text_edit.textChanged.connect(lambda t: self._ok.setEnabled(bool(t.strip())))
        self._ok.setEnabled(bool(text.strip()))

    def values(self) -> tuple[date, str, str]:
        q = self.date_edit.date()
        return date(q.year(), q.month(), q.day()), self.text_edit.text().strip(), (
            self.foot_box.currentText()
        )
