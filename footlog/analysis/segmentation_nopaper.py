"""Foot segmentation when there is no sheet of paper under the foot (a bare floor).

Without the paper the background is unknown, so the foot is told from the floor by a colour
model learnt from the image itself: GrabCut on a small copy (~160 px on the long side;
GrabCut is slow), seeded with the frame border as floor and the bright, low-chroma region
that looked like paper (the foot itself, on a darker floor) as probable foot. The coarse
mask is then refined at working size by the likelihood ratio of two Gaussian colour models
(foot / floor, in Lab) learnt from the coarse mask, in a band around its boundary only.

All sizes are fractions of the image side; nothing is tuned to one photo.
"""

from __future__ import annotations

import cv2
import numpy as np

SMALL_SIDE = 160  # px: GrabCut's working size


def segment_bare_floor(rgb: np.ndarray, light: np.ndarray, foot_guess: np.ndarray
                       ) -> np.ndarray | None:
    """0/1 mask of the foot on a bare floor, or None when the foot is not clearly told
    from the floor. rgb: working image; light: its L (0..255); foot_guess: 0/1 mask of the
    region that looked like paper (the pale foot)."""
    h, w = light.shape
    k = SMALL_SIDE / max(h, w)
    size = (max(8, round(w * k)), max(8, round(h * k)))
    small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
    guess = cv2.resize(foot_guess, size, interpolation=cv2.INTER_NEAREST)
    gc = np.full(guess.shape, cv2.GC_PR_BGD, np.uint8)
    gc[guess > 0] = cv2.GC_PR_FGD
    core = cv2.erode(guess, np.ones((5, 5), np.uint8))
    gc[core > 0] = cv2.GC_FGD
    b = max(2, round(0.03 * max(size)))
    border = np.zeros_like(guess, bool)
    border[:b, :] = border[-b:, :] = True
    border[:, :b] = border[:, -b:] = True
    # The frame border is floor except where the foot (or leg) leaves the photo.
    gc[border & (guess == 0)] = cv2.GC_BGD
    if not (gc == cv2.GC_FGD).any() or not (gc == cv2.GC_BGD).any():
        return None
    bgd, fgd = np.zeros((1, 65), np.float64), np.zeros((1, 65), np.float64)
    cv2.grabCut(cv2.cvtColor(small, cv2.COLOR_RGB2BGR), gc, None, bgd, fgd, 4,
                cv2.GC_INIT_WITH_MASK)
    coarse = ((gc == cv2.GC_FGD) | (gc == cv2.GC_PR_FGD)).astype(np.uint8)
    coarse = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_NEAREST)
    return _refine(rgb, coarse)


def _refine(rgb: np.ndarray, coarse: np.ndarray) -> np.ndarray | None:
    """Relabel a band around the coarse boundary by foot / floor Gaussian colour models."""
    h, w = coarse.shape
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    r = max(2, round(0.012 * max(h, w)))
    ker = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)
    inner = cv2.erode(coarse, ker).ravel().astype(bool)
    outer = ~cv2.dilate(coarse, ker).ravel().astype(bool)
    if inner.sum() < 200 or outer.sum() < 200:
        return None
    band = ~inner & ~outer
    ll = []
    for sel in (inner, outer):
        x = lab[sel][:: max(1, int(sel.sum()) // 20000)]
        mu = x.mean(axis=0)
        cov = np.cov((x - mu).T) + np.eye(3)
        icov = np.linalg.inv(cov)
        dx = lab[band] - mu
        ll.append(-0.5 * np.einsum("ij,jk,ik->i", dx, icov, dx)
                  - 0.5 * np.log(np.linalg.det(cov)))
    out = inner.copy()
    out[band] = ll[0] > ll[1]
    mask = out.reshape(h, w).astype(np.uint8)
    k = max(3, round(0.006 * max(h, w)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    mask = cv2.morphologyEx(cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel),
                            cv2.MORPH_CLOSE, kernel)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if n < 2:
        return None
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    return (labels == i).astype(np.uint8)
