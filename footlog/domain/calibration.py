"""Calibration of a photo: the floor-plane homography and the scale, as pure geometry.

Units and frames used throughout:

- image points are continuous pixels of the upright photo at FULL resolution, (x, y), origin
  at the top-left corner of the top-left pixel (see `footlog.imaging.photo_io`);
- floor points are millimetres in the plane of the reference object: for a sheet or a plain
  page the origin is the page's top-left corner with the page in portrait (x along the short
  side, y along the long side, y "down" like the image); for a card, the card's top-left
  corner with the card in landscape;
- a homography `H` is a 3 x 3 array mapping image px -> floor mm (homogeneous, H[2, 2] == 1).

Nothing here imports OpenCV: the detectors live in `footlog.imaging.calibration`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import numpy as np

Method = Literal["sheet", "a4", "letter", "card", "none"]
PaperSize = Literal["measured", "assumed"]


@dataclass(frozen=True)
class RectSize:
    """A flat rectangle of known size, in mm; `width_mm <= height_mm`."""

    name: str
    width_mm: float
    height_mm: float

    @property
    def aspect(self) -> float:
        """Long side / short side (>= 1)."""
        return self.height_mm / self.width_mm

    def corners_mm(self) -> np.ndarray:
        """The 4 corners (mm), clockwise on screen from the top-left: TL, TR, BR, BL."""
        w, h = self.width_mm, self.height_mm
        return np.array([[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]])


A4 = RectSize("a4", 210.0, 297.0)
LETTER = RectSize("letter", 215.9, 279.4)
# ISO/IEC 7810 ID-1 (bank cards, ID cards): 85.60 x 53.98 mm, corner radius ~3 mm.
ID1_CARD = RectSize("card", 53.98, 85.60)


@dataclass
class Calibration:
    """How image pixels map to millimetres on the floor, and how much to trust it.

    `homography` maps full-resolution upright image px -> floor mm (None without a scale).
    `mm_per_px` is the local scale at the reference object's centre (mm per full-res px).
    `residual_mm` is the fit's RMS error in mm (None when it cannot be estimated).
    `corners_px` are the reference object's 4 corners (TL, TR, BR, BL of its floor frame)
    in full-res px, some possibly extrapolated or outside the photo.
    `corners_seen` says for each whether it shows in the photo (False: hidden by the leg or
    beyond the frame, placed by extending the sides); None when not known.
    `paper_size`: for a page or the sheet, whether its size (A4 or Letter) was measured
    (the sheet's markers, or the page's shape) or assumed (the library's paper setting);
    None for a card or no calibration.
    `warnings` are plain sentences for the person.
    """

    method: Method
    homography: np.ndarray | None = None
    mm_per_px: float | None = None
    residual_mm: float | None = None
    corners_px: np.ndarray | None = None
    warnings: list[str] = field(default_factory=list)
    points_used: int = 0  # image points behind the fit (marker corners, page corners...)
    seconds: float = 0.0
    corners_seen: list[bool] | None = None
    paper_size: PaperSize | None = None

    @property
    def has_scale(self) -> bool:
        return self.homography is not None and self.mm_per_px is not None

    def perspective_strength(self) -> float | None:
        """`perspective_strength` over the reference object's quad (1.0 = no perspective)."""
        if self.homography is None or self.corners_px is None:
            return None
        return perspective_strength(self.homography, self.corners_px)

    def to_json(self) -> dict[str, Any]:
        """A JSON-friendly dict (rounded numbers)."""
        return {
            "method": self.method,
            "homography": None if self.homography is None else self.homography.tolist(),
            "mm_per_px": None if self.mm_per_px is None else round(self.mm_per_px, 6),
            "residual_mm": None if self.residual_mm is None else round(self.residual_mm, 3),
            "corners_px": None
            if self.corners_px is None
            else np.round(self.corners_px, 2).tolist(),
            "corners_seen": None if self.corners_seen is None else list(self.corners_seen),
            "paper_size": self.paper_size,
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> Calibration | None:
        """The calibration a `to_json` dict describes (as the library stores it), or None
        for none. Keys an older footlog did not write take their defaults."""
        if not data:
            return None
        homography = data.get("homography")
        corners = data.get("corners_px")
        seen = data.get("corners_seen")
        return cls(
            method=data.get("method", "none"),
            homography=None if homography is None else np.asarray(homography, dtype=float),
            mm_per_px=data.get("mm_per_px"),
            residual_mm=data.get("residual_mm"),
            corners_px=None if corners is None else np.asarray(corners, float).reshape(-1, 2),
            warnings=list(data.get("warnings") or []),
            corners_seen=None if seen is None else [bool(s) for s in seen],
            paper_size=data.get("paper_size"),
        )

    def as_stored(self) -> Calibration:
        """This calibration with the precision the library keeps (`to_json`'s rounding):
        what a photo is measured with, so that its measures recomputed later from the
        library are the very numbers measuring gave."""
        stored = Calibration.from_json(self.to_json())
        assert stored is not None  # to_json always names a method
        stored.points_used, stored.seconds = self.points_used, self.seconds
        return stored


def no_calibration(warnings: list[str] | None = None) -> Calibration:
    """The result when nothing of known size was found."""
    return Calibration("none", warnings=list(warnings or []))


# --- homographies -----------------------------------------------------------------------------


def apply_homography(h: np.ndarray, pts: Any) -> np.ndarray:
    """Map points (N x 2, or a single (x, y)) through `h`; returns N x 2 float64."""
    p = np.asarray(pts, dtype=np.float64).reshape(-1, 2)
    q = p @ h[:, :2].T + h[:, 2]
    return cast(np.ndarray, q[:, :2] / q[:, 2:3])


def jacobian(h: np.ndarray, point: Any) -> np.ndarray:
    """2 x 2 derivative of the mapping `h` at `point` (output units per input unit)."""
    x, y = np.asarray(point, dtype=np.float64).reshape(2)
    u, v, w = h @ np.array([x, y, 1.0])
    # d(u/w)/dx = (h00 w - u h20) / w^2, and so on.
    return np.array(
        [
            [(h[0, 0] * w - u * h[2, 0]) / w**2, (h[0, 1] * w - u * h[2, 1]) / w**2],
            [(h[1, 0] * w - v * h[2, 0]) / w**2, (h[1, 1] * w - v * h[2, 1]) / w**2],
        ]
    )


def mm_per_px_at(h: np.ndarray, point: Any) -> float:
    """Local scale (mm per full-res px) of `h` at image `point`: the square root of the
    area ratio, i.e. the geometric mean over directions."""
    return math.sqrt(abs(float(np.linalg.det(jacobian(h, point)))))


def perspective_strength(h: np.ndarray, points_px: Any) -> float:
    """How far `h` is from a pure similarity over the region spanned by `points_px`.

    Returns the largest local scale divided by the smallest (singular values of the local
    derivative, sampled over the quad/polygon's vertices, edge midpoints and centroid): 1.0 for
    a similarity (camera straight above), ~1.1 for a mild tilt, > 1.3 for a strong one.
    """
    p = np.asarray(points_px, dtype=np.float64).reshape(-1, 2)
    samples = [p, (p + np.roll(p, -1, axis=0)) / 2, p.mean(axis=0, keepdims=True)]
    svals = np.array([np.linalg.svd(jacobian(h, q), compute_uv=False) for q in np.vstack(samples)])
    return float(svals.max() / max(svals.min(), 1e-12))


def _normaliser(pts: np.ndarray) -> np.ndarray:
    """Hartley normalisation: centroid to 0, mean distance sqrt(2)."""
    c = pts.mean(axis=0)
    d = np.sqrt(((pts - c) ** 2).sum(axis=1)).mean()
    s = math.sqrt(2) / d if d > 0 else 1.0
    return np.array([[s, 0, -s * c[0]], [0, s, -s * c[1]], [0, 0, 1.0]])


def fit_homography(src: Any, dst: Any) -> np.ndarray:
    """Least-squares homography src -> dst (N >= 4 point pairs) by normalised DLT."""
    s = np.asarray(src, dtype=np.float64).reshape(-1, 2)
    d = np.asarray(dst, dtype=np.float64).reshape(-1, 2)
    if len(s) < 4 or len(s) != len(d):
        raise ValueError("a homography needs at least 4 point pairs")
    ts, td = _normaliser(s), _normaliser(d)
    sn, dn = apply_homography(ts, s), apply_homography(td, d)
    rows = []
    for (x, y), (u, v) in zip(sn, dn, strict=True):
        rows.append([-x, -y, -1, 0, 0, 0, u * x, u * y, u])
        rows.append([0, 0, 0, -x, -y, -1, v * x, v * y, v])
    _, _, vt = np.linalg.svd(np.asarray(rows))
    hn = vt[-1].reshape(3, 3)
    h = np.linalg.inv(td) @ hn @ ts
    return cast(np.ndarray, h / h[2, 2])


def reprojection_rms(h: np.ndarray, src: Any, dst: Any) -> float:
    """RMS distance between `h(src)` and `dst`, in the units of dst."""
    err = apply_homography(h, src) - np.asarray(dst, dtype=np.float64).reshape(-1, 2)
    return float(np.sqrt((err**2).sum(axis=1).mean()))


# --- rectangles seen in perspective -------------------------------------------------------------


def order_quad(quad: Any) -> np.ndarray:
    """4 image points -> TL, TR, BR, BL order (clockwise on screen, y down), starting at the
    point nearest the image's top-left."""
    # In plain Python (4 points): the card and page searches call this ~1000 times a photo.
    pts = np.asarray(quad, dtype=np.float64).reshape(4, 2).tolist()
    cx = (((pts[0][0] + pts[1][0]) + pts[2][0]) + pts[3][0]) / 4
    cy = (((pts[0][1] + pts[1][1]) + pts[2][1]) + pts[3][1]) / 4
    # Increasing angle = clockwise on screen.
    pts.sort(key=lambda p: math.atan2(p[1] - cy, p[0] - cx))
    sums = [p[0] + p[1] for p in pts]
    start = sums.index(min(sums))
    return np.array(pts[start:] + pts[:start])


def _square_to_quad(q: np.ndarray) -> np.ndarray:
    """Homography of the unit square (0,0), (1,0), (1,1), (0,1) onto the 4 x 2 quad `q`,
    scaled so that h[2, 2] = 1: the same as `fit_homography` from those corners, in closed
    form (Heckbert), ~20 x cheaper; the card and page searches call it hundreds of times."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = q.tolist()
    sx, sy = x0 - x1 + x2 - x3, y0 - y1 + y2 - y3
    dx1, dx2, dy1, dy2 = x1 - x2, x3 - x2, y1 - y2, y3 - y2
    den = dx1 * dy2 - dx2 * dy1
    if abs(den) < 1e-12 * (abs(dx1 * dy2) + abs(dx2 * dy1) + 1e-300):
        return fit_homography([[0, 0], [1, 0], [1, 1], [0, 1]], q)  # degenerate quad
    g = (sx * dy2 - dx2 * sy) / den
    k = (dx1 * sy - sx * dy1) / den
    return np.array(
        [
            [x1 - x0 + g * x1, x3 - x0 + k * x3, x0],
            [y1 - y0 + g * y1, y3 - y0 + k * y3, y0],
            [g, k, 1.0],
        ]
    )


def rectangle_aspect(quad_px: Any, focal_px: float, centre_px: Any) -> float:
    """Side ratio |TL-TR| / |TL-BL| of the real rectangle seen as `quad_px` (TL, TR, BR, BL)
    by a pinhole camera of focal length `focal_px` and principal point `centre_px` (px)."""
    q = np.asarray(quad_px, dtype=np.float64).reshape(4, 2) - np.asarray(centre_px, float)
    h = _square_to_quad(q)
    k_inv = np.diag([1 / focal_px, 1 / focal_px, 1.0])
    return float(np.linalg.norm(k_inv @ h[:, 0]) / np.linalg.norm(k_inv @ h[:, 1]))


def focal_from_rectangle(quad_px: Any, centre_px: Any) -> float | None:
    """Focal length (px) that makes `quad_px` the image of a rectangle, or None when the
    quad is too close to a parallelogram (focal length unobservable) or inconsistent."""
    q = np.asarray(quad_px, dtype=np.float64).reshape(4, 2) - np.asarray(centre_px, float)
    h = _square_to_quad(q)
    h1, h2 = h[:, 0], h[:, 1]
    den = h1[2] * h2[2]
    scale = float(np.abs(q).max())
    # The perspective terms must be large enough for the division to mean something.
    if abs(den) * scale**2 < 1e-3 * abs(h1[0] * h2[0] + h1[1] * h2[1]) + 1e-12:
        return None
    f2 = -(h1[0] * h2[0] + h1[1] * h2[1]) / den
    return math.sqrt(f2) if f2 > 0 else None


def homography_to_rect(quad_px: Any, size: RectSize, landscape: bool = False) -> np.ndarray:
    """Homography image px -> mm mapping the ordered quad (TL, TR, BR, BL) onto `size`'s
    corners, in portrait (TL-TR along the short side) or landscape."""
    w, h = (size.height_mm, size.width_mm) if landscape else (size.width_mm, size.height_mm)
    dst = np.array([[0.0, 0.0], [w, 0.0], [w, h], [0.0, h]])
    return fit_homography(quad_px, dst)


def line_through(p: Any, q: Any) -> np.ndarray:
    """Homogeneous line through two points."""
    return np.array([p[1] - q[1], q[0] - p[0], p[0] * q[1] - p[1] * q[0]])


def meet(a: Any, b: Any) -> np.ndarray | None:
    """Intersection point of two homogeneous lines, or None when they are parallel.

    Written out rather than `np.cross`, whose axis handling costs ~20 us a call: the corner
    searches of the page and the card call this thousands of times per photo."""
    z = a[0] * b[1] - a[1] * b[0]
    if abs(z) < 1e-9:
        return None
    return np.array([(a[1] * b[2] - a[2] * b[1]) / z, (a[2] * b[0] - a[0] * b[2]) / z])


def quad_corners(lines: list[np.ndarray]) -> np.ndarray | None:
    """Corners of 4 consecutive sides (homogeneous lines): corner j is where side j-1
    meets side j. None when two neighbouring sides are parallel."""
    corners = []
    for a, b in zip(lines[-1:] + lines[:-1], lines, strict=True):
        x = meet(a, b)
        if x is None:
            return None
        corners.append(x)
    return np.array(corners)


def principal_direction(pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Centroid and unit direction of largest spread of 2-D points (total least squares),
    in closed form (the 2 x 2 covariance's major eigenvector)."""
    c = pts.mean(axis=0)
    d = pts - c
    sxx, syy, sxy = float(d[:, 0] @ d[:, 0]), float(d[:, 1] @ d[:, 1]), float(d[:, 0] @ d[:, 1])
    theta = 0.5 * math.atan2(2.0 * sxy, sxx - syy)
    return c, np.array([math.cos(theta), math.sin(theta)])
