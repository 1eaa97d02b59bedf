"""Find a plain sheet of paper (A4 or US Letter) lying on the floor, partly under a foot.

Works on a small RGB picture and returns the page's four corners in that picture's OpenCV
pixel coordinates (pixel centres at integers); the caller converts to full resolution.  The
page is a bright, smooth region; the foot and leg may cover any part of it, whole corners
included, so the corners come from intersecting the *visible straight edges* (sides of the
region's convex hull, each refined to the real brightness step and fitted with a line), not
from the region's extreme points.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import cv2
import numpy as np

from footlog.domain.calibration import (
    A4,
    LETTER,
    RectSize,
    focal_from_rectangle,
    line_through,
    order_quad,
    principal_direction,
    quad_corners,
    rectangle_aspect,
)

# A phone's main camera is ~26 mm equivalent: focal ~ 0.6 x the image diagonal (px).  Used
# when the page itself does not tell the focal length (camera nearly straight above).
PRIOR_FOCAL_PER_DIAGONAL = 0.6
# Relative aspect-ratio error tolerated when naming the paper: A4 (1.414) and Letter (1.294)
# are 9 % apart, so 4.5 % is the midpoint.
ASPECT_TOLERANCE = 0.045
# A hull quad is refined only if its shape is within 3 x ASPECT_TOLERANCE of a paper's.
ROUGH_TOLERANCE = 3 * ASPECT_TOLERANCE
PAPERS: tuple[RectSize, ...] = (A4, LETTER)
# Focal lengths of phones' main cameras, x the image diagonal (~22-30 mm equivalent).  Used
# to name a page cut by the frame or the leg, whose own perspective does not tell the focal.
PHONE_FOCAL_RANGE = (0.5, 0.7)
# A cut page: a hull side within this many px of the photo's border is the frame, not an edge.
_BORDER_PX = 2.0
WORK_SIDE = 640  # px, long side of the picture the page is searched in


@dataclass
class QuadFit:
    """A page-like quadrilateral found in the picture (OpenCV px of the input picture)."""

    quad: np.ndarray  # 4 x 2, TL, TR, BR, BL (on screen)
    edge_points: list[np.ndarray]  # per side (TL-TR, TR-BR, BR-BL, BL-TL), edge points
    support: float  # fraction of the quad's perimeter seen as a straight edge
    fill: float  # region area / quad area
    hidden_corners: int  # corners with no page pixel near them (extrapolated)
    aspect: float  # estimated real long/short side ratio
    paper: RectSize  # A4 or Letter
    contrast: float  # median brightness step across the seen edges (grey levels)
    score: float
    cut: bool = False  # part of the page beyond the photo's edge (found by the second pass)
    size_told: bool = True  # False: the shape fits A4 and Letter alike; A4 was assumed


def find_paper(
    rgb: np.ndarray, seen: np.ndarray | None = None, small: np.ndarray | None = None
) -> QuadFit | None:
    """The best page-like quad in `rgb` (any size; searched at WORK_SIDE px), or None.

    `seen`: a polygon (N x 2, OpenCV px of `rgb`) where the page was already found (by the
    foot segmentation): only that region's edges are fitted, which skips the search.
    `small`: `rgb` already shrunk to WORK_SIDE px by INTER_AREA (the dorsal detector's
    working image): used when it is exactly the picture this function would make, which
    spares a resize (~4 ms at 1000 px).
    """
    h0, w0 = rgb.shape[:2]
    f = min(1.0, WORK_SIDE / max(h0, w0))
    if small is None or not _is_reduction(small, (h0, w0), f):
        small = (
            rgb if f == 1.0 else cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        )
    # max(R, G, B): white and bluish-shaded paper are both bright.
    grey = cv2.max(cv2.max(small[..., 0], small[..., 1]), small[..., 2])
    grey = cv2.GaussianBlur(grey, (3, 3), 0)
    h, w = grey.shape
    gf = grey.astype(np.float32)
    # Skin is bright and smooth too, but reddish (Lab a* > ~12): never part of the page.
    a_star = cv2.cvtColor(small, cv2.COLOR_RGB2LAB)[..., 1]
    skin = (a_star >= 128 + 12).astype(np.uint8)
    skinf = skin.astype(np.float32)
    best: QuadFit | None = None
    if seen is not None:
        region = np.zeros((h, w), np.uint8)
        poly = np.round((np.asarray(seen, float) + 0.5) * f - 0.5).astype(np.int32)
        cv2.fillPoly(region, [poly], 1)
        region &= 1 - skin
        area = float(region.sum())
        if area >= 0.03 * h * w:
            best = _fit_region(region, (0, 0), area, gf, skinf)
    if best is None:
        best = _search(grey, gf, skin, skinf)
    if best is not None and f != 1.0:
        # Back to the input picture's OpenCV px (pixel centres at integers).
        best.quad = (best.quad + 0.5) / f - 0.5
        best.edge_points = [(p + 0.5) / f - 0.5 for p in best.edge_points]
    return best


def _search(
    grey: np.ndarray, gf: np.ndarray, skin: np.ndarray, skinf: np.ndarray
) -> QuadFit | None:
    """The best page among the largest bright, smooth, skin-free regions, at two brightness
    levels: Otsu's, and a higher one for a light floor."""
    h, w = grey.shape
    otsu, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    levels = sorted({int(otsu), int(_percentile_u8(grey, 80))})
    # Smooth = low local standard deviation: paper, not carpet fibres or wood grain.  The
    # smooth core stops ~3 px short of the page's edge; `_edges_along` finds the edge itself.
    mean = cv2.blur(gf, (5, 5))
    smooth = (cv2.blur(gf * gf, (5, 5)) - mean * mean < 5.0**2).astype(np.uint8)
    smooth &= 1 - skin
    opener = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    closer = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7))
    best: QuadFit | None = None
    outlines = []
    for level in levels:
        core = (grey > level).astype(np.uint8) & smooth
        core = cv2.morphologyEx(core, cv2.MORPH_OPEN, opener)
        # Closing bridges the thin dark lines of folds across the page.
        core = cv2.morphologyEx(core, cv2.MORPH_CLOSE, closer)
        for area, (x, y), region in _largest_regions(core, 3, 0.03 * h * w):
            outline = _outline(region, (x, y), (h, w))
            if outline is None:
                continue
            outlines.append((outline, area))
            fit = _fit_outline(*outline, area, gf, skinf)
            if fit is not None and (best is None or fit.score > best.score):
                best = fit
    if best is None:
        # Second pass, only when no page is in full view: a page cut by the photo's edge
        # (a side view, camera near the floor, leaves part of it out of the frame) and by
        # the leg. Four straight edges fix a rectangle's homography whether or not their
        # corners are seen, so the corners may lie beyond the frame if all four sides are
        # seen along most of their visible length.
        for outline, area in outlines:
            fit = _fit_outline(*outline, area, gf, skinf, cut=True)
            if fit is not None and (best is None or fit.score > best.score):
                best = fit
    return best


def _percentile_u8(grey: np.ndarray, q: float) -> float:
    """`np.percentile(grey, q)` (linear interpolation) of a uint8 picture, from its
    histogram instead of a partition of every pixel (~0.3 ms instead of ~2-4 ms at 640 px).

    The two order statistics around numpy's virtual index (n - 1) * q / 100 are read off
    the cumulative histogram, and numpy itself interpolates between them with the same
    weight, so the value is numpy's to the bit.
    """
    n = grey.size
    cum = np.cumsum(cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel())  # exact < 2^24
    v = (n - 1) * (q / 100)
    lo = math.floor(v)
    hi = min(lo + 1, n - 1)
    below = int(np.searchsorted(cum, lo, side="right"))  # value of the lo-th smallest pixel
    above = int(np.searchsorted(cum, hi, side="right"))
    return float(np.quantile(np.array([below, above], np.uint8), v - lo))


def _largest_regions(
    mask: np.ndarray, count: int, min_area: float
) -> list[tuple[float, tuple[int, int], np.ndarray]]:
    """The `count` largest 4-connected regions of `mask` (uint8 0/1) of at least `min_area`
    px, largest first: (area in px, (x, y) of the bounding box, the region's 0/1 mask
    cropped to it). OpenCV's labelling without its statistics (which cost ~4 x the
    labelling), areas by counting, boxes only for the few regions kept."""
    _, labels = cv2.connectedComponents(mask, connectivity=4)
    areas = np.bincount(labels.ravel())
    out = []
    for i in np.argsort(-areas[1:])[:count] + 1:
        area = float(areas[i])
        if area < min_area:
            break
        inside = labels == i
        ys = np.flatnonzero(inside.any(axis=1))
        xs = np.flatnonzero(inside.any(axis=0))
        y0, y1, x0, x1 = int(ys[0]), int(ys[-1]) + 1, int(xs[0]), int(xs[-1]) + 1
        out.append((area, (x0, y0), inside[y0:y1, x0:x1].astype(np.uint8)))
    return out


def _is_reduction(small: np.ndarray, size: tuple[int, int], f: float) -> bool:
    """Whether `small` has exactly the size `cv2.resize(fx=f, fy=f)` gives a picture of
    `size` (h, w) and f maps it exactly (h * f and w * f whole numbers): OpenCV's INTER_AREA
    then gives the same pixels whether it is told the factor or the size."""
    h0, w0 = size
    hf, wf = h0 * f, w0 * f
    exact = abs(hf - round(hf)) < 1e-9 and abs(wf - round(wf)) < 1e-9
    return exact and small.shape[:2] == (round(hf), round(wf)) and small.dtype == np.uint8


def _fit_region(
    region: np.ndarray, offset: tuple[int, int], area: float, grey: np.ndarray, skin: np.ndarray
) -> QuadFit | None:
    """The best page-like quad on the outline of `region` (0/1, cropped; `offset` its
    top-left in `grey`, `area` its pixel count), or None."""
    outline = _outline(region, offset, grey.shape)
    return None if outline is None else _fit_outline(*outline, area, grey, skin)


def _outline(
    region: np.ndarray, offset: tuple[int, int], shape: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray] | None:
    """The region's outer contour (N x 2, px of the picture of `shape` (h, w)) and its hull
    simplified to at most 8 vertices, or None when the region is not page-like."""
    h, w = shape
    contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    contour = max(contours, key=len).reshape(-1, 2).astype(np.float64) + offset
    # A region running along the photo's border is the floor, not a page in full view.
    x, y = contour[:, 0], contour[:, 1]
    if ((x <= 1) | (y <= 1) | (x >= w - 2) | (y >= h - 2)).mean() > 0.2:
        return None
    hull = cv2.convexHull(contour.astype(np.float32))
    eps = 0.01 * cv2.arcLength(hull, True)
    poly = cv2.approxPolyDP(hull, eps, True).reshape(-1, 2).astype(np.float64)
    while len(poly) > 8:
        eps *= 1.4
        poly = cv2.approxPolyDP(hull, eps, True).reshape(-1, 2).astype(np.float64)
    if len(poly) < 4:
        return None
    return contour, poly


def _fit_outline(
    contour: np.ndarray,
    poly: np.ndarray,
    area: float,
    grey: np.ndarray,
    skin: np.ndarray,
    cut: bool = False,
) -> QuadFit | None:
    """The best page-like quad whose sides are 4 of the hull's (`poly`). `cut`: the second
    pass, for a page cut by the frame: hull sides along the photo's border are the frame,
    not page edges, and are left out."""
    h, w = grey.shape
    # Rank every choice of 4 hull sides by how much of the quad they cover, then refine the
    # few best (refining is the expensive part).
    k = len(poly)
    side_len = [float(np.linalg.norm(poly[i] - poly[(i + 1) % k])) for i in range(k)]
    usable = range(k)
    if cut:
        usable = [i for i in range(k) if not _on_border(poly[i], poly[(i + 1) % k], w, h)]
        if len(usable) < 4 or len(usable) == k:
            return None  # nothing cut by the frame: the first pass has judged it
    ranked = []
    for sides in itertools.combinations(usable, 4):
        quad = quad_corners([line_through(poly[i], poly[(i + 1) % k]) for i in sides])
        if quad is None or not _plausible(quad, w, h):
            continue
        q32 = quad.astype(np.float32)
        quad_area = cv2.contourArea(q32)
        fill = area / quad_area if quad_area > 0 else 0.0
        if not 0.4 <= fill <= 1.1:
            continue
        seen = sum(side_len[i] for i in sides)
        ranked.append((seen / cv2.arcLength(q32, True) + 0.3 * fill, fill, quad))
    ranked.sort(key=lambda r: -r[0])
    best: QuadFit | None = None
    for _, fill, quad in ranked[:3]:
        fit = _refine(order_quad(quad), contour, fill, grey, skin, cut)
        if fit is not None and (best is None or fit.score > best.score):
            best = fit
    return best


def _on_border(p: np.ndarray, q: np.ndarray, w: int, h: int) -> bool:
    """Whether the segment p-q runs along one of the photo's borders (within _BORDER_PX)."""
    for axis, size in ((0, w), (1, h)):
        far = size - 1 - _BORDER_PX
        if max(p[axis], q[axis]) <= _BORDER_PX or min(p[axis], q[axis]) >= far:
            return True
    return False


def _plausible(quad: np.ndarray, w: int, h: int) -> bool:
    margin = 0.2 * max(w, h)  # hidden corners may lie a little outside the photo
    inside = (quad > -margin).all() and (quad[:, 0] < w + margin).all()
    return bool(inside and (quad[:, 1] < h + margin).all()) and cv2.isContourConvex(
        quad.astype(np.float32)
    )


def _inside(quad: np.ndarray, w: int, h: int, margin: float) -> bool:
    m = margin * max(w, h)
    return bool((quad > -m).all() and (quad[:, 0] < w + m).all() and (quad[:, 1] < h + m).all())


def _refine(
    quad: np.ndarray,
    contour: np.ndarray,
    fill: float,
    grey: np.ndarray,
    skin: np.ndarray,
    cut: bool = False,
) -> QuadFit | None:
    """Find each side's real edge near the hull side, fit lines, check that it is a page.

    `cut` (second pass): the page runs out of the frame, so its support is counted over the
    part of its outline inside the photo, and its corners may lie beyond the photo's edge."""
    h, w = grey.shape
    # Refining moves each side by a few px only: a rough quad whose shape is far from any
    # paper's (ROUGH_TOLERANCE) is not refined at all, which spares most candidates (on
    # the test photos and scenes every accepted page started within 6.3 % of its paper's
    # aspect; ~70 % of the rejected candidates start beyond 15 %).
    rough, _ = _name_paper(quad, (w, h))
    if min(abs(rough / p.aspect - 1) for p in PAPERS) > ROUGH_TOLERANCE:
        return None
    lines, edge_points, steps = [], [], []
    seen = 0.0
    centre = quad.mean(axis=0)
    sides = _edges_along(grey, skin, quad, centre)
    for j in range(4):
        p, q = quad[j], quad[(j + 1) % 4]
        pts, step, covered = sides[j]
        if len(pts) < 6:
            return None
        lines.append(_fit_line(pts))
        edge_points.append(pts)
        seen += covered * float(np.linalg.norm(q - p))
        steps.append(step)
    refined = quad_corners(lines)
    if refined is None or not _plausible(refined, w, h):
        return None
    perimeter = cv2.arcLength(refined.astype(np.float32), True)
    if cut:
        # What lies beyond the frame cannot be seen: count only the outline inside it.
        perimeter = _length_in_frame(refined, w, h)
        if perimeter <= 0:
            return None
    support = seen / perimeter
    contrast = float(np.median(np.concatenate(steps)))
    # Half the outline seen as straight edges, with a real step from page to floor.
    if support < 0.5 or contrast < 25:
        return None
    near = max(6.0, 0.02 * max(w, h))
    hidden = sum(int(np.min(np.linalg.norm(contour - c, axis=1)) > near) for c in refined)
    # The instructions ask for the whole sheet in view: a corner beyond the photo's edge
    # is more often a floor tile's than a page's; two hidden corners need clear edges.
    # A cut page (second pass) may have its corners beyond the frame (within _plausible's
    # margin), but then needs the clear edges in any case.
    if cut:
        if hidden > 2 or support < 0.75:
            return None
    elif hidden > 2 or (hidden == 2 and support < 0.75) or not _inside(refined, w, h, 0.01):
        return None
    aspect, paper = _name_paper(refined, (w, h))
    size_told = True
    if paper is None and cut:
        aspect, paper, size_told = _name_paper_phone(refined, (w, h))
    if paper is None:
        return None
    aspect_err = abs(aspect / paper.aspect - 1)
    score = support + 0.3 * min(fill, 1.0) - 0.1 * hidden - 3.0 * aspect_err
    return QuadFit(
        refined, edge_points, support, fill, hidden, aspect, paper, contrast, score, cut,
        size_told,
    )


def _length_in_frame(quad: np.ndarray, w: int, h: int) -> float:
    """Length (px) of the closed outline `quad` inside the photo [0, w-1] x [0, h-1]
    (Liang-Barsky clipping of each side)."""
    total = 0.0
    for p, q in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        d = q - p
        t0, t1 = 0.0, 1.0
        for num, den in (
            (p[0], -d[0]), (w - 1 - p[0], d[0]), (p[1], -d[1]), (h - 1 - p[1], d[1])
        ):
            if abs(den) < 1e-12:
                if num < 0:
                    t0, t1 = 1.0, 0.0
                continue
            t = num / den
            if den < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
        if t1 > t0:
            total += (t1 - t0) * float(np.linalg.norm(d))
    return total


def _fit_line(pts: np.ndarray) -> np.ndarray:
    """Total-least-squares homogeneous line through points."""
    c, v = principal_direction(pts)
    return line_through(c, c + v)


_SAMPLES = 48
_STEP = 0.5
_OFFSETS = np.arange(-7.0, 10.01, _STEP)  # px along the outward normal (the core is inset)
_FRACTIONS = np.linspace(0.03, 0.97, _SAMPLES)  # sample positions along a side
_ROWS = np.arange(_SAMPLES)


def _edges_along(
    grey: np.ndarray, skin: np.ndarray, quad: np.ndarray, inside: np.ndarray
) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Edge points along the four sides of `quad` (side j runs from corner j to j + 1): at
    each sample, the sub-pixel position of the strongest bright-to-dark step going outward.
    Per side: the inlier points (N x 2, px), their step heights (grey levels) and the
    fraction of the side they cover.

    The four sides are sampled and profiled together (one remap, one pass of array
    operations over 4 x 48 profiles): the page search refines ~5-20 quads per photo and
    the per-call overhead of the array operations was most of its cost. Every profile is
    computed exactly as when each side was done alone; only the robust line is per side.
    """
    n_side = len(quad)
    p = quad
    q = np.roll(quad, -1, axis=0)
    u = (q - p) / (np.linalg.norm(q - p, axis=1, keepdims=True) + 1e-12)
    normal = np.stack([u[:, 1], -u[:, 0]], axis=1)
    flip = np.einsum("ij,ij->i", inside - p, normal) > 0
    normal[flip] = -normal[flip]  # outward
    base = p[:, None, :] + _FRACTIONS[None, :, None] * (q - p)[:, None, :]  # S x 48 x 2
    coords = (
        base[:, :, None, :] + _OFFSETS[None, None, :, None] * normal[:, None, None, :]
    ).astype(np.float32)
    rows = n_side * _SAMPLES
    coords = coords.reshape(rows, len(_OFFSETS), 2)
    prof = cv2.remap(grey, coords[..., 0], coords[..., 1], cv2.INTER_LINEAR)
    deriv = prof[:, 2:] - prof[:, :-2]  # brightness falling outward = negative
    k = deriv.argmin(axis=1)
    last = deriv.shape[1] - 1
    kk = np.minimum(np.maximum(k, 1), last - 1)
    r = np.arange(rows)
    a, b, c = deriv[r, kk - 1], deriv[r, kk], deriv[r, kk + 1]
    denom = a - 2 * b + c
    big = np.abs(denom) > 1e-6
    sub = np.where(big, 0.5 * (a - c) / np.where(big, denom, 1.0), 0.0)
    idx = kk + 1  # profile index of the steepest point
    off = _OFFSETS[0] + _STEP * (idx + np.minimum(np.maximum(sub, -1), 1))
    # Step height: 1-4 px inside minus 1.5-4.5 px outside the edge found.
    cum = np.zeros((rows, prof.shape[1] + 1))
    cum[:, 1:] = np.cumsum(prof, axis=1)  # float32 sums, as before
    n = prof.shape[1]
    i0, i1 = np.maximum(idx - 8, 0), np.maximum(idx - 2, 0)
    o0, o1 = np.minimum(idx + 3, n), np.minimum(idx + 9, n)
    inner = (cum[r, i1] - cum[r, i0]) / np.maximum(i1 - i0, 1)
    outer = (cum[r, o1] - cum[r, o0]) / np.maximum(o1 - o0, 1)
    step = np.where((i1 > i0) & (o1 > o0), inner - outer, 0.0).reshape(n_side, _SAMPLES)
    pts = base + off.reshape(n_side, _SAMPLES)[..., None] * normal[:, None, :]
    # Beyond a page's edge lies the floor; beyond the foot's outline on the page, skin.
    beyond = (pts + 4 * normal[:, None, :]).astype(np.float32).reshape(1, rows, 2)
    on_skin = cv2.remap(skin, beyond[..., 0], beyond[..., 1], cv2.INTER_NEAREST).ravel() > 0.5
    good_all = ((step.ravel() > 15) & (k > 0) & (k < last) & ~on_skin).reshape(n_side, _SAMPLES)
    out = []
    for j in range(n_side):
        good = good_all[j]
        # Robust line: drop samples far from a fit through the others (the foot, a fold or
        # a shadow crossing the side).
        for _ in range(2):
            if np.count_nonzero(good) < 6:
                break
            line = _fit_line(pts[j][good])
            dist = np.abs(pts[j] @ line[:2] + line[2]) / math.hypot(line[0], line[1])
            good &= dist < max(1.0, 2.5 * _median(dist[good]))
        out.append((pts[j][good], step[j][good], float(np.count_nonzero(good)) / _SAMPLES))
    return out


def _median(x: np.ndarray) -> float:
    """`np.median` of a 1-D float array without its overhead (same value)."""
    n = len(x)
    h = n // 2
    if n % 2:
        return float(np.partition(x, h)[h])
    part = np.partition(x, (h - 1, h))
    return float((part[h - 1] + part[h]) / 2)


def _name_paper_phone(
    quad: np.ndarray, size: tuple[int, int]
) -> tuple[float, RectSize | None, bool]:
    """Name a page whose own perspective does not tell the focal length (a page cut by the
    frame, its corners extrapolated): the long/short ratio it would have through a phone's
    main camera (PHONE_FOCAL_RANGE). Seen obliquely, the ratio changes with the focal
    length, so the range may fit both papers; A4 (the ISO size, the most common) is then
    assumed and the third value is False.

    Returns the ratio at the prior focal length, the paper (or None), whether the shape
    told the size."""
    w, h = size
    centre = (w / 2, h / 2)
    diag = math.hypot(w, h)
    ratios = []
    for k in np.linspace(*PHONE_FOCAL_RANGE, 5):
        r = rectangle_aspect(quad, float(k) * diag, centre)
        ratios.append(max(r, 1 / r))
    lo, hi = min(ratios), max(ratios)
    lo, hi = lo * (1 - ASPECT_TOLERANCE), hi * (1 + ASPECT_TOLERANCE)
    fits = [p for p in PAPERS if lo <= p.aspect <= hi]
    r = rectangle_aspect(quad, PRIOR_FOCAL_PER_DIAGONAL * diag, centre)
    aspect = max(r, 1 / r)
    if not fits:
        return aspect, None, True
    return aspect, fits[0], len(fits) == 1  # PAPERS lists A4 first


def _name_paper(quad: np.ndarray, size: tuple[int, int]) -> tuple[float, RectSize | None]:
    """Estimated long/short ratio of the real rectangle, and the paper it matches (or None)."""
    w, h = size
    centre = (w / 2, h / 2)
    focal = focal_from_rectangle(quad, centre)
    diag = math.hypot(w, h)
    # A focal length outside 0.35-1.6 x the diagonal is not a phone camera: the quad's
    # perspective is then noise (curled paper, corner errors), so use the prior instead.
    if focal is None or not 0.35 * diag < focal < 1.6 * diag:
        focal = PRIOR_FOCAL_PER_DIAGONAL * diag
    ratio = rectangle_aspect(quad, focal, centre)
    aspect = max(ratio, 1 / ratio)
    best = min(PAPERS, key=lambda p: abs(aspect / p.aspect - 1))
    if abs(aspect / best.aspect - 1) > ASPECT_TOLERANCE:
        return aspect, None
    return aspect, best
