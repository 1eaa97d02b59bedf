"""Photo ▸ Review Photos and Photo ▸ Confirm Landmarks: the photos that need a look.

A mixin of the main window: it uses the window's session, editor, status line,
`open_photo` and `tabs`. The queue holds the photos that are `review` or `failed`, or new
since the person last confirmed one (confirm_store.review_queue), oldest first. Each opens
in the editor with its doubtful landmarks first in the Tab order and the first one
selected (its pixels in the loupe; the arrow keys nudge it), and the landmarks of the
person's confirmed photo of that foot drawn faintly for comparison. Enter confirms and
goes on to the next; PgDown / PgUp skip; Esc stops.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:  # the window's parts that this mixin uses
    from footlog.gui.window_parts import MainWindowParts
else:
    MainWindowParts = object


class ReviewActionsMixin(MainWindowParts):
    """The review queue."""

    review_ids: list[int]
    review_index: int

    def start_review(self) -> None:
        from footlog.storage.confirm_store import review_queue
        from footlog.storage.photo_store import list_photos

        ids = review_queue(list_photos(self.session.library, self.session.person))
        if not ids:
            self.status_text.setText("Nothing to review: every photo is ok, corrected by you "
                                     "or confirmed")
            return
        self.review_photos(ids)

    def review_photos(self, ids: list[int]) -> None:
        """Step through these photos in the editor as through the review queue (the
        timeline's "Open them" under the photos its chart leaves out)."""
        if not ids:
            return
        self.review_ids, self.review_index = list(ids), 0
        self.editor.reviewing = True
        self._review_open()

    def reviewing(self) -> bool:
        return bool(getattr(self, "review_ids", None)) and self.editor.reviewing

    def _review_open(self) -> None:
        pid = self.review_ids[self.review_index]
        self.open_photo(pid)
        self.editor.select_first_doubtful()
        self.status_text.setText(
            f"Reviewing photo {self.review_index + 1} of {len(self.review_ids)}: Enter "
            "confirms and goes on, Tab moves between landmarks, arrows nudge, PgDown skips, "
            "Esc stops")

    def review_step(self, step: int = 1) -> None:
        """The next (or previous) photo of the queue; past the end, the review stops."""
        if not self.reviewing():
            return
        self.review_index += step
        if 0 <= self.review_index < len(self.review_ids):
            self._review_open()
        else:
            self.stop_review(done=self.review_index >= len(self.review_ids))

    def stop_review(self, done: bool = False) -> None:
        if not self.reviewing():
            return
        self.review_ids = []
        self.editor.reviewing = False
        self.editor.refresh()  # without the template's landmarks
        self.status_text.setText("Review finished: every photo of the queue was seen"
                                 if done else "Review stopped")

    def _review_confirmed(self, _photo_id: int) -> None:
        if self.reviewing():
            self.review_step(1)

    def confirm_photos(self) -> None:
        """Confirm the open photo (editor) or the selected ones (library); Edit ▸ Undo
        withdraws it."""
        from footlog.gui.undo_commands import ConfirmCommand
        from footlog.storage.confirm_store import why_not_confirmable

        if self.tabs.currentWidget() is self.editor and self.editor.photo_id is not None:
            if self.editor.confirm_photo():
                self.status_text.setText("Photo confirmed (Edit ▸ Undo withdraws it)")
            return
        ids = self.library_view.selected_photo_ids()
        if not ids:
            self.status_text.setText("Select the photos to confirm first")
            return
        if not self._library_writable():
            return
        problem = why_not_confirmable(self.session.library, ids)
        if problem:
            QMessageBox.information(self, "Confirm landmarks", problem[:1].upper() + problem[1:])
            return
        self.library_undo.push(
            ConfirmCommand(self.session.library, ids, self.session.photo_changed.emit))
        self.status_text.setText(f"{len(ids)} photo(s) confirmed (Edit ▸ Undo withdraws it)")
