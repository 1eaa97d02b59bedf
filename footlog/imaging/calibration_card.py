"""Find an ID-1 card (bank card, 85.60 x 53.98 mm) lying flat on the floor.

A small rounded rectangle with the card's aspect ratio, distinct in colour from what
surrounds it.  Returns its corners in the input picture's OpenCV px (pixel centres at
integers), as if the corners were not rounded (the sides' lines intersected).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import cv2
import numpy as np

from footlog.domain.calibration import (
    ID1_CARD,
    line_through,
    meet,
    order_quad,
    principal_direction,
    quad_corners,
    rectangle_aspect,
)

WORK_SIDE = 800  # px, long side of the picture the card is searched in
_PRIOR_FOCAL_PER_DIAGONAL = 0.6  # see calibration_paper.PRIOR_FOCAL_PER_DIAGONAL
_ASPECT_TOLERANCE = 0.10  # a card is small: its corners are known to a few px only


@dataclass
class CardFit:
    quad: np.ndarray  # 4 x 2, TL, TR, BR, BL (on screen), input picture px
    aspect: float  # estimated long/short side ratio
    contrast: float  # colour distance inside vs around (Lab units)
    fit_rms_px: float  # RMS distance of the outline from the fitted sides (work px)
    score: float


def find_card(rgb: np.ndarray) -> CardFit | None:
    """The most card-like quad in `rgb`, or None."""
    h0, w0 = rgb.shape[:2]
    f = min(1.0, WORK_SIDE / max(h0, w0))
    small = rgb if f == 1.0 else cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    h, w = small.shape[:2]
    lab = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_RGB2LAB)
    # Edges in lightness and in colour: a card may differ from the floor by either.
    # One split instead of three strided channel views (OpenCV copies each view).
    light, a_ch, b_ch = cv2.split(lab)
    edges = cv2.Canny(light, 40, 110)
    for ch in (a_ch, b_ch):
        edges = cv2.bitwise_or(edges, cv2.Canny(ch, 20, 60))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    diag = math.hypot(w, h)
    best: CardFit | None = None
    for cnt in contours:
        area = cv2.contourArea(cnt)
        if not 0.002 * w * h < area < 0.12 * w * h:
            continue
        hull = cv2.convexHull(cnt)
        approx = cv2.approxPolyDP(hull, 0.03 * cv2.arcLength(hull, True), True)
        approx = approx.reshape(-1, 2).astype(np.float64)
        if not 4 <= len(approx) <= 7:
            continue
        pts = cnt.reshape(-1, 2).astype(np.float64)
        # A wood-grain line or a shadow touching the card adds sides: try each 4 of them.
        k = len(approx)
        for sides in itertools.combinations(range(k), 4):
            quad = quad_corners([line_through(approx[i], approx[(i + 1) % k]) for i in sides])
            if quad is None or not cv2.isContourConvex(quad.astype(np.float32)):
                continue
            fit = _check(order_quad(quad), pts, lab, diag)
            if fit is not None and (best is None or fit.score > best.score):
                best = fit
    if best is not None and f != 1.0:
        best.quad = (best.quad + 0.5) / f - 0.5
    return best


def _check(quad: np.ndarray, pts: np.ndarray, lab: np.ndarray, diag: float) -> CardFit | None:
    """Refine a candidate quad on the outline and keep it if it looks like a card."""
    h, w = lab.shape[:2]
    area = cv2.contourArea(quad.astype(np.float32))
    if not 0.002 * w * h < area < 0.12 * w * h:
        return None
    # Refining moves the corners by a few px: a rough quad whose shape is far from a card's
    # (three times the tolerance) is not refined at all, which spares most candidates.
    rough = rectangle_aspect(quad, _PRIOR_FOCAL_PER_DIAGONAL * diag, (w / 2, h / 2))
    if abs(max(rough, 1 / rough) / ID1_CARD.aspect - 1) > 3 * _ASPECT_TOLERANCE:
        return None
    refined, rms = _fit_sides(quad, pts)
    if refined is None or rms > 0.02 * math.sqrt(area):
        return None
    if (refined < 2).any() or (refined[:, 0] > w - 3).any() or (refined[:, 1] > h - 3).any():
        return None  # cut by the photo's edge
    ratio = rectangle_aspect(refined, _PRIOR_FOCAL_PER_DIAGONAL * diag, (w / 2, h / 2))
    aspect = max(ratio, 1 / ratio)
    if abs(aspect / ID1_CARD.aspect - 1) > _ASPECT_TOLERANCE:
        return None
    contrast = _contrast(lab, refined)
    if contrast < 20:
        return None
    score = contrast / 50 - abs(aspect / ID1_CARD.aspect - 1) * 5 + math.sqrt(area / (w * h))
    return CardFit(refined, aspect, contrast, rms, score)


_SIDE_BINS = 24  # stations along the middle 70 % of a side where the outermost point is kept
# A card's side is one continuous straight edge: its outline runs along (nearly) every
# station. A hull side bridging a gap in the outline (carpet fibres, the corner of a page)
# leaves most stations empty.
_MIN_STATIONS = 18


def _fit_sides(quad: np.ndarray, pts: np.ndarray) -> tuple[np.ndarray | None, float]:
    """Fit a line to the outline points along the middle 70 % of each side (away from the
    rounded corners) and intersect them; returns the corners and the RMS fit error (px).

    The outline is that of the edge map, which also holds what is printed on the card: a
    logo or a line of text along a side joins the outline a few px inside the card's edge
    (on a card seen obliquely, the whole printed band is squeezed against the edge). The
    card's side is the *outer* boundary of everything inside it, so at each station along
    the side only the outermost outline point is kept; a wood-grain line or a shadow
    touching the card from outside is then dropped as an outlier of the line."""
    centre = quad.mean(axis=0)
    lines, residuals = [], []
    for j in range(4):
        p, q = quad[j], quad[(j + 1) % 4]
        v = q - p
        length = float(np.linalg.norm(v))
        if length < 8:
            return None, math.inf
        u = v / length
        rel = pts - p
        t = rel @ u / length
        d = rel[:, 0] * u[1] - rel[:, 1] * u[0]
        if ((centre - p)[0] * u[1] - (centre - p)[1] * u[0]) > 0:
            d = -d  # d > 0 outward, away from the card's centre
        near = (t > 0.15) & (t < 0.85) & (np.abs(d) < max(3.0, 0.06 * length))
        sel = _outermost(pts[near], t[near], d[near])
        if len(sel) < _MIN_STATIONS:
            return None, math.inf
        c, along = principal_direction(sel)
        n = np.array([-along[1], along[0]])
        residuals.append((sel - c) @ n)
        lines.append(np.array([n[0], n[1], -n @ c]))
    corners = []
    for a, b in zip(lines[-1:] + lines[:-1], lines, strict=True):
        x = meet(a, b)
        if x is None:
            return None, math.inf
        corners.append(x)
    res = np.concatenate(residuals)
    return np.array(corners), float(np.sqrt((res**2).mean()))


def _outermost(pts: np.ndarray, t: np.ndarray, d: np.ndarray) -> np.ndarray:
    """The outermost point (largest outward distance `d`, px) at each of _SIDE_BINS
    stations of `t` (0.15-0.85 along the side), then those within 2.5 x the median distance
    (at least 1.5 px) of a line through them: a bump from outside the card is dropped."""
    if len(pts) == 0:
        return pts
    station = np.minimum(((t - 0.15) / 0.7 * _SIDE_BINS).astype(int), _SIDE_BINS - 1)
    order = np.lexsort((-d, station))  # by station, outermost first
    first = np.ones(len(order), bool)
    first[1:] = station[order][1:] != station[order][:-1]
    sel = pts[order[first]]
    if len(sel) < 5:
        return sel
    c, along = principal_direction(sel)
    dist = np.abs((sel - c) @ np.array([-along[1], along[0]]))
    return sel[dist <= max(1.5, 2.5 * float(np.median(dist)))]


def _contrast(lab: np.ndarray, quad: np.ndarray) -> float:
    """Lab distance between the mean colour inside the quad and in a ring around it."""
    h, w = lab.shape[:2]
    inner = np.zeros((h, w), np.uint8)
    c = quad.mean(axis=0)
    cv2.fillConvexPoly(inner, np.round(c + 0.8 * (quad - c)).astype(np.int32), 1)
    outer = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(outer, np.round(c + 1.5 * (quad - c)).astype(np.int32), 1)
    grown = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(grown, np.round(c + 1.15 * (quad - c)).astype(np.int32), 1)
    ring = outer & (1 - grown)
    if inner.sum() < 10 or ring.sum() < 10:
        return 0.0
    a = np.array(cv2.mean(lab, inner)[:3])
    b = np.array(cv2.mean(lab, ring)[:3])
    return float(np.linalg.norm(a - b))
