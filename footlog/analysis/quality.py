"""Quality checks of a dorsal measurement: decide ok / review / failed, in plain words.

A wrong number said with confidence is worse than no number, so every doubt the detector
can name lowers the status. Limits are anatomical (ranges seen in adult feet, generous) or
fractions of the forefoot width W, never tuned to a single photo.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np

from footlog.analysis.dorsal_landmarks import DorsalGeometry
from footlog.analysis.frame import Frame
from footlog.analysis.outline import Outline
from footlog.analysis.segmentation import Segmentation
from footlog.analysis.toes import ToeRow
from footlog.domain.results import MeasureResult
from footlog.domain.views import Status

# Plausible ranges of the measures (deg, deg, ratio). Outside them the landmarks are
# more likely wrong than the foot extraordinary.
HALLUX_RANGE = (-25.0, 50.0)
SPLAY_RANGE = (-40.0, 40.0)
SPREAD_RANGE = (0.6, 1.6)
SIDE_CLEAR = 0.08  # toe-row slope margin (W) below which the side is not trusted
MIN_BASELINE = 0.25  # (W) tangent baselines shorter than this: review
WEB12_DEPTH = (0.15, 0.6)  # (W) the 1-2 web behind the hallux tip, generous (see below)
MIN_TIP_GAP = 0.08  # (W) adjacent toe tips closer than this (reference photos 0.12-0.3)
# One working pixel across a toe's tangent baseline must turn the line by less than this
# (deg): a foot small in the photo cannot give the angles to a degree or two.
PIXEL_DEG = 1.5
STRONG_CLEFT = 1.5  # cleft evidence below this: the toes are only just separable
# The sheet of paper is white: skin reflects at most ~0.6 of its light in the protocol
# photos (dark skin 0.35; synthetic pale skin up to ~0.87). A "paper" not clearly
# lighter than the skin is a
# floor (concrete, tiles) taken for paper: the outline may run anywhere on it.
PAPER_SKIN_RATIO = 0.9


def worst(a: Status, b: Status) -> Status:
    """The more doubtful of two statuses."""
    rank = {Status.OK: 0, Status.REVIEW: 1, Status.FAILED: 2}
    return a if rank.get(a, 0) >= rank.get(b, 0) else b


def check_geometry(fr: Frame, row: ToeRow, g: DorsalGeometry, W: float,
                   measures: dict[str, float]) -> tuple[Status, list[str], list[str]]:
    """Status and reasons from the toe row, the landmarks (canonical frame px) and the
    measures, and the notes: doubts that the stability of the landmarks judges better
    (`footlog.analysis.stability`; docs/DETECTOR.md gives the figures). A note lowers the
    status only where stability is not measured."""
    status, why, notes = Status.OK, [], []
    lm = g.landmarks
    if not all(k in lm for k in ("mt1_medial", "hallux_medial", "midfoot_medial")):
        return Status.FAILED, ["the big toe and the medial border of the foot were not found"], []

    # Toes touching the frame or the paper edge: the foot may be cut off.
    hx, hy = lm.get("hallux_tip", (0.0, 0.0))
    y0 = max(0, int(hy) - 2)
    if not fr.valid[y0 : int(hy) + 3, max(0, int(hx) - 2) : int(hx) + 3].all():
        status = worst(status, Status.REVIEW)
        why.append("the big toe touches the edge of the photo or of the paper")
    # Four toes showing (the little toe tucked or hidden) is a normal foot: its absence is
    # said by the toe row itself, and is no doubt about the toes that show.
    shown = 4 if row.four else 5
    missing = [k + 1 for k, t in enumerate(row.tips[:shown]) if t is None]
    if row.doubt:
        notes.append(row.doubt)
    if missing:
        status = worst(status, Status.REVIEW)
        why.append(f"toes {missing} could not be separated: check the toe points")
    elif min(row.cleft_scores[: shown - 1]) < STRONG_CLEFT:
        notes.append("some toes are only faintly separated: check the toe points")
    tips = [np.asarray(t, float) for t in row.tips if t is not None]
    if any(np.linalg.norm(a - b) < MIN_TIP_GAP * W for a, b in itertools.pairwise(tips)):
        status = worst(status, Status.REVIEW)
        why.append("two toe tips almost coincide: a toe may have been split in two, "
                   "check the toe points")
    if row.touching:
        # Toes separated only by a crease: the tips and the little toe's outline are
        # less sure (synthetic: toe splay off by up to 2 deg where 1 deg otherwise).
        notes.append("some toes touch and are separated only by a crease: check the toe "
                     "points")
    if g.lateral_cut and "mt5_lateral" in lm:
        # The same outline on every perturbation: stability cannot see what is hidden.
        status = worst(status, Status.REVIEW)
        why.append("the edge of the page or of the photo hides part of the lateral border "
                   "where the fifth metatarsal head lies: check mt5_lateral")
    if g.midfoot_short:
        notes.append(
            "the leg or the photo's edge hides most of the medial border of the midfoot: "
            "the hallux angle rests on a short stretch of it")

    # Proportions (W): first metatarsal head 0.5-1.2 W behind the hallux tip, forefoot
    # width close to W.
    if "hallux_tip" in lm:
        r = float(np.linalg.norm(lm["hallux_tip"] - lm["mt1_medial"])) / W
        if not 0.45 <= r <= 1.3:
            status = worst(status, Status.REVIEW)
            why.append("the big toe joint is at an unusual place: check mt1_medial")
    # The 1-2 web lies 0.24-0.47 W behind the hallux tip on the reference photos (synthetic
    # feet 0.33-0.42): a web found far outside that followed a crease past the web (or
    # stopped on a nail edge), and mt1_medial and the midfoot line are sought from it.
    if "cleft12" in lm and "hallux_tip" in lm:
        r = float(lm["cleft12"][1] - lm["hallux_tip"][1]) / W
        if not WEB12_DEPTH[0] <= r <= WEB12_DEPTH[1]:
            status = worst(status, Status.REVIEW)
            why.append("the web between the big toe and the second toe is at an unusual "
                       "place: check cleft12 and mt1_medial")
    # A tangent direction from a short baseline is imprecise (one working pixel over
    # 0.25 W is ~2 deg) and a short baseline means a landmark slid onto the toe's own edge:
    # in the reference photos hallux_medial lies 0.28-0.63 W from mt1_medial and
    # toe5_lateral 0.18-0.6 W from mt5_lateral (synthetic: 0.3-0.4 W).
    bases = [float(np.linalg.norm(lm[a] - lm[b])) for a, b in (
        ("hallux_medial", "mt1_medial"), ("toe5_lateral", "mt5_lateral")) if a in lm and b in lm]
    if np.degrees(np.arctan(1.0 / max(1.0, min(bases)))) > PIXEL_DEG:
        notes.append("the foot is small in the photo: the toe lines are only a few pixels "
                   "long, so the angles are less precise")
    for toe_pt, head, edge in (("hallux_medial", "mt1_medial", "the big toe's medial edge"),
                               ("toe5_lateral", "mt5_lateral",
                                "the little toe's lateral edge")):
        if toe_pt in lm and head in lm:
            r = float(np.linalg.norm(lm[toe_pt] - lm[head])) / W
            if r < MIN_BASELINE:
                status = worst(status, Status.REVIEW)
                why.append(f"{edge} is too short to give its direction: "
                           f"check {head} and {toe_pt}")
    if "mt5_lateral" in lm:
        r = float(np.linalg.norm(lm["mt5_lateral"] - lm["mt1_medial"])) / W
        if not 0.8 <= r <= 1.2:
            status = worst(status, Status.REVIEW)
            why.append("the forefoot width is unusual: check mt1_medial and mt5_lateral")

    for name, (lo, hi) in (("hallux_angle", HALLUX_RANGE), ("toe_splay", SPLAY_RANGE),
                           ("toe_spread_ratio", SPREAD_RANGE)):
        v = measures.get(name)
        if v is not None and not lo <= v <= hi:
            status = worst(status, Status.REVIEW)
            why.append(f"{name} = {v:.1f} is outside the usual range: check the points")
    return status, why, notes


def paper_doubt(paper_light: float | None, light: np.ndarray, mask: np.ndarray) -> str:
    """A reason to doubt that the background is the sheet of paper, or ''.

    paper_light: the paper's lightness from the segmentation (same scale as `light`).
    """
    if paper_light is None or not mask.any():
        return ""
    if float(np.median(light[mask > 0])) > PAPER_SKIN_RATIO * paper_light:
        return ("the background is not much lighter than the skin: it may not be the sheet "
                "of paper, so the outline is uncertain")
    return ""


def edge_blur(gray: np.ndarray, o: Outline) -> float:
    """Width of the foot/paper edge in units of W (≈ blur radius / foot size).

    Ratio of the intensity step across the outline to the peak gradient there: a sharp
    edge has a width of a pixel or two, a blurred one many.
    """
    pts = o.pts[o.valid]
    if len(pts) < 20:
        return 0.0
    # Normal of the outline at each point, from neighbouring points.
    t = np.roll(pts, -3, axis=0) - np.roll(pts, 3, axis=0)
    nrm = np.stack([-t[:, 1], t[:, 0]], axis=1)
    nrm /= np.linalg.norm(nrm, axis=1, keepdims=True) + 1e-9
    reach = max(3.0, 0.04 * o.width)
    # Filter only the box the samples can reach, plus the filters' own reach (Gaussian
    # 4 px, Sobel 1 px), so every sampled value is what the whole image would give.
    H, W = gray.shape
    m = int(np.ceil(reach)) + 8
    x0, y0 = (np.floor(pts.min(axis=0)).astype(int) - m).clip(0)
    x1, y1 = np.minimum(np.ceil(pts.max(axis=0)).astype(int) + m + 1, [W, H])
    g = cv2.GaussianBlur(gray[y0:y1, x0:x1].astype(np.float32), (0, 0), 1.0)
    gx = cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3) / 8.0
    gy = cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3) / 8.0
    mag = np.hypot(gx, gy)
    pts = pts - np.array([x0, y0])
    h, w = g.shape

    def sample(img: np.ndarray, p: np.ndarray) -> np.ndarray:
        x = np.clip(np.round(p[:, 0]).astype(int), 0, w - 1)
        y = np.clip(np.round(p[:, 1]).astype(int), 0, h - 1)
        return cast(np.ndarray, img[y, x])

    step = np.abs(sample(g, pts + reach * nrm) - sample(g, pts - reach * nrm))
    peak = np.max([sample(mag, pts + s * nrm) for s in np.linspace(-3, 3, 7)], axis=0)
    good = step > 15  # only edges with real contrast tell anything about blur
    if good.sum() < 20:
        return 0.0
    return float(np.median(step[good] / (peak[good] + 1e-6)) / o.width)


BLUR_LIMIT = 0.03  # edge width above 3 % of the forefoot width: too blurred to trust


@dataclass(frozen=True)
class DorsalEvidence:
    """What the dorsal detector found, as the status policy weighs it: the aligned frame,
    the toe row, the landmarks' geometry, the forefoot width W (working px), the side cue,
    the segmentation, the grey working picture and the outline."""

    fr: Frame
    row: ToeRow
    g: DorsalGeometry
    W: float
    cue: float
    seg: Segmentation
    gray: np.ndarray
    o: Outline


@dataclass(frozen=True)
class Verdict:
    """A dorsal photo's status by the evidence (`status`), and lowered by the notes too
    (`by_notes`): the notes are doubts that stability judges better (CHANGELOG.md,
    dorsal-0.8), so they count only where stability is not measured."""

    status: Status
    by_notes: Status


def judge_dorsal(res: MeasureResult, e: DorsalEvidence, status: Status,
                 paper_doubt_now: Callable[[], str]) -> Verdict:
    """The status policy of a dorsal measurement. `status`: what the side's reading left
    (ok, or review when it was unclear); `paper_doubt_now`: the paper-versus-skin doubt
    (its reason or ''). Adds the reasons and notes to `res.warnings`, the edge's blur to
    `res.extras`, and empties `res.measures` where a partial toe row rests on an uncertain
    outline."""
    fr, row, g, W, cue, seg, gray, o = e.fr, e.row, e.g, e.W, e.cue, e.seg, e.gray, e.o
    q, why, notes = check_geometry(fr, row, g, W, res.measures)
    status = worst(status, q)
    res.warnings += why
    if seg.paper_hull is None or seg.paper_by_region:
        status = worst(status, Status.REVIEW)
    doubt = paper_doubt_now()
    if doubt:
        status = worst(status, Status.REVIEW)
        res.warnings.append(doubt)
    blur = edge_blur(gray, o)
    res.extras["edge_blur"] = blur
    if blur > BLUR_LIMIT:
        notes.append("the photo looks blurred: the outline may be inaccurate")
    res.warnings += notes
    if row.partial and outline_uncertain(cue, seg, g.midfoot_short, lambda: doubt,
                                         lambda: blur):
        # Toes placed without a full set of clefts rest on the outline alone; where the
        # outline or the foot's side is itself in doubt (no page, or only a pale region
        # taken for one), that is a number with nothing under it.
        res.measures = {}
        res.warnings.append("the toes could not be told apart and the outline is "
                            "uncertain: no measure")
    if not res.measures:
        status = Status.FAILED
    return Verdict(status, worst(status, Status.REVIEW) if notes else status)


def outline_uncertain(cue: float, seg: Segmentation, midfoot_short: bool,
                      doubt: Callable[[], str], blur: Callable[[], float]) -> bool:
    """Whether the outline or the foot's side is in doubt: the side unclear (`cue`), no
    page or only a pale region taken for one, the paper not lighter than the skin
    (`doubt`: its reason or ''), a blurred edge (`blur`: its width in W) or a short medial
    border of the midfoot. `doubt` and `blur` are called only when the others do not
    settle it."""
    return (abs(cue) < SIDE_CLEAR or seg.paper_hull is None or seg.paper_by_region
            or midfoot_short or bool(doubt()) or blur() > BLUR_LIMIT)
