"""Sub-pixel refinement of the tangent lines the dorsal angles are drawn from.

The landmarks are found on the binary outline of a working image (~640 px), where one
pixel is ~0.7-1 % of the forefoot width. An angle between two tangent lines whose contact
points lie ~0.35 W apart then moves by ~2 deg per pixel of outline error. Here each line
is drawn again on the skin edge of the larger reduced image, located to a fraction of a
pixel: around each contact point the colour is projected onto the skin-to-background
direction (both measured right there, from the binary mask), and the 0.5 level of that
projection is the edge (`skimage.measure.find_contours` interpolates it). The new line is
the edge's common tangent (bitangent) near the two contact points: the edge of the convex
hull of both stretches of edge that bridges them on the outside of the foot.

Coordinates: `full` are continuous full-resolution pixel coordinates of the photo; pixel
index i of an image whose pixels are s full pixels wide covers [i*s, (i+1)*s), so its
centre is (i + 0.5) * s (as in footlog.imaging.photo_io).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np
from skimage.measure import find_contours

# Stretch of edge taken around each contact point, as a fraction of the forefoot width:
# wide enough that the true contact (a few working px from the binary one) is inside.
PATCH = 0.09
# Edge points farther than this (working px) from the binary outline are something else
# (a shadow on the paper, a nail, a crease) and are left out.
NEAR_OUTLINE = 2.5
# A refined line turned by more than this (deg) from the binary one, or passing farther
# than MAX_SHIFT (fraction of W) from its contacts, has followed some other edge: the
# binary line is kept.
MAX_TURN = 4.0
# Skin and background must differ by this much (Lab units, 8-bit scale) to place an edge.
CHROMA_CONTRAST = 5.0
MAX_SHIFT = 0.02


@dataclass
class EdgeImage:
    """The reduced image and the working mask, with their scales to full resolution.

    rgb: reduced upright RGB uint8 image; s_img full px per pixel of it.
    mask: working-image foot mask (0/1); s_mask full px per pixel of it.
    """

    rgb: np.ndarray
    s_img: float
    mask: np.ndarray
    s_mask: float
    _outline_distance: np.ndarray | None = None
    _mask_float: np.ndarray | None = None

    def outline_distance(self) -> np.ndarray:
        """Distance (working px, float32) of every working pixel to the binary outline;
        computed once, as all six patches of a photo use it."""
        if self._outline_distance is None:
            mb = self.mask.astype(np.uint8)
            ring = cv2.morphologyEx(mb, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
            self._outline_distance = cv2.distanceTransform(
                (1 - ring).astype(np.uint8), cv2.DIST_L2, 3)
        return self._outline_distance

    def mask_float(self) -> np.ndarray:
        """The mask as float32 (0/1), for interpolation."""
        if self._mask_float is None:
            self._mask_float = self.mask.astype(np.float32)
        return self._mask_float


def edge_points(ei: EdgeImage, centre: np.ndarray, radius: float) -> np.ndarray:
    """Sub-pixel points (N, 2, full px) of the skin edge within `radius` (full px) of
    `centre`, or an empty array when the patch holds no clear edge."""
    h, w = ei.rgb.shape[:2]
    c = centre / ei.s_img - 0.5  # pixel-index coordinates of the reduced image
    r = radius / ei.s_img
    x0, y0 = max(0, int(c[0] - r) - 2), max(0, int(c[1] - r) - 2)
    x1, y1 = min(w, int(c[0] + r) + 3), min(h, int(c[1] + r) + 3)
    if x1 - x0 < 6 or y1 - y0 < 6:
        return np.empty((0, 2))
    patch = cv2.cvtColor(np.ascontiguousarray(ei.rgb[y0:y1, x0:x1]), cv2.COLOR_RGB2LAB)
    lab = patch.astype(np.float32)
    # The working mask, resampled onto the patch's pixel centres.
    k = ei.s_img / ei.s_mask  # working px per reduced px
    ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    mx, my = (xs + 0.5) * k - 0.5, (ys + 0.5) * k - 0.5
    inside = cv2.remap(ei.mask_float(), mx, my, cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_REPLICATE)
    # Distance (working px) to the binary outline, to keep only edge points near it.
    near = cv2.remap(ei.outline_distance(), mx, my, cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_REPLICATE)
    band = max(2.0, 2.0 * k)  # working px (and >= 2 px here): colours sampled beyond
    skin = (inside > 0.99) & (near > band)
    back = (inside < 0.01) & (near > band)
    if skin.sum() < 8 or back.sum() < 8:
        return np.empty((0, 2))
    fg, bg = lab[skin].mean(axis=0), lab[back].mean(axis=0)
    # Chroma first: a shadow on the paper keeps the paper's a/b and only loses lightness,
    # so with lightness in the projection the edge would slide out into the shadow.
    v = fg - bg
    v[0] = 0.0
    if float(v @ v) < CHROMA_CONTRAST**2:
        v = fg - bg  # a grey floor or pale skin: lightness is all there is
        if float(v @ v) < CHROMA_CONTRAST**2:
            return np.empty((0, 2))
    t = ((lab - bg) @ v) / float(v @ v)
    t = cv2.GaussianBlur(t.astype(np.float32), (0, 0), 0.7)
    pts = []
    for cont in find_contours(t, 0.5):
        pts.append(cont[:, ::-1])  # (row, col) -> (x, y)
    if not pts:
        return np.empty((0, 2))
    p = np.concatenate(pts)
    # Keep the points near the binary outline, and within the radius.
    pk = p.astype(np.float32)
    d_out = cv2.remap(near, pk[:, 0:1].copy(), pk[:, 1:2].copy(), cv2.INTER_LINEAR,
                      borderMode=cv2.BORDER_REPLICATE)[:, 0]
    full = (p + np.array([x0, y0]) + 0.5) * ei.s_img
    keep = (d_out <= NEAR_OUTLINE) & (np.hypot(*(full - centre).T) <= radius)
    return cast(np.ndarray, full[keep])


def bitangent(a: np.ndarray, b: np.ndarray, outward: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray] | None:
    """The line touching both point sets with every point on its inner side.

    a, b: (N, 2) points near each contact; outward: a direction pointing out of the
    foot across the line. Returns the contact on `a` and the contact on `b`, or None.
    """
    if len(a) < 3 or len(b) < 3:
        return None
    pts = np.concatenate([a, b]).astype(np.float32)
    hull = cv2.convexHull(pts, returnPoints=False)[:, 0]
    n_a = len(a)
    centre = pts[hull].mean(axis=0).astype(float)
    best = None
    for i, j in zip(hull, np.roll(hull, -1), strict=True):
        if (i < n_a) == (j < n_a):
            continue  # an edge within one stretch, not a bridge
        p, q = pts[i].astype(float), pts[j].astype(float)
        d = q - p
        if not d.any():
            continue
        # The hull has two bridges, one on each side; every point lies behind both. The
        # one on the outside of the foot faces `outward` (normal pointing off the hull).
        normal = np.array([d[1], -d[0]])
        if normal @ (p - centre) < 0:
            normal = -normal
        score = float(normal @ outward) / (np.linalg.norm(normal) * np.linalg.norm(outward))
        if best is None or score > best[0]:
            best = (score, (p, q) if i < n_a else (q, p))
    if best is None or best[0] < 0.8:
        return None
    return best[1]


def refine_line(ei: EdgeImage, p: np.ndarray, q: np.ndarray, outward: np.ndarray,
                width: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Sub-pixel contacts of the tangent line through contacts `p` and `q` (full px).

    width: forefoot width (full px). None when the edge is not clear enough to improve
    on the binary line.
    """
    radius = PATCH * width
    a, b = edge_points(ei, p, radius), edge_points(ei, q, radius)
    res = bitangent(a, b, outward)
    if res is None:
        return None
    p2, q2 = res
    d_old, d_new = q - p, q2 - p2
    turn = np.degrees(abs(np.arctan2(d_old[0] * d_new[1] - d_old[1] * d_new[0],
                                     float(d_old @ d_new))))
    normal = np.array([-d_new[1], d_new[0]]) / np.linalg.norm(d_new)
    shift = max(abs(float((p - p2) @ normal)), abs(float((q - p2) @ normal)))
    if turn > MAX_TURN or shift > MAX_SHIFT * width:
        return None
    return p2, q2


def outward_normal(mask: np.ndarray, s_mask: float, p: np.ndarray, q: np.ndarray
                   ) -> np.ndarray | None:
    """Unit normal of the line p-q (full px) pointing out of the foot, from the working
    mask on either side of p; None when the mask does not tell."""
    d = (q - p) / np.linalg.norm(q - p)
    n = np.array([-d[1], d[0]])
    h, w = mask.shape

    def foot_at(z: np.ndarray) -> int | None:
        i, j = int(z[1] / s_mask), int(z[0] / s_mask)
        return int(mask[i, j] > 0) if 0 <= i < h and 0 <= j < w else None

    step = 3.0 * s_mask
    plus, minus = foot_at(p + step * n), foot_at(p - step * n)
    if plus == 0 and minus == 1:
        return n
    if plus == 1 and minus == 0:
        return -n
    return None


def refine_tangents(landmarks: dict[str, tuple[float, float]], ei: EdgeImage,
                    width: float) -> None:
    """Redraw the three tangent lines of the dorsal measures on the sub-pixel edge, in
    place (full px). `width`: forefoot width (full px).

    `mt1_medial` is shared by the midfoot line and the hallux line: it becomes the hallux
    line's contact on the metatarsal head, and the midfoot line keeps its refined
    direction through it (its far contact moves with it, by a fraction of a pixel across
    the line).
    """
    lm = {k: np.asarray(v, float) for k, v in landmarks.items()}
    new: dict[str, np.ndarray] = {}

    def line(a: str, b: str) -> tuple[np.ndarray, np.ndarray] | None:
        if a not in lm or b not in lm or np.allclose(lm[a], lm[b]):
            return None
        n = outward_normal(ei.mask, ei.s_mask, lm[a], lm[b])
        return None if n is None else refine_line(ei, lm[a], lm[b], n, width)

    hallux = line("mt1_medial", "hallux_medial")
    if hallux is not None:
        new["mt1_medial"], new["hallux_medial"] = hallux
    midfoot = line("midfoot_medial", "mt1_medial")
    if midfoot is not None:
        anchor = new.get("mt1_medial", lm.get("mt1_medial"))
        new["midfoot_medial"] = midfoot[0] + (anchor - midfoot[1])
    lateral = line("mt5_lateral", "toe5_lateral")
    if lateral is not None:
        new["mt5_lateral"], new["toe5_lateral"] = lateral
    for k, v in new.items():
        landmarks[k] = (float(v[0]), float(v[1]))


TIP_PATCH = 0.03  # W: a tip moves by a fraction of a working pixel, never to another toe


def refine_tips(landmarks: dict[str, tuple[float, float]], ei: EdgeImage, width: float,
                distal: np.ndarray) -> None:
    """Move each toe tip along the foot's axis onto the sub-pixel edge, in place (full
    px). `distal`: the foot's distal direction in image coordinates.

    Where across the toe's end the tip lies was settled on the binary outline (the
    middle of its most distal stretch, `toes._tip_index`); only its distance along the
    axis, which the binary outline rounds to a working pixel, is refined here.
    """
    d = distal / np.linalg.norm(distal)
    side = np.array([-d[1], d[0]])
    for name in ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip"):
        if name not in landmarks:
            continue
        tip = np.asarray(landmarks[name], float)
        pts = edge_points(ei, tip, TIP_PATCH * width)
        if len(pts) < 5:
            continue
        across = np.abs((pts - tip) @ side)
        near = pts[across <= 1.5 * ei.s_img]  # the edge crossing the axis through the tip
        if len(near) < 2:
            continue
        a = (near - tip) @ d
        w = np.exp(-(across[across <= 1.5 * ei.s_img] / ei.s_img) ** 2)
        along = float(np.average(a, weights=w))
        new = tip + along * d
        landmarks[name] = (float(new[0]), float(new[1]))
