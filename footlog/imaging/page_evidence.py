"""Judge page hypotheses on the picture: is this quadrilateral a sheet of paper?

Evidence, each with its reason:
- its sides are edges: at most positions along each side where it is in view, the
  brightness steps across it (`page_profiles`). The step's sign may change along the
  outline (a glossy floor is lighter than paper under a lamp's reflection and darker
  elsewhere), but mostly it is one;
- the step is a step, not a line: the grey a few px inside and a few px outside differ, and
  by more than the floor's own texture (a grout line is dark between two equally light
  tiles; a seam between two boards parts two similar woods);
- its edges stop at its corners: a page's edge does not run on past its corner; a grout
  line, a board's edge, a chequered tile's edge or a leg's outline crossing the page does;
- it does not repeat: a tile's neighbours repeat its edges at the same distance beyond
  opposite sides; a page on a floor has nothing at matching distances on both sides;
- its inside, where not covered by the foot, is smooth (paper, not carpet or concrete);
- it is not divided into panes by straight dark bars, nor one of such panes (a window's
  light on the floor, its reflection, the window itself: `page_panes`);
- it is the picture of a rectangle of a paper's shape through a camera's focal length
  (`footlog.domain.page_geometry.paper_verdicts`);
- a side placed from the other three (hidden whole) is hidden indeed: under the leg or out
  of the frame, not in plain view with no edge; and the three it rests on are unmistakable;
- the foot stands on it (something darker inside), and more edge is better: bonuses.

The cheap evidence (from the profiles) is weighed first for all hypotheses; the rest only
for those still standing.

Pixels are OpenCV px of the working picture (~640 px long side).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from footlog.domain.calibration import RectSize
from footlog.domain.page_geometry import (
    ASPECT_NOISE,
    ASPECT_NOISE_PART,
    PaperVerdict,
    paper_verdicts,
    square_to_quads,
)
from footlog.imaging.page_panes import divided_into_panes
from footlog.imaging.page_profiles import (
    COVERED,
    COVERED_COLOUR,
    MIN_EDGE_STEP,
    QUARTER,
    SAMPLES,
    Picture,
    Profiles,
    refine,
    sample,
    steepest,
)
from footlog.imaging.page_quads import convex, in_range

MIN_BAND_STEP = 4.0  # grey levels: a band step at least this is a step
# What a page must show (each a fraction unless said). Measured on rendered scenes and on
# the photos in tests/data: there, pages showed coverage >= 0.72, band agreement >= 0.86,
# standing out >= 2.9 (white paper on white tiles; >= 5.8 elsewhere), a texture <= 3.3;
# the quads that were not pages but passed the geometry had a median band agreement of
# 0.83 and stood out by 3.4.
MIN_COVERAGE = 0.6  # of its seen sides' positions in view, an edge found
MIN_BAND_AGREE = 0.85  # of those positions, a band step of the edge's sign
# A page's edge is sharp: its steepest slope over its step is 0.34-0.45 per px on the photos
# in tests/data, 0.30-0.38 on rendered scenes; the soft edge of a leg's shadow ~0.14.
MIN_SHARPNESS = 0.2
# The band steps along the outline, over the floor's texture around the page (its median
# local standard deviation + 2 levels of noise), at least: a page on carpet or wood 6-25,
# white paper on white tiles 3-5, a plank among planks or a patch of carpet 1-3.
MIN_STANDS_OUT = 2.5
# The inside as light as the page is smooth: its median texture (grey levels) at most this.
MAX_TEXTURE = 4.0
# An edge runs on past a corner when it goes on unbroken beyond it, along the side's line,
# for more than this (x the side's length): by a floor's texture, steps line up at random
# over < 4 % (rendered carpet, concrete, wood; the photos in tests/data); a grout line, a
# board, a chequered tile's edge run on over the whole reach, and a page's edge seen again
# beyond a leg lying across it over the page's width beyond the leg.
MAX_RUN_ON = 0.08
# A side's edge points of one polarity at least this much more often than of the other
# (mean sign) make its polarity the one an edge going on past its corner must have.
RUN_ON_POLARITY = 0.6
# Below this (x the side's length) a stretch going on past a corner is the floor's texture
# lining up by chance, and no worse a page for it.
RUN_ON_NOISE = 0.04
RUN_ON_REACH = 0.6  # how far beyond a corner, x its side's length
RUN_ON_SAMPLES = 40
RUN_ON_OFFSETS = np.arange(-12.0, 12.01, 0.5)
# An edge going on past a corner is a step: the grey 4-8 px before and after it differs
# (by at least this fraction of its height, with its sign). A thin line (grout, a gap
# between boards) that a page's side happens to line up with is not: past it the floor
# is the same on both sides.
RUN_ON_FAR = (4.0, 8.0)
RUN_ON_FAR_SHARE = 0.5
# An edge going on may lie this far (px) off the side's line: between chequered tiles the
# steepest step is on the far side of the grout line, which changes side when the
# polarity does (grout 2-4 mm, ~1-4 px).
RUN_ON_NEAR = 5.0
# The foot and the leg hide a page's outline in a few stretches (1-4 on rendered scenes of
# real feet, once 5); the tiles of a chequered floor hide a quad drawn on their edges in
# one stretch per tile of the other colour along its sides (4-21).
MAX_HIDDEN_RUNS = 5
MIN_IN_VIEW = 0.25  # of the positions along all four sides, in view
# A side is seen along most of its length when edge points were found at this fraction of
# its positions (its ends then place the corners, not an extrapolation).
WELL_SEEN = 0.6
# A side placed from the others must be hidden: at most this fraction of it in view...
MAX_PLACED_IN_VIEW = 0.3
# ... and a page seen on three sides only must be unmistakable on those: one polarity
# (it rests on the paper's assumed shape, so the shape cannot vouch for it). Below this a
# page's polarity is mixed, which only paper on a floor about as light as it shows.
MIN_PLACED_POLARITY = 0.9
# A page darker than its floor (on a bright glossy floor) is still paper: its grey along its
# edges at least this (of 255), and this fraction of the floor's beyond its sides.
DARK_PAGE_GREY = 150.0
DARK_PAGE_RATIO = 0.85
# A page read on three sides ends elsewhere than its placed side when a step edge at least
# 25 % of that side long runs within 8 deg of it, 5-45 % of the way to the opposite side
# (or as far beyond it).
ENDS_BEFORE_LENGTH = 0.25
ENDS_BEFORE_DEG = 8.0
ENDS_BEFORE_SPAN = (0.05, 0.45)
# Lines parallel to a side (within 3 deg once rectified) repeat it when they lie at the same
# distance beyond opposite sides within 6 % of the page's size.
PARALLEL_DEG = 3.0
REPEAT_MATCH = 0.06
# A side placed from the others rests on an assumed paper and focal length: a hypothesis
# whose four sides are seen is preferred unless its evidence is clearly weaker.
PLACED_PENALTY = 0.5
# More evidence is better: the score grows by this much per doubling of the length of edge
# found (so a page is preferred to a part of it cut off by the foot's outline).
EVIDENCE_WEIGHT = 0.3
# A corner shows when edge points of both its sides come within this much of it (x the
# side's length, at least 8 px).
CORNER_REACH = 0.08


@dataclass
class Judged:
    """A refined hypothesis and its evidence (NaN where not weighed: it failed before)."""

    quad: np.ndarray  # 4 x 2, corners in order (side s from corner s to s + 1)
    points: list[np.ndarray]  # per side, the edge points found on it (M x 2)
    placed: list[bool]  # per side: True when placed from the others (hidden), not seen
    facing: float  # +1: the page is mostly lighter than the floor; -1: darker
    polarity: float  # fraction of the edge points whose step has that sign
    coverage: float  # found edge positions / positions in view, over the seen sides
    band_agree: float  # fraction of positions in view whose band step has the edge's sign
    contrast: float  # median edge step (grey levels)
    placed_in_view: float  # the placed side's fraction in view (0 when none placed)
    hidden_runs: int = 0  # stretches of the outline in the frame but not in view
    stands_out: float = math.nan  # median band step / (the floor's texture + 2)
    texture: float = math.nan  # median local standard deviation inside (as light as the page)
    floor: float = math.nan  # median local standard deviation in a ring around it
    covered: float = math.nan  # fraction of the inside darker than the page (foot, leg)
    run_on: float = math.nan  # longest stretch past a corner where the edge goes on / side
    repeat: int = 0
    straightness: float = math.nan  # median distance (px) of edge points from their side
    verdict: PaperVerdict | None = None
    score: float = -math.inf
    reason: str | None = None  # why it is not a page; None: it is one


def judge_all(pic: Picture, quads: np.ndarray, sides: np.ndarray, ratios: np.ndarray,
              focal_px: float, focal_range: tuple[float, float], paper: RectSize
              ) -> list[Judged]:
    """Refine and judge Q hypotheses (quads Q x 4 x 2, `sides` Q x 4 line indices or
    PLACED_SIDE / FREE_SIDE, `ratios` Q for a placed side), `paper` being the one assumed
    when the shape does not tell: one Judged each for those that refine into plausible
    quads, with `reason` None for pages."""
    if not len(quads):
        return []
    w, h = pic.size
    quads, prof, placed, alive = refine(pic, quads, sides, ratios, focal_px)
    alive &= convex(quads) & in_range(quads, (w, h))
    out = []
    for i in np.flatnonzero(alive):
        one = _cheap(quads[i], prof.take(i), placed[i])
        if one.reason is None:
            _dear(pic, one, prof.take(i), sides[i], focal_range, paper)
        out.append(one)
    return out


def _cheap(quad: np.ndarray, prof: Profiles, placed: np.ndarray) -> Judged:
    """The evidence the profiles give at once, and a reason when it already fails."""
    seen = ~placed
    vis = prof.visible[seen]
    good = prof.good[seen]
    in_view = int(vis.sum())
    coverage = float(good.sum()) / in_view if in_view else 0.0
    bands = prof.band[seen][vis]
    band_agree = float(np.mean(bands > MIN_BAND_STEP)) if len(bands) else 0.0
    signs = prof.sign[seen][good]
    facing = 1.0 if signs.sum() >= 0 else -1.0
    polarity = float(np.mean(signs == facing)) if len(signs) else 0.0
    steps = prof.step[seen][good]
    contrast = float(np.median(steps)) if len(steps) else 0.0
    placed_in_view = float(prof.visible[placed].mean()) if placed.any() else 0.0
    sharpness = float(np.median(prof.sharp[seen][good])) if good.any() else 0.0
    j = Judged(quad, [prof.points[s][prof.good[s]] for s in range(4)], placed.tolist(), facing,
               polarity, coverage, band_agree, contrast, placed_in_view,
               hidden_stretches(prof.visible, prof.in_frame))
    if in_view < MIN_IN_VIEW * 4 * SAMPLES:
        j.reason = "too little of its outline in view"
    elif placed_in_view > MAX_PLACED_IN_VIEW:
        j.reason = "the side placed from the others is in view with no edge"
    elif placed.any() and polarity < MIN_PLACED_POLARITY:
        j.reason = "seen on three sides only, and not lighter (or darker) all along them"
    elif j.hidden_runs > MAX_HIDDEN_RUNS:
        j.reason = "its outline is hidden in many places, as a chequered floor hides it"
    elif coverage < MIN_COVERAGE:
        j.reason = "too little of its outline is an edge"

    elif band_agree < MIN_BAND_AGREE:
        j.reason = "its sides are lines, not brightness steps"
    elif sharpness < MIN_SHARPNESS:
        j.reason = "its edges are soft, as a shadow's"
    elif facing < 0 and not _light_as_paper(prof, seen):
        j.reason = "darker than the floor and not light enough for paper"
    elif polarity < MIN_PLACED_POLARITY and not _light_as_paper(prof, seen):
        # Lighter than the floor along some sides and darker along others: only paper on a
        # floor about as light (a glossy one, with reflections) shows that.
        j.reason = "lighter and darker than the floor by turns, and darker than paper"
    return j


def hidden_stretches(visible: np.ndarray, in_frame: np.ndarray) -> int:
    """The stretches of a quad's outline (4 x SAMPLES positions, in order round it) that
    lie in the frame but are not in view, at least two positions long, counted round the
    outline (the frame's own cuts do not split a stretch)."""
    hidden = (~visible & in_frame).reshape(-1)[in_frame.reshape(-1)]
    if not len(hidden) or hidden.all():
        return int(hidden.any())
    start = int(np.argmin(hidden))  # begin at a position in view: runs do not wrap
    h = np.roll(hidden, -start).astype(np.int8)
    edges = np.diff(np.concatenate([[0], h, [0]]))
    begins, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int(np.count_nonzero(ends - begins >= 2))


def _light_as_paper(prof: Profiles, seen: np.ndarray) -> bool:
    """Whether a page darker than what lies beyond its sides (or by turns darker and
    lighter) is as light and as colourless as that floor: paper on a bright glossy floor
    (paper reflects 80-90 %, glazed tiles and marble a bit more, a lamp's reflection more
    again), not a shadow, a dark object, or skin (nearly as light, much redder)."""
    beyond = prof.beyond[seen]
    beyond = beyond[np.isfinite(beyond).all(axis=1)]
    if not len(beyond):
        return False
    floor = np.median(beyond, axis=0)
    page = float(prof.page_grey)
    colour = float(np.linalg.norm(prof.page_colour - floor[1:]))
    return (page >= DARK_PAGE_GREY and page >= DARK_PAGE_RATIO * float(floor[0])
            and colour <= COVERED_COLOUR)


def _dear(pic: Picture, j: Judged, prof: Profiles, sides: np.ndarray,
          focal_range: tuple[float, float], paper: RectSize) -> None:
    """The rest of the evidence, cheapest first: its reason at the first that fails, or
    its score."""
    w, h = pic.size
    quad = j.quad
    seen = [s for s in range(4) if not j.placed[s]]
    if not any(j.placed):
        # Sides seen along most of their length place the corners to ~1 px; a side seen
        # over a stretch only, less surely at its far end.
        seen_along = prof.good.sum(axis=1) / SAMPLES
        noise = ASPECT_NOISE if seen_along.min() >= WELL_SEEN else ASPECT_NOISE_PART
        j.verdict = paper_verdicts(quad[None], (w / 2 - 0.5, h / 2 - 0.5), focal_range,
                                   noise)[0]
        if j.verdict is None:
            j.reason = "no rectangle of a paper's shape through any allowed focal length"
            return
        told = j.verdict.told
        if told is not None and told != paper and sum(corners_shown(j, (w, h))) <= 2:
            lo, hi = j.verdict.aspect_range
            if not lo / (1 - noise) <= told.aspect <= hi / (1 + noise):
                # The shape would overrule the paper setting only within the corners'
                # uncertainty: not enough to overrule it, and it rules the setting out.
                j.reason = "its shape rules out the assumed paper and tells the other only loosely"
                return
        if j.verdict.told is None and paper not in j.verdict.fits:
            # Its shape rules out the paper that would be assumed, without telling the
            # other: no paper can be used for it without a guess.
            j.reason = "its shape rules out the assumed paper and does not tell the other"
            return
    j.texture, j.covered, j.floor = inside_stats(pic, quad, float(prof.page_grey))
    bands = prof.band[~np.asarray(j.placed)][prof.visible[~np.asarray(j.placed)]]
    j.stands_out = float(np.median(bands)) / (j.floor + 2.0) if len(bands) else 0.0
    if j.stands_out < MIN_STANDS_OUT:
        j.reason = "its edges do not stand out from the floor's texture"
        return
    if j.texture > MAX_TEXTURE:
        j.reason = "its inside is textured"
        return
    if divided_into_panes(pic, quad, float(prof.page_grey), j.contrast):
        j.reason = "it is divided by straight dark bars into panes, as a window's light is"
        return
    j.run_on = runs_on(pic, quad, prof, seen)
    if j.run_on > MAX_RUN_ON:
        j.reason = "an edge runs on past its corner"
        return
    j.repeat = repeats(pic, quad, {int(i) for i in sides if i >= 0})
    if j.repeat >= 2 or (j.repeat and any(j.placed)):
        # Tiles repeat both ways; a tile read as a page on three sides (its fourth placed at
        # the paper's length, not the tile's) still repeats across.
        j.reason = "it repeats as tiles do"
        return
    if any(j.placed) and ends_before(pic, quad, j.placed.index(True)):
        j.reason = "an edge alongside its hidden side ends the page elsewhere"
        return
    j.straightness = _straightness(prof, seen)
    aspect_err = 0.0
    if j.verdict is not None:
        aspect_err = min(abs(j.verdict.aspect / p.aspect - 1) for p in j.verdict.fits)
    smooth = max(0.0, 1.0 - j.texture / (2 * MAX_TEXTURE))
    # Edge found, as a length (px) against the picture's diagonal.
    found_px = sum(len(j.points[s]) / SAMPLES * float(np.linalg.norm(quad[(s + 1) % 4] - quad[s]))
                   for s in seen)
    evidence = math.log2(max(found_px, 1.0) / math.hypot(w, h))
    j.score = (j.coverage + j.band_agree + smooth + 0.5 * j.polarity
               + 0.3 * min(j.covered / 0.1, 1.0) + EVIDENCE_WEIGHT * evidence
               - 5.0 * max(0.0, j.run_on - RUN_ON_NOISE) - 0.5 * j.repeat - 3.0 * aspect_err
               - PLACED_PENALTY * sum(j.placed))


def ends_before(pic: Picture, quad: np.ndarray, placed: int) -> bool:
    """Whether a page read on three sides ends before its placed side: a straight step
    edge (a line of the picture, at least ENDS_BEFORE_LENGTH of the placed side long, of
    MIN_BAND_STEP or more, lighter toward the page) runs alongside the placed side
    (within ENDS_BEFORE_DEG), ENDS_BEFORE_SPAN of the way from it to the opposite side,
    inside the quad or beyond it. The placed side rests on an assumed paper and focal
    length; a page seen obliquely, cropped or curled, may end well before or after it, and
    its edge shows there."""
    lines, steps = pic.lines, pic.line_steps
    if lines is None or steps is None or not len(lines):
        return False
    a, b = quad[placed], quad[(placed + 1) % 4]
    c, d = quad[(placed + 2) % 4], quad[(placed + 3) % 4]
    length = float(np.linalg.norm(b - a))
    if length < 1.0:
        return False
    u = (b - a) / length
    inward = np.array([-u[1], u[0]])
    if inward @ ((c + d) / 2 - (a + b) / 2) < 0:
        inward = -inward
    depth = float(inward @ ((c + d) / 2 - a))
    mid = lines.midpoint()
    along = np.abs(lines.direction @ u) >= math.cos(math.radians(ENDS_BEFORE_DEG))
    reach = (mid - a) @ inward / max(depth, 1e-9)
    inside = (np.abs(reach) >= ENDS_BEFORE_SPAN[0]) & (np.abs(reach) <= ENDS_BEFORE_SPAN[1])
    t = (mid - a) @ u / length
    beside = (t >= 0.0) & (t <= 1.0)
    lighter_in = lines.normal @ inward > 0
    long_enough = lines.support >= ENDS_BEFORE_LENGTH * length
    return bool((along & inside & beside & lighter_in & long_enough
                 & (steps >= MIN_BAND_STEP)).any())


def _straightness(prof: Profiles, seen: list[int]) -> float:
    """Median distance (px) of the seen sides' edge points from their fitted lines."""
    dist = [np.abs(prof.points[s][prof.good[s]] @ prof.lines[s, :2] + prof.lines[s, 2])
            for s in seen if np.isfinite(prof.lines[s]).all()]
    return float(np.median(np.concatenate(dist))) if dist else math.nan


def inside_stats(pic: Picture, quad: np.ndarray, page_grey: float) -> tuple[float, float, float]:
    """Over the quad's inside within the frame (quarter resolution, 1 px in from its sides):
    the median local standard deviation of grey over what is as light as the page
    (`page_grey`, the grey along its edges, x COVERED) (a median, so that the foot's
    outline crossing a small page does not count as texture); the fraction darker than
    that (the foot, the leg); and the median local standard deviation in a ring around
    the quad (1-3 quarter px out): the floor's texture. Standard deviations in grey
    levels."""
    hq, wq = pic.sd_q.shape
    poly = ((quad + 0.5) / QUARTER - 0.5).astype(np.float32)
    mask = np.zeros((hq, wq), np.uint8)
    cv2.fillPoly(mask, [np.round(poly).astype(np.int32)], 1)
    if np.count_nonzero(mask) < 9:
        return math.inf, 0.0, 0.0
    cross = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    core = cv2.erode(mask, cross) > 0
    page = core & (pic.grey_q >= COVERED * page_grey)
    n_core, n_page = int(np.count_nonzero(core)), int(np.count_nonzero(page))
    # The texture where the page's 3 x 3 neighbourhood is page too: next to the foot's
    # outline the local deviation is the outline's, which on a small page is much of it.
    clear = cv2.erode(page.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    if np.count_nonzero(clear) >= 4:
        page = clear
    ring = (cv2.dilate(mask, cross, iterations=3) > 0) & (cv2.dilate(mask, cross) == 0)
    floor = float(np.median(pic.sd_q[ring])) if np.count_nonzero(ring) else 0.0
    if n_page < 4:
        return math.inf, 1.0, floor
    return float(np.median(pic.sd_q[page])), 1.0 - n_page / max(n_core, 1), floor


def runs_on(pic: Picture, quad: np.ndarray, prof: Profiles, seen: list[int]) -> float:
    """How far an edge runs on past the corners: along each seen side's line, beyond each
    of its corners (from 3 % to RUN_ON_REACH of the side's length), the longest unbroken
    stretch of positions where one straight edge goes on (steps of one sign, within
    RUN_ON_NEAR of the line and 1 px of each other, at least a quarter as high as the
    side's own and as an edge point's), over the side's length; the largest over the
    sides' ends.

    A page's edge stops at its corner. A grout line's, a board's or a chequered tile's edge
    goes on, and so does a page's edge that only seemed to stop, at the outline of a leg
    lying across the page: beyond the leg it shows again. A floor's texture steps at random
    places and signs, in short stretches."""
    w, h = pic.size
    bases, normals, least, lengths, polarity = [], [], [], [], []
    centre = quad.mean(axis=0)
    for s in seen:
        p, q = quad[s], quad[(s + 1) % 4]
        length = float(np.linalg.norm(q - p))
        u = (q - p) / max(length, 1e-9)
        steps = prof.step[s][prof.good[s]]
        floor = max(MIN_EDGE_STEP, 0.25 * float(np.median(steps))) if len(steps) else MIN_EDGE_STEP
        # The side's own polarity (+1: the page lighter), 0 when it is mixed (a glossy
        # floor): an edge going on past the corner with the other polarity is the leg's
        # or the foot's outline passing near the corner, not the side going on.
        signs = prof.sign[s][prof.good[s]]
        mean_sign = float(signs.mean()) if len(signs) else 0.0
        side_sign = float(np.sign(mean_sign)) if abs(mean_sign) >= RUN_ON_POLARITY else 0.0
        for end, direction in ((q, u), (p, -u)):
            t = np.linspace(0.03, RUN_ON_REACH, RUN_ON_SAMPLES) * length
            bases.append(end + t[:, None] * direction)
            normal = np.array([-direction[1], direction[0]])
            normals.append(normal)
            least.append(floor)
            lengths.append(length)
            outward = 1.0 if float(normal @ (p - centre)) > 0 else -1.0
            polarity.append(side_sign * outward)
    if not bases:
        return 0.0
    base = np.stack(bases)  # E x S x 2
    normal = np.array(normals)  # E x 2
    pts = base[:, :, None, :] + RUN_ON_OFFSETS[None, None, :, None] * normal[:, None, None, :]
    vals = sample(pic.grey, pts.reshape(-1, 2)).reshape(-1, len(RUN_ON_OFFSETS))
    off, sign, step, ok = steepest(vals, RUN_ON_OFFSETS, (-4.0, 4.0))
    ok &= _far_step(vals, off, sign) >= RUN_ON_FAR_SHARE * step
    e, n_s = base.shape[:2]
    x, y = base[..., 0], base[..., 1]
    in_frame = (x >= 7) & (x <= w - 8) & (y >= 7) & (y <= h - 8)
    near = (ok & (np.abs(off) <= RUN_ON_NEAR)).reshape(e, n_s)
    high = (step.reshape(e, n_s) >= np.array(least)[:, None]) & near & in_frame
    sign = sign.reshape(e, n_s)
    off = off.reshape(e, n_s)
    expected = np.array(polarity)[:, None]
    high &= (expected == 0) | (sign == expected)
    spacing = (RUN_ON_REACH - 0.03) / (RUN_ON_SAMPLES - 1)  # x the side's length
    # Links between neighbouring positions whose steps go on as one straight edge: both
    # edge steps, of the same sign, placed within 1 px of each other.
    link = (high[:, 1:] & high[:, :-1] & (sign[:, 1:] == sign[:, :-1])
            & (np.abs(off[:, 1:] - off[:, :-1]) <= 1.0))
    return float(_longest_run(link)) * spacing


def _far_step(vals: np.ndarray, off: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Per profile (rows of grey at RUN_ON_OFFSETS), the mean grey RUN_ON_FAR px before its
    step at `off` less the mean as far after it, times the step's `sign` (grey levels; as
    high as the step for a step edge, ~0 past a thin line)."""
    spacing = float(RUN_ON_OFFSETS[1] - RUN_ON_OFFSETS[0])
    reach = np.arange(RUN_ON_FAR[0], RUN_ON_FAR[1] + 1e-9, spacing)
    rows = np.arange(len(vals))[:, None]

    def mean_at(where: np.ndarray) -> np.ndarray:
        k = np.clip(np.round((where - RUN_ON_OFFSETS[0]) / spacing).astype(int), 0,
                    len(RUN_ON_OFFSETS) - 1)
        return vals[rows, k].mean(axis=1)

    before = mean_at(off[:, None] - reach[None, :])
    after = mean_at(off[:, None] + reach[None, :])
    return sign * (before - after)


def _longest_run(flags: np.ndarray) -> int:
    """The longest run of consecutive True along the last axis, over all rows."""
    if not flags.size:
        return 0
    # At each position, the count of True since the last False (a cumulative sum reset by
    # subtracting its value at the last False).
    count = np.cumsum(flags, axis=-1)
    reset = np.maximum.accumulate(np.where(flags, 0, count), axis=-1)
    return int((count - reset).max())


def repeats(pic: Picture, quad: np.ndarray, exclude: set[int]) -> int:
    """In how many of the quad's two directions parallel lines repeat it: lines at the same
    distance beyond both opposite sides (as tiles, a window's frame). 0, 1 or 2."""
    lines = pic.lines
    if lines is None or len(lines) < 3:
        return 0
    try:
        to_unit = np.linalg.inv(square_to_quads(quad[None])[0])
    except np.linalg.LinAlgError:
        return 0
    # Each line's seen extent, mapped into the unit square's frame.
    lo = np.nanmin(lines.intervals[:, :, 0], axis=1)
    hi = np.nanmax(lines.intervals[:, :, 1], axis=1)
    ends = np.stack([lines.origin + lo[:, None] * lines.direction,
                     lines.origin + hi[:, None] * lines.direction], axis=1)
    hom = np.concatenate([ends, np.ones((*ends.shape[:2], 1))], axis=2) @ to_unit.T
    with np.errstate(divide="ignore", invalid="ignore"):
        e = hom[..., :2] / hom[..., 2:3]
    ok = np.isfinite(e).all(axis=(1, 2)) & (hom[..., 2] > 0).all(axis=1)
    d = e[:, 1] - e[:, 0]
    angle = np.degrees(np.arctan2(np.abs(d[:, 1]), np.abs(d[:, 0])))  # 0: along x
    ok[list(exclude)] = False
    found = 0
    for axis in (0, 1):
        # Lines parallel to the two sides at fixed `axis` coordinate.
        par = ok & ((angle > 90 - PARALLEL_DEG) if axis == 0 else (angle < PARALLEL_DEG))
        pos = e[par][:, :, axis].mean(axis=1)
        along = e[par][:, :, 1 - axis]
        # Alongside the quad: overlapping its extent along the sides by >= 30 %.
        overlap = np.minimum(along.max(axis=1), 1.0) - np.maximum(along.min(axis=1), 0.0)
        pos = pos[overlap >= 0.3]
        beyond_hi = pos[(pos > 1.05) & (pos < 3.0)] - 1.0
        beyond_lo = -pos[(pos < -0.05) & (pos > -2.0)]
        if len(beyond_hi) and len(beyond_lo):
            gap = np.abs(beyond_hi[:, None] - beyond_lo[None, :]).min()
            found += int(gap <= REPEAT_MATCH)
    return found


def corners_shown(judged: Judged, size: tuple[int, int]) -> list[bool]:
    """Whether each corner of a judged page shows: in the frame, and reached by edge points
    of both its sides."""
    w, h = size
    quad = judged.quad
    out = []
    for c in range(4):
        x, y = quad[c]
        ok = bool(0 <= x <= w - 1 and 0 <= y <= h - 1)
        for s in ((c - 1) % 4, c):
            pts = judged.points[s]
            reach = max(8.0, CORNER_REACH * float(np.linalg.norm(quad[(s + 1) % 4] - quad[s])))
            if (judged.placed[s] or not len(pts)
                    or np.min(np.linalg.norm(pts - quad[c], axis=1)) > reach):
                ok = False
        out.append(ok)
    return out

