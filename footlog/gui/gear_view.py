"""The gear-to-footwear mapping as an editable list: one row per shoe (or sandal, or none).

Changing a class calls `set_gear` (or `remove_gear` for "not set"), which reclassifies the
person's runs in the database; the view then says so through `gear_changed`, and the
Runs tab reloads its table.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from footlog.domain.runs import Footwear, normalise_gear_name
from footlog.gui.session import LibrarySession
from footlog.storage.database import LibraryError
from footlog.storage.run_store import gear_map, remove_gear, set_gear

#: Combo entries: label and what is stored. "not set" removes the mapping, so keywords in
#: the run names decide again (a gear mapped to "unknown" would do the same, less plainly).
CHOICES: tuple[tuple[str, Footwear | None], ...] = (
    ("not set", None),
    ("barefoot", Footwear.BAREFOOT),
    ("minimal", Footwear.MINIMAL),
    ("shod", Footwear.SHOD),
)


class GearView(QWidget):
    """Every gear name known from the runs and the mapping, each with a class combo."""

    gear_changed = Signal(str)  # the gear name whose class changed

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        # None until the first reload, so that an empty first state still sets visibility.
        self._state: list[tuple[str, int, Footwear | None]] | None = None
        title = QLabel("<b>Gear</b> — what each shoe counts as")
        self.table = QTableWidget(0, 2, self)
        self.table.setHorizontalHeaderLabels(["Gear", "Class"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel("No gear yet: gear names come from imported runs or the run dialog.")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)

    def reload(self, runs: list[dict[str, Any]]) -> None:
        """Show the gear of `runs` and of the stored mapping."""
        state = _gear_state(runs, gear_map(self.session.library, self.session.person))
        if state == self._state:
            return  # unchanged: keep the combos (one may be emitting right now)
        self._state = state
        self.table.setRowCount(len(state))
        for row, (name, count, footwear) in enumerate(state):
            item = QTableWidgetItem(name)
            item.setToolTip(f"{count} run(s) with this gear")
            self.table.setItem(row, 0, item)
            self.table.setCellWidget(row, 1, self._combo(name, footwear))
        self.table.setVisible(bool(state))
        self.empty.setVisible(not state)

    def names(self) -> list[str]:
        return [name for name, _, _ in self._state or []]

    def combo_for(self, name: str) -> QComboBox:
        """The class combo of one gear (tests and keyboard users find it by name)."""
        row = self.names().index(name)
        widget = self.table.cellWidget(row, 1)
        assert isinstance(widget, QComboBox)
        return widget

    def _combo(self, name: str, footwear: Footwear | None) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(f"Footwear class of {name}")
        for label, value in CHOICES:
            combo.addItem(label, value)
        combo.setCurrentIndex(max(0, combo.findData(footwear)))
        combo.currentIndexChanged.connect(lambda _i, n=name, c=combo: self._chosen(n, c))
        return combo

    def _chosen(self, name: str, combo: QComboBox) -> None:
        data = combo.currentData()  # Qt hands a StrEnum back as plain str
        footwear = Footwear(data) if data else None
        state = self._state or []
        current = next((f for n, _, f in state if n == name), None)
        if footwear == current:
            return  # set back after an error, or set while building
        lib, person = self.session.library, self.session.person
        try:
            if footwear is None:
                # The mapping may spell the name differently ("luna mono "): remove that one.
                wanted = normalise_gear_name(name)
                for stored in gear_map(lib, person):
                    if normalise_gear_name(stored) == wanted:
                        remove_gear(lib, person, stored)
            else:
                set_gear(lib, person, name, footwear)
        except LibraryError as exc:
            combo.setCurrentIndex(max(0, combo.findData(current)))
            self._warn(f"Could not change the class of {name!r}: {exc}")
            return
        self._state = [(n, c, footwear if n == name else f) for n, c, f in state]
        # Deferred: listeners reload this view, and the combo is still inside its signal.
        QTimer.singleShot(0, lambda: self.gear_changed.emit(name))

    def _warn(self, text: str) -> None:
        QMessageBox.warning(self, "Gear", f"{text}\n\nTry again; if it persists, reopen footlog.")


def _gear_state(
    runs: list[dict[str, Any]], mapping: dict[str, Footwear]
) -> list[tuple[str, int, Footwear | None]]:
    """(name, runs with it, mapped class) per gear, names compared like `classify_footwear`
    does, so "Luna Mono" and "luna mono " are one row."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for run in runs:
        gear = (run.get("gear") or "").strip()
        if gear:
            key = normalise_gear_name(gear)
            counts[key] += 1
            shown.setdefault(key, gear)
    classes: dict[str, Footwear | None] = {}
    for name, footwear in mapping.items():
        key = normalise_gear_name(name)
        shown.setdefault(key, name)
        classes[key] = None if footwear == Footwear.UNKNOWN else footwear
    return sorted(
        ((shown[key], counts[key], classes.get(key)) for key in shown),
        key=lambda item: item[0].casefold(),
    )


__all__ = ["CHOICES", "GearView"]
