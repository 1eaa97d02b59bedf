"""The page search's fast paths give exactly what the plain computations give.

`calibration_paper._edges_along` profiles the four sides of a quad at once, and
`find_paper` / `calibrate` reuse the dorsal detector's 640-px working image when it is the
very picture they would make: speed changes only, checked here against the plain way.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import pytest
from test_calibration import _scene

from footlog.analysis.working_image import working_image
from footlog.domain.calibration import A4
from footlog.imaging import calibration_paper as P
from footlog.imaging.calibration import calibrate


def _plain_edge_along(
    grey: np.ndarray, skin: np.ndarray, p: np.ndarray, q: np.ndarray, inside: np.ndarray
) -> tuple[np.ndarray, np.ndarray, float]:
    """One side at a time, as `_edges_along` did before it profiled all four at once."""
    u = (q - p) / (np.linalg.norm(q - p) + 1e-12)
    normal = np.array([u[1], -u[0]])
    if (inside - p) @ normal > 0:
        normal = -normal  # outward
    base = p + np.outer(P._FRACTIONS, q - p)
    coords = (base[:, None, :] + P._OFFSETS[None, :, None] * normal).astype(np.float32)
    prof = cv2.remap(grey, coords[..., 0], coords[..., 1], cv2.INTER_LINEAR)
    deriv = prof[:, 2:] - prof[:, :-2]  # brightness falling outward = negative
    k = deriv.argmin(axis=1)
    last = deriv.shape[1] - 1
    kk = np.minimum(np.maximum(k, 1), last - 1)
    rows = np.arange(P._SAMPLES)
    a, b, c = deriv[rows, kk - 1], deriv[rows, kk], deriv[rows, kk + 1]
    denom = a - 2 * b + c
    big = np.abs(denom) > 1e-6
    sub = np.where(big, 0.5 * (a - c) / np.where(big, denom, 1.0), 0.0)
    idx = kk + 1  # profile index of the steepest point
    off = P._OFFSETS[0] + P._STEP * (idx + np.minimum(np.maximum(sub, -1), 1))
    # Step height: 1-4 px inside minus 1.5-4.5 px outside the edge found.
    cum = np.zeros((P._SAMPLES, prof.shape[1] + 1))
    cum[:, 1:] = np.cumsum(prof, axis=1)  # float32 sums, as before
    n = prof.shape[1]
    i0, i1 = np.maximum(idx - 8, 0), np.maximum(idx - 2, 0)
    o0, o1 = np.minimum(idx + 3, n), np.minimum(idx + 9, n)
    inner = (cum[rows, i1] - cum[rows, i0]) / np.maximum(i1 - i0, 1)
    outer = (cum[rows, o1] - cum[rows, o0]) / np.maximum(o1 - o0, 1)
    step = np.where((i1 > i0) & (o1 > o0), inner - outer, 0.0)
    pts = base + off[:, None] * normal
    # Beyond a page's edge lies the floor; beyond the foot's outline on the page, skin.
    beyond = (pts + 4 * normal).astype(np.float32)
    on_skin = (
        cv2.remap(skin, beyond[None, :, 0], beyond[None, :, 1], cv2.INTER_NEAREST).ravel() > 0.5
    )
    good = (step > 15) & (k > 0) & (k < last) & ~on_skin
    # Robust line: drop samples far from a fit through the others (the foot, a fold or a
    # shadow crossing the side).
    for _ in range(2):
        if np.count_nonzero(good) < 6:
            break
        line = P._fit_line(pts[good])
        dist = np.abs(pts @ line[:2] + line[2]) / math.hypot(line[0], line[1])
        good &= dist < max(1.0, 2.5 * P._median(dist[good]))
    return pts[good], step[good], float(np.count_nonzero(good)) / P._SAMPLES


def _page_photo(seed: int, size: tuple[int, int] = (750, 1000)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    raster = np.full((round(A4.height_mm * 4), round(A4.width_mm * 4), 3), 255, np.uint8)
    photo, _ = _scene(raster, (A4.width_mm, A4.height_mm), rng, cover_corner=seed % 2 == 1)
    return cv2.resize(photo, size, interpolation=cv2.INTER_LINEAR)


@pytest.mark.parametrize("seed", range(4))
def test_four_sides_at_once_are_each_side_alone(seed: int) -> None:
    photo = _page_photo(seed)
    small = cv2.resize(photo, (480, 640), interpolation=cv2.INTER_AREA)
    grey = cv2.GaussianBlur(cv2.max(cv2.max(small[..., 0], small[..., 1]), small[..., 2]),
                            (3, 3), 0).astype(np.float32)
    skin = (cv2.cvtColor(small, cv2.COLOR_RGB2LAB)[..., 1] >= 140).astype(np.float32)
    rng = np.random.default_rng(seed)
    quad = np.array([[60.0, 80.0], [420.0, 70.0], [430.0, 560.0], [50.0, 570.0]])
    quad += rng.uniform(-15, 15, quad.shape)
    centre = quad.mean(axis=0)
    sides = P._edges_along(grey, skin, quad, centre)
    for j in range(4):
        want = _plain_edge_along(grey, skin, quad[j], quad[(j + 1) % 4], centre)
        for got_part, want_part in zip(sides[j], want, strict=True):
            assert np.array_equal(got_part, want_part)


@pytest.mark.parametrize("seed", range(3))
def test_the_detectors_working_image_changes_nothing(seed: int) -> None:
    photo = _page_photo(seed)
    work, _ = working_image(photo, 4.0, P.WORK_SIDE)
    plain, shared = P.find_paper(photo), P.find_paper(photo, small=work)
    assert plain is not None and shared is not None
    assert np.array_equal(plain.quad, shared.quad) and plain.score == shared.score
    a, b = calibrate(photo, 4.0), calibrate(photo, 4.0, work_rgb=work)
    assert a.method == b.method != "none"
    assert np.array_equal(a.homography, b.homography)


def test_a_working_image_of_another_size_is_not_used() -> None:
    """16:9: INTER_AREA told a size or a factor gives different pixels, so the page search
    makes its own picture and the result is the plain one."""
    photo = _page_photo(1, (1000, 562))
    work, _ = working_image(photo, 4.0, P.WORK_SIDE)
    assert not P._is_reduction(work, photo.shape[:2], P.WORK_SIDE / 1000)
    plain, shared = P.find_paper(photo), P.find_paper(photo, small=work)
    assert (plain is None) == (shared is None)
    if plain is not None and shared is not None:
        assert np.array_equal(plain.quad, shared.quad)


@pytest.mark.parametrize("seed", range(6))
def test_histogram_percentile_is_numpys(seed: int) -> None:
    """The page search's brightness level from the histogram is np.percentile's, also on
    pictures of two grey levels far apart (where the interpolation weight matters)."""
    rng = np.random.default_rng(seed)
    for _ in range(200):
        h, w = (int(v) for v in rng.integers(1, 80, 2))
        kind = int(rng.integers(0, 3))
        if kind == 0:
            grey = rng.integers(0, 256, (h, w)).astype(np.uint8)
        elif kind == 1:
            grey = rng.choice(rng.integers(0, 256, 2), (h, w)).astype(np.uint8)
        else:
            grey = np.clip(rng.normal(150, 40, (h, w)), 0, 255).astype(np.uint8)
        for q in (80, 50, 3, 100, 0):
            assert P._percentile_u8(grey, q) == np.percentile(grey, q)
