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

from footlog.analysis.foot_model import (
    FLOOR_AREA,
    MIN_CONTRAST,
    MIN_ELONGATION,
    FootCandidates,
    _Region,
    foot_candidates,
    redness_candidates,
    skin_candidates,
)
from footlog.analysis.segmentation import MIN_FOOT_ON_SHEET, regions_on_page
from footlog.analysis.segmentation_nopaper import refine_band
from footlog.analysis.working_image import WorkingPicture, working_picture
from footlog.domain.views import Foot

FIND_SIDE = 640  # px: long side of the picture the regions are found on
SPLIT_SIDE = 800  # px: long side of the raster a split drawn by hand is made on
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
# Two regions are two feet of one person only when their skins are alike. Each region's
# colour is taken as its offset from the floor around it in (a*, b*) (lightness left out:
# one leg in the light and one in the shade differ in lightness, and shade also lowers
# chroma): the two offsets must point the same way (within SKIN_ANGLE) and the shorter be
# at least SKIN_STRENGTH of the longer. A shadow, a trouser leg or a card beside one foot
# is offset from the floor another way, or hardly at all.
SKIN_ANGLE = 30.0  # deg
MIN_SEPARATION = 1.0  # each region at least one spread of its ground's colour from it
SKIN_STRENGTH = 0.3  # shade (about a third of the light) lowers the offset that much
# ... and the smaller at least this share of the larger (the frame may cut one leg).
MIN_PAIR_AREA = 0.25
# A notch between two feet runs along the feet: at least this many times the width of the
# narrower part (its widest inscribed disc). Gaps between toes are far shallower.
NOTCH_DEPTH = 1.5
SIDE_BY_SIDE = 30.0  # deg: the most two feet standing side by side turn from each other
MAX_CONTACT = 1.0  # widths of the narrower foot: the most two feet may run along each other
NOTCH_TRIES = 2  # regions beside the most foot-like one tried for a notch
APART = "apart"  # how two feet were found: two regions ...
NOTCH = "notch"  # ... or one region cut along the notch between the feet ...
ON_PAGE = "page"  # ... or the feet standing on a page


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
    `how`: ON_PAGE, APART or NOTCH for two feet, "" otherwise."""

    feet: list[FootRegion] = field(default_factory=list)
    how: str = ""

    @property
    def two(self) -> bool:
        return len(self.feet) == 2


def find_feet(pixels: np.ndarray, scale_to_full: float, outline_one: bool = True,
              picture: WorkingPicture | None = None) -> FeetFound:
    """The feet in an upright RGB uint8 picture (a reduced decode; `scale_to_full`: full px
    per px of it). outline_one: when only one foot is found, outline it too (benchmarks
    compare it with a drawn outline; measuring, which then measures the whole picture, has
    no use for it). picture: the working picture of `pixels` at FIND_SIDE px when the
    caller keeps one for measuring too (used only if it is that picture's)."""
    pic = working_picture(picture, pixels, scale_to_full, FIND_SIDE)
    work, f, page = pic.image, pic.f, pic.pale
    on_page = None  # the one foot found on the page, when only one is there
    if page is not None:
        # Feet standing on a page: what is not paper on it, as the dorsal detector sees a
        # foot; each foot's leg leaves the page (or the picture) across its border.
        border = _frame_band(work.shape[:2]) | _outline_band(page, work.shape[:2])
        masks, on_page = _two_on_page(work, page, border)
        if masks:
            return _feet(masks, border, f, ON_PAGE)
    # On a neutral floor skin is told by its redness, however much of the frame the legs
    # cover; with one foot on a page, the other is its skin off the page; elsewhere the
    # floor (and the page) is learnt from the photo.
    sources: list[tuple[FootCandidates | None, bool]] = [(redness_candidates(work), True)]
    if sources[0][0] is None:
        # Regions of the skin of the foot on the page are that skin: no colour test
        # remains for them, but the pair must be that foot and another off the page. The
        # floor's own model is the fallback.
        if on_page is not None and page is not None:  # on_page is found only on a page
            found = skin_candidates(work, on_page, page)
            masks, how = _two_from(work, found, False)
            if len(masks) == 2 and _one_on_one_off(masks, on_page, page):
                return _feet(masks, _frame_band(work.shape[:2]), f, how)
        sources.append((foot_candidates(work, page), True))
    first: FootCandidates | None = None
    for candidates, by_colour in sources:
        if candidates is None:
            continue
        first = first or (candidates if candidates.feet else None)
        masks, how = _two_from(work, candidates, by_colour)
        if len(masks) == 2:
            break
    else:
        if first is None or not outline_one:
            return FeetFound()
        whole = refine_band(work, first.mask(first.feet[0]))
        return FeetFound() if whole is None else FeetFound(
            [FootRegion(Foot.UNKNOWN, mask_polygon(whole, f))])
    return _feet(masks, _frame_band(work.shape[:2]), f, how)


def _feet(masks: list[np.ndarray], border: np.ndarray, f: float, how: str) -> FeetFound:
    """Two foot masks as the feet found: sides by position (legs leaving across
    `border`), outlines in full-resolution px (`f`: full px per px of the masks)."""
    sides = sides_by_position(masks, border)
    feet = [FootRegion(side, mask_polygon(m, f)) for side, m in zip(sides, masks, strict=True)]
    feet.sort(key=lambda r: r.side != Foot.LEFT)
    return FeetFound(feet, how)


def _two_on_page(work: np.ndarray, page: np.ndarray, border: np.ndarray
                 ) -> tuple[list[np.ndarray], np.ndarray | None]:
    """Two feet on a page (a polygon in px of `work`): its two largest regions not
    paper-coloured, or its largest cut along a notch, when they are a pair of feet; else
    [] and the one foot on it (None if there is none). A foot covers at least
    MIN_FOOT_ON_SHEET of a page."""
    regions = regions_on_page(work, page)
    area = cv2.contourArea(np.round(page).astype(np.float32))
    big = [m for m in regions[:2] if m.sum() >= MIN_FOOT_ON_SHEET * area]
    if len(big) == 2 and pair_of_feet(work, big):
        return big, None
    if big:
        parts = split_at_notch(big[0], border)
        if parts is not None and pair_of_feet(work, parts):
            return parts, None
    return [], (big[0] if big else None)


def _one_on_one_off(masks: list[np.ndarray], on_page: np.ndarray, page: np.ndarray) -> bool:
    """Whether one of two regions holds most of the foot on the page and the other lies
    mostly off the page."""
    sheet = np.zeros(on_page.shape, np.uint8)
    cv2.fillConvexPoly(sheet, np.round(page).astype(np.int32), 1)
    holds = [float((m & on_page).sum()) / max(float(on_page.sum()), 1.0) for m in masks]
    off = [1.0 - float((m & sheet).sum()) / max(float(m.sum()), 1.0) for m in masks]
    first = int(np.argmax(holds))
    return holds[first] >= 0.5 and off[1 - first] >= 0.5


def _outline_band(polygon: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The band along a polygon's outline (bool, FRAME_MARGIN of the long side wide)."""
    band = np.zeros(shape, np.uint8)
    width = max(1, round(2 * FRAME_MARGIN * max(shape)))
    cv2.polylines(band, [np.round(polygon).astype(np.int32)], True, 1, width)
    return band > 0


def _two_from(work: np.ndarray, found: FootCandidates, by_colour: bool
              ) -> tuple[list[np.ndarray], str]:
    """Two feet among the candidate regions: two regions apart, or one cut along its
    notch; ([], "") when they show no pair of feet."""
    pair = found.feet[:2] if found.second_foot() else _with_leg_beside(found)
    if len(pair) == 2 and not any(r.along_much_of_edge for r in pair):
        masks = [m for m in (refine_band(work, found.mask(r)) for r in pair) if m is not None]
        if len(masks) == 2 and pair_of_feet(work, masks, by_colour):
            return masks, APART
    masks = _notched(work, found, by_colour)
    return (masks, NOTCH) if masks else ([], "")


def _with_leg_beside(found: FootCandidates) -> list[_Region]:
    """The most foot-like region and the largest other one entering the picture by one
    stretch of its edge, if it is as large as a second foot may be: a foot whose leg bends
    out of the frame with its knee (a seated person) is not elongated as a foot is."""
    if not found.feet:
        return []
    first = found.feet[0]
    others = [r for r in found.regions if r != first and r.stretches == 1
              and r.contrast >= MIN_CONTRAST and r.area >= MIN_PAIR_AREA * first.area]
    return [first, max(others, key=lambda r: r.area)] if others else []


def _notched(work: np.ndarray, found: FootCandidates, by_colour: bool = True
             ) -> list[np.ndarray]:
    """Two feet cut from one region along the notch between them, or []. Tried on the most
    foot-like region, then on the largest regions entering the picture through one stretch
    of its edge (two feet with their legs together are not elongated as one foot is)."""
    tried = found.feet[:1] + sorted(
        (r for r in found.regions if r.stretches == 1 and r.contrast >= MIN_CONTRAST
         and r not in found.feet[:1]), key=lambda r: -r.area)[:NOTCH_TRIES]
    for region in tried:
        if region.along_much_of_edge:
            continue  # the floor itself (pale feet on a dark floor), not two legs
        whole = refine_band(work, found.mask(region))
        parts = None if whole is None else split_at_notch(whole)
        if parts is not None and pair_of_feet(work, parts, by_colour):
            return parts
    return []


def split_at_notch(mask: np.ndarray, border: np.ndarray | None = None
                   ) -> list[np.ndarray] | None:
    """Two feet in one region (uint8 0/1): the two parts cut along the deepest notch of its
    outline, or None when no cut leaves two feet each with its own leg (leaving across
    `border`, bool: by default the frame's edge)."""
    border = _frame_band(mask.shape) if border is None else border
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
        parts = _cut(mask, pts[far], pts[far] - (pts[s] + pts[e]) / 2, border)
        if parts is not None and depth / 256.0 >= NOTCH_DEPTH * min(map(_width, parts)):
            return parts
    return None


def _contact(masks: list[np.ndarray]) -> float:
    """How long two regions run along each other (px): the area where both, grown by
    CUT_WIDTH, overlap, over the width of that overlap."""
    r: int = max(2, round(CUT_WIDTH * max(masks[0].shape)))  # px
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)
    grown = [cv2.dilate(m, kernel) > 0 for m in masks]
    return float((grown[0] & grown[1]).sum()) / (2 * r)


def _axis_angle(masks: list[np.ndarray]) -> float:
    """The angle between the long axes of two regions (deg, 0..90)."""
    axes = []
    for m in masks:
        ys, xs = np.nonzero(m)
        _, vecs = np.linalg.eigh(np.cov(np.stack([xs, ys]).astype(float)))
        axes.append(vecs[:, -1])
    return float(np.degrees(np.arccos(min(1.0, abs(float(axes[0] @ axes[1]))))))


def _width(part: np.ndarray) -> float:
    """The diameter of the widest disc inside a part (px)."""
    return 2.0 * float(cv2.distanceTransform(part, cv2.DIST_L2, 3).max())


def pair_of_feet(rgb: np.ndarray, masks: list[np.ndarray], by_colour: bool = True) -> bool:
    """Whether two regions (uint8 0/1 of `rgb`) can be the two feet of one person: alike
    in skin colour (see SKIN_ANGLE; unless `by_colour` is False, the colour being known
    alike already) and in size."""
    areas = sorted(float(m.sum()) for m in masks)
    if areas[0] < MIN_PAIR_AREA * areas[1] or areas[1] > FLOOR_AREA * masks[0].size:
        # Unlike in size; or one covers as much of the picture as only a floor does (the
        # floor itself, taken for the feet where pale feet stand on a dark floor).
        return False
    if not by_colour:
        # Skin of one foot split in two by light and shade (a foot seen from the side, its
        # leg) makes parts that touch along much of their length; two feet side by side
        # are about parallel and touch, if at all, over less than a foot's width.
        return (_axis_angle(masks) <= SIDE_BY_SIDE
                and _contact(masks) <= MAX_CONTACT * min(map(_width, masks)))
    chroma = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB)[..., 1:].astype(np.float32)
    h, w = masks[0].shape
    r = max(2, round(CUT_WIDTH * max(h, w)))
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)
    both = np.maximum(masks[0], masks[1])
    offsets = []
    for m in masks:
        inner = cv2.erode(m, kernel) > 0
        ring = (cv2.dilate(m, cv2.dilate(kernel, kernel)) > 0) & (cv2.dilate(both, kernel) == 0)
        if not inner.any() or not ring.any():
            return False
        ground = chroma[ring]
        offset = np.median(chroma[inner], axis=0) - np.median(ground, axis=0)
        # The ground's own spread (robust standard deviation in a*, b*): a region no
        # further from it than its own colours vary is not told from it (noise, texture).
        spread = 1.4826 * float(np.linalg.norm(
            np.median(np.abs(ground - np.median(ground, axis=0)), axis=0)))
        if float(np.linalg.norm(offset)) < MIN_SEPARATION * spread:
            return False
        offsets.append(offset)
    lengths = sorted(float(np.linalg.norm(o)) for o in offsets)
    if lengths[0] < SKIN_STRENGTH * lengths[1] or lengths[0] == 0:
        return False
    cosine = float(offsets[0] @ offsets[1]) / (lengths[0] * lengths[1])
    return bool(cosine >= np.cos(np.radians(SKIN_ANGLE)))


def _cut(mask: np.ndarray, start: np.ndarray, direction: np.ndarray, border: np.ndarray
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
    # The parts lie within the region's box: they are labelled there (in the same raster
    # order as in the whole picture), at a fraction of the cost.
    x0, y0, bw, bh = cv2.boundingRect(mask)
    n, labels = cv2.connectedComponents(cut[y0:y0 + bh, x0:x0 + bw], connectivity=4)
    if n < 3:
        return None
    areas = np.bincount(labels.ravel(), minlength=n)
    total = float(mask.sum())
    order = 1 + np.argsort(-areas[1:])[:2]
    # The share of the region first, from the labelling's own counts: most cuts (across an
    # arch, an ankle or a toe) leave a small part, and nothing more need be looked at.
    if any(areas[i] < MIN_PART * total for i in order):
        return None
    inside = border[y0:y0 + bh, x0:x0 + bw]
    own = [labels == i for i in order]
    if not all(_foot_with_leg(p, inside, (x0, y0), mask.shape) for p in own):
        return None
    parts = []
    for p in own:
        whole = np.zeros_like(mask)
        whole[y0:y0 + bh, x0:x0 + bw] = p
        parts.append(whole)
    # The cut's own pixels go back to the nearer part, so that the parts tile the region.
    return _share_cut(mask, parts)


def _foot_with_leg(part: np.ndarray, border: np.ndarray, offset: tuple[int, int],
                   shape: tuple[int, int]) -> bool:
    """Whether a part (bool) leaves across `border` (bool, the same window of the picture)
    along a good stretch (its leg) and is elongated as a foot is. The window lies at
    `offset` (x, y px) in a picture of `shape` (h, w)."""
    band = border & part
    if not band.any():
        return False
    reach = max(np.ptp(i) for i in np.nonzero(band))
    if reach < MIN_ENTRY * min(shape):
        return False
    ys, xs = np.nonzero(part)
    return _elongation_of(xs + offset[0], ys + offset[1]) >= MIN_ELONGATION


def _frame_band(shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    m = max(1, round(FRAME_MARGIN * max(h, w)))
    band = np.zeros(shape, bool)
    band[:m], band[-m:], band[:, :m], band[:, -m:] = True, True, True, True
    return band


def _elongation_of(xs: np.ndarray, ys: np.ndarray) -> float:
    """sqrt of the ratio of the second moments of a part's pixels (1 for a disc)."""
    ev = np.linalg.eigvalsh(np.cov(np.stack([xs, ys]).astype(float)))
    return float(np.sqrt(ev[1] / max(ev[0], 1e-6)))


def _share_cut(mask: np.ndarray, parts: list[np.ndarray]) -> list[np.ndarray]:
    """Give each pixel of `mask` in no part to the part nearest to it."""
    dist = [cv2.distanceTransform((1 - p).astype(np.uint8), cv2.DIST_L2, 3) for p in parts]
    first = (dist[0] <= dist[1]) & (mask > 0)
    return [first.astype(np.uint8), ((~first) & (mask > 0)).astype(np.uint8)]


def sides_by_position(masks: list[np.ndarray], border: np.ndarray | None = None
                      ) -> list[Foot]:
    """Left and right of two foot regions (uint8 0/1) from where they stand: looking along
    the distal direction (legs' entry across `border`, by default the frame's edge, to the
    toes), the left foot is on the left. UNKNOWN for both when the legs do not show (no
    entry to read the direction from)."""
    band = _frame_band(masks[0].shape) if border is None else border
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
    if not keep.any():  # the feet cover the picture (split by hand into two halves)
        out = pixels.copy()
        frame = _frame_band(own.shape) & (own == 0)
        out[hide] = np.median(pixels[frame if frame.any() else hide], axis=0)
        return out
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


def split_by_line(regions: list[np.ndarray], size: tuple[int, int],
                  start: tuple[float, float], end: tuple[float, float]
                  ) -> tuple[np.ndarray, np.ndarray] | None:
    """Regions (their union) cut in two by the straight line through `start` and `end`
    (extended across the photo): the person's own split of two feet. `regions`: polygons
    (full-resolution px), none for the whole photo; `size`: the photo's (width, height)
    px. Returns the
    two parts' polygons, the one on the left of the line (seen from `start` to `end` in
    the picture) first, or None when the line leaves one side empty."""
    width, height = size
    scale = max(width, height) / SPLIT_SIDE  # full px per px of the raster
    shape = (max(1, round(height / scale)), max(1, round(width / scale)))
    whole = np.array([[0, 0], [width, 0], [width, height], [0, height]], float)
    mask = np.zeros(shape, np.uint8)
    for polygon in regions or [whole]:
        mask |= polygon_mask(polygon, shape, scale)
    ys, xs = np.mgrid[0:shape[0], 0:shape[1]]
    px, py = (xs + 0.5) * scale, (ys + 0.5) * scale
    cross = (end[0] - start[0]) * (py - start[1]) - (end[1] - start[1]) * (px - start[0])
    parts = [(mask & (cross < 0)).astype(np.uint8), (mask & (cross >= 0)).astype(np.uint8)]
    if any(p.sum() == 0 for p in parts):
        return None
    return mask_polygon(parts[0], scale), mask_polygon(parts[1], scale)
