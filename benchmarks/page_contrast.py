"""How plainly a generated scene's page shows against its floor: the brightness step across
its true outline, as footlog's page finder sees the picture.

The scenes draw white paper on floors from white marble and glazed white tile to dark wood:
on the white ones the step across the page's edge can be a few grey levels, as a person
sees it on such a floor, or none where a highlight saturates both. The page finder's
figures are reported per band of this step, so that what is missed for want of an edge is
told from what is missed among a floor's own edges.
"""

from __future__ import annotations

import cv2
import numpy as np

from footlog.imaging.calibration_paper import WORK_SIDE  # px: the page search's picture

ACROSS_PX = 4.0  # px either side of the outline where the two greys are read
SAMPLES_PER_SIDE = 32
CLEAR_OF_FOOT_PX = 9  # px: positions this near the foot or leg are not the page's edge
# Bands of the step (grey levels) the figures are reported in.
BANDS = ((0.0, 8.0, "edge step < 8"), (8.0, 15.0, "edge step 8-15"),
         (15.0, 256.0, "edge step >= 15"))


def page_edge_step(rgb: np.ndarray, corners_px: np.ndarray, foot_mask: np.ndarray
                   ) -> float | None:
    """The median absolute difference (grey levels, 0-255) between the grey ACROSS_PX
    inside and outside the page's outline, over the positions along it that are in the
    picture and clear of the foot and leg; in whiteness (2 min(R,G,B) - max) or brightness
    (max), whichever shows the page more, at WORK_SIDE px. None when no stretch of the
    outline is in view. `corners_px`: the page's corners in continuous px of `rgb`."""
    h0, w0 = rgb.shape[:2]
    f = min(1.0, WORK_SIDE / max(h0, w0))
    small = cv2.resize(rgb, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    mask = cv2.resize(foot_mask.astype(np.uint8), (small.shape[1], small.shape[0]),
                      interpolation=cv2.INTER_NEAREST)
    mask = cv2.dilate(mask, np.ones((CLEAR_OF_FOOT_PX, CLEAR_OF_FOOT_PX), np.uint8))
    darkest = small.min(axis=2).astype(np.float32)
    brightest = small.max(axis=2).astype(np.float32)
    greys = (np.clip(2 * darkest - brightest, 0, 255), brightest)
    quad = np.asarray(corners_px, float) * f - 0.5  # OpenCV px of the small picture
    centre = quad.mean(axis=0)
    h, w = mask.shape
    inside, outside = [], []
    for s in range(4):
        a, b = quad[s], quad[(s + 1) % 4]
        u = (b - a) / max(float(np.linalg.norm(b - a)), 1e-9)
        n = np.array([-u[1], u[0]])
        if n @ (a - centre) < 0:
            n = -n  # outward
        t = (np.arange(SAMPLES_PER_SIDE) + 0.5) / SAMPLES_PER_SIDE
        on = a + t[:, None] * (b - a)
        pin, pout = on - ACROSS_PX * n, on + ACROSS_PX * n
        ok = np.ones(len(on), bool)
        for p in (pin, pout):
            ok &= (p[:, 0] >= 0) & (p[:, 0] <= w - 1) & (p[:, 1] >= 0) & (p[:, 1] <= h - 1)
        xi = np.clip(np.round(on[:, 0]).astype(int), 0, w - 1)
        yi = np.clip(np.round(on[:, 1]).astype(int), 0, h - 1)
        ok &= mask[yi, xi] == 0
        inside.append(pin[ok])
        outside.append(pout[ok])
    pin, pout = np.concatenate(inside), np.concatenate(outside)
    if not len(pin):
        return None
    steps = []
    for g in greys:
        vin = cv2.remap(g, pin[:, 0:1].astype(np.float32), pin[:, 1:2].astype(np.float32),
                        cv2.INTER_LINEAR)
        vout = cv2.remap(g, pout[:, 0:1].astype(np.float32), pout[:, 1:2].astype(np.float32),
                         cv2.INTER_LINEAR)
        steps.append(float(np.median(np.abs(vin - vout))))
    return max(steps)


def band_of(step: float | None) -> str | None:
    """The name of the band `step` (grey levels) falls in, None without a step."""
    if step is None:
        return None
    return next(name for lo, hi, name in BANDS if lo <= step < hi)
