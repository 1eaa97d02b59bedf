"""Synthetic dorsal foot photos with exactly known landmarks.

The foot is built in a canonical frame of a RIGHT foot, in units of the forefoot width
(W = 1): distal is -y, medial is -x, `mt1_medial` at (-0.5, 0). Shapes:
- heel: a circle; the medial border runs straight from `mt1_medial` to its tangent point
  on the heel circle, which is therefore exactly `midfoot_medial`;
- body: polygon mt1 -> toe bases -> mt5 -> lateral heel tangent -> heel -> medial tangent;
- toes: tapered capsules (base circle, tip circle); `hallux_medial` is the tangent point
  from `mt1_medial` on the hallux tip circle, `toe5_lateral` the tangent point from
  `mt5_lateral` on the little toe's tip circle; tips are the most distal points.
The canonical picture is mirrored for a left foot, scaled, rotated, put through a mild
perspective (tangency and vertices survive projective maps, so landmarks stay exact), drawn
skin-coloured on white paper on a textured floor with a lighting gradient, a shadow, noise
and optionally the leg entering from the frame. Measures are computed from the exact
landmarks with `footlog.domain.dorsal_measures` (the definitions, applied to truth).

Hallux angles are drawn in [2, 25] deg: with a varus toe the first metatarsal head is no
longer an outline vertex and `mt1_medial` would need a bump model (not built yet).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from footlog.domain.dorsal_measures import dorsal_measures
from footlog.domain.views import Foot


@dataclass
class SyntheticFoot:
    image: np.ndarray  # RGB uint8, upright
    landmarks: dict[str, tuple[float, float]]  # image px
    measures: dict[str, float]
    foot: Foot
    params: dict[str, float]


def _rot(v: np.ndarray, deg: float) -> np.ndarray:
    """Rotate by `deg` clockwise on screen (y down)."""
    a = np.radians(deg)
    c, s = np.cos(a), np.sin(a)
    return np.array([c * v[0] - s * v[1], s * v[0] + c * v[1]])


def _tangent_point(p: np.ndarray, c: np.ndarray, r: float, side: float) -> np.ndarray:
    """Tangent point on circle (c, r) of a line through p; side +1/-1 picks which one."""
    v = c - p
    dist = np.linalg.norm(v)
    a = np.arcsin(r / dist)
    u = v / dist
    t = np.sqrt(dist**2 - r**2)
    return p + t * _rot(u, np.degrees(side * a))


def _canonical(rng: np.random.Generator) -> tuple[dict, list, dict[str, np.ndarray], dict]:
    """Shapes and exact landmarks of a canonical right foot (W = 1)."""
    ha = rng.uniform(2, 25)  # hallux angle target (deg)
    tilt5 = rng.uniform(-12, 8)  # little toe direction vs axis (deg, + = lateral)
    m1 = np.array([-0.5, 0.0])
    m5 = np.array([0.5, rng.uniform(0.15, 0.35)])
    heel_c = np.array([rng.uniform(0.0, 0.1), rng.uniform(1.75, 1.95)])
    heel_r = rng.uniform(0.28, 0.34)
    # Medial tangent from mt1 to the heel (touches the heel's medial side).
    mid = _tangent_point(m1, heel_c, heel_r, side=+1.0)
    if mid[0] > heel_c[0]:
        mid = _tangent_point(m1, heel_c, heel_r, side=-1.0)
    proximal_dir = (m1 - mid) / np.linalg.norm(m1 - mid)  # points distally
    # Hallux: tip circle placed so the tangent from mt1 turns `ha` laterally.
    r_tip = rng.uniform(0.13, 0.16)
    edge_dir = _rot(proximal_dir, ha)  # right foot: lateral = clockwise
    lat_n = _rot(edge_dir, 90)  # lateral normal of the medial hallux edge
    length = rng.uniform(0.55, 0.7)
    hm = m1 + length * edge_dir
    h_tip_c = hm + r_tip * lat_n
    h_base_c = m1 + 0.22 * edge_dir + 0.16 * lat_n
    toes = [(h_base_c, 0.15, h_tip_c, r_tip)]
    # Lesser toes: bases along the distal edge, shorter toward the little toe.
    bases = [np.array([-0.08, -0.16]), np.array([0.12, -0.08]), np.array([0.29, 0.02])]
    lens = [rng.uniform(0.36, 0.46), rng.uniform(0.3, 0.38), rng.uniform(0.26, 0.32)]
    spread = rng.uniform(-3, 6)
    for k, (b, ln) in enumerate(zip(bases, lens, strict=True)):
        d = _rot(np.array([0.0, -1.0]), ha * 0.4 * (1 - k / 3) + spread * (k + 1) / 4)
        toes.append((b, 0.085, b + ln * d, rng.uniform(0.07, 0.085)))
    # Little toe: tip circle such that the tangent from mt5 has direction tilt5.
    t5_dir = _rot(np.array([0.0, -1.0]), tilt5)
    r5 = rng.uniform(0.065, 0.08)
    t5l = m5 + rng.uniform(0.32, 0.4) * t5_dir
    t5_c = t5l - r5 * _rot(t5_dir, 90)
    t5_base = m5 + 0.12 * t5_dir - 0.1 * _rot(t5_dir, 90)
    toes.append((t5_base, 0.07, t5_c, r5))
    lat_heel = _tangent_point(m5, heel_c, heel_r, side=-1.0)
    if lat_heel[0] < heel_c[0]:
        lat_heel = _tangent_point(m5, heel_c, heel_r, side=+1.0)
    body = [mid, m1, h_base_c + np.array([0, -0.05]), *bases, t5_base, m5, lat_heel]
    lm = {"mt1_medial": m1, "hallux_medial": hm, "midfoot_medial": mid,
          "mt5_lateral": m5, "toe5_lateral": t5l,
          "cleft12": 0.5 * (h_base_c + bases[0]) + np.array([0.0, -0.02])}
    for name, (_, _, c, r) in zip(["hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip",
                                   "toe5_tip"], toes, strict=True):
        lm[name] = c + np.array([0.0, -r])
    heel = {"c": heel_c, "r": heel_r}
    return heel, toes, lm, {"body": np.array(body), "target_hallux_angle": ha}


def make_foot(seed: int, size: tuple[int, int] = (900, 1200), leg: bool | None = None,
              foot: Foot | None = None) -> SyntheticFoot:
    """One synthetic dorsal photo (width, height) with its exact landmarks and measures."""
    rng = np.random.default_rng(seed)
    w, h = size
    foot = foot or (Foot.RIGHT if rng.random() < 0.5 else Foot.LEFT)
    leg = bool(rng.random() < 0.7) if leg is None else leg
    heel, toes, lm, extra = _canonical(rng)
    scale = rng.uniform(0.20, 0.26) * min(w, h)  # px per W
    angle = rng.uniform(-25, 25)
    mirror = -1.0 if foot == Foot.LEFT else 1.0
    centre = np.array([w / 2, h / 2]) + rng.uniform(-0.04, 0.04, 2) * [w, h]
    a = np.radians(angle)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    sim = np.eye(3)
    sim[:2, :2] = scale * rot @ np.diag([mirror, 1.0])
    sim[:2, 2] = centre - scale * rot @ np.array([0.0, 0.85])
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = (src + rng.uniform(-0.04, 0.04, (4, 2)) * [w, h]).astype(np.float32)
    persp = cv2.getPerspectiveTransform(src, dst)
    H = persp @ sim

    def tr(p: np.ndarray) -> np.ndarray:
        p = np.atleast_2d(p)
        q = np.c_[p, np.ones(len(p))] @ H.T
        return q[:, :2] / q[:, 2:3]

    ss = 4  # supersampling for smooth edges

    def poly(p: np.ndarray) -> np.ndarray:
        return np.round(tr(p) * ss).astype(np.int32)

    def circle_poly(c: np.ndarray, r: float) -> np.ndarray:
        t = np.linspace(0, 2 * np.pi, 72, endpoint=False)
        return c + r * np.c_[np.cos(t), np.sin(t)]

    big = np.zeros((h * ss, w * ss), np.uint8)
    cv2.fillPoly(big, [poly(extra["body"])], 255)
    cv2.fillPoly(big, [poly(circle_poly(heel["c"], heel["r"]))], 255)
    for b, rb, c, rt in toes:
        n = (c - b) / np.linalg.norm(c - b)
        nn = np.array([-n[1], n[0]])
        cap = np.array([b + rb * nn, c + rt * nn, c - rt * nn, b - rb * nn])
        cv2.fillPoly(big, [poly(cap)], 255)
        cv2.fillPoly(big, [poly(circle_poly(c, rt))], 255)
        cv2.fillPoly(big, [poly(circle_poly(b, rb))], 255)
    if leg:
        d_leg = np.array([rng.uniform(-0.3, 0.3), 1.0])
        a0 = heel["c"] + np.array([0.05, -0.1])
        a1 = a0 + 6.0 * d_leg
        nn = np.array([-d_leg[1], d_leg[0]]) / np.linalg.norm(d_leg)
        cv2.fillPoly(big, [poly(np.array([a0 + 0.24 * nn, a1 + 0.3 * nn, a1 - 0.3 * nn,
                                          a0 - 0.24 * nn]))], 255)
    foot_a = cv2.resize(big, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255

    # Background: textured floor, A4 paper around the foot, lighting, shadow, noise.
    floor_col = np.array(rng.choice([[120, 80, 50], [150, 150, 145], [90, 90, 95],
                                     [170, 160, 140]]), np.float32)
    tex = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 2)
    stripes = np.sin(np.arange(w)[None, :] / rng.uniform(4, 12) + tex * 2)
    img = floor_col[None, None, :] * (1 + 0.12 * tex[..., None] + 0.06 * stripes[..., None])
    paper_c = np.array([[-0.85, -1.2], [0.95, -1.2], [0.95, 1.65], [-0.85, 1.65]])
    paper_c = paper_c * [1.0, 1.0] + rng.uniform(-0.08, 0.08, (1, 2))
    paper = np.zeros((h, w), np.uint8)
    cv2.fillPoly(paper, [np.round(tr(paper_c)).astype(np.int32)], 1)
    paper_col = np.array([245, 244, 240], np.float32) - rng.uniform(0, 12, 3)
    img[paper > 0] = paper_col
    shift = rng.uniform(-0.03, 0.03, 2) * min(w, h)
    m_shift = np.float32([[1, 0, shift[0]], [0, 1, shift[1]]])
    shadow = cv2.GaussianBlur(cv2.warpAffine(foot_a, m_shift, (w, h)), (0, 0), 6)
    img *= (1 - 0.25 * shadow)[..., None]
    skin = np.array(rng.choice([[225, 180, 155], [200, 150, 120], [160, 110, 80],
                                [110, 75, 55]]), np.float32)
    dist = cv2.distanceTransform((foot_a > 0.5).astype(np.uint8), cv2.DIST_L2, 5)
    shade = 0.8 + 0.2 * np.clip(dist / (0.15 * scale), 0, 1)
    skin_img = skin[None, None, :] * shade[..., None]
    img = img * (1 - foot_a[..., None]) + skin_img * foot_a[..., None]
    gx, gy = rng.uniform(-0.25, 0.25, 2)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1 + gx * (xx / w - 0.5) + gy * (yy / h - 0.5)
    img = img * light[..., None] + rng.normal(0, rng.uniform(1, 5), img.shape)
    image = np.clip(img, 0, 255).astype(np.uint8)

    lm_img = {k: tuple(float(c) for c in tr(v)[0]) for k, v in lm.items()}
    measures = dorsal_measures(lm_img, foot)
    params = {"hallux_angle_target": float(extra["target_hallux_angle"]), "rotation": angle,
              "px_per_width": float(scale), "leg": float(leg)}
    return SyntheticFoot(image, lm_img, measures, foot, params)
