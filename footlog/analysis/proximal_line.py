"""Candidate proximal lines of the hallux angle, from the foot's own borders.

The hallux angle is measured from a proximal reference line through `mt1_medial` to the
big toe's medial tangent (docs/MEASURES.md). Which proximal line is the question of the
comparison in benchmarks/proximal_line.py; each candidate here is a pure function of the
borders the dorsal detector reads from the outline and of `mt1_medial`:

- `heel_tangent`: the clinical line, tangent from `mt1_medial` to the medial border of the
  heel; defined only when the border is seen all the way round the heel;
- `metatarsal_fit`: a straight line fitted to the medial border of the first metatarsal
  shaft, over a window behind its head;
- `long_axis`: the foot's long axis from visible anatomy: the midline of the forefoot and
  midfoot (midpoints of the medial and lateral borders);
- `refined_window`: the tangent from `mt1_medial` to the medial border 0.4-1.2 W behind it
  (the detector's `midfoot_medial`, placed in dorsal_landmarks).

Coordinates are those of the detector's canonical frame (px): a right foot, toes up,
distal is -y, medial is -x; a border is given as one x per row (NaN where unseen), with a
mask of the rows where it is the foot's own outline (not the leg, the photo's or the
paper's edge). Every line is returned as two points (proximal, distal) of the line; lengths
are in forefoot widths W (`mt1_medial`-`mt5_lateral`, px), from foot proportions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Foot proportions (W behind mt1_medial): the heel's back lies ~1.8-2.0 W behind the
# first metatarsal head (foot length ~2.5-2.7 W, the head ~0.7-0.8 W behind the hallux
# tip; `gg` 2.2 W, the synthetic feet 2.05-2.3 W). A border that ends less than
# HEEL_MIN_REACH behind the head has not reached the heel; one that ends more than
# HEEL_MAX_REACH behind it ran on along the leg.
HEEL_MIN_REACH = 1.5
HEEL_MAX_REACH = 2.5
# The heel's medial border: the last HEEL_SPAN of the visible border before its back end.
# The medial malleolus, which can bulge medially past the heel in a view from above, lies
# ~0.5 W or more in front of the heel's back, outside this span.
HEEL_SPAN = 0.4
# The heel's back closes the outline: a round heel's medial border turns laterally until
# it runs across the foot. Over its last HEEL_BACK_ROWS (W) the seen border must already
# have turned by HEEL_BACK_TURN_DEG from the axis, halfway to across; the edge of a leg
# crossing the border or leaving the photo runs within ~45 deg of the foot's axis or
# turns medially (the leg rule of dorsal_landmarks).
HEEL_BACK_ROWS = 0.05
HEEL_BACK_TURN_DEG = 45.0
# ... and the outline narrows: its last rows are less than HEEL_END_NARROW of its width
# HEEL_WIDTH_AT (W) before its end (a heel's back is round; a leg leaving the photo is
# cut straight). The border's own rows may stop HEEL_GAP (W) short of the outline's end
# where the heel nears the paper's edge.
HEEL_WIDTH_AT = 0.3
HEEL_END_NARROW = 0.6
HEEL_GAP = 0.25
# The heel tangent's contact lies at least HEEL_CONTACT_MARGIN (W) before the border's last
# row, and the border behind it falls at least HEEL_FALL_AWAY (W) laterally from the line.
HEEL_CONTACT_MARGIN = 0.1
HEEL_FALL_AWAY = 0.03
# The first metatarsal's shaft: its head's bulge ends ~0.15 W behind mt1_medial and its
# base lies ~0.65-0.75 W behind it (first metatarsal ~65-70 mm, W ~100 mm).
MT1_SHAFT = (0.15, 0.7)
MIN_FIT_SPAN = 0.35  # W of border needed for a fit (half the shaft's length, about)
# The foot's long axis: midpoints of the foot's width from the metatarsal heads' level to
# this far (W) behind them (the midfoot to the navicular, in front of where the leg
# usually covers a border).
AXIS_SPAN = (0.0, 1.0)
MIN_AXIS_SPAN = 0.5  # W of rows with both borders seen


@dataclass(frozen=True)
class ProximalLine:
    """A proximal reference line: two points on it (frame px), `proximal` behind `distal`,
    and the name of the candidate that drew it."""

    name: str
    proximal: np.ndarray
    distal: np.ndarray


def _rows(n: int) -> np.ndarray:
    return np.arange(n, dtype=float)


def _fit_x_of_y(ys: np.ndarray, xs: np.ndarray) -> tuple[float, float]:
    """Least-squares line x = a + b*y (px): rows are the independent variable, as a border
    sampled once per row (nearly along the axis) is a function of the row."""
    b, a = np.polyfit(ys, xs, 1)
    return float(a), float(b)


def _line_through_fit(ys: np.ndarray, xs: np.ndarray, name: str) -> ProximalLine:
    a, b = _fit_x_of_y(ys, xs)
    y0, y1 = float(ys.max()), float(ys.min())
    return ProximalLine(name, np.array([a + b * y0, y0]), np.array([a + b * y1, y1]))


def heel_end(medial_x: np.ndarray, medial_ok: np.ndarray, lateral_x: np.ndarray,
             mt1: np.ndarray, W: float) -> int | None:
    """The last row of the heel's own medial border when the heel is seen; None when the
    leg, the photo's or the paper's edge hides it.

    `lateral_x`: the outline's lateral extent of every row (NaN past the outline), edges
    and leg included. The heel is seen when the medial border is the foot's own, without a
    break, from `mt1_medial` to where the foot's proportions put the heel (HEEL_MIN_REACH
    to HEEL_MAX_REACH) and on to within HEEL_GAP of the outline's proximal end, and that
    end is rounded: the medial border has turned laterally to run across the foot
    (HEEL_BACK_TURN_DEG) and the outline narrows to a fraction of its width. A leg
    crossing the border or leaving the photo keeps its width to the end (it is cut
    straight by the photo's edge).
    """
    n = len(medial_x)
    y = int(np.round(mt1[1]))
    if y < 0 or y >= n or not medial_ok[y]:
        return None
    while y + 1 < n and medial_ok[y + 1]:
        y += 1
    finite = np.nonzero(np.isfinite(medial_x) & np.isfinite(lateral_x))[0]
    last = int(finite.max())
    if not HEEL_MIN_REACH * W <= y - mt1[1] <= HEEL_MAX_REACH * W or last - y > HEEL_GAP * W:
        return None
    k = max(2, round(HEEL_BACK_ROWS * W))
    if (medial_x[y] - medial_x[y - k]) / k < np.tan(np.radians(HEEL_BACK_TURN_DEG)):
        return None
    width = lateral_x - medial_x
    before = width[max(0, last - round(HEEL_WIDTH_AT * W))]
    end = float(np.nanmean(width[max(0, last - 2):last + 1]))
    if not np.isfinite(before) or end > HEEL_END_NARROW * before:
        return None
    return y


def heel_tangent(medial_x: np.ndarray, medial_ok: np.ndarray, lateral_x: np.ndarray,
                 mt1: np.ndarray, W: float) -> ProximalLine | None:
    """The clinical proximal line: from the tangent point on the medial border of the heel
    (the last HEEL_SPAN W of border before the heel's back) to `mt1_medial`; None when
    the heel is not seen (`heel_end`). The line touches the heel and the first metatarsal
    head, as clinicians draw it: the border between (the arch, a navicular that bulges
    medially in a flat foot) does not move it."""
    end = heel_end(medial_x, medial_ok, lateral_x, mt1, W)
    if end is None:
        return None
    rows = _rows(len(medial_x))
    sel = medial_ok & (rows >= end - HEEL_SPAN * W) & (rows <= end)
    if sel.sum() < 3:
        return None
    pts = np.stack([medial_x[sel], rows[sel]], axis=1)
    v = pts - mt1
    # Seen from mt1 looking proximally, the point turned farthest medially (-x).
    turn = np.arctan2(-v[:, 0], v[:, 1])
    i = int(np.argmax(turn))
    # A real contact on the round heel: the border goes on behind it and falls away
    # laterally from the line. A contact at the border's last row is where an edge or the
    # leg cut the border, and the line would follow the cut (the refined window's fault).
    u = v[i] / np.linalg.norm(v[i])
    away = v[i + 1:, 0] * u[1] - v[i + 1:, 1] * u[0]  # px lateral of the line, behind i
    if end - pts[i, 1] < HEEL_CONTACT_MARGIN * W or away.size == 0 \
            or away.max() < HEEL_FALL_AWAY * W:
        return None
    return ProximalLine("heel_tangent", pts[i], np.asarray(mt1, float))


def metatarsal_fit(medial_x: np.ndarray, medial_ok: np.ndarray, mt1: np.ndarray, W: float
                   ) -> ProximalLine | None:
    """A line fitted (least squares) to the medial border of the first metatarsal's
    shaft, MT1_SHAFT W behind `mt1_medial`; None when less than MIN_FIT_SPAN W of it shows.
    """
    rows = _rows(len(medial_x))
    sel = (medial_ok & np.isfinite(medial_x) & (rows >= mt1[1] + MT1_SHAFT[0] * W)
           & (rows <= mt1[1] + MT1_SHAFT[1] * W))
    if sel.sum() < 3 or np.ptp(rows[sel]) < MIN_FIT_SPAN * W:
        return None
    return _line_through_fit(rows[sel], medial_x[sel], "metatarsal_fit")


def long_axis(medial_x: np.ndarray, medial_ok: np.ndarray, lateral_x: np.ndarray,
              lateral_ok: np.ndarray, mt1: np.ndarray, mt5: np.ndarray, W: float
              ) -> ProximalLine | None:
    """The foot's long axis from visible anatomy: a line fitted to the midpoints of the
    foot's width (medial and lateral border on the same row) from the level of the
    metatarsal heads to AXIS_SPAN[1] W behind it; None when both borders show over less
    than MIN_AXIS_SPAN W."""
    rows = _rows(len(medial_x))
    y0 = (mt1[1] + mt5[1]) / 2
    sel = (medial_ok & lateral_ok & np.isfinite(medial_x) & np.isfinite(lateral_x)
           & (rows >= y0 + AXIS_SPAN[0] * W) & (rows <= y0 + AXIS_SPAN[1] * W))
    if sel.sum() < 3 or np.ptp(rows[sel]) < MIN_AXIS_SPAN * W:
        return None
    mid = (medial_x[sel] + lateral_x[sel]) / 2
    return _line_through_fit(rows[sel], mid, "long_axis")


def refined_window(midfoot_medial: np.ndarray | None, mt1: np.ndarray) -> ProximalLine | None:
    """The refined window's line: `midfoot_medial` (tangent point 0.4-1.2 W behind
    `mt1_medial`, found by the detector) to `mt1_medial`."""
    if midfoot_medial is None:
        return None
    return ProximalLine("refined_window", np.asarray(midfoot_medial, float),
                        np.asarray(mt1, float))
