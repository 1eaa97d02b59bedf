"""Guess the view of a photo (dorsal, medial, plantar) when the person did not say.

Three cheap cues on a ~320 px picture:

- a print: the picture is a plain ground with a strongly contrasted region (ink or wet print,
  contrast over the ground's own spread well above any photo of a foot on paper: >= 5,
  while foot photos give 0.5-4) that breaks into a sole and several small toe islands;
- the foot+leg region (far from the floor's colours, `medial_outline.colour_mask`): its long
  axis. Seen from the side the foot lies long and low along the floor, so the region's
  principal axis is near horizontal (6-16 deg in the test photos) and it is elongated;
  seen from above, the foot runs up the picture (46-88 deg). A tall leg can turn the whole
  region upright, so the lowest quarter of the region is also looked at: long, flat-bottomed
  and wider than the region is tall on a side view;
- the leg: from the side it leaves the picture through the top or a side.

Those cues give a raw score per view. The confidence returned is the share of pictures
with that guessed view and raw score band whose view was right, measured on generated
pictures (scenes of real feet on a page, synthetic side views and prints:
`python benchmarks/view_guess.py --fit` prints the table; the real photos are kept out of
the fit to check it). Below `NOT_MEASURABLE` the guess is more likely wrong than right:
the photo is then not measured unless the person says which view it is.

"Not measurable" is the fourth outcome of the view decision that `footlog.measuring` makes
for a photo without a given view (`decision`): the view cannot be told (here), the foot
is not bare skin (`bare_skin`, once the detector has found the foot), or both feet and no
page (seated, or seen from behind). Each comes with its reason in plain words and, where
generated pictures measure it, its confidence.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from footlog.analysis.medial_outline import _lab, colour_mask
from footlog.analysis.plantar_shape import _pieces, print_mask
from footlog.domain.views import View

GUESS_SIDE = 320  # px; only the region's shape is needed
PRINT_CONTRAST = 5.0  # print contrast (Otsu threshold over ground spread) of a real print
SKIN_CHROMA = 12.0  # Lab chroma above which a print region looks like skin, not ink
LOW_CONFIDENCE = 0.6
BOTTOM_SHARE = 0.02  # share of the bottom row the region may touch in a side view (a toe)
NOT_MEASURABLE = 0.5  # a guess more likely wrong than right gives no number
# Raw score bands (upper edges; the last band runs to 1) and, per guessed view, the share of
# right guesses in each band, with one right and one wrong guess added to each band so that
# few pictures never give 0 or 1 (benchmarks/view_guess.py --fit).
RAW_EDGES = (0.5, 0.8, 0.95)
CALIBRATION: dict[View, tuple[float, float, float, float]] = {
    # right / pictures per band, 150 scenes (seeds 1000-1149) and 17 synthetic pictures
    View.DORSAL: (0.96, 0.90, 0.89, 0.99),  # 21/21 8/8 7/7 80/80
    # A foot photographed from above with its leg running out of a side of the picture
    # looks long and flat too: 5 of the 11 such scenes scored >= 0.95 as side views.
    View.MEDIAL: (0.06, 0.08, 0.50, 0.54),  # 0/15 0/10 2/4 6/11
    View.PLANTAR: (0.50, 0.67, 0.17, 0.50),  # 0/0 5/7 0/4 0/0
}


def _small(image_rgb: np.ndarray) -> np.ndarray:
    h, w = image_rgb.shape[:2]
    k = min(1.0, GUESS_SIDE / max(h, w))
    img = np.ascontiguousarray(image_rgb[..., :3])
    if k < 1.0:
        img = cv2.resize(img, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    return img


def print_score(img: np.ndarray) -> float:
    """0..1: how much the picture looks like a footprint (ink/wet print or podoscope)."""
    mask, contrast = print_mask(img)
    if contrast < PRINT_CONTRAST or not mask.any():
        return 0.0
    toeless, toes, _ = _pieces(mask)
    if not toeless.any():
        return 0.0
    frac = float(toeless.mean())
    if not 0.02 <= frac <= 0.6:
        return 0.0
    lab = _lab(img)
    chroma = float(np.median(np.hypot(lab[..., 1], lab[..., 2])[toeless > 0]))
    score = 0.6 + 0.1 * min(len(toes), 4)
    if chroma > SKIN_CHROMA:
        score -= 0.3  # skin-coloured: a podoscope, or a photo of a foot after all
    return float(np.clip(score, 0.0, 1.0))


# A photo whose view cannot be told (its guess under NOT_MEASURABLE) is not measurable; that
# decision is right as often as such generated pictures are truly not measurable (a foot in
# a sock or a shoe; the others are views the guess missed): (right + 1) / (n + 2) over the
# fit's pictures (benchmarks/view_guess.py --fit).
UNTOLD_RIGHT = 0.64  # 52/81
NOT_MEASURABLE_VIEW = "not measurable"  # the decision's view when no number may be given
VIEW_REASON = ("the photo does not look like a photo from above, from the inner side or a "
               "footprint")
TWO_FEET_REASON = ("both feet, and no page or card: seated or seen from behind, both feet "
                   "look like a photo from above")


def decision(view: View | str, confidence: float | None, reason: str = ""
             ) -> dict[str, Any]:
    """The view decision of a photo whose view was not given, for `measure --json`'s
    `view_guess`: `view` (dorsal, medial, plantar or "not measurable"), `confidence` (its
    measured chance of being right, 0..1, or None when nothing measured it) and, for "not
    measurable", the `reason` in plain words."""
    return {"view": str(view), "confidence": None if confidence is None
            else round(float(confidence), 3), "reason": reason or None}


def band(raw: float) -> int:
    """Index of the raw score band `raw` falls in (see RAW_EDGES)."""
    return int(np.searchsorted(RAW_EDGES, raw, side="right"))


def guess_view(image_rgb_reduced: np.ndarray) -> tuple[View, float]:
    """(view, confidence 0..1) of an upright RGB uint8 photo (any size; reduced is fine):
    the confidence is the measured chance that the view is right (see the module's note)."""
    view, raw = raw_guess(image_rgb_reduced)
    return view, CALIBRATION[view][band(raw)]


def raw_guess(image_rgb_reduced: np.ndarray) -> tuple[View, float]:
    """(view, raw score 0..1) from the cues alone, before calibration."""
    img = _small(image_rgb_reduced)
    p = print_score(img)
    if p >= 0.5:
        return View.PLANTAR, p
    lab = _lab(cv2.GaussianBlur(img, (0, 0), 1.0))
    mask, _, _ = colour_mask(lab)
    if mask.sum() < 0.01 * mask.size:
        return View.DORSAL, 0.2
    ys, xs = np.nonzero(mask)
    pts = np.stack([xs, ys], 1).astype(float)
    ev, evec = np.linalg.eigh(np.cov((pts - pts.mean(axis=0)).T))
    d = evec[:, 1]
    ang = float(np.degrees(np.arctan2(abs(d[1]), abs(d[0]))))  # 0 = horizontal
    elong = float(np.sqrt(ev[1] / max(ev[0], 1e-9)))
    h, _w = mask.shape
    leg_out = bool(mask[:2].any() or mask[: h // 2, :2].any() or mask[: h // 2, -2:].any())
    medial = float(np.clip((35.0 - ang) / 25.0, 0, 1) * np.clip((elong - 1.2) / 0.5, 0, 1))
    # A tall leg can make the whole region upright; the foot itself still lies long and
    # flat at the bottom: the lowest quarter of the region is wider than the region is tall
    # (>= 1.1 on side views, <= 0.75 on the photos from above) and its bottom edge is
    # straight. A region cut by the bottom of the photo has no floor to stand on.
    low = ys >= ys.max() - 0.25 * (ys.max() - ys.min() + 1)
    extent = float(xs[low].max() - xs[low].min() + 1)
    cols, inv = np.unique(xs[low], return_inverse=True)
    bottom = np.full(len(cols), -1.0)
    np.maximum.at(bottom, inv, ys[low].astype(float))
    wide = extent / float(ys.max() - ys.min() + 1)
    flat = float(np.std(bottom)) / extent < 0.08
    if flat and not mask[-2:].any():
        medial = max(medial, float(np.clip((wide - 0.8) / 0.3, 0, 1)))
    if not leg_out:
        medial *= 0.5
    # Seen from the side the foot stands on a floor that shows below it; a region that runs
    # out of the bottom of the picture is a leg coming towards the camera (a photo from
    # above or behind, or seated).
    if mask[-2:].any(axis=0).mean() > BOTTOM_SHARE:
        medial = 0.0
    dorsal = float(np.clip((ang - 30.0) / 30.0, 0, 1))
    if medial > dorsal:
        return View.MEDIAL, round(medial, 3)
    return View.DORSAL, round(max(dorsal, 0.3), 3)
