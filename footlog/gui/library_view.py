"""The library tab: thumbnails of every photo, newest first, grouped by month."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

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
    "ok": QColor("#2e7d32"),
    "review": QColor("#ef6c00"),
    "failed": QColor("#c62828"),
    "manual": QColor("#1565c0"),
    "confirmed": QColor("#00695c"),  # checked and vouched for by the person
    "pending": QColor("#757575"),
}
CELL = QSize(DISPLAY_SIDE + 24, DISPLAY_SIDE + 66)
HEADER_HEIGHT = 30


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
            photo["sha256"], self.session.library.photo_path(photo["file_name"])
        )
        box = QRect(rect.left() + 12, rect.top() + 6, DISPLAY_SIDE, DISPLAY_SIDE)
        if image is not None:
            x = box.left() + (DISPLAY_SIDE - image.width()) // 2
            y = box.top() + (DISPLAY_SIDE - image.height()) // 2
            painter.drawImage(x, y, image)
        else:
            painter.fillRect(box, palette.color(QPalette.ColorRole.AlternateBase))
        status = photo["status"]
        badge = QRect(box.left() + 4, box.top() + 4, 58, 18)
        painter.fillRect(badge, STATUS_COLOURS.get(status, QColor("gray")))
        painter.setPen(QColor("white"))
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        painter.setFont(small)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, status)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.setFont(option.font)
        text_rect = QRect(rect.left() + 6, box.bottom() + 4, rect.width() - 12, 18)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignLeft,
            f"{photo['taken_at'][:10]}  {photo['foot']} · {photo['view']}",
        )
        painter.setFont(small)
        painter.drawText(
            text_rect.translated(0, 18),
            Qt.AlignmentFlag.AlignLeft,
            main_measure_text(photo) or "no measure",
        )
        painter.restore()


class LibraryView(QWidget):
    """Thumbnails with foot and view filters; double-click (or Enter) opens a photo."""

    open_photo = Signal(int)
    import_requested = Signal()
    delete_requested = Signal()

    def __init__(self, session: LibrarySession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = PhotoListModel(self)
        self.loader = ThumbnailLoader(session.library.cache_dir, self)
        self.loader.ready.connect(self._thumbnail_ready)

        self.foot_combo = QComboBox()
        self.foot_combo.addItems(["Both feet", "Left", "Right", "Unknown foot"])
        self.view_combo = QComboBox()
        self.view_combo.addItems(["All views", "Dorsal", "Medial", "Plantar", "Unknown view"])
        self.status_combo = QComboBox()
        self.status_combo.addItems(["All statuses", "Needs review", "Confirmed"])
        self.status_combo.setToolTip(
            "Needs review: photos the detector doubted or could not measure, and photos "
            "new since you last confirmed one (Photo ▸ Review Photos steps through them)")
        self.count_label = QLabel()
        for combo in (self.foot_combo, self.view_combo, self.status_combo):
            combo.currentIndexChanged.connect(self._filters_changed)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.foot_combo)
        bar.addWidget(self.view_combo)
        bar.addWidget(self.status_combo)
        bar.addStretch(1)
        bar.addWidget(self.count_label)

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

        self.empty = QLabel(
            "<h2>Import your first photo</h2>"
            "<p>Drag photos or folders onto this window, or choose <b>File ▸ Import Photos…</b> "
            "(Ctrl+I).</p><p>Photograph your foot from above, standing on the printed sheet "
            "(<b>File ▸ Print Calibration Sheet…</b>) or on a plain A4 or Letter page, "
            "<b>with the heel in view</b> (the hallux angle is measured from the heel; "
            "hold the phone above the toes or ask someone to take it).</p>"
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.list)
        self.stack.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        session.photos_changed.connect(self.reload)
        session.photo_changed.connect(self._photo_changed)
        self.reload()

    def reload(self) -> None:
        selected = self.selected_photo_ids()
        self.model.load(self.session.library, self.session.person)
        self._after_change()
        for photo_id in selected[:1]:
            self.select_photo(photo_id)

    def _photo_changed(self, photo_id: int) -> None:
        """One photo changed (a landmark dragged, re-measured): update its cell only."""
        from footlog.storage.measure_store import load_measures
        from footlog.storage.photo_store import get_photo

        try:
            photo = get_photo(self.session.library, photo_id)
        except LibraryError:
            self.reload()  # it was deleted
            return
        photo["measures"] = load_measures(self.session.library, photo_id)
        photo["person"] = self.session.person.name
        if not self.model.refresh_photo(photo):
            self.reload()

    def _filters_changed(self) -> None:
        foot = [None, "left", "right", "unknown"][self.foot_combo.currentIndex()]
        view = [None, "dorsal", "medial", "plantar", "unknown"][self.view_combo.currentIndex()]
        status = [None, "review", "confirmed"][self.status_combo.currentIndex()]
        self.loader.clear_pending()
        self.model.set_filters(foot, view, status)
        self._after_change()

    def _after_change(self) -> None:
        total, shown = self.model.total_count(), self.model.photo_count()
        self.stack.setCurrentWidget(self.list if total else self.empty)
        self.count_label.setText(
            f"{shown} of {total} photos" if shown != total else f"{total} photos"
        )

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
