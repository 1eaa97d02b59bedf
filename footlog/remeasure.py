"""Measuring photos again with a look first: what would change, before anything is saved.

`preview_measure_again` runs the current detector on each photo and works out what its
status and measures would become (landmarks the person placed or confirmed are kept, as
when measuring again for real), storing nothing: each photo's would-be state is written
inside a savepoint and rolled back. `apply_measure_again` then stores the results the
person accepted, without running the detector again; a photo changed in the meantime (a
landmark dragged in the editor) is left as it is and said so.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from footlog.app import MeasureChange, photos_to_measure
from footlog.domain.views import MEASURES
from footlog.library_measuring import RowDetection, detect_library_photo, store_row_detection
from footlog.storage.library import Library

Progress = Callable[[int, int, str], None]
Cancelled = Callable[[], bool]

# What counts as a change of one unit when ordering the list (largest first): a degree, a
# millimetre, or 0.02 of a ratio (about what one degree moves the ratios footlog measures).
_UNIT_STEP = {"deg": 1.0, "mm": 1.0, "1": 0.02}


@dataclass
class PendingRemeasure:
    """One photo measured again but not stored: its change and what to store."""

    change: MeasureChange
    name: str  # the photo's original file name, for the list
    detections: list[RowDetection]
    fingerprint: str  # the photo's stored state when previewed (see `_fingerprint`)

    @property
    def size(self) -> float:
        """How much the photo changes, in units of _UNIT_STEP (status changes count most)."""
        c = self.change
        if c.status_before != c.status_after:
            return float("inf")
        return max((abs(c.after[m] - c.before[m]) / _UNIT_STEP.get(MEASURES[m].unit, 1.0)
                    for m in set(c.before) & set(c.after) if m in MEASURES), default=0.0) + (
            1e6 if set(c.before) != set(c.after) else 0.0)


class _Rollback(Exception):
    """Undoes the trial write of a preview."""


def _fingerprint(lib: Library, photo_id: int) -> str:
    """The photo's stored landmarks, status and confirmation, as one string."""
    rows = lib.db.execute(
        "SELECT name, x, y, source FROM landmarks WHERE photo_id = ? ORDER BY name",
        [photo_id]).fetchall()
    photo = lib.db.execute(
        "SELECT status, confirmed_at, foot, view, deleted_at FROM photos WHERE id = ?",
        [photo_id]).fetchone()
    return json.dumps([rows, photo], default=str)


def preview_measure_again(lib: Library, photo_ids: Sequence[int],
                          progress: Progress | None = None,
                          cancelled: Cancelled | None = None) -> list[PendingRemeasure]:
    """What measuring these photos again would change, largest change first; nothing is
    stored. Photos whose file is missing or changed are listed with their `problem`."""
    from footlog.storage.measure_store import load_measures
    from footlog.storage.photo_store import get_photo

    out: list[PendingRemeasure] = []
    for photo, before, problem in photos_to_measure(lib, photo_ids, progress, cancelled):
        photo_id, status = photo.id, photo.status
        if problem:
            out.append(PendingRemeasure(problem, photo.original_name, [], ""))
            continue
        fingerprint = _fingerprint(lib, photo_id)
        detections = list(detect_library_photo(lib, photo_id, split=False))
        after, status_after = before, status
        try:
            with lib.db.atomic():
                for d in detections:
                    store_row_detection(lib, d)
                after = load_measures(lib, photo_id)
                status_after = get_photo(lib, photo_id).status
                raise _Rollback
        except _Rollback:
            pass
        change = MeasureChange(photo_id, status, status_after, before, after)
        out.append(PendingRemeasure(change, photo.original_name, detections, fingerprint))
    if progress is not None:
        progress(len(out), len(photo_ids), "done")
    out.sort(key=lambda p: -p.size)
    return out


def apply_measure_again(lib: Library, pending: Sequence[PendingRemeasure]
                        ) -> tuple[list[int], list[int]]:
    """Store the previewed results; returns (stored, skipped): a photo whose landmarks,
    status or confirmation changed since the preview is skipped (measure it again)."""
    stored: list[int] = []
    skipped: list[int] = []
    for p in pending:
        if not p.detections:
            continue  # nothing was measured (the file's problem was said)
        if _fingerprint(lib, p.change.photo_id) != p.fingerprint:
            skipped.append(p.change.photo_id)
            continue
        with lib.db.atomic():
            for d in p.detections:
                store_row_detection(lib, d)
        stored.append(p.change.photo_id)
    return stored, skipped
