"""Synthetic medial (side-view) foot photos with known landmarks and arch measures.

The foot is one polygon drawn in the floor frame (s along the floor from the back of the heel
toward the toes, h up from the floor, both in units of the foot length L):

- plantar outline: the heel rounds up to `heel_back` at (0, 0.12); it touches the floor at
  s = 0.12 (heel contact) and s = 0.70 (ball, `mtp1`); between them the arch rises to its
  apex (0.41, `apex`); the toes curl up to 1.2 % above the floor; the tip is (1, 0.035);
- upper outline: the dorsum passes through (0.5, `dorsum`) (the `dorsum_50` landmark), the
  ankle, and the leg rises out of the top of the picture, its back leaning behind the heel
  above an Achilles notch.

The picture is the floor frame rotated by `tilt_deg` (a rolled camera), on wood planks or on
white paper over a grey carpet, with a contact shadow along the floor line.
True measures: arch_height_index = dorsum / 0.70, arch_height_ratio = apex.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

BALL = 0.70
HEEL_C = 0.12


@dataclass
class SideSpec:
    length: float = 560.0  # foot length L, px
    apex: float = 0.06  # arch apex height / L
    dorsum: float = 0.30  # dorsum height at 50 % / L
    tilt_deg: float = 0.0  # floor line angle in the picture (positive: toes lower)
    toes_right: bool = True
    floor: str = "wood"  # "wood" or "paper"
    size: tuple[int, int] = (750, 1000)  # height, width
    seed: int = 0
    clutter: bool = False  # a dark shadow under the arch and a floor strip behind the heel


@dataclass
class SyntheticSide:
    rgb: np.ndarray
    landmarks: dict[str, tuple[float, float]]  # continuous image px (pixel centre i + 0.5)
    measures: dict[str, float]
    spec: SideSpec


def _outline(sp: SideSpec) -> np.ndarray:
    """The foot+leg polygon in floor units (s, h), counter-clockwise on paper."""
    s_arch = np.linspace(HEEL_C, BALL, 60)
    arch = sp.apex * np.sin(np.pi * (s_arch - HEEL_C) / (BALL - HEEL_C)) ** 1.5
    t = np.linspace(np.pi, 1.5 * np.pi, 20)  # heel: quarter circle from the back to contact
    heel = np.stack([HEEL_C + HEEL_C * np.cos(t), HEEL_C + HEEL_C * np.sin(t)], 1)
    s_toe = np.linspace(BALL, 0.97, 20)
    pulp = 0.012 * np.sin(np.pi * (s_toe - BALL) / (0.97 - BALL)) ** 0.7 + 0.0004
    pulp[0] = 0.0
    tip = [(0.99, 0.012), (1.0, 0.035), (0.985, 0.06), (0.95, 0.075)]
    dorsum = [(0.80, 0.15), (0.65, 0.23), (0.5, sp.dorsum), (0.38, sp.dorsum + 0.07),
              (0.32, 0.48)]
    leg = [(0.34, 0.9), (0.36, 3.0), (-0.06, 3.0), (-0.03, 0.9), (0.035, 0.3), (0.02, 0.2)]
    pts = np.vstack([heel, np.stack([s_arch, arch], 1)[1:], np.stack([s_toe, pulp], 1)[1:],
                     np.array(tip), np.array(dorsum), np.array(leg)])
    return pts


def _background(sp: SideSpec, rng: np.random.Generator) -> np.ndarray:
    h, w = sp.size
    if sp.floor == "wood":
        img = np.zeros((h, w, 3), np.float32)
        y = np.arange(h)[:, None]
        plank = (y // 60) % 3
        base = np.array([[120, 80, 50], [140, 95, 60], [105, 70, 45]], np.float32)[plank[:, 0]]
        img[:] = base[:, None, :]
        noise = rng.normal(0, 18, (h, w)).astype(np.float32)
        grain = cv2.GaussianBlur(noise, (0, 0), sigmaX=12, sigmaY=1)
        img += grain[..., None] * np.array([1.0, 0.7, 0.5], np.float32)
        return img
    img = np.empty((h, w, 3), np.float32)
    img[:] = (140, 136, 130)
    img += cv2.GaussianBlur(rng.normal(0, 25, (h, w)).astype(np.float32), (0, 0), 1.5)[..., None]
    sheet = np.array([[0.05 * w, 0.45 * h], [0.95 * w, 0.45 * h], [0.98 * w, 0.95 * h],
                      [0.02 * w, 0.95 * h]], np.int32)
    cv2.fillPoly(img, [sheet], (228, 226, 220))
    return img


def make_side(sp: SideSpec | None = None) -> SyntheticSide:
    """Render one side view with its true landmarks and measures."""
    sp = sp or SideSpec()
    rng = np.random.default_rng(sp.seed)
    h, w = sp.size
    th = np.radians(sp.tilt_deg)
    sgn = 1.0 if sp.toes_right else -1.0
    u = np.array([sgn * np.cos(th), np.sin(th)])  # along the floor, toward the toes
    n = np.array([u[1] * sgn, -u[0] * sgn])  # up from the floor
    L = sp.length
    origin = np.array([w / 2, 0.62 * h]) - u * (0.5 * L)

    def to_img(sh: np.ndarray) -> np.ndarray:
        sh = np.asarray(sh, float).reshape(-1, 2)
        return origin + sh[:, :1] * L * u + sh[:, 1:2] * L * n

    img = _background(sp, rng)
    # Contact shadow along the floor under the foot (dark, soft), and a cast shadow on paper.
    shadow = np.zeros((h, w), np.float32)
    band = to_img(np.array([[0.02, 0.0], [0.98, 0.0], [0.98, -0.025], [0.02, -0.025]]))
    cv2.fillPoly(shadow, [np.round(band).astype(np.int32)], 1.0)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 4)
    img *= (1 - 0.55 * shadow)[..., None]
    if sp.clutter:
        # Like ala-jaidi__l: the floor under the arch in deep brownish shadow (far from the
        # floor samples, not skin), and a strip of another, orange floor from the back of
        # the heel out of the picture.
        s_a = np.linspace(HEEL_C, BALL, 30)
        under = np.vstack([[[HEEL_C, -0.01]], np.stack([s_a, np.full(30, 0.0)], 1)[1:-1],
                           [[BALL, -0.01]]])
        rise = sp.apex * np.sin(np.pi * (s_a - HEEL_C) / (BALL - HEEL_C)) ** 1.5 + 0.01
        arch_top = np.stack([s_a, rise], 1)[::-1]  # the foot is drawn over its upper part
        cv2.fillPoly(img, [np.round(to_img(np.vstack([under, arch_top]))).astype(np.int32)],
                     (78, 62, 56))
        strip = to_img(np.array([[0.0, 0.06], [-2.0, 0.06], [-2.0, 0.16], [0.0, 0.16]]))
        cv2.fillPoly(img, [np.round(strip).astype(np.int32)], (150, 105, 60))
    poly = to_img(_outline(sp))
    mask = np.zeros((h, w), np.uint8)
    cv2.fillPoly(mask, [np.round(poly * 16).astype(np.int32)], 1, cv2.LINE_AA, shift=4)
    hh = (np.indices((h, w))[::-1].transpose(1, 2, 0) - origin) @ n / L  # height per pixel
    skin = np.array([222, 188, 168], np.float32)[None, None, :] * (
        0.8 + 0.2 * np.clip(hh, 0, 1))[..., None]
    soft = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), 0.7)[..., None]
    img = img * (1 - soft) + skin * soft
    img += rng.normal(0, 3, img.shape)
    rgb = np.clip(img, 0, 255).astype(np.uint8)
    lm_sh = {"heel_back": (0.0, HEEL_C), "toe_tip": (1.0, 0.035), "mtp1": (BALL, 0.0),
             "floor_heel": (HEEL_C, 0.0), "floor_toe": (BALL, 0.0),
             "arch_apex": (HEEL_C + (BALL - HEEL_C) / 2, sp.apex), "dorsum_50": (0.5, sp.dorsum)}
    # Pixel (i, j) covers [i, i+1): polygon vertices drawn at p are at continuous p + 0.5.
    lms = {k: tuple(float(c) + 0.5 for c in to_img(np.array(v))[0]) for k, v in lm_sh.items()}
    measures = {"arch_height_index": sp.dorsum / BALL, "arch_height_ratio": sp.apex}
    return SyntheticSide(rgb, lms, measures, sp)
