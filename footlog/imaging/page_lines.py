"""The long straight edges of a picture, for the page finder.

OpenCV's line segment detector (LSD, von Gioi et al. 2012: a-contrario, so a faint but long
straight edge is found where a strong short one would be needed by a threshold) finds the
segments; pieces of one edge interrupted by a foot, a leg or a shadow are merged into one
line when they lie on it, whatever their polarity (a page's edge on a glossy floor is
lighter than the floor in one place and darker in another, and LSD splits it where it
turns). Each line keeps the intervals along it where it was seen.

Pixels are OpenCV px of the picture given (pixel centres at integers).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import cv2
import numpy as np

from footlog.imaging.graph_components import connected_components

# LSD runs on the picture halved (its `scale` 0.5): a page's edge is hundreds of px long, so
# half resolution loses none of them and costs a third of the full one (~6-15 ms at 640 px).
# The sides are later placed to sub-pixel on the full picture.
LSD_SCALE = 0.5
# Segments shorter than this (px) are texture (carpet, wood grain, print on the page).
MIN_SEGMENT_PX = 10.0
# Two pieces belong to one edge when they point the same way within 2.5 deg and each one's
# ends lie within 2 px of the other's line (the half-resolution detector places an edge to
# ~0.5 px; a page lying not quite flat bends its edge by ~1 px over its length).
MERGE_ANGLE_DEG = 2.5
MERGE_DISTANCE_PX = 2.0


@dataclass
class Lines:
    """N merged lines; arrays indexed by line.

    `normal` is a unit normal (toward the brighter side of most of its pieces), `offset` such that
    normal . x + offset = 0 on the line; `direction` is the unit vector along it (normal
    turned by -90 deg); `origin` a point on it, from which positions `t` along it are
    measured; `intervals` (N x K x 2, NaN-padded) the stretches seen, as t ranges;
    `support` (N) their total length (px).
    """

    normal: np.ndarray
    offset: np.ndarray
    direction: np.ndarray
    origin: np.ndarray
    intervals: np.ndarray
    support: np.ndarray

    def __len__(self) -> int:
        return len(self.support)

    @property
    def homogeneous(self) -> np.ndarray:
        """N x 3 lines (a, b, c), a x + b y + c = 0, (a, b) the normal."""
        return np.column_stack([self.normal, self.offset])

    def midpoint(self) -> np.ndarray:
        """N x 2: the middle of each line's seen extent."""
        lo = np.nanmin(self.intervals[:, :, 0], axis=1)
        hi = np.nanmax(self.intervals[:, :, 1], axis=1)
        return self.origin + ((lo + hi) / 2)[:, None] * self.direction

    def take(self, idx: np.ndarray) -> Lines:
        return Lines(self.normal[idx], self.offset[idx], self.direction[idx], self.origin[idx],
                     self.intervals[idx], self.support[idx])


# LSD ignores pixels whose gradient is below quant / sin(22.5 deg): ~5 grey levels per px
# with its default quant 2.0, under which a white page on white tiles (a step of 6-10
# levels over 2-3 px) fell. Two remedies together: the grey is squared first (x / 255)^2,
# which doubles the gradients between bright surfaces and halves those in dark textures
# (wood grain, carpet), and quant 1.5. A lower quant alone (0.6) let the grain of a wooden
# floor grow into the regions of a page's edges and lose them.
LSD_QUANT = 1.5
_SQUARE = np.round((np.arange(256) / 255.0) ** 2 * 255).astype(np.uint8)

_lsd: cv2.LineSegmentDetector | None = None
# The one detector is used by one thread at a time (see calibration.DETECTOR_LOCK).
_LSD_LOCK = threading.Lock()


def _detector() -> cv2.LineSegmentDetector:
    global _lsd
    if _lsd is None:
        _lsd = cv2.createLineSegmentDetector(cv2.LSD_REFINE_NONE, LSD_SCALE, 0.6, LSD_QUANT)
    return _lsd


def detect_segments(grey: np.ndarray) -> np.ndarray:
    """K x 4 segments (x0, y0, x1, y1), oriented (as LSD gives them) so that the normal
    (dy, -dx) points to the brighter side, at least MIN_SEGMENT_PX long."""
    squared = cv2.LUT(grey, _SQUARE)
    with _LSD_LOCK:
        found = _detector().detect(squared)[0]
    if found is None:
        return np.zeros((0, 4))
    seg = found.reshape(-1, 4).astype(np.float64)
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])
    return seg[length >= MIN_SEGMENT_PX]


def merge_segments(seg: np.ndarray) -> Lines:
    """Segments (K x 4, from `detect_segments`) merged into lines along which they lie,
    whatever their polarity."""
    if not len(seg):
        z = np.zeros((0, 2))
        return Lines(z, np.zeros(0), z, z, np.zeros((0, 1, 2)), np.zeros(0))
    p0, p1 = seg[:, :2], seg[:, 2:]
    d = p1 - p0
    length = np.hypot(d[:, 0], d[:, 1])
    u = d / length[:, None]
    n = np.stack([u[:, 1], -u[:, 0]], 1)  # bright side
    off = -np.einsum("ij,ij->i", n, p0)
    ii, jj = _similar_directions(u, MERGE_ANGLE_DEG)
    # Each one's two ends within the merge distance of the other's line, both ways.
    e_ij = np.maximum(np.abs(np.einsum("qk,qk->q", p0[ii], n[jj]) + off[jj]),
                      np.abs(np.einsum("qk,qk->q", p1[ii], n[jj]) + off[jj]))
    e_ji = np.maximum(np.abs(np.einsum("qk,qk->q", p0[jj], n[ii]) + off[ii]),
                      np.abs(np.einsum("qk,qk->q", p1[jj], n[ii]) + off[ii]))
    near = (e_ij <= MERGE_DISTANCE_PX) & (e_ji <= MERGE_DISTANCE_PX)
    return _group(seg, n, length, ii[near], jj[near])


def _similar_directions(u: np.ndarray, tol_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i < j) of unit directions (K x 2) within `tol_deg` of each other as
    undirected lines, found by sorting their angles (not comparing all K^2 pairs)."""
    k = len(u)
    theta = np.mod(np.arctan2(u[:, 1], u[:, 0]), np.pi)
    order = np.argsort(theta)
    th = theta[order]
    tol = math.radians(tol_deg)
    # Angles wrap at pi: append each one again, pi further on.
    th2 = np.concatenate([th, th + np.pi])
    hi = np.searchsorted(th2, th + tol, side="right")
    start = np.arange(k) + 1
    count = np.maximum(hi - start, 0)
    a = np.repeat(np.arange(k), count)
    first = np.repeat(np.cumsum(count) - count, count)
    b = np.arange(count.sum()) - first + np.repeat(start, count)
    i, j = order[a], order[b % k]
    keep = i != j
    i, j = i[keep], j[keep]
    lo, hi2 = np.minimum(i, j), np.maximum(i, j)
    pairs = np.unique(np.stack([lo, hi2], 1), axis=0) if len(lo) else np.zeros((0, 2), int)
    return pairs[:, 0], pairs[:, 1]


def _group(seg: np.ndarray, n: np.ndarray, length: np.ndarray, ii: np.ndarray,
           jj: np.ndarray) -> Lines:
    """One line per group of linked segments (links ii[q] - jj[q]): the length-weighted
    total-least-squares line through their ends, its normal toward the bright side of most
    of them. A connected group whose pieces do not all lie on one line (links chain along
    a curve, or across the grain of a wooden floor) is split: the longest piece starts a
    line, the others join it while they lie on it, and what is left starts again."""
    k = len(seg)
    count, label = connected_components(k, ii, jj)
    c, direction = _fit_groups(seg, length, label, count)
    # Groups whose every end lies on their line are done; the others are split.
    dist = np.maximum(_off_line(seg[:, :2], c[label], direction[label]),
                      _off_line(seg[:, 2:], c[label], direction[label]))
    worst = np.zeros(count)
    np.maximum.at(worst, label, dist)
    final = label.copy()
    next_label = count
    for g in np.flatnonzero(worst > MERGE_DISTANCE_PX):
        members = np.flatnonzero(label == g)
        first = True
        while len(members):
            members = members[np.argsort(-length[members], kind="stable")]
            taken = [members[0]]
            cg, dg = _fit(seg[taken], length[taken])
            for m in members[1:]:
                if max(_off_line(seg[m : m + 1, :2], cg, dg)[0],
                       _off_line(seg[m : m + 1, 2:], cg, dg)[0]) <= MERGE_DISTANCE_PX:
                    taken.append(m)
                    cg, dg = _fit(seg[taken], length[taken])
            if not first:
                final[taken] = next_label
                next_label += 1
            first = False
            members = np.setdiff1d(members, taken)
    _, final = np.unique(final, return_inverse=True)
    count = int(final.max()) + 1
    c, direction = _fit_groups(seg, length, final, count)
    normal = np.stack([direction[:, 1], -direction[:, 0]], 1)
    # Toward the bright side of most of each line's length.
    agree = np.bincount(final, weights=length * np.einsum("qk,qk->q", n, normal[final]),
                        minlength=count)
    flip = agree < 0
    normal[flip], direction[flip] = -normal[flip], -direction[flip]
    t0 = np.einsum("qk,qk->q", seg[:, :2] - c[final], direction[final])
    t1 = np.einsum("qk,qk->q", seg[:, 2:] - c[final], direction[final])
    spans = _unions(final, np.minimum(t0, t1), np.maximum(t0, t1), count)
    support = np.array([float((iv[:, 1] - iv[:, 0]).sum()) for iv in spans])
    width = max(len(iv) for iv in spans)
    intervals = np.full((count, width, 2), np.nan)
    for row, iv in enumerate(spans):
        intervals[row, : len(iv)] = iv
    return Lines(normal, -np.einsum("qk,qk->q", normal, c), direction, c, intervals, support)


def _off_line(p: np.ndarray, c: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Distance of points p (... x 2) from the lines through c along unit d."""
    q = p - c
    return np.abs(q[..., 0] * d[..., 1] - q[..., 1] * d[..., 0])


def _fit(seg: np.ndarray, length: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point on and the unit direction of the line through segments' ends, each end
    weighted by its segment's length (total least squares)."""
    c, d = _fit_groups(seg, length, np.zeros(len(seg), int), 1)
    return c[0], d[0]


def _fit_groups(seg: np.ndarray, length: np.ndarray, label: np.ndarray, count: int
                ) -> tuple[np.ndarray, np.ndarray]:
    """Per group: the length-weighted centroid of its segments' ends and the direction of
    their total-least-squares line (the 2 x 2 scatter's major axis, in closed form)."""
    pts = np.vstack([seg[:, :2], seg[:, 2:]])
    w = np.concatenate([length, length])
    lab = np.concatenate([label, label])
    sw = np.bincount(lab, w, count)
    c = np.stack([np.bincount(lab, w * pts[:, 0], count), np.bincount(lab, w * pts[:, 1], count)],
                 1) / sw[:, None]
    q = pts - c[lab]
    sxx = np.bincount(lab, w * q[:, 0] ** 2, count)
    syy = np.bincount(lab, w * q[:, 1] ** 2, count)
    sxy = np.bincount(lab, w * q[:, 0] * q[:, 1], count)
    theta = 0.5 * np.arctan2(2 * sxy, sxx - syy)
    return c, np.stack([np.cos(theta), np.sin(theta)], 1)


def _unions(label: np.ndarray, lo: np.ndarray, hi: np.ndarray, count: int) -> list[np.ndarray]:
    """Per label: the union of the intervals [lo, hi] with that label, as sorted disjoint
    intervals (M x 2)."""
    order = np.lexsort((lo, label))
    out: list[list[list[float]]] = [[] for _ in range(count)]
    for q in order:
        g, a, b = label[q], float(lo[q]), float(hi[q])
        spans = out[g]
        if spans and a <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], b)
        else:
            spans.append([a, b])
    return [np.array(x) for x in out]


def find_lines(grey: np.ndarray, extra: np.ndarray | None = None) -> Lines:
    """Every merged line of `grey` (uint8), with `extra` segments (K x 4) if given, the
    best supported first."""
    seg = detect_segments(grey)
    if extra is not None and len(extra):
        seg = np.concatenate([seg, extra])
    lines = merge_segments(seg)
    return lines.take(np.argsort(-lines.support, kind="stable"))


# Bands on either side of a line, px along its normal, for its step: a step edge (a page on
# the floor) differs there; the edges of a thin dark line (grout between two tiles, a gap
# between boards) see the same surface on both sides once past the line.
STEP_BAND = (4.0, 9.0)
STEP_SAMPLES = 12  # positions along each line's seen stretches


def band_steps(lines: Lines, grey: np.ndarray) -> np.ndarray:
    """Per line: the median, over positions along its seen stretches, of the difference of
    the mean greys in STEP_BAND on either side (grey levels, >= 0)."""
    n = len(lines)
    if n == 0:
        return np.zeros(0)
    lo = np.nanmin(lines.intervals[:, :, 0], axis=1)
    hi = np.nanmax(lines.intervals[:, :, 1], axis=1)
    # Positions spread over each line's seen stretches (by length along the union).
    frac = (np.arange(STEP_SAMPLES) + 0.5) / STEP_SAMPLES
    iv = np.nan_to_num(lines.intervals, nan=0.0)
    lengths = iv[:, :, 1] - iv[:, :, 0]
    cum = np.cumsum(lengths, axis=1)
    total = np.maximum(cum[:, -1:], 1e-9)
    target = frac[None, :] * total  # N x S, length along the union
    k = np.minimum((target[:, :, None] > cum[:, None, :]).sum(axis=2), iv.shape[1] - 1)
    before = np.take_along_axis(np.concatenate([np.zeros((n, 1)), cum], axis=1), k, axis=1)
    t = np.take_along_axis(iv[:, :, 0], k, axis=1) + (target - before)
    t = np.where(np.isfinite(t), t, ((lo + hi) / 2)[:, None])
    base = lines.origin[:, None, :] + t[..., None] * lines.direction[:, None, :]  # N x S x 2
    offs = np.linspace(STEP_BAND[0], STEP_BAND[1], 5)
    both = np.concatenate([offs, -offs])
    pts = base[:, :, None, :] + both[None, None, :, None] * lines.normal[:, None, None, :]
    pts = pts.astype(np.float32).reshape(n * STEP_SAMPLES, len(both), 2)
    vals = cv2.remap(grey.astype(np.float32), pts[..., 0], pts[..., 1], cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE).reshape(n, STEP_SAMPLES, 2, len(offs))
    step = vals[:, :, 0].mean(axis=2) - vals[:, :, 1].mean(axis=2)
    return np.median(np.abs(step), axis=1)


# The outline of a bright, smooth region (a page on a darker floor) is a second source of
# edges: a page's side seen only over a short stretch (the rest under the leg or beyond the
# frame) may give LSD too little to find, but it bounds the region. Quarter-resolution
# picture; regions of at least REGION_AREA of it, the REGIONS largest; sides of their convex
# hull simplified to within REGION_EPSILON of its perimeter, at least REGION_SIDE (x the
# picture's long side) long and not along the frame.
REGIONS = 3
REGION_AREA = 0.03
REGION_EPSILON = 0.01
REGION_SIDE = 0.04
REGION_SMOOTH_SD = 5.0  # grey levels: paper 1-3, carpet and concrete 4-40


def region_segments(grey_q: np.ndarray, sd_q: np.ndarray, scale: float) -> np.ndarray:
    """K x 4 segments (as `detect_segments`, in px of the picture `scale` x larger than the
    quarter-resolution `grey_q`, with `sd_q` its local standard deviation): the sides of
    the hulls of the largest bright smooth regions (brighter than Otsu's level)."""
    g8 = np.clip(grey_q, 0, 255).astype(np.uint8)
    level, _ = cv2.threshold(g8, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    mask = ((g8 > level) & (sd_q < REGION_SMOOTH_SD)).astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=4)
    hq, wq = mask.shape
    out = []
    for i in np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:REGIONS] + 1:
        if stats[i, cv2.CC_STAT_AREA] < REGION_AREA * hq * wq:
            break
        contours, _ = cv2.findContours((labels == i).astype(np.uint8), cv2.RETR_EXTERNAL,
                                       cv2.CHAIN_APPROX_SIMPLE)
        hull = cv2.convexHull(max(contours, key=len))
        poly = cv2.approxPolyDP(hull, REGION_EPSILON * cv2.arcLength(hull, True), True)
        poly = poly.reshape(-1, 2).astype(np.float64)
        # Each side oriented so that the region (bright) lies on its normal (dy, -dx).
        centre = poly.mean(axis=0)
        for a, b in zip(poly, np.roll(poly, -1, axis=0), strict=True):
            on_frame = any((a[k] <= 1 and b[k] <= 1) or (a[k] >= lim - 2 and b[k] >= lim - 2)
                           for k, lim in ((0, wq), (1, hq)))
            if on_frame or np.linalg.norm(b - a) < REGION_SIDE * max(hq, wq):
                continue
            d = b - a
            if np.array([d[1], -d[0]]) @ (centre - a) < 0:
                a, b = b, a
            out.append([*((a + 0.5) * scale - 0.5), *((b + 0.5) * scale - 0.5)])
    return np.array(out, float).reshape(-1, 4)
