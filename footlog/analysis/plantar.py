"""Automatic plantar-view detector: footprint or podoscope image -> landmarks, indices.

Pipeline (working image of WORK_SIDE px on the long side):
1. plantar_shape.find_shape: the print (colour far from the border's ground), toes cut off
   (separate blobs, or thin bridges across the sulcus), axis heel centre -> second toe;
2. stations: the toeless print cut into 1-px slices across the axis; per slice its medial and
   lateral extremes; thirds along the axis;
3. widths (widest forefoot, narrowest midfoot, widest heel) and Clarke's construction on the
   medial border; the medial side is the one with the arch's concavity;
4. the print outline and all these points are stored as landmarks
   (footlog.domain.arch_measures), so a recompute from landmarks gives every index;
5. doubt: no toes, few toes, weak contrast, the print touching the frame.
"""

from __future__ import annotations

import itertools
import time
from typing import Any, cast

import cv2
import numpy as np

from footlog.analysis.plantar_shape import find_shape
from footlog.analysis.working_image import to_full, working_image
from footlog.domain.arch_measures import plantar_measures
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View

DETECTOR_VERSION = "plantar-0.1"
WORK_SIDE = 640  # px; a print ~400 px long, 1 px ~ 0.25 % of its length
POLY_EPS = 0.4  # px of the working image: outline simplification, well under a pixel




def _stations(toeless: np.ndarray, heel: np.ndarray, fwd: np.ndarray) -> dict[str, Any]:
    """Per 1-px slice across the axis: its position a (from the heel centre) and the c extent
    (c across the axis, +c to the right of the axis when it points up in the photo)."""
    ys, xs = np.nonzero(toeless)
    pts = np.stack([xs + 0.0, ys + 0.0], 1) - heel
    across = np.array([-fwd[1], fwd[0]])
    a, c = pts @ fwd, pts @ across
    lo = float(a.min())
    idx = np.floor(a - lo).astype(int)
    n = int(idx.max()) + 1
    cmin = np.full(n, np.inf)
    cmax = np.full(n, -np.inf)
    np.minimum.at(cmin, idx, c - 0.5)
    np.maximum.at(cmax, idx, c + 0.5)
    return {"a": lo + np.arange(n) + 0.5, "cmin": cmin, "cmax": cmax, "across": across,
            "lo": lo, "hi": float(a.max()) + 0.5}


def _depth(edge: np.ndarray, n: int) -> float:
    """How far the middle third of an outer edge (larger = outward) lies inside the line
    joining the rear and front thirds' outermost points."""
    t1, t2 = n // 3, 2 * n // 3
    i0 = int(np.argmax(np.where(np.isfinite(edge[:t1]), edge[:t1], -np.inf)))
    i1 = t2 + int(np.argmax(np.where(np.isfinite(edge[t2:]), edge[t2:], -np.inf)))
    mid = np.arange(t1, t2)
    line = edge[i0] + (edge[i1] - edge[i0]) * (mid - i0) / max(i1 - i0, 1)
    inner = np.where(np.isfinite(edge[mid]), edge[mid], line - 1e3)
    return float((line - inner).max())


def _clarke(a: np.ndarray, med: np.ndarray) -> tuple[int, int, int] | None:
    """Indices (fore, heel, arch) of Clarke's construction on the medial edge `med` (larger =
    more medial): the tangent touching the front and rear thirds, the deepest point between."""
    n = len(a)
    ok = np.flatnonzero(np.isfinite(med))
    if len(ok) < 5:
        return None
    # Upper hull of (a, med) by monotone chain; its edge spanning mid-foot is the tangent.
    hull: list[int] = []
    for i in ok:
        while len(hull) >= 2:
            o, p = hull[-2], hull[-1]
            cross = (a[p] - a[o]) * (med[i] - med[o]) - (med[p] - med[o]) * (a[i] - a[o])
            if cross < 0:
                break
            hull.pop()
        hull.append(int(i))
    mid = n // 2
    for h0, h1 in itertools.pairwise(hull):
        if h0 <= mid <= h1:
            seg = np.arange(h0 + 1, h1)
            seg = seg[np.isfinite(med[seg])]
            if len(seg) == 0:
                return None
            line = med[h0] + (med[h1] - med[h0]) * (a[seg] - a[h0]) / (a[h1] - a[h0])
            deep = int(seg[np.argmax(line - med[seg])])
            return h1, h0, deep
    return None


def measure_plantar(
    image_rgb_reduced: np.ndarray, scale_to_full: float, foot_hint: Foot = Foot.UNKNOWN
) -> MeasureResult:
    """Measure a footprint (ink or wet print on paper) or a podoscope image of the sole.

    image_rgb_reduced: upright RGB uint8 image, any size. scale_to_full: full-resolution
    pixels per pixel of it. foot_hint: the side the person said; without it the side is read
    as for a print seen from above (big toe on the left of the axis = right foot).
    """
    t0 = time.perf_counter()
    res = MeasureResult(View.PLANTAR, foot_hint, Status.FAILED, detector_version=DETECTOR_VERSION)
    img, f = working_image(image_rgb_reduced, scale_to_full, WORK_SIDE)
    shape = find_shape(img)
    if shape is None:
        res.warnings.append("no footprint found")
        return res.finished(t0)
    res.warnings += shape.warnings
    status = Status.OK if shape.axis_from_toes and len(shape.toes) >= 4 else Status.REVIEW
    heel, toe2 = shape.heel_centre, shape.toe2
    fwd = (toe2 - heel) / max(float(np.hypot(*(toe2 - heel))), 1e-9)
    st = _stations(shape.toeless, heel, fwd)
    a, cmin, cmax, across = st["a"], st["cmin"], st["cmax"], st["across"]
    n = len(a)
    # Medial = the side whose middle third is hollowed by the arch.
    med_sign = 1.0 if _depth(cmax, n) > _depth(-cmin, n) else -1.0
    med_edge = cmax if med_sign > 0 else -cmin  # larger = more medial
    lat_edge = cmin if med_sign > 0 else -cmax

    def point(i: int, c: float) -> np.ndarray:
        return cast(np.ndarray, heel + a[i] * fwd + c * across)

    width = np.where(np.isfinite(cmin), cmax - cmin, 0.0)
    t1, t2 = n // 3, 2 * n // 3
    lm: dict[str, np.ndarray] = {"heel_centre": heel, "toe2": toe2}
    for name, sl, pick in (("heel", slice(0, t1), np.argmax), ("fore", slice(t2, n), np.argmax),
                           ("mid", slice(t1, t2), np.argmin)):
        i = sl.start + int(pick(width[sl]))
        if np.isfinite(cmin[i]):
            lm[f"{name}_medial"] = point(i, med_sign * med_edge[i])
            lm[f"{name}_lateral"] = point(i, med_sign * lat_edge[i])
        else:  # no contact at all in this slice (high arch): a zero width on the axis
            lm[f"{name}_medial"] = lm[f"{name}_lateral"] = point(i, 0.0)
    cl = _clarke(a, med_edge)
    if cl is not None:
        for name, i in zip(("clarke_fore", "clarke_heel", "clarke_arch"), cl, strict=True):
            lm[name] = point(i, med_sign * med_edge[i])
    else:
        res.warnings.append("the medial border is too broken for Clarke's angle")
        status = Status.REVIEW
    contours, _ = cv2.findContours(shape.toeless, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    polys = [_outline_polygon(c) for c in contours if cv2.contourArea(c) > 20]
    from footlog.domain.arch_measures import join_polygons

    poly = join_polygons(polys)
    res.landmarks = {k_: to_full(v, f) for k_, v in lm.items()}
    for i, p in enumerate(poly):
        res.landmarks[f"print_{i:03d}"] = to_full(p, f)
    res.measures = plantar_measures(res.landmarks)
    # Seen from above with the toes up, +c is to the right of the axis: a medial side on
    # the left (c < 0) is a right foot.
    side = Foot.RIGHT if med_sign < 0 else Foot.LEFT
    if foot_hint == Foot.UNKNOWN:
        res.foot = side
    elif foot_hint != side:
        res.warnings.append(f"seen from above this print is a {side} foot; taken as the"
                            f" {foot_hint} foot as given (a podoscope shows the sole mirrored)")
    _extras(res, st, heel, fwd, f, t1, t2, shape)
    if shape.contrast < 3.0:
        res.warnings.append("the print is faint against the paper: the outline may be wrong")
        status = Status.REVIEW
    ys, xs = np.nonzero(shape.toeless)
    hh, ww = shape.toeless.shape
    if xs.min() <= 1 or ys.min() <= 1 or xs.max() >= ww - 2 or ys.max() >= hh - 2:
        res.warnings.append("the print touches the edge of the photo: part of it may be cut off")
        status = Status.REVIEW
    res.status = status if "arch_index" in res.measures else Status.FAILED
    return res.finished(t0)


def _outline_polygon(contour: np.ndarray) -> np.ndarray:
    """The contour (through boundary pixel centres) pushed out by half a pixel, so that its
    area matches the pixel count, then simplified well under a pixel."""
    c = contour.reshape(-1, 2).astype(np.float64)
    nxt, prv = np.roll(c, -1, axis=0), np.roll(c, 1, axis=0)
    t = nxt - prv
    normal = np.stack([t[:, 1], -t[:, 0]], 1)
    normal /= np.maximum(np.hypot(normal[:, 0], normal[:, 1]), 1e-9)[:, None]
    # OpenCV's outer contours run counter-clockwise on screen (y down): the outward normal
    # is (ty, -tx); check with the area sign and flip when needed.
    signed = 0.5 * float(c[:, 0] @ nxt[:, 1] - c[:, 1] @ nxt[:, 0])
    if signed < 0:
        normal = -normal
    out = c + 0.5 * normal
    approx = cv2.approxPolyDP(out.astype(np.float32).reshape(-1, 1, 2), POLY_EPS, True)
    return approx.reshape(-1, 2).astype(np.float64)


def _extras(res: MeasureResult, st: dict[str, Any], heel: np.ndarray, fwd: np.ndarray,
            f: float, t1: int, t2: int, shape: Any) -> None:
    """Drawable geometry for the editor: axis, thirds boundaries, toes."""
    across = st["across"]
    cext = float(np.nanmax(np.abs(np.concatenate([st["cmin"][np.isfinite(st["cmin"])],
                                                  st["cmax"][np.isfinite(st["cmax"])]]))))
    lines = []
    for a_ in (st["lo"], st["lo"] + (st["hi"] - st["lo"]) / 3,
               st["lo"] + 2 * (st["hi"] - st["lo"]) / 3, st["hi"]):
        p0, p1 = heel + a_ * fwd - cext * across, heel + a_ * fwd + cext * across
        lines.append([to_full(p0, f), to_full(p1, f)])
    res.extras["plantar"] = {
        "axis": [res.landmarks["heel_centre"], res.landmarks["toe2"]],
        "thirds_lines": lines,
        "toes": [to_full(t[:2], f) for t in shape.toes],
        "contrast": shape.contrast,
    }
    res.outline = [v for k, v in res.landmarks.items() if k.startswith("print_")]


