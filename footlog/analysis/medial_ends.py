"""Which end of a side view is the heel and which the toes, from the shape alone.

A foot seen from the side has two unlike ends: the heel is a round mass about a fifth of the
foot's length high with the leg rising from it, while the toes taper to a thin end less than
a tenth of the length high. Two cues are read, each independent of the foot's direction in
the picture:

- thickness: the silhouette's height above the plantar edge, in a band of columns near each
  end of the floor span (the median over the band, so one notch or strap does not decide);
- the leg: the mask area high above the floor over each half of the span.

The thin end is the toes. When the thickness cannot tell (the ends differ by less than
`MIN_RATIO`) the leg decides alone if it is clear; when the two cues point opposite ways, or
neither is clear, the photo is not measured: a swapped heel and toe mirrors every landmark
and no later check would notice.

Sizes are pixels of the working image; rules are fractions of the floor span.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BAND = (0.01, 0.06)  # columns read for an end's thickness, fractions of the span from it
MIN_RATIO = 1.4  # heel thickness over toe thickness needed for the shape to decide
# The heel is ~0.2 L high against the toes' ~0.05-0.1 L near the ends (real side views give
# ratios near 3, synthetic ones 3-10); below 1.4 either end may be the heel.
GAP = 0.08  # how far above the plantar edge the mask may start, fraction of the span
LEG_CLEAR = 0.7  # share of the high mass over one half for the leg to decide alone


@dataclass
class Ends:
    """toes_right: True / False, or None when heel and toe cannot be told (see `reason`).
    thickness: median silhouette height at the (left, right) end, fraction of the span;
    leg_share: share of the mask high above the floor that lies over the left half."""

    toes_right: bool | None
    thickness: tuple[float, float]
    leg_share: float
    reason: str = ""


def _run_height(col: np.ndarray, yb: int, gap: int) -> int:
    """Height (px) from row `yb` up to the top of the first mask run within `gap` px above
    it (the traced plantar edge may lie a little below the colour mask's shaded bottom)."""
    y = min(yb, len(col) - 1)
    above = np.flatnonzero(col[max(0, y - gap) : y + 1])
    if not len(above):
        return 0
    y = max(0, y - gap) + int(above[-1])
    hits = np.flatnonzero(col[: y + 1] == 0)
    top = int(hits[-1]) + 1 if len(hits) else 0
    return yb - top


def _thickness(mask: np.ndarray, bottom: np.ndarray, x0: int, x1: int) -> tuple[float, float]:
    span = max(1, x1 - x0)
    out = []
    for sign, start in ((1, x0), (-1, x1)):
        xs = start + sign * np.arange(int(BAND[0] * span), int(BAND[1] * span) + 1)
        gap = max(2, int(GAP * span))
        hs = [_run_height(mask[:, x], int(bottom[x]), gap) for x in xs
              if np.isfinite(bottom[x])]
        out.append(float(np.median(hs)) / span if hs else 0.0)
    return out[0], out[1]


def _leg_share(mask: np.ndarray, bottom: np.ndarray, x0: int, x1: int) -> float:
    """Share of the mask area high above the floor (0.3 span up) over the left half."""
    floor_y = float(np.nanmedian(bottom[x0 : x1 + 1]))
    high = mask[: max(1, int(floor_y - 0.3 * (x1 - x0))), x0 : x1 + 1]
    if not high.any():
        return 0.5
    cols = high.sum(axis=0).astype(float)
    half = len(cols) // 2
    return float(cols[:half].sum() / max(1.0, cols.sum()))


def heel_and_toe(mask: np.ndarray, bottom: np.ndarray) -> Ends:
    """Decide the toes' end of a side-view silhouette (`mask` 0/1, `bottom`: per column the
    plantar edge's y, NaN outside the foot)."""
    xs = np.flatnonzero(np.isfinite(bottom))
    if len(xs) < 10:
        return Ends(None, (0.0, 0.0), 0.5, "no foot found standing on the floor")
    x0, x1 = int(xs[0]), int(xs[-1])
    left, right = _thickness(mask, bottom, x0, x1)
    share = _leg_share(mask, bottom, x0, x1)
    ratio = max(left, right) / max(min(left, right), 1e-3)
    by_shape = (left > right) if ratio >= MIN_RATIO else None  # the thick end is the heel
    by_leg = share > 0.5 if abs(share - 0.5) >= LEG_CLEAR - 0.5 else None
    if by_shape is not None and by_leg is not None and by_shape != by_leg:
        return Ends(None, (left, right), share,
                    "heel and toes cannot be told apart: the thinner end is on the side the"
                    " leg rises from")
    decided = by_shape if by_shape is not None else by_leg
    if decided is None:
        return Ends(None, (left, right), share,
                    "heel and toes cannot be told apart: both ends of the foot look alike and"
                    " no leg shows which is the heel")
    return Ends(decided, (left, right), share)
