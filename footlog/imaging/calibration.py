"""Calibrate a photo: find the floor-plane homography (image px -> mm) and the scale.

`calibrate` tries, in order: footlog's printed sheet (ArUco markers), a plain A4 or US Letter
page, an ID-1 card, and otherwise reports no scale.  It works on a reduced picture (long side
<= ~1000 px) for speed; `scale_to_full` (full-resolution px per picture px, as
`ReducedImage.scale`) turns every result into full-resolution coordinates.

Pixel conventions: OpenCV puts pixel centres at integers, `footlog.imaging.photo_io` at
i + 0.5; full-resolution points are `(opencv_xy + 0.5) * scale`.
"""

from __future__ import annotations

import threading
import time

import cv2
import numpy as np

from footlog.domain.calibration import (
    A4,
    ID1_CARD,
    LETTER,
    Calibration,
    RectSize,
    apply_homography,
    homography_to_rect,
    mm_per_px_at,
    no_calibration,
    reprojection_rms,
)
from footlog.imaging.calibration_card import find_card
from footlog.imaging.calibration_paper import QuadFit, find_paper
from footlog.imaging.calibration_sheet import LAYOUTS, MARKER_DICTIONARY

MAX_WORK_SIDE = 1000  # px; larger pictures are reduced first
PAPERS = {"a4": A4, "letter": LETTER}
_NAMES = {"a4": "A4", "letter": "US Letter"}
MARKER_RANSAC_MM = 3.0

_detector: cv2.aruco.ArucoDetector | None = None
# OpenCV's detectors are not safe to use from two threads at once (a photo's page may be
# calibrated in a thread beside other work): the one detector is used under this lock. (A
# detector per thread, kept in thread-local storage, crashed the interpreter when a Qt
# worker thread ended and its detector was destroyed with it.)
DETECTOR_LOCK = threading.Lock()


def _markers(grey: np.ndarray) -> tuple:
    """`detectMarkers` of the marker detector on a grey picture (one thread at a time)."""
    with DETECTOR_LOCK:
        return _aruco().detectMarkers(grey)


def _aruco() -> cv2.aruco.ArucoDetector:
    """The marker detector, tuned for phone photos of a sheet on the floor (built once)."""
    global _detector
    if _detector is None:
        params = cv2.aruco.DetectorParameters()
        params.cornerRefinementMethod = cv2.aruco.CORNER_REFINE_SUBPIX
        params.cornerRefinementWinSize = 4
        params.adaptiveThreshWinSizeMin = 5
        params.adaptiveThreshWinSizeMax = 35
        params.adaptiveThreshWinSizeStep = 10
        params.minMarkerPerimeterRate = 0.03  # markers are >= ~25 px wide at 1000 px
        dictionary = cv2.aruco.getPredefinedDictionary(getattr(cv2.aruco, MARKER_DICTIONARY))
        _detector = cv2.aruco.ArucoDetector(dictionary, params)
    return _detector


def calibrate(
    image_rgb: np.ndarray,
    scale_to_full: float = 1.0,
    hint: str | None = None,
    page_seen: np.ndarray | None = None,
    work_rgb: np.ndarray | None = None,
    focal_px: float | None = None,
    paper: str = "a4",
) -> Calibration:
    """Find the floor calibration of an upright RGB picture (H x W x 3 uint8).

    `hint` ("sheet", "a4", "letter", "card") is tried first; the others follow.
    `page_seen`: the page's outline (N x 2, full-resolution px) when the foot detector has
    already found a sheet of paper: the page is then fitted to that region instead of
    searched for (the full search follows if that fails). Unless a `hint` is given, the
    printed sheet is looked for only if its markers show on a quick look (inside the page
    when it was seen).
    `work_rgb`: the picture already shrunk by INTER_AREA to the page search's size (the
    dorsal detector's working image, 640 px); used only when it is exactly the picture the
    page search would make itself, so the result does not depend on it.
    `focal_px`: the camera's focal length in full-resolution px (from EXIF), or None.
    `paper`: "a4" or "letter", the paper a plain page is taken to be when its shape does not
    tell (the library's setting; a warning says when it was assumed, or overruled).
    """
    t0 = time.perf_counter()
    img = image_rgb
    scale = float(scale_to_full)
    if max(img.shape[:2]) > MAX_WORK_SIDE:
        f = MAX_WORK_SIDE / max(img.shape[:2])
        img = cv2.resize(img, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        scale /= f
        work_rgb = None  # a reduction of the original picture, not of `img`
    if hint in ("a4", "letter"):
        paper = hint
    seen = None
    if page_seen is not None and hint is None:
        seen = np.asarray(page_seen, float) / scale - 0.5  # -> OpenCV px of `img`
    focal = None if focal_px is None else focal_px / scale  # -> px of `img`
    result: Calibration | None = None
    if hint == "card":
        result = _from_card(img, scale)
    if result is None:
        result = _sheet_or_page(img, scale, hint, seen, work_rgb, focal, PAPERS[paper])
    if result is None and hint != "card":
        result = _from_card(img, scale)
    if result is None:
        result = no_calibration(["No calibration sheet, paper or card found: no scale in mm.",
                                 NOT_FOUND_ADVICE])
    result.seconds = time.perf_counter() - t0
    return result


# What a person can do when no page was found. A plain page is found from its edges; on a
# white tile or marble floor they are a step of a few grey levels, or none where a
# highlight is as bright as the paper, and a page under a foot on such a floor may not be
# told from it. The printed sheet's markers are found on any floor.
NOT_FOUND_ADVICE = ("If a page is in the photo, its edges could not be told from the floor: "
                    "a white page shows best on a darker floor or rug, and footlog's "
                    "calibration sheet (File ▸ Print Calibration Sheet…, or 'footlog sheet') "
                    "is found on any floor.")


def _sheet_or_page(
    img: np.ndarray, scale: float, hint: str | None, seen: np.ndarray | None,
    work_rgb: np.ndarray | None, focal: float | None, paper: RectSize,
) -> Calibration | None:
    """footlog's sheet when its markers show (they keep priority), else a plain page.

    The full marker search (~30-45 ms at 1000 px) runs only when a marker shows on a quick
    look (~4 ms): inside the page the foot detector saw, or inside the page found (small or
    oblique markers show better in a crop), else over the whole picture. A sheet seen by one
    marker only gives its size (the marker's id tells A4 or Letter) but a poor geometry
    (four points a few mm apart): the page's own edges then give the geometry."""
    sheet: tuple[Calibration, RectSize] | None = None
    if hint == "sheet" or (seen is not None and _markers_glimpsed(img, seen)):
        sheet = _from_sheet(img, scale)
        if sheet is not None and sheet[0].points_used >= 8:
            return sheet[0]
    fit = find_paper(img, seen, work_rgb, focal, sheet[1] if sheet else paper)
    if sheet is None and hint not in ("a4", "letter") and _markers_glimpsed(
            img, None if fit is None else fit.quad):
        # One quick look for markers: inside the page found, else over the whole picture.
        sheet = _from_sheet(img, scale)
        if sheet is not None and sheet[0].points_used >= 8:
            return sheet[0]
        if sheet is not None and fit is not None:
            fit = find_paper(img, seen, work_rgb, focal, sheet[1])
    if fit is None:
        return sheet[0] if sheet else None
    if sheet is not None:
        # One marker: its id tells the sheet's size, the page's edges give the geometry.
        cal = _page_calibration(fit, scale, focal, paper, sheet[1])
        cal.method = "sheet"
        cal.warnings = [sheet[0].warnings[0], "Only one marker of the sheet is visible: the "
                        "sheet's outline gives the scale.", *cal.warnings[1:]]
        return cal
    return _page_calibration(fit, scale, focal, paper)


def to_full(pts_cv: np.ndarray, scale: float) -> np.ndarray:
    """OpenCV px of the working picture -> full-resolution px (photo_io convention)."""
    return (np.asarray(pts_cv, dtype=np.float64) + 0.5) * scale


# --- a. the printed sheet ---------------------------------------------------------------------


def _from_sheet(img: np.ndarray, scale: float) -> tuple[Calibration, RectSize] | None:
    """The sheet's calibration from its markers, and its paper; None when none shows."""
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    corners, ids, _ = _markers(grey)
    if ids is None or len(ids) == 0:
        return None
    ids = ids.ravel()
    # The sheet is the layout whose ids were seen most.
    name, layout = max(LAYOUTS.items(), key=lambda kv: sum(int(i) in kv[1].markers for i in ids))
    found = [(int(i), c.reshape(4, 2)) for i, c in zip(ids, corners, strict=True)]
    found = [(i, c) for i, c in found if i in layout.markers]
    if not found:
        return None
    src = to_full(np.vstack([c for _, c in found]), scale)
    dst = np.vstack([layout.marker_corners_mm(i) for i, _ in found])
    warnings: list[str] = []
    if len(found) == 1:
        h, _ = cv2.findHomography(src, dst, 0)
        residual = None
        warnings.append(
            "Only one marker of the sheet is visible: the scale is rough; keep more of the "
            "sheet's margins in view."
        )
    else:
        h, mask = cv2.findHomography(src, dst, cv2.RANSAC, MARKER_RANSAC_MM)
        if h is None:
            return None
        inl = mask.ravel().astype(bool)
        h, _ = cv2.findHomography(src[inl], dst[inl], 0)  # least squares on the inliers
        residual = reprojection_rms(h, src[inl], dst[inl])
        if len(found) == 2:
            warnings.append("Only two markers of the sheet are visible: the scale is less sure.")
        if (~inl).sum():
            warnings.append(
                f"{int((~inl).sum()) // 4 or 1} marker(s) did not fit and were ignored."
            )
    if h is None:
        return None
    h = h / h[2, 2]
    paper_name = "A4" if name == "a4" else "US Letter"
    warnings.insert(
        0, f"footlog {paper_name} sheet: {len(found)} of {len(layout.markers)} markers seen."
    )
    corners_mm = layout.paper.corners_mm()
    cal = _result("sheet", h, corners_mm, residual, warnings, 4 * len(found))
    cal.paper_size = "measured"  # the markers' ids say which sheet
    cal.corners_seen = _in_photo(cal.corners_px, img.shape, scale)
    return cal, layout.paper


# --- b. a plain page --------------------------------------------------------------------------


def _markers_glimpsed(img: np.ndarray, seen: np.ndarray | None = None) -> bool:
    """Whether any sheet marker shows on a quick look at a 500 px picture (~5 ms).

    `seen`: the page's outline (OpenCV px of `img`) when the foot detector or the page
    search found it: the markers are printed on that page, so only its bounding box (plus a
    margin) is looked at.
    """
    if seen is not None and len(seen):
        h, w = img.shape[:2]
        pad = 0.03 * max(h, w)
        x0, y0 = np.maximum(np.floor(seen.min(axis=0) - pad), 0).astype(int)
        x1, y1 = np.ceil(seen.max(axis=0) + pad).astype(int) + 1
        crop = img[y0 : min(y1, h), x0 : min(x1, w)]
        if crop.shape[0] >= 32 and crop.shape[1] >= 32:
            img = crop  # grey per pixel: cropping first gives the same crop of grey
    # Markers look as big in a crop at 500 px as they are in it: a page seen small or
    # obliquely shows its markers better than the whole picture would.
    f = min(1.0, 500 / max(img.shape[:2]))
    grey = cv2.cvtColor(np.ascontiguousarray(img), cv2.COLOR_RGB2GRAY)
    if f < 1.0:
        grey = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    _, ids, _ = _markers(grey)
    return ids is not None and len(ids) > 0


def _from_paper(
    img: np.ndarray, scale: float, seen: np.ndarray | None = None,
    small: np.ndarray | None = None, focal_px: float | None = None, paper: RectSize = A4,
) -> Calibration | None:
    """A plain page's calibration, or None (`focal_px` in px of `img`; `paper` assumed
    when the page's shape does not tell)."""
    fit = find_paper(img, seen, small, focal_px, paper)
    return None if fit is None else _page_calibration(fit, scale, focal_px, paper)


def _page_calibration(fit: QuadFit, scale: float, focal_px: float | None, paper: RectSize,
                      known: RectSize | None = None) -> Calibration:
    """The calibration from a found page (`paper` the one assumed when its shape did not
    tell; `known` the paper a sheet's marker told, which then overrules both)."""
    size = known or fit.paper
    quad = to_full(fit.quad, scale)
    shown = list(fit.corner_seen)
    # Portrait frame: the side TL-TR (first side) must be the short one.
    landscape = np.linalg.norm(quad[1] - quad[0]) > np.linalg.norm(quad[3] - quad[0])
    if landscape:
        quad = np.roll(quad, -1, axis=0)  # start at TR: its first side is then the short one
        shown = shown[1:] + shown[:1]
    h = homography_to_rect(quad, size)
    # Residual: how far the seen edge points fall from the page's sides (mm, RMS), and the
    # page's estimated aspect ratio vs the real one, as a length error over half the page.
    corners_mm = size.corners_mm()
    mm = apply_homography(h, to_full(np.vstack(fit.edge_points), scale))
    w_mm, h_mm = size.width_mm, size.height_mm
    # Each edge point's distance to the nearest side of the page (mm).
    dists = np.abs(np.stack([mm[:, 0], mm[:, 0] - w_mm, mm[:, 1], mm[:, 1] - h_mm])).min(axis=0)
    edge_rms = float(np.sqrt(np.mean(dists**2)))
    aspect_mm = abs(fit.aspect / size.aspect - 1) * size.height_mm / 2
    residual = float(np.hypot(edge_rms, aspect_mm))
    name = _NAMES[size.name]
    assumed_name = _NAMES[paper.name]
    if known is not None:
        warnings = [f"Sheet's outline used for scale ({name})."]
    elif fit.size_told and fit.paper.name == paper.name:
        warnings = [f"Plain {name} page used for scale (its size was told from its shape)."]
    elif fit.size_told:
        # Never a silent switch: the page measures as the other paper than the setting.
        warnings = [
            f"Plain page used for scale: its shape is that of {name}, not the "
            f"{assumed_name} of your paper setting; {name} used."
        ]
    else:
        why = ("one of its sides was hidden" if fit.side_hidden else
               "its shape fits A4 and US Letter alike" if focal_px is not None else
               "without the camera's focal length (not in the photo's EXIF) its shape fits "
               "A4 and US Letter alike")
        warnings = [f"Plain page used for scale: {name} assumed (your paper setting), as {why}."]
    if fit.hidden_corners:
        warnings.append(
            f"{fit.hidden_corners} corner(s) of the page hidden: placed by extending its edges."
        )
    if fit.side_hidden:
        warnings.append("One side of the page is hidden: it was placed from the paper's shape; "
                        "the scale is rougher.")
    if fit.cut:
        warnings.append("Part of the page is outside the photo: its scale is rough.")
    if edge_rms > 1.5:
        warnings.append("The page's edges are not straight (folded or curled paper).")
    cal = _result(size.name, h, corners_mm, residual, warnings, 4)
    cal.corners_seen = shown
    cal.paper_size = "measured" if known is not None or fit.size_told else "assumed"
    return cal


def _in_photo(corners_px: np.ndarray | None, shape: tuple[int, ...], scale: float
              ) -> list[bool] | None:
    """Whether each corner (full-resolution px) lies inside the photo (`shape` of the
    working picture, `scale` full px per its px)."""
    if corners_px is None:
        return None
    h, w = shape[0] * scale, shape[1] * scale
    return [bool(0 <= x <= w and 0 <= y <= h) for x, y in np.asarray(corners_px, float)]


# --- c. a card --------------------------------------------------------------------------------


def _from_card(img: np.ndarray, scale: float) -> Calibration | None:
    fit = find_card(img)
    if fit is None:
        return None
    quad = to_full(fit.quad, scale)
    # Landscape frame: the side TL-TR must be the long one.
    if np.linalg.norm(quad[1] - quad[0]) < np.linalg.norm(quad[3] - quad[0]):
        quad = np.roll(quad, -1, axis=0)
    h = homography_to_rect(quad, ID1_CARD, landscape=True)
    corners_mm = np.array([[0, 0], [85.6, 0], [85.6, 53.98], [0, 53.98]])
    px_per_work = scale
    # A card's corners are known to ~1 working px; over its 86 mm that is the scale's error.
    corner_err_mm = (1.0 + fit.fit_rms_px) * px_per_work * mm_per_px_at(h, quad.mean(axis=0))
    aspect_mm = abs(fit.aspect / ID1_CARD.aspect - 1) * ID1_CARD.height_mm
    residual = float(np.hypot(corner_err_mm, aspect_mm)) * 2.0
    warnings = [
        "A card gives only a rough scale: lengths far from it, or off its plane, are less sure."
    ]
    cal = _result("card", h, corners_mm, residual, warnings, 4)
    cal.corners_seen = _in_photo(cal.corners_px, img.shape, scale)
    return cal


# --- shared -----------------------------------------------------------------------------------


def _result(
    method: str,
    h: np.ndarray,
    corners_mm: np.ndarray,
    residual: float | None,
    warnings: list[str],
    points: int,
) -> Calibration:
    inv = np.linalg.inv(h)
    corners_px = apply_homography(inv, corners_mm)
    centre_px = apply_homography(inv, corners_mm.mean(axis=0))[0]
    cal = Calibration(
        method,  # type: ignore[arg-type]
        homography=h,
        mm_per_px=mm_per_px_at(h, centre_px),
        residual_mm=residual,
        corners_px=corners_px,
        warnings=warnings,
        points_used=points,
    )
    strength = cal.perspective_strength()
    if strength is not None and strength > 1.3 and method != "sheet":
        cal.warnings.append(
            "Strong perspective: the photo was not taken from straight above; "
            "lengths away from the reference are less sure."
        )
    return cal


def rectify(
    image_rgb: np.ndarray,
    calibration: Calibration,
    px_per_mm: float,
    scale_to_full: float = 1.0,
    margin_mm: float = 40.0,
) -> tuple[np.ndarray, np.ndarray]:
    """A top-down view of the floor plane around the reference object.

    `image_rgb` is the photo at any reduction (`scale_to_full` full-res px per its px).
    Returns the rectified image (`px_per_mm` px per mm, covering the reference's corners plus
    `margin_mm`) and `H_rect`, the 3 x 3 homography from `image_rgb`'s OpenCV px to the
    rectified image's OpenCV px.
    """
    if calibration.homography is None or calibration.corners_px is None:
        raise ValueError("no homography: the photo has no calibration")
    mm = apply_homography(calibration.homography, calibration.corners_px)
    lo = mm.min(axis=0) - margin_mm
    hi = mm.max(axis=0) + margin_mm
    size = np.ceil((hi - lo) * px_per_mm).astype(int)
    # cv px -> full px: (p + 0.5) * s;  mm -> rectified cv px: (mm - lo) * k - 0.5
    s = scale_to_full
    to_full_m = np.array([[s, 0, 0.5 * s], [0, s, 0.5 * s], [0, 0, 1.0]])
    to_out = np.array(
        [
            [px_per_mm, 0, -lo[0] * px_per_mm - 0.5],
            [0, px_per_mm, -lo[1] * px_per_mm - 0.5],
            [0, 0, 1.0],
        ]
    )
    h_rect = to_out @ calibration.homography @ to_full_m
    h_rect /= h_rect[2, 2]
    out = cv2.warpPerspective(
        image_rgb, h_rect, (int(size[0]), int(size[1])), flags=cv2.INTER_LINEAR
    )
    return out, h_rect
