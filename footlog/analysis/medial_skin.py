"""A per-photo skin model for the side view: the foot's own colour against the floor's.

The floor-distance mask (`medial_outline.colour_mask`) knows only the floor's colours, so a
shadow or a strip of another floor colour that is far from every floor sample joins the
foot. Skin differs from paper, carpet and their shadows mostly by its chroma (it is redder),
and a shadow darkens without making it redder. So the chroma (a, b in Lab) of a confident
core of the foot -- the mask deeply eroded, in the band of rows just above the sole: the
instep, not the leg, not the edges -- is compared with the chroma of everything well away
from the mask. Per pixel: log(P(ab | foot) / P(ab | background)) from two smoothed 2-D
histograms.

On a wooden floor skin and wood share their hue; the model then separates poorly and is not
used (`separation`: the share of core pixels scored foot minus the share of background
pixels scored foot, 1 = perfect).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np

BINS = 64  # a and b from -32 to +32, 1 unit per bin (skin and floors lie well inside)
MIN_SEPARATION = 0.95  # below this the chroma model is not trusted
LR_KEEP = 1.0  # a pixel of the floor-distance mask stays foot when its log-ratio is above


@dataclass
class SkinModel:
    """lr: per-pixel log-likelihood ratio foot/background (0 = undecided); separation: see the
    module doc; core: the mask the foot's colour was learnt from."""

    lr: np.ndarray
    separation: float
    core: np.ndarray

    @property
    def usable(self) -> bool:
        return self.separation >= MIN_SEPARATION


def _bins(ab: np.ndarray) -> np.ndarray:
    """Histogram bin of each (a, b) pair: 1 unit per bin from -32 to +32."""
    ia = np.clip((ab[..., 0] + 32).astype(np.int32), 0, BINS - 1)
    ib = np.clip((ab[..., 1] + 32).astype(np.int32), 0, BINS - 1)
    return ia * BINS + ib


def _hist(bins: np.ndarray) -> np.ndarray:
    h: np.ndarray = np.bincount(bins, minlength=BINS * BINS).reshape(BINS, BINS).astype(np.float32)
    h = cv2.GaussianBlur(h, (0, 0), 1.0)
    return h / max(float(h.sum()), 1e-9)


def core_region(mask: np.ndarray) -> np.ndarray:
    """Confident foot: the mask eroded by 6 % of the picture's width (the photo's edge counts
    as outside: whatever runs out of the picture is not known to be foot), in the rows from
    the mask's bottom up to 0.3 widths above it and the middle 60 % of its columns (the
    instep: not the leg, not the heel's or the toes' ends)."""
    _h, w = mask.shape
    r = max(2, int(0.06 * w))
    # An erosion by a disk of radius r, as a distance transform (a 57-px disk is slow).
    padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    core = (cv2.distanceTransform(padded, cv2.DIST_L2, 5)[1:-1, 1:-1] > r).astype(np.uint8)
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if len(rows):
        core[: max(0, int(rows[-1] - 0.3 * w))] = 0
        a, b = cols[0], cols[-1]
        core[:, : int(a + 0.2 * (b - a))] = 0
        core[:, int(b - 0.2 * (b - a)) + 1 :] = 0
    return core


def skin_model(lab: np.ndarray, mask: np.ndarray) -> SkinModel | None:
    """The chroma model learnt from `mask` (uint8 0/1, the floor-distance foot+leg mask)."""
    core = core_region(mask)
    bg = cv2.dilate(mask, np.ones((15, 15), np.uint8)) == 0
    if core.sum() < 200 or bg.sum() < 1000:
        return None
    bins = _bins(lab[..., 1:])
    hs, hb = _hist(bins[core > 0]), _hist(bins[bg])
    lr_table = np.log((hs + 1e-5) / (hb + 1e-5)).astype(np.float32).ravel()
    lr = lr_table[bins]
    sep = float((lr[core > 0] > 0).mean() - (lr[bg] > 0).mean())
    return SkinModel(lr, sep, core)


def skin_mask(model: SkinModel, mask: np.ndarray) -> np.ndarray:
    """The floor-distance mask without what the chroma says is background (lr < -1): a
    small opening cuts the strips left hanging, then the component holding the core, holes
    filled."""
    m: np.ndarray = ((mask > 0) & (model.lr > LR_KEEP)).astype(np.uint8)
    # Strips up to ~3 % of the width (a plank or carpet edge beside the heel) are cut off.
    r = max(2, int(0.015 * mask.shape[1]))
    disk = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, disk)
    m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5)))
    n, cc = cv2.connectedComponents(m, connectivity=8)
    ids = np.bincount(cc[(model.core > 0) & (m > 0)].ravel(), minlength=n)
    ids[0] = 0
    if n < 2 or not ids.any():
        return mask
    comp = (cc == int(np.argmax(ids))).astype(np.uint8)
    contours, _ = cv2.findContours(comp, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    out = np.zeros_like(comp)
    cv2.drawContours(out, contours, -1, 1, -1)
    return cast(np.ndarray, out)


def skin_distance(model: SkinModel, dist: np.ndarray) -> np.ndarray:
    """The floor distance (1 = threshold) capped by the chroma: a pixel the skin model calls
    background (lr < -1: pixels on the foot's blurred border mix in some floor) counts at
    most as far as lr says (lr -1 -> 1, lr -4 -> 0)."""
    cap = np.where(model.lr < -1, np.clip(1.0 + (model.lr + 1.0) / 3.0, 0.0, 1.0), np.inf)
    return cast(np.ndarray, np.minimum(dist, cap).astype(np.float32))
