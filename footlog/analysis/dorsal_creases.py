"""Creases between touching toes, in the canonical foot-aligned frame (toes up, -y).

Toes pressed together leave almost no notch in the silhouette; what shows is a dark valley
(the shaded, rounded sides of two toes meeting, and the skin crease between them) that
starts at the toe row's envelope and runs proximally along the toes. A dark line that does
not start at the envelope (a skin fold), or that is short (a nail edge), is not one.

`valley_map` is a ridge filter for dark lines running roughly along the axis (second
derivative across the axis of the smoothed grey image, as a fraction of the skin grey,
kept only well inside the mask so that the outline's own shading does not count).
`crease_runs` follows, for every column of the toe row, the valley from just below the
envelope proximally and returns how far it runs. Every length is a fraction of the
forefoot width W (px).
"""

from __future__ import annotations

import cv2
import numpy as np

from footlog.analysis.frame import Frame

SIGMA = 0.012  # (W) smoothing of the ridge filter: about a crease's half-width
INNER = 0.02  # (W) the valley map ignores pixels this close to the outline
START = (0.01, 0.06)  # (W) a crease starts this far below the envelope
REACH = 0.25  # (W) a crease is followed at most this far
GAP = 0.03  # (W) the followed valley may fade for this long (a freckle, a hair)
VALLEY_MIN = 0.004  # ridge strength (fraction of skin grey per px^2 x sigma^2) of a crease


def valley_map(fr: Frame, y0: int, y1: int, W: float) -> np.ndarray:
    """Dark-line strength in rows y0..y1 of the frame (>= 0; 0 outside the inner mask).

    Scale-normalised second derivative across the axis (x), as a fraction of the median
    skin grey, so it reads the same at any image size and skin tone.
    """
    y0, y1 = max(0, y0), min(fr.mask.shape[0], y1)
    if y1 - y0 < 3:
        return np.zeros((max(0, y1 - y0), fr.mask.shape[1]), np.float32)
    s = max(0.8, SIGMA * W)
    pad = int(3 * s) + 1
    a, b = max(0, y0 - pad), min(fr.mask.shape[0], y1 + pad)
    g = cv2.GaussianBlur(fr.gray[a:b].astype(np.float32), (0, 0), s)
    dx = np.gradient(g, axis=1)
    dxx = np.gradient(dx, axis=1)
    # A valley is a local minimum across the axis: curvature up, no slope. The outline's
    # shaded rim is curved too, but on a slope: it is discounted by its slope.
    ridge = dxx * (s * s) - np.abs(dx) * s
    e = max(1, round(INNER * W))
    inner = cv2.erode(fr.mask[a:b], cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                                              (2 * e + 1,) * 2))
    skin = float(np.median(g[inner > 0])) if inner.any() else 128.0
    v = np.where(inner > 0, np.maximum(ridge, 0.0) / (skin + 1e-6), 0.0)
    return v[y0 - a : y1 - a].astype(np.float32)


def crease_runs(fr: Frame, xs: np.ndarray, env: np.ndarray, W: float) -> np.ndarray:
    """For every column `xs` (with envelope rows `env`), how far (px) a dark valley runs
    proximally from just below the envelope; 0 where none starts there.

    The path may drift one column per row (creases are not exactly along the axis) and may
    fade for up to GAP W. It must start within START W below the envelope.
    """
    n = len(xs)
    out = np.zeros(n)
    if n == 0:
        return out
    y_top = int(np.nanmin(env))
    y_bot = int(np.nanmax(env) + REACH * W) + 2
    vm = valley_map(fr, y_top, y_bot, W)
    if vm.size == 0:
        return out
    h, w = vm.shape
    gap = max(2, round(GAP * W))
    s0, s1 = max(1, round(START[0] * W)), max(2, round(START[1] * W))
    reach = max(4, round(REACH * W))
    for k in range(n):
        x = int(xs[k])
        y_env = int(env[k]) - y_top
        started, last, miss = -1, -1, 0
        for dy in range(s0, reach):
            y = y_env + dy
            if y >= h or not 0 <= x < w:
                break
            lo, hi = max(0, x - 1), min(w, x + 2)
            j = lo + int(np.argmax(vm[y, lo:hi]))
            if vm[y, j] >= VALLEY_MIN:
                if started < 0:
                    if dy > s1:
                        break
                    started = dy
                last, miss, x = dy, 0, j
            elif started >= 0:
                miss += 1
                if miss > gap:
                    break
            elif dy > s1:
                break
        if started >= 0:
            out[k] = last - started + 1
    return out
