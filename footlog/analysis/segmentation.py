"""Foot segmentation for the dorsal view, using the sheet of paper as the known background.

The protocol puts the foot on a sheet of white (or pale) paper. Skin-colour thresholds
alone fail on wooden floors and on dark skin, but the paper is easy: it is the largest
bright, low-chroma region. Its colour is then measured, and inside the paper's outline
everything that is clearly *not paper-coloured* is foot (or leg). Shadows on the paper
keep the paper's chroma and only lose lightness, so the test is mostly on chroma (Lab a/b),
which keeps the grey shadow halo around the toes out of the foot.

All sizes are in pixels of the working image passed in; no absolute pixel constants are
used except tiny morphology kernels scaled with the image size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from footlog.analysis.foot_model import find_foot
from footlog.analysis.multi_otsu import three_class_thresholds

# -- the pale sheet (a page whose edges were not found) --
# Paper is bright and grey: its score is L - CHROMA_WEIGHT * chroma (Lab units), so a lit
# but coloured floor scores below a shadowed sheet.
CHROMA_WEIGHT = 3.0
MIN_SHEET_SHARE = 0.04  # the largest lit piece covers at least this share of the picture
PIECE_SHARE = 0.10  # lit pieces this large (share of the largest) may belong to the sheet
PIECE_REACH = 0.03  # ... when they come within this share of the picture's long side
MIN_QUAD_FILL = 0.6  # a sheet's hull fills this share of its bounding rectangle at least
# Growing the sheet through its shadows: within these Lab units of its a / b, at least this
# share of its lightness; the smoothness box's half-side as a share of the picture's side.
SHADOW_A, SHADOW_B, SHADOW_LIGHT = 3.0, 4.0, 0.5
SMOOTH_BOX = 0.008
GROWN_GAIN = 1.01  # a growth that adds under 1 % of the sheet is no growth

# -- the working picture --
BLUR_SHARE, MIN_BLUR_PX = 0.0015, 0.8  # Gaussian sigma: share of the long side, floor (px)
EDGE_MARGIN = 0.008  # share of the long side along the frame and the page's border
SMALL_PAGE = 0.01  # a page showing less than this share of the picture is not used
FRAME_TOLERANCE = 0.01  # a polygon's side within this share of the long side is on the frame
FOOT_FAR_INSIDE = 0.9  # share of the foot's far half a pale region must hold to be its page

# -- skin on the paper (Lab units, L 0..255) --
PAPER_PERCENTILE = 90  # the paper's lightness: this percentile of L inside the page
BRIGHT_PAPER = 0.85  # pixels above this share of it are surely paper (their a, b: the paper's)
YELLOW_WEIGHT = 0.5  # skin's shift from the paper: a, plus this share of b
DARKER_THAN_SHADOW = 0.45  # pixels darker than this share of the paper's L are not paper
SPLIT_RANGE = (4.0, 18.0)  # the paper-vs-skin split's clamp (see _skin_on_paper)
OPEN_KERNEL = 0.006  # morphological clean-up kernel, share of the long side (odd, >= 3 px)

# Local SD of L (0..255) below which a surface is as smooth as paper (lit or shadowed paper
# 0.8-2, skin ~3, carpet and concrete 5-40).
SMOOTH = 4.0
# A foot on a sheet of paper covers 0.2-0.55 of the sheet's hull in the test photos (0.11-0.18
# on the hard ones); below this the bright region was not a sheet with a foot on it.
MIN_FOOT_ON_SHEET = 0.07
# Fraction of the chroma's skin that the lightness-and-chroma split may drop: its shaded
# rim is <= 0.08 on the test photos and synthetic feet; the lit side of a dark foot is 0.3.
LOST_SKIN = 0.15
# Most of a pale region's outline along the frame: a floor, not a page. A page may run out
# of the frame on two sides (both long sides of A4: 59 % of its outline); three sides on
# the frame leave at least 71 %.
PAGE_ON_FRAME = 0.65
NO_SHEET = "no sheet of paper under the foot"
PAPER_BY_REGION = ("the page's edges were not found: the paper was taken as the largest pale "
                   "region, so the outline is less sure")


@dataclass
class Segmentation:
    """Result of segmenting one working image.

    mask: uint8 0/1 of the foot (and the leg parts that lie on the paper).
    valid_edge: uint8 0/1 of pixels where the mask boundary is a real skin edge (not the
        paper border or the frame, where the foot just leaves the area we can see).
    paper_hull: convex polygon (N, 2) int32 of the paper, or None.
    """

    mask: np.ndarray
    valid_edge: np.ndarray
    paper_hull: np.ndarray | None
    paper_lab: tuple[float, float, float] | None = None
    warnings: list[str] = field(default_factory=list)
    # True when the paper is the largest pale region, its edges not found as a page's.
    paper_by_region: bool = False


def _lab(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    lab8 = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    lab = lab8.astype(np.float32)
    # OpenCV 8-bit Lab: L in 0..255, a/b offset by 128 (roughly CIE units).
    return lab[..., 0], lab[..., 1] - 128.0, lab[..., 2] - 128.0, lab8


def pale_sheet_hull(light: np.ndarray, a: np.ndarray, b: np.ndarray,
                    lab8: np.ndarray) -> np.ndarray | None:
    """Largest bright low-chroma component, as a convex hull polygon, or None.

    "Bright" is the top class of a 3-class Otsu on L - 3*chroma, so the rule adapts to the
    exposure and to the floor (carpet, wood, concrete all fall into the lower classes).
    """
    score = np.clip(light - CHROMA_WEIGHT * cv2.magnitude(a, b), 0, 255).astype(np.uint8)
    h, w = score.shape
    try:
        thr = three_class_thresholds(score[::2, ::2])[-1]
    except ValueError:
        return None
    seed = (score > thr).astype(np.uint8)
    n, labels, areas = _regions(seed)
    if n < 2:
        return None
    areas = areas[1:]  # regions 1..n-1 (0 is the background)
    i = 1 + int(np.argmax(areas))
    if areas[i - 1] < MIN_SHEET_SHARE * h * w:
        return None
    # The leg or its shadow can cut the sheet in two: the sheet is the largest lit piece
    # grown through the smooth, paper-coloured shadows that join it to the other lit pieces
    # (a bright shoe or floor patch is not joined), if the whole still looks like a
    # quadrilateral.
    comp = (labels == i).astype(np.uint8)
    sheet = _grow_shadowed(comp, light, lab8)
    sheet = comp if sheet is None else sheet
    # Large lit pieces (>= 1/10 of the largest) that come within 3 % of the image side of
    # it (across a shadow too dark to grow through) belong to it as well.
    others = 1 + np.flatnonzero(areas >= PIECE_SHARE * areas.max())
    others = others[others != i]
    whole = sheet
    if len(others):
        m = max(1, round(PIECE_REACH * max(h, w)))
        reach = cv2.dilate(sheet, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * m + 1,) * 2))
        big = np.zeros(n, np.uint8)
        big[others] = 1
        touched = np.unique(labels[(reach > 0) & (big[labels] > 0)])
        if len(touched):
            join = np.zeros(n, np.uint8)
            join[touched] = 1
            whole = cv2.bitwise_or(sheet, join[labels])
    for cand in ((whole, sheet) if whole is not sheet else (sheet,)):
        hull = _quad_hull(cand)
        if hull is not None:
            return hull
    return _quad_hull(comp)


def pale_region(rgb: np.ndarray) -> np.ndarray | None:
    """The largest bright, low-chroma region of an RGB working picture (`pale_sheet_hull`),
    as a convex polygon in OpenCV px of `rgb`, or None: where a page probably lies."""
    h, w = rgb.shape[:2]
    smooth = cv2.GaussianBlur(rgb, (0, 0), max(MIN_BLUR_PX, BLUR_SHARE * max(h, w)))
    light, a, b, lab8 = _lab(smooth)
    hull = pale_sheet_hull(light, a, b, lab8)
    return None if hull is None else hull.astype(float)


def _grow_shadowed(pieces: np.ndarray, light: np.ndarray, lab8: np.ndarray) -> np.ndarray | None:
    """The lit sheet grown through its shadows: connected pixels with the sheet's chroma
    (within 3 / 4 units of a / b), at least half its lightness and smooth (local SD of L
    below SMOOTH in a box of 1.7 % of the image side). Carpet and concrete are textured,
    wood is coloured. None when nothing is added."""
    lp, ap, bp = (_hist_percentile(cv2.calcHist([lab8], [c], pieces, [256], [0, 256]), 50)
                  for c in range(3))
    r = max(2, round(SMOOTH_BOX * max(light.shape)))
    k = (2 * r + 1,) * 2
    l8 = cv2.extractChannel(lab8, 0)
    mean = cv2.boxFilter(l8, cv2.CV_32F, k)
    var = cv2.sqrBoxFilter(l8, cv2.CV_32F, k) - mean * mean
    # |a - ap| < 3, |b - bp| < 4, L > lp / 2 on the integer 8-bit Lab (one fast pass).
    lo = (math.floor(SHADOW_LIGHT * lp) + 1, math.floor(ap - SHADOW_A) + 1,
          math.floor(bp - SHADOW_B) + 1)
    hi = (255, math.ceil(ap + SHADOW_A) - 1, math.ceil(bp + SHADOW_B) - 1)
    near = cv2.bitwise_and(cv2.inRange(lab8, lo, hi),
                           # OpenCV takes a number for src2; its stubs want an array.
                           cv2.compare(var, SMOOTH * SMOOTH, cv2.CMP_LT))  # type: ignore[call-overload]
    cand = cv2.bitwise_or(near, pieces)
    n_on = cv2.countNonZero(pieces)
    if cv2.countNonZero(cand) < GROWN_GAIN * n_on:
        return None
    _, labels = cv2.connectedComponents(cand, connectivity=8)
    ys, xs = np.nonzero(pieces[::4, ::4])
    out = (labels == labels[4 * ys[0], 4 * xs[0]]).astype(np.uint8)
    return out if cv2.countNonZero(out) > GROWN_GAIN * n_on else None


def _quad_hull(comp: np.ndarray) -> np.ndarray | None:
    """Convex hull of the pieces if it is quadrilateral-like, else None."""
    contours, _ = cv2.findContours(comp, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(np.vstack(contours))
    (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
    # A sheet of paper is a (perspective-distorted) quadrilateral: its hull fills most of
    # its bounding rectangle. A random bright region (tiles, a window) usually does not.
    if cv2.contourArea(hull) < MIN_QUAD_FILL * rw * rh:
        return None
    return hull.reshape(-1, 2).astype(np.int32)


def segment_foot(rgb: np.ndarray, page: np.ndarray | None = None,
                 region_fallback: bool = True, pale: np.ndarray | str | None = "search"
                 ) -> Segmentation:
    """Segment the foot in an RGB uint8 working image (~500-800 px).

    `page`: the page found under the foot (4 x 2 corners in OpenCV px of `rgb`; corners
    hidden or beyond the frame placed by extending its sides), or None when no page was
    found. Inside the page, the foot is what is not paper-coloured.
    `pale`: the largest pale region (`pale_region` of the same `rgb`) when already found,
    else "search" to find it here if it is needed (no page).
    """
    h, w = rgb.shape[:2]
    smooth = cv2.GaussianBlur(rgb, (0, 0), max(MIN_BLUR_PX, BLUR_SHARE * max(h, w)))
    light, a, b, lab8 = _lab(smooth)
    hull = None if page is None else page_polygon(page, (w, h))
    margin = max(2, round(EDGE_MARGIN * max(h, w)))
    without = None
    if hull is None:
        # No page found: the foot model; if it finds no foot, the paper as the largest
        # bright low-chroma region (a page whose edges were not found).
        without = _no_page(rgb, margin)
        if not region_fallback:
            hull = None
        elif isinstance(pale, str):
            hull = pale_sheet_hull(light, a, b, lab8)
        else:
            hull = None if pale is None else np.round(pale).astype(np.int32)
        if hull is None or (without.mask.any() and not _holds(hull, without.mask)):
            return without
    hull_mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(hull_mask, hull, 1)
    on_paper = _on_paper(light, a, b, lab8, hull_mask)
    if isinstance(on_paper, str) or on_paper[0].sum() < MIN_FOOT_ON_SHEET * hull_mask.sum():
        # No foot on the page, or far less than any foot on a page covers: the foot stands
        # beside the page, or the "page" was not one.
        return without or _no_page(rgb, margin)
    mask, paper_lab = on_paper
    # Edge validity: the hull border (shrunk by a margin) and the frame are not skin edges.
    inner = cv2.erode(hull_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * margin + 1,) * 2))
    inner[:margin, :] = 0
    inner[-margin:, :] = 0
    inner[:, :margin] = 0
    inner[:, -margin:] = 0
    if without is not None:  # the paper found as a region, not as a page
        return Segmentation(mask, inner, hull, paper_lab, [PAPER_BY_REGION], True)
    return Segmentation(mask, inner, hull, paper_lab, [])


def _holds(hull: np.ndarray, mask: np.ndarray) -> bool:
    """Whether the pale region `hull` is a page under the foot `mask`: it holds the foot's
    far end (the half of the mask farthest from the frame's edge) and is seen against the
    floor along most of its outline (a pale floor runs into the frame's edge all round; a
    page, even one filling the picture, shows floor on at least two of its sides)."""
    h, w = mask.shape
    if _outline_on_frame(hull, (w, h)) > PAGE_ON_FRAME:
        return False
    inside = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(inside, hull, 1)
    ys, xs = np.nonzero(mask)
    depth = np.minimum(np.minimum(ys, xs), np.minimum(h - 1 - ys, w - 1 - xs))
    far = depth >= np.median(depth)
    return bool(inside[ys[far], xs[far]].mean() > FOOT_FAR_INSIDE)


def _outline_on_frame(polygon: np.ndarray, size: tuple[int, int]) -> float:
    """Fraction of a polygon's outline (length) that runs along the frame's edge (within
    1 % of the picture's side), `size` = (w, h)."""
    w, h = size
    pts = np.asarray(polygon, float).reshape(-1, 2)
    ends = np.roll(pts, -1, axis=0)
    # Each side sampled at 16 points: on the frame when within the margin of an edge.
    t = np.linspace(0.0, 1.0, 16)[None, :, None]
    samples = pts[:, None, :] * (1 - t) + ends[:, None, :] * t
    tol = FRAME_TOLERANCE * max(w, h)
    x, y = samples[..., 0], samples[..., 1]
    on = (x <= tol) | (x >= w - 1 - tol) | (y <= tol) | (y >= h - 1 - tol)
    lengths = np.linalg.norm(ends - pts, axis=1)
    total = lengths.sum()
    return float((on.mean(axis=1) * lengths).sum() / total) if total > 0 else 1.0


def page_polygon(page: np.ndarray, size: tuple[int, int]) -> np.ndarray | None:
    """The part of the page quadrilateral inside the picture (`size` = (w, h)), as a
    convex polygon (N x 2 int32), or None when too little of it shows."""
    w, h = size
    frame = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    quad = cv2.convexHull(np.asarray(page, np.float32).reshape(-1, 1, 2)).reshape(-1, 2)
    area, poly = cv2.intersectConvexConvex(quad, frame)
    if poly is None or area < SMALL_PAGE * w * h:
        return None
    return np.round(poly.reshape(-1, 2)).astype(np.int32)


def _on_paper(light: np.ndarray, a: np.ndarray, b: np.ndarray, lab8: np.ndarray,
              hull_mask: np.ndarray) -> tuple[np.ndarray, tuple[float, float, float]] | str:
    """The foot on the paper (`hull_mask` 0/1): the largest region that is not paper-
    coloured, holes filled, and the paper's Lab (L 0..255, a and b centred); or the reason
    there is none."""
    found = _skin_on_paper(light, a, b, lab8, hull_mask)
    if isinstance(found, str):
        return found
    labels, areas, paper_lab = found
    i = 1 + int(np.argmax(areas[1:]))
    return _fill_holes((labels == i).astype(np.uint8)), paper_lab


def regions_on_page(rgb: np.ndarray, page: np.ndarray) -> list[np.ndarray]:
    """Every region that is not paper-coloured on a page (a polygon in OpenCV px of the
    RGB working picture `rgb`), largest first, as uint8 0/1 masks with holes filled: the
    feet standing on it (and anything else lying there)."""
    h, w = rgb.shape[:2]
    smooth = cv2.GaussianBlur(rgb, (0, 0), max(MIN_BLUR_PX, BLUR_SHARE * max(h, w)))
    light, a, b, lab8 = _lab(smooth)
    hull_mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(hull_mask, np.round(page).astype(np.int32), 1)
    found = _skin_on_paper(light, a, b, lab8, hull_mask)
    if isinstance(found, str):
        return []
    labels, areas, _ = found
    return [_fill_holes((labels == i).astype(np.uint8)) for i in 1 + np.argsort(-areas[1:])]


def _skin_on_paper(light: np.ndarray, a: np.ndarray, b: np.ndarray, lab8: np.ndarray,
                   hull_mask: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, tuple[float, float, float]] | str:
    """The regions on the paper (`hull_mask` 0/1) that are not paper-coloured: their
    labels and areas (`_regions`) and the paper's Lab; or the reason there is none."""
    h, w = light.shape
    # Paper colour from the confidently-paper pixels (bright part of the hull).
    inside = hull_mask.astype(bool)
    lp = _hist_percentile(cv2.calcHist([lab8], [0], hull_mask, [256], [0, 256]),
                          PAPER_PERCENTILE)
    bright = (lab8[..., 0] > BRIGHT_PAPER * lp).view(np.uint8) & hull_mask
    if not bright.any():
        return "no paper-coloured surface on the page"
    ap = _hist_percentile(cv2.calcHist([lab8], [1], bright, [256], [0, 256]), 50) - 128.0
    bp = _hist_percentile(cv2.calcHist([lab8], [2], bright, [256], [0, 256]), 50) - 128.0

    # Skin is redder and yellower than the paper whatever the skin tone; shadowed paper
    # only darkens (and turns slightly blue in daylight). Score = chroma shift toward skin
    # hue, plus a term for pixels much darker than any plausible paper shadow.
    redness = (a - ap) + YELLOW_WEIGHT * (b - bp)
    darkness = np.clip(DARKER_THAN_SHADOW * lp - light, 0, None)
    score = redness + darkness
    # Clamp: a paper-vs-skin split below 4 units is noise, above 18 would drop pale skin.
    t = float(np.clip(_otsu_1d(score[inside]), *SPLIT_RANGE))
    # Dark skin (or a dark leg) makes its own mode in the score, and Otsu can then split
    # dark from lit skin. When the split drops more than LOST_SKIN of what the chroma alone
    # calls skin, split on the chroma alone.
    tc = float(np.clip(_otsu_1d(redness[::2, ::2][inside[::2, ::2]]), *SPLIT_RANGE))
    if tc < t:
        skin_c = inside & (redness > tc)
        if np.count_nonzero(score[skin_c] <= t) > LOST_SKIN * np.count_nonzero(skin_c):
            t = tc
    fg = ((score > t) & inside).astype(np.uint8)

    k = max(3, round(OPEN_KERNEL * max(h, w)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, kernel)
    fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, kernel)
    n, labels, areas = _regions(fg)
    if n < 2:
        return "no foot found on the paper"
    return labels, areas, (lp, ap, bp)


def _no_page(rgb: np.ndarray, margin: int) -> Segmentation:
    """Segmentation without a page (`foot_model`); only the frame is not a skin edge."""
    h, w = rgb.shape[:2]
    found = find_foot(rgb)
    if found.mask is None:
        empty = np.zeros((h, w), np.uint8)
        return Segmentation(empty, empty, None, None, [NO_SHEET, found.reason])
    valid = np.zeros((h, w), np.uint8)
    valid[margin:-margin, margin:-margin] = 1
    return Segmentation(_fill_holes(found.mask), valid, None, None,
                        [NO_SHEET + ": the foot was told from the floor by its colour",
                         *found.warnings])


def _hist_percentile(hist: np.ndarray, q: float) -> float:
    """np.percentile (linear) of the integer values 0..255 counted in `hist`, without
    gathering the pixels."""
    c = np.cumsum(hist.ravel())
    pos = q / 100.0 * (c[-1] - 1)
    lo = int(np.floor(pos))
    x0, x1 = np.searchsorted(c, [lo, min(lo + 1, c[-1] - 1)], side="right")
    return float(x0 + (pos - lo) * (x1 - x0))


def _otsu_1d(values: np.ndarray) -> float:
    """Otsu threshold of a float sample (via a 256-bin histogram)."""
    lo, hi = np.percentile(values, [0.5, 99.5])
    if hi <= lo:
        return float(lo)
    q = np.clip((values - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8)
    t, _ = cv2.threshold(q.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(lo + t / 255.0 * (hi - lo))


def _regions(binary: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """8-connected regions of a 0/1 image: count (background included), labels, and
    the area (px) of each label. OpenCV's statistics cost ~4x the labelling itself."""
    n, labels = cv2.connectedComponents(binary, connectivity=8)
    return n, labels, np.bincount(labels.ravel(), minlength=n)


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    out = np.zeros_like(mask)
    cv2.drawContours(out, contours, -1, 1, thickness=cv2.FILLED)
    return out
