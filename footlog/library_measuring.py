"""Measuring a library photo: every foot of it detected, stored, and its measures kept true
to its mix of automatic, manual and confirmed landmarks.

Measures are always computed from landmarks by the formulas of `footlog.domain`
(`measuring.compute_measures`): the detector's own numbers are never stored as such, so a
dragged landmark and a detected one are treated alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from footlog.domain.calibration import Calibration
from footlog.domain.photo import Photo
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View
from footlog.feet_detection import FootJob, FootMeasured, PhotoJob, TwoFeetFound, detect_feet
from footlog.imaging.camera_focal import focal_length_px, read_focal_length_px
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import (
    ANALYSIS_MAX_SIDE,
    DEFAULT_PAPER,
    PAPER_SETTING,
    PAPERS,
    compute_measures,
    foot_pixels,
)
from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks, replace_measures, save_detection
from footlog.storage.photo_store import DecodedImport, get_photo, update_photo


def measure_library_photo(lib: Library, photo_id: int,
                          decoded: DecodedImport | None = None) -> MeasureResult:
    """Detect, store, and recompute measures from the stored (possibly manual) landmarks.

    Every foot of the photo is measured, from one decode of its original (`decoded`: the
    one its import verified it with, else the file is read): a photo the detector has not
    split yet (and the person has not said how many feet it shows) is split first when it
    shows two feet. Returns `photo_id`'s result."""
    # Each foot is stored as soon as it is measured: a kill before the second foot leaves
    # the first one measured and the second `pending`, to be finished later.
    found = []
    for item in detect_library_photo(lib, photo_id, decoded=decoded):
        store_row_detection(lib, item)
        found.append(item)
    return next((d.result for d in found if d.photo_id == photo_id), found[0].result)


@dataclass
class RowDetection:
    """What the detector found for one foot row of the library, not yet stored."""

    photo_id: int
    result: MeasureResult
    corrected_foot: bool  # the anatomy overruled the foot the file name suggested
    # What measuring found that the photo row did not know: "view" (the guessed view a
    # photo was measured as) and "foot" (told from the anatomy), to be stored with it.
    learned: dict[str, str] = field(default_factory=dict)


def detect_library_photo(lib: Library, photo_id: int, split: bool = True,
                         decoded: DecodedImport | None = None) -> Iterator[RowDetection]:
    """Run the detector on every foot of a library photo, one foot at a time, storing
    nothing but (with `split`) the split of a photo of both feet not split before."""
    job = photo_job(lib, photo_id, split, decoded)
    yield from library_rows(lib, job, detect_feet(job))


def photo_job(lib: Library, photo_id: int, split: bool = True,
              decoded: DecodedImport | None = None) -> PhotoJob:
    """What measuring `photo_id`'s photo needs (`feet_detection.PhotoJob`), read from the
    library, with its picture: `decoded`'s, else decoded from its file now."""
    from footlog.storage.feet_store import feet_source, photo_feet

    photo = get_photo(lib, photo_id)
    path = lib.photo_path(photo.file_name)
    if decoded is None:
        picture = read_reduced(path, ANALYSIS_MAX_SIDE)
        focal_px = read_focal_length_px(path)
    else:
        picture = decoded.picture
        focal_px = focal_length_px(decoded.info)
    feet = photo_feet(lib, photo_id)
    jobs = tuple(FootJob(f.photo_id, _told_foot(lib, f.photo_id), f.region) for f in feet)
    return PhotoJob(photo.view, jobs,
                    split and len(feet) == 1 and feet_source(lib, photo_id) is None,
                    library_paper(lib), focal_px, picture.pixels, picture.scale, path)


def _told_foot(lib: Library, photo_id: int) -> Foot:
    """The foot the detector is told for a foot row: the stored one, but UNKNOWN when only
    the file name suggested it (`_is_weak`)."""
    photo = get_photo(lib, photo_id)
    return Foot.UNKNOWN if _is_weak(photo) else photo.foot


def _is_weak(photo: Photo) -> bool:
    """Whether the row's foot was read from the file name only. A foot read from the file
    name is a weak hint: the detector tells the foot from its anatomy ("l.jpg" of a right
    foot is not a left foot); the name counts only when the anatomy cannot tell. A foot of
    a split photo was told by where it stands: not weak."""
    stored_foot = photo.foot
    return (stored_foot != Foot.UNKNOWN and stored_foot == _named_foot(photo)
            and photo.region is None)


def library_rows(lib: Library, job: PhotoJob,
                 found: Iterable[TwoFeetFound | FootMeasured]) -> Iterator[RowDetection]:
    """The library's rows of what `detect_feet(job)` found, one foot at a time: a split
    is stored as it comes (`feet_store.set_two_feet`), each foot's result is finished
    (`_detect_row`) and given to be stored."""
    from footlog.storage.feet_store import set_two_feet

    rows = [f.photo_id for f in job.feet]
    regions: list[np.ndarray | None] = [
        None if f.region is None else np.asarray(f.region, float) for f in job.feet]
    for item in found:
        if isinstance(item, TwoFeetFound):
            rows = list(set_two_feet(lib, job.photo_id, list(item.feet), "auto"))
            regions = [np.asarray(region, float) for _side, region in item.feet]
            continue
        pixels = foot_pixels(job.pixels, job.scale, regions, item.index)
        row = rows[item.index]
        assert row is not None
        yield _detect_row(lib, row, item.result, pixels, job.scale)


def _detect_row(lib: Library, photo_id: int, result: MeasureResult, pixels: np.ndarray,
                scale_to_full: float) -> RowDetection:
    """Finish the detector's `result` for one foot row (measured on `pixels`, the picture
    with the other foot hidden) with what the library knows: the foot the file name
    suggested, what measuring learned, the person's confirmed landmarks carried."""
    photo = get_photo(lib, photo_id)
    stored_foot = photo.foot
    weak = _is_weak(photo)
    if weak and result.foot == Foot.UNKNOWN:
        result.foot = stored_foot
        result.warnings.append(f"the foot could not be told from the photo: {stored_foot},"
                               " from the file name, was kept")
    corrected = weak and result.foot not in (Foot.UNKNOWN, stored_foot)
    learned = _learned(photo, result)
    if corrected:
        result.warnings.append(f"the file name suggested the {stored_foot} foot; the photo"
                               f" shows the {result.foot} foot: correct it if it is wrong")
    # The person's confirmed photos of this foot know where its toes are (footlog.carrying,
    # which loads OpenCV only for a person who has some).
    from footlog.carrying import carry_onto

    carry_onto(lib, photo, result, pixels, scale_to_full)
    return RowDetection(photo_id, result, corrected, learned)


def _learned(photo: Photo, result: MeasureResult) -> dict[str, str]:
    """The view and foot a measurement found for a photo stored without them: a photo left
    "unknown" stays out of the timeline, so what measuring tells is kept (the person can
    still correct it in the editor). A view is kept only when the photo was measured in
    it (not failed, not refused as covered); a foot only when the anatomy told it."""
    learned = {}
    if (photo.view == View.UNKNOWN and result.view != View.UNKNOWN
            and result.status != Status.FAILED):
        learned["view"] = str(result.view)
    if photo.foot == Foot.UNKNOWN and result.foot != Foot.UNKNOWN:
        learned["foot"] = str(result.foot)
    return learned


def store_row_detection(lib: Library, d: RowDetection) -> None:
    """Store one foot row's detection with the measures of its (possibly manual)
    landmarks. The foot, landmarks, status and measures change together, or not at all
    (a kill in between would leave a status without its measures, or measures of the
    other foot)."""
    with lib.db.atomic():
        if d.corrected_foot:
            update_photo(lib, d.photo_id, foot=str(d.result.foot))
        if d.learned:
            update_photo(lib, d.photo_id, **d.learned)
        save_detection(lib, d.photo_id, d.result)
        recompute_library_measures(lib, d.photo_id, d.result.foot, d.result.calibration)


def _named_foot(photo: Photo) -> Foot:
    """The foot the photo's original file name and folder suggest (as on import)."""
    from footlog.domain.naming import guess_foot
    from footlog.storage.photo_store import name_hint

    return guess_foot(name_hint(Path(photo.original_path or photo.original_name or "")))


def library_paper(lib: Library) -> str:
    """The library's paper setting ("a4" or "letter"; A4 when unset or unknown): the paper
    a plain page under the foot is taken to be when its shape cannot tell."""
    value = lib.setting(PAPER_SETTING, DEFAULT_PAPER)
    return value if value in PAPERS else DEFAULT_PAPER


def recompute_library_measures(
    lib: Library, photo_id: int, foot: Foot | None = None,
    calibration: Calibration | None = None,
) -> dict[str, float]:
    """Recompute and store a photo's measures from its current landmarks."""
    photo = get_photo(lib, photo_id)
    stored = load_landmarks(lib, photo_id)
    if calibration is None:
        calibration = photo.calibration
    side = foot if foot not in (None, Foot.UNKNOWN) else photo.foot
    view = photo.effective_view(stored)
    measures = compute_measures(view, {n: (s.x, s.y) for n, s in stored.items()}, side, calibration)
    # A photo with a landmark placed by hand is the person's measurement: "manual". When
    # every landmark is given back to the detector, the detector's verdict returns.
    manual = any(s.source == "manual" for s in stored.values())
    status = "manual" if manual and measures else photo.auto_status
    if status == "failed" and not photo.confirmed_at:
        # The detector's own landmarks of a failed photo give no number, unless the person
        # confirmed them.
        measures = {}
    replace_measures(lib, photo_id, measures, photo.detector_version, status)
    return measures


def record_detector_crash(lib: Library, photo_id: int, exc: BaseException) -> None:
    """Mark a photo failed because the detector itself broke on it, saying so plainly."""
    photo = get_photo(lib, photo_id)
    result = MeasureResult(
        photo.view,
        photo.foot,
        Status.FAILED,
        warnings=[
            f"footlog's detector stopped on this photo ({type(exc).__name__}: {exc}); "
            "place the landmarks by hand or re-run it after an update"
        ],
    )
    with lib.db.atomic():
        save_detection(lib, photo_id, result)
        recompute_library_measures(lib, photo_id)


def set_landmarks(lib: Library, photo_id: int, points: Mapping[str, tuple[float, float]]
                  ) -> None:
    """Place every given landmark (full px) as the person's and recompute the measures, all
    at once (`footlog landmarks --set`, `footlog import-landmarks`)."""
    from footlog.storage.measure_store import set_manual_landmark

    with lib.db.atomic():
        for name, (x, y) in points.items():
            set_manual_landmark(lib, photo_id, name, x, y)
        recompute_library_measures(lib, photo_id)
