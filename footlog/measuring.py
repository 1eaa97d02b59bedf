"""Measuring a photo: decode, calibrate, detect, compute. A library photo is measured by
`footlog.library_measuring`, which stores the result and keeps its measures true to its mix
of automatic, manual and confirmed landmarks.

Measures are always computed from landmarks by the formulas of `footlog.domain`: the
detector's own numbers are never stored as such, so a dragged landmark and a detected one
are treated alike.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from footlog.domain.calibration import Calibration
from footlog.domain.dorsal_measures import dorsal_measures
from footlog.domain.results import MeasureResult, Point
from footlog.domain.views import Foot, Status, View
from footlog.imaging.camera_focal import read_focal_length_px
from footlog.imaging.photo_io import read_reduced

if TYPE_CHECKING:  # the detectors load on first use (see measure_pixels)
    from footlog.analysis.two_feet import FeetFound
    from footlog.analysis.working_image import WorkingPicture

# Long side of the image the detectors work on (px). Draft-mode JPEG decoding makes this
# cost a fraction of a full decode; landmarks are mapped back to full resolution.
ANALYSIS_MAX_SIDE = 1000
# The library setting naming the paper used under the foot, its values and its default.
PAPER_SETTING = "paper"
PAPERS = ("a4", "letter")
DEFAULT_PAPER = "a4"


def measure_file(
    path: Path | str, view: View = View.UNKNOWN, foot: Foot = Foot.UNKNOWN,
    paper: str = DEFAULT_PAPER,
) -> MeasureResult:
    """Measure one photo file (no library needed). `seconds` covers open to result.

    `paper` ("a4" or "letter") is the paper a plain page under the foot is taken to be when
    its shape cannot tell (the library's setting); the camera's focal length, which lets
    the shape tell, is read from the photo's EXIF.

    A photo showing both feet gives each foot measured as its own (the other one hidden),
    from the one decode: the result is the first foot's (the left one when the sides are
    known), and `extras["feet"]` holds both (`feet_json`).
    """
    t0 = time.perf_counter()
    reduced = read_reduced(path, ANALYSIS_MAX_SIDE)
    focal_px = read_focal_length_px(path)
    t_decode = time.perf_counter() - t0
    results = measure_feet(reduced.pixels, reduced.scale, view, foot, focal_px, paper)
    result = results[0]
    if len(results) > 1:
        result.extras["feet"] = [feet_json(r) for r in results]
    result.seconds = time.perf_counter() - t0
    result.timings["decode"] = t_decode
    return result


def measure_feet(
    pixels: np.ndarray, scale_to_full: float, view: View, foot: Foot,
    focal_px: float | None = None, paper: str = DEFAULT_PAPER,
) -> list[MeasureResult]:
    """Each foot of a decoded photo measured as its own (`measure_pixels` with the other
    foot hidden), its region in `extras["region"]`: one result for a photo of one foot
    (`foot` is then the person's word), two for both feet (left first when the sides are
    known; each foot's side is then the one its position gives)."""
    guess = None
    if view == View.UNKNOWN:
        from footlog.analysis.view_guess import guess_view

        # Guessed once for the photo: the search for two feet and each foot's measuring
        # use the same guess.
        guess = guess_view(pixels)
    # The working picture and its pale region are made once, for the search for two feet
    # and for measuring a lone foot on the same pixels (each made only when first used);
    # the page is calibrated meanwhile.
    from footlog.analysis.dorsal import WORK_SIDE
    from footlog.analysis.working_image import WorkingPicture

    picture = WorkingPicture(pixels, scale_to_full, WORK_SIDE)
    if _measured_from_above(view, guess):
        start_calibration(picture, focal_px, paper)
    t_feet = time.perf_counter()
    found = find_photo_feet(pixels, scale_to_full, view, guess, picture)
    t_feet = time.perf_counter() - t_feet
    if found is None:
        result = measure_pixels(pixels, scale_to_full, view, foot, focal_px, paper,
                                guess=guess, picture=picture)
        result.timings["feet"] = t_feet  # the search for a second foot
        return [result]
    # Each foot is calibrated on its own picture (the other foot hidden): the calibration
    # of the whole one is not wanted, and is not left running beside theirs.
    picture.drop(_calibration_key(focal_px, paper))
    regions = [r.polygon for r in found.feet]
    results = []
    for i, region in enumerate(found.feet):
        res = measure_pixels(foot_pixels(pixels, scale_to_full, regions, i), scale_to_full,
                             view, region.side, focal_px, paper,
                             crop=foot_box(region.polygon, pixels.shape[:2], scale_to_full),
                             guess=guess)
        if view == View.UNKNOWN and _no_reference(res):
            res = _two_feet_not_measurable(res)
        res.extras["region"] = region.polygon.tolist()
        # The side the feet's positions gave (the toes may say otherwise: then `review`).
        res.extras["side_by_position"] = str(region.side)
        results.append(res)
    return results


def _measured_from_above(view: View, guess: tuple[View, float] | None) -> bool:
    """Whether `measure_pixels` measures a photo of this view (and guess, for an unknown
    view) with the dorsal detector."""
    if view != View.UNKNOWN:
        return view == View.DORSAL
    from footlog.analysis.view_guess import NOT_MEASURABLE

    return (guess is not None and guess[1] >= NOT_MEASURABLE
            and guess[0] not in (View.MEDIAL, View.PLANTAR))


def _no_reference(result: MeasureResult) -> bool:
    """Whether no page, sheet or card was found in the photo."""
    return result.calibration is None or result.calibration.method == "none"


def _two_feet_not_measurable(result: MeasureResult) -> MeasureResult:
    """A foot of two, on no page and with no view given: from above, or seated and seen from
    behind, the two look alike in a photo, and the view's guess was never calibrated on
    photos of both feet (seated ones are guessed "dorsal" at 99 %), so no number is given
    until the person says the view. The landmarks stay as a start for correcting. No
    generated picture shows a seated person, so this decision has no measured confidence."""
    from footlog.analysis.view_guess import NOT_MEASURABLE_VIEW, TWO_FEET_REASON, decision

    result.status = Status.FAILED
    result.measures = {}
    result.warnings.insert(0, "not measurable: both feet, and no page or card: footlog "
                              "cannot tell a photo from above from a seated one by itself; "
                              "say the view (from above) to measure them")
    result.extras["view_guess"] = decision(NOT_MEASURABLE_VIEW, None, TWO_FEET_REASON)
    result.extras["not_measurable"] = {"cause": "two_feet", "reason": TWO_FEET_REASON,
                                       "confidence": None}
    return result


def find_photo_feet(pixels: np.ndarray, scale_to_full: float, view: View,
                    guess: tuple[View, float] | None = None,
                    picture: WorkingPicture | None = None) -> FeetFound | None:
    """The two feet of a photo showing both (`two_feet.FeetFound`), else None. Only a
    photo from above (or of unknown view) is looked at: a side view or a print shows one.
    `guess`: the view's guess (`guess_view`) when the caller already made it; `picture`:
    the working picture of `pixels` kept for measuring too (`WorkingPicture`)."""
    if view not in (View.DORSAL, View.UNKNOWN):
        return None
    if view == View.UNKNOWN:
        from footlog.analysis.view_guess import NOT_MEASURABLE, guess_view

        # More likely than not a foot from the side or a print: one foot, whose light and
        # shade must not be taken for two.
        guessed, confidence = guess or guess_view(pixels)
        if guessed in (View.MEDIAL, View.PLANTAR) and confidence >= NOT_MEASURABLE:
            return None
    from footlog.analysis.two_feet import find_feet

    found = find_feet(pixels, scale_to_full, outline_one=False, picture=picture)
    return found if found.two else None


def foot_pixels(pixels: np.ndarray, scale_to_full: float,
                regions: Sequence[np.ndarray | None], index: int) -> np.ndarray:
    """The picture with every foot region but `index`'s hidden (see
    `two_feet.without_other_foot`); regions are polygons in full-resolution px."""
    own_region = regions[index]
    if own_region is None or len(regions) < 2:
        return pixels
    # (Loaded only here: a process storing what others measured shows one foot mostly.)
    from footlog.analysis.two_feet import polygon_mask, without_other_foot

    shape = pixels.shape[:2]
    own = polygon_mask(own_region, shape, scale_to_full)
    out = pixels
    for i, other in enumerate(regions):
        if i != index and other is not None:
            out = without_other_foot(out, own, polygon_mask(other, shape, scale_to_full))
    return out


# The part of the picture a foot of two is found in: its region's box grown by this share of
# the box's longer side on every side (the outline's edges need their surroundings).
FOOT_BOX_MARGIN = 0.15


def foot_box(region: np.ndarray, shape: tuple[int, int], scale_to_full: float
             ) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) px of a picture of `shape` (h, w) holding a foot's region (a
    polygon in full-resolution px; `scale_to_full`: full px per px of the picture)."""
    pts = np.asarray(region, float) / scale_to_full
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    grow = FOOT_BOX_MARGIN * float((hi - lo).max())
    h, w = shape
    x0, y0 = np.maximum(np.floor(lo - grow), 0).astype(int)
    x1, y1 = np.minimum(np.ceil(hi + grow), [w, h]).astype(int)
    return int(x0), int(y0), int(x1), int(y1)


def feet_json(result: MeasureResult) -> dict:
    """One foot of a photo showing two, for `measure --json`'s `feet`: the fields of the
    main object, and `region` (its polygon, full-resolution px)."""
    out = result.to_json()
    out["region"] = [[round(x, 1), round(y, 1)] for x, y in result.extras.get("region", [])]
    return out


def measure_pixels(
    pixels: np.ndarray, scale_to_full: float, view: View, foot: Foot,
    focal_px: float | None = None, paper: str = DEFAULT_PAPER,
    crop: tuple[int, int, int, int] | None = None, stability: bool | None = None,
    guess: tuple[View, float] | None = None, picture: WorkingPicture | None = None,
) -> MeasureResult:
    """Run the detector for `view` on a reduced upright image and add calibrated measures.

    `focal_px`: the camera's focal length in full-resolution px (EXIF), if known; `paper`:
    see `measure_file`. `crop`: (x0, y0, x1, y1) px of `pixels` where the foot is (one of
    two feet): a dorsal photo is then calibrated on the whole picture and the foot found
    in that part of it, at the part's own resolution. `stability`: see
    `footlog.analysis.dorsal.measure_dorsal`. `guess`: the view's guess for a photo of
    unknown view when the caller already made it (`measure_feet`). `picture`: the working
    picture of `pixels` and its pale region when the caller already made them
    (`WorkingPicture`; used only if it is this very picture's, at the dorsal working
    size)."""
    # OpenCV and the detectors load on first use: the window and the command line start
    # faster, and editing landmarks never needs them.
    from footlog.analysis.dorsal import measure_dorsal

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    assumed = view == View.UNKNOWN
    if assumed:
        # The person's word always wins; only a photo without a view is guessed.
        from footlog.analysis.view_guess import LOW_CONFIDENCE, NOT_MEASURABLE, guess_view

        view, confidence = guess or guess_view(pixels)
        if confidence < NOT_MEASURABLE:
            return _not_measurable(view, confidence, foot, time.perf_counter() - t0)
    t1 = time.perf_counter()
    timings["view"] = t1 - t0
    calibration: Calibration | None = None
    if view == View.MEDIAL:
        from footlog.analysis.medial import measure_medial

        result = measure_medial(pixels, scale_to_full, foot)
    elif view == View.PLANTAR:
        from footlog.analysis.plantar import measure_plantar

        result = measure_plantar(pixels, scale_to_full, foot)
    else:
        # The page is found first, once: calibration measures with it and the foot is told
        # from the paper inside it.
        from footlog.analysis.dorsal import WORK_SIDE
        from footlog.analysis.working_image import working_picture

        # The foot is measured on the picture's page: see _calibrate_page.
        pic = working_picture(picture, pixels, scale_to_full, WORK_SIDE)
        work, f, region = pic.image, pic.f, pic.pale
        calibration = pic.made(_calibration_key(focal_px, paper),
                               lambda p: _calibrate_page(p, focal_px, paper))
        # (When it was started early, `start_calibration`: the time waited for it.)
        timings["calibrate"] = time.perf_counter() - t1
        if crop is None:
            result = measure_dorsal(pixels, scale_to_full, foot, page_corners(calibration),
                                    work=(work, f), pale=region, stability=stability)
        else:
            result = _dorsal_in(pixels, scale_to_full, foot, calibration, crop, stability)
    t2 = time.perf_counter()
    timings["detect"] = t2 - t1 - timings.get("calibrate", 0.0)
    if view != View.DORSAL:
        calibration = _calibrate(pixels, scale_to_full, result.work_image, focal_px, paper)
        timings["calibrate"] = time.perf_counter() - t2
    result.work_image = None  # not kept: it is ~1 MB
    t3 = time.perf_counter()
    covered = result.extras.get("not_measurable")
    if assumed and covered:
        # Not a bare foot: the decision is "not measurable", however sure the view was.
        from footlog.analysis.view_guess import NOT_MEASURABLE_VIEW, decision

        result.view = View.UNKNOWN
        result.extras["view_guess"] = decision(NOT_MEASURABLE_VIEW, covered["confidence"],
                                               covered["reason"])
    elif assumed:
        result.warnings.insert(0, f"the view was not given: measured as a {view} photo"
                                  f" (guess confidence {confidence:.0%})")
        if confidence < LOW_CONFIDENCE and result.status == Status.OK:
            result.status = Status.REVIEW
    if calibration is not None:
        result.calibration = calibration
        result.scale_mm_per_px = calibration.mm_per_px
        result.warnings.extend(calibration.warnings)
    if view == View.MEDIAL:
        from footlog.analysis.medial import calibration_doubt

        calibration_doubt(result, calibration)
    result.measures = compute_measures(view, result.landmarks, result.foot, calibration)
    if result.status == Status.FAILED:
        # "failed" means no number: landmarks it found stay as a starting point to correct.
        result.measures = {}
    elif not result.measures:
        result.status = Status.FAILED
    bare = result.extras.get("bare_skin")
    if bare and not bare["covered"]:
        from footlog.analysis.bare_skin import bare_confidence

        # A bare verdict is surer when the detector found a foot's toes behind it.
        bare["confidence"] = bare_confidence(bool(result.measures))
    if assumed and not covered:
        from footlog.analysis.view_guess import decision

        # The view right and the foot bare: both measured, taken as independent.
        # (The bare-skin confidence is measured on scenes from above only.)
        bare_right = (bare or {}).get("confidence", 1.0) if view == View.DORSAL else 1.0
        result.extras["view_guess"] = decision(view, confidence * bare_right)
    timings["measures"] = time.perf_counter() - t3
    result.timings = timings
    return result


def _dorsal_in(pixels: np.ndarray, scale_to_full: float, foot: Foot,
               calibration: Calibration | None, crop: tuple[int, int, int, int],
               stability: bool | None = None) -> MeasureResult:
    """The dorsal detector on the part `crop` of the picture (one foot of two, seen at the
    part's resolution rather than the whole picture's), its results in the whole photo's
    full-resolution px."""
    from footlog.analysis.dorsal import measure_dorsal

    x0, y0, x1, y1 = crop
    offset = np.array([x0, y0], float) * scale_to_full
    corners = page_corners(calibration)
    part = np.ascontiguousarray(pixels[y0:y1, x0:x1])
    result = measure_dorsal(part, scale_to_full, foot,
                            None if corners is None else corners - offset, stability=stability)

    def moved(p: Point) -> tuple[float, float]:
        return (float(p[0] + offset[0]), float(p[1] + offset[1]))

    result.landmarks = {n: moved(p) for n, p in result.landmarks.items()}
    if result.outline is not None:
        result.outline = [moved(p) for p in result.outline]
    if result.paper is not None:
        result.paper = [moved(p) for p in result.paper]
    if "axis" in result.extras:
        result.extras["axis"]["tip"] = moved(result.extras["axis"]["tip"])
    return result


def _not_measurable(view: View, confidence: float, foot: Foot, seconds: float
                    ) -> MeasureResult:
    """A photo whose view cannot be told: no detector is run, so no number is given (a
    seated, oblique or shod photo measured as the nearest view gives landmarks on the
    wrong anatomy)."""
    from footlog.analysis.view_guess import (
        NOT_MEASURABLE_VIEW,
        UNTOLD_RIGHT,
        VIEW_REASON,
        decision,
    )

    result = MeasureResult(View.UNKNOWN, foot, Status.FAILED, detector_version="view-guess")
    result.warnings.append(
        f"not measurable as it is: {VIEW_REASON} (the best guess, {view}, is right only"
        f" {confidence:.0%} of the time on such pictures). A seated, oblique or shod photo,"
        f" or both feet from behind, cannot be measured: retake it as the capture guide"
        f" shows, or say which view it is")
    result.extras["view_guess"] = decision(NOT_MEASURABLE_VIEW, UNTOLD_RIGHT, VIEW_REASON)
    result.extras["not_measurable"] = {"cause": "view", "reason": VIEW_REASON,
                                       "confidence": UNTOLD_RIGHT}
    result.timings = {"view": seconds}
    return result


def _calibrate_page(picture: WorkingPicture, focal_px: float | None, paper: str
                    ) -> Calibration | None:
    """The calibration of a photo from above (`_calibrate`) on its working picture: the
    page is found first, once; calibration measures with it and the foot is told from the
    paper inside it. The largest pale region is only a hint: the page finder judges it
    among the quadrilaterals its edges make (on a white floor it is the floor, not the
    page)."""
    region = picture.pale
    seen = None if region is None else (region + 0.5) * picture.f
    return _calibrate(picture.source, picture.scale_to_full, picture.image, focal_px, paper,
                      seen)


def _calibration_key(focal_px: float | None, paper: str) -> tuple:
    """What a picture's calibration (`_calibrate_page`) depends on besides the picture."""
    return ("calibration", focal_px, paper)


def start_calibration(picture: WorkingPicture, focal_px: float | None, paper: str) -> None:
    """Calibrate the picture's page in a thread (`_calibrate_page`), beside the search for
    two feet, for `measure_pixels` to take when it measures that picture; only where a
    core is idle (`spare_cores`: on busy cores the thread costs more than it gains)."""
    from footlog.analysis.spare_cores import threads_to_use

    if threads_to_use(2) < 2:
        return
    picture.start(_calibration_key(focal_px, paper),
                  lambda pic: _calibrate_page(pic, focal_px, paper))


def _calibrate(
    pixels: np.ndarray, scale_to_full: float, work_rgb: np.ndarray | None = None,
    focal_px: float | None = None, paper: str = DEFAULT_PAPER, seen: np.ndarray | None = None,
) -> Calibration | None:
    """The calibration as the library stores it (`Calibration.as_stored`), or None when
    calibration is not available.

    `work_rgb`: the detector's working picture (used only if it is exactly the reduction
    the page search would make). `focal_px`, `paper`: see `measure_pixels`. `seen`: where
    a pale region suggests the page (full-resolution px), judged first.
    """
    try:
        from footlog.imaging.calibration import calibrate
    except ImportError:
        return None
    cal = calibrate(pixels, scale_to_full, page_seen=seen, work_rgb=work_rgb, focal_px=focal_px,
                    paper=paper)
    return cal.as_stored()


# Calibration methods whose reference is the page the foot stands on.
PAGE_METHODS = ("a4", "letter", "sheet")


def page_corners(calibration: Calibration | None) -> np.ndarray | None:
    """The page's 4 corners (full-resolution px, hidden ones extrapolated) of a calibration
    by a page or footlog's sheet, else None (a card, or no calibration)."""
    if calibration is None or calibration.method not in PAGE_METHODS:
        return None
    corners = calibration.corners_px
    return None if corners is None else np.asarray(corners, float).reshape(4, 2)


def compute_measures(
    view: View, landmarks: Mapping[str, Point], foot: Foot, calibration: Calibration | None
) -> dict[str, float]:
    """The view's measures from its landmarks (full-resolution px).

    With a floor homography, landmarks are first mapped onto the floor plane in mm, which
    removes perspective from the angles and gives mm measures directly.
    """
    if not landmarks:
        return {}
    if view in (View.MEDIAL, View.PLANTAR):
        from footlog.domain.arch_measures import arch_view_measures

        return arch_view_measures(view, landmarks, calibration)
    if view != View.DORSAL:
        return {}
    homography = None if calibration is None else calibration.homography
    if homography is not None:
        from footlog.domain.calibration import apply_homography

        names = list(landmarks)
        floor = apply_homography(
            np.asarray(homography, float), np.asarray([landmarks[n] for n in names], float)
        )
        return dorsal_measures(dict(zip(names, map(tuple, floor), strict=True)), foot, 1.0)
    return dorsal_measures(dict(landmarks), foot)
