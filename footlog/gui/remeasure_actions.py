"""Photo ▸ Measure All Again…: the current detector on every photo, with a look first.

A mixin of the main window: it uses the window's session, status line, `_library_writable`,
the background worker (`start_worker`, `_finish_worker`), `library_undo` and `open_photo`.
The detector runs in the background (progress, Cancel); nothing is stored until the person
has seen the list of photos whose measures would change (largest first) and pressed Save;
Edit ▸ Undo puts the photos back as they were.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from footlog.gui.background import Worker
from footlog.remeasure import PendingRemeasure, apply_measure_again
from footlog.storage.library import Library
from footlog.storage.photo_snapshot import PhotoSnapshot, restore_snapshots, snapshot_photo

if TYPE_CHECKING:  # the window's parts that this mixin uses
    from footlog.gui.window_parts import MainWindowParts
else:
    MainWindowParts = object


def preview_job(root: Path, photo_ids: list[int]):
    """A job working out what measuring the photos again would change (nothing stored)."""

    def job(progress, cancelled):
        from footlog.remeasure import preview_measure_again

        with Library.open_for_thread(root) as lib:
            pending = preview_measure_again(lib, photo_ids, progress, cancelled)
        for p in pending:  # the working images are not needed to store a result
            for d in p.detections:
                d.result.work_image = None
        return pending

    return job


def change_words(p: PendingRemeasure) -> str:
    """'hallux_angle 12.40 -> 9.80; toe_splay ...', or why the photo was not measured."""
    c = p.change
    if c.problem:
        return f"not measured again: {c.problem}"
    parts = []
    for name in sorted(set(c.before) | set(c.after)):
        old, new = c.before.get(name), c.after.get(name)
        if old != new:
            parts.append(f"{name.replace('_', ' ')} {_num(old)} → {_num(new)}")
    return "; ".join(parts) or "no change"


def _num(v: float | None) -> str:
    return "none" if v is None else f"{v:.2f}"


class RemeasureDialog(QDialog):
    """The photos whose status or measures would change, largest change first."""

    open_requested = Signal(int)

    def __init__(self, pending: list[PendingRemeasure], parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Measure All Again")
        self.pending = pending
        changed = [p for p in pending if p.change.changed or p.change.problem]
        self.table = QTableWidget(len(changed), 3)
        self.table.setHorizontalHeaderLabels(["Photo", "Status", "Measures"])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        for row, p in enumerate(changed):
            c = p.change
            status = (c.status_before if c.status_before == c.status_after
                      else f"{c.status_before} → {c.status_after}")
            for col, text in enumerate((p.name, status, change_words(p))):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, c.photo_id)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.cellDoubleClicked.connect(self._open)
        n = sum(bool(p.detections) for p in pending)
        text = (f"{n} photo(s) measured again with the current detector; {len(changed)} "
                "would change (largest first). Nothing is saved yet. Double-click a photo to "
                "look at it in the editor. Landmarks you placed or confirmed are kept.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save All")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        label = QLabel(text)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 420)

    def _open(self, row: int, _col: int) -> None:
        self.open_requested.emit(self.table.model().index(row, 0).data(Qt.ItemDataRole.UserRole))


class RemeasureCommand(QUndoCommand):
    """'Measure 12 photos again': stores the previewed results; undo restores the photos."""

    def __init__(self, lib: Library, pending: list[PendingRemeasure], changed) -> None:
        super().__init__(f"Measure {len(pending)} photo(s) again")
        self.lib, self.pending, self.changed = lib, pending, changed
        self.before: list[PhotoSnapshot] = []
        self.after: list[PhotoSnapshot] | None = None
        self.skipped: list[int] = []

    def _rows(self) -> list[int]:
        return [d.photo_id for p in self.pending for d in p.detections]

    def redo(self) -> None:
        if self.after is None:
            self.before = [snapshot_photo(self.lib, pid) for pid in self._rows()]
            _, self.skipped = apply_measure_again(self.lib, self.pending)
            self.after = [snapshot_photo(self.lib, pid) for pid in self._rows()]
        else:
            restore_snapshots(self.lib, self.after)
        self.changed()

    def undo(self) -> None:
        restore_snapshots(self.lib, self.before)
        self.changed()


class RemeasureActionsMixin(MainWindowParts):
    """Photo ▸ Measure All Again…"""

    def measure_all_again(self) -> None:
        from footlog.storage.photo_store import list_photos

        if self.worker is not None:
            self.status_text.setText("Wait for the current work to finish first")
            return
        if not self._library_writable():
            return
        ids = [p.id for p in reversed(list_photos(self.session.library,
                                                     self.session.person))]
        if not ids:
            self.status_text.setText("No photos to measure")
            return
        self.start_worker(Worker(preview_job(self.session.root, ids)),
                          f"Measuring {len(ids)} photo(s) again…", self._remeasure_previewed,
                          verb="Measuring")

    def _remeasure_previewed(self, pending: list[PendingRemeasure]) -> None:
        self._finish_worker()
        dialog = RemeasureDialog(pending, self)
        dialog.open_requested.connect(self.open_photo)
        self.remeasure_dialog = dialog  # for tests: the dialog the person is looking at
        dialog.setModal(False)
        dialog.accepted.connect(lambda: self._remeasure_accepted(pending))
        dialog.show()

    def _remeasure_accepted(self, pending: list[PendingRemeasure]) -> None:
        if not self._library_writable():
            return
        command = RemeasureCommand(self.session.library, pending,
                                   self.session.photos_changed.emit)
        self.library_undo.push(command)
        stored = len({p.change.photo_id for p in pending if p.detections}) - len(
            command.skipped)
        note = (f"; {len(command.skipped)} changed since and kept as they are: measure them "
                "again" if command.skipped else "")
        self.status_text.setText(f"{stored} photo(s) measured again and saved "
                                 f"(Edit ▸ Undo puts them back){note}")
