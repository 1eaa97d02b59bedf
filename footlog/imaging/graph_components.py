"""Connected components of a small undirected graph given by its edges.

Labels follow SciPy's `csgraph.connected_components`: components are numbered in the order of
their lowest node. Written on numpy so that finding the page does not import SciPy (whose
import is a fifth of a cold `footlog measure`).
"""

from __future__ import annotations

import numpy as np


def connected_components(count: int, first: np.ndarray, second: np.ndarray
                         ) -> tuple[int, np.ndarray]:
    """Number of components and each node's component (0-based), for `count` nodes joined by
    the edges first[q] - second[q]. Nodes without edges are components of their own."""
    root = np.arange(count)
    first = np.asarray(first, dtype=np.int64)
    second = np.asarray(second, dtype=np.int64)
    # Each node points to the lowest node reached so far; hooking the larger root under the
    # smaller one, then jumping pointers, converges in a few rounds on sparse graphs.
    while True:
        a, b = root[first], root[second]
        low, high = np.minimum(a, b), np.maximum(a, b)
        changed = low != high
        if not changed.any():
            break
        np.minimum.at(root, high[changed], low[changed])
        while True:
            jumped = root[root]
            if np.array_equal(jumped, root):
                break
            root = jumped
    # Roots are each component's lowest node, so ordering them orders components as SciPy.
    _, label = np.unique(root, return_inverse=True)
    return int(label.max()) + 1 if count else 0, label.astype(np.int32)
