"""Aligning two photos of a foot on their shared landmarks (pure numpy).

A similarity transform (rotation, uniform scale, translation) is fitted by least squares
(Umeyama's closed form). A left foot compared with a right one is mirrored first, so the
same anatomical landmarks are matched.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import numpy as np

Point = tuple[float, float]


@dataclass(frozen=True)
class Similarity:
    """x' = scale * R(angle) @ x + t, optionally after mirroring x (x -> -x)."""

    scale: float
    angle_deg: float
    tx: float
    ty: float
    mirrored: bool = False

    def matrix(self) -> np.ndarray:
        """The 3 x 3 homogeneous matrix of the whole transform (mirror included)."""
        a = np.deg2rad(self.angle_deg)
        rot = self.scale * np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
        if self.mirrored:
            rot = rot @ np.diag([-1.0, 1.0])
        m = np.eye(3)
        m[:2, :2] = rot
        m[:2, 2] = (self.tx, self.ty)
        return m

    def apply(self, pts: np.ndarray) -> np.ndarray:
        p = np.asarray(pts, float).reshape(-1, 2)
        m = self.matrix()
        return cast(np.ndarray, p @ m[:2, :2].T + m[:2, 2])


def fit_similarity(
    src: np.ndarray, dst: np.ndarray, mirror: bool = False, weights: np.ndarray | None = None
) -> Similarity:
    """Weighted least-squares similarity mapping `src` onto `dst` (N >= 2 pairs, N x 2).

    With `mirror`, `src` is reflected (x -> -x) before fitting; the result includes it.
    """
    s = np.asarray(src, float).reshape(-1, 2)
    d = np.asarray(dst, float).reshape(-1, 2)
    if len(s) < 2 or len(s) != len(d):
        raise ValueError("a similarity needs at least two matching points")
    w = np.ones(len(s)) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    if mirror:
        s = s * np.array([-1.0, 1.0])
    ms, md = w @ s, w @ d
    sc, dc = s - ms, d - md
    var = float(w @ (sc**2).sum(axis=1))
    if var <= 0:
        raise ValueError("the points coincide")
    cov = (dc * w[:, None]).T @ sc
    u, sigma, vt = np.linalg.svd(cov)
    fix = np.diag([1.0, np.sign(np.linalg.det(u @ vt)) or 1.0])
    rot = u @ fix @ vt
    scale = float(np.trace(np.diag(sigma) @ fix) / var)
    t = md - scale * rot @ ms
    angle = float(np.degrees(np.arctan2(rot[1, 0], rot[0, 0])))
    return Similarity(scale, angle, float(t[0]), float(t[1]), mirror)


# How sharply each landmark is defined along the outline. Tips and the web are points; the
# tangent points slide along nearly straight borders (hand placements of one photo differ by
# 25-70 px there), so they steer the fit less.
LANDMARK_WEIGHTS: dict[str, float] = {
    "hallux_tip": 1.0,
    "toe2_tip": 1.0,
    "toe3_tip": 1.0,
    "toe4_tip": 1.0,
    "toe5_tip": 1.0,
    "cleft12": 1.0,
    "mt1_medial": 0.3,
    "mt5_lateral": 0.3,
    "hallux_medial": 0.3,
    "toe5_lateral": 0.3,
    "midfoot_medial": 0.15,
    "heel_back": 1.0,
    "toe_tip": 1.0,
    "mtp1": 0.5,
    "floor_heel": 0.3,
    "floor_toe": 0.3,
    "arch_apex": 0.5,
    "dorsum_50": 0.5,
}


@dataclass(frozen=True)
class LandmarkAlignment:
    transform: Similarity  # maps the second photo's coordinates onto the first's
    names: tuple[str, ...]  # the landmarks used
    residual_rms: float  # weighted RMS, in the first photo's units (px, or mm when rectified)
    residuals: dict[str, float]  # per landmark, same units


def align_landmarks(
    first: Mapping[str, Point], second: Mapping[str, Point], mirror: bool = False
) -> LandmarkAlignment:
    """Fit the second photo's landmarks onto the first's (weighted by `LANDMARK_WEIGHTS`);
    residual per landmark."""
    names = tuple(sorted(set(first) & set(second)))
    if len(names) < 3:
        raise ValueError(
            f"the two photos share {len(names)} landmarks; at least 3 are needed to align them"
        )
    a = np.array([first[n] for n in names], float)
    b = np.array([second[n] for n in names], float)
    w = np.array([LANDMARK_WEIGHTS.get(n, 0.5) for n in names])
    transform = fit_similarity(b, a, mirror=mirror, weights=w)
    errors = np.linalg.norm(transform.apply(b) - a, axis=1)
    return LandmarkAlignment(
        transform,
        names,
        float(np.sqrt(w @ errors**2 / w.sum())),
        {n: float(e) for n, e in zip(names, errors, strict=True)},
    )
