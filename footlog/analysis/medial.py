"""Automatic medial-view detector: side photo -> landmarks, arch measures, status.

Pipeline (working image of WORK_SIDE px on the long side):
1. medial_outline.side_silhouette: floor colours learnt from the frame's bottom and sides,
   foot+leg = far from every floor colour; a chroma skin model (medial_skin) removes
   shadows and floor strips when it separates skin from floor; the plantar edge re-traced
   along the strongest colour edge (the skin / contact-shadow boundary);
2. which way the toes point, from the shape (medial_ends: the thick end under the leg is the
   heel, the thin end the toes); a photo where they cannot be told is not measured;
3. medial_landmarks.fit_landmarks: floor line = bitangent under heel and ball, landmarks by
   their definitions in the floor frame (tilt corrected);
4. domain.arch_measures: the ratios (the mm height needs the calibration, added by
   footlog.measuring);
5. doubt in plain words: foot cut off, floor line unclear, strong tilt, weak contrast.
Landmarks are returned in full-resolution pixels of the upright photo.
"""

from __future__ import annotations

import math
import time
from typing import Any

import cv2
import numpy as np

from footlog.analysis.bare_skin import judge, refuse_if_covered, skin_share
from footlog.analysis.medial_ends import heel_and_toe
from footlog.analysis.medial_landmarks import fit_landmarks
from footlog.analysis.medial_outline import side_silhouette, trace_back
from footlog.analysis.working_image import to_full, working_image
from footlog.domain.arch_measures import medial_measures
from footlog.domain.calibration import Calibration
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View

DETECTOR_VERSION = "medial-0.2"
WORK_SIDE = 480  # px; the arch is ~15-40 px high here, enough for a 0.02 ratio
TILT_LIMIT = 12.0  # deg; beyond it the camera is rolled or looks down at the foot
ELEVATION_LIMIT = 35.0  # deg above the floor; heights are foreshortened beyond it
AHI_RANGE = (0.2, 0.5)  # arch height index of standing adults, wide
AHR_RANGE = (0.0, 0.15)




def _with_bottom(mask: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """The mask with each column's plantar edge replaced by the traced one: filled down to
    it from the mask's own bottom, cleared below it."""
    out = mask.copy()
    rows = np.arange(mask.shape[0])[:, None]
    xs = np.flatnonzero(np.isfinite(bottom))
    col = out[:, xs]
    has = np.asarray(col.any(axis=0))  # an array: the stubs allow a scalar
    low = mask.shape[0] - 1 - np.argmax(col[::-1] > 0, axis=0)
    yb = bottom[xs]
    col[(rows > yb[None, :]) & has[None, :]] = 0
    col[(rows >= low[None, :]) & (rows <= yb[None, :]) & has[None, :]] = 1
    out[:, xs] = col
    return out


def _contour(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    return max(contours, key=cv2.contourArea).reshape(-1, 2).astype(float)


def _with_back(mask: np.ndarray, sil: Any, fit: Any, toes_right: bool) -> np.ndarray:
    """The mask with the heel's posterior edge (from the floor to 0.35 foot lengths up)
    replaced by the traced one."""
    fh = fit.landmarks["floor_heel"]
    y1 = int(min(mask.shape[0] - 1, fh[1]))
    y0 = int(max(0, fh[1] - 0.35 * fit.length))
    reach = max(4, int(0.05 * fit.length))
    xb = trace_back(sil.lab, mask, y0, y1, reach, toes_right, sil.dist, sil.shadow_l)
    out = mask.copy()
    w = mask.shape[1]
    cols = np.arange(w)[None, :]
    ys = np.flatnonzero(np.isfinite(xb))
    ys = ys[out[ys].any(axis=1)]  # rows with no foot are left alone
    if not len(ys):
        return out
    rows = out[ys]
    x = xb[ys][:, None]
    # Per row (all rows at once): beyond the traced edge is background; from the edge to
    # the mask's own first (last) pixel is heel.
    if toes_right:
        inner = np.argmax(rows > 0, axis=1)[:, None]
        rows = np.where(cols < x, 0, np.where(cols <= inner, 1, rows))
    else:
        inner = (w - 1 - np.argmax(rows[:, ::-1] > 0, axis=1))[:, None]
        rows = np.where(cols > x, 0, np.where(cols >= inner, 1, rows))
    out[ys] = rows
    return out


def measure_medial(
    image_rgb_reduced: np.ndarray, scale_to_full: float, foot_hint: Foot = Foot.UNKNOWN
) -> MeasureResult:
    """Measure a medial (side) photo.

    image_rgb_reduced: upright RGB uint8 image, any size (a reduced decode of the photo).
    scale_to_full: full-resolution pixels per pixel of `image_rgb_reduced`.
    foot_hint: the side the person said it is. Seen from the medial side, a left foot's toes
        point right in the photo and a right foot's left; a disagreement is reported.
    """
    t0 = time.perf_counter()
    res = MeasureResult(View.MEDIAL, foot_hint, Status.FAILED, detector_version=DETECTOR_VERSION)
    img, f = working_image(image_rgb_reduced, scale_to_full, WORK_SIDE)
    sil = side_silhouette(img)
    res.warnings += sil.warnings
    if not np.isfinite(sil.bottom).any():
        res.warnings.append("no foot found standing on the floor")
        return res.finished(t0)
    ends = heel_and_toe(sil.mask, sil.bottom)
    res.extras["ends"] = {"thickness": ends.thickness, "leg_share": ends.leg_share}
    if ends.toes_right is None:
        res.warnings.append(ends.reason)
        return res.finished(t0)
    toes_right = ends.toes_right
    if refuse_if_covered(res, judge(_toe_end_skin(img, sil.mask, toes_right))):
        return res.finished(t0)
    mask = _with_bottom(sil.mask, sil.bottom)
    contour = _contour(mask)
    fit = fit_landmarks(contour, sil.bottom, mask, toes_right, sil.lab)
    if fit is not None:
        # Second pass: the heel's back edge re-traced like the plantar edge, then refit.
        mask = _with_back(mask, sil, fit, toes_right)
        contour = _contour(mask)
        fit = fit_landmarks(contour, sil.bottom, mask, toes_right, sil.lab) or fit
    if fit is None:
        res.warnings.append("no floor line found under the foot")
        return res.finished(t0)
    res.landmarks = {k_: to_full(v, f) for k_, v in fit.landmarks.items()}
    res.outline = [to_full(p, f) for p in contour[::3]]
    res.extras["floor_line"] = [res.landmarks["floor_heel"], res.landmarks["floor_toe"]]
    res.extras["tilt_deg"] = fit.tilt_deg
    res.extras["contrast"] = sil.contrast
    status = Status.REVIEW if fit.doubt or sil.warnings else Status.OK
    res.warnings += fit.warnings
    side = Foot.LEFT if toes_right else Foot.RIGHT
    if foot_hint == Foot.UNKNOWN:
        res.foot = side
    elif foot_hint != side:
        status = Status.REVIEW
        res.warnings.append(
            f"the toes point {'right' if toes_right else 'left'}: from the inner side that is a "
            f"{side} foot, not a {foot_hint} foot (or this is the outer side): check")
    status = _check_frame(res, fit, mask, toes_right, status)
    res.measures = medial_measures(res.landmarks)
    status = _check_measures(res, status)
    res.status = status if res.measures else Status.FAILED
    return res.finished(t0)


def _check_frame(res: MeasureResult, fit: Any, mask: np.ndarray, toes_right: bool,
                 status: Status) -> Status:
    """Foot cut off by the frame, strong tilt."""
    _h, w = mask.shape
    toe = fit.landmarks["toe_tip"]
    heel = fit.landmarks["heel_back"]
    margin = max(2, int(0.01 * w))
    # Whatever touches the photo's left or right edge low down (heel, leg, a shadow taken
    # for skin) makes the heel's and toes' ends unreliable.
    ys, xs = np.nonzero(mask[:, [0, 1, w - 2, w - 1]])
    if len(ys):
        edge = np.stack([np.where(xs < 2, xs, w - 4 + xs), ys], 1).astype(float)
        if (fit.frame.to_sh(edge)[:, 1] < 0.3 * fit.length).any():
            res.warnings.append("the foot, or something taken for it, runs out of the side of"
                                " the photo near the floor: the heel or toe end may be wrong")
            status = Status.REVIEW if status == Status.OK else status
    if toe[0] < margin or toe[0] > w - 1 - margin:
        res.warnings.append("the toes are cut off by the edge of the photo")
        status = Status.FAILED
    if heel[0] < margin or heel[0] > w - 1 - margin:
        res.warnings.append("the heel, or what was taken for it, reaches the edge of the photo")
        status = Status.FAILED
    if mask[-1].any():
        res.warnings.append("the foot or leg reaches the bottom of the photo: the floor line"
                            " may be hidden")
        status = Status.REVIEW if status == Status.OK else status
    if abs(fit.tilt_deg) > TILT_LIMIT:
        res.warnings.append(
            f"the floor line is tilted by {abs(fit.tilt_deg):.0f} deg: hold the camera level,"
            " at floor height")
        status = Status.REVIEW if status == Status.OK else status
    return status


def _check_measures(res: MeasureResult, status: Status) -> Status:
    ahi = res.measures.get("arch_height_index")
    ahr = res.measures.get("arch_height_ratio")
    if ahi is None or ahr is None:
        res.warnings.append("some landmarks were not found: not every measure could be given")
        return Status.REVIEW if status == Status.OK else status
    if not AHI_RANGE[0] <= ahi <= AHI_RANGE[1] or not AHR_RANGE[0] <= ahr <= AHR_RANGE[1]:
        res.warnings.append("the arch measures are outside the usual range: check the landmarks")
        return Status.REVIEW if status == Status.OK else status
    return status


def camera_elevation_deg(calibration: Calibration | None,
                         floor_heel: tuple[float, float], floor_toe: tuple[float, float]
                         ) -> float | None:
    """How far above the floor the camera looks down at the floor line (deg), from the floor
    homography: the floor is foreshortened along the viewing direction by sin(elevation)."""
    hom = None if calibration is None else calibration.homography
    if hom is None:
        return None
    from footlog.domain.calibration import jacobian

    mid = (np.asarray(floor_heel, float) + np.asarray(floor_toe, float)) / 2
    sv = np.linalg.svd(jacobian(np.asarray(hom, float), mid), compute_uv=False)
    if not np.all(np.isfinite(sv)) or sv[0] <= 0:
        return None
    return math.degrees(math.asin(min(1.0, float(sv[1] / sv[0]))))


# The toe end read for bare skin: this share of the foot's length from its toe tip (the
# toes and the ball, clear of the leg, which rises at the heel's end).
TOE_END = 0.3


def _toe_end_skin(img: np.ndarray, mask: np.ndarray, toes_right: bool) -> float | None:
    """`bare_skin.skin_share` of the toe end of a side view's silhouette (no page to take
    the light's colour from: read as it is)."""
    xs = np.flatnonzero(mask.any(axis=0))
    if len(xs) < 2:
        return None
    length = float(xs[-1] - xs[0] + 1)
    tip_x = float(xs[-1] if toes_right else xs[0])
    tip = np.array([tip_x, float(np.flatnonzero(mask[:, int(tip_x)]).mean())])
    distal = np.array([1.0 if toes_right else -1.0, 0.0])
    return skin_share(img, mask, tip, distal, TOE_END * length)




def calibration_doubt(res: MeasureResult, calibration: Calibration | None) -> None:
    """Plain-words doubt about the mm scale of a medial photo, and the camera's height.

    The reference object lies on the floor in perspective; its scale is taken along the floor
    line at the foot (footlog.domain.arch_measures.floor_line_scale), which is rough."""
    lm = res.landmarks
    if "floor_heel" not in lm or "floor_toe" not in lm:
        return
    elev = camera_elevation_deg(calibration, lm["floor_heel"], lm["floor_toe"])
    if elev is None:
        if calibration is None or calibration.homography is None:
            res.warnings.append("no card or page for scale: the arch height is given only as"
                                " ratios")
        return
    res.extras["camera_elevation_deg"] = elev
    res.warnings.append("the arch height in mm uses the scale of the card or page on the floor"
                        " near the foot: it is rough (a few mm)")
    if elev > ELEVATION_LIMIT:
        res.warnings.append(
            f"the camera looks down at the foot from about {elev:.0f} deg: heights are"
            " foreshortened; hold the camera at floor level")
        if res.status == Status.OK:
            res.status = Status.REVIEW
