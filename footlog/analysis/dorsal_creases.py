"""Creases between touching toes, in the canonical foot-aligned frame (toes up, -y).

Toes pressed together leave almost no notch in the silhouette; what shows is a dark valley
(the shaded, rounded sides of two toes meeting, and the skin crease between them) that
starts at the toe row's envelope and runs proximally along the toes. A dark line that does
not start at the envelope (a skin fold), or that is short (a nail edge), is not one.

`valley_map` is a ridge filter for dark lines running roughly along the axis (second
derivative across the axis of the smoothed grey image, as a fraction of the skin grey,
kept only well inside the mask so that the outline's own shading does not count).
`crease_runs` follows, for every column of the toe row, the valley from just below the
envelope proximally and returns how far it runs. `follow_crease` finds the 1-2 web (the
proximal end of the crease between the big toe and toe 2, below the slot `slot_end`
between slanted toes), on the top-hat `crease_map`. Every length is a fraction of the
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
CREASE_MIN = 0.04  # a crease at least this dark (fraction of skin grey) is followed
CREASE_DROP = 0.4  # the 1-2 crease ends where it fades below this part of its strength
CREASE_START = 0.25  # (W) the 1-2 crease begins at most this far below the slot
CLEFT_REACH = 0.6  # (W) the 1-2 slot and crease are sought this far below the notch
SLOT_BAND = (0.15, 0.1)  # (W) columns medial / lateral of the notch holding the slot
# The crease map: grey smoothed by this sigma (W, at least MIN_SIGMA_PX), a black top-hat
# with a disk this wide (W: wider than a crease, narrower than a toe), skin this far inside
# the outline (W) so that the outline's shaded rim is not taken for a crease.
MAP_SIGMA, MIN_SIGMA_PX = 0.006, 0.7
HAT_DISK = 0.08
MAP_INNER = 0.025
FOLLOW_SIGMA = 0.008  # (W) the crease map smoothed again before the 1-2 crease is followed
# The cone below the slot in which the 1-2 crease runs: its half-widths at the slot (W) and
# how fast they open per row, medially (~30 deg, toward the hallux) and laterally (~9 deg).
CONE_LATERAL = (0.03, 0.15)
CONE_MEDIAL = (0.05, 0.55)
CREASE_TALL = 0.06  # (W) a crease is at least this long ...
CREASE_SLENDER = 0.8  # ... and at least this share of its width long (runs along the toes)


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
    # Every column's path is followed at once, one row (dy) at a time.
    x = xs.astype(int).copy()
    y_env = env.astype(int) - y_top
    started = np.full(n, -1)
    last = np.full(n, -1)
    miss = np.zeros(n, int)
    alive = np.ones(n, bool)
    # Padded with -inf so that the three neighbours of every column can be gathered.
    vp = np.pad(vm, ((0, 0), (1, 1)), constant_values=-np.inf)
    for dy in range(s0, reach):
        y = y_env + dy
        alive &= (y < h) & (x >= 0) & (x < w)
        if not alive.any():
            break
        yy, xx = np.where(alive, y, 0), np.where(alive, x, 0)
        trio = np.stack([vp[yy, xx], vp[yy, xx + 1], vp[yy, xx + 2]], axis=1)
        k = np.argmax(trio, axis=1)  # the first of equal maxima, as left-to-right
        hit = alive & (trio[np.arange(n), k] >= VALLEY_MIN)
        fresh = started < 0
        late = dy > s1
        # A path that has not started by START[1] W below the envelope never will.
        alive &= ~(fresh & late)
        hit &= alive
        started = np.where(hit & fresh, dy, started)
        last = np.where(hit, dy, last)
        miss = np.where(hit, 0, miss + (alive & ~hit & ~fresh))
        x = np.where(hit, x + k - 1, x)
        alive &= miss <= gap
    out = np.where(started >= 0, last - started + 1, 0).astype(float)
    return out


def crease_map(fr: Frame, y0: int, y1: int, W: float) -> np.ndarray:
    """Thin dark lines (creases, gaps between touching toes) in rows y0..y1 of the frame,
    as a fraction of the skin grey: black top-hat with a disk of ~0.08 W.

    The outline's own dark rim (shading of the rounded toe sides, the shadow on the paper)
    is removed by keeping only pixels well inside the mask.
    """
    g = cv2.GaussianBlur(fr.gray[y0:y1], (0, 0), max(MIN_SIGMA_PX, MAP_SIGMA * W))
    k = max(3, round(HAT_DISK * W) | 1)
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    hat = cv2.morphologyEx(g, cv2.MORPH_BLACKHAT, disk)
    e = max(1, round(MAP_INNER * W))
    inner = cv2.erode(fr.mask[y0:y1], cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                                                (2 * e + 1,) * 2))
    skin = float(np.median(g[inner > 0])) if inner.any() else 128.0
    return np.where(inner > 0, hat / (skin + 1e-6), 0.0)


def slot_end(fr: Frame, start: tuple[float, float], W: float) -> tuple[float, float]:
    """Deepest point of the background slot between two toes below the envelope notch.

    Where two toes stand slightly apart but slant, the background between them reaches
    well below the notch of the upper envelope (a column there first meets the side of a
    toe). The slot is the background connected to the rows just above the notch within a
    narrow band of columns (the hallux on one side, toe 2 on the other).
    """
    x0, y0 = round(start[0]), round(start[1])
    h, w = fr.mask.shape
    a, b = max(0, x0 - round(SLOT_BAND[0] * W)), min(w, x0 + round(SLOT_BAND[1] * W) + 1)
    top, bot = max(0, y0 - 2), min(h, y0 + round(CLEFT_REACH * W))
    bg = (fr.mask[top:bot, a:b] == 0).astype(np.uint8)
    if bot - top < 3 or not bg[0].any():
        return float(start[0]), float(start[1])
    _, lab = cv2.connectedComponents(bg, connectivity=4)
    ys, xs = np.nonzero(np.isin(lab, np.unique(lab[0][bg[0] > 0])) & (bg > 0))
    y = int(ys.max())
    if y + top <= start[1]:
        return float(start[0]), float(start[1])
    return float(xs[ys == y].mean() + a), float(y + top)


def follow_crease(fr: Frame, start: tuple[float, float], W: float) -> tuple[float, float]:
    """Deepest point of the 1-2 web: the proximal end of the crease between the big toe
    and toe 2 that starts at the slot below the envelope notch `start` (px); the end of
    the slot itself when no crease shows (toes apart).

    Between pressed toes the skin crease runs on well below the silhouette notch, and the
    reference places the web at its proximal end. The crease is the strongest connected
    dark line in a cone below the slot that begins near it and runs along the toes: the
    cone opens ~30 deg toward the hallux but only ~9 deg laterally (the 1-2 web lies under
    the notch or medial of it in every reference photo; the shaded medial side of toe 2
    runs off laterally). The crease ends where it fades below CREASE_DROP of its own
    strength (a faint shading often continues it a little way onto the forefoot).
    """
    x0, y_s = slot_end(fr, start, W)
    y0 = round(y_s)
    h, w = fr.mask.shape
    y1 = min(h, int(y0 + CLEFT_REACH * W))
    if y1 - y0 < 3:
        return x0, float(y0)
    cm = crease_map(fr, y0, y1, W)
    cm = cv2.GaussianBlur(cm.astype(np.float32), (0, 0), max(MIN_SIGMA_PX, FOLLOW_SIGMA * W))
    rr, cc = np.mgrid[0 : y1 - y0, 0:w]
    cone = ((cc - x0 <= CONE_LATERAL[0] * W + CONE_LATERAL[1] * rr)
            & (x0 - cc <= CONE_MEDIAL[0] * W + CONE_MEDIAL[1] * rr))
    strong = ((cm >= CREASE_MIN) & cone).astype(np.uint8)
    n, lab, stats, _ = cv2.connectedComponentsWithStats(strong, connectivity=8)
    tall = stats[:, cv2.CC_STAT_HEIGHT]
    # A crease begins within CREASE_START W of the slot (the shading of pressed toes may
    # hide its first ~0.2 W) and runs along the toes (taller than wide), unlike a skin
    # fold or a freckle.
    fit = ((stats[:, cv2.CC_STAT_TOP] <= CREASE_START * W) & (tall >= CREASE_TALL * W)
           & (tall >= CREASE_SLENDER * stats[:, cv2.CC_STAT_WIDTH]))
    fit[0] = False
    if not fit.any():
        return x0, float(y0)
    mass = np.bincount(lab.ravel(), weights=cm.ravel(), minlength=n)
    best = int(np.argmax(np.where(fit, mass, -1.0)))
    v = np.where(lab == best, cm, 0.0)
    peak_row = v.max(axis=1)
    rows = np.nonzero(peak_row > 0)[0]
    keep = rows[peak_row[rows] >= CREASE_DROP * np.percentile(peak_row[rows], 75)]
    y = int(keep.max())
    return float(np.argmax(v[y])), float(y + y0)
