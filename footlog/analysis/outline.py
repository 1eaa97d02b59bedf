"""Foot outline geometry: contour, leg entry, foot axis, forefoot width.

Everything is in pixels of the working image. Length thresholds are fractions of the
forefoot width `W` (estimated here), so the rules do not depend on the image size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np


@dataclass
class Outline:
    """The foot's outer contour and its frame.

    raw: (N, 2) int contour as found; pts: (N, 2) float smoothed contour points (x, y),
        same order and indices.
    valid: (N,) bool, True where the contour is a real skin edge.
    d: unit distal direction; perp: unit vector perpendicular to d (which side is lateral
        is decided later, from the toes).
    tip: the most distal contour point (x, y); width: forefoot width estimate W in px.
    entry: where the leg leaves the visible area (x, y), or None.
    """

    raw: np.ndarray
    pts: np.ndarray
    valid: np.ndarray
    d: np.ndarray
    perp: np.ndarray
    tip: np.ndarray
    width: float
    entry: np.ndarray | None

    def prox(self, p: np.ndarray) -> np.ndarray:
        """Distance proximal from the most distal point, along the axis (px)."""
        return cast(np.ndarray, (self.tip - p) @ self.d)

    def across(self, p: np.ndarray) -> np.ndarray:
        """Coordinate across the axis (px), along `perp`."""
        return cast(np.ndarray, (p - self.tip) @ self.perp)


def largest_contour(mask: np.ndarray) -> np.ndarray | None:
    """Largest external contour of a 0/1 mask as (N, 2) int array, or None."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    return max(contours, key=cv2.contourArea).reshape(-1, 2)


def smooth_closed(pts: np.ndarray, k: int) -> np.ndarray:
    """Circular moving average over 2k+1 points (removes the pixel staircase)."""
    if k <= 0:
        return pts.astype(float)
    n = len(pts)
    idx = (np.arange(n)[:, None] + np.arange(-k, k + 1)[None, :]) % n
    return cast(np.ndarray, pts[idx].astype(float).mean(axis=1))


def _widths(mask_pts: np.ndarray, tip: np.ndarray, d: np.ndarray, perp: np.ndarray,
            bin_px: float) -> tuple[np.ndarray, np.ndarray]:
    """Chord width of the mask at each proximal level (bins of `bin_px`)."""
    prox = (tip - mask_pts) @ d
    acr = (mask_pts - tip) @ perp
    keep = prox >= 0
    b = (prox[keep] / bin_px).astype(int)
    nb = int(b.max()) + 1 if b.size else 1
    lo = np.full(nb, np.inf)
    hi = np.full(nb, -np.inf)
    if b.size:
        # Min and max per bin over the points sorted by bin (ufunc.at is ~10x slower).
        order = np.argsort(b, kind="stable")
        bs, a = b[order], acr[keep][order]
        starts = np.flatnonzero(np.r_[True, bs[1:] != bs[:-1]])
        lo[bs[starts]] = np.minimum.reduceat(a, starts)
        hi[bs[starts]] = np.maximum.reduceat(a, starts)
    w = np.where(np.isfinite(lo), hi - lo, 0.0)
    return (np.arange(nb) + 0.5) * bin_px, w


def _wider_end(mpts: np.ndarray, d: np.ndarray, bin_px: float) -> float:
    """+1 if the mask is wider in its third toward +d than in its third toward -d, else -1
    (widest chord of each end third of the length along d)."""
    perp = np.array([-d[1], d[0]])
    ends = []
    for sign in (1.0, -1.0):
        tip = mpts[int(np.argmax(mpts @ (sign * d)))]
        levels, wid = _widths(mpts, tip, sign * d, perp, bin_px)
        ends.append(float(wid[levels <= levels.max() / 3].max()))
    return 1.0 if ends[0] >= ends[1] else -1.0


def _principal_axis(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Unit direction of largest spread of the points (x, y): the principal axis, from
    their 2 x 2 covariance (as np.cov, without stacking ~50,000 points into a copy).

    The sums are einsum's, not `@`: a vector product goes to the threaded BLAS, whose
    threads wait for cores on a busy machine (~60 ms a call measured while other work ran,
    against 0.03 ms here)."""
    dx, dy = x - x.mean(), y - y.mean()
    n1 = len(x) - 1
    sxx, sxy, syy = (float(np.einsum("i,i", a, b)) for a, b in ((dx, dx), (dx, dy), (dy, dy)))
    cov = np.array([[sxx, sxy], [sxy, syy]]) / n1
    return np.linalg.eigh(cov)[1][:, -1]


def build_outline(mask: np.ndarray, valid_edge: np.ndarray) -> Outline | None:
    """Contour, leg entry, distal direction, axis and forefoot width of the foot mask."""
    cnt = largest_contour(mask)
    if cnt is None or len(cnt) < 50:
        return None
    h, w = mask.shape
    pts = smooth_closed(cnt, 2)
    valid = valid_edge[cnt[:, 1], cnt[:, 0]].astype(bool)
    entry = pts[~valid].mean(axis=0) if (~valid).sum() >= 3 else None

    cpts = cnt.astype(float)
    ys, xs = np.nonzero(mask)
    step = max(1, int(np.sqrt(len(xs) / 20000)))
    mx, my = xs[::step].astype(float), ys[::step].astype(float)
    mpts = np.stack([mx, my], axis=1)
    centroid = mpts.mean(axis=0)
    if entry is not None:
        # The toes are the part of the blob farthest from where the leg comes in.
        far = np.linalg.norm(pts - entry, axis=1)
        far[~valid] = -1
        d = pts[int(np.argmax(far))] - entry
    else:
        # No leg visible (the whole foot on the paper): the long axis, pointing to the
        # wider end (the forefoot is wider than the heel).
        _, vecs = np.linalg.eigh(np.cov((mpts - centroid).T))
        d = vecs[:, -1] * _wider_end(mpts, vecs[:, -1], max(1.0, 0.004 * max(h, w)))
    d = d / np.linalg.norm(d)

    width = 0.0
    for _ in range(3):
        perp = np.array([-d[1], d[0]])
        tip = pts[valid][int(np.argmax(pts[valid] @ d))] if valid.any() else pts[0]
        # The widest and narrowest points of a band across the foot lie on its outline,
        # so the contour gives the chords the mask's ~60,000 pixels would.
        levels, wid = _widths(cpts, tip, d, perp, bin_px=max(1.0, 0.004 * max(h, w)))
        # Forefoot width: the widest chord within about one width of the toe tips (the
        # forefoot), before the leg or heel can contribute.
        ok = levels <= 1.2 * wid
        if not ok.any():
            return None
        width = float(wid[ok].max())
        # Axis: principal direction of the foot body (toes to ~1.8 W proximal), which
        # excludes most of the leg even when the leg bends away in the photo.
        prox = (tip[0] - mx) * d[0] + (tip[1] - my) * d[1]
        sel = (prox >= 0) & (prox <= 1.8 * width)
        if np.count_nonzero(sel) < 20:
            return None
        nd = _principal_axis(mx[sel], my[sel])
        d = nd if nd @ d >= 0 else -nd
    perp = np.array([-d[1], d[0]])
    tip = pts[valid][int(np.argmax(pts[valid] @ d))] if valid.any() else pts[0]
    return Outline(cnt, pts, valid, d, perp, tip, width, entry)
