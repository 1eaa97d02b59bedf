"""What the Photos tab shows of the library: search, sort and filters over the photo model.

A `QSortFilterProxyModel` over `PhotoListModel`: typing in the search field or choosing a
filter decides again which of the rows already read are shown (one pass over the photos in
memory), never reading the library again. Month headers show only when the photos are
sorted by date, and only over months with a photo shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
)

from footlog.domain.photo import Photo
from footlog.domain.views import MEASURES, Status
from footlog.gui.photo_model import PhotoIdRole, PhotoListModel
from footlog.storage.confirm_store import last_confirmation, needs_review

NEWEST, OLDEST, STATUS = "newest", "oldest", "status"
# Sorted by status, the photos that need a look come first (then newest first within one).
STATUS_ORDER = (Status.FAILED, Status.REVIEW, Status.PENDING, Status.MANUAL, Status.OK,
                Status.CONFIRMED)
SORT_CHOICES: tuple[tuple[str, str], ...] = (
    (NEWEST, "Newest first"),
    (OLDEST, "Oldest first"),
    (STATUS, "Needs a look first"),
    *((name, f"{info.label}, largest first") for name, info in MEASURES.items()),
)


@dataclass(frozen=True)
class PhotoFilters:
    """What the person asked to see. None (or "") means no restriction.

    `status`: "review" (the photos that need a look, confirm_store.needs_review) or
    "confirmed". `date_from` and `date_to` are days (local to where the photo was taken),
    both included. `text` is matched, ignoring case, in the file name and the note.
    """

    foot: str | None = None
    view: str | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""

    def shows(self, photo: Photo, since: str | None) -> bool:
        if self.foot and photo.foot != self.foot:
            return False
        if self.view and photo.view != self.view:
            return False
        if self.status == "review" and not needs_review(photo, since):
            return False
        if self.status == Status.CONFIRMED and photo.status != Status.CONFIRMED:
            return False
        day = photo.taken_at[:10]
        if self.date_from and day < self.date_from.isoformat():
            return False
        if self.date_to and day > self.date_to.isoformat():
            return False
        if self.text:
            haystack = f"{photo.original_name}\n{photo.note or ''}".casefold()
            return all(word in haystack for word in self.text.casefold().split())
        return True


class PhotoFilterProxy(QSortFilterProxyModel):
    """The photos shown, in the order chosen; the helpers of `PhotoListModel` over them."""

    def __init__(self, source: PhotoListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.source = source
        self.setSourceModel(source)
        self.filters = PhotoFilters()
        self.sort_by = NEWEST
        self._shown: set[int] = set()  # ids of the photos that pass the filters
        self._months: set[str] = set()  # months with a shown photo
        self._keys: list[tuple] = []  # sort key of each source row, for the order chosen
        self._derived_from: tuple | None = None  # (source version, filters, order) of those
        self.sort(0)

    # -- choosing ----------------------------------------------------------------------

    def set_filters(self, filters: PhotoFilters | None = None, **changes: Any) -> None:
        """Replace the filters (`filters`), or change some of them (`foot="left"`)."""
        self.filters = replace(filters or self.filters, **changes)
        self.refilter()

    def set_sort(self, key: str) -> None:
        """NEWEST, OLDEST, STATUS or a measure's name (largest first, photos without it
        last)."""
        self.sort_by = key
        self.refilter()

    def refilter(self) -> None:
        """Decide again which photos pass and in what order (a filter or the order changed,
        or a photo was edited)."""
        self._derived_from = None
        self.invalidate()

    def _derive(self) -> None:
        """The shown ids, months and sort keys, computed once per change of the rows, the
        filters or the order (Qt asks filterAcceptsRow n times and lessThan n log n times,
        also while the source is being reset)."""
        state = (self.source.version, self.filters, self.sort_by)
        if state == self._derived_from:
            return
        photos = self.source.photos()
        since = last_confirmation(photos)
        shown = [p for p in photos if self.filters.shows(p, since)]
        self._shown = {p.id for p in shown}
        self._months = {p.taken_at[:7] for p in shown}
        self._keys = [self._key(row) for row in range(self.source.rowCount())]
        self._derived_from = state

    # -- Qt proxy ----------------------------------------------------------------------

    def filterAcceptsRow(self, row: int, _parent: QModelIndex | QPersistentModelIndex) -> bool:
        self._derive()
        item = self.source.item(row)
        if item.photo is None:  # a month header: only in date order, over shown photos
            return self.sort_by in (NEWEST, OLDEST) and item.month in self._months
        return item.photo.id in self._shown

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        self._derive()
        return self._keys[left.row()] < self._keys[right.row()]

    def _key(self, row: int) -> tuple:
        """Sort key of a source row (its row breaks ties: the newest first)."""
        item = self.source.item(row)
        if self.sort_by == NEWEST:
            return (row,)
        if self.sort_by == OLDEST:  # months oldest first, each header above its photos
            return (item.month, item.photo is not None, -row)
        photo = item.photo
        if self.sort_by == STATUS:
            status = photo.status if photo else None
            rank = STATUS_ORDER.index(status) if status in STATUS_ORDER else len(STATUS_ORDER)
            return (rank, row)
        value = photo.measures.get(self.sort_by) if photo else None
        return (value is None, -(value or 0.0), row)

    def index(self, row: int, column: int = 0,
              parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        return super().index(row, column, parent)

    # -- the helpers of the photo model, over what is shown ------------------------------

    def photo_ids(self) -> list[int]:
        """The ids shown, in the order shown."""
        ids = (self.index(r).data(PhotoIdRole) for r in range(self.rowCount()))
        return [i for i in ids if i is not None]

    def photo_count(self) -> int:
        self._derive()
        return len(self._shown)

    def total_count(self) -> int:
        return self.source.total_count()

    def row_of(self, photo_id: int) -> int:
        source_row = self.source.row_of(photo_id)
        if source_row < 0:
            return -1
        return self.mapFromSource(self.source.index(source_row)).row()

    def refresh_photo(self, photo: Photo) -> bool:
        """The source's `refresh_photo`, then the filters and order decided again when they
        may depend on what changed (its status, foot, a measure)."""
        if not self.source.refresh_photo(photo):
            return False
        if self.filters != PhotoFilters() or self.sort_by != NEWEST:
            self.refilter()
        return True
