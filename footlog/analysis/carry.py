"""Landmarks carried from a person's confirmed photos of the same foot onto a new photo.

Measuring keeps only the carried toe tips (and the 1-2 web where the detector found none):
footlog.analysis.carry_merge says why, docs/CARRYING.md has the figures. The body and
tangent landmarks below are carried for benchmarks/carrying.py, which compares methods.

The generic detector places each landmark from rules about feet in general; on a person's
own series the noise between two photos is that detector's noise. A photo the person has
confirmed says where *this* foot's landmarks are; carrying registers the new photo to it.
Registration runs on the floor plane (mm) when both photos have a floor homography, which
takes the camera's perspective out; otherwise on the photos' pixels.

1. **Coarse**: a similarity fitted to the landmarks both photos have (the confirmed ones,
   the detector's on the new photo), robustly: every pair of landmarks proposes one, the
   one most others agree with wins, so that a toe the detector numbered wrongly does not
   pull it.
2. **Outline**: trimmed iterative closest points of the template's outline onto the new
   one over the forefoot (the leg crosses the outline at different places in different
   photos; its share is trimmed away).
3. **Points**: each landmark inside the outline (toe tips, the 1-2 web) is matched in the
   image by normalised cross-correlation of its neighbourhood, warped by the fit, within
   SEARCH of where the fit put it.
4. **Toes and body**: the toes move against the foot between photos (that is what the
   hallux angle measures), the rest of the forefoot does not. The body's landmarks
   (`mt1_medial`, `mt5_lateral`, `midfoot_medial`) follow a rigid fit of the outline
   behind the toes; the big toe's and the little toe's outlines are each fitted on their
   own (rigidly, from the body's fit), and `hallux_medial` and `toe5_lateral` are then the
   tangent points, on the new outline, from the carried `mt1_medial` and `mt5_lateral`
   (their definitions) within ALONG W of where the toe's fit put them. Carrying the body
   rigidly keeps the proximal line where the confirmed photo has it, instead of the
   detector's window, whose contact slides with the leg and the camera.

With several templates each landmark is the median of the best MAX_TEMPLATES (chosen by how
well their outlines fit). Lengths are in forefoot widths W (`mt1_medial`-`mt5_lateral`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import cast

import cv2
import numpy as np

from footlog.analysis.nearest_points import NearestPoints
from footlog.domain.alignment import LANDMARK_WEIGHTS, Similarity, fit_similarity
from footlog.domain.calibration import apply_homography

POINT_LANDMARKS = frozenset({"hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip",
                             "cleft12"})
COARSE_TOL = 0.08  # (W) a landmark within this of the coarse fit agrees with it
FOREFOOT_REACH = 1.3  # (W) outline points this far from the toe tips take part in the fit
TRIM = 0.8  # share of closest outline pairs kept at each step (the rest: leg, toes moved)
ICP_STEPS = 20
SETTLED = 0.001  # (W) a fit that moves no outline point farther than this has settled
PATCH = 0.09  # (W) half-size of the neighbourhood matched for a point landmark
SEARCH = 0.06  # (W) how far from the fitted position a point landmark is looked for
MIN_NCC = 0.5  # a weaker match keeps the fitted position
ALONG = 0.1  # (W) a tangent point is sought this far along the outline
TOE_BEHIND = 0.45  # (W) the outline behind the toe tips by more than this is the body's
HALLUX_REACH = 0.45  # (W) the big toe's outline: this near its tip (and nearer than toe 2's)
TOE5_REACH = 0.3  # (W) the little toe's outline, likewise
MAX_TEMPLATES = 3
# Doubt: an outline that does not fit (trimmed RMS), in W. Same-foot photos of the shared
# series fit within ~0.01-0.02 W; another foot or a badly cut outline, 0.04 and more.
MAX_RESIDUAL = 0.03

Mapping2D = Callable[[np.ndarray], np.ndarray]


@dataclass
class Shot:
    """One photo of a foot, as carrying sees it (coordinates in full-resolution px).

    landmarks: name -> (x, y); outline: (N, 2) closed polygon of the foot (as the detector
    stored it); gray: the photo's grey image at `scale` full px per pixel; homography:
    full px -> floor mm, when the photo has a calibration.
    """

    landmarks: dict[str, np.ndarray]
    outline: np.ndarray
    gray: np.ndarray
    scale: float
    photo_id: int | None = None
    homography: np.ndarray | None = None
    # Full px of the grey image's top-left corner: a template's grey image is kept only
    # around its toes (footlog.storage.template_store), so it starts there.
    origin: tuple[float, float] = (0.0, 0.0)


@dataclass
class Carried:
    """Landmarks carried onto a new photo (full px). `sources`: the template photo each
    came from (the best-fitting of those whose median was taken); `residual`: the best
    outline fit's trimmed RMS (W); `spread`: per landmark, how far the templates' positions
    lie apart (W; 0 with one template); `doubts`: what makes the carrying doubtful."""

    landmarks: dict[str, tuple[float, float]]
    sources: dict[str, int | None]
    residual: float
    spread: dict[str, float] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)
    templates: list[int | None] = field(default_factory=list)
    # Point landmarks found in the new photo's image (not merely placed by the outline's
    # fit) by most of the templates whose median was taken.
    matched: set[str] = field(default_factory=set)


class _Plane:
    """Where registration happens for one photo: floor mm or full px."""

    def __init__(self, shot: Shot, floor: bool) -> None:
        self.h = shot.homography if floor else None
        self.h_inv = None if self.h is None else np.linalg.inv(self.h)

    def to(self, px: np.ndarray) -> np.ndarray:
        p = np.asarray(px, float).reshape(-1, 2)
        return p if self.h is None else apply_homography(self.h, p)

    def back(self, q: np.ndarray) -> np.ndarray:
        p = np.asarray(q, float).reshape(-1, 2)
        return p if self.h_inv is None else apply_homography(self.h_inv, p)


def forefoot_width(landmarks: Mapping[str, np.ndarray | tuple[float, float]]) -> float | None:
    if "mt1_medial" not in landmarks or "mt5_lateral" not in landmarks:
        return None
    w = float(np.linalg.norm(np.subtract(landmarks["mt1_medial"], landmarks["mt5_lateral"])))
    return w if w > 0 else None


def coarse_fit(a_pts: dict[str, np.ndarray], b_pts: dict[str, np.ndarray], W: float
               ) -> Similarity | None:
    """Similarity a -> b from the landmarks both have, robust to a few wrong ones: every
    pair proposes a fit, the one with most landmarks (weighted as in compare) within
    COARSE_TOL W wins, refitted on those."""
    names = sorted(set(a_pts) & set(b_pts))
    if len(names) < 2:
        return None
    a = np.array([a_pts[n] for n in names], float)
    b = np.array([b_pts[n] for n in names], float)
    w = np.array([LANDMARK_WEIGHTS.get(n, 0.5) for n in names])
    # Every pair's similarity at once, in complex numbers: b = m a + t.
    za, zb = a[:, 0] + 1j * a[:, 1], b[:, 0] + 1j * b[:, 1]
    i, j = np.triu_indices(len(names), 1)
    keep = np.abs(za[j] - za[i]) >= 0.3 * W  # a shorter baseline cannot fix the rotation
    i, j = i[keep], j[keep]
    m = (zb[j] - zb[i]) / (za[j] - za[i])
    ok = (np.abs(m) > 0.5) & (np.abs(m) < 2.0)
    i, j, m = i[ok], j[ok], m[ok]
    if len(m) == 0:
        return None
    t = zb[i] - m * za[i]
    err = np.abs(m[:, None] * za[None, :] + t[:, None] - zb[None, :])
    inl = err < COARSE_TOL * W * np.abs(m)[:, None]
    best = inl[int(np.argmax(inl.astype(float) @ w))]
    if best.sum() < 2:
        return None
    return fit_similarity(a[best], b[best], weights=w[best])


def _nearest(src: np.ndarray, dst: np.ndarray | NearestPoints
             ) -> tuple[np.ndarray, np.ndarray]:
    """For each point of `src`, the index of and distance to its nearest point of `dst`
    (a search tree of it, built once for the many steps of a fit)."""
    tree = dst if isinstance(dst, NearestPoints) else NearestPoints(dst)
    return tree.query(src)


def _dense(outline: np.ndarray, step: float) -> np.ndarray:
    """The closed polygon resampled every `step` (so that the fit weighs length)."""
    p = np.asarray(outline, float)
    p = np.vstack([p, p[:1]])
    seg = np.linalg.norm(np.diff(p, axis=0), axis=1)
    s = np.concatenate([[0.0], np.cumsum(seg)])
    t = np.arange(0.0, s[-1], max(step, 1e-6))
    return np.column_stack([np.interp(t, s, p[:, 0]), np.interp(t, s, p[:, 1])])


def _settled(a: Similarity, b: Similarity, src: np.ndarray, tol: float) -> bool:
    """Whether two fits move every point of `src` to within `tol` (dst units) of each other."""
    return bool(np.max(np.linalg.norm(a.apply(src) - b.apply(src), axis=1)) < tol)


def icp(src: np.ndarray, dst: np.ndarray, start: Similarity, tol: float,
        rigid: bool = False) -> tuple[Similarity, float]:
    """Trimmed ICP of `src` onto `dst` from `start`, until a step moves no point by `tol`
    (dst units): (fit, trimmed RMS, dst units). `rigid`: keep `start`'s scale."""
    t, rms = start, np.inf
    tree = NearestPoints(dst)
    for _ in range(ICP_STEPS):
        idx, dist = _nearest(t.apply(src), tree)
        keep = dist <= np.quantile(dist, TRIM)
        if keep.sum() < 3:
            break
        try:
            t_new = (fit_rigid(src[keep], dst[idx[keep]], start.scale) if rigid
                     else fit_similarity(src[keep], dst[idx[keep]]))
        except ValueError:
            break
        rms = float(np.sqrt(np.mean(dist[keep] ** 2)))
        done = _settled(t_new, t, src, tol)
        t = t_new
        if done:
            break
    return t, rms


def _near_tips(outline: np.ndarray, landmarks: dict[str, np.ndarray], W: float
               ) -> np.ndarray:
    """The outline points within FOREFOOT_REACH W of the toe tips."""
    tips = [landmarks[n] for n in ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip",
                                   "toe5_tip") if n in landmarks]
    if not tips:
        return outline
    d = np.min(np.linalg.norm(outline[:, None, :] - np.asarray(tips)[None], axis=2), axis=1)
    return cast(np.ndarray, outline[d <= FOREFOOT_REACH * W])


def _idx_to_full(s: float, origin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    """Reduced pixel index -> full-resolution px (index i is continuous i + 0.5)."""
    return np.array([[s, 0, 0.5 * s + origin[0]], [0, s, 0.5 * s + origin[1]], [0, 0, 1.0]])


def _full_to_idx(s: float, origin: tuple[float, float] = (0.0, 0.0)) -> np.ndarray:
    return np.linalg.inv(_idx_to_full(s, origin))


def _local_affine(f: Mapping2D, p: np.ndarray, step: float) -> np.ndarray:
    """3 x 3 affine approximating the mapping `f` (px -> px) around `p`."""
    q0, qx, qy = f(p + np.array([[0.0, 0.0], [step, 0.0], [0.0, step]]))
    a = np.eye(3)
    a[:2, 0], a[:2, 1] = (qx - q0) / step, (qy - q0) / step
    a[:2, 2] = q0 - a[:2, :2] @ p
    return a


def _match_point(template: Shot, new: Shot, to_new: Mapping2D, p: np.ndarray, w_px: float
                 ) -> np.ndarray | None:
    """Where the point landmark `p` (template px) lies in the new photo (px): the
    template's neighbourhood, warped by `to_new`, matched by normalised cross-correlation."""
    aff = _local_affine(to_new, p, 0.05 * w_px)
    q = aff[:2, :2] @ p + aff[:2, 2]
    sn = new.scale
    zoom = float(np.sqrt(abs(np.linalg.det(aff[:2, :2]))))
    half = max(4, round(PATCH * w_px * zoom / sn))
    reach = max(2, round(SEARCH * w_px * zoom / sn))
    qi = (q - np.asarray(new.origin)) / sn - 0.5  # q as a continuous index of new.gray
    ox, oy = qi - half
    # The patch's pixel (u, v) is the new image's (ox + u, oy + v), seen in the template.
    shift = np.array([[1, 0, ox], [0, 1, oy], [0, 0, 1.0]])
    a = (_full_to_idx(template.scale, template.origin) @ np.linalg.inv(aff)
         @ _idx_to_full(sn, new.origin) @ shift)[:2]
    size = 2 * half + 1
    patch = cv2.warpAffine(template.gray, a, (size, size),
                           flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                           borderMode=cv2.BORDER_REPLICATE)
    x0, y0 = round(qi[0]) - half - reach, round(qi[1]) - half - reach
    span = size + 2 * reach
    h, w = new.gray.shape
    if x0 < 0 or y0 < 0 or x0 + span > w or y0 + span > h:
        return None
    window = new.gray[y0:y0 + span, x0:x0 + span]
    if patch.std() < 1e-3 or window.std() < 1e-3:
        return None
    score = cv2.matchTemplate(window.astype(np.float32), patch.astype(np.float32),
                              cv2.TM_CCOEFF_NORMED)
    _, best, _, (bx, by) = cv2.minMaxLoc(score)
    if best < MIN_NCC:
        return None
    # The patch's best place, to a fraction of a pixel, against where the fit put it.
    dx = x0 + bx + _parabola(score, bx, by, axis=1) - ox
    dy = y0 + by + _parabola(score, bx, by, axis=0) - oy
    return cast(np.ndarray, q + np.array([dx, dy]) * sn)


def _parabola(score: np.ndarray, x: int, y: int, axis: int) -> float:
    """Sub-pixel offset of the peak at (x, y) along one axis (1: x, 0: y), -0.5..0.5."""
    i, n = (x, score.shape[1]) if axis == 1 else (y, score.shape[0])
    if i <= 0 or i >= n - 1:
        return 0.0
    if axis == 1:
        a, b, c = score[y, x - 1], score[y, x], score[y, x + 1]
    else:
        a, b, c = score[y - 1, x], score[y, x], score[y + 1, x]
    den = a - 2 * b + c
    return 0.0 if abs(den) < 1e-9 else float(np.clip(0.5 * (a - c) / den, -0.5, 0.5))


def _stretch(outline: np.ndarray, p: np.ndarray, reach: float) -> np.ndarray:
    """The outline points within `reach` of the outline point nearest `p`, along it."""
    i = int(np.argmin(np.linalg.norm(outline - p, axis=1)))
    seg = np.linalg.norm(np.diff(outline, axis=0, append=outline[:1]), axis=1)
    n = len(outline)
    keep = [i]
    for step in (1, -1):
        walked, k = 0.0, i
        while walked < reach and len(keep) < n:
            walked += seg[k if step == 1 else (k - 1) % n]
            k = (k + step) % n
            keep.append(k)
    return outline[sorted(set(keep))]


def _outward(outline: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Unit normal of the line a-b pointing away from the foot (its outline's centre)."""
    d = b - a
    n = np.array([d[1], -d[0]]) / (np.linalg.norm(d) + 1e-12)
    return cast(np.ndarray, n if (outline.mean(axis=0) - a) @ n < 0 else -n)


def _tangent(outline: np.ndarray, origin: np.ndarray, near: np.ndarray, reach: float
             ) -> np.ndarray:
    """The tangent point from `origin` to the outline around `near`: the point of the
    stretch whose direction from `origin` turns farthest away from the foot."""
    pts = _stretch(outline, near, reach)
    out = _outward(outline, origin, near)
    v = pts - origin
    d = (near - origin) / (np.linalg.norm(near - origin) + 1e-12)
    ang = np.arctan2(v @ out, v @ d)
    return cast(np.ndarray, pts[int(np.argmax(ang))])


def fit_rigid(src: np.ndarray, dst: np.ndarray, scale: float) -> Similarity:
    """Least-squares rotation and translation src -> dst at a given scale."""
    ms, md = src.mean(axis=0), dst.mean(axis=0)
    cov = (dst - md).T @ (src - ms)
    u, _, vt = np.linalg.svd(cov)
    fix = np.diag([1.0, np.sign(np.linalg.det(u @ vt)) or 1.0])
    rot = u @ fix @ vt
    t = md - scale * rot @ ms
    return Similarity(scale, float(np.degrees(np.arctan2(rot[1, 0], rot[0, 0]))),
                      float(t[0]), float(t[1]))


def icp_rigid(src: np.ndarray, dst: np.ndarray, start: Similarity, tol: float) -> Similarity:
    """Trimmed ICP keeping `start`'s scale (`tol`: as in icp)."""
    return icp(src, dst, start, tol, rigid=True)[0]


def _toe_outline(outline: np.ndarray, lm: dict[str, np.ndarray], tip: str, other: str,
                 reach: float) -> np.ndarray:
    """The outline of one toe: near its tip, and nearer it than its neighbour's tip."""
    if tip not in lm:
        return outline[:0]
    d = np.linalg.norm(outline - lm[tip], axis=1)
    keep = d <= reach
    if other in lm:
        keep &= d < np.linalg.norm(outline - lm[other], axis=1)
    return cast(np.ndarray, outline[keep])


def _behind_toes(outline: np.ndarray, lm: dict[str, np.ndarray], W: float) -> np.ndarray:
    """The outline of the body: farther than TOE_BEHIND W from every toe tip, and within
    FOREFOOT_REACH W of one."""
    tips = [lm[n] for n in ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip")
            if n in lm]
    if not tips:
        return outline
    d = np.min(np.linalg.norm(outline[:, None, :] - np.asarray(tips)[None], axis=2), axis=1)
    return cast(np.ndarray, outline[(d > TOE_BEHIND * W) & (d <= FOREFOOT_REACH * W)])


def _toe_tangent(t_out: np.ndarray, t_lm: dict[str, np.ndarray], n_out: np.ndarray,
                 body: Similarity, names: tuple[str, str, str], origin: np.ndarray,
                 reach: float, W: float) -> np.ndarray | None:
    """A toe's tangent landmark on the new outline: the toe's outline fitted on its own
    from the body's fit, then the tangent point from `origin` near where it put it."""
    tip, other, name = names
    toe = _toe_outline(t_out, t_lm, tip, other, reach * W)
    if name not in t_lm or len(toe) < 5:
        return None
    fit = icp_rigid(toe, n_out, body, SETTLED * W * body.scale)
    near = fit.apply(t_lm[name])[0]
    return _tangent(n_out, origin, near, ALONG * W * body.scale)


@dataclass
class _Fit:
    template: Shot
    residual: float  # W
    landmarks: dict[str, np.ndarray]  # new photo, full px
    matched: set[str] = field(default_factory=set)  # found in the image, not only fitted


def carry_one(template: Shot, new: Shot, only: frozenset[str] | None = None) -> _Fit | None:
    """Carry `template`'s landmarks onto `new`; None when the two cannot be registered.
    `only`: carry just these landmarks (the body's fit and the toes' tangents are then
    worked out only if one of theirs is asked for)."""
    if len(new.outline) < 10 or len(template.outline) < 10:
        return None
    floor = template.homography is not None and new.homography is not None
    tp, np_ = _Plane(template, floor), _Plane(new, floor)
    t_lm = {n: tp.to(p)[0] for n, p in template.landmarks.items()}
    n_lm = {n: np_.to(p)[0] for n, p in new.landmarks.items()}
    W = forefoot_width(t_lm)
    if W is None:
        return None
    start = coarse_fit(t_lm, n_lm, W)
    if start is None:
        return None
    t_out = _dense(tp.to(template.outline), 0.01 * W)
    n_out = _dense(np_.to(new.outline), 0.01 * W * start.scale)
    t, rms = icp(_near_tips(t_out, t_lm, W), n_out, start, SETTLED * W * start.scale)
    wanted = [n for n in template.landmarks if only is None or n in only]
    if all(n in POINT_LANDMARKS for n in wanted):
        body = t  # not used: no landmark of the body's is asked for
    else:
        body_pts = _behind_toes(t_out, t_lm, W)
        body = (icp_rigid(body_pts, n_out, t, SETTLED * W * t.scale) if len(body_pts) >= 10
                else t)

    def to_new(px: np.ndarray) -> np.ndarray:  # template px -> new px, through the fit
        return np_.back(t.apply(tp.to(px)))

    w_px = forefoot_width(template.landmarks) or W
    plane_lm: dict[str, np.ndarray] = {}
    matched: set[str] = set()
    for name in wanted:
        p = template.landmarks[name]
        if name in POINT_LANDMARKS:
            q = _match_point(template, new, to_new, np.asarray(p, float), w_px)
            plane_lm[name] = np_.to(q)[0] if q is not None else t.apply(t_lm[name])[0]
            if q is not None:
                matched.add(name)
        else:
            plane_lm[name] = body.apply(t_lm[name])[0]
    fine = _dense(np_.to(new.outline), 0.003 * W * t.scale)
    for names, origin, reach in ((("hallux_tip", "toe2_tip", "hallux_medial"), "mt1_medial",
                                  HALLUX_REACH),
                                 (("toe5_tip", "toe4_tip", "toe5_lateral"), "mt5_lateral",
                                  TOE5_REACH)):
        if origin in plane_lm and names[2] in plane_lm:
            q = _toe_tangent(t_out, t_lm, fine, body, names, plane_lm[origin], reach, W)
            if q is not None:
                plane_lm[names[2]] = q
    out = {n: np_.back(p)[0] for n, p in plane_lm.items()}
    return _Fit(template, rms / (W * t.scale), out, matched)


def carry(templates: list[Shot], new: Shot, only: frozenset[str] | None = None
          ) -> Carried | None:
    """Landmarks of `new` carried from the best-fitting templates (module note); `only`:
    just these landmarks."""
    fits = [f for f in (carry_one(t, new, only) for t in templates) if f is not None]
    if not fits:
        return None
    fits.sort(key=lambda f: f.residual)
    best = fits[:MAX_TEMPLATES]
    W_new = forefoot_width(best[0].landmarks) or forefoot_width(new.landmarks) or 1.0
    names = list(dict.fromkeys(n for f in best for n in f.landmarks))
    landmarks: dict[str, tuple[float, float]] = {}
    sources: dict[str, int | None] = {}
    spread: dict[str, float] = {}
    for name in names:
        pts = np.array([f.landmarks[name] for f in best if name in f.landmarks])
        med = np.median(pts, axis=0)
        landmarks[name] = (float(med[0]), float(med[1]))
        sources[name] = next(f.template.photo_id for f in best if name in f.landmarks)
        spread[name] = float(np.max(np.linalg.norm(pts - med, axis=1)) / W_new)
    matched = {n for n in names if 2 * sum(n in f.matched for f in best) > len(best)}
    out = Carried(landmarks, sources, best[0].residual, spread,
                  templates=[f.template.photo_id for f in best], matched=matched)
    if best[0].residual > MAX_RESIDUAL:
        out.doubts.append(
            f"the foot's outline matches the confirmed photos poorly ({best[0].residual:.3f} "
            "forefoot widths): check the carried landmarks")
    return out


def likeness(template: dict[str, np.ndarray], new: dict[str, np.ndarray]) -> float:
    """How unlike two photos' landmarks are once a similarity has aligned them (RMS of the
    landmarks the coarse fit agrees on, in the new photo's W; inf when they cannot be
    aligned). Cheap: no image is read, so every confirmed photo can be ranked by it and
    only the likest are registered (the toes' posture differs most between photos)."""
    W = forefoot_width(template)
    W_new = forefoot_width(new)
    if W is None or W_new is None:
        return float("inf")
    fit = coarse_fit(template, new, W)
    if fit is None:
        return float("inf")
    names = sorted(set(template) & set(new))
    d = np.linalg.norm(fit.apply(np.array([template[n] for n in names], float))
                       - np.array([new[n] for n in names], float), axis=1)
    return float(np.sqrt(np.mean(np.minimum(d, COARSE_TOL * W_new * 2) ** 2)) / W_new)
