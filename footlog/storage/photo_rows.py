"""A `photos` row of the database read as a `footlog.domain.photo.Photo`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from footlog.domain.calibration import Calibration
from footlog.domain.photo import Photo, Point
from footlog.domain.views import Foot, Status, View
from footlog.storage.confirm_store import effective_status

# The columns of `photos` a Photo holds as they are stored.
_AS_STORED = (
    "id", "person_id", "sha256", "file_name", "original_name", "original_path", "format",
    "byte_size", "taken_at", "taken_at_source", "utc_offset_min", "width", "height",
    "imported_at", "note", "scale_mm_per_px", "detector_version", "measured_at",
    "proximal_line", "confirmed_at", "confirmed_by", "deleted_at", "measuring_pid",
    "original_id", "feet_source",
)


def photo_from_row(row: Mapping[str, Any], person: str,
                   measures: Mapping[str, float] | None = None) -> Photo:
    """The photo a row of `photos` holds (`person`: its person's name; `measures`: its
    measures, name to value)."""
    return Photo(
        **{column: row[column] for column in _AS_STORED},
        person=person,
        foot=Foot(row["foot"]),
        view=View(row["view"]),
        # What the measurement said, under a confirmation (`status` shows `confirmed`).
        status=Status(effective_status(row)),
        measured_status=Status(row["status"]),
        auto_status=Status(row["auto_status"]),
        warnings=tuple(json.loads(row["warnings"] or "[]")),
        measures=dict(measures or {}),
        calibration=_calibration(row["calibration"]),
        outline=_points(row["outline"]),
        region=_points(row["region"]),
    )


def _points(text: str | None) -> tuple[Point, ...] | None:
    """A JSON [[x, y], ...] column as points; None for NULL."""
    return None if not text else tuple((float(x), float(y)) for x, y in json.loads(text))


def _calibration(text: str | None) -> Calibration | None:
    """The `calibration` column (JSON of `Calibration.to_json`); None for NULL, and for
    text that is not a calibration (a library written by hand, say: the photo then has no
    scale, as the CSV export always took it)."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return Calibration.from_json(data) if isinstance(data, dict) else None
