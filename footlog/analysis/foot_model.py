"""The foot without a page: told from the floor by a colour model learnt from the photo,
by its connection to the frame's edge and by its shape.

No colour is skin by itself (a wooden floor has the hue of skin, a dark leg or a trouser
leg the lightness of a shadow), so the floor is learnt from the photo: on a small copy
(SMALL_SIDE px), the colours are grouped by k-means, and a group is floor when it shows
along the frame's edge in two separate stretches or more, or along much of it, or covers
much of the picture. The leg, entering the picture, shows along the edge in one stretch
only. Everything far from every floor colour (Mahalanobis distance, the lightness weighted
less than the chroma: shading changes lightness) is a candidate, except the paper-white.

The candidates' connected regions are judged as a foot with its leg: one region entering
through one stretch of the frame's edge (a floor plank or a shading crosses it, or runs
along it), elongated, clearly apart from the floor in colour, of a foot's size. A second
region of the same kind is the other foot: the one nearer the picture's centre is kept, and
a warning says so. When no region is foot-like, there is no foot: the reason is given and
the detector fails the photo. The region chosen is then refined at working size by two
Gaussian colour models, foot and floor (`segmentation_nopaper.refine_band`).

All sizes are fractions of the picture's side.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from footlog.analysis.segmentation_nopaper import refine_band

SMALL_SIDE = 128  # px: the colour groups and regions are found at this size
GROUPS = 6  # k-means colour groups: the floor takes 2-4 (shading, tiles, planks)
EDGE_BINS = 24  # the frame's edge is cut into this many stretches
# A group shows in a stretch of the edge when it is this share of that stretch's pixels.
SHOWS = 0.2
# A group is floor when it shows in this many stretches (a third of the edge) ...
FLOOR_STRETCHES = 8
# ... or in this many separate runs of stretches (unless each is one region of its own
# reaching in: two legs), or covers this share of the picture.
FLOOR_RUNS = 2
FLOOR_AREA = 0.35
LIGHT_WEIGHT = 0.5  # Lab's L against a and b in the colour distances
COLOUR_FLOOR = 4.0  # (Lab units)^2 added to each floor group's covariance: JPEG noise
# Mahalanobis^2 beyond which a colour is not the floor (3 degrees of freedom: 1e-3).
NOT_FLOOR = 16.0
# Paper-white: lightness within 85 % of the picture's brightest, chroma below this.
PAPER_CHROMA = 8.0
MIN_AREA = 0.005  # share of the picture below which a region is a speck
# A foot with its leg, seen from above: at least this elongated (sqrt of the ratio of its
# second moments; a foot alone is ~2.5, with its leg more) and this far from the floor
# (median Mahalanobis distance).
MIN_ELONGATION = 1.6
MIN_CONTRAST = 4.5
# A second foot: a region scoring at least this share of the first's score.
SECOND_FOOT = 0.6
NO_FOOT = "no foot-shaped region told from the floor"


@dataclass
class FootFind:
    """The foot found without a page: `mask` uint8 0/1 at working size, or None with the
    `reason`; `warnings` for the person (a second foot left out)."""

    mask: np.ndarray | None
    reason: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Region:
    label: int
    area: float  # share of the picture
    stretches: int  # separate stretches of the frame's edge it touches
    elongation: float
    contrast: float
    centre_distance: float  # from the picture's centre, share of its half-diagonal

    @property
    def score(self) -> float:
        """How much the region looks like a foot with its leg (higher: more)."""
        entry = {1: 2.0, 0: 0.5}.get(self.stretches, -2.0)
        return (entry + 0.5 * min(self.elongation, 4.0) + 0.2 * min(self.contrast, 10.0)
                + 5.0 * min(self.area, 0.3))

    @property
    def foot_like(self) -> bool:
        return (self.stretches <= 1 and self.elongation >= MIN_ELONGATION
                and self.contrast >= MIN_CONTRAST)


def find_foot(rgb: np.ndarray) -> FootFind:
    """The foot (and its leg) in an RGB uint8 working image with no page under it."""
    h0, w0 = rgb.shape[:2]
    k = SMALL_SIDE / max(h0, w0)
    small = cv2.GaussianBlur(cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_AREA),
                             (0, 0), 0.8)
    lab = cv2.cvtColor(small, cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 1:] -= 128.0
    h, w = lab.shape[:2]
    feat = lab.reshape(-1, 3) * np.float32([LIGHT_WEIGHT, 1.0, 1.0])
    depth, along = _edge_position(h, w)
    groups = _colour_groups(feat)
    floor = _floor_groups(groups, depth, along)
    distance = _floor_distance(feat, groups, floor).reshape(h, w)
    light, chroma = lab[..., 0], np.hypot(lab[..., 1], lab[..., 2])
    paper = (light >= 0.85 * np.percentile(light, 99)) & (chroma < PAPER_CHROMA)
    cand = ((distance > NOT_FLOOR) & ~paper).astype(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    cand = cv2.morphologyEx(cv2.morphologyEx(cand, cv2.MORPH_OPEN, kernel),
                            cv2.MORPH_CLOSE, kernel)
    n, labels = cv2.connectedComponents(cand, connectivity=8)
    regions = [r for r in (_region(labels, i, depth, along, distance) for i in range(1, n))
               if r is not None]
    feet = sorted((r for r in regions if r.foot_like), key=lambda r: -r.score)
    if not feet:
        return FootFind(None, NO_FOOT)
    chosen, warnings = feet[0], []
    if len(feet) > 1 and feet[1].score >= SECOND_FOOT * feet[0].score:
        # Two feet: the one nearer the centre is the one photographed.
        chosen = min(feet[:2], key=lambda r: r.centre_distance)
        warnings.append("two feet in the photo: the one nearer the centre was measured")
    coarse = (labels == chosen.label).astype(np.float32)
    coarse = (cv2.resize(coarse, (w0, h0), interpolation=cv2.INTER_LINEAR) > 0.5)
    mask = refine_band(rgb, coarse.astype(np.uint8))
    if mask is None:
        return FootFind(None, NO_FOOT)
    return FootFind(mask, "", warnings)


def _edge_position(h: int, w: int) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel's distance (px) to the frame's edge, and the position (0..1, clockwise
    from the top-left corner) of the nearest point of the edge."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    right, bottom = w - 1 - xx, h - 1 - yy
    depth = np.minimum(np.minimum(yy, xx), np.minimum(right, bottom))
    along = np.where(yy == depth, xx, np.where(right == depth, w + yy, np.where(
        bottom == depth, w + h + right, 2 * w + h + bottom)))
    return depth, along / (2 * (w + h))


def _colour_groups(feat: np.ndarray) -> np.ndarray:
    """k-means group of each pixel (repeatable: OpenCV's generator is seeded)."""
    cv2.setRNGSeed(1)
    crit = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 10, 0.5)
    _, labels, _ = cv2.kmeans(np.ascontiguousarray(feat), GROUPS, None, crit, 1,
                              cv2.KMEANS_PP_CENTERS)
    return labels.ravel()


def _stretches(shown: np.ndarray) -> int:
    """Separate runs of True in a circular row of stretches."""
    if shown.all():
        return 1
    return int(np.count_nonzero(shown & ~np.roll(shown, 1)))


def _floor_groups(groups: np.ndarray, depth: np.ndarray, along: np.ndarray) -> np.ndarray:
    """Which colour groups are floor (bool per group)."""
    ring = depth.ravel() < max(2, round(0.03 * max(depth.shape)))
    where = np.minimum((along.ravel()[ring] * EDGE_BINS).astype(int), EDGE_BINS - 1)
    counts = np.zeros((GROUPS, EDGE_BINS))
    np.add.at(counts, (groups[ring], where), 1)
    shown = counts / np.maximum(counts.sum(axis=0, keepdims=True), 1) >= SHOWS
    area = np.bincount(groups, minlength=GROUPS) / groups.size
    floor = np.array([(_stretches(shown[g]) >= FLOOR_RUNS and not _two_legs(groups == g, depth))
                      or shown[g].sum() >= FLOOR_STRETCHES or area[g] > FLOOR_AREA
                      for g in range(GROUPS)])
    if not floor.any():
        floor[np.argmax(counts.sum(axis=1))] = True
    return floor


def _two_legs(group: np.ndarray, depth: np.ndarray) -> bool:
    """Whether a colour group seen along the edge in two runs is two legs: its two largest
    regions, each touching the edge, hold nearly all of it and are each much longer than
    they reach along the edge."""
    h, w = depth.shape
    n, labels, stats, _ = cv2.connectedComponentsWithStats(
        group.reshape(h, w).astype(np.uint8), connectivity=8)
    if n < 3:
        return False
    order = 1 + np.argsort(-stats[1:, cv2.CC_STAT_AREA])
    two = order[:2]
    if stats[two, cv2.CC_STAT_AREA].sum() < 0.8 * stats[1:, cv2.CC_STAT_AREA].sum():
        return False
    edge = depth < 1.5
    for i in two:
        comp = labels == i
        touching = np.count_nonzero(comp & edge)
        reach = float(depth[comp].max())
        if touching == 0 or reach < 2.0 * touching:
            return False
    return True


def _floor_distance(feat: np.ndarray, groups: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Each pixel's Mahalanobis^2 to the nearest floor group's Gaussian."""
    best = np.full(len(feat), np.inf, np.float32)
    for g in np.flatnonzero(floor):
        x = feat[groups == g][::3]
        mu = x.mean(axis=0)
        icov = np.linalg.inv(np.cov((x - mu).T) + COLOUR_FLOOR * np.eye(3)).astype(np.float32)
        dx = feat - mu
        best = np.minimum(best, np.einsum("ij,jk,ik->i", dx, icov, dx))
    return best


def _region(labels: np.ndarray, i: int, depth: np.ndarray, along: np.ndarray,
            distance: np.ndarray) -> _Region | None:
    """The measures of region `i` that judge it, or None for a speck."""
    comp = labels == i
    h, w = labels.shape
    area = np.count_nonzero(comp) / (h * w)
    if area < MIN_AREA:
        return None
    touch = comp & (depth < 1.5)
    shown = np.zeros(EDGE_BINS, bool)
    shown[np.minimum((along[touch] * EDGE_BINS).astype(int), EDGE_BINS - 1)] = True
    ys, xs = np.nonzero(comp)
    ev = np.linalg.eigvalsh(np.cov(np.stack([xs, ys]).astype(float)))
    centre = np.hypot(xs.mean() - (w - 1) / 2, ys.mean() - (h - 1) / 2) / (0.5 * np.hypot(w, h))
    return _Region(i, area, _stretches(shown) if shown.any() else 0,
                   float(np.sqrt(ev[1] / max(ev[0], 1e-6))),
                   float(np.median(np.sqrt(distance[comp]))), float(centre))
