"""The medial detector's fast paths give exactly what the plain computations give.

`medial_outline._smooth_path` (the plantar edge DP with its transition costs prepared for
every column at once), `trace_bottom` smoothing only a band of rows, and
`medial_landmarks.lower_hull` on Python floats are speed changes only: each is checked here
against the straightforward computation it replaced.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from footlog.analysis import medial_outline
from footlog.analysis.medial_landmarks import FloorFrame, lower_hull, walk_up
from footlog.analysis.medial_outline import DY_MAX, DY_PENALTY, _smooth_path, trace_bottom


def _plain_path(score: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """The DP as it was written before: one m x m transition matrix per column."""
    n, m = score.shape
    acc = score[0].copy()
    back = np.zeros((n, m), np.int16)
    for i in range(1, n):
        dy = ys[i][:, None] - ys[i - 1][None, :]
        trans = acc[None, :] - DY_PENALTY * np.abs(dy) - np.where(np.abs(dy) > DY_MAX, 1e6, 0)
        j = np.argmax(trans, axis=1)
        acc = score[i] + trans[np.arange(m), j]
        back[i] = j
    path = np.zeros(n, int)
    path[-1] = int(np.argmax(acc))
    for i in range(n - 1, 0, -1):
        path[i - 1] = back[i, path[i]]
    return path


@pytest.mark.parametrize("seed", range(12))
def test_smooth_path_is_the_plain_dp(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, reach, h = int(rng.integers(5, 200)), int(rng.integers(4, 30)), 120
    offs = np.arange(-(reach // 2), reach + 1)
    # Jumps of the mask's bottom (forbidden moves), windows clipped at the image's edges,
    # and ties (quantised scores) all occur.
    yb = np.clip(np.cumsum(rng.integers(-4, 5, n)) + rng.integers(0, h), -10, h + 10)
    ys = np.clip(yb[:, None] + offs[None, :], 0, h - 1).astype(int)
    score = np.round(rng.random((n, len(offs))) * 4) / 4
    assert np.array_equal(_smooth_path(score, ys), _plain_path(score, ys))


def _plain_trace_inputs(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    h, w = 90, 140
    rgb = np.clip(rng.normal(120, 40, (h, w, 3)), 0, 255).astype(np.uint8)
    rgb = cv2.GaussianBlur(rgb, (0, 0), 2.0)
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).astype(np.float32)
    mask = np.zeros((h, w), np.uint8)
    bottom = (55 + 8 * np.sin(np.arange(w) / 9.0) + rng.integers(-2, 3, w)).astype(int)
    for x in range(10, 130):
        mask[20 : bottom[x], x] = 1
    dist = rng.random((h, w)).astype(np.float32) * 2
    return lab, mask, dist


@pytest.mark.parametrize("seed", range(4))
def test_trace_bottom_band_matches_the_whole_image(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Smoothing only a band of rows gives the same edge, to the bit, as smoothing the
    whole image (a margin wider than the image makes the band the whole image)."""
    lab, mask, dist = _plain_trace_inputs(seed)
    got = trace_bottom(lab, mask, 12, 127, 12, dist, 90.0)
    monkeypatch.setattr(medial_outline, "_BAND_PAD", 10_000)
    whole = trace_bottom(lab, mask, 12, 127, 12, dist, 90.0)
    assert np.array_equal(got, whole, equal_nan=True)
    assert np.isfinite(got[12:128]).all() and np.isnan(got[:12]).all()


def _plain_lower_hull(pts: np.ndarray) -> np.ndarray:
    hull: list[int] = []
    for i in range(len(pts)):
        while len(hull) >= 2:
            o, a, b = pts[hull[-2]], pts[hull[-1]], pts[i]
            cross = (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
            if cross < 0:
                break
            hull.pop()
        hull.append(i)
    return np.asarray(hull)


@pytest.mark.parametrize("seed", range(20))
def test_lower_hull_is_the_plain_monotone_chain(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(3, 300))
    x = np.sort(rng.choice(1000, n, replace=False)).astype(float)
    y = rng.normal(0, 15, n).cumsum() * (seed % 2) + rng.normal(0, 3, n)
    y = np.round(y) if seed % 3 == 0 else y  # collinear runs
    pts = np.stack([x, y], axis=1)
    assert np.array_equal(lower_hull(pts), _plain_lower_hull(pts))


def test_walk_up_with_an_empty_range_finds_nothing() -> None:
    """A start height above the search's end (a very flat "foot") has no run to follow:
    it used to raise IndexError on dorsal photos measured as medial."""
    frame = FloorFrame(np.array([50.0, 80.0]), np.array([1.0, 0.0]), np.array([0.0, -1.0]))
    mask = np.ones((100, 100), np.uint8)
    assert walk_up(mask, frame, 10.0, 20.0, 15.0) is None
    assert walk_up(mask, frame, 10.0, 2.0, 30.0) == pytest.approx(29.5)
