"""Dialogs of the Runs tab: add or edit a run (checked as one types, OK only when valid),
and the summary shown when an import ends.

The dialog checks start, distance and duration with `footlog.domain.run_limits`, the rule
every way of saving a run goes through, and shows its reason under the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from footlog.domain.run_limits import distance_problem, duration_problem, start_problem
from footlog.domain.runs import ACTIVITY_TYPES, Footwear, Run, counts_toward_mileage
from footlog.domain.units import (
    METRES_PER_UNIT,
    format_duration,
    parse_distance_m,
    parse_duration_s,
)
from footlog.gui.run_models import local_start
from footlog.storage.run_store import SaveSummary

#: Override choices; "none" lets gear and keywords decide.
OVERRIDES: tuple[tuple[str, Footwear | None], ...] = (
    ("none (decided by gear or name)", None),
    ("barefoot", Footwear.BAREFOOT),
    ("minimal", Footwear.MINIMAL),
    ("shod", Footwear.SHOD),
)
_ERROR_STYLE = "color: #b00020;"
#: Problems listed in the summary itself; the rest are under "Show Details".
SHOWN_PROBLEMS = 8


def _qdatetime(value: datetime) -> QDateTime:
    return QDateTime(
        QDate(value.year, value.month, value.day), QTime(value.hour, value.minute, value.second)
    )


def _km_text(metres: float | None, unit: str) -> str:
    """Metre precision, no trailing zeros: editing must not round a run's distance."""
    if metres is None:
        return ""
    return f"{metres / METRES_PER_UNIT[unit]:.3f}".rstrip("0").rstrip(".")


class RunDialog(QDialog):
    """Add (row None) or edit (row from `list_runs`) one run.

    After `accepted`, read `new_run()` for an added run or `changes()` for `update_run`.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        known_gear: Iterable[str] = (),
        row: Mapping[str, Any] | None = None,
        unit: str = "km",
    ) -> None:
        super().__init__(parent)
        self._row = dict(row) if row else None
        self.setWindowTitle("Edit run" if row else "Add run")
        self.setMinimumWidth(540)  # room for the longest inline message on one line

        self.start_edit = QDateTimeEdit()
        self.start_edit.setDisplayFormat("yyyy-MM-dd HH:mm:ss")
        self.start_edit.setCalendarPopup(True)
        self.distance_edit = QLineEdit()
        self.distance_edit.setPlaceholderText("e.g. 5.2")
        self.unit_combo = QComboBox()
        self.unit_combo.addItems(["km", "mi"])
        self.unit_combo.setCurrentText(unit if unit in ("km", "mi") else "km")
        self.duration_edit = QLineEdit()
        self.duration_edit.setPlaceholderText("h:mm:ss, e.g. 0:32:10 (optional)")
        self.type_combo = QComboBox()
        self.type_combo.addItems(list(ACTIVITY_TYPES))
        self.name_edit = QLineEdit()
        self.gear_combo = QComboBox()
        self.gear_combo.setEditable(True)
        self.gear_combo.addItems(["", *sorted(set(known_gear), key=str.casefold)])
        self.footwear_combo = QComboBox()
        for label, value in OVERRIDES:
            self.footwear_combo.addItem(label, value)
        self.distance_error = self._error_label()
        self.duration_error = self._error_label()
        self.start_error = self._error_label()
        self.counts_label = QLabel()

        distance_row = QHBoxLayout()
        distance_row.addWidget(self.distance_edit, 1)
        distance_row.addWidget(self.unit_combo)
        form = QFormLayout()
        form.addRow("&Start (local time):", self.start_edit)
        form.addRow("", self.start_error)
        distance_label = QLabel("&Distance:")  # a row holding a layout gets no buddy itself
        distance_label.setBuddy(self.distance_edit)
        form.addRow(distance_label, distance_row)
        form.addRow("", self.distance_error)
        form.addRow("D&uration:", self.duration_edit)
        form.addRow("", self.duration_error)
        form.addRow("&Type:", self.type_combo)
        form.addRow("", self.counts_label)
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Gear:", self.gear_combo)
        form.addRow("&Footwear:", self.footwear_combo)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self._fill(self._row)
        self._distance_touched = self._row is None
        self._duration_touched = self._row is None
        self._initial_start = self.start_edit.dateTime()
        self.distance_edit.textEdited.connect(self._touch_distance)
        self.duration_edit.textEdited.connect(self._touch_duration)
        self.unit_combo.currentTextChanged.connect(self._unit_changed)
        for signal in (
            self.distance_edit.textChanged,
            self.duration_edit.textChanged,
            self.start_edit.dateTimeChanged,
            self.type_combo.currentTextChanged,
        ):
            signal.connect(self._validate)
        self._unit = self.unit_combo.currentText()
        self._validate()

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    # -- reading --------------------------------------------------------------------------

    def start(self) -> datetime:
        """The start as a timezone-aware datetime in this computer's zone."""
        typed = cast(datetime, self.start_edit.dateTime().toPython())  # stubs say object
        try:
            return typed.astimezone()
        except (OverflowError, OSError, ValueError):  # the ends of the calendar
            return typed.replace(tzinfo=datetime.now().astimezone().tzinfo)

    def distance_m(self) -> float:
        return parse_distance_m(
            self.distance_edit.text(), default_unit=self.unit_combo.currentText()
        )

    def duration_s(self) -> float | None:
        text = self.duration_edit.text().strip()
        return parse_duration_s(text) if text else None

    def footwear_override(self) -> Footwear | None:
        data = self.footwear_combo.currentData()  # Qt hands a StrEnum back as plain str
        return Footwear(data) if data else None

    def new_run(self) -> Run:
        """The run as entered, for `add_run`."""
        return Run(
            start=self.start(),
            distance_m=self.distance_m(),
            duration_s=self.duration_s(),
            activity_type=self.type_combo.currentText(),
            name=self.name_edit.text().strip(),
            gear=self.gear_combo.currentText().strip(),
            footwear_override=self.footwear_override(),
        )

    def changes(self) -> dict[str, Any]:
        """The fields that differ from the run being edited, for `update_run`.

        Distance and duration are only sent when typed in: the text shows them rounded, and
        saving an untouched dialog must not round the stored values.
        """
        run = self.new_run()
        old = self._row or {}
        changes: dict[str, Any] = {}
        if self.start_edit.dateTime() != self._initial_start:
            changes["start"] = run.start
        if self._distance_touched:
            changes["distance_m"] = run.distance_m
        if self._duration_touched and run.duration_s != old.get("duration_s"):
            changes["duration_s"] = run.duration_s
        for key, value in (
            ("activity_type", run.activity_type),
            ("name", run.name),
            ("gear", run.gear),
        ):
            if value != (old.get(key) or ""):
                changes[key] = value
        override = run.footwear_override.value if run.footwear_override else None
        if override != old.get("footwear_override"):
            changes["footwear_override"] = run.footwear_override
        return changes

    # -- filling and checking ---------------------------------------------------------------

    def _fill(self, row: dict[str, Any] | None) -> None:
        if row is None:
            now = datetime.now().replace(second=0, microsecond=0)
            self.start_edit.setDateTime(_qdatetime(now))
            self.counts_label.setText("")
            return
        self.start_edit.setDateTime(_qdatetime(local_start(row)))
        self.distance_edit.setText(_km_text(row.get("distance_m"), self.unit_combo.currentText()))
        self.duration_edit.setText(format_duration(row.get("duration_s")))
        kind = row.get("activity_type") or "run"
        if self.type_combo.findText(kind) < 0:
            self.type_combo.addItem(kind)  # an older vocabulary: keep what is stored
        self.type_combo.setCurrentText(kind)
        self.name_edit.setText(row.get("name") or "")
        self.gear_combo.setCurrentText(row.get("gear") or "")
        override = row.get("footwear_override")
        if override and self.footwear_combo.findData(Footwear(override)) < 0:
            self.footwear_combo.addItem(override, Footwear(override))
        self.footwear_combo.setCurrentIndex(
            max(0, self.footwear_combo.findData(Footwear(override) if override else None))
        )

    def _error_label(self) -> QLabel:
        label = QLabel()
        label.setStyleSheet(_ERROR_STYLE)
        label.setWordWrap(True)  # a reason from run_limits may not fit on one line
        label.hide()
        return label

    def _touch_distance(self) -> None:
        self._distance_touched = True

    def _touch_duration(self) -> None:
        self._duration_touched = True

    def _unit_changed(self, unit: str) -> None:
        # Keep the distance, change its number: 5 km becomes 3.107 mi, not 5 mi.
        try:
            metres = parse_distance_m(self.distance_edit.text(), default_unit=self._unit)
        except ValueError:
            metres = None
        self._unit = unit
        if metres is not None and self.distance_edit.text().strip():
            self.distance_edit.setText(_km_text(metres, unit))
        self._validate()

    def _check(self, label: QLabel, problem: str | None) -> bool:
        label.setText(problem or "")
        label.setVisible(problem is not None)
        return problem is None

    def _validate(self) -> bool:
        ok = self._check(self.distance_error, self._distance_problem())
        ok &= self._check(self.duration_error, self._duration_problem())
        ok &= self._check(self.start_error, self._start_problem())
        counts = counts_toward_mileage(self.type_combo.currentText())
        self.counts_label.setText(
            "Counts toward mileage." if counts else "Does not count toward mileage."
        )
        self.ok_button.setEnabled(ok)
        return ok

    def is_valid(self) -> bool:
        return self.ok_button.isEnabled()

    def _distance_problem(self) -> str | None:
        if not self.distance_edit.text().strip():
            return "Enter the distance, e.g. 5.2"
        try:
            metres = self.distance_m()
        except ValueError as exc:
            return str(exc).capitalize()
        if metres <= 0:
            return "The distance must be more than zero."
        return _sentence(distance_problem(metres))

    def _duration_problem(self) -> str | None:
        try:
            seconds = self.duration_s()
        except ValueError as exc:
            return str(exc).capitalize()
        if seconds is not None and seconds <= 0:
            return "The duration must be more than zero, or left empty."
        return _sentence(duration_problem(seconds))

    def _start_problem(self) -> str | None:
        return _sentence(start_problem(self.start()))


def _sentence(problem: str | None) -> str | None:
    """A `run_limits` reason as a sentence under a field."""
    return f"{problem[:1].upper()}{problem[1:]}." if problem else None


def summary_text(summary: SaveSummary, problems: list[str]) -> tuple[str, str]:
    """(headline, problem list) of a finished import, in words for the person."""
    headline = f"{summary.headline()}."
    if not problems:
        return headline, ""
    listed = "\n".join(f"• {p}" for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    if more > 0:
        listed += f"\n… and {more} more (Show Details)."
    return headline, f"{len(problems)} problem(s):\n{listed}"


def import_summary_box(parent: QWidget, summary: SaveSummary, problems: list[str]) -> QMessageBox:
    """The message shown when an import ends (not yet shown: call `open()`)."""
    headline, details = summary_text(summary, problems)
    box = QMessageBox(parent)
    box.setWindowTitle("Runs imported")
    box.setIcon(QMessageBox.Icon.Warning if problems else QMessageBox.Icon.Information)
    box.setText(headline)
    if details:
        box.setInformativeText(details)
        box.setDetailedText("\n".join(problems))
    return box
