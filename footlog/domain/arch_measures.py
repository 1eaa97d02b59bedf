"""Arch measures of the medial (side) and plantar (footprint) views, from landmarks.

Pure numpy (docs/MEASURES.md, views `medial` and `plantar`). Points are `(x, y)` pixels of
the upright photo, y downwards.

Medial: the floor line runs through `floor_heel` and `floor_toe`. Heights are measured
perpendicular to it and lengths along it, so a camera that is rolled (floor line tilted in
the photo) gives the same ratios as a level one.

Plantar: the print is stored as landmarks too, so that a recompute from landmarks alone (after
a person drags a point) gives every measure:

- `heel_centre`, `toe2`: the foot axis, from the heel centre to the second toe;
- `print_00` ... `print_NN`: the outline of the print without toes, one closed polygon in
  order (a print in two pieces is one polygon joined by a zero-area bridge, see
  `join_polygons`);
- `fore_medial`, `fore_lateral`: ends of the widest forefoot chord; `mid_medial`,
  `mid_lateral`: the narrowest midfoot chord (the same point twice when the midfoot leaves
  no print); `heel_medial`, `heel_lateral`: the widest heel chord. Widths are measured
  perpendicular to the axis, so a dragged end only counts across the foot;
- `clarke_fore`, `clarke_heel`: where the medial tangent touches the forefoot and the heel;
  `clarke_arch`: the deepest point of the medial concavity.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import numpy as np

from footlog.domain.calibration import Calibration
from footlog.domain.views import PLANTAR_LANDMARKS

PointLike = Sequence[float] | np.ndarray

PLANTAR_POINTS: tuple[str, ...] = PLANTAR_LANDMARKS
PRINT_POINT = re.compile(r"^print_(\d+)$")


def _v(p: PointLike) -> np.ndarray:
    return np.asarray(p, dtype=float)[:2]


# --- medial -------------------------------------------------------------------------------------


def floor_frame(
    floor_heel: PointLike, floor_toe: PointLike, up_hint: PointLike | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(origin, u, n): origin `floor_heel`, u the unit floor direction heel -> toe, n the unit
    normal pointing up from the floor (toward `up_hint`, a point of the foot above the floor;
    without it, toward the top of the image)."""
    o, t = _v(floor_heel), _v(floor_toe)
    d = t - o
    length = float(np.hypot(*d))
    if length < 1e-9:
        raise ValueError("floor_heel and floor_toe coincide: no floor line")
    u = d / length
    n = np.array([u[1], -u[0]])
    ref = (_v(up_hint) - o) if up_hint is not None else np.array([0.0, -1.0])
    if float(n @ ref) < 0:
        n = -n
    return o, u, n


def medial_measures(
    landmarks: Mapping[str, PointLike], mm_per_px: float | None = None
) -> dict[str, float]:
    """`arch_height_index`, `arch_height_ratio` and, with `mm_per_px` (the scale at the foot
    along the floor line, mm per px), `arch_height` in mm. A measure whose landmarks are
    missing is left out."""
    lm = {k: _v(p) for k, p in landmarks.items()}
    if "floor_heel" not in lm or "floor_toe" not in lm:
        return {}
    up = lm.get("dorsum_50", lm.get("heel_back"))
    o, u, n = floor_frame(lm["floor_heel"], lm["floor_toe"], up)

    def height(name: str) -> float:
        return float((lm[name] - o) @ n)

    def along(a: str, b: str) -> float:
        return abs(float((lm[b] - lm[a]) @ u))

    out: dict[str, float] = {}
    if {"dorsum_50", "heel_back", "mtp1"} <= lm.keys() and along("heel_back", "mtp1") > 0:
        out["arch_height_index"] = height("dorsum_50") / along("heel_back", "mtp1")
    if {"arch_apex", "heel_back", "toe_tip"} <= lm.keys() and along("heel_back", "toe_tip") > 0:
        out["arch_height_ratio"] = height("arch_apex") / along("heel_back", "toe_tip")
        if mm_per_px is not None and mm_per_px > 0:
            out["arch_height"] = height("arch_apex") * mm_per_px
    return out


def floor_line_scale(
    homography: np.ndarray, floor_heel: PointLike, floor_toe: PointLike
) -> float | None:
    """mm per px along the floor line at the foot: the floor distance (mm, through the floor
    homography image px -> mm) between the two floor points over their distance in px.

    Heights at the foot's medial side are at about the same depth as this line, so the same
    scale is used for them; it is rough (camera pitch foreshortens heights a little)."""
    from footlog.domain.calibration import apply_homography

    a, b = _v(floor_heel), _v(floor_toe)
    px = float(np.hypot(*(b - a)))
    if px < 1e-9:
        return None
    q = apply_homography(np.asarray(homography, float), np.vstack([a, b]))
    if not np.all(np.isfinite(q)):
        return None
    return float(np.hypot(*(q[1] - q[0]))) / px


# --- plantar: polygon helpers -------------------------------------------------------------------


def polygon_area(poly: np.ndarray) -> float:
    """Unsigned area of a closed polygon (N x 2), by the shoelace formula (px^2)."""
    p = np.asarray(poly, float).reshape(-1, 2)
    if len(p) < 3:
        return 0.0
    x, y = p[:, 0], p[:, 1]
    return abs(float(x @ np.roll(y, -1) - y @ np.roll(x, -1))) / 2.0


def _signed_area(p: np.ndarray) -> float:
    x, y = p[:, 0], p[:, 1]
    return float(x @ np.roll(y, -1) - y @ np.roll(x, -1)) / 2.0


def clip_halfplane(poly: np.ndarray, normal: np.ndarray, offset: float) -> np.ndarray:
    """The part of `poly` where `p @ normal >= offset` (Sutherland-Hodgman, one edge).

    The clip region is convex, so the result's area is right even for a concave polygon
    (it may contain zero-area slivers along the clip line)."""
    p = np.asarray(poly, float).reshape(-1, 2)
    if len(p) == 0:
        return p
    s = p @ normal - offset
    out: list[np.ndarray] = []
    for i in range(len(p)):
        j = (i + 1) % len(p)
        if s[i] >= 0:
            out.append(p[i])
        if (s[i] >= 0) != (s[j] >= 0):
            t = s[i] / (s[i] - s[j])
            out.append(p[i] + t * (p[j] - p[i]))
    return np.asarray(out).reshape(-1, 2)


def join_polygons(polys: Sequence[np.ndarray]) -> np.ndarray:
    """One polygon whose area is the sum of `polys` (all made counter-clockwise on screen),
    joined by zero-area bridges from each to the next (there and back on the same segment)."""
    rings = []
    for poly in polys:
        p = np.asarray(poly, float).reshape(-1, 2)
        rings.append(p[::-1] if _signed_area(p) < 0 else p)
    if not rings:
        return np.zeros((0, 2))
    out = [np.vstack([rings[0], rings[0][:1]])]
    for ring in rings[1:]:
        out.append(np.vstack([ring, ring[:1], out[0][-1:]]))
    return np.vstack(out)


def thirds_areas(poly: np.ndarray, heel: PointLike, toe: PointLike) -> tuple[float, float, float]:
    """Areas of the rear, middle and front thirds of `poly` along the axis heel -> toe.

    The thirds split the polygon's own extent along the axis (the print without toes)."""
    a = _v(toe) - _v(heel)
    a = a / max(float(np.hypot(*a)), 1e-12)
    proj = np.asarray(poly, float) @ a
    lo, hi = float(proj.min()), float(proj.max())
    c1, c2 = lo + (hi - lo) / 3.0, lo + 2.0 * (hi - lo) / 3.0
    total = polygon_area(poly)
    front = polygon_area(clip_halfplane(poly, a, c2))
    rear = polygon_area(clip_halfplane(poly, -a, -c1))
    return rear, total - front - rear, front


# --- plantar measures ---------------------------------------------------------------------------


def print_polygon(landmarks: Mapping[str, PointLike]) -> np.ndarray | None:
    """The `print_NN` landmarks in order, or None when there are fewer than 3."""
    idx = sorted(
        (int(m.group(1)), k) for k in landmarks if (m := PRINT_POINT.match(k)) is not None
    )
    if len(idx) < 3:
        return None
    return np.array([_v(landmarks[k]) for _, k in idx])


def plantar_measures(landmarks: Mapping[str, PointLike]) -> dict[str, float]:
    """`arch_index`, `chippaux_smirak_index`, `staheli_index`, `clarke_angle` from the plantar
    landmarks (module docstring). A measure whose landmarks are missing is left out."""
    lm = {k: _v(p) for k, p in landmarks.items()}
    if "heel_centre" not in lm or "toe2" not in lm:
        return {}
    axis = lm["toe2"] - lm["heel_centre"]
    if float(np.hypot(*axis)) < 1e-9:
        return {}
    axis = axis / float(np.hypot(*axis))
    across = np.array([-axis[1], axis[0]])

    def width(a: str, b: str) -> float | None:
        if a not in lm or b not in lm:
            return None
        return abs(float((lm[b] - lm[a]) @ across))

    out: dict[str, float] = {}
    poly = print_polygon(landmarks)
    if poly is not None:
        rear, mid, front = thirds_areas(poly, lm["heel_centre"], lm["toe2"])
        total = rear + mid + front
        if total > 0:
            out["arch_index"] = mid / total
    fore, mid_w, heel = (
        width("fore_medial", "fore_lateral"),
        width("mid_medial", "mid_lateral"),
        width("heel_medial", "heel_lateral"),
    )
    if mid_w is not None and fore:
        out["chippaux_smirak_index"] = mid_w / fore
    if mid_w is not None and heel:
        out["staheli_index"] = mid_w / heel
    if {"clarke_fore", "clarke_heel", "clarke_arch"} <= lm.keys():
        t = lm["clarke_heel"] - lm["clarke_fore"]
        c = lm["clarke_arch"] - lm["clarke_fore"]
        if float(np.hypot(*t)) > 0 and float(np.hypot(*c)) > 0:
            ang = math.degrees(math.atan2(abs(t[0] * c[1] - t[1] * c[0]), float(t @ c)))
            out["clarke_angle"] = ang
    return out


def arch_view_measures(
    view: str, landmarks: Mapping[str, PointLike], calibration: Calibration | None
) -> dict[str, float]:
    """The measures of a `medial` or `plantar` photo from its landmarks (full-res px).

    Medial: the mm arch height only with a floor homography, scaled along the floor line at
    the foot (`floor_line_scale`). Plantar: ratios and an angle, no scale needed."""
    if view == "plantar":
        return plantar_measures(landmarks)
    if view != "medial":
        return {}
    scale = None
    hom = None if calibration is None else calibration.homography
    if hom is not None and "floor_heel" in landmarks and "floor_toe" in landmarks:
        scale = floor_line_scale(np.asarray(hom, float), landmarks["floor_heel"],
                                 landmarks["floor_toe"])
    return medial_measures(landmarks, scale)
