"""The feet of one photo: a photo showing both feet holds two measurable feet.

The original file is stored once, on the row that imported it (`original_id` NULL). Another
foot of the same photo is a row of its own (its side, landmarks, measures, status and
history) whose `original_id` names that row; it shares the file, the date and the person.
Each foot of a split photo has its `region`: the polygon of the photo it occupies
(full-resolution px, JSON). The original's `feet_source` says who split it: "auto" (the
detector, which may split it again) or "manual" (the person; the detector leaves the split
alone from then on).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from footlog.domain.photo import Photo
from footlog.domain.views import Foot
from footlog.storage.database import LibraryError, inserted_id
from footlog.storage.library import Library

# Columns a second foot takes from the original's row: the photo's own facts.
SHARED_COLUMNS = (
    "person_id", "sha256", "file_name", "original_name", "original_path", "format",
    "byte_size", "taken_at", "taken_at_source", "utc_offset_min", "view", "width", "height",
    "imported_at", "note",
)
FEET_SOURCES = ("auto", "manual")


@dataclass(frozen=True)
class FootItem:
    """One foot of a photo: its row id, side, and region (None: the whole photo)."""

    photo_id: int
    foot: Foot
    region: list[tuple[float, float]] | None


def original_id(lib: Library, photo_id: int) -> int:
    """The id of the row holding the original file of `photo_id`'s photo."""
    row = lib.db.execute("SELECT original_id FROM photos WHERE id = ?", [photo_id]).fetchone()
    if row is None:
        raise LibraryError(f"no photo with id {photo_id}")
    return int(row[0]) if row[0] is not None else photo_id


def photo_feet(lib: Library, photo_id: int) -> list[FootItem]:
    """Every foot of `photo_id`'s photo (trashed ones left out), the original's row first."""
    first = original_id(lib, photo_id)
    rows = lib.db.execute(
        "SELECT id, foot, region FROM photos WHERE (id = ? OR original_id = ?) "
        "AND (deleted_at IS NULL OR id = ?) ORDER BY original_id IS NOT NULL, id",
        [first, first, first],
    ).fetchall()
    return [FootItem(r[0], Foot(r[1]), _points(r[2])) for r in rows]


def feet_source(lib: Library, photo_id: int) -> str | None:
    """Who split the photo into feet ("auto", "manual"), or None when nobody has yet."""
    row = lib.db.execute("SELECT feet_source FROM photos WHERE id = ?",
                         [original_id(lib, photo_id)]).fetchone()
    return None if row[0] is None else str(row[0])


def _points(text: str | None) -> list[tuple[float, float]] | None:
    return None if not text else [(float(x), float(y)) for x, y in json.loads(text)]


def _region_json(region: Sequence[Sequence[float]] | None) -> str | None:
    if region is None:
        return None
    return json.dumps([[round(float(x), 1), round(float(y), 1)] for x, y in region])


def set_two_feet(
    lib: Library, photo_id: int, feet: Sequence[tuple[Foot, Sequence[Sequence[float]]]],
    source: str,
) -> list[int]:
    """Split `photo_id`'s photo into two feet: (side, region) each, the first kept by the
    original's row (its landmarks and history stay with it), the second by the photo's
    other foot row, made if there is none. Returns the two row ids, in the order given.

    The rows' landmarks stay: the caller measures both feet again in the same
    transaction when the regions changed."""
    if len(feet) != 2 or source not in FEET_SOURCES:
        raise LibraryError("a photo is split into exactly two feet, by 'auto' or 'manual'")
    first = original_id(lib, photo_id)
    with lib.db.atomic():
        others = [f.photo_id for f in photo_feet(lib, first) if f.photo_id != first]
        (side_a, region_a), (side_b, region_b) = feet
        lib.db.execute(
            "UPDATE photos SET foot = ?, region = ?, feet_source = ? WHERE id = ?",
            [str(side_a), _region_json(region_a), source, first],
        )
        if others:
            second = others[0]
            lib.db.execute("UPDATE photos SET foot = ?, region = ? WHERE id = ?",
                           [str(side_b), _region_json(region_b), second])
            for extra in others[1:]:  # never more than two feet to a photo
                lib.db.execute("DELETE FROM photos WHERE id = ?", [extra])
        else:
            second = _add_foot(lib, first, side_b, region_b)
    return [first, second]


def _add_foot(lib: Library, first: int, side: Foot, region: Sequence[Sequence[float]]) -> int:
    """A new foot row for the photo whose original is on row `first`."""
    cols = ", ".join(SHARED_COLUMNS)
    # Claimed by the process measuring the original, if one is: it measures both feet
    # (`orphaned_pending` leaves it to that process while it lives).
    cur = lib.db.execute(
        f"INSERT INTO photos ({cols}, foot, region, original_id, status, auto_status, "
        f"measuring_pid) SELECT {cols}, ?, ?, id, 'pending', 'pending', measuring_pid "
        f"FROM photos WHERE id = ?",
        [str(side), _region_json(region), first],
    )
    return inserted_id(cur)


def set_one_foot(lib: Library, photo_id: int, source: str | None = "manual") -> int:
    """Make `photo_id`'s photo one foot again: the other foot's row (its landmarks and
    measures) is removed and the original's row covers the whole photo. `source`: who
    said so (None: nobody, as before any split). Returns the original's row id."""
    if source is not None and source not in FEET_SOURCES:
        raise LibraryError(f"unknown source of a split: {source}")
    first = original_id(lib, photo_id)
    with lib.db.atomic():
        lib.db.execute("DELETE FROM photos WHERE original_id = ?", [first])
        lib.db.execute("UPDATE photos SET region = NULL, feet_source = ? WHERE id = ?",
                       [source, first])
    return first


def swap_sides(lib: Library, photo_id: int) -> None:
    """Say the photo's two feet are the other way round: each keeps its region and
    landmarks, and takes the other's side. The split becomes the person's ("manual")."""
    feet = photo_feet(lib, photo_id)
    if len(feet) != 2:
        raise LibraryError(f"photo {photo_id} does not show two feet: nothing to swap")
    a, b = feet
    with lib.db.atomic():
        lib.db.execute("UPDATE photos SET foot = ? WHERE id = ?", [str(b.foot), a.photo_id])
        lib.db.execute("UPDATE photos SET foot = ? WHERE id = ?", [str(a.foot), b.photo_id])
        lib.db.execute("UPDATE photos SET feet_source = 'manual' WHERE id = ?", [a.photo_id])


def feet_json(lib: Library, photo: Photo) -> dict[str, Any]:
    """The fields a photo's JSON listing adds about its feet: `original_id` (the row
    holding its file; its own id when it holds it), `feet_in_photo` (1 or 2) and
    `region` (its polygon, or None for the whole photo)."""
    first = photo.original_id or photo.id
    count = lib.db.execute(
        "SELECT 1 + count(*) FROM photos WHERE original_id = ? AND deleted_at IS NULL",
        [first]).fetchone()[0]
    return {"original_id": first, "feet_in_photo": int(count),
            "region": None if photo.region is None else list(photo.region)}
