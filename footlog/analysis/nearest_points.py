"""Nearest-neighbour search among 2-D points, for fitting one outline onto another.

An exact k-d tree (OpenCV's FLANN single k-d tree, searched without approximation), built once
for the many steps of a fit. OpenCV is already footlog's image library; using its tree rather
than SciPy's keeps SciPy out of the desktop bundle (about 50 MB) and out of start-up.
"""

from __future__ import annotations

import cv2
import numpy as np

# FLANN's single k-d tree (FLANN_INDEX_KDTREE_SINGLE): exact nearest neighbours, unlike the
# randomised forests FLANN is known for.
_KDTREE_SINGLE = 4
_LEAF_SIZE = 10  # points per leaf: small sets, so a shallow search either way


class NearestPoints:
    """The points `dst` (N x 2, any unit), ready to be searched."""

    def __init__(self, dst: np.ndarray) -> None:
        self.points = np.asarray(dst, dtype=np.float64).reshape(-1, 2)
        if len(self.points) == 0:
            raise ValueError("no points to search among")
        # OpenCV has flann_Index; its bundled stubs leave it out.
        self._index = cv2.flann_Index(  # type: ignore[attr-defined]
            np.ascontiguousarray(self.points, dtype=np.float32),
            {"algorithm": _KDTREE_SINGLE, "leaf_max_size": _LEAF_SIZE},
        )

    def query(self, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each point of `src`, the index of its nearest point and the distance to it
        (the unit of the points, computed in double precision)."""
        query = np.ascontiguousarray(np.asarray(src, dtype=np.float64).reshape(-1, 2))
        if len(query) == 0:
            return np.zeros(0, int), np.zeros(0, float)
        idx, _squared = self._index.knnSearch(query.astype(np.float32), 1, params={})
        idx = idx[:, 0].astype(int)
        return idx, np.linalg.norm(query - self.points[idx], axis=1)
