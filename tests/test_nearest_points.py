"""footlog's nearest-point search finds what SciPy's k-d tree finds."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from footlog.analysis.nearest_points import NearestPoints


@pytest.mark.parametrize("seed", range(10))
def test_nearest_points_match_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Outline-like sets: points along a closed curve in photo pixels, and a moved copy.
    t = np.sort(rng.uniform(0, 2 * np.pi, int(rng.integers(20, 3000))))
    dst = np.column_stack([1500 + 900 * np.cos(t), 2000 + 1600 * np.sin(t)])
    dst += rng.normal(0, 2, dst.shape)
    src = dst[rng.permutation(len(dst))[: len(dst) // 2]] * 1.03 + rng.normal(0, 15, 2)
    dist_expected, idx_expected = cKDTree(dst).query(src)
    idx, dist = NearestPoints(dst).query(src)
    assert np.array_equal(idx, idx_expected)
    assert np.allclose(dist, dist_expected, rtol=0, atol=1e-9)


def test_nearest_points_of_nothing() -> None:
    tree = NearestPoints(np.array([[0.0, 0.0], [10.0, 0.0]]))
    idx, dist = tree.query(np.zeros((0, 2)))
    assert len(idx) == 0 and len(dist) == 0
    assert tree.query(np.array([[9.0, 1.0]]))[0].tolist() == [1]
    with pytest.raises(ValueError):
        NearestPoints(np.zeros((0, 2)))
