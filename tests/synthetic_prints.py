"""Synthetic footprints (ink on paper) whose arch index is known exactly, because it is
computed from the very pixels that were drawn.

A print is drawn in a foot frame (heel at the origin, axis along +a toward the second toe,
c across, medial side at c < 0 for a right foot) and then rotated and placed on a page:

- heel: an ellipse centred on the axis;
- forefoot: an ellipse slightly medial of the axis (the ball of the big toe is wider);
- midfoot: the lateral band joining them, its width `mid_width` (0 = high arch, no contact),
  its medial edge curving (the arch);
- toes: five separate ellipses in front of the forefoot, the second centred on the axis.

`true_indices` returns the arch index (Cavanagh-Rodgers, thirds along heel centre -> second
toe), the Chippaux-Smirak and Staheli indices measured on the drawn toeless mask.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass
class PrintSpec:
    length: float = 260.0  # heel back to forefoot front, px (toes excluded)
    heel_width: float = 62.0
    fore_width: float = 95.0
    mid_width: float = 40.0  # narrowest contact width of the midfoot (px), 0 = none
    angle_deg: float = 10.0  # axis direction on the page, 0 = toes up
    right: bool = True
    ink: tuple[int, int, int] = (40, 40, 60)
    paper: tuple[int, int, int] = (235, 232, 225)
    size: tuple[int, int] = (600, 450)  # image height, width
    noise: float = 4.0
    seed: int = 0


@dataclass
class SyntheticPrint:
    rgb: np.ndarray
    toeless: np.ndarray  # uint8 0/1, the drawn print without toes
    heel_centre: np.ndarray  # image px
    toe2: np.ndarray  # image px (centre of the second toe)
    spec: PrintSpec


def _foot_frame_masks(sp: PrintSpec, shape: tuple[int, int], to_img) -> tuple[np.ndarray, list]:
    """Toeless mask and toe ellipses drawn through `to_img` (foot frame -> image)."""
    h, w = shape
    sign = -1.0 if sp.right else 1.0  # medial side: c < 0 for a right foot (toes up, big toe left)
    toeless = np.zeros((h, w), np.uint8)

    def ellipse(mask: np.ndarray, ca: float, cc: float, ra: float, rc: float) -> None:
        t = np.linspace(0, 2 * np.pi, 180, endpoint=False)
        pts = to_img(np.stack([ca + ra * np.cos(t), cc + rc * np.sin(t)], 1))
        cv2.fillPoly(mask, [np.round(pts * 16).astype(np.int32)], 1, cv2.LINE_8, shift=4)

    L = sp.length
    heel_r = 0.5 * sp.heel_width
    ellipse(toeless, 0.17 * L, 0.0, 0.17 * L, heel_r)
    fore_c = sign * 0.05 * sp.fore_width
    ellipse(toeless, 0.82 * L, fore_c, 0.15 * L, 0.5 * sp.fore_width)
    if sp.mid_width > 0:
        # Lateral band: lateral edge straight from heel to forefoot, medial edge inset by
        # the arch, the band as wide as the heel and the forefoot at its two ends.
        a = np.linspace(0.17 * L, 0.82 * L, 80)
        t = (a - a[0]) / (a[-1] - a[0])
        lat_heel, lat_fore = -sign * heel_r, fore_c - sign * 0.5 * sp.fore_width
        lat = lat_heel + (lat_fore - lat_heel) * t
        ends = sp.heel_width + (sp.fore_width - sp.heel_width) * t
        bump = np.sin(np.pi * t) ** 0.5  # 1 at mid-arch, steep near the ends
        width = ends - (ends - sp.mid_width) * bump
        med = lat + sign * width
        poly = np.vstack([np.stack([a, lat], 1), np.stack([a[::-1], med[::-1]], 1)])
        cv2.fillPoly(toeless, [np.round(to_img(poly) * 16).astype(np.int32)], 1, cv2.LINE_8,
                     shift=4)
    toes = []
    # (a offset, c offset, radius), c and radius in forefoot widths; toe 2 on the axis,
    # the hallux medial (dc < 0).
    for da, dc, r in [(0.06, -0.33, 0.17), (0.08, 0.0, 0.11), (0.05, 0.23, 0.09),
                      (0.02, 0.42, 0.08), (-0.02, 0.6, 0.075)]:
        ca = 1.1 * L + da * L
        cc = -sign * dc * sp.fore_width
        rr = r * sp.fore_width
        toes.append((ca, cc, rr * 1.25, rr))
    return toeless, toes


def make_print(sp: PrintSpec | None = None) -> SyntheticPrint:
    """Draw one print; the heel centre and toe 2 are returned in image px."""
    sp = sp or PrintSpec()
    h, w = sp.size
    th = np.radians(sp.angle_deg)
    up = np.array([np.sin(th), -np.cos(th)])  # foot axis direction in the image
    across = np.array([-up[1], up[0]])  # +c: to the right of the axis (toes up)
    origin = np.array([w / 2, h / 2]) - up * (sp.length * 0.6)

    def to_img(ac: np.ndarray) -> np.ndarray:
        ac = np.asarray(ac, float).reshape(-1, 2)
        return origin + ac[:, :1] * up + ac[:, 1:2] * across

    toeless, toes = _foot_frame_masks(sp, (h, w), to_img)
    full = toeless.copy()
    for ca, cc, ra, rc in toes:
        t = np.linspace(0, 2 * np.pi, 90, endpoint=False)
        pts = to_img(np.stack([ca + ra * np.cos(t), cc + rc * np.sin(t)], 1))
        cv2.fillPoly(full, [np.round(pts * 16).astype(np.int32)], 1, cv2.LINE_8, shift=4)
    rng = np.random.default_rng(sp.seed)
    img = np.empty((h, w, 3), np.float32)
    img[:] = sp.paper
    img[full > 0] = sp.ink
    img += rng.normal(0, sp.noise, img.shape)
    img = cv2.GaussianBlur(img, (0, 0), 0.8)
    rgb = np.clip(img, 0, 255).astype(np.uint8)
    heel_c = to_img(np.array([[0.17 * sp.length, 0.0]]))[0]
    toe2 = to_img(np.array([[toes[1][0], toes[1][1]]]))[0]
    return SyntheticPrint(rgb, toeless, heel_c, toe2, sp)


def true_indices(p: SyntheticPrint) -> dict[str, float]:
    """Arch index and width indices of the drawn toeless mask, by pixel counting (pixel
    centres at i + 0.5), the axis from the heel centre to the second toe."""
    ys, xs = np.nonzero(p.toeless)
    pts = np.stack([xs + 0.5, ys + 0.5], 1)
    axis = (p.toe2 - p.heel_centre) / np.linalg.norm(p.toe2 - p.heel_centre)
    a = pts @ axis
    c = pts @ np.array([-axis[1], axis[0]])
    lo, hi = a.min() - 0.5, a.max() + 0.5
    third = (hi - lo) / 3
    mid = np.count_nonzero((a >= lo + third) & (a < lo + 2 * third))
    out = {"arch_index": mid / len(a)}
    bins = np.floor(a - lo).astype(int)
    widths = np.zeros(bins.max() + 1)
    for b in range(len(widths)):
        sel = c[bins == b]
        widths[b] = sel.max() - sel.min() + 1 if len(sel) else 0.0
    n = len(widths)
    heel_w = widths[: n // 3].max()
    fore_w = widths[2 * n // 3 :].max()
    mid_w = widths[n // 3 : 2 * n // 3].min()
    out["chippaux_smirak_index"] = mid_w / fore_w
    out["staheli_index"] = mid_w / heel_w
    return out
