"""Qt models of the Runs tab (the run log, its filter/sort proxy, the period totals) and
the worker that imports run files off the GUI thread.

Models hold plain rows from `footlog.storage.run_store.list_runs`; they never query the
database themselves, so the view decides when data is (re)loaded.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QThread,
    Signal,
    Slot,
)
from PySide6.QtGui import QBrush, QColor

from footlog.app import import_runs
from footlog.domain.mileage import PeriodTotal
from footlog.domain.runs import Footwear
from footlog.domain.units import format_duration
from footlog.storage.database import connect
from footlog.storage.library import DB_NAME, Library, Person

#: What a cell sorts by: numbers and timestamps, not their display text ("10.00" < "9.00").
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: The database id of the run in a row.
RUN_ID_ROLE = Qt.ItemDataRole.UserRole + 2
#: The whole row (a dict), for dialogs.
ROW_ROLE = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex

#: (header, list_runs key) of every column, in display order.
RUN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Date", "start"),
    ("Distance (km)", "distance_m"),
    ("Duration", "duration_s"),
    ("Type", "activity_type"),
    ("Name", "name"),
    ("Gear", "gear"),
    ("Footwear", "footwear"),
    ("Decided by", "footwear_source"),
    ("Counts", "counts_toward_mileage"),
)
#: Shown after the name of a run read from a file that ends early.
INCOMPLETE_MARK = " (incomplete)"
INCOMPLETE_TIP = (
    "Read from a file that ends early: its distance and time may be short. Import the "
    "complete file to replace it."
)
COLUMN = {key: i for i, (_, key) in enumerate(RUN_COLUMNS)}
_NUMERIC = {"distance_m", "duration_s"}
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def local_start(row: dict[str, Any]) -> datetime:
    """A run's start in this computer's zone (stored ISO text carries its own offset).

    At the ends of the calendar (a run dated 9999-12-31 by an older footlog) the shift to
    this zone overflows: the start is then given in its own offset.
    """
    start = datetime.fromisoformat(row["start"])
    if start.tzinfo is None:
        return start
    try:
        return start.astimezone()
    except (OverflowError, OSError, ValueError):
        return start


_LOCAL_START = "_local_start"  # a row's `local_start`, kept in the row by the model


def _start_of(row: dict[str, Any]) -> datetime:
    cached = row.get(_LOCAL_START)
    return cached if cached is not None else local_start(row)


class RunTableModel(QAbstractTableModel):
    """One row per run, oldest first; the proxy does the sorting."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[dict[str, Any]] = []

    def set_rows(self, rows: Sequence[dict[str, Any]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        for row in self._rows:
            # Parsed once: sorting asks for it tens of thousands of times per reload.
            row[_LOCAL_START] = local_start(row)
        self.endResetModel()

    def rows(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def row_at(self, row: int) -> dict[str, Any]:
        """The `list_runs` row shown at `row` (no QVariant round trip, unlike ROW_ROLE)."""
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(RUN_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return RUN_COLUMNS[section][0]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        key = RUN_COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, key)
        if role == SORT_ROLE:
            return _sort_value(row, key)
        if role == RUN_ID_ROLE:
            return row["id"]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and key in _NUMERIC:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole and key == "name" and row.get("incomplete"):
            parts = (row["name"], row.get("description"), INCOMPLETE_TIP)
            return "\n\n".join(text for text in parts if text)
        if role == Qt.ItemDataRole.ToolTipRole and key in {"name", "gear"} and row[key]:
            text = row[key] + (f"\n\n{row['description']}" if row.get("description") else "")
            return text
        if role == Qt.ItemDataRole.ForegroundRole and key == "name" and row.get("incomplete"):
            return QBrush(QColor("#b00020"))
        if role == Qt.ItemDataRole.ToolTipRole and key == "start":
            return row.get("source_file") or "entered by hand"
        return None


def _display(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if key == "start":
        return _start_of(row).strftime("%Y-%m-%d %H:%M")
    if key == "distance_m":
        if value is None:
            return ""
        return f"{value / 1000:.2f}" if math.isfinite(value) else "?"
    if key == "duration_s":
        return format_duration(value)
    if key == "counts_toward_mileage":
        return "yes" if value else "no"
    if key == "name" and row.get("incomplete"):
        return f"{value or ''}{INCOMPLETE_MARK}".lstrip()
    return "" if value is None else str(value)


def _sort_value(row: dict[str, Any], key: str) -> Any:
    value = row.get(key)
    if key == "start":
        return _start_of(row).timestamp()
    if key in _NUMERIC:
        # Missing numbers sort before every real one, whichever direction.
        return -1.0 if value is None else float(value)
    if key == "counts_toward_mileage":
        return int(bool(value))
    return str(value or "").casefold()


class RunFilterProxy(QSortFilterProxyModel):
    """Sorts by `SORT_ROLE`; keeps rows of one footwear class and matching a text."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._footwear: Footwear | None = None
        self._text = ""

    def set_footwear(self, footwear: Footwear | str | None) -> None:
        # Combo data comes back as plain str: Qt stores a StrEnum as its text.
        value = Footwear(footwear) if footwear else None
        self._refilter(lambda: setattr(self, "_footwear", value))

    def set_text(self, text: str) -> None:
        self._refilter(lambda: setattr(self, "_text", text.strip().casefold()))

    def _refilter(self, change: Callable[[], None]) -> None:
        # Qt 6.10 deprecates invalidateFilter() for begin/endFilterChange(); the project
        # still supports older PySide6, which only has the former.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:  # pragma: no cover - PySide6 < 6.10
            change()
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if not isinstance(model, RunTableModel):
            return True
        # Straight from the list: called per row on every keystroke in the filter box.
        row = model.row_at(source_row)
        if self._footwear is not None and row["footwear"] != self._footwear.value:
            return False
        if self._text:
            haystack = f"{row.get('name') or ''}\n{row.get('gear') or ''}".casefold()
            return self._text in haystack
        return True


#: Columns of the totals table: header and the footwear class summed (None: total).
TOTAL_COLUMNS: tuple[tuple[str, Footwear | None], ...] = (
    ("Barefoot", Footwear.BAREFOOT),
    ("Minimal", Footwear.MINIMAL),
    ("Shod", Footwear.SHOD),
    ("Unknown", Footwear.UNKNOWN),
    ("Total", None),
)


class TotalsModel(QAbstractTableModel):
    """Kilometres per footwear class, one row per period, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._totals: list[PeriodTotal] = []

    def set_totals(self, totals: Sequence[PeriodTotal]) -> None:
        self.beginResetModel()
        # Newest first: the period one looks at most is this week/month.
        self._totals = sorted(totals, key=lambda t: t.start, reverse=True)
        self.endResetModel()

    def totals(self) -> list[PeriodTotal]:
        return list(self._totals)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._totals)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(TOTAL_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return "Period" if section == 0 else f"{TOTAL_COLUMNS[section - 1][0]} km"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        total = self._totals[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return total.key
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{total.start:%d %b %Y} – {total.end:%d %b %Y}, {total.runs} run(s)"
            return None
        footwear = TOTAL_COLUMNS[index.column() - 1][1]
        metres = total.total_m if footwear is None else total.metres(footwear)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{metres / 1000:.1f}" if metres else "–"
        if role == SORT_ROLE:
            return metres
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT
        return None


_RUNNING: set[ImportWorker] = set()


class ImportWorker(QObject):
    """Reads run files and saves their runs, in a thread, on a connection of its own."""

    finished = Signal(object, list)  # SaveSummary, list of problems
    failed = Signal(str)

    def __init__(self, root: Path, person: Person, paths: list[Path]) -> None:
        super().__init__()
        self._root, self._person, self._paths = root, person, list(paths)
        self._thread = QThread()
        self.moveToThread(self._thread)
        self._thread.started.connect(self.run)
        self.finished.connect(self._thread.quit)
        self.failed.connect(self._thread.quit)

    def start(self) -> None:
        # Kept alive past its thread's end: destroying a running QThread aborts the program,
        # and the tab that started the import may be closed first. Finished ones are dropped
        # here, in the GUI thread, rather than from the ending thread itself.
        _RUNNING.difference_update([w for w in _RUNNING if w._thread.isFinished()])
        _RUNNING.add(self)
        self._thread.start()

    def wait(self, msecs: int = 60_000) -> bool:
        return self._thread.wait(msecs)

    @Slot()
    def run(self) -> None:
        try:
            # Not `Library.open`: that also clears `photos/.incoming/`, which would delete
            # the half-copied file of a photo import running in another tab. The session
            # already opened and migrated this database; a bare connection is enough.
            lib = Library(self._root, connect(self._root / DB_NAME))
            try:
                summary, problems = import_runs(lib, self._person, self._paths)
            finally:
                lib.close()
        except Exception as exc:  # reported to the person; the thread must always finish
            self.failed.emit(f"{type(exc).__name__}: {exc}")
            return
        self.finished.emit(summary, problems)


def wait_for_imports(msecs: int = 60_000) -> bool:
    """Wait for run imports still running (call before quitting); False on time-out."""
    return all(worker.wait(msecs) for worker in list(_RUNNING))
