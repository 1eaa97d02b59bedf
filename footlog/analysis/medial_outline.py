"""Silhouette of a foot seen from the side, and its plantar (bottom) profile.

A side view has no sheet of paper behind the whole foot, so the background is learnt from the
photo itself: the floor fills the bottom of the frame and the lower parts of its sides, while
the leg leaves through the top. Pixels whose colour is far from every floor colour are foot.
Shadows on the floor darken it without changing its hue much, so a pixel darker than a floor
colour counts only a third as far as a brighter one: the grey cast shadow of the foot on paper
and the dark contact shadow on wood stay floor.

The floor colours know nothing of skin: when the foot's own chroma separates it from the
floor (`medial_skin`), what the floor model wrongly took for foot is removed.

The colour mask is good on the dorsum and the toes but loses the shaded underside of the heel
and the arch (the part that matters most). The bottom profile is therefore re-traced as the
strongest colour edge at or below the mask's bottom, by dynamic programming over columns
(a smooth path), which follows the skin/contact-shadow boundary.

All sizes are pixels of the working image; rules are fractions of the silhouette's length.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import cv2
import numpy as np

from footlog.analysis.medial_skin import skin_distance, skin_mask, skin_model

SHADOW_TOLERANCE = 0.15  # a darker-than-floor pixel counts this much of its lightness gap
SKIN_OVERRIDE = 0.05  # share of the floor-distance mask the skin model must reject to be used
SHADOW_DARKER = 0.8  # a contact shadow is darker than 0.8 x the darkest floor colour
DARK_FALL = 60.0  # lightness fall (8-bit L) across a skin / contact-shadow edge
CHROMA_WEIGHT = 2.0  # a/b differences weigh twice lightness (hue is the steadier cue)


@dataclass
class SideSilhouette:
    """mask: uint8 0/1 foot+leg; bottom: per column the y of the plantar edge (NaN outside
    the foot); contrast: median colour distance inside the mask over the Otsu threshold."""

    mask: np.ndarray
    bottom: np.ndarray
    lab: np.ndarray
    contrast: float
    dist: np.ndarray
    warnings: list[str] = field(default_factory=list)
    skin_separation: float = 0.0  # medial_skin: > MIN_SEPARATION when the skin model is used
    shadow_l: float = -1.0  # below this lightness (8-bit L) a pixel is a contact shadow


def _lab(rgb: np.ndarray) -> np.ndarray:
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 1:] -= 128.0
    return lab


def kmeans(samples: np.ndarray, k: int, rounds: int = 8) -> np.ndarray:
    """k colour centres (k x 3) of `samples` (N x 3), deterministic: seeded at quantiles of
    lightness, so that the same photo always gives the same mask (OpenCV's k-means draws
    random seeds from a global generator)."""
    x = np.asarray(samples, np.float64).reshape(-1, 3)
    k = max(1, min(k, len(x)))
    order = np.argsort(x[:, 0], kind="stable")
    centres = x[order[((np.arange(k) + 0.5) * len(x) / k).astype(int)]].copy()
    cols = [np.ascontiguousarray(x[:, c]) for c in range(3)]
    for _ in range(rounds):
        # Squared distances summed channel by channel (as .sum(axis=2) would, ~4x faster).
        d2 = (cols[0][:, None] - centres[:, 0]) ** 2
        d2 += (cols[1][:, None] - centres[:, 1]) ** 2
        d2 += (cols[2][:, None] - centres[:, 2]) ** 2
        label = np.argmin(d2, axis=1)
        count = np.bincount(label, minlength=k)
        used = count > 0  # an empty cluster keeps its centre
        for c in range(3):
            centres[used, c] = np.bincount(label, cols[c], minlength=k)[used] / count[used]
    return cast(np.ndarray, centres)


def floor_centres(lab: np.ndarray, k: int = 8) -> np.ndarray:
    """The floor's colour centres (k x 3 Lab). Floor samples: the bottom 10 % of rows and
    the outer 4 % of columns in the lower half."""
    h, w = lab.shape[:2]
    band = np.zeros((h, w), bool)
    band[int(0.9 * h) :] = True
    side = max(1, int(0.04 * w))
    band[h // 2 :, :side] = True
    band[h // 2 :, -side:] = True
    return kmeans(lab[band][::7], k)


def floor_distance(lab: np.ndarray, centres: np.ndarray | None = None) -> np.ndarray:
    """Per pixel, the shadow-tolerant colour distance to the nearest floor colour centre."""
    h, w = lab.shape[:2]
    centres = floor_centres(lab) if centres is None else centres
    # Distances are computed once per quantised colour (a few thousand), not per pixel.
    # 8-bit Lab halved: L 0..128, a and b -64..64, so every colour has a slot in a 129^3
    # table; marking the slots used is much faster than sorting every pixel's key.
    q = np.round(lab / 2.0).astype(np.int32).reshape(-1, 3)
    keys = (q[:, 0] * 129 + (q[:, 1] + 64)) * 129 + (q[:, 2] + 64)
    present = np.zeros(129**3, bool)
    present[keys] = True
    uniq = np.flatnonzero(present)
    slot = np.empty(129**3, np.int32)
    slot[uniq] = np.arange(len(uniq), dtype=np.int32)
    inverse = slot[keys]
    cols = np.stack([uniq // 129**2, (uniq // 129) % 129 - 64, uniq % 129 - 64], 1) * 2.0
    diff = cols[:, None, :] - centres[None]
    dl = np.where(diff[..., 0] > 0, diff[..., 0], SHADOW_TOLERANCE * diff[..., 0])
    dist = np.sqrt(dl**2 + CHROMA_WEIGHT**2 * (diff[..., 1] ** 2 + diff[..., 2] ** 2)).min(1)
    # float32 per colour, then spread to the pixels: the same values as converting after.
    return cast(np.ndarray, dist.astype(np.float32)[inverse.reshape(-1)].reshape(h, w))


def _largest_filled(m: np.ndarray) -> np.ndarray:
    # Labels without OpenCV's statistics (which cost ~4 x the labelling); areas by counting.
    n, cc = cv2.connectedComponents(m, connectivity=8)
    if n < 2:
        return np.zeros_like(m)
    i = 1 + int(np.argmax(np.bincount(cc.ravel(), minlength=n)[1:]))
    comp = (cc == i).astype(np.uint8)
    contours, _ = cv2.findContours(comp, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    out = np.zeros_like(m)
    cv2.drawContours(out, contours, -1, 1, -1)
    return out


def colour_mask(lab: np.ndarray, centres: np.ndarray | None = None
                ) -> tuple[np.ndarray, float, np.ndarray]:
    """Foot+leg mask by hysteresis on the floor distance: Otsu threshold for seeds, half of
    it for the region grown from them (shaded skin is only moderately far from the floor)."""
    d = floor_distance(lab, centres)
    d8 = np.clip(d, 0, 255).astype(np.uint8)
    thr, _ = cv2.threshold(d8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    thr = max(float(thr), 8.0)
    hi = d > thr
    lo: np.ndarray = (d > 0.5 * thr).astype(np.uint8)
    lo = cv2.morphologyEx(lo, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    _, cc = cv2.connectedComponents(lo, connectivity=4)
    keep = np.unique(cc[hi & (lo > 0)])
    m: np.ndarray = np.isin(cc, keep[keep > 0]).astype(np.uint8)
    m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    # Thin strips (carpet shadows, a plank joint) touching the foot are cut off.
    r = max(2, int(0.008 * max(m.shape)))
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, disk)
    m = _largest_filled(m)
    contrast = float(np.median(d[m > 0]) / thr) if m.any() else 0.0
    return m, contrast, d / thr


def trace_bottom(
    lab: np.ndarray, mask: np.ndarray, x0: int, x1: int, reach: int, dist: np.ndarray,
    shadow_l: float = -1.0,
) -> np.ndarray:
    """The plantar edge y(x) for columns x0..x1: the strongest downward colour edge between
    reach/2 px above the mask's bottom and `reach` px below it, as one smooth path (DP,
    |dy| <= 2 per column), where the colour above the edge is further from the floor than
    below it (`dist`: floor distance over its threshold). Returns an array over all columns,
    NaN outside x0..x1."""
    h, w = mask.shape
    out = np.full(w, np.nan)
    cols = np.arange(x0, x1 + 1)
    if len(cols) < 5:
        return out
    has = mask[:, cols].any(axis=0)
    yb = np.where(has, h - 1 - np.argmax(mask[::-1, cols], axis=0), 0).astype(float)
    yb = np.interp(np.arange(len(cols)), np.flatnonzero(has), yb[has]) if has.any() else yb
    offs = np.arange(-(reach // 2), reach + 1)
    ys = np.clip(np.round(yb)[:, None] + offs[None, :], 0, h - 1).astype(int)
    # Smoothing and gradients only over the band of rows the search looks at (ys +- 2),
    # with a margin wider than the Gaussian's and Sobel's reach (4 + 1 px): inside it
    # every value is the one the whole image gives, to the bit (whole rows: the filters
    # then round alike), at a fraction of the cost.
    r0, r1 = max(0, int(ys.min()) - 2 - _BAND_PAD), min(h, int(ys.max()) + 3 + _BAND_PAD)
    sm = cv2.GaussianBlur(np.ascontiguousarray(lab[r0:r1]), (0, 0), 1.0)
    gy = np.zeros(sm.shape[:2], np.float32)
    for c, wt in ((0, 1.0), (1, CHROMA_WEIGHT), (2, CHROMA_WEIGHT)):
        g = cv2.Sobel(sm[..., c], cv2.CV_32F, 0, 1, ksize=3) * wt
        gy += g * g
    gy = np.sqrt(gy)
    band_cols = cols[:, None]
    score = gy[ys - r0, band_cols]  # columns x offsets
    score = score / max(float(np.percentile(score, 95)), 1e-6)
    # Skin above, floor below: a cast shadow on pale paper has its own, often stronger,
    # lower edge, but both sides of it are floor-coloured (shadow-tolerant distance).
    above = dist[np.clip(ys - 3, 0, h - 1), cols[:, None]]
    below = dist[np.clip(ys + 3, 0, h - 1), cols[:, None]]
    # Shaded skin can be as close to a floor colour as the floor itself (a lit plank), but
    # its lower edge against the contact shadow is a steep fall in lightness onto something
    # darker than any floor colour (`shadow_l`): that counts as skin above, floor below too.
    l_above = sm[np.clip(ys - 2, 0, h - 1) - r0, band_cols, 0]
    l_below = sm[np.clip(ys + 2, 0, h - 1) - r0, band_cols, 0]
    fall = np.clip((l_above - l_below) / DARK_FALL, 0.0, 1.0) * (l_below < shadow_l)
    score = score * np.clip(np.maximum(above - below, fall), 0.1, 1.0)
    score = score * np.exp(-np.abs(offs) / max(2.0, reach))[None, :]
    n, m = score.shape
    path = _smooth_path(score, ys)
    # Sub-pixel: the vertex of a parabola through the score around the chosen row.
    j = np.clip(path, 1, m - 2)
    r = np.arange(n)
    s0, s1, s2 = score[r, j - 1], score[r, j], score[r, j + 1]
    den = s0 - 2 * s1 + s2
    frac = np.where(den < -1e-9, 0.5 * (s0 - s2) / np.where(den < -1e-9, den, -1.0), 0.0)
    out[cols] = ys[r, j] + np.clip(frac, -0.5, 0.5) * (ys[r, j + 1] - ys[r, j])
    return out


_BAND_PAD = 8  # px around the searched band: > the reach of the smoothing and the gradient
DY_MAX = 2  # rows the plantar edge may move from one column to the next
DY_PENALTY = 0.05  # score lost per row moved


def _smooth_path(score: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The DP of `trace_bottom`: per column (row of `score`, columns x offsets) the offset
    index of the best path whose absolute row (`ys`) moves by at most DY_MAX px from one
    column to the next, each px moved costing DY_PENALTY, a forbidden move 1e6 more (ties
    go to the lowest index).

    Neighbouring columns' windows are mostly the same rows shifted by a few px, so their
    transition costs depend only on that shift: they are made once per shift (clipped
    windows get their own), and the loop over the columns, which is what costs, does as
    little as it can. A forbidden move wins only where an offset has no allowed
    predecessor, or after such a column; there the costs are taken in two steps, as they
    always were, so every sum that can win is rounded as before: the path is the same to
    the bit as the plain m x m DP's.
    """
    n, m = score.shape
    rows = np.arange(m)
    regular = (np.diff(ys, axis=1) == 1).all(axis=1).tolist()  # window not clipped
    starts = ys[:, 0].tolist()
    by_shift: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, bool]] = {}

    def costs(i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
        """(cost, forbidden, both together, some offset has no allowed predecessor)."""
        shift = int(starts[i] - starts[i - 1]) if regular[i] and regular[i - 1] else None
        if shift is not None and shift in by_shift:
            return by_shift[shift]
        dy = np.abs(ys[i][:, None] - ys[i - 1][None, :])
        cost = DY_PENALTY * dy
        forbid = np.where(dy > DY_MAX, 1e6, 0.0)
        out = (cost, forbid, cost + forbid, bool((forbid.min(axis=1) > 0).any()))
        if shift is not None:
            by_shift[shift] = out
        return out

    # Sums far from +-1e6 (the scores are normalised to ~1) keep a forbidden move from
    # tying with an allowed one; otherwise (a flat picture) every column takes two steps.
    always = n * float(np.abs(score).max()) >= 1e5
    acc = score[0].copy()
    back = [rows]
    exact = False  # acc holds sums through a forbidden move: keep the two-step costs
    for i in range(1, n):
        cost, forbid, together, stranded = costs(i)
        exact = exact or always or stranded
        if exact:
            trans = acc - cost
            trans -= forbid
        else:
            trans = acc - together  # == the two steps wherever the move is allowed
        j = trans.argmax(axis=1)
        acc = score[i] + trans[rows, j]
        back.append(j)
        if exact:
            exact = bool(acc.min() < -1e5)
    path = np.zeros(n, int)
    p = int(np.argmax(acc))
    path[-1] = p
    table = np.array(back).tolist()
    for i in range(n - 1, 0, -1):
        p = table[i][p]
        path[i - 1] = p
    return path


def trace_back(lab: np.ndarray, mask: np.ndarray, y0: int, y1: int, reach: int,
               left: bool, dist: np.ndarray, shadow_l: float = -1.0) -> np.ndarray:
    """The heel's posterior edge x(y) for rows y0..y1 (NaN elsewhere): `trace_bottom` on the
    transposed image, searching outward (left when `left`) from the mask's own edge. The
    colour mask loses the shaded back of the heel as it loses its underside."""
    # Views, not copies: `trace_bottom` copies only the band of rows it smooths.
    lab_t, mask_t, dist_t = lab.transpose(1, 0, 2), mask.T, dist.T
    if left:
        lab_t, mask_t, dist_t = lab_t[::-1], mask_t[::-1], dist_t[::-1]
    x = trace_bottom(lab_t, mask_t, y0, y1, reach, dist_t, shadow_l)
    return (mask.shape[1] - 1 - x) if left else x


def side_silhouette(rgb: np.ndarray) -> SideSilhouette:
    """Mask and plantar profile of a side-view working image (RGB uint8, ~480 px)."""
    lab = _lab(cv2.GaussianBlur(rgb, (0, 0), 1.0))
    centres = floor_centres(lab)
    mask, contrast, dist = colour_mask(lab, centres)
    shadow_l = SHADOW_DARKER * float(centres[:, 0].min())
    _h, w = mask.shape
    warnings: list[str] = []
    skin = skin_model(lab, mask) if mask.any() else None
    separation = skin.separation if skin is not None else 0.0
    if skin is not None and skin.usable:
        # The foot's own colour is distinct from the floor's. When it disagrees with the
        # floor model over more than a thin border (> SKIN_OVERRIDE of the mask), shadows or
        # strips of other floor colours were taken for foot: the skin model wins.
        kept = skin_mask(skin, mask)
        if 1.0 - kept.sum() / max(1, mask.sum()) > SKIN_OVERRIDE:
            mask, dist = kept, skin_distance(skin, dist)
            warnings.append("shadows or floor taken for skin by the floor colours were removed"
                            " by the skin colour model")
    bottom = np.full(w, np.nan)
    if not mask.any():
        why = ["no foot found against the floor"]
        return SideSilhouette(mask, bottom, lab, contrast, dist, why, separation, shadow_l)
    xs = np.flatnonzero(mask.any(axis=0))
    x0, x1 = int(xs[0]), int(xs[-1])
    span = x1 - x0
    # The ends of the foot (heel back, toe tip) are steep: the DP only runs inside them.
    a, b = x0 + int(0.03 * span), x1 - int(0.03 * span)
    bottom = trace_bottom(lab, mask, a, b, max(6, int(0.06 * span)), dist, shadow_l)
    if contrast < 1.3:
        warnings.append("the foot hardly stands out from the floor: the outline may be wrong")
    return SideSilhouette(mask, bottom, lab, contrast, dist, warnings, separation, shadow_l)
