"""Undoable edits of a photo's landmarks.

Commands hold ids and values (mementos), never references to scene items, so they stay
valid when the editor is closed and reopened.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from footlog.domain.views import LANDMARK_WORDS, landmark_words  # noqa: F401 (re-exported)
from footlog.library_measuring import recompute_library_measures
from footlog.storage.confirm_store import (
    Confirmation,
    confirm_photos,
    confirmation,
    restore_confirmations,
)
from footlog.storage.library import Library
from footlog.storage.measure_store import StoredLandmark, load_landmarks, restore_landmark


class LandmarkCommand(QUndoCommand):
    """Sets one landmark of one photo from a state to another, and recomputes measures."""

    def __init__(
        self,
        lib: Library,
        photo_id: int,
        name: str,
        before: StoredLandmark | None,
        after: StoredLandmark | None,
        text: str,
        changed: Callable[[int], None],
    ) -> None:
        super().__init__(text)
        self.lib, self.photo_id, self.name = lib, photo_id, name
        self.before, self.after, self.changed = before, after, changed

    def _apply(self, state: StoredLandmark | None) -> None:
        restore_landmark(self.lib, self.photo_id, self.name, state)
        recompute_library_measures(self.lib, self.photo_id)
        self.changed(self.photo_id)

    def redo(self) -> None:
        self._apply(self.after)

    def undo(self) -> None:
        self._apply(self.before)


def move_command(
    lib: Library, photo_id: int, name: str, x: float, y: float, changed: Callable[[int], None]
) -> LandmarkCommand:
    """'Move big toe tip': the landmark becomes manual at (x, y) px."""
    before = load_landmarks(lib, photo_id).get(name)
    auto = before.auto if before is not None else None
    # The automatic position's provenance stays with it, for a later reset.
    after = StoredLandmark(name, float(x), float(y), "manual", auto,
                           before.carried_from if before is not None else None)
    verb = "Move" if before is not None else "Place"
    return LandmarkCommand(
        lib, photo_id, name, before, after, f"{verb} {landmark_words(name)}", changed
    )


def reset_command(
    lib: Library, photo_id: int, name: str, changed: Callable[[int], None]
) -> LandmarkCommand | None:
    """'Reset big toe tip': back to the detector's position; None when nothing to reset."""
    before = load_landmarks(lib, photo_id).get(name)
    if before is None or before.source != "manual":
        return None
    after = (
        StoredLandmark(name, before.auto[0], before.auto[1], "auto", before.auto,
                       before.carried_from)
        if before.auto is not None
        else None
    )
    return LandmarkCommand(
        lib, photo_id, name, before, after, f"Reset {landmark_words(name)}", changed
    )


class ConfirmCommand(QUndoCommand):
    """'Confirm 3 photos': the person vouches for the photos' landmarks; undo withdraws it
    (each photo gets back the confirmation it had before, if any)."""

    def __init__(self, lib: Library, photo_ids: list[int],
                 changed: Callable[[int], None]) -> None:
        n = len(photo_ids)
        super().__init__("Confirm photo" if n == 1 else f"Confirm {n} photos")
        self.lib, self.photo_ids, self.changed = lib, list(photo_ids), changed
        self.before: dict[int, Confirmation] | None = None
        self.after: dict[int, Confirmation] | None = None

    def redo(self) -> None:
        if self.after is None:
            # Raises LibraryError (nothing changed) when a photo cannot be confirmed: the
            # caller asks `why_not_confirmable` before pushing.
            self.before = confirm_photos(self.lib, self.photo_ids)
            self.after = {pid: confirmation(self.lib, pid) for pid in self.photo_ids}
        else:
            restore_confirmations(self.lib, self.after)
        for pid in self.photo_ids:
            self.changed(pid)

    def undo(self) -> None:
        if self.before is not None:
            restore_confirmations(self.lib, self.before)
        for pid in self.photo_ids:
            self.changed(pid)


NUDGE_ID = 1001  # QUndoCommand.id of nudges: presses on one landmark merge into one step


class NudgeCommand(LandmarkCommand):
    """'Nudge big toe tip': arrow-key moves of one landmark, merged while they follow one
    another, so that one undo takes the landmark back to where the nudging began."""

    def id(self) -> int:
        return NUDGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, NudgeCommand) or (other.photo_id, other.name) != (
                self.photo_id, self.name):
            return False
        self.after = other.after
        return True


def nudge_command(lib: Library, photo_id: int, name: str, x: float, y: float,
                  changed: Callable[[int], None]) -> NudgeCommand:
    move = move_command(lib, photo_id, name, x, y, changed)
    return NudgeCommand(lib, photo_id, name, move.before, move.after,
                        f"Nudge {landmark_words(name)}", changed)
