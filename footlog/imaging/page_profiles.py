"""Brightness profiles across the sides of page hypotheses, and the sides placed on them.

For many hypotheses at once (one remap, array operations over all their sides): at
SAMPLES positions along each side, a profile of grey along the side's outward normal; in
it, the steepest change of brightness (either polarity: a page on a glossy floor is
lighter than the floor in one place and darker in another), placed to sub-pixel, with
its height; the band step 3-7 px either side (a step, not a thin line); whether the
position is in view (in the frame, and the page's side of it of the page's lightness and
colour, not under the foot, the leg or trousers); and what lies beyond. Each side's line
is then fitted to its edge points, robustly (a fold, a shadow or the foot's outline puts
points off the line). `refine` does this twice, wide then narrow, and places a side
hidden whole from the other three and the paper's side ratio.

Pixels are OpenCV px of the working picture (~640 px long side).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from footlog.domain.page_geometry import complete_rectangles
from footlog.imaging.page_lines import Lines

SAMPLES = 32  # positions along each side
_STEP = 0.5  # px between points of a profile
OFFSETS = np.arange(-7.0, 10.01, _STEP)  # px along the outward normal, profiled
# Where the edge is looked for (px along the outward normal): wide around a side placed from
# the half-resolution lines or from the other sides, narrow around a refined one (so that a
# grout line or a shadow's edge a few px away is not taken instead).
WIDE_SEARCH = (-6.0, 9.0)
NARROW_SEARCH = (-2.5, 2.5)
# A step of at least this many grey levels (of 255) across 1-4 px is an edge point: JPEG
# noise at 640 px is ~1-2 levels, white paper on white tiles steps by ~6-20.
MIN_EDGE_STEP = 6.0
# Bands for the step-not-line test: mean grey 3-7 px inside the side against 3-7 px outside.
BAND = (3.0, 7.0)
# A position along a side is covered (by the foot, the leg, trousers) where the page's side
# band is darker than this fraction of the median along the page's edge (shadowed paper
# keeps ~80 % of its lightness; skin and cloth on white paper fall well below) or differs
# from the page's median colour by more than COVERED_COLOUR Lab units in a*, b* (pale skin
# is nearly as light as paper but redder by ~10-20; paper's own colour, white to the
# bluish of shade, varies by ~3 along one page).
COVERED = 0.75
COVERED_COLOUR = 10.0
# A side is seen when at least this many edge points, and this fraction of its positions in
# view, are found on it; otherwise it is hidden (placed from the others, when allowed).
MIN_SIDE_POINTS = 6
MIN_SIDE_COVERAGE = 0.2
# Quarter-resolution maps: texture is the local standard deviation of grey over 3 x 3
# quarter px (~12 x 12 working px): lit or shadowed paper 1-3 levels, carpet, concrete and
# wood grain 4-40.
QUARTER = 4
# `sides` entries of a hypothesis: a line's index (>= 0), PLACED_SIDE for a side to be
# placed from the others when it shows no edge, FREE_SIDE for a side on no line that must
# show an edge (a hypothesis from the foot detector's page region).
PLACED_SIDE = -1
FREE_SIDE = -2


@dataclass
class Picture:
    """What the page search needs of the working picture, computed once."""

    grey: np.ndarray  # float32, max(R, G, B) lightly blurred
    chroma: np.ndarray  # float32 H x W x 2, Lab a*, b* (OpenCV 8-bit units, offset removed)
    grey_q: np.ndarray  # float32, quarter resolution
    sd_q: np.ndarray  # float32, local standard deviation of grey_q over 3 x 3
    lines: Lines | None  # every merged line of the picture
    line_steps: np.ndarray | None = None  # per line, its band step (grey levels)

    @property
    def size(self) -> tuple[int, int]:
        h, w = self.grey.shape
        return w, h


def picture(grey_u8: np.ndarray, rgb: np.ndarray, lines: Lines | None) -> Picture:
    """The maps of a working picture: `grey_u8` its grey, `rgb` its colours."""
    h, w = grey_u8.shape
    q = cv2.resize(grey_u8, (max(1, w // QUARTER), max(1, h // QUARTER)),
                   interpolation=cv2.INTER_AREA).astype(np.float32)
    mean = cv2.blur(q, (3, 3))
    sd = np.sqrt(np.maximum(cv2.blur(q * q, (3, 3)) - mean * mean, 0))
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)
    chroma = lab[..., 1:].astype(np.float32) - 128.0
    return Picture(grey_u8.astype(np.float32), chroma, q, sd, lines)


def sample(img: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Bilinear values of `img` at points (N x 2, px), edge pixels repeated outside, in
    blocks of 1024 (OpenCV's remap takes maps of fewer than 32767 rows and columns)."""
    n = len(pts)
    rows = max(1, -(-n // 1024))
    block = np.zeros((rows * 1024, 2), np.float32)
    block[:n] = pts
    maps = block.reshape(rows, 1024, 2)
    out = cv2.remap(img, maps[..., 0], maps[..., 1], cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_REPLICATE)
    return out.reshape(rows * 1024, *img.shape[2:])[:n]


def steepest(prof: np.ndarray, offsets: np.ndarray, search: tuple[float, float]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """In each profile (rows of grey at `offsets` px along a normal, evenly spaced), the
    steepest change of brightness whose place lies within `search` px: its sub-pixel place
    (px), its sign (+1 where brightness falls with the offset), its height (grey levels,
    1-4 px before minus 1.5-4.5 px after, times the sign: > 0 for a clean step), and
    whether it lies inside the search window (not on its rim)."""
    rows = np.arange(len(prof))
    spacing = float(offsets[1] - offsets[0])
    deriv = prof[:, 2:] - prof[:, :-2]  # < 0 where brightness falls
    centre = offsets[1:-1]
    window = (centre >= search[0]) & (centre <= search[1])
    k = np.where(window, np.abs(deriv), -1.0).argmax(axis=1)
    last = deriv.shape[1] - 1
    kk = np.clip(k, 1, last - 1)
    a, b, c = deriv[rows, kk - 1], deriv[rows, kk], deriv[rows, kk + 1]
    denom = a - 2 * b + c
    big = np.abs(denom) > 1e-6
    sub = np.where(big, 0.5 * (a - c) / np.where(big, denom, 1.0), 0.0)
    idx = kk + 1
    off = offsets[0] + spacing * (idx + np.clip(sub, -1, 1))
    sign = np.where(deriv[rows, k] < 0, 1.0, -1.0)
    n = prof.shape[1]
    cum = np.zeros((len(prof), n + 1), np.float32)
    cum[:, 1:] = np.cumsum(prof, axis=1)
    i0, i1 = np.maximum(idx - 8, 0), np.maximum(idx - 2, 0)
    o0, o1 = np.minimum(idx + 3, n), np.minimum(idx + 9, n)
    before = (cum[rows, i1] - cum[rows, i0]) / np.maximum(i1 - i0, 1)
    after = (cum[rows, o1] - cum[rows, o0]) / np.maximum(o1 - o0, 1)
    step = sign * np.where((i1 > i0) & (o1 > o0), before - after, 0.0)
    ok = (k > 0) & (k < last) & window[np.clip(k - 1, 0, last)] & window[np.clip(k + 1, 0, last)]
    return off, sign, step, ok


@dataclass
class Profiles:
    """Profiles across the sides of Q quads (side s from corner s to s + 1), SAMPLES
    positions each: Q x 4 x SAMPLES arrays unless said."""

    points: np.ndarray  # ... x 2: the sub-pixel place of the steepest step
    sign: np.ndarray  # +1 where the page is the lighter side there, -1 where darker
    step: np.ndarray  # its height (grey levels, > 0 for a clean step of that sign)
    good: np.ndarray  # bool: an edge point, on the side's fitted line
    sharp: np.ndarray  # steepest slope (grey per px) over the band step (per px)
    visible: np.ndarray  # bool: the position is in view
    band: np.ndarray  # band step 3-7 px in minus out, times `sign` (grey levels)
    page_grey: np.ndarray  # Q: median grey 3-7 px inside over the positions in the frame
    page_colour: np.ndarray  # Q x 2: median a*, b* there
    beyond: np.ndarray  # Q x 4 x 3: (grey, a*, b*) medians 3-7 px out, over those in view
    lines: np.ndarray  # Q x 4 x 3: each side's line fitted to its edge points (NaN: none)
    in_frame: np.ndarray  # bool: the position's profile lies in the picture

    def take(self, idx: np.ndarray | int | np.integer) -> Profiles:
        return Profiles(*(getattr(self, f)[idx] for f in (
            "points", "sign", "step", "good", "sharp", "visible", "band", "page_grey",
            "page_colour", "beyond", "lines", "in_frame")))

    def seen(self) -> np.ndarray:
        """Q x 4 bool: sides with enough edge found to stand on their own."""
        found = self.good.sum(axis=2)
        in_view = self.visible.sum(axis=2)
        return (found >= MIN_SIDE_POINTS) & (found >= MIN_SIDE_COVERAGE * np.maximum(in_view, 1))


def profile(pic: Picture, quads: np.ndarray, search: tuple[float, float]) -> Profiles:
    """Profiles across the four sides of each quad (Q x 4 x 2), the edge looked for within
    `search` px of each side."""
    grey = pic.grey
    h, w = grey.shape
    nq = len(quads)
    p = quads
    q = np.roll(quads, -1, axis=1)
    u = (q - p) / (np.linalg.norm(q - p, axis=2, keepdims=True) + 1e-12)
    normal = np.stack([u[..., 1], -u[..., 0]], axis=2)  # Q x 4 x 2
    inward = quads.mean(axis=1, keepdims=True) - p
    flip = np.einsum("qsk,qsk->qs", inward, normal) > 0
    normal[flip] = -normal[flip]  # outward
    fr = (np.arange(SAMPLES) + 0.5) / SAMPLES
    base = p[:, :, None, :] + fr[None, None, :, None] * (q - p)[:, :, None, :]  # Q x 4 x S x 2
    coords = base[..., None, :] + OFFSETS[None, None, None, :, None] * normal[:, :, None, None, :]
    rows = nq * 4 * SAMPLES
    prof = sample(grey, coords.reshape(-1, 2)).reshape(rows, len(OFFSETS))
    lo_in = (-BAND[1] <= OFFSETS) & (-BAND[0] >= OFFSETS)
    lo_out = (BAND[0] <= OFFSETS) & (BAND[1] >= OFFSETS)
    inner_band = prof[:, lo_in].mean(axis=1).reshape(nq, -1)
    outer_band = prof[:, lo_out].mean(axis=1).reshape(nq, -1)
    flat = coords.reshape(nq, 4 * SAMPLES, len(OFFSETS), 2)
    ab_in = sample(pic.chroma, flat[:, :, lo_in].reshape(-1, 2)).reshape(
        nq, 4 * SAMPLES, -1, 2).mean(axis=2)
    ab_out = sample(pic.chroma, flat[:, :, lo_out].reshape(-1, 2)).reshape(
        nq, 4 * SAMPLES, -1, 2).mean(axis=2)
    ends = flat[:, :, [0, -1], :]
    in_frame = ((ends[..., 0] >= 0) & (ends[..., 0] <= w - 1) & (ends[..., 1] >= 0)
                & (ends[..., 1] <= h - 1)).all(axis=2)  # Q x 4S
    # The page's lightness and colour: medians along its outline in the frame.
    page_grey = masked_median(inner_band, in_frame)
    colour = np.stack([masked_median(ab_in[..., k], in_frame) for k in range(2)], axis=1)
    visible = (in_frame & (inner_band >= COVERED * page_grey[:, None])
               & (np.linalg.norm(ab_in - colour[:, None, :], axis=2) <= COVERED_COLOUR))
    off, sign, step, ok = steepest(prof, OFFSETS, search)
    sign, step = sign.reshape(nq, -1), step.reshape(nq, -1)
    band = sign * (inner_band - outer_band)
    # Sharpness: the steepest slope (grey per px) over the band step. A page's cut edge
    # is a step blurred by ~1 px (0.3-0.45 /px, photos and renders); a soft shadow's edge
    # spreads over ~10 px (~0.1 /px).
    slope = np.abs(np.diff(prof, axis=1)).max(axis=1).reshape(nq, -1) / _STEP
    sharp = slope / np.maximum(np.abs(inner_band - outer_band), 1.0)
    points = base.reshape(nq, -1, 2) + off.reshape(nq, -1, 1) * np.repeat(normal, SAMPLES, axis=1)
    good = (step > MIN_EDGE_STEP) & ok.reshape(nq, -1) & visible
    shape = (nq, 4, SAMPLES)
    outside = np.concatenate([outer_band[..., None], ab_out], axis=2).reshape(nq, 4, SAMPLES, 3)
    vis4 = visible.reshape(shape)
    beyond = np.stack([masked_median(outside[..., k], vis4) for k in range(3)], axis=-1)
    points = points.reshape(nq, 4, SAMPLES, 2)
    good = good.reshape(shape)
    lines, good = _robust_lines(points, good)
    return Profiles(points, sign.reshape(shape), step.reshape(shape), good,
                    sharp.reshape(shape), vis4, band.reshape(shape), page_grey, colour, beyond,
                    lines, in_frame.reshape(shape))


def masked_median(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The median along the last axis of `values` where `mask` (NaN where none): sorting
    once, as np.nanmedian does slowly for many short rows."""
    v = np.sort(np.where(mask, values, np.inf), axis=-1)
    n = mask.sum(axis=-1)
    lo = np.take_along_axis(v, np.maximum((n - 1) // 2, 0)[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(v, np.maximum(n // 2, 0)[..., None], axis=-1)[..., 0]
    with np.errstate(invalid="ignore"):
        return np.where(n > 0, (lo + hi) / 2, np.nan)


def _robust_lines(points: np.ndarray, good: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Total-least-squares lines (... x 3) through the good points of each side
    (... x S x 2), twice dropping the points farther than 2.5 x the median distance (and
    1 px) from the line; NaN lines where fewer than MIN_SIDE_POINTS remain."""
    good = good.copy()
    line = np.full((*good.shape[:-1], 3), np.nan)
    for _ in range(2):
        line = _tls(points, good)
        dist = np.abs(np.einsum("...sk,...k->...s", points, line[..., :2]) + line[..., 2:3])
        med = masked_median(np.nan_to_num(dist, nan=np.inf), good)
        keep = dist < np.maximum(1.0, 2.5 * np.nan_to_num(med, nan=np.inf))[..., None]
        enough = good.sum(axis=-1) >= MIN_SIDE_POINTS
        good = np.where(enough[..., None], good & keep, good)
    line = _tls(points, good)
    line[good.sum(axis=-1) < MIN_SIDE_POINTS] = np.nan
    return line, good


def _tls(points: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Lines (a, b, c), (a, b) a unit normal, through the masked points of each side."""
    wts = mask.astype(np.float64)
    n = np.maximum(wts.sum(axis=-1), 1e-9)
    c = np.einsum("...s,...sk->...k", wts, points) / n[..., None]
    d = (points - c[..., None, :]) * mask[..., None]
    sxx = np.einsum("...s,...s->...", d[..., 0], d[..., 0])
    syy = np.einsum("...s,...s->...", d[..., 1], d[..., 1])
    sxy = np.einsum("...s,...s->...", d[..., 0], d[..., 1])
    theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)
    a, b = np.sin(theta), -np.cos(theta)  # normal of the direction (cos, sin)
    return np.stack([a, b, -(a * c[..., 0] + b * c[..., 1])], axis=-1)


def corners_of(lines: np.ndarray) -> np.ndarray:
    """Q x 4 x 2 corners of Q quads' sides (Q x 4 x 3): corner s where side s-1 meets side s
    (non-finite where they are parallel)."""
    x = np.cross(np.roll(lines, 1, axis=1), lines)
    with np.errstate(all="ignore"):
        return x[..., :2] / x[..., 2:3]


def side_lines(quads: np.ndarray) -> np.ndarray:
    """Q x 4 x 3: the lines through each quad's sides (side s from corner s to s + 1)."""
    one = np.ones((*quads.shape[:2], 1))
    p = np.concatenate([quads, one], axis=2)
    return np.cross(p, np.roll(p, -1, axis=1))


# A side placed from the other three may be seen after all, over a stretch the lines missed
# (a page's corner out of the frame leaves a short piece of its side): its edge is sought
# this far (px) either side of where it was placed, which the paper's assumed shape and
# focal length may miss by tens of px in an oblique view.
SEEK_OFFSETS = np.arange(-40.0, 40.01, 1.0)
MIN_SEEK_COVERAGE = 0.3  # of the placed side's positions in the frame, an edge found


def seek_sides(pic: Picture, quads: np.ndarray, side: np.ndarray) -> np.ndarray:
    """For each quad, the line (3,) of the edge found near its side `side[q]` (steepest steps
    within SEEK_OFFSETS of it, fitted robustly), NaN where too little was found."""
    w, h = pic.size
    nq = len(quads)
    r = np.arange(nq)
    p, q = quads[r, side], quads[r, (side + 1) % 4]
    u = (q - p) / (np.linalg.norm(q - p, axis=1, keepdims=True) + 1e-12)
    normal = np.stack([u[:, 1], -u[:, 0]], axis=1)
    fr = (np.arange(SAMPLES) + 0.5) / SAMPLES
    base = p[:, None, :] + fr[None, :, None] * (q - p)[:, None, :]  # Q x S x 2
    coords = base[:, :, None, :] + SEEK_OFFSETS[None, None, :, None] * normal[:, None, None, :]
    prof = sample(pic.grey, coords.reshape(-1, 2)).reshape(nq * SAMPLES, len(SEEK_OFFSETS))
    off, _, step, ok = steepest(prof, SEEK_OFFSETS, (SEEK_OFFSETS[0], SEEK_OFFSETS[-1]))
    points = base + off.reshape(nq, SAMPLES, 1) * normal[:, None, :]
    x, y = base[..., 0], base[..., 1]
    in_frame = (x >= 0) & (x <= w - 1) & (y >= 0) & (y <= h - 1)
    good = (step.reshape(nq, SAMPLES) > MIN_EDGE_STEP) & ok.reshape(nq, SAMPLES) & in_frame
    lines, good = _robust_lines(points, good)
    enough = good.sum(axis=1) >= np.maximum(MIN_SEEK_COVERAGE * in_frame.sum(axis=1),
                                            MIN_SIDE_POINTS)
    lines[~enough] = np.nan
    return lines


def refine(pic: Picture, quads: np.ndarray, sides: np.ndarray, ratios: np.ndarray,
           focal_px: float) -> tuple[np.ndarray, Profiles, np.ndarray, np.ndarray]:
    """Place each side of each hypothesis on its edge (sub-pixel), wide then narrow, and a
    side hidden whole again from the other three (Q x 4 `sides` entries PLACED_SIDE may be
    hidden; `ratios` (Q) the real length of the sides next to it over the one opposite).

    Returns the refined quads, the last profiles, which sides were placed (Q x 4 bool), and
    which hypotheses survived (Q bool): a side on a line or free that shows no edge, or two
    sides hidden, end a hypothesis."""
    w, h = pic.size
    centre = (w / 2 - 0.5, h / 2 - 0.5)
    alive = np.ones(len(quads), bool)
    placed = np.zeros((len(quads), 4), bool)
    prof = profile(pic, quads, WIDE_SEARCH)
    for search in (WIDE_SEARCH, NARROW_SEARCH):
        if search is NARROW_SEARCH:
            prof = profile(pic, quads, search)
        seen = prof.seen()
        if search is WIDE_SEARCH:
            # A hidden side's edge, sought wider: where found, the side is seen after all.
            one = np.flatnonzero((~seen).sum(axis=1) == 1)
            if len(one):
                s_hidden = (~seen[one]).argmax(axis=1)
                found = seek_sides(pic, quads[one], s_hidden)
                ok = np.isfinite(found).all(axis=1)
                prof.lines[one[ok], s_hidden[ok]] = found[ok]
                seen[one[ok], s_hidden[ok]] = True
        placed = ~seen
        alive &= ~(placed & (sides != PLACED_SIDE)).any(axis=1) & (placed.sum(axis=1) <= 1)
        lines = np.where(seen[..., None], prof.lines, side_lines(quads))
        new = corners_of(lines)
        one = np.flatnonzero(alive & placed.any(axis=1))
        if len(one):
            s = placed[one].argmax(axis=1)
            r = np.arange(len(one))
            before = lines[one, (s - 1) % 4]
            after = lines[one, (s + 1) % 4]
            opposite = lines[one, (s + 2) % 4]
            inward = quads[one, s] - quads[one, (s - 1) % 4]  # along `before`, toward it
            done = complete_rectangles(before, after, opposite, inward, ratios[one],
                                       np.full(len(one), focal_px), centre)
            # done: before^opposite, opposite^after, after^hidden, hidden^before.
            for k, corner in enumerate(((s - 1) % 4, (s + 2) % 4, (s + 1) % 4, s)):
                new[one, corner] = done[r, k]
        alive &= np.isfinite(new).all(axis=(1, 2))
        quads = np.where(alive[:, None, None], new, quads)
    return quads, prof, placed, alive

