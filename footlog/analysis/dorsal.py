"""Automatic dorsal-view detector: photo -> landmarks, measures, status.

Pipeline (working image of WORK_SIDE px on the long side):
1. segmentation.segment_foot: the paper is the known background, the foot is the
   non-paper blob on it;
2. outline.build_outline: contour, leg entry, distal direction, axis, forefoot width W;
3. dorsal_landmarks.find_landmarks: toes, webs, side, tangent points;
4. domain.dorsal_measures: the measures by the reference definitions;
5. quality: status and reasons;
6. stability: a photo nothing else doubts is measured again on perturbations of the
   picture, and stays `ok` only when its angles and toe row hold.
Landmarks are returned in full-resolution pixels of the upright photo.
"""

from __future__ import annotations

import time

import cv2
import numpy as np

from footlog.analysis.bare_skin import judge, refuse_if_covered, skin_share
from footlog.analysis.dorsal_landmarks import find_landmarks
from footlog.analysis.edge_refine import EdgeImage, refine_tangents, refine_tips
from footlog.analysis.frame import align
from footlog.analysis.outline import build_outline
from footlog.analysis.quality import (
    SIDE_CLEAR,
    DorsalEvidence,
    edge_blur,
    judge_dorsal,
    outline_uncertain,
    paper_doubt,
)
from footlog.analysis.segmentation import segment_foot
from footlog.analysis.stability import doubts, measure_stability
from footlog.analysis.toes import find_toe_row, side_cue
from footlog.analysis.working_image import to_full, working_image
from footlog.domain.dorsal_measures import dorsal_measures
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View

DETECTOR_VERSION = "dorsal-0.9"
WORK_SIDE = 640  # px; toe webs ~3 px wide, cheap enough for the speed budget




# `page` of measure_dorsal: look for the page in the working image.
SEARCH = "search"


def measure_dorsal(
    image_rgb_reduced: np.ndarray, scale_to_full: float, foot_hint: Foot = Foot.UNKNOWN,
    page: np.ndarray | str | None = SEARCH, work: tuple[np.ndarray, float] | None = None,
    pale: np.ndarray | str | None = SEARCH, stability: bool | None = None,
    points_only: bool = False,
) -> MeasureResult:
    """Measure a dorsal photo.

    image_rgb_reduced: upright RGB uint8 image, any size (a reduced decode of the photo).
    scale_to_full: full-resolution pixels per pixel of `image_rgb_reduced`.
    foot_hint: the side the person said it is; used when the toes cannot tell, and a
        disagreement with the toes is reported.
    page: the page under the foot as calibration found it: its 4 corners in full-resolution
        px (hidden ones placed by extending its sides), None when no page was found, or
        SEARCH to look for it here (on the working image).
    work: the working image and its scale (`working_image` of this picture) when the caller
        already made it; `pale`: the largest pale region found on it (`pale_region`), or
        SEARCH. Both spare doing the same work twice.
    stability: run the detector again on perturbations of the picture (`stability`) and
        let an unstable landmark make the photo `review`: None (the default) does it only
        for a photo that would otherwise be `ok`, True always (for measuring the signal),
        False never.
    points_only: only the side, the landmarks and the measures are wanted (a perturbed run
        of the stability check, which compares nothing else): the status, its reasons,
        the notes and the extras are not worked out, and stability is not measured.
    """
    t0 = time.perf_counter()
    res = MeasureResult(View.DORSAL, foot_hint, Status.FAILED, detector_version=DETECTOR_VERSION)
    img, f = work or working_image(image_rgb_reduced, scale_to_full, WORK_SIDE)
    res.work_image = img

    page_work = _page_in_work(page, img, f)
    seg = segment_foot(img, page_work, pale=pale)
    res.warnings += seg.warnings
    if seg.paper_hull is not None and not points_only:
        res.paper = [to_full(p, f) for p in seg.paper_hull]
    o = build_outline(seg.mask, seg.valid_edge) if seg.mask.any() else None
    if o is None:
        res.warnings.append("no foot outline found")
        return res.finished(t0)
    W = o.width
    if not points_only:
        res.outline = [to_full(p, f) for p in o.pts[::2]]
        res.extras["axis"] = {"tip": to_full(o.tip, f),
                              "distal": [float(o.d[0]), float(o.d[1])],
                              "forefoot_width_px": float(W * f)}
        # A foot in a sock or a shoe is refused before its folds are taken for toes, even
        # when the person said the view: its outline is not the foot's. (The perturbed
        # runs of the stability check compare landmarks only: the photo was judged bare.)
        if refuse_if_covered(res, judge(skin_share(img, seg.mask, o.tip, o.d, W,
                                                   seg.paper_hull))):
            return res.finished(t0)
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    fr = align(seg.mask, gray, seg.valid_edge, o.d)

    # Side: the toe row recedes from the big toe to the little toe.
    cue = side_cue(fr, W)
    status = Status.OK
    side_from_toes = Foot.RIGHT if cue > 0 else Foot.LEFT
    foot = side_from_toes
    if abs(cue) < SIDE_CLEAR:
        status = Status.REVIEW
        if foot_hint != Foot.UNKNOWN:
            foot = foot_hint
        res.warnings.append("the toes do not show clearly which foot this is: check the side")
    elif foot_hint != Foot.UNKNOWN and foot_hint != side_from_toes:
        status = Status.REVIEW
        res.warnings.append(
            f"the toes look like a {side_from_toes} foot, not a {foot_hint} foot: check")
    if foot == Foot.LEFT:
        fr = fr.mirror()  # work on every foot as a right foot (big toe on the left)
    res.foot = foot

    row = find_toe_row(fr, W)
    if row is None:
        res.warnings.append("no toe row found on the outline")
        return res.finished(t0)
    g = find_landmarks(fr, row, W)
    res.warnings += row.warnings + g.warnings
    res.landmarks = {k_: to_full(fr.to_image(v), f) for k_, v in g.landmarks.items()}
    if not points_only:
        # The line the hallux angle uses, and every candidate (benchmarks/proximal_line.py).
        res.extras["proximal_line"] = g.proximal_line
        res.extras["proximal_lines"] = {
            name: [to_full(fr.to_image(ln.proximal), f), to_full(fr.to_image(ln.distal), f)]
            for name, ln in g.candidates.items()}
    edges = EdgeImage(image_rgb_reduced, scale_to_full, seg.mask, f)
    refine_tangents(res.landmarks, edges, W * f)
    refine_tips(res.landmarks, edges, W * f, o.d)
    try:
        res.measures = dorsal_measures(res.landmarks, foot)
    except ValueError as e:
        res.warnings.append(f"measures could not be computed: {e}")

    def doubt_now() -> str:
        return paper_doubt(seg.paper_lab[0] if seg.paper_lab else None,
                           cv2.cvtColor(img, cv2.COLOR_RGB2LAB)[..., 0], seg.mask)

    if points_only:
        # Only what the measures depend on: the same rule as below, its costly cues (the
        # paper's lightness, the edge's blur) worked out only for a partial toe row.
        if row.partial and outline_uncertain(cue, seg, g.midfoot_short, doubt_now,
                                             lambda: edge_blur(gray, o)):
            res.measures = {}
        return res.finished(t0)
    verdict = judge_dorsal(res, DorsalEvidence(fr, row, g, W, cue, seg, gray, o), status,
                           doubt_now)
    status, by_notes = verdict.status, verdict.by_notes
    res.status = by_notes if stability is False else status
    # Stability can only keep a photo `ok` that nothing else doubts: it is not measured
    # for the others unless asked (it costs five more runs of the detector).
    if stability or (stability is None and status == Status.OK):
        page_full = None if page_work is None else (np.asarray(page_work) + 0.5) * f
        _judge_stability(res, image_rgb_reduced, scale_to_full, foot_hint, page_full,
                         complete=bool(stability))
        # For benchmarks/stability.py: the status by the notes, and before stability.
        res.extras["stability"].update(status_by_notes=str(by_notes), status_before=str(status))
    return res.finished(t0)


def _judge_stability(res: MeasureResult, pixels: np.ndarray, scale_to_full: float,
                     foot_hint: Foot, page_full: np.ndarray | None, complete: bool) -> None:
    """Measure the landmarks' stability (`footlog.analysis.stability`) and make an `ok`
    photo `review` when, on some perturbation of the picture, the toe row is read
    differently, the side changes, a landmark or a measure is lost, or an angle moves by
    more than its limit (`stability.doubts`); the warning names what moved. complete: run
    every perturbation (otherwise stop at the first that makes the photo `review`)."""

    def remeasure(px: np.ndarray, scale: float, page: np.ndarray | None,
                  factor: float) -> MeasureResult:
        work = working_image(px, scale, round(WORK_SIDE * factor))
        return measure_dorsal(px, scale, foot_hint, page, work=work, stability=False,
                              points_only=True)

    st = measure_stability(pixels, scale_to_full, page_full, res, remeasure,
                           None if complete else lambda st: bool(doubts(st)))
    res.extras["stability"] = st.to_json()
    why = doubts(st)
    if why and res.status == Status.OK:
        res.status = Status.REVIEW
    res.warnings += why


def _page_in_work(page: np.ndarray | str | None, img: np.ndarray, f: float
                  ) -> np.ndarray | None:
    """The page's corners in OpenCV px of the working image `img` (f full-resolution px
    per its px), searched for when `page` is SEARCH."""
    if isinstance(page, str):
        from footlog.imaging.calibration_paper import find_paper

        fit = find_paper(img)
        return None if fit is None else fit.quad
    if page is None:
        return None
    return np.asarray(page, float).reshape(4, 2) / f - 0.5


