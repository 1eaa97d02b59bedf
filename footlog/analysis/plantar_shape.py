"""Footprint segmentation: the print, its toes, and the foot axis.

A footprint is a dark (ink, wet) or colour-contrasted (podoscope) region on a plain ground.
The ground is the colour of the image border (the print never fills the frame), so every
pixel is scored by its colour distance to the border's median colour and split by Otsu.

Toes leave separate blobs in front of the forefoot, or blobs joined to it by a thin bridge
across the sulcus; an opening of ~2.5 % of the print's length cuts the bridges. The print
without toes is made of the large pieces (a high arch leaves the heel and the forefoot apart).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import cv2
import numpy as np

MIN_PIECE = 0.30  # a piece of the toeless print is at least 30 % of the largest one (a heel
# cut off by a high arch is ~40-80 % of the forefoot, a hallux print under 25 %)
TOE_AREA = (0.003, 0.12)  # toe blob area, fraction of the toeless print's area


@dataclass
class PrintShape:
    """toeless: uint8 0/1 of the print without toes; toes: (centroid x, y, area) per toe blob,
    ordered medial to lateral once the medial side is known; axis ends in working px."""

    toeless: np.ndarray
    toes: list[tuple[float, float, float]]
    heel_centre: np.ndarray
    toe2: np.ndarray
    axis_from_toes: bool
    contrast: float
    warnings: list[str] = field(default_factory=list)


def print_mask(rgb: np.ndarray) -> tuple[np.ndarray, float]:
    """0/1 mask of whatever differs in colour from the border's ground, and its contrast
    (Otsu threshold over the ground's own spread)."""
    lab = cv2.cvtColor(cv2.GaussianBlur(rgb, (0, 0), 1.0), cv2.COLOR_RGB2LAB).astype(np.float32)
    h, w = lab.shape[:2]
    b = max(2, int(0.03 * min(h, w)))
    border = np.concatenate([lab[:b].reshape(-1, 3), lab[-b:].reshape(-1, 3),
                             lab[:, :b].reshape(-1, 3), lab[:, -b:].reshape(-1, 3)])
    ground = np.median(border, axis=0)
    d = np.sqrt(((lab - ground) ** 2).sum(axis=2))
    spread = float(np.percentile(np.sqrt(((border - ground) ** 2).sum(axis=1)), 90)) + 1.0
    d8 = np.clip(d * (255.0 / max(float(d.max()), 1e-6)), 0, 255).astype(np.uint8)
    thr8, m = cv2.threshold(d8, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    thr = thr8 * max(float(d.max()), 1e-6) / 255.0
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return m, float(thr / spread)


def _pieces(mask: np.ndarray) -> tuple[np.ndarray, list[tuple[float, float, float]], np.ndarray]:
    """(toeless mask, small blobs, opened mask): pieces after cutting thin bridges."""
    n, cc, st, cent = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < 2:
        return np.zeros_like(mask), [], mask
    big = float(st[1:, cv2.CC_STAT_AREA].max())
    length = float(np.sqrt(big) * 1.8)  # rough print length, for the bridge cutter
    r = max(1, int(0.0125 * length))
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, k)
    n, cc, st, cent = cv2.connectedComponentsWithStats(opened, connectivity=8)
    if n < 2:
        return np.zeros_like(mask), [], opened
    areas = st[1:, cv2.CC_STAT_AREA].astype(float)
    top = areas.max()
    keep = [i + 1 for i, a in enumerate(areas) if a >= MIN_PIECE * top]
    toeless = np.isin(cc, keep).astype(np.uint8)
    # Give back to the toeless print what the opening shaved off its own border.
    toeless = (cv2.dilate(toeless, k) & mask).astype(np.uint8)
    total = float(toeless.sum())
    blobs = [(float(cent[i][0]), float(cent[i][1]), float(st[i, cv2.CC_STAT_AREA]))
             for i in range(1, n) if i not in keep
             and TOE_AREA[0] * total <= st[i, cv2.CC_STAT_AREA] <= TOE_AREA[1] * total]
    return toeless, blobs, opened


def _pca_axis(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ys, xs = np.nonzero(mask)
    pts = np.stack([xs + 0.0, ys + 0.0], 1)
    c = pts.mean(axis=0)
    _, _, vt = np.linalg.svd(pts - c, full_matrices=False)
    return c, vt[0]


def heel_centre(toeless: np.ndarray, forward: np.ndarray) -> np.ndarray:
    """Centroid of the rear 20 % (along `forward`) of the toeless print."""
    ys, xs = np.nonzero(toeless)
    pts = np.stack([xs + 0.0, ys + 0.0], 1)
    a = pts @ forward
    lo, hi = a.min(), a.max()
    return cast(np.ndarray, pts[a <= lo + 0.2 * (hi - lo)].mean(axis=0))


def find_shape(rgb: np.ndarray) -> PrintShape | None:
    """Segment the print in a working image and find its axis (heel centre -> toe 2)."""
    mask, contrast = print_mask(rgb)
    toeless, blobs, _ = _pieces(mask)
    if not toeless.any():
        return None
    warnings: list[str] = []
    c, d = _pca_axis(toeless)
    ys, xs = np.nonzero(toeless)
    pts = np.stack([xs + 0.0, ys + 0.0], 1)
    a = (pts - c) @ d
    # Toes lie beyond the front end; without toes the wider end is the forefoot.
    lo, hi = a.min(), a.max()
    toes = [t for t in blobs if abs((np.array(t[:2]) - c) @ d) > 0.35 * (hi - lo)]
    if toes:
        fwd_votes = sum(np.sign((np.array(t[:2]) - c) @ d) * t[2] for t in toes)
        forward = d if fwd_votes > 0 else -d
        toes = [t for t in toes if (np.array(t[:2]) - c) @ forward > 0]
    else:
        across = pts - c - np.outer(a, d)
        wid = np.hypot(across[:, 0], across[:, 1])
        front = wid[a > lo + 0.7 * (hi - lo)].mean() if np.any(a > lo + 0.7 * (hi - lo)) else 0
        back = wid[a < lo + 0.3 * (hi - lo)].mean() if np.any(a < lo + 0.3 * (hi - lo)) else 0
        forward = d if front >= back else -d
    heel = heel_centre(toeless, forward)
    toe2, from_toes = _second_toe(toeless, toes, heel, forward)
    if not from_toes:
        warnings.append("the toe prints were not found: the foot axis runs to the front of the"
                        " print instead of the second toe")
    elif len(toes) < 4:
        warnings.append(f"only {len(toes)} toe prints were found: check the second toe")
    for _ in range(2):
        # The rear 20 % depends on the axis direction: settle it.
        fwd = (toe2 - heel) / max(float(np.hypot(*(toe2 - heel))), 1e-9)
        heel = heel_centre(toeless, fwd)
    return PrintShape(toeless, toes, heel, toe2, from_toes, contrast, warnings)


def _second_toe(toeless: np.ndarray, toes: list[tuple[float, float, float]], heel: np.ndarray,
                forward: np.ndarray) -> tuple[np.ndarray, bool]:
    """Centroid of the second toe: the toes sorted across the axis, the hallux (largest blob)
    at one end, toe 2 its neighbour. Without toes: the front end of the print on the axis."""
    if len(toes) >= 2:
        across = np.array([-forward[1], forward[0]])
        order = sorted(toes, key=lambda t: float((np.array(t[:2]) - heel) @ across))
        areas = [t[2] for t in order]
        hallux = int(np.argmax(areas))
        if hallux == 0:
            return np.array(order[1][:2]), True
        if hallux == len(order) - 1:
            return np.array(order[-2][:2]), True
        # Hallux in the middle: the blobs are not a clean row; take its larger neighbour.
        nb = hallux - 1 if areas[hallux - 1] > areas[hallux + 1] else hallux + 1
        return np.array(order[nb][:2]), True
    ys, xs = np.nonzero(toeless)
    pts = np.stack([xs + 0.0, ys + 0.0], 1)
    a = (pts - heel) @ forward
    front = pts[a >= a.max() - 0.1 * (a.max() - a.min())]
    return front.mean(axis=0), False
