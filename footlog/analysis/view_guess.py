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

The guess comes with a confidence 0..1; the caller turns a low one into a warning.
"""

from __future__ import annotations

import cv2
import numpy as np

from footlog.analysis.medial_outline import _lab, colour_mask
from footlog.analysis.plantar_shape import _pieces, print_mask
from footlog.domain.views import View

GUESS_SIDE = 320  # px; only the region's shape is needed
PRINT_CONTRAST = 5.0  # print contrast (Otsu threshold over ground spread) of a real print
SKIN_CHROMA = 12.0  # Lab chroma above which a print region looks like skin, not ink
LOW_CONFIDENCE = 0.6


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


def guess_view(image_rgb_reduced: np.ndarray) -> tuple[View, float]:
    """(view, confidence 0..1) of an upright RGB uint8 photo (any size; reduced is fine)."""
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
    dorsal = float(np.clip((ang - 30.0) / 30.0, 0, 1))
    if medial > dorsal:
        return View.MEDIAL, round(medial, 3)
    return View.DORSAL, round(max(dorsal, 0.3), 3)
