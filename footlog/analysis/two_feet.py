"""One foot or two in a photo: the region of each, and which is the left one.

Old photos often show both feet. The feet (each with its leg) are found as regions told
from the floor by the colour model of `foot_model`:

1. Two foot-like regions of comparable score: two feet standing apart.
2. One region: two feet whose legs touch (or meet at the frame's edge) make one region
   with a deep notch between the feet. The region is cut along that notch (the deepest
   concavity of its outline, continued along the notch's own direction to the frame). The
   cut is kept only when each part is a foot with its own leg: a large share of the
   region, elongated, and entering the picture through the frame's edge by itself. A single
   foot cut at its ankle fails that test (the foot part does not reach the frame).

Which foot is which: seen from above, with the distal direction (from where the legs enter
the picture to the toes) pointing up, the left foot is on the left. With one foot, or two
feet whose legs do not show, the side is left to the toes (`Foot.UNKNOWN` here).

Regions are returned as polygons in full-resolution px of the upright photo (continuous
coordinates, as everywhere in footlog). Sizes are shares of the picture or of the region;
nothing is tuned to one photo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from footlog.analysis.foot_model import MIN_ELONGATION, foot_candidates, redness_candidates
from footlog.analysis.segmentation_nopaper import refine_band
from footlog.analysis.working_image import working_image
from footlog.domain.views import Foot

FIND_SIDE = 640  # px: long side of the picture the regions are found on
# A part of a cut region counts as a foot with its leg when it holds at least this share
# of the region (two feet of one person are about the same size; the smaller one may be
# cut by the frame) ...
MIN_PART = 0.2
# ... and touches the frame's edge along at least this share of the picture's short side
# (its leg leaving the picture; a toe touching the edge is far less).
MIN_ENTRY = 0.04
FRAME_MARGIN = 0.01  # share of the long side counted as "on the frame's edge"
CUT_WIDTH = 0.006  # share of the long side: the width of the cut along the notch
OUTLINE_TOLERANCE = 0.002  # share of the long side: polygon simplification of an outline
# Two regions are two feet of one person only when their skins are alike: the colour
# distance between them at most this share of the distance of each from the floor around
# it (relative: no skin colour is assumed) ...
SAME_SKIN = 0.5
# ... and the smaller at least this share of the larger (the frame may cut one leg).
MIN_PAIR_AREA = 0.25
# A notch between two feet runs along the feet: at least this many times the width of the
# narrower part (its widest inscribed disc). Gaps between toes are far shallower.
NOTCH_DEPTH = 1.5
LIGHT_WEIGHT = 0.0  # Lab L against a*, b*: one leg in the light, one in shade differ in L only
APART = "apart"  # how two feet were found: two regions ...
NOTCH = "notch"  # ... or one region cut along the notch between the feet


@dataclass
class FootRegion:
    """One foot (and its leg) found in a photo.

    side: left or right from the feet's positions, or UNKNOWN (left to the toes).
    polygon: N x 2 float, the region's outline in full-resolution px.
    """

    side: Foot
    polygon: np.ndarray


@dataclass
class FeetFound:
    """The feet found: none, one or two regions (two: left first when the sides are known).
    `how`: APART or NOTCH for two feet, "" otherwise."""

    feet: list[FootRegion] = field(default_factory=list)
    how: str = ""

    @property
    def two(self) -> bool:
        return len(self.feet) == 2


def find_feet(pixels: np.ndarray, scale_to_full: float) -> FeetFound:
    """The feet in an upright RGB uint8 picture (a reduced decode; `scale_to_full`: full px
    per px of it)."""
    work, f = working_image(pixels, scale_to_full, FIND_SIDE)
    # On a neutral floor skin is told by its redness, however much of the frame the legs
    # cover; elsewhere the floor is learnt from the frame's edge.
    found = redness_candidates(work) or foot_candidates(work)
    if not found.feet:
        return FeetFound()
    masks: list[np.ndarray] = []
    how = ""
    if found.second_foot():
        masks = [m for m in (refine_band(work, found.mask(r)) for r in found.feet[:2])
                 if m is not None]
        how = APART
        if len(masks) == 2 and not pair_of_feet(work, masks):
            masks = masks[:1]
    if len(masks) < 2:
        whole = refine_band(work, found.mask(found.feet[0]))
        if whole is None:
            return FeetFound()
        parts = split_at_notch(whole)
        if parts is not None and not pair_of_feet(work, parts):
            parts = None
        masks, how = (parts, NOTCH) if parts else ([whole], "")
    if len(masks) == 1:
        return FeetFound([FootRegion(Foot.UNKNOWN, mask_polygon(masks[0], f))])
    sides = sides_by_position(masks)
    feet = [FootRegion(side, mask_polygon(m, f)) for side, m in zip(sides, masks, strict=True)]
    feet.sort(key=lambda r: r.side != Foot.LEFT)
    return FeetFound(feet, how)


def split_at_notch(mask: np.ndarray) -> list[np.ndarray] | None:
    """Two feet in one region (uint8 0/1): the two parts cut along the deepest notch of its
    outline, or None when no cut leaves two feet each with its own leg."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    cnt = max(contours, key=cv2.contourArea)
    hull = cv2.convexHull(cnt, returnPoints=False)
    try:
        defects = cv2.convexityDefects(cnt, hull)
    except cv2.error:  # a self-touching outline: no notch to read
        return None
    if defects is None:
        return None
    pts = cnt.reshape(-1, 2).astype(float)
    # Deepest notches first: the gap between two feet is the deepest one when it exists,
    # but an arch or an ankle may be deeper; each is tried until one cut passes.
    for s, e, far, depth in sorted(defects.reshape(-1, 4), key=lambda d: -d[3])[:3]:
        parts = _cut(mask, pts[far], pts[far] - (pts[s] + pts[e]) / 2)
        if parts is not None and depth / 256.0 >= NOTCH_DEPTH * min(map(_width, parts)):
            return parts
    return None


def _width(part: np.ndarray) -> float:
    """The diameter of the widest disc inside a part (px)."""
    return 2.0 * float(cv2.distanceTransform(part, cv2.DIST_L2, 3).max())


def pair_of_feet(rgb: np.ndarray, masks: list[np.ndarray]) -> bool:
    """Whether two regions (uint8 0/1 of `rgb`) can be the two feet of one person: alike
    in skin colour (relative to the floor around each) and in size."""
    areas = sorted(float(m.sum()) for m in masks)
    if areas[0] < MIN_PAIR_AREA * areas[1]:
        return False
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    lab[..., 0] *= LIGHT_WEIGHT
    h, w = masks[0].shape
    r = max(2, round(CUT_WIDTH * max(h, w)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)
    both = np.maximum(masks[0], masks[1])
    skins, floors = [], []
    for m in masks:
        inner = cv2.erode(m, kernel) > 0
        ring = (cv2.dilate(m, cv2.dilate(kernel, kernel)) > 0) & (cv2.dilate(both, kernel) == 0)
        if not inner.any() or not ring.any():
            return False
        skins.append(np.median(lab[inner], axis=0))
        floors.append(np.median(lab[ring], axis=0))
    apart = float(np.linalg.norm(skins[0] - skins[1]))
    contrast = min(float(np.linalg.norm(s - f)) for s, f in zip(skins, floors, strict=True))
    return apart <= SAME_SKIN * contrast


def _cut(mask: np.ndarray, start: np.ndarray, direction: np.ndarray
         ) -> list[np.ndarray] | None:
    """Cut `mask` from `start` along `direction` to the frame; the two parts if both are
    feet with their legs (see the module's docstring), else None."""
    h, w = mask.shape
    norm = float(np.hypot(*direction))
    if norm < 1e-6:
        return None
    end = start + direction / norm * 2 * (h + w)
    cut = mask.copy()
    width = max(2, round(CUT_WIDTH * max(h, w)))
    cv2.line(cut, tuple(np.round(start).astype(int)), tuple(np.round(end).astype(int)), 0,
             width)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(cut, connectivity=4)
    if n < 3:
        return None
    total = float(mask.sum())
    order = 1 + np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:2]
    parts = [(labels == i).astype(np.uint8) for i in order]
    if any(p.sum() < MIN_PART * total or not _enters(p) or _elongation(p) < MIN_ELONGATION
           for p in parts):
        return None
    # The cut's own pixels go back to the nearer part, so that the parts tile the region.
    return _share_cut(mask, parts)


def _frame_band(shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    m = max(1, round(FRAME_MARGIN * max(h, w)))
    band = np.zeros(shape, bool)
    band[:m], band[-m:], band[:, :m], band[:, -m:] = True, True, True, True
    return band


def _enters(part: np.ndarray) -> bool:
    """Whether the part leaves the picture along a good stretch of the frame (its leg)."""
    h, w = part.shape
    band = _frame_band(part.shape) & (part > 0)
    reach = max(np.ptp(np.nonzero(band)[i]) if band.any() else 0 for i in (0, 1))
    return bool(band.any() and reach >= MIN_ENTRY * min(h, w))


def _elongation(part: np.ndarray) -> float:
    """sqrt of the ratio of the part's second moments (1 for a disc)."""
    ys, xs = np.nonzero(part)
    ev = np.linalg.eigvalsh(np.cov(np.stack([xs, ys]).astype(float)))
    return float(np.sqrt(ev[1] / max(ev[0], 1e-6)))


def _share_cut(mask: np.ndarray, parts: list[np.ndarray]) -> list[np.ndarray]:
    """Give each pixel of `mask` in no part to the part nearest to it."""
    dist = [cv2.distanceTransform((1 - p).astype(np.uint8), cv2.DIST_L2, 3) for p in parts]
    first = (dist[0] <= dist[1]) & (mask > 0)
    return [first.astype(np.uint8), ((~first) & (mask > 0)).astype(np.uint8)]


def sides_by_position(masks: list[np.ndarray]) -> list[Foot]:
    """Left and right of two foot regions (uint8 0/1) from where they stand: looking along
    the distal direction (legs' entry to toes), the left foot is on the left. UNKNOWN for
    both when the legs do not show (no entry to read the direction from)."""
    band = _frame_band(masks[0].shape)
    directions, centres = [], []
    for m in masks:
        ys, xs = np.nonzero(m)
        pts = np.stack([xs, ys], axis=1).astype(float)
        centres.append(pts.mean(axis=0))
        ey, ex = np.nonzero(band & (m > 0))
        if ex.size == 0:
            return [Foot.UNKNOWN, Foot.UNKNOWN]
        entry = np.array([ex.mean(), ey.mean()])
        tip = pts[int(np.argmax(np.linalg.norm(pts - entry, axis=1)))]
        directions.append((tip - entry) / max(float(np.linalg.norm(tip - entry)), 1e-6))
    d = directions[0] + directions[1]
    # In image coordinates (y down) the left of a direction (dx, dy) is (dy, -dx).
    left = np.array([d[1], -d[0]])
    first_left = float((centres[0] - centres[1]) @ left) > 0
    return [Foot.LEFT, Foot.RIGHT] if first_left else [Foot.RIGHT, Foot.LEFT]


def mask_polygon(mask: np.ndarray, scale_to_full: float) -> np.ndarray:
    """The outline of a uint8 0/1 mask's largest region as a polygon in full-resolution px
    (`scale_to_full`: full px per px of the mask)."""
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    cnt = max(contours, key=cv2.contourArea)
    tol = OUTLINE_TOLERANCE * max(mask.shape)
    poly = cv2.approxPolyDP(cnt, tol, True).reshape(-1, 2).astype(float)
    return (poly + 0.5) * scale_to_full


def polygon_mask(polygon: np.ndarray, shape: tuple[int, int], scale_to_full: float
                 ) -> np.ndarray:
    """A polygon in full-resolution px drawn as a uint8 0/1 mask of `shape` (h, w), a
    picture of `scale_to_full` full px per px."""
    out = np.zeros(shape, np.uint8)
    pts = np.asarray(polygon, float) / scale_to_full - 0.5
    cv2.fillPoly(out, [np.round(pts * 16).astype(np.int32)], 1, lineType=cv2.LINE_8, shift=4)
    return out


def without_other_foot(pixels: np.ndarray, own: np.ndarray, other: np.ndarray) -> np.ndarray:
    """`pixels` with the other foot's region (uint8 0/1, same size) painted over by the
    nearest pixels outside both feet, so that a detector sees one foot on its floor or
    page. The own region always wins where the two touch."""
    grow = max(2, round(CUT_WIDTH * max(other.shape)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1,) * 2)
    hide = (cv2.dilate(other, kernel) > 0) & (own == 0)
    if not hide.any():
        return pixels
    # Each hidden pixel takes the colour of the nearest pixel that is neither foot.
    keep = (~hide & (own == 0)).astype(np.uint8)
    _, labels = cv2.distanceTransformWithLabels(1 - keep, cv2.DIST_L2, 5,
                                                labelType=cv2.DIST_LABEL_PIXEL)
    ys, xs = np.nonzero(keep)
    # Labels number the zero pixels of the input (the kept ones) in row-major order.
    source_y = np.zeros(int(labels.max()) + 1, np.int64)
    source_x = np.zeros_like(source_y)
    source_y[labels[ys, xs]] = ys
    source_x[labels[ys, xs]] = xs
    out = pixels.copy()
    hy, hx = np.nonzero(hide)
    lab = labels[hy, hx]
    out[hy, hx] = pixels[source_y[lab], source_x[lab]]
    return out
