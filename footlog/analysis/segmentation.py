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

from dataclasses import dataclass, field

import cv2
import numpy as np
from skimage.filters import threshold_multiotsu


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


def _lab(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    # OpenCV 8-bit Lab: L in 0..255, a/b offset by 128 (roughly CIE units).
    return lab[..., 0], lab[..., 1] - 128.0, lab[..., 2] - 128.0


def find_paper(light: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """Largest bright low-chroma component, as a convex hull polygon, or None.

    "Bright" is the top class of a 3-class Otsu on L - 3*chroma, so the rule adapts to the
    exposure and to the floor (carpet, wood, concrete all fall into the lower classes).
    """
    score = np.clip(light - 3.0 * np.hypot(a, b), 0, 255).astype(np.uint8)
    h, w = score.shape
    try:
        thr = threshold_multiotsu(score[::2, ::2], classes=3)[-1]
    except ValueError:
        return None
    seed = (score > thr).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(seed, connectivity=8)
    if n < 2:
        return None
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    if stats[i, cv2.CC_STAT_AREA] < 0.04 * h * w:
        return None
    comp = (labels == i).astype(np.uint8)
    contours, _ = cv2.findContours(comp, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    hull = cv2.convexHull(max(contours, key=cv2.contourArea))
    (_, _), (rw, rh), _ = cv2.minAreaRect(hull)
    # A sheet of paper is a (perspective-distorted) quadrilateral: its hull fills most of
    # its bounding rectangle. A random bright region (tiles, a window) usually does not.
    if cv2.contourArea(hull) < 0.6 * rw * rh:
        return None
    return hull.reshape(-1, 2).astype(np.int32)


def segment_foot(rgb: np.ndarray) -> Segmentation:
    """Segment the foot on the paper in an RGB uint8 working image (~500-800 px)."""
    h, w = rgb.shape[:2]
    smooth = cv2.GaussianBlur(rgb, (0, 0), max(0.8, 0.0015 * max(h, w)))
    light, a, b = _lab(smooth)
    hull = find_paper(light, a, b)
    if hull is None:
        empty = np.zeros((h, w), np.uint8)
        return Segmentation(empty, empty, None, None, ["no sheet of paper found"])

    hull_mask = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(hull_mask, hull, 1)
    # Paper colour from the confidently-paper pixels (bright part of the hull).
    inside = hull_mask.astype(bool)
    lp = float(np.percentile(light[inside], 90))
    bright = inside & (light > 0.85 * lp)
    ap, bp = float(np.median(a[bright])), float(np.median(b[bright]))

    # Skin is redder and yellower than the paper whatever the skin tone; shadowed paper
    # only darkens (and turns slightly blue in daylight). Score = chroma shift toward skin
    # hue, plus a term for pixels much darker than any plausible paper shadow.
    redness = (a - ap) + 0.5 * (b - bp)
    darkness = np.clip(0.45 * lp - light, 0, None)
    score = redness + darkness
    vals = score[inside]
    t = _otsu_1d(vals)
    # Clamp: a paper-vs-skin split below 4 units is noise, above 18 would drop pale skin.
    t = float(np.clip(t, 4.0, 18.0))
    fg = ((score > t) & inside).astype(np.uint8)

    k = max(3, round(0.006 * max(h, w)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    fg = cv2.morphologyEx(fg, cv2.MORPH_OPEN, kernel)
    fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, kernel)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(fg, connectivity=8)
    if n < 2:
        empty = np.zeros((h, w), np.uint8)
        return Segmentation(empty, empty, hull, (lp, ap, bp), ["no foot found on the paper"])
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    mask = (labels == i).astype(np.uint8)
    mask = _fill_holes(mask)

    # Edge validity: the hull border (shrunk by a margin) and the frame are not skin edges.
    margin = max(2, round(0.008 * max(h, w)))
    inner = cv2.erode(hull_mask, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * margin + 1,) * 2))
    inner[:margin, :] = 0
    inner[-margin:, :] = 0
    inner[:, :margin] = 0
    inner[:, -margin:] = 0
    return Segmentation(mask, inner, hull, (lp, ap, bp), [])


def _otsu_1d(values: np.ndarray) -> float:
    """Otsu threshold of a float sample (via a 256-bin histogram)."""
    lo, hi = np.percentile(values, [0.5, 99.5])
    if hi <= lo:
        return float(lo)
    q = np.clip((values - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8)
    t, _ = cv2.threshold(q.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(lo + t / 255.0 * (hi - lo))


def _fill_holes(mask: np.ndarray) -> np.ndarray:
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    out = np.zeros_like(mask)
    cv2.drawContours(out, contours, -1, 1, thickness=cv2.FILLED)
    return out
