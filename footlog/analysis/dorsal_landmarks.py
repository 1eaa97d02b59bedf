"""Dorsal landmarks in the canonical foot-aligned frame (docs/MEASURES.md, view `dorsal`;
the refined `midfoot_medial` is described in docs/DETECTOR.md).

The frame shows a right foot with the toes up: distal is -y, medial is -x, lateral +x.
The medial border is the leftmost foot pixel of each row, the lateral border the
rightmost. `mt1_medial`, `hallux_medial` and `midfoot_medial` are vertices of the convex
hull of the medial border (the two tangent lines from `mt1_medial` are hull edges), found
by alternating the two tangents and the hull vertex between them until they agree; the
lateral side likewise. Every window is a fraction of the forefoot width W (px), from foot
proportions, not from any one photo.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import numpy as np

from footlog.analysis.frame import Frame, row_extent
from footlog.analysis.proximal_line import (
    ProximalLine,
    heel_tangent,
    long_axis,
    metatarsal_fit,
    refined_window,
)
from footlog.analysis.toes import ToeRow

# Window of `midfoot_medial`, measured along the axis from `mt1_medial` (W): the medial
# border of the midfoot, from behind the first metatarsal head to the navicular region.
# In the test photos (person photographing their own standing foot) the leg hides the
# medial border from 0.8-2.1 W behind mt1_medial (median ~1.6 W), so a window that ends
# at 1.2 W is fully visible on most photos; it starts at 0.4 W so that the first
# metatarsal head's own bulge never serves as the reference line.
MIDFOOT_WINDOW = (0.4, 1.2)
MIDFOOT_MIN_SEEN = 0.8  # less visible border than this behind mt1_medial (W): review
# mt1_medial lies within this (W) proximal of the 1-2 web level; in the reference photos
# it lies 0.23-0.37 W behind the web, 0.67-0.82 W behind the hallux tip.
MT1_REACH = 0.55
MT1_START = 0.3  # first guess (W behind the web) before the hull iteration
LEG_TURN_DEG = 30.0  # the medial border turning medially by more than this: the leg
TOE5_ROWS = 0.3  # the little toe's lateral outline spans this (W) proximal of its tip
# mt5_lateral: the fifth metatarsal head lies proximal to the 4-5 web, under the web's
# skin fold and the proximal phalanx's base: the band searched runs from MT5_BAND[0] to
# MT5_BAND[1] W proximal of the web. On the reference photos the head lies 0.33-0.56 W
# behind the little toe's tip and the web 0.2-0.33 W behind it (the little toe's
# phalanges), so the head lies ~0.05-0.35 W behind the web; the band starts 0.1 W behind
# it (the web's skin fold and the base of the little toe bulge laterally too) and ends
# 0.5 W behind it, off the shaft of the fifth metatarsal, where the border goes on
# widening toward the midfoot (up to 1.0 W, dorsal-0.4, the point slid proximally
# along it). The search starts in the band's middle (0.3 W).
MT5_BAND = (0.1, 0.5)
# Where the 4-5 web lies: at the 4-5 notch of the toe row, but never less than this far
# (W) behind the tip of the row's last visible toe (a lesser toe's phalanges are 0.2-0.33
# W long from tip to web; a notch between touching toes lies near their tips).
WEB_BEHIND_TIP = 0.2
ITERATIONS = 5
TANGENT_TOL_PX = 0.75  # points this close to a tangent line (working px) touch it
# Toe tangent points nearer than this (W) to the metatarsal head are not candidates: in
# the reference photos they lie 0.18-0.63 W from it.
TOE_REACH = 0.15
BORDER_SIGMA = 0.012  # (W) smoothing of the lateral border along the rows
# (W) the rows over which a turn of the medial border toward the leg is measured: a
# sustained turn, not a wrinkle of the outline.
LEG_TURN_SPAN = 0.1
# (W) where the 1-2 web is assumed when no cleft shows: hallux proportions put it about this
# far behind the hallux tip.
WEB_BEHIND_HALLUX = 0.35
# (W) the lateral border's point nearest this far behind the 4-5 web starts the search for
# mt5_lateral (the hull iteration then moves it to the head's bulge).
MT5_START = 0.3
TOE_LINE_GAP = 0.05  # (W) the little toe's outline is taken this far distal of the head
# (W) the rows behind mt5_lateral whose tangent defines the lateral border of the foot.
MT5_BACK = (0.25, 1.0)
# (W) a midfoot tangent point this close to where the leg cuts the border lies at the cut:
# the line would have gone on had the outline not stopped.
AT_THE_CUT = 0.03


@dataclass
class DorsalGeometry:
    """Landmarks (canonical frame px) plus what the quality checks need to know."""

    landmarks: dict[str, np.ndarray] = field(default_factory=dict)
    midfoot_short: bool = False  # the visible medial border ends before the window
    leg_cut_at: float | None = None  # W proximal of mt1 where the leg hides the border
    # The page's or the photo's edge hides part of the lateral border in the band where
    # the fifth metatarsal head is sought: its most lateral point may be out of sight.
    lateral_cut: bool = False
    # The foot's own borders (x per row, NaN unseen; rows where it is the foot's outline,
    # not the leg's or an edge), for the candidate proximal lines (proximal_line).
    medial_x: np.ndarray | None = None
    medial_ok: np.ndarray | None = None
    lateral_x: np.ndarray | None = None
    lateral_ok: np.ndarray | None = None
    outline_right: np.ndarray | None = None  # lateral extent of every row, leg included
    # Every candidate proximal line the borders allow, and the one the hallux angle uses
    # ("heel_tangent", or the fallback "refined_window"; None without either).
    candidates: dict[str, ProximalLine] = field(default_factory=dict)
    proximal_line: str | None = None
    warnings: list[str] = field(default_factory=list)


def _smooth(xs: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian smoothing of a border (x per row) over its finite rows only.

    The row extent is a pixel staircase: on a border a few degrees off the axis the
    tangent from a nearby landmark would pick a stair corner; smoothing over ~1.5 % W
    turns the staircase into the straight line it samples, and keeps real corners.
    """
    ok = np.isfinite(xs)
    r = max(1, int(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    num = np.convolve(np.where(ok, xs, 0.0), k, mode="same")
    den = np.convolve(ok.astype(float), k, mode="same")
    return np.where(ok, num / np.maximum(den, 1e-9), np.nan)


def _border(fr: Frame, lateral: bool, W: float) -> tuple[np.ndarray, np.ndarray]:
    """x of the medial (or lateral) border of each row and whether it is a skin edge."""
    left, right = row_extent(fr.mask)
    # Only the lateral border: its tangents span short baselines within a few degrees of
    # the axis, where the staircase matters most (smoothing the medial one cost accuracy).
    xs = _smooth(right, max(0.7, BORDER_SIGMA * W)) if lateral else left
    ok = np.isfinite(xs)
    ys = np.nonzero(ok)[0]
    valid = np.zeros(len(xs), bool)
    xi = xs[ok].astype(int)
    # A border pixel next to the frame or the paper edge is not the foot's own outline.
    near = fr.valid[ys, np.clip(xi, 0, fr.mask.shape[1] - 1)] > 0
    valid[ys] = near
    return xs, valid


def _tangent(origin: np.ndarray, pts: np.ndarray, down: bool, lat: float,
             min_reach: float = 0.0) -> int:
    """Index of the tangent point in `pts` seen from `origin`: the point whose direction
    from `origin` (up or down the axis) is turned farthest outward (lat = -1 medial,
    +1 lateral)."""
    v = pts - origin
    along = v[:, 1] if down else -v[:, 1]
    ang = np.arctan2(lat * v[:, 0], along)
    # Seen from close by, a fraction of a pixel of outline noise is a large angle: points
    # nearer than `min_reach` (px) are not candidates (unless nothing else is left).
    dist = np.linalg.norm(v, axis=1)
    far = dist >= min_reach
    best = int(np.argmax(np.where(far, ang, -np.inf))) if far.any() else int(np.argmax(ang))
    # On a straight stretch of outline every point touches the line within the pixel
    # staircase: take the farthest of them (the far end of the hull edge), whose longer
    # baseline makes the direction least sensitive to a pixel of noise.
    u = v[best] / (np.linalg.norm(v[best]) + 1e-9)
    off = np.abs(v[:, 0] * u[1] - v[:, 1] * u[0])
    touching = off <= TANGENT_TOL_PX
    return int(np.argmax(np.where(touching, dist, -1.0)))


def _apex(pts: np.ndarray, a: np.ndarray, b: np.ndarray, lat: float) -> int:
    """Index of the point of `pts` farthest outward (lat sign) from the line a-b."""
    t = b - a
    n = np.array([t[1], -t[0]]) / (np.linalg.norm(t) + 1e-9)
    if n[0] * lat < 0:
        n = -n
    return int(np.argmax((pts - a) @ n))


def _leg_cut(xs: np.ndarray, valid: np.ndarray, y_from: int, y_turn: int, W: float) -> int:
    """Last row (>= y_from) where the medial border is still the foot's own: before a
    gap, the frame or paper edge, or (from row y_turn on, past the first metatarsal head,
    which itself bulges medially) a sustained turn medially: the ankle and the leg coming
    over the outline."""
    k = max(3, round(LEG_TURN_SPAN * W))
    limit = np.tan(np.radians(LEG_TURN_DEG))
    y = y_from
    n = len(xs)
    while y + 1 < n:
        if not np.isfinite(xs[y + 1]) or not valid[y + 1]:
            return y
        # Medial is -x: going proximally, x falling faster than the limit.
        if (y >= y_turn and y + k < n and np.isfinite(xs[y + k])
                and (xs[y] - xs[y + k]) / k > limit):
            return y
        y += 1
    return y


def medial_landmarks(fr: Frame, row: ToeRow, W: float, g: DorsalGeometry) -> None:
    """mt1_medial, hallux_medial and midfoot_medial into `g` (canonical frame px)."""
    xs, valid = _border(fr, lateral=False, W=W)
    hallux = row.tips[0]
    if hallux is None:
        g.warnings.append("the big toe could not be found")
        return
    hy = int(hallux[1])
    web = row.cleft12 if row.cleft12 is not None else row.clefts[0]
    if web is not None:
        y_web = int(web[1])
    else:
        y_web = int(hy + WEB_BEHIND_HALLUX * W)
        g.warnings.append("the web between the big toe and the second toe is not clear")
    rows = np.arange(len(xs))
    pts = np.stack([xs, rows], axis=1)
    hal = valid & (rows >= hy) & (rows <= y_web)
    if hal.sum() < 3:
        g.warnings.append("the medial outline of the big toe is not visible")
        return
    y_end = _leg_cut(xs, valid, y_web, int(y_web + MT1_REACH * W), W)
    mt1_rows = valid & (rows > y_web) & (rows <= min(y_end, y_web + MT1_REACH * W))
    if mt1_rows.sum() < 3:
        g.warnings.append("the medial border of the forefoot is not visible")
        return
    hal_pts, mt1_pts = pts[hal], pts[mt1_rows]
    # Start at the usual place: the border may run medially all the way to the leg, so
    # its most medial point is not the metatarsal head; the hull iteration finds it.
    mt1 = mt1_pts[int(np.argmin(np.abs(mt1_pts[:, 1] - (y_web + MT1_START * W))))]
    hm = mm = None
    for _ in range(ITERATIONS):
        hm = hal_pts[_tangent(mt1, hal_pts, down=False, lat=-1.0, min_reach=TOE_REACH * W)]
        lo, hi = mt1[1] + MIDFOOT_WINDOW[0] * W, mt1[1] + MIDFOOT_WINDOW[1] * W
        mid = valid & (rows >= lo) & (rows <= min(hi, y_end))
        if mid.sum() < 3:
            mm = None
            break
        mid_pts = pts[mid]
        mm = mid_pts[_tangent(mt1, mid_pts, down=True, lat=-1.0)]
        new = mt1_pts[_apex(mt1_pts, mm, hm, lat=-1.0)]
        if np.array_equal(new, mt1):
            break
        mt1 = new
    assert hm is not None  # the loop above runs at least once
    g.leg_cut_at = float((y_end - mt1[1]) / W)
    g.medial_x, g.medial_ok = xs, valid & (rows <= y_end)
    if mm is None:
        g.midfoot_short = True
        g.warnings.append(
            "the medial border of the midfoot is hidden (by the leg or the photo's edge) "
            f"from {g.leg_cut_at:.1f} forefoot widths behind the big toe joint: "
            "no hallux angle")
        g.landmarks.update(mt1_medial=mt1, hallux_medial=hm)
        return
    g.midfoot_short = y_end < mt1[1] + MIDFOOT_MIN_SEEN * W
    if y_end < mt1[1] + MIDFOOT_WINDOW[1] * W and mm[1] >= y_end - AT_THE_CUT * W:
        # The tangent still wanted to go on where the outline stops: the reference line
        # depends on where the leg happens to cross.
        g.midfoot_short = True
    g.landmarks.update(mt1_medial=mt1, hallux_medial=hm, midfoot_medial=mm)


def web45_level(row: ToeRow, W: float) -> float | None:
    """Row (frame px) of the 4-5 web: the 4-5 notch, at least WEB_BEHIND_TIP W behind the
    row's last visible toe tip (toe 5, or toe 4 when the little toe does not show)."""
    last = row.tips[3] if row.four else row.tips[4]
    if last is None:
        return None
    notch = row.clefts[2] if row.four else row.clefts[3]
    y = last[1] + WEB_BEHIND_TIP * W
    return y if notch is None else max(y, notch[1])


def lateral_landmarks(fr: Frame, row: ToeRow, W: float, g: DorsalGeometry) -> None:
    """mt5_lateral and toe5_lateral into `g` (canonical frame px).

    mt5_lateral is the most lateral point of the outline in the band MT5_BAND proximal to
    the 4-5 web: the hull vertex between the lateral border behind it and the little
    toe's lateral edge (or, with four toes showing, the border at the web), never on a toe.
    toe5_lateral is left out when the little toe does not show apart from the fourth.
    """
    t5 = row.tips[4]
    y45 = web45_level(row, W) if (row.four or row.clefts[3] is not None) else None
    if y45 is None:
        # Without the 4-5 cleft the last piece may be toes 3-5 together: its outline is
        # not the little toe's, and a toe splay from it would be confidently wrong.
        g.warnings.append("the little toe could not be isolated: no toe splay")
        return
    xs, valid = _border(fr, lateral=True, W=W)
    rows = np.arange(len(xs))
    # The lateral border is the foot's own until the leg turns it laterally (+x): the
    # medial rule of _leg_cut on the mirrored border.
    y_from = int(y45)
    if 0 <= y_from < len(xs) and valid[y_from]:
        y_lat_end = _leg_cut(-xs, valid, y_from, int(y45 + MT5_BAND[1] * W), W)
        g.lateral_x, g.lateral_ok = xs, valid & (rows <= y_lat_end)
    pts = np.stack([xs, rows], axis=1)
    band = (rows >= y45 + MT5_BAND[0] * W) & (rows <= y45 + MT5_BAND[1] * W)
    win = valid & band
    g.lateral_cut = bool((band & np.isfinite(xs) & ~valid).any())
    if win.sum() < 3:
        g.warnings.append("the lateral border of the forefoot is not visible")
        return
    win_pts = pts[win]
    if t5 is None:
        toe_pts = np.empty((0, 2))
    else:
        toe = valid & (rows >= t5[1]) & (rows <= t5[1] + TOE5_ROWS * W)
        toe_pts = pts[toe]
    at_web = pts[valid & (rows <= y45)]
    mt5 = win_pts[int(np.argmin(np.abs(win_pts[:, 1] - (y45 + MT5_START * W))))]

    def toe_line(mt5: np.ndarray) -> np.ndarray:
        # The little toe's outline distal to the metatarsal head only.
        above = toe_pts[toe_pts[:, 1] < mt5[1] - TOE_LINE_GAP * W]
        if not len(above):
            return mt5
        tangent = _tangent(mt5, above, down=False, lat=1.0, min_reach=TOE_REACH * W)
        return cast(np.ndarray, above[tangent])

    def distal_end(mt5: np.ndarray) -> np.ndarray:
        # What the head's hull edge runs to distally: the little toe's lateral edge, or
        # (with the little toe not showing) the border at the 4-5 web.
        if t5 is not None:
            return toe_line(mt5)
        return at_web[-1] if len(at_web) else mt5

    for _ in range(ITERATIONS):
        end = distal_end(mt5)
        back = valid & (rows >= mt5[1] + MT5_BACK[0] * W) & (rows <= mt5[1] + MT5_BACK[1] * W)
        if back.sum() < 3 or np.array_equal(end, mt5):
            break
        back_pts = pts[back]
        lm = back_pts[_tangent(mt5, back_pts, down=True, lat=1.0)]
        new = win_pts[_apex(win_pts, lm, end, lat=1.0)]
        if np.array_equal(new, mt5):
            break
        mt5 = new
    g.landmarks["mt5_lateral"] = mt5
    if t5 is None:
        return  # four toes: the toe row has said why the little toe's points are left out
    t5l = toe_line(mt5)
    if np.array_equal(t5l, mt5):
        g.warnings.append("the little toe's outline is not visible: no toe splay")
        return
    g.landmarks["toe5_lateral"] = t5l


def find_landmarks(fr: Frame, row: ToeRow, W: float) -> DorsalGeometry:
    """All dorsal landmarks of a canonical frame that can be found, in frame px."""
    g = DorsalGeometry(outline_right=row_extent(fr.mask)[1])
    names = ["hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip"]
    for name, t in zip(names, row.tips, strict=True):
        if t is not None:
            g.landmarks[name] = np.asarray(t, float)
    if row.cleft12 is not None:
        g.landmarks["cleft12"] = np.asarray(row.cleft12, float)
    medial_landmarks(fr, row, W, g)
    lateral_landmarks(fr, row, W, g)
    choose_proximal_line(g, W)
    return g


# Said whenever the hallux angle rests on the fallback line (docs/MEASURES.md).
FALLBACK_WARNING = (
    "the heel is not in view: the hallux angle is drawn from the inner edge of the midfoot "
    "instead of from the heel (compare it only with photos measured the same way); for "
    "the heel line, photograph the whole foot on the paper")


def choose_proximal_line(g: DorsalGeometry, W: float) -> None:
    """The hallux angle's proximal line (docs/MEASURES.md): the tangent from `mt1_medial`
    to the heel's medial border when the heel is seen (the clinical line), its contact
    becoming `midfoot_medial`; otherwise the refined window's `midfoot_medial`, which the
    warnings call a fallback."""
    g.candidates = proximal_lines(g, W)
    heel = g.candidates.get("heel_tangent")
    if heel is not None:
        g.landmarks["midfoot_medial"] = heel.proximal
        g.proximal_line = heel.name
        g.midfoot_short = False  # the line reaches the heel: nothing of it is cut short
    elif "midfoot_medial" in g.landmarks:
        g.proximal_line = "refined_window"
        g.warnings.append(FALLBACK_WARNING)


def proximal_lines(g: DorsalGeometry, W: float) -> dict[str, ProximalLine]:
    """Every candidate proximal line of the hallux angle that the borders allow (frame
    px; benchmarks/proximal_line.py compares them)."""
    lm = g.landmarks
    mt1 = lm.get("mt1_medial")
    if mt1 is None or g.medial_x is None or g.medial_ok is None or g.outline_right is None:
        return {}
    lines = [heel_tangent(g.medial_x, g.medial_ok, g.outline_right, mt1, W),
             metatarsal_fit(g.medial_x, g.medial_ok, mt1, W),
             refined_window(lm.get("midfoot_medial"), mt1)]
    if "mt5_lateral" in lm and g.lateral_x is not None and g.lateral_ok is not None:
        lines.append(long_axis(g.medial_x, g.medial_ok, g.lateral_x, g.lateral_ok, mt1,
                               lm["mt5_lateral"], W))
    return {ln.name: ln for ln in lines if ln is not None}
