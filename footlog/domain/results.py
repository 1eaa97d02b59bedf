"""The result of measuring one photo, shared by every view's detector."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from footlog.domain.calibration import Calibration
from footlog.domain.views import Foot, Status, View

Point = tuple[float, float]  # (x, y) in full-resolution pixels of the upright photo


@dataclass
class MeasureResult:
    """Landmarks and measures of one photo, with the detector's own doubt.

    Landmarks are in pixels of the upright (EXIF-oriented) photo at full resolution.
    Measures are in the units of `footlog.domain.views.MEASURES`.
    """

    view: View
    foot: Foot
    status: Status
    landmarks: dict[str, Point] = field(default_factory=dict)
    measures: dict[str, float] = field(default_factory=dict)
    scale_mm_per_px: float | None = None
    warnings: list[str] = field(default_factory=list)
    detector_version: str = ""
    seconds: float = 0.0
    # Landmarks carried from the person's confirmed photos (footlog.carrying): landmark ->
    # the photo id it came from. The others are the detector's own.
    carried_from: dict[str, int] = field(default_factory=dict)
    # How the photo's pixels map to floor mm, as the library stores it (see
    # `Calibration.as_stored`); None when no calibration was run (a view measured without
    # one, or a photo not measured).
    calibration: Calibration | None = None
    # The foot's outline in full-resolution px (None: the detector found none; a print may
    # give an empty one), and the page under it as segmentation saw it (its hull, px).
    outline: list[Point] | None = None
    paper: list[Point] | None = None
    # Seconds per stage of measuring ("decode", "view", "calibrate", "detect", ...), for
    # benchmarks/speed.py; never stored in the library.
    timings: dict[str, float] = field(default_factory=dict)
    # The detector's other drawable geometry and notes (axis, proximal lines, stability,
    # view guess...), for the editor, overlays and `measure --json`.
    extras: dict[str, Any] = field(default_factory=dict)
    # The detector's working picture (RGB array), handed on to calibration so that the
    # same image is not shrunk twice; never stored, never compared.
    work_image: Any = field(default=None, repr=False, compare=False)

    def finished(self, started: float) -> MeasureResult:
        """This result, its `seconds` counted from `started` (a `time.perf_counter()`
        reading): every detector returns through it, early or not."""
        self.seconds = time.perf_counter() - started
        return self

    def to_json(self) -> dict[str, Any]:
        """The `measure --json` object of the command line."""
        return {
            "view": str(self.view),
            "foot": str(self.foot),
            "status": str(self.status),
            "landmarks": {k: [round(v[0], 2), round(v[1], 2)] for k, v in self.landmarks.items()},
            "measures": {k: round(v, 4) for k, v in self.measures.items()},
            "scale_mm_per_px": self.scale_mm_per_px,
            "warnings": list(self.warnings),
            "detector_version": self.detector_version,
            "seconds": round(self.seconds, 4),
            "calibration": calibration_summary(self.calibration),
            "outline": outline_points(self.outline),
            "stability": stability_summary(self.extras.get("stability")),
            # The hallux angle's proximal line: "heel_tangent" (the clinical line) or
            # "refined_window" (the fallback when the heel is hidden); null without one.
            "proximal_line": self.extras.get("proximal_line"),
            # When no number may be given for what the photo shows: `cause` ("covered": a
            # sock or a shoe; "view": no view can be told; "two_feet": both feet and no
            # page), `reason` in plain words and `confidence` (measured, 0..1, or null).
            "not_measurable": self.extras.get("not_measurable"),
            # For a photo whose view was not given: the decision (`view`: dorsal, medial,
            # plantar or "not measurable"), its measured `confidence` and `reason`.
            "view_guess": self.extras.get("view_guess"),
        }


# The fields of a stability record (footlog.analysis.stability.Stability.to_json) that
# `measure --json` gives; the others are for benchmarks.
STABILITY_FIELDS = ("spread", "measure_spread", "renumbered", "side_changed", "lost", "runs")


def stability_summary(stability: dict[str, Any] | None) -> dict[str, Any] | None:
    """The `stability` object of `measure --json`, or null when it was not measured (a
    photo doubted for another reason, or a view other than dorsal).

    `spread`: how far each landmark moved over the perturbations of the picture, as a
    fraction of the forefoot width; `measure_spread`: how far each angle moved (deg, 180
    for one lost); `renumbered` / `side_changed`: the toe row read differently / the side
    changed on some perturbation; `lost`: landmarks not found on some perturbation;
    `runs`: perturbations run (fewer than five when one already made the photo `review`).
    """
    if not stability:
        return None
    return {k: stability[k] for k in STABILITY_FIELDS if k in stability}


def calibration_summary(calibration: Calibration | None) -> dict[str, Any]:
    """The `calibration` object of `measure --json`, from a photo's calibration (None: none
    was run).

    `method`: "sheet", "a4", "letter", "card" or "none"; `corners`: the reference's four
    corners in photo px (TL, TR, BR, BL of the sheet, page or card; full resolution,
    upright), null for a corner that does not show (hidden by the leg or beyond the frame,
    its place only extrapolated); `residual`: the fit's error in mm; `paper_size`:
    "measured" when A4 or Letter was told by the sheet's markers or the page's shape,
    "assumed" when it is the library's paper setting, null for a card or no calibration.
    """
    if calibration is None:
        return {"method": "none", "corners": None, "residual": None, "paper_size": None}
    corners = None
    if calibration.corners_px is not None:
        points = calibration.corners_px.tolist()
        seen = calibration.corners_seen or [True] * len(points)
        corners = [list(c) if s else None for c, s in zip(points, seen, strict=True)]
    return {
        "method": calibration.method,
        "corners": corners,
        "residual": calibration.residual_mm,
        "paper_size": calibration.paper_size,
    }


MAX_OUTLINE_POINTS = 400  # in `measure --json`: enough to draw the foot, small to read


def outline_points(outline: Any, limit: int = MAX_OUTLINE_POINTS) -> list[list[float]] | None:
    """The foot's outline in full-resolution photo px as [[x, y], ...], at most `limit`
    points taken evenly along it (by index), or None when the detector found none."""
    if outline is None or len(outline) == 0:
        return None
    points = [(float(p[0]), float(p[1])) for p in outline]
    if len(points) > limit:
        step = len(points) / limit
        points = [points[int(i * step)] for i in range(limit)]
    return [[round(x, 1), round(y, 1)] for x, y in points]
