"""The library's photos as a Qt list model: month headers, then photos newest first.

Every photo of the person is a row here; what the Photos tab shows of them (search, sort,
filters) is decided by `photo_filter.PhotoFilterProxy` on top, without reading again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from footlog.domain.photo import Photo
from footlog.domain.views import MAIN_MEASURE, MEASURES
from footlog.storage.photo_store import list_photos

PhotoRole = Qt.ItemDataRole.UserRole + 1  # the Photo, or None for a header
HeaderRole = Qt.ItemDataRole.UserRole + 2  # True for a month header
PhotoIdRole = Qt.ItemDataRole.UserRole + 3


@dataclass
class _Item:
    header: str | None = None
    photo: Photo | None = None
    month: str = ""  # "2025-05": the month the header heads or the photo was taken in


def month_label(taken_at: str) -> str:
    return datetime.fromisoformat(taken_at).strftime("%B %Y")


def main_measure_text(photo: Photo) -> str:
    """'Hallux angle 12.3°' for the photo's view, or '' when it has none."""
    try:
        name = MAIN_MEASURE[photo.view]
    except (KeyError, ValueError):
        name = next(iter(photo.measures), "")
    if name not in photo.measures:
        return ""
    info = MEASURES[name]
    unit = {"deg": "°", "mm": " mm", "1": ""}[info.unit]
    value = photo.measures[name]
    return f"{info.label} {value:.1f}{unit}" if info.unit != "1" else f"{info.label} {value:.2f}"


class PhotoListModel(QAbstractListModel):
    """Rows are month headers and every photo, newest first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[_Item] = []
        self._photos: list[Photo] = []
        # Counts the changes of the rows, so that a proxy knows when what it derived from
        # them (photo_filter) is out of date, even in the middle of a reset.
        self.version = 0

    # -- loading -----------------------------------------------------------------------

    def load(self, library, person) -> None:
        """Read the person's photos (one query; thumbnails come later, lazily)."""
        self._photos = list_photos(library, person)
        self._rebuild()

    def photos(self) -> list[Photo]:
        """Every photo's row, newest first."""
        return self._photos

    def item(self, row: int) -> _Item:
        return self._items[row]

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._items = []
        month = None
        for photo in self._photos:
            label = month_label(photo.taken_at)
            key = photo.taken_at[:7]
            if label != month:
                self._items.append(_Item(header=label, month=key))
                month = label
            self._items.append(_Item(photo=photo, month=key))
        self.version += 1
        self.endResetModel()

    def refresh_photo(self, photo: Photo) -> bool:
        """Replace one photo's row in place; False when its place or month would change
        (date edited), in which case the caller reloads everything."""
        for row, item in enumerate(self._items):
            old = item.photo
            if old is None or old.id != photo.id:
                continue
            if old.taken_at != photo.taken_at:
                return False
            item.photo = photo
            self._photos = [photo if p.id == photo.id else p for p in self._photos]
            self.version += 1
            self.dataChanged.emit(self.index(row), self.index(row))
            return True
        return False

    def photo_count(self) -> int:
        return sum(1 for i in self._items if i.photo is not None)

    def total_count(self) -> int:
        return len(self._photos)

    def row_of(self, photo_id: int) -> int:
        for row, item in enumerate(self._items):
            if item.photo is not None and item.photo.id == photo_id:
                return row
        return -1

    def photo_ids(self) -> list[int]:
        return [i.photo.id for i in self._items if i.photo is not None]

    # -- Qt model ----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == HeaderRole:
            return item.header is not None
        if role == PhotoRole:
            return item.photo
        if role == PhotoIdRole:
            return item.photo.id if item.photo else None
        if role == Qt.ItemDataRole.DisplayRole:
            if item.header or item.photo is None:
                return item.header
            return item.photo.original_name
        if role == Qt.ItemDataRole.ToolTipRole and item.photo:
            p = item.photo
            lines = [
                p.original_name,
                f"taken {p.taken_at[:16]} ({p.taken_at_source})",
                f"{p.foot} foot, {p.view} view, {p.status}",
            ]
            lines += [
                f"{MEASURES[k].label}: {v:.2f}" for k, v in p.measures.items() if k in MEASURES
            ]
            lines += p.warnings[:3]
            return "\n".join(lines)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or self._items[index.row()].header is not None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
