"""Is the foot bare? A foot in a sock or a shoe must not be measured as a bare foot: its
outline is the sock's or the shoe's, and the toes it would find are folds of fabric.

Bare skin occupies a narrow band of colour, whatever the skin tone: its hue in Lab
(the angle of (a*, b*)) lies between red and yellow, and its chroma is moderate; darker
skin is darker (L*) with the same hue and a similar chroma. Socks and shoes are white,
grey or black (no chroma), or strongly coloured (another hue, or far more chroma). The
colour is read relative to the page the foot stands on when there is one: the page is
white, so its own (a*, b*) is the light's cast, which a warm or cold light adds to the
skin as well: the picture is white-balanced on the page (each channel divided by the
page's, as a camera's white balance does) before the colour is read. Without a page the
colours are read as they are.

The part read is the front of the foot (the toes and the forefoot: within
`FRONT_WIDTHS` forefoot widths of the tip, along the foot's axis), never the leg, which a
bare foot in trousers or a foot in a sock with a bare leg would confuse. The share of
its pixels in the skin band is the raw score; below `BARE_SHARE` the foot is covered.
The confidence of either verdict is the share of right verdicts on generated scenes of
bare, socked and shod feet (`benchmarks/view_guess.py --fit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import cv2
import numpy as np

from footlog.domain.results import MeasureResult

FRONT_WIDTHS = 1.0  # forefoot widths behind the tip that are read (toes and forefoot)
SKIN_HUE_DEG = (-35.0, 85.0)  # hue of skin (angle of a*, b* from +a*): see the note
SKIN_CHROMA = (5.0, 40.0)  # chroma of skin (Lab units): above grey, below strong dyes
# Faint skin (dark skin in shade, chroma 8-15) has an uncertain hue: a cast or JPEG noise
# of a few Lab units turns it by tens of degrees (16i-nathan's darker foot in shade reads
# -25 to -65 deg), so below this chroma only blue and green (the hues of dyes and floors,
# not of skin) are refused.
FAINT_CHROMA = 16.0
FAINT_HUE_DEG = (-65.0, 95.0)
BARE_SHARE = 0.45  # share of the front in the skin band below which the foot is covered
MIN_PIXELS = 30  # fewer front pixels tell nothing
# The share of right verdicts on generated scenes of bare, socked and shod feet (seeds
# 1000-1149, each bare, in a sock and in a shoe; benchmarks/view_guess.py --fit), with one
# right and one wrong verdict added: a covered verdict; a bare verdict, by whether the
# detector then gave a number (a white sock on a white page is not told from the page, and
# the outline found is the bare leg: then no toe row is found either).
COVERED_RIGHT = 0.97  # 233/240
BARE_RIGHT = {True: 0.96, False: 0.40}  # a number followed: 104/107; none: 38/95
COVERED_REASON = ("the foot is not bare skin (a sock or a shoe?): footlog measures bare feet "
                  "only, since a sock or a shoe hides the toes and the foot's outline")


@dataclass(frozen=True)
class SkinCheck:
    """`bare_share`: share of the front of the foot in the skin band (None when too few
    pixels to tell); `covered`: the verdict; `confidence`: its measured chance of being
    right (0..1)."""

    bare_share: float | None
    covered: bool
    confidence: float

    def to_json(self) -> dict[str, Any]:
        return {"bare_share": None if self.bare_share is None else round(self.bare_share, 3),
                "covered": self.covered, "confidence": round(self.confidence, 3)}


def paper_gains(rgb: np.ndarray, paper: np.ndarray | None, foot: np.ndarray) -> np.ndarray:
    """Per-channel gains that make the page grey (von Kries: the light's cast divided
    out, as a camera's white balance does), from the median of the brighter half of the
    page's pixels that are not foot (`paper`: the page's polygon in px of `rgb`); ones
    without a page."""
    if paper is None:
        return np.ones(3, np.float32)
    # Every other pixel each way: the page's median needs no more (a quarter of the time).
    rgb, foot = rgb[::2, ::2], foot[::2, ::2]
    inside = np.zeros(foot.shape, np.uint8)
    cv2.fillPoly(inside, [np.round(np.asarray(paper, float) / 2).astype(np.int32)], 1)
    px = rgb[(inside > 0) & (foot == 0)].astype(np.float32)
    if len(px) < MIN_PIXELS:
        return np.ones(3, np.float32)
    px = px[px.sum(axis=1) >= np.median(px.sum(axis=1))]
    white = np.maximum(np.median(px, axis=0), 1.0)
    return cast(np.ndarray, (white.mean() / white).astype(np.float32))


def skin_share(rgb: np.ndarray, foot: np.ndarray, tip: np.ndarray, distal: np.ndarray,
               width: float, paper: np.ndarray | None = None) -> float | None:
    """Share of the front of the foot whose colour is skin's (see the module's note).

    rgb: RGB uint8 picture; foot: its foot mask (nonzero = foot); tip (x, y) px: the most
    distal point; distal: unit vector toward the toes; width: forefoot width (px);
    paper: the page's polygon (px) or None. None when the front has too few pixels."""
    ys, xs = np.nonzero(foot)
    behind = (tip[0] - xs) * distal[0] + (tip[1] - ys) * distal[1]
    front = (behind >= -0.05 * width) & (behind <= FRONT_WIDTHS * width)
    if front.sum() < MIN_PIXELS:
        return None
    # Unsmoothed: the share over many pixels and the page's median already average the noise.
    balanced = rgb[ys[front], xs[front]].astype(np.float32) * paper_gains(rgb, paper, foot)
    px = np.clip(balanced, 0, 255).astype(np.uint8)[None]
    lab = cv2.cvtColor(px, cv2.COLOR_RGB2LAB)[0].astype(np.float32)
    a, b = lab[:, 1] - 128.0, lab[:, 2] - 128.0
    hue = np.degrees(np.arctan2(b, a))
    chroma = np.hypot(a, b)
    hued = (hue >= SKIN_HUE_DEG[0]) & (hue <= SKIN_HUE_DEG[1])
    faint = (chroma < FAINT_CHROMA) & (hue >= FAINT_HUE_DEG[0]) & (hue <= FAINT_HUE_DEG[1])
    skin = (hued | faint) & (chroma >= SKIN_CHROMA[0]) & (chroma <= SKIN_CHROMA[1])
    return float(skin.mean())


def judge(share: float | None) -> SkinCheck:
    """The verdict on a front's skin share, with its measured confidence (a bare verdict's
    as if no number followed: `bare_confidence` once the detector is done)."""
    if share is None:
        # Nothing to read: the outline is not a foot's front; other stages say so.
        return SkinCheck(None, False, BARE_RIGHT[False])
    if share < BARE_SHARE:
        return SkinCheck(share, True, COVERED_RIGHT)
    return SkinCheck(share, False, BARE_RIGHT[False])


def refuse_if_covered(res: MeasureResult, check: SkinCheck) -> bool:
    """Record the check in `res.extras["bare_skin"]`; for a covered foot, also say why no
    number is given (first warning, `extras["not_measurable"]`). True when covered."""
    res.extras["bare_skin"] = check.to_json()
    if not check.covered:
        return False
    res.warnings.insert(0, f"not measurable: {COVERED_REASON}")
    res.extras["not_measurable"] = {"cause": "covered", "reason": COVERED_REASON,
                                    "confidence": check.confidence}
    return True


def bare_confidence(measured: bool) -> float:
    """The measured chance that a bare verdict is right, given whether the detector then
    gave a number (`measured`)."""
    return BARE_RIGHT[measured]
