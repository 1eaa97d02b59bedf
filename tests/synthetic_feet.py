"""Synthetic dorsal foot photos with exactly known landmarks.

The foot is built on the floor plane, in the canonical frame of a RIGHT foot, in units of
the forefoot width (W = 1): distal is -y, medial is -x, `mt1_medial` at (0, 0).
- Medial border: from `mt1_medial` a nearly straight, slightly concave stretch to
  `midfoot_medial` (0.75-1.1 W behind), where the border turns laterally toward the heel,
  so the hull line `mt1_medial`-`midfoot_medial` is exact (the refined definition of
  docs/DETECTOR.md: the tangent point lies 0.4-1.2 W behind `mt1_medial`).
- Hallux: convex hull of `mt1_medial`, a base point and a tip circle; its medial edge is
  the line from `mt1_medial` turned by the hallux angle, touching the circle at
  `hallux_medial`.
- Lesser toes: convex hulls of a base segment and a tip circle, side by side. Their sides
  either leave a gap (a deep cleft) or overlap (a shallow notch at the tips, plus a dark
  skin crease drawn down between them), as on real feet.
- Little toe: hull of `mt5_lateral`, a base point and a tip circle, so the line from
  `mt5_lateral` touches the circle at `toe5_lateral`; the lateral border behind
  `mt5_lateral` turns medially, so it is a hull vertex. `tucked`: the little toe curled
  under the fourth, out of sight: the three lesser toes shown fill the row to the lateral
  border (the fourth covering the little toe), the border runs from the 4-5 web straight
  to `mt5_lateral`, and the truth has no `toe5_tip`, `toe5_lateral` or toe splay.
- Leg (optional): from the ankle, 1.0-1.8 W behind `mt1_medial`, at -40..40 deg to the
  axis, widening toward the camera; its medial edge meets the foot's border wherever that
  falls (sometimes continuing it, sometimes bulging medially like a malleolus).
The foot lies on an A4 page (210 x 297 mm, W ~ 95-105 mm) on a textured floor and is
photographed by a pinhole camera (focal 0.6 x image diagonal) tilted 0-20 deg in any
direction, with any in-plane roll (toes sometimes pointing down). Tangency and vertices
survive the projective map, so the image landmarks are exact. Measures are computed from
the image landmarks with `footlog.domain.dorsal_measures`; `floor_measures` are the same
measures on the floor plane (what a perspective-free measurement must give).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from footlog.domain.dorsal_measures import dorsal_measures
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot

MM_PER_W = 100.0  # floor mm per forefoot width (only for the page's size)


@dataclass
class SyntheticFoot:
    image: np.ndarray  # RGB uint8, upright
    landmarks: dict[str, tuple[float, float]]  # image px
    measures: dict[str, float]  # from the image landmarks
    foot: Foot
    params: dict[str, float]
    floor_measures: dict[str, float]  # from the floor-plane landmarks (no perspective)
    # The same with the proximal line on the heel (docs/MEASURES.md): `midfoot_medial` at
    # the contact of the tangent from `mt1_medial` to the heel's medial border.
    heel_landmarks: dict[str, tuple[float, float]]
    heel_measures: dict[str, float]
    heel_floor_measures: dict[str, float]


def truth_for(f: SyntheticFoot, result: MeasureResult) -> dict[str, float]:
    """The true measures by the proximal line the detector says it used (`proximal_line`):
    the heel tangent's, or the refined window's."""
    if result.extras.get("proximal_line") == "heel_tangent":
        return f.heel_measures
    return f.measures


def _rot(v: np.ndarray, deg: float) -> np.ndarray:
    """Rotate by `deg` clockwise on screen (y down)."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _circle(c: np.ndarray, r: float, n: int = 48) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return c + r * np.c_[np.cos(t), np.sin(t)]


def _hull(*parts: np.ndarray) -> np.ndarray:
    pts = np.vstack([np.atleast_2d(p) for p in parts]).astype(np.float32)
    return cv2.convexHull(pts).reshape(-1, 2).astype(float)


def _bezier(p0: np.ndarray, c: np.ndarray, p1: np.ndarray, n: int = 24) -> np.ndarray:
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * p0 + 2 * (1 - t) * t * c + t**2 * p1


def _shape(rng: np.random.Generator, tucked: bool = False) -> dict:
    """Polygons (floor, W units) and exact landmarks of a canonical right foot."""
    ha = rng.uniform(2, 25)  # hallux angle (deg)
    m1 = np.zeros(2)
    beta = rng.uniform(-3, 4)  # midfoot line vs the axis (deg, + = turned medially)
    back = _rot(np.array([0.0, 1.0]), beta)  # proximal direction of the medial border
    lm_len = rng.uniform(0.75, 1.1)
    mid = m1 + lm_len * back
    lat = np.array([back[1], -back[0]])  # lateral unit normal of the medial border (+x)
    sag = rng.uniform(0.004, 0.015)
    medial = _bezier(mid, 0.5 * (m1 + mid) + 2 * sag * lat, m1)  # mid -> m1, concave
    turn = rng.uniform(10, 22)  # the border turns laterally at midfoot_medial
    heel_c = np.array([rng.uniform(0.42, 0.52), rng.uniform(1.75, 1.95)])
    heel_r = rng.uniform(0.3, 0.34)
    c_heel = mid + 0.35 * _rot(back, -turn)
    heel_m = heel_c + heel_r * np.array([-1.0, 0.0])
    if (heel_m - mid) @ lat < 0.05:  # keep the heel lateral to the midfoot line
        heel_m = mid + 0.05 * lat + (heel_c[1] - mid[1]) * back
    arch = _bezier(heel_m, c_heel, mid)  # heel -> mid
    # Hallux.
    edge = _rot(-back, ha)  # distal direction of the hallux's medial edge (valgus: lateral)
    hlat = np.array([-edge[1], edge[0]])
    lh = rng.uniform(0.5, 0.62)
    hm = m1 + lh * edge
    rh = rng.uniform(0.14, 0.17)
    hc = hm + rh * hlat
    # The 1-2 web lies 0.33-0.42 W behind the hallux tip, at the hallux's lateral side.
    h_tip_y = hc[1] - rh
    hb = np.array([hc[0] + rh * rng.uniform(0.75, 1.0), h_tip_y + rng.uniform(0.33, 0.42)])
    hallux = _hull(m1, _circle(hc, rh), hb, hb + np.array([0.0, 0.2]),
                   m1 + 0.3 * edge + 0.05 * hlat)
    # Lesser toes, side by side from the hallux's lateral side.
    m5 = np.array([1.0, rng.uniform(0.12, 0.3)])
    tilt5 = rng.uniform(-12, 2)  # little toe's lateral edge vs the axis (deg, + lateral)
    t5dir = _rot(np.array([0.0, -1.0]), tilt5)
    r5 = rng.uniform(0.065, 0.08)
    t5l = m5 + rng.uniform(0.3, 0.4) * t5dir
    t5c = t5l + r5 * _rot(t5dir, -90)  # circle centre medial of the lateral edge
    toes = [hallux]
    tips = [hc + rh * np.array([0.0, -1.0])]
    creases: list[tuple[np.ndarray, np.ndarray]] = []
    x = hb[0] + rng.uniform(-0.02, 0.02)
    webs = [hb]
    # A tucked little toe lies under the fourth, which then reaches the lateral border.
    x_end = t5c[0] + (0.5 * r5 if tucked else -r5)
    widths = np.array([0.17, 0.16, 0.15]) * rng.uniform(0.9, 1.1, 3)
    gaps = rng.uniform(-0.5, 1.0, 4) * 0.03  # < 0: overlapping sides (shallow notch)
    scale_w = (x_end - x - gaps.sum()) / widths.sum()
    widths = widths * scale_w
    for k in range(3):
        x0 = x + gaps[k]
        r = widths[k] / 2
        # Tips recede from toe 2 (about level with the hallux) to toe 4; webs lie
        # 0.25-0.33 W behind the tips.
        tip_y = tips[0][1] + (0.0, 0.1, 0.2)[k] + rng.uniform(-0.05, 0.08)
        base_y = tip_y + rng.uniform(0.25, 0.33) + 0.12
        tdir = _rot(np.array([0.0, -1.0]), rng.uniform(-8, 4))
        base_c = np.array([x0 + r, base_y])
        tip_c = base_c + (base_y - tip_y - r) / -tdir[1] * tdir
        # Toes widen toward their base: neighbours touch there even with a gap at the tips.
        toe = _hull(_circle(tip_c, r), base_c + np.array([-1.2 * r, 0.15]),
                    base_c + np.array([1.2 * r, 0.15]))
        toes.append(toe)
        tips.append(tip_c + r * np.array([0.0, -1.0]))
        if gaps[k] < 0.01:  # touching toes: a skin crease runs down between them
            # The crease ends at the web (1-2: the truth cleft12), give or take 0.02 W.
            web_y = (hb[1] - 0.02) if k == 0 else (base_y - 0.12)
            creases.append((np.array([x0 - gaps[k] / 2, tip_c[1] + 0.6 * r]),
                            np.array([x0 - gaps[k] / 2,
                                      web_y + 0.3 * rng.uniform(-0.05, 0.08)])))
        x = x0 + 2 * r
        webs.append(np.array([x + gaps[k + 1] / 2, base_y - 0.12]))
    if gaps[3] < 0.01:
        creases.append((np.array([x + gaps[3] / 2, t5c[1] + 0.5 * r5]),
                        np.array([x + gaps[3] / 2, m5[1] - 0.05])))
    t5_base = np.array([t5c[0] - r5, t5c[1] - r5 + rng.uniform(0.2, 0.26)])
    toe5 = _hull(m5, _circle(t5c, r5), t5_base)
    if not tucked:
        toes.append(toe5)
    tips.append(t5c + r5 * np.array([0.0, -1.0]))
    lat_back = m5 + rng.uniform(0.5, 0.8) * _rot(np.array([0.0, 1.0]), rng.uniform(6, 12))
    heel_l = heel_c + heel_r * np.array([1.0, 0.0])
    lateral = _bezier(m5, lat_back, heel_l)
    heel_arc = heel_c + heel_r * np.c_[np.cos(np.linspace(0, np.pi, 24)),
                                       np.sin(np.linspace(0, np.pi, 24))]
    body = np.vstack([medial, hb, *webs[1:], *([] if tucked else [t5_base]), lateral,
                      heel_arc, arch])
    gap12 = (toes[1][:, 0].min() + hb[0]) / 2  # between the hallux and toe 2
    lm = {"mt1_medial": m1, "hallux_medial": hm, "midfoot_medial": mid, "mt5_lateral": m5,
          "toe5_lateral": t5l, "cleft12": np.array([gap12, hb[1] - 0.02])}
    for name, t in zip(["hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip"], tips,
                       strict=True):
        lm[name] = t
    if tucked:
        del lm["toe5_tip"], lm["toe5_lateral"]
    return {"body": body, "toes": toes, "creases": creases, "lm": lm, "ha": ha,
            "heel_c": heel_c, "heel_r": heel_r,
            "heel_contact": _medial_tangent_point(m1, heel_c, heel_r)}


def _medial_tangent_point(p: np.ndarray, c: np.ndarray, r: float) -> np.ndarray:
    """Where the line from `p` touches the circle (c, r) on its medial (-x) side, the
    circle lying proximal (+y) of `p`."""
    d = c - p
    dist = float(np.linalg.norm(d))
    alpha = np.degrees(np.arcsin(r / dist))
    # Turning the direction to the centre medially (toward -x) by alpha: seen looking +y,
    # -x is clockwise on screen, i.e. a negative turn in _rot's sense here.
    u = _rot(d / dist, alpha if _rot(d / dist, alpha)[0] < d[0] / dist else -alpha)
    return p + dist * np.cos(np.radians(alpha)) * u


def _camera(rng: np.random.Generator, size: tuple[int, int], px_per_w: float,
            centre: np.ndarray, roll: float, tilt: float) -> np.ndarray:
    """Homography floor (W units) -> image px of a pinhole camera looking at `centre`."""
    w, h = size
    f = 0.6 * np.hypot(w, h)
    dist = f / px_per_w  # camera distance (W units) giving px_per_w at the centre
    az = rng.uniform(0, 2 * np.pi)
    t = np.radians(tilt)
    target = np.array([centre[0], centre[1], 0.0])
    # World: floor at Z = 0, Z pointing down into the floor (right-handed with y down).
    cam = target + dist * np.array([np.sin(t) * np.cos(az), np.sin(t) * np.sin(az), -np.cos(t)])
    z = _unit(target - cam)
    y = np.array([0.0, 1.0, 0.0]) - z[1] * z
    y = y / np.linalg.norm(y)
    x = np.cross(y, z)
    r = np.radians(roll)
    x, y = np.cos(r) * x + np.sin(r) * y, -np.sin(r) * x + np.cos(r) * y
    R = np.stack([x, y, z])
    K = np.array([[f, 0, w / 2], [0, f, h / 2], [0, 0, 1.0]])
    H = K @ np.column_stack([R[:, 0], R[:, 1], -R @ cam])
    return H / H[2, 2]


def make_foot(seed: int, size: tuple[int, int] = (900, 1200), leg: bool | None = None,
              foot: Foot | None = None, pose_seed: int | None = None,
              tucked: bool = False) -> SyntheticFoot:
    """One synthetic dorsal photo (width, height) with its exact landmarks and measures.

    `seed` draws the foot, the page, the floor and the lighting; `pose_seed` (default:
    `seed`) draws the camera pose, so one foot can be photographed from many poses.
    """
    rng = np.random.default_rng(seed)
    prng = np.random.default_rng(seed if pose_seed is None else 10_000 + pose_seed)
    w, h = size
    foot = foot or (Foot.RIGHT if rng.random() < 0.5 else Foot.LEFT)
    leg = bool(rng.random() < 0.75) if leg is None else leg
    s = _shape(rng, tucked)
    mirror = np.diag([-1.0, 1.0]) if foot == Foot.LEFT else np.eye(2)
    on_page = np.radians(rng.uniform(-8, 8))  # foot turned on the page
    cr, sr = np.cos(on_page), np.sin(on_page)
    A = np.array([[cr, -sr], [sr, cr]]) @ mirror

    def floor(p: np.ndarray) -> np.ndarray:
        return np.atleast_2d(p) @ A.T

    px_per_w = prng.uniform(0.19, 0.25) * min(w, h)
    roll = prng.uniform(-30, 30) + (180.0 if prng.random() < 0.12 else 0.0)
    tilt = prng.uniform(0, 20)
    centre = floor(np.array([0.45, 0.7]))[0] + prng.uniform(-0.15, 0.15, 2)
    H = _camera(prng, size, px_per_w, centre, roll, tilt)

    def tr(p: np.ndarray) -> np.ndarray:
        q = np.c_[floor(p), np.ones(len(np.atleast_2d(p)))] @ H.T
        return q[:, :2] / q[:, 2:3]

    ss = 3

    def fill(img: np.ndarray, p: np.ndarray, value: int = 255) -> None:
        cv2.fillPoly(img, [np.round(tr(p) * ss).astype(np.int32)], value)

    big = np.zeros((h * ss, w * ss), np.uint8)
    fill(big, s["body"])
    for toe in s["toes"]:
        fill(big, toe)
    leg_params = (0.0, 0.0)
    if leg:
        psi = rng.uniform(-40, 40)
        d_leg = _rot(np.array([0.0, 1.0]), psi)
        n_leg = np.array([-d_leg[1], d_leg[0]])
        ankle = np.array([rng.uniform(0.35, 0.55), rng.uniform(1.0, 1.8)])
        hw0, hw1 = rng.uniform(0.38, 0.48), rng.uniform(0.7, 1.0)
        far = ankle + 8.0 * d_leg
        fill(big, np.vstack([ankle + hw0 * n_leg, far + hw1 * n_leg, far - hw1 * n_leg,
                             ankle - hw0 * n_leg]))
        fill(big, _circle(ankle, hw0))
        leg_params = (psi, float(ankle[1]))
    foot_a = cv2.resize(cv2.GaussianBlur(big, (0, 0), 1.0), (w, h),
                        interpolation=cv2.INTER_AREA).astype(np.float32) / 255

    # Floor: wood, carpet, concrete or tiles; an A4 page under the foot.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    floor_col = np.array(rng.choice([[125, 82, 52], [150, 148, 140], [95, 92, 96],
                                     [175, 160, 138], [60, 58, 62]]), np.float32)
    tex = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0),
                           rng.uniform(1, 3))
    ang = np.radians(roll)
    stripes = np.sin((xx * np.cos(ang) + yy * np.sin(ang)) / rng.uniform(4, 14) + tex * 2)
    img = floor_col * (1 + 0.12 * tex[..., None] + 0.07 * stripes[..., None])
    pw, ph = 210 / MM_PER_W, 297 / MM_PER_W
    toe_gap = rng.uniform(0.12, 0.3)  # page margin in front of the toes (W)
    top = min(t[1] for t in s["lm"].values()) - toe_gap
    left = 0.5 - pw / 2 + rng.uniform(-0.1, 0.1)
    page = np.array([[left, top], [left + pw, top], [left + pw, top + ph], [left, top + ph]])
    paper = np.zeros((h * ss, w * ss), np.uint8)
    fill(paper, page, 1)
    paper = cv2.resize(paper * 255, (w, h), interpolation=cv2.INTER_AREA)[..., None] / 255.0
    paper_col = np.array([246, 245, 242], np.float32) - rng.uniform(0, 14, 3)
    img = img * (1 - paper) + paper_col * paper
    shift = rng.uniform(-0.025, 0.025, 2) * min(w, h)
    m_shift = np.float32([[1, 0, shift[0]], [0, 1, shift[1]]])
    shadow = cv2.GaussianBlur(cv2.warpAffine(foot_a, m_shift, (w, h)), (0, 0),
                              rng.uniform(4, 10))
    img *= (1 - rng.uniform(0.15, 0.35) * shadow)[..., None]

    # Skin: tone, shading toward the edges, creases between touching toes, pale nails.
    skin = np.array(rng.choice([[228, 186, 160], [210, 160, 130], [176, 124, 92],
                                [120, 82, 60], [236, 200, 180]]), np.float32)
    inside = (foot_a > 0.5).astype(np.uint8)
    dist = cv2.distanceTransform(inside, cv2.DIST_L2, 5)
    shade = 0.78 + 0.22 * np.clip(dist / (0.12 * px_per_w), 0, 1)
    # Each toe is rounded on its own: darker toward its own sides, so touching toes meet
    # in a soft shaded valley (as on real photos), not only at the crease line. Own random
    # stream, so the geometry of a seed does not depend on these draws.
    srng = np.random.default_rng(seed + 7_000_000)
    toe_d = np.zeros((h, w), np.float32)
    for toe in s["toes"]:
        one = np.zeros((h, w), np.uint8)
        fill1 = np.round(tr(toe)).astype(np.int32)
        cv2.fillPoly(one, [fill1], 1)
        toe_d = np.maximum(toe_d, cv2.distanceTransform(one, cv2.DIST_L2, 5))
    body = np.zeros((h, w), np.uint8)
    cv2.fillPoly(body, [np.round(tr(s["body"])).astype(np.int32)], 1)
    body_d = cv2.distanceTransform(body, cv2.DIST_L2, 5)
    round_d = np.maximum(toe_d, body_d)
    shade *= 1 - srng.uniform(0.08, 0.2) * (
        1 - np.clip(round_d / (0.05 * px_per_w), 0, 1)) * np.clip(
        (dist - round_d) / (0.02 * px_per_w), 0, 1)  # the foot's own outline: unchanged
    skin_img = skin * shade[..., None] * (1 + 0.03 * tex[..., None])
    # Creases: soft lines of varying width and contrast, from the notch down the toes.
    marks = np.zeros((h * ss, w * ss), np.uint8)
    for a, b in s["creases"]:
        cv2.line(marks, tuple(np.round(tr(a)[0] * ss).astype(int)),
                 tuple(np.round(tr(b)[0] * ss).astype(int)), 255,
                 max(1, round(srng.uniform(0.008, 0.016) * px_per_w * ss)))
    marks_f = cv2.GaussianBlur(cv2.resize(marks, (w, h), interpolation=cv2.INTER_AREA),
                               (0, 0), max(1.0, 0.006 * px_per_w)).astype(np.float32) / 255
    skin_img *= (1 - srng.uniform(0.15, 0.45) * marks_f)[..., None]
    nails = np.zeros((h * ss, w * ss), np.uint8)
    for k, t in enumerate(np.array([s["lm"][n] for n in ("hallux_tip", "toe2_tip",
                                                          "toe3_tip", "toe4_tip")])):
        c = tr(t + np.array([0.0, 0.1 if k == 0 else 0.06]))[0] * ss
        rr = (0.09 if k == 0 else 0.05) * px_per_w * ss
        cv2.ellipse(nails, tuple(np.round(c).astype(int)), (int(rr), int(rr * 0.8)), 0, 0,
                    360, 255, -1)
    nails_f = cv2.resize(nails, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    skin_img = skin_img * (1 - 0.5 * nails_f[..., None]) + (
        0.5 * nails_f[..., None] * np.minimum(skin * 1.12 + 10, 255))
    img = img * (1 - foot_a[..., None]) + skin_img * foot_a[..., None]
    gx, gy = rng.uniform(-0.25, 0.25, 2)
    light = 1 + gx * (xx / w - 0.5) + gy * (yy / h - 0.5)
    img = img * light[..., None] + rng.normal(0, rng.uniform(1, 4), img.shape)
    image = np.clip(img, 0, 255).astype(np.uint8)

    lm_img = {k: tuple(float(c) for c in tr(v)[0]) for k, v in s["lm"].items()}
    lm_floor = {k: tuple(float(c) for c in floor(v)[0]) for k, v in s["lm"].items()}
    params = {"hallux_angle_target": float(s["ha"]), "roll": float(roll),
              "tilt": float(tilt), "px_per_width": float(px_per_w), "leg": float(leg),
              "leg_angle": leg_params[0], "ankle_behind_mt1": leg_params[1]}
    heel_img = {**lm_img, "midfoot_medial": tuple(float(c) for c in tr(s["heel_contact"])[0])}
    heel_floor = {**lm_floor,
                  "midfoot_medial": tuple(float(c) for c in floor(s["heel_contact"])[0])}
    return SyntheticFoot(image, lm_img, dorsal_measures(lm_img, foot), foot, params,
                         dorsal_measures(lm_floor, foot), heel_img,
                         dorsal_measures(heel_img, foot), dorsal_measures(heel_floor, foot))
