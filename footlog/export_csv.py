"""CSV export of everything a person may want in a spreadsheet.

The files are UTF-8 with a byte-order mark, which is how Excel knows to read °, ± and −
correctly. Text that a spreadsheet would run as a formula (a run named `=HYPERLINK(…)`)
is written with a leading apostrophe; numbers are written as they are.
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np

from footlog.domain.photo import Photo
from footlog.domain.stats_table import (
    SESSION_COLUMNS,
    STATISTICS_COLUMNS,
    session_rows,
    statistics_rows,
)
from footlog.domain.timeline import build_timeline
from footlog.domain.views import MEASURES
from footlog.storage.library import Library, Person
from footlog.storage.photo_store import list_photos
from footlog.storage.run_store import list_events, list_runs

PHOTO_COLUMNS = [
    "id",
    "person",
    "taken_at",
    "taken_at_source",
    "utc_offset_min",
    "foot",
    "view",
    "status",
    "original_name",
    "sha256",
    "width",
    "height",
    "scale_mm_per_px",
    "detector_version",
    "note",
    "proximal_line",
]
MEASURE_COLUMNS = [
    "photo_id",
    "person",
    "taken_at",
    "foot",
    "view",
    "status",
    "measure",
    "value",
    "unit",
]
RUN_COLUMNS = [
    "id",
    "person",
    "start",
    "distance_m",
    "duration_s",
    "activity_type",
    "name",
    "gear",
    "footwear",
    "footwear_source",
    "counts_toward_mileage",
    "source_file",
    "external_id",
    "incomplete",
]
EVENT_COLUMNS = ["id", "person", "date", "foot", "text"]
# Every landmark of every photo: photo px (full resolution, upright), floor mm when the
# photo has a floor homography, and where it came from, so that each measure can be
# checked in another tool.
LANDMARK_COLUMNS = [
    "photo_id",
    "person",
    "taken_at",
    "foot",
    "view",
    "landmark",
    "x_px",
    "y_px",
    "x_mm",
    "y_mm",
    "provenance",
    "carried_from",
    "detector_x_px",
    "detector_y_px",
]
# How each photo was scaled: the floor homography (image px -> floor mm, row by row) and
# what it was made from.
CALIBRATION_COLUMNS = [
    "photo_id",
    "method",
    "paper_size",
    "mm_per_px",
    "residual_mm",
    *[f"h{r}{c}" for r in range(1, 4) for c in range(1, 4)],
    "corners_px",
]

# What makes Excel, LibreOffice and Google Sheets read a cell as a formula (OWASP's list).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text beginning like a formula gets a leading apostrophe, which spreadsheet programs
    read as "this is text" and do not show; anything else, numbers included, is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def run_record(row: dict[str, Any]) -> dict[str, Any]:
    """A `list_runs` row as exported (CSV, `footlog runs --json`): the RUN_COLUMNS, with a
    number that is not finite (an older library may hold one) as None, so that the CSV cell
    is empty and the JSON holds null rather than the invalid `Infinity`."""
    record = {key: row.get(key) for key in RUN_COLUMNS}
    for key in ("distance_m", "duration_s"):
        value = record[key]
        if isinstance(value, float) and not math.isfinite(value):
            record[key] = None
    return record


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    """Write atomically: a reader never sees half a file, a full disk leaves the old one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(columns), extrasaction="ignore")
            writer.writeheader()
            # Only the columns written are looked at: a row may carry more (extrasaction).
            writer.writerows(
                {c: spreadsheet_safe(row.get(c)) for c in columns if c in row} for row in rows
            )
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def export_csv(lib: Library, folder: Path, person: Person | None = None) -> list[Path]:
    """Write photos.csv, measures.csv, runs.csv, events.csv, sessions.csv and
    statistics.csv (the timeline's sessions and statistics, per person), landmarks.csv and
    calibration.csv into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    photos = list_photos(lib, person)
    measures = [
        {
            **_photo_facts(p), "status": str(p.status),
            "photo_id": p.id,
            "measure": name,
            "value": value,
            "unit": MEASURES[name].unit if name in MEASURES else "",
        }
        for p in sorted(photos, key=lambda p: (p.taken_at, p.id))
        for name, value in sorted(p.measures.items())
    ]
    runs = list_runs(lib, person)
    events = list_events(lib, person)
    sessions, statistics = _timeline_rows(photos, runs, events)
    out = {
        "photos.csv": (PHOTO_COLUMNS, [_photo_row(p) for p in photos]),
        "measures.csv": (MEASURE_COLUMNS, measures),
        "runs.csv": (RUN_COLUMNS, [run_record(r) for r in runs]),
        "events.csv": (EVENT_COLUMNS, events),
        "sessions.csv": (SESSION_COLUMNS, sessions),
        "statistics.csv": (STATISTICS_COLUMNS, statistics),
        "landmarks.csv": (LANDMARK_COLUMNS, _landmark_rows(lib, photos)),
        "calibration.csv": (CALIBRATION_COLUMNS, _calibration_rows(photos)),
    }
    written = []
    for name, (columns, rows) in out.items():
        _write_csv(folder / name, columns, rows)
        written.append(folder / name)
    return written


def _timeline_rows(
    photos: list[Photo], runs: list[dict[str, Any]], events: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Session and statistics rows, one person at a time (rows carry the person's name)."""

    sessions: list[dict[str, Any]] = []
    statistics: list[dict[str, Any]] = []
    for name in sorted({p.person for p in photos}):
        data = build_timeline(
            [p for p in photos if p.person == name],
            [r for r in runs if r["person"] == name],
            [e for e in events if e["person"] == name],
            person=name,
        )
        sessions += session_rows(data.stats, name)
        statistics += statistics_rows(data.stats, name)
    return sessions, statistics


def _photo_row(photo: Photo) -> dict[str, Any]:
    """A photo as photos.csv writes it (PHOTO_COLUMNS; the enums as their words)."""
    return {c: (str(v) if isinstance(v, StrEnum) else v)
            for c, v in ((c, getattr(photo, c)) for c in PHOTO_COLUMNS)}


def _photo_facts(photo: Photo) -> dict[str, str]:
    """The columns naming a photo in every CSV file of it."""
    return {"person": photo.person, "taken_at": photo.taken_at, "foot": str(photo.foot),
            "view": str(photo.view)}


def _calibration_of(photo: Photo) -> dict[str, Any]:
    """The photo's calibration as the library stores it (`Calibration.to_json`); {}: none."""
    return {} if photo.calibration is None else photo.calibration.to_json()


def _landmark_rows(lib: Library, photos: list[Photo]) -> list[dict[str, Any]]:
    """One row per landmark, photos in the order of the timeline."""
    from footlog.domain.calibration import apply_homography

    by_id = {p.id: p for p in photos}
    rows: list[dict[str, Any]] = []
    landmarks: dict[int, list[tuple]] = {}
    for r in lib.db.execute("SELECT photo_id, name, x, y, source, carried_from, auto_x, auto_y "
                            "FROM landmarks ORDER BY photo_id, name"):
        if r[0] in by_id:
            landmarks.setdefault(r[0], []).append(tuple(r))
    for p in sorted(photos, key=lambda p: (p.taken_at, p.id)):
        h = _calibration_of(p).get("homography")
        for _pid, name, x, y, source, carried_from, auto_x, auto_y in landmarks.get(p.id, []):
            mm = None if h is None else apply_homography(np.asarray(h, float), [[x, y]])[0]
            rows.append({
                **_photo_facts(p),
                "photo_id": p.id, "landmark": name,
                "x_px": round(x, 2), "y_px": round(y, 2),
                "x_mm": None if mm is None else round(float(mm[0]), 2),
                "y_mm": None if mm is None else round(float(mm[1]), 2),
                "provenance": ("person" if source == "manual" else
                               "carried" if carried_from is not None else "detector"),
                "carried_from": carried_from,
                "detector_x_px": None if auto_x is None else round(auto_x, 2),
                "detector_y_px": None if auto_y is None else round(auto_y, 2),
            })
    return rows


def _calibration_rows(photos: list[Photo]) -> list[dict[str, Any]]:
    rows = []
    for p in sorted(photos, key=lambda p: (p.taken_at, p.id)):
        cal = _calibration_of(p)
        if not cal:
            continue
        row = {"photo_id": p.id, **{k: cal.get(k) for k in (
            "method", "paper_size", "mm_per_px", "residual_mm")}}
        h = cal.get("homography")
        if h is not None:
            row.update({f"h{r + 1}{c + 1}": h[r][c] for r in range(3) for c in range(3)})
        if cal.get("corners_px") is not None:
            row["corners_px"] = json.dumps(cal["corners_px"])
        rows.append(row)
    return rows
