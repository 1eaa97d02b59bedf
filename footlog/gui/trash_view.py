"""The trash: deleting photos undoably, and the Deleted Photos dialog.

Deleting a photo moves it to the library's trash (row, landmarks, measures and file kept);
it is gone for good only when the trash is emptied. Moving to and out of the trash are undo
commands on the window's library undo stack, so Edit ▸ Undo right after a deletion brings
the photos back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from footlog.gui.session import LibrarySession
from footlog.storage.database import LibraryError
from footlog.storage.photo_store import empty_trash, list_photos, restore_photos, trash_photos


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 photo', '3 photos'."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


class TrashCommand(QUndoCommand):
    """Moves photos into the trash (redo) or out of it (undo); `restore=True` the reverse."""

    def __init__(
        self,
        session: LibrarySession,
        photo_ids: list[int],
        restore: bool = False,
        done: Callable[[str], None] | None = None,
    ) -> None:
        verb = "Restore" if restore else "Delete"
        super().__init__(f"{verb} {plural(len(photo_ids), 'photo')}")
        self.session, self.ids, self.restore = session, list(photo_ids), restore
        self.done = done

    def _move(self, into_trash: bool) -> None:
        lib = self.session.library
        try:
            if into_trash:
                trash_photos(lib, self.ids)
                text = f"{plural(len(self.ids), 'photo')} moved to the trash (Edit ▸ Undo "
                text += "brings them back)"
            else:
                restore_photos(lib, self.ids)
                text = f"{plural(len(self.ids), 'photo')} restored from the trash"
        except LibraryError as exc:  # e.g. deleted for good meanwhile by another footlog
            text = f"Could not change the trash: {exc}"
        self.session.photos_changed.emit()
        if self.done is not None:
            self.done(text)

    def redo(self) -> None:
        self._move(into_trash=not self.restore)

    def undo(self) -> None:
        self._move(into_trash=self.restore)


class DeletedPhotosDialog(QDialog):
    """Photos in the trash: restore them (undoable), or delete them for good."""

    def __init__(
        self, session: LibrarySession, undo_stack: QUndoStack, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deleted Photos")
        self.session, self.undo_stack = session, undo_stack
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Taken", "Foot · view", "Status", "File"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.info = QLabel()
        self.info.setWordWrap(True)
        self.restore_button = QPushButton("&Restore")
        self.restore_button.clicked.connect(self.restore_selected)
        self.purge_button = QPushButton("Delete for &Good…")
        self.purge_button.clicked.connect(self.purge_selected)
        self.empty_button = QPushButton("&Empty Trash…")
        self.empty_button.clicked.connect(self.purge_all)
        buttons = QHBoxLayout()
        for button in (self.restore_button, self.purge_button, self.empty_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(close)
        self.resize(720, 420)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        session.photos_changed.connect(self.reload)
        self.reload()

    def reload(self) -> None:
        photos = list_photos(self.session.library, self.session.person, deleted=True)
        self.table.setRowCount(len(photos))
        for row, photo in enumerate(photos):
            cells = [
                photo.taken_at[:16].replace("T", " "),
                f"{photo.foot} · {photo.view}",
                photo.status,
                photo.original_name,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, photo.id)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.info.setText(
            "The trash is empty."
            if not photos
            else f"{plural(len(photos), 'photo')} in the trash. Restored photos come back "
            "with their landmarks and measures; photos deleted for good are gone from the "
            "library (your original files are never touched)."
        )
        self._update_buttons()

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.table.model().index(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]

    def _update_buttons(self) -> None:
        chosen = bool(self.selected_ids())
        self.restore_button.setEnabled(chosen)
        self.purge_button.setEnabled(chosen)
        self.empty_button.setEnabled(self.table.rowCount() > 0)

    def restore_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.undo_stack.push(TrashCommand(self.session, ids, restore=True))

    def purge_selected(self) -> None:
        self._purge(self.selected_ids())

    def purge_all(self) -> None:
        self._purge(None)

    def _purge(self, ids: list[int] | None) -> None:
        count = self.table.rowCount() if ids is None else len(ids)
        if not count:
            return
        answer = QMessageBox.question(
            self,
            "Delete for good",
            f"Delete {plural(count, 'photo')} for good, with their landmarks and measures? "
            "This cannot be undone. Your original files are not touched.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        empty_trash(self.session.library, ids)
        # Commands on the stack may name photos that no longer exist.
        self.undo_stack.clear()
        self.session.photos_changed.emit()
