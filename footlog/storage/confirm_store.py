"""Confirmed photos: the person checked a photo's landmarks and vouches for them.

A confirmed photo reads as `confirmed` everywhere a status is shown (`effective_status`),
counts among the trusted photos of the timeline's verdicts, and keeps every landmark where
it is when the detector runs again (`measure_store.save_detection`). The measurement's own
verdict stays in `photos.status` underneath, so withdrawing the confirmation (undo)
brings it back. Who confirmed and when are kept with it.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from footlog.domain.photo import Photo
from footlog.storage.database import LibraryError
from footlog.storage.library import Library, utc_now_iso

CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Confirmation:
    """Who confirmed a photo and when (UTC, ISO 8601); both None when it is not confirmed."""

    at: str | None
    by: str | None

    @property
    def confirmed(self) -> bool:
        return self.at is not None


def effective_status(row: Mapping[str, Any]) -> str:
    """The status a photo row shows: `confirmed` once the person confirmed it, otherwise
    the measurement's own (`photos.status`)."""
    return CONFIRMED if row.get("confirmed_at") else str(row["status"])


def default_confirmer() -> str:
    """Who is confirming, when not said: the name the person logged in with."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): still say something
        return "unknown"


def confirmation(lib: Library, photo_id: int) -> Confirmation:
    row = lib.db.execute(
        "SELECT confirmed_at, confirmed_by FROM photos WHERE id = ?", [photo_id]).fetchone()
    if row is None:
        raise LibraryError(f"no photo with id {photo_id}")
    return Confirmation(row[0], row[1])


def _check_confirmable(lib: Library, photo_id: int) -> None:
    row = lib.db.execute(
        "SELECT status, deleted_at FROM photos WHERE id = ?", [photo_id]).fetchone()
    if row is None:
        raise LibraryError(f"no photo with id {photo_id}")
    status, deleted_at = row
    if deleted_at is not None:
        raise LibraryError(f"photo {photo_id} is in the trash: restore it before confirming it")
    if status == "pending":
        raise LibraryError(f"photo {photo_id} has not been measured yet: nothing to confirm")
    measures = lib.db.execute(
        "SELECT COUNT(*) FROM measures WHERE photo_id = ?", [photo_id]).fetchone()[0]
    if not measures:
        raise LibraryError(
            f"photo {photo_id} has no measures to confirm: place its landmarks first "
            "(in the editor, or with `footlog landmarks ID --set FILE.json`)")


def why_not_confirmable(lib: Library, photo_ids: Iterable[int]) -> str | None:
    """Why these photos cannot be confirmed, in words (the first reason), or None."""
    try:
        for pid in photo_ids:
            _check_confirmable(lib, int(pid))
    except LibraryError as exc:
        return str(exc)
    return None


def confirm_photos(lib: Library, photo_ids: Iterable[int], by: str | None = None
                   ) -> dict[int, Confirmation]:
    """Confirm photos; returns each one's confirmation before (for undo). All or none: a
    photo that cannot be confirmed (unknown, in the trash, not measured, no measures)
    raises LibraryError and nothing is changed."""
    ids = list(dict.fromkeys(int(i) for i in photo_ids))
    who = by or default_confirmer()
    when = utc_now_iso()
    with lib.db.atomic():
        before = {}
        for pid in ids:
            _check_confirmable(lib, pid)
            before[pid] = confirmation(lib, pid)
        for pid in ids:
            lib.db.execute("UPDATE photos SET confirmed_at = ?, confirmed_by = ? WHERE id = ?",
                           [when, who, pid])
    return before


def restore_confirmations(lib: Library, states: Mapping[int, Confirmation]) -> None:
    """Put confirmations back as they were (undo and redo of confirming, and unconfirm)."""
    with lib.db.atomic():
        for pid, state in states.items():
            lib.db.execute("UPDATE photos SET confirmed_at = ?, confirmed_by = ? WHERE id = ?",
                           [state.at, state.by, pid])


def unconfirm_photos(lib: Library, photo_ids: Iterable[int]) -> dict[int, Confirmation]:
    """Withdraw confirmations; returns each one's confirmation before (for undo)."""
    ids = list(dict.fromkeys(int(i) for i in photo_ids))
    before = {pid: confirmation(lib, pid) for pid in ids}
    restore_confirmations(lib, {pid: Confirmation(None, None) for pid in ids})
    return before


# Statuses that always need the person's look.
DOUBTED = frozenset({"review", "failed"})


def needs_review(photo: Photo, since: str | None) -> bool:
    """Whether a photo belongs in the review queue: the detector doubted it or found
    nothing (`review`, `failed`), or it is new since the person's last confirmation
    (`since`, UTC ISO) and not confirmed itself. A photo the person corrected (`manual`)
    or confirmed has had their look."""
    status = photo.status
    if status in DOUBTED:
        return True
    if status in (CONFIRMED, "manual", "pending"):
        return False
    return since is not None and str(photo.imported_at or "") > since


def last_confirmation(photos: Iterable[Photo]) -> str | None:
    """When the person last confirmed one of these photos (UTC ISO), or None."""
    return max((str(p.confirmed_at) for p in photos if p.confirmed_at),
               default=None)


def review_queue(photos: list[Photo]) -> list[int]:
    """The ids of the photos (rows of `list_photos`) that need review, oldest first."""
    since = last_confirmation(photos)
    queue = [p for p in photos if needs_review(p, since)]
    queue.sort(key=lambda p: (str(p.taken_at), int(p.id)))
    return [int(p.id) for p in queue]
