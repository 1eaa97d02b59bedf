"""Detecting every foot of one decoded library photo, with no library at hand.

This is the part of measuring a library photo (`footlog.library_measuring`) that may run
in another process (`footlog.measure_pool`): what it needs from the library comes in a
`PhotoJob`, made by the process that owns the library, and what it finds goes back to that
process, the library's one writer, to be stored. The same code runs in the importing
process when there is no pool, so a photo is measured alike either way.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, View
from footlog.measuring import (
    _calibration_key,
    find_photo_feet,
    foot_box,
    foot_pixels,
    measure_pixels,
    start_calibration,
)

Polygon = list[tuple[float, float]]  # full-resolution px


@dataclass(frozen=True)
class FootJob:
    """One foot of the photo: its row, the foot the detector is told, its region."""

    photo_id: int | None  # None: the second foot of a split found now, not a row yet
    told: Foot  # UNKNOWN when only the file name suggests it (a weak hint, see _detect_row)
    region: Polygon | None  # where the foot is when the photo shows two; None: everywhere


@dataclass(frozen=True)
class PhotoJob:
    """A decoded library photo to measure, with what the library knows about it."""

    view: View
    feet: tuple[FootJob, ...]  # the original's row first
    split: bool  # look for two feet (a photo of one foot nobody has split yet)
    paper: str  # the library's paper setting (see measuring.measure_file)
    focal_px: float | None  # the camera's focal length, full-resolution px (EXIF)
    pixels: np.ndarray  # reduced upright RGB picture (measuring.ANALYSIS_MAX_SIDE)
    scale: float  # full-resolution px per px of `pixels`
    path: Path | None = None  # the library's file, for messages only

    @property
    def photo_id(self) -> int:
        """The row of the photo's original."""
        first = self.feet[0].photo_id
        assert first is not None
        return first


@dataclass(frozen=True)
class TwoFeetFound:
    """The photo shows two feet: each one's side and region (as the library stores them),
    the original's row first."""

    feet: tuple[tuple[Foot, Polygon], ...]


@dataclass(frozen=True)
class FootMeasured:
    """The detector's result for the foot `index` of the photo's feet (after a split, of
    the two found)."""

    index: int
    result: MeasureResult


def stored_region(polygon: np.ndarray | Polygon) -> Polygon:
    """A region as the library keeps it (0.1 px): a foot found here is measured on the
    very region a later measuring reads back (`feet_store.set_two_feet`)."""
    return [(round(float(x), 1), round(float(y), 1)) for x, y in polygon]


def detect_feet(job: PhotoJob) -> Iterator[TwoFeetFound | FootMeasured]:
    """Measure every foot of the photo, one at a time: first, when `job.split` and two feet
    are found, the split (`TwoFeetFound`), then each foot's result as it is made."""
    t0 = time.perf_counter()
    feet = list(job.feet)
    # Made once for the search for two feet and the measuring of a lone foot (see
    # measuring.measure_feet); a foot of two, measured on its own picture, never uses it.
    from footlog.analysis.dorsal import WORK_SIDE
    from footlog.analysis.working_image import WorkingPicture

    picture = WorkingPicture(job.pixels, job.scale, WORK_SIDE)
    if len(feet) == 1 and job.view == View.DORSAL:
        start_calibration(picture, job.focal_px, job.paper)
    if job.split and len(feet) == 1:
        found = find_photo_feet(job.pixels, job.scale, job.view, picture=picture)
        if found is not None:
            split = tuple((r.side, stored_region(r.polygon)) for r in found.feet)
            yield TwoFeetFound(split)
            # A foot of a split photo was told by where it stands: not a weak hint.
            feet = [FootJob(job.photo_id if i == 0 else None, side, region)
                    for i, (side, region) in enumerate(split)]
            picture.drop(_calibration_key(job.focal_px, job.paper))  # see measure_feet
    regions = [None if f.region is None else np.asarray(f.region, float) for f in feet]
    for i, item in enumerate(feet):
        pixels = foot_pixels(job.pixels, job.scale, regions, i)
        region = regions[i]
        crop = None if region is None else foot_box(region, pixels.shape[:2], job.scale)
        result = measure_pixels(pixels, job.scale, job.view, item.told, job.focal_px,
                                job.paper, crop, picture=picture)
        result.seconds = time.perf_counter() - t0
        yield FootMeasured(i, result)


def detect_all_feet(job: PhotoJob) -> list[TwoFeetFound | FootMeasured]:
    """`detect_feet` to the end: what a measuring process sends back."""
    return list(detect_feet(job))
