"""footlog's numpy three-class Otsu and graph components give what scikit-image and SciPy
give (they replace them on the measuring path only to keep start-up short)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components as scipy_components
from skimage.filters import threshold_multiotsu

from footlog.analysis.multi_otsu import three_class_thresholds
from footlog.imaging.graph_components import connected_components


@pytest.mark.parametrize("seed", range(40))
def test_three_class_thresholds_match_scikit_image(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Mixtures of three grey populations at random places, spreads and sizes, as a floor,
    # skin and a sheet of paper give; some narrow (few levels), some clipped at 255.
    centres = np.sort(rng.uniform(20, 250, 3))
    spread = rng.uniform(1, 25, 3)
    sizes = rng.integers(50, 4000, 3)
    values = np.concatenate([rng.normal(c, s, n) for c, s, n in
                             zip(centres, spread, sizes, strict=True)])
    image = np.clip(values, 0, 255).astype(np.uint8).reshape(1, -1)
    expected = threshold_multiotsu(image, classes=3)
    assert three_class_thresholds(image) == tuple(int(t) for t in expected)


def test_three_class_thresholds_on_the_score_images_of_real_photos() -> None:
    from PIL import Image

    from footlog.analysis.segmentation import _lab
    paths = sorted((Path(__file__).parent / "data" / "photos").glob("*.jpg"))
    for path in paths:
        rgb = np.asarray(Image.open(path).convert("RGB").reduce(4))
        light, a, b, _ = _lab(rgb)
        score = np.clip(light - 3.0 * cv2.magnitude(a, b), 0, 255).astype(np.uint8)
        expected = threshold_multiotsu(score[::2, ::2], classes=3)
        assert three_class_thresholds(score[::2, ::2]) == tuple(int(t) for t in expected), path


def test_three_class_thresholds_need_three_levels() -> None:
    with pytest.raises(ValueError):
        three_class_thresholds(np.array([[3, 3, 200, 200]], dtype=np.uint8))
    assert three_class_thresholds(np.array([[3, 90, 200, 200]], dtype=np.uint8)) == (3, 90)


@pytest.mark.parametrize("seed", range(30))
def test_components_match_scipy(seed: int) -> None:
    rng = np.random.default_rng(seed)
    count = int(rng.integers(1, 300))
    edges = int(rng.integers(0, count * 2))
    ii = rng.integers(0, count, edges)
    jj = rng.integers(0, count, edges)
    graph = coo_matrix((np.ones(edges), (ii, jj)), shape=(count, count))
    n_expected, expected = scipy_components(graph, directed=False)
    n, label = connected_components(count, ii, jj)
    assert n == n_expected
    assert np.array_equal(label, expected)


def test_components_of_a_long_chain_and_no_edges() -> None:
    # A chain given backwards is the slow case for pointer hooking: it must still finish.
    count = 500
    n, label = connected_components(count, np.arange(count - 1)[::-1] + 1,
                                    np.arange(count - 1)[::-1])
    assert n == 1 and not label.any()
    n, label = connected_components(4, np.array([], int), np.array([], int))
    assert n == 4 and list(label) == [0, 1, 2, 3]
