"""Find a plain sheet of paper (A4 or US Letter) lying on the floor, partly under a foot.

The page is found from its straight edges, not as one bright region (which a white tile
or marble floor joins, and a leg cuts): the long straight lines of the picture
(`page_lines`) make hypotheses of four, or three, sides that a rectangle under
perspective can produce (`page_quads`), and each is judged on the picture
(`page_evidence`): edges all round with one brightness step, a smooth inside, edges that
stop at the corners, no repetition as in a tile grid, the shape of a paper through a
camera's focal length. Up to two corners may be hidden (by the leg, or beyond the frame):
they are placed by extending the seen sides, and a side hidden whole is placed from the
paper's known side ratio and the focal length.

Whether the page is A4 or Letter is told by its shape when that is decisive, given the
focal length (from EXIF when the photo has it, else any a phone camera may have);
otherwise the `paper` passed in (the library's setting) is used, and `size_told` says so.

Works on a small RGB picture and returns corners in that picture's OpenCV pixel
coordinates (pixel centres at integers); the caller converts to full resolution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from footlog.domain.calibration import A4, RectSize
from footlog.domain.page_geometry import (
    CAMERA_FOCAL_RANGE,
    EXIF_FOCAL_TOLERANCE,
    PRIOR_FOCAL_PER_DIAGONAL,
)
from footlog.imaging.page_evidence import Judged, corners_shown, judge_all
from footlog.imaging.page_lines import band_steps, find_lines, region_segments
from footlog.imaging.page_profiles import FREE_SIDE, QUARTER, Picture, picture
from footlog.imaging.page_quads import Hypotheses, four_sided, opposite_pairs, three_sided

WORK_SIDE = 640  # px, long side of the picture the page is searched in
# Lines that make hypotheses: the best supported. A page's sides are among the longest
# lines of a foot photo; 30 leaves room for a tiled or planked floor's lines.
HYPOTHESIS_LINES = 30
# A line is a page's edge candidate when the grey 3-7 px either side of it differs by at
# least this (levels): a step, not a thin line.
MIN_LINE_STEP = 4.0
# A line's seen length counts in full toward its strength for a step of this many grey
# levels (a page on any floor but a white one); a fainter step counts in proportion.
STRONG_STEP = 8.0
# Hypotheses then judged on the picture (the expensive part, ~1-2 ms each), four-sided
# and three-sided apart, each quad once (more judged found no more pages on rendered
# scenes of real feet, and more wrong ones).
JUDGED_FOUR = 8
JUDGED_THREE = 6
# A page is seen whole when its four corners show and an edge was found at this fraction of
# its outline's positions in view: its three-sided readings are then not looked for.
WHOLE_COVERAGE = 0.9


@dataclass
class QuadFit:
    """A page found in the picture (OpenCV px of the input picture)."""

    quad: np.ndarray  # 4 x 2, TL, TR, BR, BL (on screen)
    edge_points: list[np.ndarray]  # per side (TL-TR, TR-BR, BR-BL, BL-TL), edge points
    support: float  # fraction of the seen sides' length in view found as an edge
    fill: float  # fraction of the inside as light as the page (not under the foot or leg)
    hidden_corners: int  # corners that do not show (placed by extending the sides)
    aspect: float  # estimated real long/short side ratio
    paper: RectSize  # A4 or Letter: the one the shape told, else the one passed in
    contrast: float  # median brightness step across the seen edges (grey levels)
    score: float
    cut: bool = False  # part of the page beyond the photo's edge
    size_told: bool = True  # False: the shape fits A4 and Letter alike; `paper` was assumed
    corner_seen: list[bool] = field(default_factory=lambda: [True] * 4)  # TL, TR, BR, BL
    side_hidden: bool = False  # one whole side hidden, placed from the paper's side ratio
    told: RectSize | None = None  # the paper the shape told, None when it could not


def find_paper(
    rgb: np.ndarray, seen: np.ndarray | None = None, small: np.ndarray | None = None,
    focal_px: float | None = None, paper: RectSize = A4,
) -> QuadFit | None:
    """The best page in `rgb` (any size; searched at WORK_SIDE px), or None.

    `seen`: a polygon (N x 2, OpenCV px of `rgb`) where the foot detector saw the page: its
    quadrilateral is judged too, as one more hypothesis (never trusted over the evidence).
    `small`: `rgb` already shrunk to WORK_SIDE px by INTER_AREA (the dorsal detector's
    working image): used when it is exactly the picture this function would make.
    `focal_px`: the camera's focal length in px of `rgb` when known (EXIF), else None.
    `paper`: the paper to assume when the page's shape does not tell (the library's).
    """
    found = search_page(rgb, seen, small, focal_px, paper)
    pages = [j for j in found.judged if j.reason is None]
    if not pages:
        return None
    return _fit(max(pages, key=lambda j: j.score), found.picture, found.scale, paper)


@dataclass
class PageSearch:
    """What one search looked at: the working picture (`scale` working px per input px),
    and every hypothesis judged, with its evidence and why it is not a page (if not)."""

    picture: Picture
    scale: float
    judged: list[Judged]


def search_page(
    rgb: np.ndarray, seen: np.ndarray | None = None, small: np.ndarray | None = None,
    focal_px: float | None = None, paper: RectSize = A4,
) -> PageSearch:
    """The page search of `find_paper` (same arguments), keeping every judged hypothesis.

    The picture is searched as whiteness, min(R, G, B) less the colour's saturation
    (max - min): paper is white, and a wooden, a green or a cream floor, skin and most
    cloth are much darker there than in brightness (a cream or pinkish marble's red is
    often saturated at 255, as bright as paper, and its blue nearly as bright: only its
    tint tells it from paper). A warm page on a cool white floor shows less in whiteness
    than in brightness, max(R, G, B) (white and bluish-shaded paper alike bright): when
    no page is found, the picture is searched again as brightness, and the judged
    hypotheses of both are kept."""
    h0, w0 = rgb.shape[:2]
    f = min(1.0, WORK_SIDE / max(h0, w0))
    if small is None or not _is_reduction(small, (h0, w0), f):
        small = (
            rgb if f == 1.0 else cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        )
    channels = (small[..., 0], small[..., 1], small[..., 2])
    darkest = cv2.min(cv2.min(*channels[:2]), channels[2])
    brightness = cv2.max(cv2.max(*channels[:2]), channels[2])
    # 2 min - max, min(R, G, B) less the colour's saturation (max - min), 0 at least.
    whiteness = cv2.addWeighted(darkest, 2.0, brightness, -1.0, 0)
    found = _search(whiteness, small, f, seen, focal_px, paper)
    if not any(j.reason is None for j in found.judged):
        again = _search(brightness, small, f, seen, focal_px, paper)
        found.judged += again.judged
    return found


def _search(grey: np.ndarray, small: np.ndarray, f: float, seen: np.ndarray | None,
            focal_px: float | None, paper: RectSize) -> PageSearch:
    """One search of the working picture `small` (`f` working px per input px) as `grey`
    (uint8, one value per pixel); the other arguments as `search_page`'s."""
    grey = cv2.GaussianBlur(grey, (3, 3), 0)
    h, w = grey.shape
    pic = picture(grey, small, None)
    pic.lines = find_lines(grey, region_segments(pic.grey_q, pic.sd_q, QUARTER))
    lines = pic.lines
    # Hypotheses from the strongest lines that are steps (not thin lines: grout): their
    # seen length, counted in full for a step of STRONG_STEP grey levels or more.
    step = band_steps(lines, grey)
    pic.line_steps = step
    strength = lines.support * np.minimum(step / STRONG_STEP, 1.0)
    chosen = np.argsort(-strength, kind="stable")
    chosen = chosen[step[chosen] >= MIN_LINE_STEP]
    diag = math.hypot(w, h)
    if focal_px is not None and focal_px > 0:
        focal = focal_px * f
        focal_range = (focal * (1 - EXIF_FOCAL_TOLERANCE), focal * (1 + EXIF_FOCAL_TOLERANCE))
    else:
        focal = PRIOR_FOCAL_PER_DIAGONAL * diag
        focal_range = (CAMERA_FOCAL_RANGE[0] * diag, CAMERA_FOCAL_RANGE[1] * diag)

    def judge_lines(idx: np.ndarray, four: int, three: int) -> list[Judged]:
        """Hypotheses from the lines `idx` (indices into `lines`), the best `four`
        four-sided judged, and the best `three` three-sided unless a page was seen whole."""
        top = lines.take(idx)
        pairs = opposite_pairs(top, (w, h))

        def judge_these(hyps: Hypotheses) -> list[Judged]:
            sides = np.where(hyps.sides >= 0, idx[np.maximum(hyps.sides, 0)], hyps.sides)
            ratios = np.where(np.isfinite(hyps.ratio), hyps.ratio, paper.aspect)
            return judge_all(pic, hyps.quads, sides, ratios, focal, focal_range, paper)

        out = judge_these(_shortlist(four_sided(top, (w, h), pairs), four))
        if not any(_seen_whole(j, (w, h)) for j in out):
            # A page hidden on one side, or none found whole: three sides and the paper's
            # shape.
            out += judge_these(_shortlist(
                three_sided(top, (w, h), pairs, (paper.aspect, 1 / paper.aspect), focal),
                three))
        return out

    judged: list[Judged] = []
    if seen is not None:
        quad = _region_quad(np.asarray(seen, float) * f)
        if quad is not None:
            judged = judge_all(pic, quad[None], np.full((1, 4), FREE_SIDE),
                               np.array([paper.aspect]), focal, focal_range, paper)
            if any(j.reason is None and j.coverage >= WHOLE_COVERAGE and not any(j.placed)
                   for j in judged):
                # The foot detector's page, judged a page with an edge nearly all round its
                # outline in view: the lines' hypotheses could only find it again (they
                # cost ~10 times as much).
                return PageSearch(pic, f, judged)
    judged += judge_lines(chosen[:HYPOTHESIS_LINES], JUDGED_FOUR, JUDGED_THREE)
    return PageSearch(pic, f, judged)


def _seen_whole(j: Judged, size: tuple[int, int]) -> bool:
    """Whether a judged hypothesis is a page seen whole: accepted, its four corners showing
    and its outline an edge nearly all round (a three-sided reading could not beat it)."""
    return j.reason is None and j.coverage >= WHOLE_COVERAGE and all(corners_shown(j, size))


def _region_quad(polygon: np.ndarray) -> np.ndarray | None:
    """The quadrilateral a region's outline approximates (4 x 2), or None."""
    hull = cv2.convexHull(polygon.astype(np.float32))
    eps = 0.02 * cv2.arcLength(hull, True)
    for _ in range(8):
        quad = cv2.approxPolyDP(hull, eps, True).reshape(-1, 2)
        if len(quad) <= 4:
            return quad.astype(np.float64) if len(quad) == 4 else None
        eps *= 1.5
    return None


# Two hypotheses are one when their corners lie within this (px) of each other: one edge
# found twice (by LSD and as a bright region's side, or split in two lines) makes the same
# quad again, which would take the place of another in the shortlist.
SAME_QUAD_PX = 3.0


def _shortlist(hyps: Hypotheses, count: int) -> Hypotheses:
    """The `count` hypotheses to judge: the best by the lines alone, each quad once. (A
    quick look at the picture along their sides ranked worse: it favours quads of strong
    edges all round, which a page partly under the leg has not and the leg's own outline
    has.)"""
    order = np.argsort(-hyps.score, kind="stable")
    canon = _canonical(hyps.quads)
    kept: list[int] = []
    for i in order:
        if kept and (np.abs(canon[kept] - canon[i]).max(axis=(1, 2)) <= SAME_QUAD_PX).any():
            continue
        kept.append(int(i))
        if len(kept) == count:
            break
    return hyps.take(np.array(kept, int))


def _canonical(quads: np.ndarray) -> np.ndarray:
    """Quads (Q x 4 x 2) with their corners in one order whatever the order given:
    clockwise on screen, from the corner of least x + y."""
    x, y = quads[..., 0], quads[..., 1]
    area2 = np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1)
    out = np.where((area2 < 0)[:, None, None], quads[:, ::-1], quads)
    with np.errstate(invalid="ignore"):
        start = np.argmin(np.nan_to_num(out.sum(axis=2), nan=np.inf), axis=1)
    idx = (start[:, None] + np.arange(4)[None, :]) % 4
    return np.take_along_axis(out, idx[..., None], axis=1)


def _overlap(quad: np.ndarray, polygon: np.ndarray) -> float:
    """Intersection over union of two convex polygons (px)."""
    a = quad.astype(np.float32)
    b = cv2.convexHull(polygon.astype(np.float32)).reshape(-1, 2)
    inter, _ = cv2.intersectConvexConvex(a, b)
    union = cv2.contourArea(a) + cv2.contourArea(b) - inter
    return float(inter / union) if union > 0 else 0.0


def _fit(best: Judged, pic: Picture, f: float, paper: RectSize) -> QuadFit:
    """The judged page as a QuadFit in the input picture's px, corners TL, TR, BR, BL."""
    w, h = pic.size
    shown = corners_shown(best, (w, h))
    quad, points = best.quad, list(best.points)
    # Clockwise on screen (y down), starting at the corner nearest the top-left.
    x, y = quad[:, 0], quad[:, 1]
    area2 = float(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
    order = [0, 1, 2, 3] if area2 > 0 else [0, 3, 2, 1]
    side_order = [0, 1, 2, 3] if area2 > 0 else [3, 2, 1, 0]
    quad, shown = quad[order], [shown[i] for i in order]
    points = [points[i] for i in side_order]
    start = int(np.argmin(quad.sum(axis=1)))
    quad = np.roll(quad, -start, axis=0)
    shown = shown[start:] + shown[:start]
    points = points[start:] + points[:start]
    verdict = best.verdict
    told = verdict.told if verdict is not None else None
    chosen = told or paper
    aspect = verdict.aspect if verdict is not None else chosen.aspect
    if f != 1.0:  # back to the input picture's OpenCV px (pixel centres at integers)
        quad = (quad + 0.5) / f - 0.5
        points = [(p + 0.5) / f - 0.5 for p in points]
    x, y = best.quad[:, 0], best.quad[:, 1]
    cut = bool(((x < 0) | (x > w - 1) | (y < 0) | (y > h - 1)).any())
    return QuadFit(
        quad=quad, edge_points=points, support=best.coverage, fill=1.0 - best.covered,
        hidden_corners=4 - sum(shown), aspect=aspect, paper=chosen, contrast=best.contrast,
        score=best.score, cut=cut, size_told=told is not None, corner_seen=shown,
        side_hidden=any(best.placed), told=told,
    )


def _is_reduction(small: np.ndarray, size: tuple[int, int], f: float) -> bool:
    """Whether `small` has exactly the size `cv2.resize(fx=f, fy=f)` gives a picture of
    `size` (h, w) and f maps it exactly (h * f and w * f whole numbers): OpenCV's INTER_AREA
    then gives the same pixels whether it is told the factor or the size."""
    h0, w0 = size
    hf, wf = h0 * f, w0 * f
    exact = abs(hf - round(hf)) < 1e-9 and abs(wf - round(wf)) < 1e-9
    return exact and small.shape[:2] == (round(hf), round(wf)) and small.dtype == np.uint8
