"""Which rectangles a camera can see as a given quadrilateral: the page finder's geometry.

A flat rectangle photographed by a pinhole camera appears as a convex quadrilateral, but not
every convex quadrilateral is such a picture: the two pairs of opposite sides meet at
vanishing points whose back-projected directions must be at right angles. With the focal
length f known (and the principal point at the picture's centre), that right angle is a
test, and the rectangle's side ratio follows; with f unknown, the quadrilateral tells which
focal lengths it allows (sometimes all of them, when the camera looks straight down).

Units and frames: image points are px (any one picture's, the caller says which), `centre`
is the principal point in the same px, focal lengths are in those px. Quads are N x 4 x 2
arrays of corners in order around the quad (TL, TR, BR, BL on screen, or any cyclic order).
Lines are homogeneous 3-vectors (a, b, c): a x + b y + c = 0.

Nothing here imports OpenCV: the finder lives in `footlog.imaging.calibration_paper`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import cast

import numpy as np

from footlog.domain.calibration import A4, LETTER, RectSize

PAPERS: tuple[RectSize, ...] = (A4, LETTER)  # A4 first: the ISO size, the default
# Focal lengths of the cameras people photograph their feet with, in units of the picture's
# diagonal: 0.45 (19 mm 35 mm-equivalent, the widest main cameras) to 1.9 (82 mm, a 3x
# telephoto camera). Ultra-wide cameras (13-16 mm) are left out: their pictures are
# corrected for a strong distortion and do not keep a page's edges straight enough anyway.
CAMERA_FOCAL_RANGE = (0.45, 1.9)
# A phone's main camera is ~26 mm equivalent: 0.6 x the picture's diagonal. Used only where
# one focal length must be chosen and the photo does not say (completing a page from three
# sides).
PRIOR_FOCAL_PER_DIAGONAL = 0.6
# EXIF focal lengths: 35 mm equivalents are whole mm (+-2 % at 26 mm), computed from the
# diagonal (phones: a 4.2 mm lens on a 7.0 mm-diagonal sensor is written 26 mm), so a told
# focal length is trusted to +-3 %.
EXIF_FOCAL_TOLERANCE = 0.03
# How far from a right angle (degrees) the back-projected sides may be. The principal point
# is taken at the picture's centre; a photo cropped off-centre moves it: by 10 % of the
# diagonal, pages seen from up to 50 deg off vertical then show up to 5 deg (4 deg in 90 %
# of views, rendered). Corners placed to ~1 px add ~1 deg in oblique views.
RIGHT_ANGLE_TOLERANCE_DEG = 4.0
# A quad fits a paper when some allowed focal length makes it a rectangle of that paper's
# side ratio (A4 1.414, Letter 1.294: 9.3 % apart), to within its corners' noise: placed to
# ~1 px on sides of >= 100 px seen all along, they move the ratio by up to ~1.5 %
# (ASPECT_NOISE); a side seen over a short stretch only (the rest under the leg) may tilt by
# a few px at its far end, up to ~4 % (ASPECT_NOISE_PART, the photos in tests/data). It tells
# the paper when it fits that one only.
ASPECT_NOISE = 0.02
ASPECT_NOISE_PART = 0.045
_FOCAL_STEPS = 33  # focal lengths tried across a range (log-spaced, ~4.5 % apart)


def square_to_quads(quads: np.ndarray) -> np.ndarray:
    """N x 3 x 3 homographies of the unit square (0,0), (1,0), (1,1), (0,1) onto each quad
    (N x 4 x 2), h[2, 2] = 1 (Heckbert's closed form, as `calibration._square_to_quad`, for
    many quads at once). Degenerate quads give non-finite entries."""
    q = np.asarray(quads, float)
    x0, y0 = q[:, 0, 0], q[:, 0, 1]
    x1, y1 = q[:, 1, 0], q[:, 1, 1]
    x2, y2 = q[:, 2, 0], q[:, 2, 1]
    x3, y3 = q[:, 3, 0], q[:, 3, 1]
    sx, sy = x0 - x1 + x2 - x3, y0 - y1 + y2 - y3
    dx1, dx2, dy1, dy2 = x1 - x2, x3 - x2, y1 - y2, y3 - y2
    den = dx1 * dy2 - dx2 * dy1
    with np.errstate(divide="ignore", invalid="ignore"):
        g = (sx * dy2 - dx2 * sy) / den
        k = (dx1 * sy - sx * dy1) / den
    h = np.empty((len(q), 3, 3))
    h[:, 0] = np.stack([x1 - x0 + g * x1, x3 - x0 + k * x3, x0], axis=1)
    h[:, 1] = np.stack([y1 - y0 + g * y1, y3 - y0 + k * y3, y0], axis=1)
    h[:, 2] = np.stack([g, k, np.ones_like(g)], axis=1)
    return h


def side_directions(quads: np.ndarray, centre: tuple[float, float], focals: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The back-projected directions (camera frame, up to scale) of the sides TL-TR and
    TL-BL of each quad, for each focal length: two N x F x 3 arrays."""
    q = np.asarray(quads, float) - np.asarray(centre, float)
    h = square_to_quads(q)
    f = np.asarray(focals, float).reshape(1, -1)
    # K^-1 h1 and K^-1 h2 with K = diag(f, f, 1).
    d1 = np.stack(np.broadcast_arrays(h[:, 0, 0:1] / f, h[:, 1, 0:1] / f, h[:, 2, 0:1]), -1)
    d2 = np.stack(np.broadcast_arrays(h[:, 0, 1:2] / f, h[:, 1, 1:2] / f, h[:, 2, 1:2]), -1)
    return d1, d2


def right_angle_errors(quads: np.ndarray, centre: tuple[float, float], focals: np.ndarray
                       ) -> np.ndarray:
    """N x F: how far (degrees) the rectangle each quad would be, seen through each focal
    length, is from having right angles."""
    d1, d2 = side_directions(quads, centre, focals)
    cos = np.einsum("nfk,nfk->nf", d1, d2) / (
        np.linalg.norm(d1, axis=-1) * np.linalg.norm(d2, axis=-1)
    )
    with np.errstate(invalid="ignore"):
        return cast(np.ndarray, np.degrees(np.abs(np.arcsin(np.clip(cos, -1.0, 1.0)))))


def side_ratios(quads: np.ndarray, centre: tuple[float, float], focals: np.ndarray
                ) -> np.ndarray:
    """N x F: |TL-TR| / |TL-BL| of the real rectangle seen as each quad through each focal
    length (as `calibration.rectangle_aspect`)."""
    d1, d2 = side_directions(quads, centre, focals)
    return cast(np.ndarray, np.linalg.norm(d1, axis=-1) / np.linalg.norm(d2, axis=-1))


def focal_grid(lo: float, hi: float) -> np.ndarray:
    """Focal lengths (px) from `lo` to `hi`, log-spaced (the side ratio and the right angle
    change about evenly with log f)."""
    return np.geomspace(lo, hi, _FOCAL_STEPS) if hi > lo else np.array([lo])


@dataclass(frozen=True)
class PaperVerdict:
    """What a quad's shape says about the page it shows.

    `aspect`: long/short side ratio at the most likely focal length; `aspect_range`: every
    ratio the allowed focal lengths give (widened by the corners' noise); `fits`: the papers
    whose ratio lies in that range; `told`: the one paper that fits, or None; `focal_px`:
    the focal length (px) that best makes the quad a rectangle of that paper.
    """

    aspect: float
    aspect_range: tuple[float, float]
    fits: tuple[RectSize, ...]
    told: RectSize | None
    focal_px: float


def paper_verdicts(quads: np.ndarray, centre: tuple[float, float], focal_range: tuple[float, float],
                   noise: np.ndarray | float = ASPECT_NOISE) -> list[PaperVerdict | None]:
    """For each quad (N x 4 x 2), its `PaperVerdict` when some focal length in
    `focal_range` (px; lo == hi for a known focal length) makes it a rectangle of A4 or
    Letter shape, else None. `noise`: the side ratio's relative uncertainty from the
    corners (per quad, or one for all)."""
    quads = np.asarray(quads, float)
    if not len(quads):
        return []
    focals = focal_grid(*focal_range)
    err = right_angle_errors(quads, centre, focals)
    ratio = side_ratios(quads, centre, focals)
    with np.errstate(invalid="ignore", divide="ignore"):
        long_short = np.maximum(ratio, 1.0 / ratio)
    ok = (err <= RIGHT_ANGLE_TOLERANCE_DEG) & np.isfinite(long_short)
    out: list[PaperVerdict | None] = []
    for n in range(len(quads)):
        if not ok[n].any():
            out.append(None)
            continue
        allowed = long_short[n][ok[n]]
        e = float(np.broadcast_to(noise, len(quads))[n])
        lo = float(allowed.min()) * (1 - e)
        hi = float(allowed.max()) * (1 + e)
        fits = tuple(p for p in PAPERS if lo <= p.aspect <= hi)
        if not fits:
            out.append(None)
            continue
        told = fits[0] if len(fits) == 1 else None
        # The most likely focal length: the straightest right angle among those whose
        # ratio is nearest a fitting paper.
        target = (told or fits[0]).aspect
        cost = np.where(ok[n], np.abs(long_short[n] / target - 1) + 0.002 * err[n], np.inf)
        best = int(np.argmin(cost))
        out.append(PaperVerdict(float(long_short[n][best]), (lo, hi), fits, told,
                                float(focals[best])))
    return out


# --- lines and completing a page seen on three sides -------------------------------------


def join(p: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Homogeneous lines through points p and q (N x 2 each, or N x 3 homogeneous)."""
    p, q = _homog(p), _homog(q)
    return np.cross(p, q)


def meet(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Homogeneous intersections (N x 3) of lines a and b (N x 3); w = 0 when parallel."""
    return np.cross(a, b)


def _homog(p: np.ndarray) -> np.ndarray:
    p = np.asarray(p, float)
    if p.shape[-1] == 3:
        return p
    return np.concatenate([p, np.ones((*p.shape[:-1], 1))], axis=-1)


def dehomog(p: np.ndarray) -> np.ndarray:
    """N x 3 -> N x 2 (non-finite where w = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return cast(np.ndarray, p[..., :2] / p[..., 2:3])


def complete_rectangles(side_a: np.ndarray, side_b: np.ndarray, side_c: np.ndarray,
                        inward: np.ndarray, ratio: np.ndarray, focal: np.ndarray,
                        centre: tuple[float, float]) -> np.ndarray:
    """The fourth side of rectangles seen on three sides, and their four corners.

    For each n: `side_a` and `side_b` are opposite sides (homogeneous lines, N x 3) and
    `side_c` joins them; the fourth side is opposite `side_c`, at `ratio` (real length of
    the sides along a and b / real length of side c) on the side of c that `inward` (N x 2,
    an image direction along side a from its corner with c) points to. `focal` (N,) px.

    Returns N x 4 x 2 corners: a^c, c^b, b^d, d^a (an order around the quad); rows are
    non-finite where the geometry is degenerate (a side through the principal point's
    horizon, parallel lines where they must meet).

    How: the vanishing point v1 = a^b gives, through the focal length, the direction of
    sides a and b in the camera frame; side c's vanishing point v2 is where c meets the
    line of directions at right angles to v1 (the polar of v1 in the image of the absolute
    conic, diag(1/f^2, 1/f^2, 1) in centred px). v1 and v2 give the floor's normal, so the
    two corners on c are placed on the floor in 3-D, the corner on a is found `ratio` x
    |c| away along a's direction, and the fourth side joins its image to v2.
    """
    c0 = np.asarray(centre, float)
    shift = np.array([[1.0, 0, -c0[0]], [0, 1.0, -c0[1]], [0, 0, 1.0]])
    to_centred_line = np.linalg.inv(shift).T  # lines map by the inverse transpose
    a = side_a @ to_centred_line.T
    b = side_b @ to_centred_line.T
    c = side_c @ to_centred_line.T
    f = np.asarray(focal, float)
    with np.errstate(all="ignore"):
        p = meet(a, c)  # corner a^c (homogeneous, centred)
        q = meet(c, b)  # corner c^b
        v1 = meet(a, b)
        polar = v1 * np.stack([1 / f**2, 1 / f**2, np.ones_like(f)], axis=1)
        v2 = meet(c, polar)
        # Camera-frame rays (K^-1 x) of the two corners (as points: w = 1, whatever sign the
        # cross products gave them) and the two vanishing directions (signs irrelevant).
        kinv = np.stack([1 / f, 1 / f, np.ones_like(f)], axis=1)
        rp, rq = (p / p[:, 2:3]) * kinv, (q / q[:, 2:3]) * kinv
        d1, d2 = v1 * kinv, v2 * kinv
        normal = np.cross(d1, d2)
        normal *= np.sign(np.einsum("nk,nk->n", normal, rp))[:, None]  # the floor ahead
        # Floor points of the corners on the plane normal . X = 1.
        xp = rp / np.einsum("nk,nk->n", normal, rp)[:, None]
        xq = rq / np.einsum("nk,nk->n", normal, rq)[:, None]
        length = np.linalg.norm(xp - xq, axis=1)
        u1 = d1 / np.linalg.norm(d1, axis=1, keepdims=True)
        # Orient u1 so that a small step from p along it moves the image point `inward`.
        pp = rp[:, :2] * f[:, None]
        stepped = xp + 1e-3 * length[:, None] * u1
        img = stepped[:, :2] / stepped[:, 2:3] * f[:, None]
        sign = np.sign(np.einsum("nk,nk->n", img - pp, np.asarray(inward, float)))
        xr = xp + (sign * ratio * length)[:, None] * u1
        r_img = np.concatenate([xr[:, :2] / xr[:, 2:3] * f[:, None], np.ones((len(f), 1))], 1)
        d = np.cross(r_img, v2)  # the fourth side: through r and v2
        s = meet(b, d)
        corners = np.stack([dehomog(p), dehomog(q), dehomog(s), r_img[:, :2]], axis=1)
        # A corner behind the camera (the floor point's depth negative) is no corner.
        behind = (xr[:, 2] <= 0) | (xp[:, 2] <= 0) | (xq[:, 2] <= 0)
    corners = corners + c0
    corners[behind] = np.nan
    return cast(np.ndarray, corners)


def paper_focal_px(per_diagonal: float, size: tuple[int, int]) -> float:
    """A focal length given per picture diagonal -> px of a picture of `size` (w, h)."""
    return per_diagonal * math.hypot(*size)
