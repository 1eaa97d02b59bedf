"""The library's photos as a Qt list model: month headers, then photos newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from footlog.domain.views import MAIN_MEASURE, MEASURES, View
from footlog.storage.confirm_store import last_confirmation, needs_review
from footlog.storage.photo_store import list_photos

PhotoRole = Qt.ItemDataRole.UserRole + 1  # the photo's row dict, or None for a header
HeaderRole = Qt.ItemDataRole.UserRole + 2  # True for a month header
PhotoIdRole = Qt.ItemDataRole.UserRole + 3


@dataclass
class _Item:
    header: str | None = None
    photo: dict[str, Any] | None = None


def month_label(taken_at: str) -> str:
    return datetime.fromisoformat(taken_at).strftime("%B %Y")


def main_measure_text(photo: dict[str, Any]) -> str:
    """'Hallux angle 12.3°' for the photo's view, or '' when it has none."""
    try:
        name = MAIN_MEASURE[View(photo["view"])]
    except (KeyError, ValueError):
        name = next(iter(photo["measures"]), "")
    if name not in photo["measures"]:
        return ""
    info = MEASURES[name]
    unit = {"deg": "°", "mm": " mm", "1": ""}[info.unit]
    value = photo["measures"][name]
    return f"{info.label} {value:.1f}{unit}" if info.unit != "1" else f"{info.label} {value:.2f}"


class PhotoListModel(QAbstractListModel):
    """Rows are month headers and photos; filtered by foot and view."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[_Item] = []
        self._photos: list[dict[str, Any]] = []
        self.foot_filter: str | None = None
        self.view_filter: str | None = None
        # "review": only the photos that need the person's look (confirm_store.needs_review);
        # "confirmed": only confirmed ones; None: every status.
        self.status_filter: str | None = None

    # -- loading -----------------------------------------------------------------------

    def load(self, library, person) -> None:
        """Read the person's photos (one query; thumbnails come later, lazily)."""
        self._photos = list_photos(library, person)
        self._rebuild()

    def set_filters(self, foot: str | None, view: str | None, status: str | None = None
                    ) -> None:
        self.foot_filter, self.view_filter, self.status_filter = foot, view, status
        self._rebuild()

    def _status_shown(self, photo: dict[str, Any], since: str | None) -> bool:
        if self.status_filter == "review":
            return needs_review(photo, since)
        if self.status_filter == "confirmed":
            return photo["status"] == "confirmed"
        return True

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._items = []
        month = None
        since = last_confirmation(self._photos)
        for photo in self._photos:
            if self.foot_filter and photo["foot"] != self.foot_filter:
                continue
            if self.view_filter and photo["view"] != self.view_filter:
                continue
            if not self._status_shown(photo, since):
                continue
            label = month_label(photo["taken_at"])
            if label != month:
                self._items.append(_Item(header=label))
                month = label
            self._items.append(_Item(photo=photo))
        self.endResetModel()

    def refresh_photo(self, photo: dict[str, Any]) -> bool:
        """Replace one photo's row in place; False when its place or group would change
        (date, foot or view edited), in which case the caller reloads everything."""
        for row, item in enumerate(self._items):
            old = item.photo
            if old is None or old["id"] != photo["id"]:
                continue
            # A status filter may now hide or show it: the rows are rebuilt then.
            keys = ("taken_at", "foot", "view", *(("status",) if self.status_filter else ()))
            if any(old[k] != photo[k] for k in keys):
                return False
            item.photo = photo
            self._photos = [photo if p["id"] == photo["id"] else p for p in self._photos]
            self.dataChanged.emit(self.index(row), self.index(row))
            return True
        return False

    def photo_count(self) -> int:
        return sum(1 for i in self._items if i.photo is not None)

    def total_count(self) -> int:
        return len(self._photos)

    def row_of(self, photo_id: int) -> int:
        for row, item in enumerate(self._items):
            if item.photo is not None and item.photo["id"] == photo_id:
                return row
        return -1

    def photo_ids(self) -> list[int]:
        return [i.photo["id"] for i in self._items if i.photo is not None]

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
            return item.photo["id"] if item.photo else None
        if role == Qt.ItemDataRole.DisplayRole:
            return item.header if item.header else item.photo["original_name"]
        if role == Qt.ItemDataRole.ToolTipRole and item.photo:
            p = item.photo
            lines = [
                p["original_name"],
                f"taken {p['taken_at'][:16]} ({p['taken_at_source']})",
                f"{p['foot']} foot, {p['view']} view, {p['status']}",
            ]
            lines += [
                f"{MEASURES[k].label}: {v:.2f}" for k, v in p["measures"].items() if k in MEASURES
            ]
            lines += p["warnings"][:3]
            return "\n".join(lines)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid() or self._items[index.row()].header is not None:
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
