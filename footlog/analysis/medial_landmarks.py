"""Medial landmarks from a side silhouette: floor line, heel, toe, ball, arch apex, dorsum.

Everything is done in the *floor frame*: s along the floor line from the heel toward the
toes, h up from the floor line (both in working-image px). The floor line is the bitangent
under the heel and the ball (the lower convex hull of the plantar profile), so a camera that
is rolled or slightly above the floor only tilts the line, and every landmark follows.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import cast

import numpy as np

BALL_ZONE = (0.55, 0.85)  # first metatarsal head, fraction of foot length from the heel
HEEL_ZONE = 0.35  # the heel contact lies within this fraction of foot length
HEEL_BAND = (0.03, 0.25)  # heights (fraction of length) where heel_back is looked for
LEG_BAND = (0.15, 0.25)  # heights where the leg line behind a bumpless heel is fitted
JUNCTION_DEG = 10.0  # the heel curve ends where the outline turns within this of the leg
TOE_BAND = 0.30  # the toe tip lies below this height (fraction of length)


@dataclass
class FloorFrame:
    """Origin (heel contact), unit floor direction u (heel -> toe), unit up normal n."""

    origin: np.ndarray
    u: np.ndarray
    n: np.ndarray

    def to_sh(self, p: np.ndarray) -> np.ndarray:
        q = np.asarray(p, float).reshape(-1, 2) - self.origin
        return np.stack([q @ self.u, q @ self.n], axis=1)

    def to_xy(self, sh: np.ndarray) -> np.ndarray:
        q = np.asarray(sh, float).reshape(-1, 2)
        return cast(np.ndarray, self.origin + q[:, :1] * self.u + q[:, 1:2] * self.n)


@dataclass
class MedialFit:
    """Landmarks in working-image px, the frame, and the reasons for doubt."""

    landmarks: dict[str, np.ndarray]
    frame: FloorFrame
    length: float  # heel_back -> toe_tip along the floor (px)
    tilt_deg: float  # floor line angle in the photo, 0 = horizontal
    warnings: list[str] = field(default_factory=list)
    doubt: bool = False


def lower_hull(pts: np.ndarray) -> np.ndarray:
    """Indices of the lower convex hull of points sorted by x (image y down: the hull seen
    from below, i.e. the largest y), left to right (monotone chain)."""
    hull: list[int] = []
    # Python floats (IEEE doubles, as numpy's float64): the same crosses, several times
    # faster than indexing numpy scalars in this loop.
    xy = np.asarray(pts, np.float64)[:, :2].tolist()
    for i in range(len(xy)):
        while len(hull) >= 2:
            o, a, b = xy[hull[-2]], xy[hull[-1]], xy[i]
            cross = (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
            if cross < 0:  # a lies below the chord o-b (y down): a hull vertex; collinear: not
                break
            hull.pop()
        hull.append(i)
    return np.asarray(hull)


def _frame_from(p: np.ndarray, q: np.ndarray, toes_right: bool) -> FloorFrame:
    """Frame with origin p, u along p->q oriented toward the toes, n pointing up."""
    u = (q - p) / max(float(np.hypot(*(q - p))), 1e-9)
    if (u[0] > 0) != toes_right:
        u = -u
    n = np.array([u[1], -u[0]])
    if n[1] > 0:
        n = -n
    return FloorFrame(p.astype(float), u, n)


def floor_bitangent(profile: np.ndarray, lo: float, hi: float, mid: float
                    ) -> tuple[int, int] | None:
    """Indices into `profile` (N x 2, x-sorted, image coords) of the lower-hull edge that
    spans x = `mid`, using only points with lo <= x <= hi."""
    sel = np.flatnonzero((profile[:, 0] >= lo) & (profile[:, 0] <= hi))
    if len(sel) < 3:
        return None
    hull = sel[lower_hull(profile[sel])]
    for a, b in itertools.pairwise(hull):
        if profile[a, 0] <= mid <= profile[b, 0]:
            return int(a), int(b)
    return None


def _heel_back(sh: np.ndarray, back: np.ndarray, length: float) -> tuple[np.ndarray, bool]:
    """Most posterior point of the heel's convexity.

    sh: outline points in the floor frame; back: their posteriority (px, larger = further
    back) along the image horizontal. The image horizontal, not the floor line, because a
    floor line tilted by perspective (camera a little above the floor) leaves world verticals
    vertical in the photo, and the outline's posterior extreme is where its tangent is the
    image of a vertical. The leg above the heel may lean further back, so the first local
    extreme going up from the floor is taken; True when there is none (heel_back a guess)."""
    lo, hi = HEEL_BAND[0] * length, HEEL_BAND[1] * length
    sel = (sh[:, 1] >= 0) & (sh[:, 1] <= hi + 0.1 * length)
    band, bk = sh[sel], back[sel]
    if len(band) == 0:
        i = int(np.argmax(back))
        return sh[i], True
    step = max(1.0, length / 150)
    bins = np.arange(0, hi + 0.1 * length + step, step)
    idx = np.digitize(band[:, 1], bins)
    bmax = np.full(len(bins) + 1, -np.inf)
    np.maximum.at(bmax, idx, bk)
    # Heights with no outline point are filled from their neighbours (working-image px are
    # coarser than the bins near the heel's vertical back).
    ok = np.isfinite(bmax)
    bmax = np.interp(np.arange(len(bmax)), np.flatnonzero(ok), bmax[ok])
    k = np.convolve(bmax, np.ones(3) / 3, mode="same")
    top = int(np.searchsorted(bins, hi))
    start = max(1, int(np.searchsorted(bins, lo)))
    w = max(2, int(0.04 * length / step))
    w2 = max(3, int(0.1 * length / step))
    for i in range(start, top):
        # A bump: as far back as anything within 0.04 L below and 0.1 L above it, and the
        # outline above comes forward again by at least 0.5 % of the length.
        near = k[max(0, i - w) : i + 1 + w2]
        if k[i] >= near.max() - 1e-6 and k[i] - k[i + 1 : i + 1 + w2].min() > 0.005 * length:
            j = np.flatnonzero(idx == i)
            j = j if len(j) else np.arange(len(band))
            return band[j[np.argmax(bk[j])]], False
    # No bump: the back of the heel runs into the leg. heel_back is where the heel's curve
    # meets the leg's line: the lowest height from which the outline keeps within
    # JUNCTION_DEG of the direction of its upper part (LEG_BAND).
    junction = _junction(k, step, length, start, top)
    sel_j = np.flatnonzero(idx == junction)
    if len(sel_j):
        return band[sel_j[np.argmax(bk[sel_j])]], True
    lim = np.flatnonzero((band[:, 1] >= lo) & (band[:, 1] <= hi))
    lim = lim if len(lim) else np.arange(len(band))
    close = lim[bk[lim] >= bk[lim].max() - 0.01 * length]
    best = close[np.argmin(band[close, 1])]
    return band[best], True


def _junction(k: np.ndarray, step: float, length: float, start: int, top: int) -> int:
    """Bin index (see `_heel_back`: bin i is at height (i - 0.5) * step) where the posterior
    outline `k` (posteriority per height bin) stops curving: its local direction is within
    JUNCTION_DEG of the straight line fitted to it over LEG_BAND."""
    i_leg = np.arange(int(LEG_BAND[0] * length / step) + 1, min(top, len(k) - 1) + 1)
    if len(i_leg) < 3:
        return start
    slope_leg = float(np.polyfit(i_leg * step, k[i_leg], 1)[0])
    d = max(1, int(0.02 * length / step))
    for i in range(max(start, d), min(top, len(k) - d)):
        slope = (k[i + d] - k[i - d]) / (2 * d * step)
        if abs(np.degrees(np.arctan(slope) - np.arctan(slope_leg))) < JUNCTION_DEG:
            return i
    return start


def walk_up(mask: np.ndarray, fr: FloorFrame, s: float, h0: float, h1: float) -> float | None:
    """Height where the mask run that contains height `h0` (inside the foot) ends going up
    along the normal at `s`, searching up to `h1`; None when `h0` is not in the mask. A
    separate blob higher up (background taken for skin) is not reached."""
    hs = np.arange(h0, h1, 0.5)
    xy = fr.to_xy(np.stack([np.full_like(hs, s), hs], axis=1))
    xi, yi = np.round(xy[:, 0]).astype(int), np.round(xy[:, 1]).astype(int)
    ok = (xi >= 0) & (yi >= 0) & (xi < mask.shape[1]) & (yi < mask.shape[0])
    inside = np.zeros(len(hs), bool)
    inside[ok] = mask[yi[ok], xi[ok]] > 0
    # An empty range (h0 >= h1: a "foot" flatter than its own start height, e.g. a dorsal
    # photo measured as medial) has no run to follow.
    if not len(inside) or not inside[0]:
        return None
    out = np.flatnonzero(~inside)
    return float(hs[out[0]] - 0.5) if len(out) else float(hs[-1])


def edge_up(lab: np.ndarray, fr: FloorFrame, s: float, h0: float, h1: float) -> float | None:
    """Height of the strongest colour edge along the normal at `s` between heights h0 and
    h1 (the dorsum's outline: the colour mask can run on into a sunlit floor above it)."""
    if h1 <= h0 + 3:
        return None
    hs = np.arange(h0, h1, 0.5)
    xy = fr.to_xy(np.stack([np.full_like(hs, s), hs], axis=1))
    xi, yi = np.round(xy[:, 0]).astype(int), np.round(xy[:, 1]).astype(int)
    ok = (xi >= 0) & (yi >= 0) & (xi < lab.shape[1]) & (yi < lab.shape[0])
    if ok.sum() < 8:
        return None
    vals = lab[yi[ok], xi[ok]] * np.array([1.0, 2.0, 2.0], np.float32)
    step = 4  # 2 px apart on each side
    diff = np.linalg.norm(vals[step:] - vals[:-step], axis=1)
    i = int(np.argmax(diff))
    return float(hs[ok][i + step // 2])


def fit_landmarks(
    contour: np.ndarray, bottom: np.ndarray, mask: np.ndarray, toes_right: bool,
    lab: np.ndarray | None = None,
) -> MedialFit | None:
    """contour: outline points (N x 2, image px) of foot+leg; bottom: plantar edge y per
    column (NaN where unknown); mask: the foot+leg mask the contour comes from; toes_right:
    the toes point to +x in the image."""
    xs = np.flatnonzero(np.isfinite(bottom))
    if len(xs) < 20:
        return None
    # The traced edge comes in whole rows with a sub-pixel correction; a short moving
    # average keeps single-pixel steps from deciding where the ball touches the floor.
    ys = np.convolve(np.pad(bottom[xs], 2, mode="edge"), np.ones(5) / 5, mode="valid")
    prof = np.stack([xs.astype(float), ys], axis=1)
    warnings: list[str] = []
    # First floor guess: the longest lower-hull edge of the whole profile.
    hull = lower_hull(prof)
    if len(hull) < 2:
        return None
    spans = np.diff(prof[hull, 0])
    k = int(np.argmax(spans))
    a, b = prof[hull[k]], prof[hull[k + 1]]
    for _ in range(3):
        fr = _frame_from(a, b, toes_right)
        sh = fr.to_sh(contour)
        s_all = sh[:, 0]
        fwd = contour[:, 0] if toes_right else -contour[:, 0]  # image horizontal, see _heel_back
        near = sh[:, 1] < 0.3 * (s_all.max() - s_all.min())
        toe = sh[near][np.argmax(fwd[near])]
        rough = toe[0] - sh[near, 0].min()
        rear = sh[:, 0] < toe[0] - 0.5 * rough
        heel, leg_only = _heel_back(sh[rear], -fwd[rear], rough)
        length = toe[0] - heel[0]
        low = sh[:, 1] < TOE_BAND * length
        toe = sh[low][np.argmax(fwd[low])]
        length = toe[0] - heel[0]
        # Floor: the bitangent of the profile from the heel to the end of the ball zone
        # (the hallux pulp beyond it may touch lower; the definition uses heel and ball).
        psh = fr.to_sh(prof)
        ends = fr.to_xy(np.array([[heel[0], 0.0], [heel[0] + BALL_ZONE[1] * length, 0.0]]))
        mid = fr.to_xy(np.array([[heel[0] + 0.45 * length, 0.0]]))[0]
        lo_x, hi_x = sorted([ends[0, 0], ends[1, 0]])
        bt = floor_bitangent(prof, lo_x, hi_x, mid[0])
        if bt is None:
            return None
        na, nb = prof[bt[0]], prof[bt[1]]
        if np.allclose(na, a) and np.allclose(nb, b):
            break
        a, b = na, nb
    fr = _frame_from(a, b, toes_right)
    sh = fr.to_sh(contour)
    psh = fr.to_sh(prof)
    contacts = sorted([fr.to_sh(a)[0], fr.to_sh(b)[0]], key=lambda p: p[0])
    heel_c, ball_c = contacts
    lm: dict[str, np.ndarray] = {}
    doubt = leg_only
    if leg_only:
        warnings.append("the back of the heel runs into the leg without a bump: heel_back is"
                        " a guess")
    rel_heel = (heel_c[0] - heel[0]) / length
    rel_ball = (ball_c[0] - heel[0]) / length
    if rel_heel > HEEL_ZONE or not BALL_ZONE[0] - 0.05 <= rel_ball <= BALL_ZONE[1]:
        doubt = True
        warnings.append("the floor line is unclear: it does not touch under both the heel and"
                        " the ball")
    # mtp1: lowest plantar point (closest to the floor line) in the ball zone.
    # mtp1: the ball's contact with the floor line (the bitangent's front contact); when
    # that lies outside the ball zone, the lowest plantar point in the zone.
    lo_b, hi_b = heel[0] + BALL_ZONE[0] * length, heel[0] + BALL_ZONE[1] * length
    zone = psh[(psh[:, 0] >= lo_b) & (psh[:, 0] <= hi_b)]
    in_zone = lo_b <= ball_c[0] <= hi_b or not len(zone)
    mtp = ball_c if in_zone else zone[np.argmin(zone[:, 1])]
    arch = psh[(psh[:, 0] > heel_c[0]) & (psh[:, 0] < ball_c[0])]
    apex = arch[np.argmax(arch[:, 1])] if len(arch) else (heel_c + ball_c) / 2
    # dorsum_50: top of the foot run that starts at the floor, at 50 % of the length.
    s50 = heel[0] + 0.5 * length
    order = np.argsort(psh[:, 0])
    h_mid = float(np.interp(s50, psh[order, 0], psh[order, 1]))
    top = walk_up(mask, fr, s50, h_mid + 0.05 * length, 0.7 * length)
    if top is not None and lab is not None:
        top = edge_up(lab, fr, s50, h_mid + 0.1 * length, min(top + 3, 0.7 * length)) or top
    dors = np.array([s50, np.nan if top is None else top])
    if top is None:
        doubt = True
        warnings.append("the top of the foot at mid-length was not found")
    lm["heel_back"], lm["toe_tip"], lm["mtp1"] = heel, toe, mtp
    lm["floor_heel"], lm["floor_toe"] = np.array([heel_c[0], 0.0]), np.array([mtp[0], 0.0])
    lm["arch_apex"], lm["dorsum_50"] = apex, dors
    tilt = float(np.degrees(np.arctan2(-fr.u[1], fr.u[0] if toes_right else -fr.u[0])))
    out = {k_: fr.to_xy(v)[0] for k_, v in lm.items() if np.all(np.isfinite(v))}
    return MedialFit(out, fr, float(length), tilt, warnings, doubt)
