"""Landmarks and measures of library photos.

A landmark the person moved is `manual` and is never replaced by a re-run of the detector;
the detector's own position is kept beside it (`auto_x`, `auto_y`) so it can be restored.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from footlog.domain.results import MeasureResult
from footlog.domain.views import MEASURES
from footlog.storage.library import Library, utc_now_iso


@dataclass(frozen=True)
class StoredLandmark:
    name: str
    x: float  # full-resolution upright pixels
    y: float
    source: str  # "auto" or "manual"
    auto: tuple[float, float] | None  # the detector's position, when it found one
    # The confirmed photo an automatic landmark was carried from (footlog.carrying); None:
    # the detector's own.
    carried_from: int | None = None


def load_landmarks(lib: Library, photo_id: int) -> dict[str, StoredLandmark]:
    return {
        r["name"]: StoredLandmark(
            r["name"],
            r["x"],
            r["y"],
            r["source"],
            (r["auto_x"], r["auto_y"]) if r["auto_x"] is not None else None,
            r["carried_from"],
        )
        for r in lib.db.query("SELECT * FROM landmarks WHERE photo_id = ?", [photo_id])
    }


def load_measures(lib: Library, photo_id: int) -> dict[str, float]:
    return {
        r["name"]: r["value"]
        for r in lib.db.query("SELECT name, value FROM measures WHERE photo_id = ?", [photo_id])
    }


def save_detection(lib: Library, photo_id: int, result: MeasureResult) -> None:
    """Store what the detector found; manual landmarks keep their place.

    Automatic landmarks the detector no longer finds are removed; for a manual landmark
    only the remembered automatic position changes. On a confirmed photo every landmark
    is the person's: each keeps its place, and only the detector's positions change.
    """
    version = result.detector_version
    with lib.db.atomic():
        confirmed = lib.db.execute(
            "SELECT confirmed_at IS NOT NULL FROM photos WHERE id = ?", [photo_id]
        ).fetchone()
        keep = "1" if confirmed and confirmed[0] else "source = 'manual'"
        existing = load_landmarks(lib, photo_id)
        for name, lm in existing.items():
            if keep == "1" and name not in result.landmarks:
                lib.db.execute(
                    "UPDATE landmarks SET auto_x = NULL, auto_y = NULL "
                    "WHERE photo_id = ? AND name = ?",
                    [photo_id, name],
                )
            elif lm.source == "auto" and name not in result.landmarks:
                lib.db.execute(
                    "DELETE FROM landmarks WHERE photo_id = ? AND name = ?", [photo_id, name]
                )
            elif lm.source == "manual" and name not in result.landmarks:
                lib.db.execute(
                    "UPDATE landmarks SET auto_x = NULL, auto_y = NULL "
                    "WHERE photo_id = ? AND name = ?",
                    [photo_id, name],
                )
        for name, (x, y) in result.landmarks.items():
            if keep == "1" and name not in existing:
                continue  # a point the person has not seen is not added to what they vouched
            lib.db.execute(
                "INSERT INTO landmarks (photo_id, name, x, y, source, auto_x, auto_y, "
                "detector_version, carried_from) VALUES (?, ?, ?, ?, 'auto', ?, ?, ?, ?) "
                "ON CONFLICT(photo_id, name) DO UPDATE SET auto_x = excluded.auto_x, "
                "auto_y = excluded.auto_y, detector_version = excluded.detector_version, "
                f"x = CASE WHEN {keep} THEN x ELSE excluded.x END, "
                f"y = CASE WHEN {keep} THEN y ELSE excluded.y END, "
                f"carried_from = CASE WHEN {keep} THEN carried_from "
                "ELSE excluded.carried_from END",
                [photo_id, name, x, y, x, y, version, result.carried_from.get(name)],
            )
        lib.db.execute(
            "UPDATE photos SET status = ?, auto_status = ?, warnings = ?, scale_mm_per_px = ?, "
            "calibration = ?, outline = ?, detector_version = ?, measured_at = ?, "
            "proximal_line = ?, measuring_pid = NULL WHERE id = ?",
            [
                str(result.status),
                str(result.status),
                json.dumps(result.warnings),
                result.scale_mm_per_px,
                None if result.calibration is None else json.dumps(result.calibration.to_json()),
                json.dumps([[round(x, 1), round(y, 1)] for x, y in result.outline])
                if result.outline
                else None,
                version,
                utc_now_iso(),
                result.extras.get("proximal_line"),
                photo_id,
            ],
        )


def set_manual_landmark(lib: Library, photo_id: int, name: str, x: float, y: float) -> None:
    """Place or move a landmark by hand."""
    with lib.db.atomic():
        lib.db.execute(
            "INSERT INTO landmarks (photo_id, name, x, y, source) VALUES (?, ?, ?, ?, 'manual') "
            "ON CONFLICT(photo_id, name) DO UPDATE SET x = excluded.x, y = excluded.y, "
            "source = 'manual'",
            [photo_id, name, float(x), float(y)],
        )


def reset_landmark(lib: Library, photo_id: int, name: str) -> None:
    """Give a landmark back to the detector: its automatic position, or none if it had none."""
    with lib.db.atomic():
        lib.db.execute(
            "UPDATE landmarks SET x = auto_x, y = auto_y, source = 'auto' "
            "WHERE photo_id = ? AND name = ? AND auto_x IS NOT NULL",
            [photo_id, name],
        )
        lib.db.execute(
            "DELETE FROM landmarks WHERE photo_id = ? AND name = ? AND auto_x IS NULL",
            [photo_id, name],
        )


def remove_landmark(lib: Library, photo_id: int, name: str) -> None:
    with lib.db.atomic():
        lib.db.execute("DELETE FROM landmarks WHERE photo_id = ? AND name = ?", [photo_id, name])


def replace_measures(
    lib: Library,
    photo_id: int,
    measures: dict[str, float],
    detector_version: str | None,
    status: str | None = None,
) -> None:
    """Replace a photo's measures (all units from the measure reference)."""
    with lib.db.atomic():
        lib.db.execute("DELETE FROM measures WHERE photo_id = ?", [photo_id])
        for name, value in measures.items():
            lib.db.execute(
                "INSERT INTO measures (photo_id, name, value, unit, detector_version) "
                "VALUES (?, ?, ?, ?, ?)",
                [photo_id, name, float(value), MEASURES[name].unit, detector_version],
            )
        if status is not None:
            lib.db.execute("UPDATE photos SET status = ? WHERE id = ?", [status, photo_id])


def landmark_rows(lib: Library, photo_id: int) -> list[dict[str, Any]]:
    return list(
        lib.db.query("SELECT * FROM landmarks WHERE photo_id = ? ORDER BY name", [photo_id])
    )


def restore_landmark(lib: Library, photo_id: int, name: str, state: StoredLandmark | None) -> None:
    """Put a landmark back exactly as `state` was (None: it did not exist). For undo."""
    with lib.db.atomic():
        if state is None:
            lib.db.execute(
                "DELETE FROM landmarks WHERE photo_id = ? AND name = ?", [photo_id, name]
            )
            return
        auto_x, auto_y = state.auto if state.auto is not None else (None, None)
        lib.db.execute(
            "INSERT INTO landmarks (photo_id, name, x, y, source, auto_x, auto_y, carried_from) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(photo_id, name) DO UPDATE SET "
            "x = excluded.x, y = excluded.y, source = excluded.source, "
            "auto_x = excluded.auto_x, auto_y = excluded.auto_y, "
            "carried_from = excluded.carried_from",
            [photo_id, name, state.x, state.y, state.source, auto_x, auto_y,
             state.carried_from],
        )
