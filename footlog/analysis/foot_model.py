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
from typing import cast

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
# A region's foot-likeness score: by the runs of the frame's edge it enters from (one run,
# as a leg does: ENTRY_SCORE[1]; none: [0]; more: ENTRY_OTHER), plus its elongation, its
# colour contrast to the floor (Mahalanobis distance) and its area (share of the picture),
# each weighed and capped so that no one cue decides alone.
ENTRY_SCORE, ENTRY_OTHER = {1: 2.0, 0: 0.5}, -2.0
ELONGATION_WEIGHT, ELONGATION_CAP = 0.5, 4.0
CONTRAST_WEIGHT, CONTRAST_CAP = 0.2, 10.0
AREA_WEIGHT, AREA_CAP = 5.0, 0.3
PAPER_LIGHT = 0.85  # paper: at least this share of the 99th percentile of L, and grey
EDGE_RING = 0.03  # (share of the small picture's side) the ring along the frame's edge
EDGE_PX = 1.5  # (small-picture px) pixels this close to the frame touch its edge
# Two legs: their two largest regions hold at least this share of the colour group, and
# each reaches at least this many times as far in as it runs along the edge.
TWO_LEGS_SHARE, LEG_REACH = 0.8, 2.0


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
    edge_bins: int = 0  # stretches of the frame's edge (of EDGE_BINS) it shows in

    @property
    def along_much_of_edge(self) -> bool:
        """Whether it shows along as much of the frame's edge as a floor does."""
        return self.edge_bins >= FLOOR_STRETCHES

    @property
    def score(self) -> float:
        """How much the region looks like a foot with its leg (higher: more)."""
        entry = ENTRY_SCORE.get(self.stretches, ENTRY_OTHER)
        return (entry + ELONGATION_WEIGHT * min(self.elongation, ELONGATION_CAP)
                + CONTRAST_WEIGHT * min(self.contrast, CONTRAST_CAP)
                + AREA_WEIGHT * min(self.area, AREA_CAP))

    @property
    def foot_like(self) -> bool:
        return self.shaped_like_foot and self.contrast >= MIN_CONTRAST

    @property
    def shaped_like_foot(self) -> bool:
        """Entering the picture through one stretch of its edge (or not at all), and
        elongated as a foot with its leg."""
        return self.stretches <= 1 and self.elongation >= MIN_ELONGATION


@dataclass
class FootCandidates:
    """The foot-like regions of a picture, found on its small copy.

    labels: int32 region labels of the small copy (SMALL_SIDE px); feet: the foot-like
    regions, most foot-like first; size: (w, h) of the picture they were found on."""

    labels: np.ndarray
    feet: list[_Region]
    size: tuple[int, int]
    regions: list[_Region] = field(default_factory=list)  # every region judged

    def mask(self, region: _Region) -> np.ndarray:
        """The region's coarse mask at the picture's size (uint8 0/1)."""
        coarse = (self.labels == region.label).astype(np.float32)
        resized = cv2.resize(coarse, self.size, interpolation=cv2.INTER_LINEAR)
        return cast(np.ndarray, (resized > 0.5).astype(np.uint8))

    def second_foot(self) -> bool:
        """Whether a second region is as much a foot as the first (two feet apart)."""
        return len(self.feet) > 1 and self.feet[1].score >= SECOND_FOOT * self.feet[0].score


def foot_candidates(rgb: np.ndarray, page: np.ndarray | None = None) -> FootCandidates:
    """The regions of an RGB uint8 picture told from the floor that look like a foot with
    its leg (see the module's docstring). `page`: where a page probably lies (a polygon in
    px of `rgb`): its colour, learnt from the brighter half of what lies inside it, is not
    a foot either (under a colour cast a page need not be paper-white)."""
    h0, w0 = rgb.shape[:2]
    k, lab, feat = _small_lab(rgb)
    h, w = lab.shape[:2]
    depth, along, away = _away_from_floor(feat, (h, w), page, k)
    distance = away.reshape(h, w)
    light, chroma = lab[..., 0], np.hypot(lab[..., 1], lab[..., 2])
    paper = (light >= PAPER_LIGHT * np.percentile(light, 99)) & (chroma < PAPER_CHROMA)
    cand = ((distance > NOT_FLOOR) & ~paper).astype(np.uint8)
    return _judge(cand, distance, depth, along, (w0, h0))


def _small(rgb: np.ndarray) -> np.ndarray:
    """The picture at SMALL_SIDE px on its long side, slightly smoothed."""
    k = SMALL_SIDE / max(rgb.shape[:2])
    return cv2.GaussianBlur(cv2.resize(rgb, None, fx=k, fy=k, interpolation=cv2.INTER_AREA),
                            (0, 0), 0.8)


def _small_lab(rgb: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The small copy's scale (its px per px of `rgb`), its Lab (a*, b* centred) and each
    pixel's colour feature (Lab with L weighted by LIGHT_WEIGHT), one row per pixel."""
    k = SMALL_SIDE / max(rgb.shape[:2])
    lab = cv2.cvtColor(_small(rgb), cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 1:] -= 128.0
    return k, lab, lab.reshape(-1, 3) * np.array([LIGHT_WEIGHT, 1.0, 1.0], np.float32)


def _away_from_floor(feat: np.ndarray, shape: tuple[int, int], page: np.ndarray | None,
                     k: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each small pixel's depth into the frame and position along its edge
    (`_edge_position`), and its Mahalanobis^2 to the nearest floor colour or the page's
    (`page`: a polygon in px of the picture, `k` small px per its px), one per pixel."""
    depth, along = _edge_position(*shape)
    groups = _colour_groups(feat)
    away = _floor_distance(feat, groups, _floor_groups(groups, depth, along))
    if page is not None:
        away = np.minimum(away, _page_distance(feat, page * k, shape).ravel())
    return depth, along, away


def _page_distance(feat: np.ndarray, page: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """Each pixel's Mahalanobis^2 to the page's colour: a Gaussian fitted to the brighter
    half of the pixels inside the page's polygon (px of the small copy); the feet standing
    on it are the darker part."""
    inside = np.zeros(shape, np.uint8)
    cv2.fillPoly(inside, [np.round(page).astype(np.int32)], 1)
    x = feat[inside.ravel() > 0]
    if len(x) < GROUPS * 10:
        return np.full(shape, np.inf, np.float32)
    x = x[x[:, 0] >= np.median(x[:, 0])]
    mu = x.mean(axis=0)
    icov = np.linalg.inv(np.cov((x - mu).T) + COLOUR_FLOOR * np.eye(3)).astype(np.float32)
    dx = feat - mu
    return cast(np.ndarray, np.einsum("ij,jk,ik->i", dx, icov, dx).reshape(shape))


def _judge(cand: np.ndarray, distance: np.ndarray, depth: np.ndarray, along: np.ndarray,
           size: tuple[int, int], by_shape: bool = False) -> FootCandidates:
    """The foot-like regions of a candidate mask (uint8 0/1 of the small copy), judged by
    `_Region` from their colour `distance` to the floor and where they meet the frame
    (`by_shape`: by the latter alone, when the colour was judged already)."""
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (3, 3))
    cand = cv2.morphologyEx(cv2.morphologyEx(cand, cv2.MORPH_OPEN, kernel),
                            cv2.MORPH_CLOSE, kernel)
    n, labels = cv2.connectedComponents(cand, connectivity=8)
    regions = [r for r in (_region(labels, i, depth, along, distance) for i in range(1, n))
               if r is not None]
    feet = sorted((r for r in regions if (r.shaped_like_foot if by_shape else r.foot_like)),
                  key=lambda r: -r.score)
    return FootCandidates(labels, feet, size, regions)


def skin_candidates(rgb: np.ndarray, skin: np.ndarray, page: np.ndarray | None = None
                    ) -> FootCandidates:
    """Foot-like regions whose colour is the skin of a foot already found (`skin`: its
    uint8 0/1 mask at `rgb`'s size, e.g. the foot on a page), nearer to it than to every
    floor colour (and the page's, `page` as in `foot_candidates`): the other foot of the
    same person, off the page, on a floor whose groups alone would not tell it."""
    h0, w0 = rgb.shape[:2]
    k, lab, feat = _small_lab(rgb)
    h, w = lab.shape[:2]
    seed = cv2.resize(skin.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).ravel()
    x = feat[seed > 0]
    depth, along, away = _away_from_floor(feat, (h, w), page, k)
    if len(x) < GROUPS * 10:
        return FootCandidates(np.zeros((h, w), np.int32), [], (w0, h0))
    mu = x.mean(axis=0)
    icov = np.linalg.inv(np.cov((x - mu).T) + COLOUR_FLOOR * np.eye(3)).astype(np.float32)
    dx = feat - mu
    near = np.einsum("ij,jk,ik->i", dx, icov, dx)
    cand = ((near < NOT_FLOOR) & (near < away)).reshape(h, w).astype(np.uint8)
    # Each candidate is nearer to the foot's own skin than to any floor colour: that is
    # the colour test, however near skin and floor are (a brown carpet, a wooden floor).
    return _judge(cand, away.reshape(h, w), depth, along, (w0, h0), by_shape=True)


def redness_candidates(rgb: np.ndarray) -> FootCandidates | None:
    """Foot-like regions told from a neutral floor (white tiles, grey concrete) by skin's
    redness alone, or None when the floor is not neutral.

    Where legs cover much of the frame's edge (a seated person, both feet), the floor
    cannot be learnt from the edge; on a neutral floor it need not be: Otsu's threshold on
    Lab a* splits red skin from the rest, which must then be grey (its median chroma below
    PAPER_CHROMA) for the split to mean skin and floor."""
    h0, w0 = rgb.shape[:2]
    lab = cv2.cvtColor(_small(rgb), cv2.COLOR_RGB2LAB)
    red = lab[..., 1]  # a* + 128, uint8
    threshold, _ = cv2.threshold(red, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    skin = red > threshold
    if not skin.any() or skin.all():
        return None
    ground = lab[~skin].astype(np.float32) - [0.0, 128.0, 128.0]
    if np.median(np.hypot(ground[:, 1], ground[:, 2])) >= PAPER_CHROMA:
        return None
    spread = max(float(np.std(ground[:, 1])), 1.0)
    distance = ((red.astype(np.float32) - 128.0 - np.median(ground[:, 1])) / spread) ** 2
    h, w = red.shape
    depth, along = _edge_position(h, w)
    found = _judge(skin.astype(np.uint8), distance, depth, along, (w0, h0))
    return found if found.feet else None


def find_foot(rgb: np.ndarray) -> FootFind:
    """The foot (and its leg) in an RGB uint8 working image with no page under it."""
    found = foot_candidates(rgb)
    if not found.feet:
        return FootFind(None, NO_FOOT)
    chosen, warnings = found.feet[0], []
    if found.second_foot():
        # Two feet: the one nearer the centre is the one photographed.
        chosen = min(found.feet[:2], key=lambda r: r.centre_distance)
        warnings.append("two feet in the photo: the one nearer the centre was measured")
    mask = refine_band(rgb, found.mask(chosen))
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
    ring = depth.ravel() < max(2, round(EDGE_RING * max(depth.shape)))
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
    if stats[two, cv2.CC_STAT_AREA].sum() < TWO_LEGS_SHARE * stats[1:, cv2.CC_STAT_AREA].sum():
        return False
    edge = depth < EDGE_PX
    for i in two:
        comp = labels == i
        touching = np.count_nonzero(comp & edge)
        reach = float(depth[comp].max())
        if touching == 0 or reach < LEG_REACH * touching:
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
    touch = comp & (depth < EDGE_PX)
    shown = np.zeros(EDGE_BINS, bool)
    shown[np.minimum((along[touch] * EDGE_BINS).astype(int), EDGE_BINS - 1)] = True
    ys, xs = np.nonzero(comp)
    ev = np.linalg.eigvalsh(np.cov(np.stack([xs, ys]).astype(float)))
    centre = np.hypot(xs.mean() - (w - 1) / 2, ys.mean() - (h - 1) / 2) / (0.5 * np.hypot(w, h))
    return _Region(i, area, _stretches(shown) if shown.any() else 0,
                   float(np.sqrt(ev[1] / max(ev[0], 1e-6))),
                   float(np.median(np.sqrt(distance[comp]))), float(centre),
                   int(shown.sum()))
