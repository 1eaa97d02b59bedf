"""Measures of the dorsal view, computed from landmarks (docs/MEASURES.md, view `dorsal`).

Pure numpy. Points are `(x, y)` pixels of the upright photo (y downwards). Angles are in
degrees, lengths in millimetres when a scale (mm per pixel) is given.

Mirror handling: image coordinates have y pointing down, so a rotation that turns a
vector "clockwise on screen" has a positive 2-D cross product. For a right foot seen from
above the little toe lies clockwise from the big toe around the distal direction (toes up:
big toe left, little toe right), for a left foot counter-clockwise. Every signed angle
below is therefore multiplied by the foot's *lateral sign* (+1 right, -1 left) so that it
is anatomical and independent of the photo's rotation. When the foot is unknown the side
is read from the landmarks themselves (which side of the medial border `mt5_lateral` is).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from footlog.domain.views import Foot

PointLike = Sequence[float] | np.ndarray


def _vec(p: PointLike) -> np.ndarray:
    return np.asarray(p, dtype=float)[:2]


def _cross(a: np.ndarray, b: np.ndarray) -> float:
    return float(a[0] * b[1] - a[1] * b[0])


def signed_angle_deg(a: PointLike, b: PointLike) -> float:
    """Angle from vector `a` to vector `b` in degrees, (-180, 180].

    Positive when `b` is clockwise from `a` on screen (image y axis pointing down).
    """
    va, vb = _vec(a), _vec(b)
    return math.degrees(math.atan2(_cross(va, vb), float(va @ vb)))


def lateral_sign(foot: Foot) -> int:
    """+1 for a right foot, -1 for a left foot: the screen rotation sense pointing laterally.

    Raises ValueError for an unknown foot (use `infer_foot` first).
    """
    if foot == Foot.RIGHT:
        return 1
    if foot == Foot.LEFT:
        return -1
    raise ValueError("the foot side is needed for a signed dorsal angle")


def infer_foot(
    midfoot_medial: PointLike, mt1_medial: PointLike, mt5_lateral: PointLike
) -> Foot:
    """Which foot it is, from the side of the medial border on which `mt5_lateral` lies.

    Seen from above with the distal direction `midfoot_medial -> mt1_medial`, the lateral
    side is clockwise on screen for a right foot (see the module docstring).
    """
    distal = _vec(mt1_medial) - _vec(midfoot_medial)
    lateral = _vec(mt5_lateral) - _vec(mt1_medial)
    c = _cross(distal, lateral)
    if c == 0:
        return Foot.UNKNOWN
    return Foot.RIGHT if c > 0 else Foot.LEFT


def hallux_angle(
    midfoot_medial: PointLike, mt1_medial: PointLike, hallux_medial: PointLike, foot: Foot
) -> float:
    """Hallux angle in degrees: from `midfoot_medial -> mt1_medial` to `mt1_medial ->
    hallux_medial`; positive when the big toe turns laterally (valgus)."""
    return hallux_angle_to_line(midfoot_medial, mt1_medial, mt1_medial, hallux_medial, foot)


def hallux_angle_to_line(
    line_proximal: PointLike, line_distal: PointLike, mt1_medial: PointLike,
    hallux_medial: PointLike, foot: Foot,
) -> float:
    """Hallux angle in degrees against any proximal reference line (given by two of its
    points, `line_proximal` behind `line_distal`): from the line's distal direction to
    `mt1_medial -> hallux_medial`; positive when the big toe turns laterally (valgus)."""
    a = _vec(line_distal) - _vec(line_proximal)
    b = _vec(hallux_medial) - _vec(mt1_medial)
    return lateral_sign(foot) * signed_angle_deg(a, b)


def toe_splay(
    mt1_medial: PointLike,
    hallux_medial: PointLike,
    mt5_lateral: PointLike,
    toe5_lateral: PointLike,
) -> float:
    """Angle in degrees between the lines `mt1_medial -> hallux_medial` and
    `mt5_lateral -> toe5_lateral`; positive when they diverge distally.

    Needs no foot side: the medial-to-lateral direction is `mt5_lateral - mt1_medial`,
    and the splay is the rotation from the medial line to the lateral line counted
    positive in the sense that turns the distal direction toward lateral.
    """
    u1 = _vec(hallux_medial) - _vec(mt1_medial)
    u5 = _vec(toe5_lateral) - _vec(mt5_lateral)
    n1, n5 = np.linalg.norm(u1), np.linalg.norm(u5)
    if n1 == 0 or n5 == 0:
        raise ValueError("degenerate toe line")
    distal = u1 / n1 + u5 / n5
    width = _vec(mt5_lateral) - _vec(mt1_medial)
    sense = 1.0 if _cross(distal, width) >= 0 else -1.0
    return sense * signed_angle_deg(u1, u5)


def toe_spread_ratio(
    mt1_medial: PointLike,
    hallux_medial: PointLike,
    mt5_lateral: PointLike,
    toe5_lateral: PointLike,
) -> float:
    """Distance `hallux_medial`-`toe5_lateral` over distance `mt1_medial`-`mt5_lateral`."""
    forefoot = float(np.linalg.norm(_vec(mt5_lateral) - _vec(mt1_medial)))
    if forefoot == 0:
        raise ValueError("degenerate forefoot width")
    return float(np.linalg.norm(_vec(toe5_lateral) - _vec(hallux_medial))) / forefoot


def forefoot_width_mm(
    mt1_medial: PointLike, mt5_lateral: PointLike, scale_mm_per_px: float
) -> float:
    """Distance `mt1_medial`-`mt5_lateral` in millimetres."""
    return float(np.linalg.norm(_vec(mt5_lateral) - _vec(mt1_medial))) * scale_mm_per_px


def foot_length_mm(
    heel: PointLike, toe_tips: Sequence[PointLike], axis_toward: PointLike,
    scale_mm_per_px: float,
) -> float:
    """Heel to the most distal toe tip, measured along the foot axis, in millimetres.

    The foot axis runs from `heel` toward `axis_toward` (the second toe tip, as in the
    plantar view's axis; the hallux tip when toe 2 is missing).
    """
    h = _vec(heel)
    axis = _vec(axis_toward) - h
    n = np.linalg.norm(axis)
    if n == 0 or not toe_tips:
        raise ValueError("degenerate foot axis")
    axis = axis / n
    return max(float((_vec(t) - h) @ axis) for t in toe_tips) * scale_mm_per_px


def dorsal_measures(
    landmarks: Mapping[str, PointLike],
    foot: Foot,
    scale_mm_per_px: float | None = None,
    heel: PointLike | None = None,
) -> dict[str, float]:
    """Every dorsal measure that the given landmarks allow, by its stable name.

    `foot` may be UNKNOWN when `mt5_lateral` is present (the side is then inferred).
    Measures whose landmarks are missing are left out; mm measures need a scale, and
    `foot_length` also needs the heel position.
    """
    lm = {k: _vec(v) for k, v in landmarks.items()}
    out: dict[str, float] = {}
    side = foot
    if side == Foot.UNKNOWN and {"midfoot_medial", "mt1_medial", "mt5_lateral"} <= lm.keys():
        side = infer_foot(lm["midfoot_medial"], lm["mt1_medial"], lm["mt5_lateral"])
    if {"midfoot_medial", "mt1_medial", "hallux_medial"} <= lm.keys() and side != Foot.UNKNOWN:
        out["hallux_angle"] = hallux_angle(
            lm["midfoot_medial"], lm["mt1_medial"], lm["hallux_medial"], side
        )
    splay_keys = {"mt1_medial", "hallux_medial", "mt5_lateral", "toe5_lateral"}
    if splay_keys <= lm.keys():
        args = (lm["mt1_medial"], lm["hallux_medial"], lm["mt5_lateral"], lm["toe5_lateral"])
        out["toe_splay"] = toe_splay(*args)
        out["toe_spread_ratio"] = toe_spread_ratio(*args)
    if scale_mm_per_px is not None and {"mt1_medial", "mt5_lateral"} <= lm.keys():
        out["forefoot_width"] = forefoot_width_mm(
            lm["mt1_medial"], lm["mt5_lateral"], scale_mm_per_px
        )
    tips = [lm[k] for k in ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip")
            if k in lm]
    if scale_mm_per_px is not None and heel is not None and tips:
        toward = lm.get("toe2_tip", lm.get("hallux_tip"))
        if toward is not None:
            out["foot_length"] = foot_length_mm(heel, tips, toward, scale_mm_per_px)
    return out
