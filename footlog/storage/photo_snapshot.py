"""A photo's measured state, kept to be put back: what undoing a bulk re-measure needs.

The state is what measuring writes: the photo row's measured columns, its landmarks and its
measures. Restoring replaces them in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from footlog.storage.library import Library

# The columns of `photos` that measuring writes (measure_store.save_detection, the foot
# and view it learned, recompute's status).
MEASURED_COLUMNS = ("foot", "view", "status", "auto_status", "warnings", "scale_mm_per_px",
                    "calibration", "outline", "detector_version", "measured_at",
                    "proximal_line")


@dataclass(frozen=True)
class PhotoSnapshot:
    photo_id: int
    columns: dict[str, Any]
    landmarks: list[tuple[Any, ...]]
    measures: list[tuple[Any, ...]]


def snapshot_photo(lib: Library, photo_id: int) -> PhotoSnapshot:
    cols = ", ".join(MEASURED_COLUMNS)
    row = lib.db.execute(f"SELECT {cols} FROM photos WHERE id = ?", [photo_id]).fetchone()
    landmarks = lib.db.execute(
        "SELECT name, x, y, source, auto_x, auto_y, detector_version, carried_from "
        "FROM landmarks "
        "WHERE photo_id = ?", [photo_id]).fetchall()
    measures = lib.db.execute(
        "SELECT name, value, unit, detector_version FROM measures WHERE photo_id = ?",
        [photo_id]).fetchall()
    return PhotoSnapshot(photo_id, dict(zip(MEASURED_COLUMNS, row, strict=True)),
                         [tuple(r) for r in landmarks], [tuple(r) for r in measures])


def restore_snapshots(lib: Library, snapshots: list[PhotoSnapshot]) -> None:
    """Put the photos back as they were when snapped, all in one transaction."""
    with lib.db.atomic():
        for s in snapshots:
            sets = ", ".join(f"{c} = ?" for c in MEASURED_COLUMNS)
            lib.db.execute(f"UPDATE photos SET {sets} WHERE id = ?",
                           [*s.columns.values(), s.photo_id])
            lib.db.execute("DELETE FROM landmarks WHERE photo_id = ?", [s.photo_id])
            for r in s.landmarks:
                lib.db.execute(
                    "INSERT INTO landmarks (photo_id, name, x, y, source, auto_x, auto_y, "
                    "detector_version, carried_from) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [s.photo_id, *r])
            lib.db.execute("DELETE FROM measures WHERE photo_id = ?", [s.photo_id])
            for r in s.measures:
                lib.db.execute(
                    "INSERT INTO measures (photo_id, name, value, unit, detector_version) "
                    "VALUES (?, ?, ?, ?, ?)", [s.photo_id, *r])
