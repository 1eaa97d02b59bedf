"""The library tab: thumbnails of the photos, grouped by month, with search, sort and
filters (photo_filter), and a welcome when the library is empty (first_run)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from footlog.domain.photo import Photo
from footlog.domain.views import Foot, Status, View
from footlog.gui.first_run import FirstRunPanel
from footlog.gui.photo_filter import PhotoFilterProxy, PhotoFilters
from footlog.gui.photo_filter_bar import PhotoFilterBar
from footlog.gui.photo_model import (
    HeaderRole,
    PhotoIdRole,
    PhotoListModel,
    PhotoRole,
    main_measure_text,
)
from footlog.gui.session import LibrarySession
from footlog.gui.thumbnail_loader import DISPLAY_SIDE, ThumbnailLoader
from footlog.storage.database import LibraryError

STATUS_COLOURS = {  # distinguishable in greyscale too: the label also says it in words
    Status.OK: QColor("#2e7d32"),
    Status.REVIEW: QColor("#ef6c00"),
    Status.FAILED: QColor("#c62828"),
    Status.MANUAL: QColor("#1565c0"),
    Status.CONFIRMED: QColor("#00695c"),  # checked and vouched for by the person
    Status.PENDING: QColor("#757575"),
}
CAPTION_LINE = 18  # px: one line of a photo's caption
CELL = QSize(DISPLAY_SIDE + 24, DISPLAY_SIDE + 12 + 3 * CAPTION_LINE)
HEADER_HEIGHT = 30


def foot_and_view(photo: Photo) -> str:
    """'right · dorsal'; an unknown one as 'foot ?' or 'view ?', short enough for a cell."""
    foot = photo.foot if photo.foot != Foot.UNKNOWN else "foot ?"
    view = photo.view if photo.view != View.UNKNOWN else "view ?"
    return f"{foot} · {view}"


class PhotoDelegate(QStyledItemDelegate):
    """Draws month headers across the view, and photo cells with their facts."""

    def __init__(self, view: QListView, loader: ThumbnailLoader, session: LibrarySession):
        super().__init__(view)
        self.view, self.loader, self.session = view, loader, session

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if index.data(HeaderRole):
            # As wide as the viewport, so that each month starts on a new row.
            return QSize(max(CELL.width(), self.view.viewport().width() - 12), HEADER_HEIGHT)
        return CELL

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        painter.save()
        rect: QRect = option.rect
        palette = option.palette
        if index.data(HeaderRole):
            font = QFont(option.font)
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            painter.setFont(font)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                rect.adjusted(6, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter,
                index.data(Qt.ItemDataRole.DisplayRole),
            )
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
            painter.drawLine(rect.left() + 6, rect.bottom() - 2, rect.right(), rect.bottom() - 2)
            painter.restore()
            return
        photo = index.data(PhotoRole)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight).lighter(160))
        image = self.loader.image(
            photo.sha256, self.session.library.photo_path(photo.file_name)
        )
        box = QRect(rect.left() + 12, rect.top() + 6, DISPLAY_SIDE, DISPLAY_SIDE)
        if image is not None:
            x = box.left() + (DISPLAY_SIDE - image.width()) // 2
            y = box.top() + (DISPLAY_SIDE - image.height()) // 2
            painter.drawImage(x, y, image)
        else:
            painter.fillRect(box, palette.color(QPalette.ColorRole.AlternateBase))
        status = photo.status
        badge = QRect(box.left() + 4, box.top() + 4, 58, 18)
        painter.fillRect(badge, STATUS_COLOURS.get(status, QColor("gray")))
        painter.setPen(QColor("white"))
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, status)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        # Three short lines, each elided to the cell if it must be: the words are never cut
        # in the middle of a letter, and the tooltip says everything.
        lines = (
            (option.font, photo.taken_at[:16].replace("T", "  ")),
            (option.font, foot_and_view(photo)),
            (small, main_measure_text(photo) or "no measure"),
        )
        text_rect = QRect(rect.left() + 6, box.bottom() + 4, rect.width() - 12, CAPTION_LINE)
        for font, text in lines:
            painter.setFont(font)
            elided = QFontMetrics(font).elidedText(
                text, Qt.TextElideMode.ElideRight, text_rect.width())
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignLeft, elided)
            text_rect.translate(0, CAPTION_LINE)
        painter.restore()


class LibraryView(QWidget):
    """Thumbnails with search, sort and filters; double-click (or Enter) opens a photo."""

    open_photo = Signal(int)
    import_requested = Signal()
    demo_requested = Signal()
    photo_help_requested = Signal()
    delete_requested = Signal()

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.source = PhotoListModel(self)
        self.model = PhotoFilterProxy(self.source, self)  # what is shown, in its order
        self.loader = ThumbnailLoader(session.library.cache_dir, self)
        self.loader.ready.connect(self._thumbnail_ready)

        self.bar = PhotoFilterBar(session)
        self.bar.filters_changed.connect(self._filters_changed)
        self.bar.sort_changed.connect(self._sort_changed)
        # The bar's fields, as the tests and the review queue know them.
        self.search, self.sort_combo = self.bar.search, self.bar.sort_combo
        self.foot_combo, self.view_combo = self.bar.foot_combo, self.bar.view_combo
        self.status_combo, self.count_label = self.bar.status_combo, self.bar.count_label

        self.list = QListView()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWrapping(True)
        self.list.setSpacing(4)
        self.list.setUniformItemSizes(False)
        self.list.setSelectionMode(QListView.SelectionMode.ExtendedSelection)
        self.list.setModel(self.model)
        self.list.setItemDelegate(PhotoDelegate(self.list, self.loader, session))
        self.list.activated.connect(self._activated)
        delete = QAction("Delete Photo…", self.list)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_requested)
        self.list.addAction(delete)

        self.empty = FirstRunPanel()
        self.empty.import_requested.connect(self.import_requested)
        self.empty.demo_requested.connect(self.demo_requested)
        self.empty.help_requested.connect(self.photo_help_requested)
        self.no_match = QWidget()
        words = QLabel("<h3>No photo matches</h3><p>Change the search or the filters above, "
                       "or clear them.</p>")
        words.setAlignment(Qt.AlignmentFlag.AlignCenter)
        clear = QPushButton("Clear Filters")
        clear.clicked.connect(self.bar.clear)
        column = QVBoxLayout(self.no_match)
        column.addStretch(1)
        column.addWidget(words)
        column.addWidget(clear, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        self.no_match_clear = clear
        self.stack = QStackedWidget()
        for page in (self.list, self.empty, self.no_match):
            self.stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack, 1)
        session.photos_changed.connect(self.reload)
        session.photo_changed.connect(self._photo_changed)
        self.reload()

    def reload(self) -> None:
        selected = self.selected_photo_ids()
        self.source.load(self.session.library, self.session.person)
        days = [p.taken_at[:10] for p in self.source.photos()]
        self.bar.show_span(*((date.fromisoformat(min(days)), date.fromisoformat(max(days)))
                             if days else (None, None)))
        self._after_change()
        for photo_id in selected[:1]:
            self.select_photo(photo_id)

    def _photo_changed(self, photo_id: int) -> None:
        """One photo changed (a landmark dragged, re-measured): update its cell only."""
        from footlog.storage.photo_store import get_photo

        try:
            photo = get_photo(self.session.library, photo_id)
        except LibraryError:
            self.reload()  # it was deleted
            return
        if not self.model.refresh_photo(photo):
            self.reload()

    def _filters_changed(self, filters: PhotoFilters) -> None:
        self.loader.clear_pending()
        self.model.set_filters(filters)
        self._after_change()

    def _sort_changed(self, key: str) -> None:
        self.model.set_sort(key)
        self.list.doItemsLayout()  # month headers come and go with the order
        self._after_change()

    def _after_change(self) -> None:
        total, shown = self.model.total_count(), self.model.photo_count()
        self.stack.setCurrentWidget(
            self.empty if not total else (self.list if shown else self.no_match))
        self.bar.show_count(shown, total)
        # An empty library has nothing to search: the welcome alone, unless another person
        # of the library has photos to choose.
        self.bar.setVisible(bool(total) or self.bar.person_combo.count() > 1)

    def _thumbnail_ready(self, _sha: str) -> None:
        self.list.viewport().update()

    def _activated(self, index: QModelIndex) -> None:
        photo_id = index.data(PhotoIdRole)
        if photo_id is not None:
            self.open_photo.emit(photo_id)

    def selected_photo_ids(self) -> list[int]:
        return [
            i.data(PhotoIdRole)
            for i in self.list.selectionModel().selectedIndexes()
            if i.data(PhotoIdRole) is not None
        ]

    def select_photo(self, photo_id: int) -> None:
        row = self.model.row_of(photo_id)
        if row >= 0:
            index = self.model.index(row)
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.list.doItemsLayout()  # month headers follow the new width

    def library_root(self) -> Path:
        return self.session.root
