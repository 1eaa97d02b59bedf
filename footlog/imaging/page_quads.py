"""Page hypotheses from straight lines: quadrilaterals a rectangle under perspective can make.

Four lines make a hypothesis when they are two pairs of roughly opposite sides, the quad
they bound is convex with at least two corners in the frame, and each line's seen
stretches lie on its side between the corners. (Which side of each line is brighter is not
asked: on a glossy floor a page is lighter than the floor in one place and darker in
another.) Three lines (a pair and one line joining them) make one too: the page's fourth
side is hidden (by the leg, or beyond the frame), and is placed from the paper's side
ratio and the focal length (`footlog.domain.page_geometry.complete_rectangles`).

Each hypothesis gets a first, cheap score from the lines alone: how much of its sides'
visible length the lines cover, less what the lines run on past its corners (a page's edge
stops at its corner; a grout line or a board does not). The best few are then judged on the
picture itself (`footlog.imaging.page_evidence`).

Pixels are OpenCV px of the working picture.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from footlog.domain.page_geometry import complete_rectangles
from footlog.imaging.page_lines import Lines

# Opposite sides of a page seen from 50 deg off vertical with a wide lens converge by up to
# ~45 deg; neighbouring sides meet at >= 30 deg in any view a page can be measured from.
MAX_OPPOSITE_DEG = 60.0
MIN_ADJACENT_DEG = 20.0
# Lines of a pair at least this far apart (x the picture's long side): a page seen so small
# (a long side under ~10 % of the picture) cannot be measured well anyway.
MIN_SIDE = 0.06
# Opposite sides seen along their length at most this far apart (x the longer's seen
# extent): a leg may hide one end of one side and the other end of the other.
PAIR_GAP = 0.5
# A hypothesis's corners may lie this far beyond the frame (x its long side): a page cut by
# the frame or under a leg, with at least two corners in view.
CORNER_MARGIN = 0.6
# Along its side, a line's stretches may run this far (px) past a corner without counting as
# running on past it (the half-resolution detector's ends are uncertain by ~2 px).
END_SLACK_PX = 4.0


@dataclass
class Hypotheses:
    """Q page hypotheses. Side s runs from corner s to corner s + 1; `sides` holds each
    side's line index, -1 for a side placed from the other three; `coverage` and
    `overshoot` are per side
    (fraction of the side's length inside the frame that the lines cover; px of the line
    seen past the side's corners); `score` the cheap score."""

    quads: np.ndarray  # Q x 4 x 2
    sides: np.ndarray  # Q x 4 int
    coverage: np.ndarray  # Q x 4
    overshoot: np.ndarray  # Q x 4
    score: np.ndarray  # Q
    ratio: np.ndarray  # Q: a placed side's neighbours' real length / its opposite's; NaN

    def __len__(self) -> int:
        return len(self.score)

    def take(self, idx: np.ndarray) -> Hypotheses:
        return Hypotheses(self.quads[idx], self.sides[idx], self.coverage[idx],
                          self.overshoot[idx], self.score[idx], self.ratio[idx])

    @staticmethod
    def concat(parts: list[Hypotheses]) -> Hypotheses:
        return Hypotheses(*(np.concatenate([getattr(p, f) for p in parts])
                            for f in ("quads", "sides", "coverage", "overshoot", "score",
                                      "ratio")))


def empty() -> Hypotheses:
    return Hypotheses(np.zeros((0, 4, 2)), np.zeros((0, 4), int), np.zeros((0, 4)),
                      np.zeros((0, 4)), np.zeros(0), np.zeros(0))


def opposite_pairs(lines: Lines, size: tuple[int, int]) -> np.ndarray:
    """P x 2 index pairs (i < j) of lines that can be opposite sides of one page: within
    MAX_OPPOSITE_DEG of each other and each one's middle at least MIN_SIDE from the other."""
    n = len(lines)
    if n < 2:
        return np.zeros((0, 2), int)
    w, h = size
    mid = lines.midpoint()
    cos = np.abs(lines.direction @ lines.direction.T)
    dist = np.abs(mid @ lines.normal.T + lines.offset[None, :])  # [i, j]: i's middle from j
    gap = MIN_SIDE * max(w, h)
    ok = np.triu(cos >= math.cos(math.radians(MAX_OPPOSITE_DEG)), 1)
    ii, jj = np.nonzero(ok & (dist > gap) & (gap < dist.T))
    # Opposite sides of a page run alongside each other: seen from one, the other's seen
    # extent overlaps its own (or nearly: a leg may hide one end of one, the other end of
    # the other). Lines far apart along their length are not a page's sides.
    lo = np.nanmin(lines.intervals[:, :, 0], axis=1)
    hi = np.nanmax(lines.intervals[:, :, 1], axis=1)
    t_ends = np.stack([lo, hi], 1)[..., None]  # N x 2 x 1: each line's seen extent
    ends = lines.origin[:, None, :] + t_ends * lines.direction[:, None, :]  # N x 2 x 2
    ends_i, ends_j = ends[ii], ends[jj]
    u = lines.direction[ii]
    ti = np.sort(np.einsum("qek,qk->qe", ends_i - lines.origin[ii][:, None, :], u), axis=1)
    tj = np.sort(np.einsum("qek,qk->qe", ends_j - lines.origin[ii][:, None, :], u), axis=1)
    gap_along = np.maximum(ti[:, 0], tj[:, 0]) - np.minimum(ti[:, 1], tj[:, 1])  # < 0: overlap
    longer = np.maximum(ti[:, 1] - ti[:, 0], tj[:, 1] - tj[:, 0])
    keep = gap_along <= PAIR_GAP * longer
    return np.stack([ii[keep], jj[keep]], 1)


def _meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersections (... x 2) of homogeneous lines a, b (... x 3); inf when parallel."""
    p = np.cross(a, b)
    with np.errstate(divide="ignore", invalid="ignore"):
        return p[..., :2] / p[..., 2:3]


def convex(quads: np.ndarray) -> np.ndarray:
    """Whether each quad (Q x 4 x 2, in order) is strictly convex and finite."""
    e = np.roll(quads, -1, axis=1) - quads
    z = e[:, :, 0] * np.roll(e, -1, axis=1)[:, :, 1] - e[:, :, 1] * np.roll(e, -1, axis=1)[:, :, 0]
    finite = np.isfinite(quads).all(axis=(1, 2))
    return finite & ((z > 0).all(axis=1) | (z < 0).all(axis=1))


def in_range(quads: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Corners within CORNER_MARGIN of the frame, and at least two inside it."""
    w, h = size
    m = CORNER_MARGIN * max(w, h)
    x, y = quads[..., 0], quads[..., 1]
    near = ((x > -m) & (x < w + m) & (y > -m) & (y < h + m)).all(axis=1)
    inside = ((x >= -0.5) & (x <= w - 0.5) & (y >= -0.5) & (y <= h - 0.5)).sum(axis=1)
    return near & (inside >= 2)


def clip_lengths(p: np.ndarray, q: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Length (px) of each segment p-q (... x 2) inside the frame [-0.5, w-0.5] x
    [-0.5, h-0.5] (Liang-Barsky clipping)."""
    w, h = size
    d = q - p
    t0 = np.zeros(p.shape[:-1])
    t1 = np.ones(p.shape[:-1])
    with np.errstate(divide="ignore", invalid="ignore"):
        for axis, hi in ((0, w - 0.5), (1, h - 0.5)):
            ends = ((p[..., axis] + 0.5, -d[..., axis]), (hi - p[..., axis], d[..., axis]))
            for num, den in ends:
                t = num / den
                t0 = np.where(den < 0, np.maximum(t0, t), t0)
                t1 = np.where(den > 0, np.minimum(t1, t), t1)
                t1 = np.where((den == 0) & (num < 0), -1.0, t1)
    return np.clip(t1 - t0, 0, None) * np.linalg.norm(d, axis=-1)


def side_support(lines: Lines, line_idx: np.ndarray, a: np.ndarray, b: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """For sides from corner a to corner b (Q x 2) on lines `line_idx` (Q): the length of the
    line's seen stretches between the corners, and past them (px)."""
    o, u = lines.origin[line_idx], lines.direction[line_idx]
    ta = np.einsum("qk,qk->q", a - o, u)
    tb = np.einsum("qk,qk->q", b - o, u)
    lo = np.minimum(ta, tb)[:, None] - END_SLACK_PX
    hi = np.maximum(ta, tb)[:, None] + END_SLACK_PX
    iv = lines.intervals[line_idx]  # Q x K x 2
    s, e = iv[..., 0], iv[..., 1]
    inside = np.clip(np.minimum(e, hi) - np.maximum(s, lo), 0, None)
    total = e - s
    return np.nansum(inside, axis=1), np.nansum(total - inside, axis=1)


def _score(lines: Lines, quads: np.ndarray, sides: np.ndarray, size: tuple[int, int]
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Coverage, overshoot (Q x 4) and the cheap score (Q) of hypotheses."""
    q = len(quads)
    coverage = np.zeros((q, 4))
    overshoot = np.zeros((q, 4))
    visible = np.zeros((q, 4))
    for s in range(4):
        a, b = quads[:, s], quads[:, (s + 1) % 4]
        visible[:, s] = clip_lengths(a, b, size)
        known = sides[:, s] >= 0
        if known.any():
            inside, past = side_support(lines, sides[known, s], a[known], b[known])
            coverage[known, s] = np.minimum(inside / np.maximum(visible[known, s], 1.0), 1.0)
            overshoot[known, s] = past
    seen = sides >= 0
    perimeter = np.maximum((visible * seen).sum(axis=1), 1.0)
    covered = (coverage * visible * seen).sum(axis=1) / perimeter
    score = covered - (overshoot * seen).sum(axis=1) / perimeter
    return coverage, overshoot, score


def four_sided(lines: Lines, size: tuple[int, int], pairs: np.ndarray) -> Hypotheses:
    """Quads bounded by two opposite pairs of lines."""
    if len(pairs) < 2:
        return empty()
    a_idx, b_idx = np.triu_indices(len(pairs), 1)
    pa, pb = pairs[a_idx], pairs[b_idx]
    distinct = (pa[:, :, None] != pb[:, None, :]).all(axis=(1, 2))
    u = lines.direction
    cross = np.abs(np.einsum("qik,qjk->qij", u[pa], u[pb]))  # Q x 2 x 2
    apart = (cross <= math.cos(math.radians(MIN_ADJACENT_DEG))).all(axis=(1, 2))
    keep = distinct & apart
    pa, pb = pa[keep], pb[keep]
    sides = np.stack([pa[:, 0], pb[:, 0], pa[:, 1], pb[:, 1]], axis=1)  # i, k, j, l
    hom = lines.homogeneous[sides]  # Q x 4 x 3
    quads = _meet(np.roll(hom, 1, axis=1), hom)  # corner s: side s-1 meets side s
    ok = convex(quads) & in_range(quads, size)
    quads, sides = quads[ok], sides[ok]
    coverage, overshoot, score = _score(lines, quads, sides, size)
    return Hypotheses(quads, sides, coverage, overshoot, score, np.full(len(score), np.nan))


def three_sided(lines: Lines, size: tuple[int, int], pairs: np.ndarray,
                ratios: tuple[float, ...], focal_px: float) -> Hypotheses:
    """Quads with three sides on lines (a pair and one line joining them) and the fourth
    placed at each real side ratio in `ratios` (the joining side's neighbours / it)."""
    n = len(lines)
    if not len(pairs) or n < 3:
        return empty()
    w, h = size
    pi = np.repeat(np.arange(len(pairs)), n)
    k = np.tile(np.arange(n), len(pairs))
    i, j = pairs[pi, 0], pairs[pi, 1]
    u = lines.direction
    ok = (k != i) & (k != j)
    lim = math.cos(math.radians(MIN_ADJACENT_DEG))
    ok &= np.abs(np.einsum("qk,qk->q", u[k], u[i])) <= lim
    ok &= np.abs(np.einsum("qk,qk->q", u[k], u[j])) <= lim
    # The pair's middles lie on one side of the joining line: the page's.
    mid = lines.midpoint()
    side_i = np.einsum("qk,qk->q", mid[i], lines.normal[k]) + lines.offset[k]
    side_j = np.einsum("qk,qk->q", mid[j], lines.normal[k]) + lines.offset[k]
    ok &= np.sign(side_i) == np.sign(side_j)
    i, j, k = i[ok], j[ok], k[ok]
    if not len(k):
        return empty()
    hom = lines.homogeneous
    parts = []
    for ratio in ratios:
        p = _meet(hom[i], hom[k])
        quads = complete_rectangles(hom[i], hom[j], hom[k], mid[i] - p, np.full(len(k), ratio),
                                    np.full(len(k), focal_px), (w / 2 - 0.5, h / 2 - 0.5))
        sides = np.stack([k, j, np.full(len(k), -1), i], axis=1)
        good = convex(quads) & in_range(quads, size)
        coverage, overshoot, score = _score(lines, quads[good], sides[good], size)
        parts.append(Hypotheses(quads[good], sides[good], coverage, overshoot, score,
                                np.full(len(score), ratio)))
    return Hypotheses.concat(parts)
