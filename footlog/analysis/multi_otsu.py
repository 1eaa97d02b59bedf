"""Three-class Otsu thresholds of an 8-bit image (Liao, Chen and Chung 2001).

The classic method: the two thresholds that split the grey-level histogram into three
classes with the largest between-class variance. Written here on numpy rather than imported
from `skimage.filters`, whose import pulls in SciPy's whole array-API layer (about 0.2 s of a
cold `footlog measure`); a test checks it gives scikit-image's thresholds.
"""

from __future__ import annotations

import numpy as np


def three_class_thresholds(image: np.ndarray) -> tuple[int, int]:
    """The two grey levels (0..255, inclusive upper bounds of the lower classes) that split
    an 8-bit image into three classes of the largest between-class variance.

    One histogram bin per grey level present between the image's minimum and maximum, as
    scikit-image does for integer images. Raises ValueError when the image has fewer than
    three distinct levels (no three classes exist).
    """
    values = np.asarray(image)
    if values.dtype != np.uint8:
        raise TypeError("three_class_thresholds expects an 8-bit image")
    low, high = int(values.min()), int(values.max())
    hist = np.bincount(values.ravel() - low, minlength=high - low + 1).astype(np.float64)
    prob = hist / hist.sum()
    present = np.flatnonzero(prob)
    if len(present) < 3:
        raise ValueError(f"the image has only {len(present)} grey levels; three classes need 3")
    if len(present) == 3:
        return low + int(present[0]), low + int(present[1])
    # Scikit-image's arithmetic, reproduced so that near-ties (two thresholds within
    # rounding of each other) fall the same way and photos measure as they did with it:
    # moments in bin units and single precision, summed in order; bin 0 counts in the first
    # moment with weight 1; the class [0, 0] has no variance; a threshold pair's variance is
    # (first class + last class) + middle class; the first maximum in (t1, t2) order wins.
    prob32 = prob.astype(np.float32)
    n = len(prob32)
    weight = np.cumsum(prob32, dtype=np.float32)
    moment_terms = prob32 * np.arange(n, dtype=np.float32)
    moment_terms[0] = prob32[0]
    moment = np.cumsum(moment_terms, dtype=np.float32)

    def variance(first: np.ndarray, last: np.ndarray) -> np.ndarray:
        """Between-class variance share of the classes [first, last] (bins, inclusive)."""
        w = np.where(first > 0, weight[last] - weight[np.maximum(first - 1, 0)], weight[last])
        m = np.where(first > 0, moment[last] - moment[np.maximum(first - 1, 0)], moment[last])
        safe = np.where(w > 0, w, np.float32(1)).astype(np.float32)
        share = np.where(w > 0, (m * m).astype(np.float32) / safe, np.float32(0))
        share = share.astype(np.float32)
        return np.where((first == 0) & (last == 0), np.float32(0), share).astype(np.float32)

    t1, t2 = np.meshgrid(np.arange(n - 2), np.arange(n - 1), indexing="ij")
    valid = t2 > t1
    t2 = np.maximum(t2, t1 + 1)  # placeholder for invalid pairs, masked below
    outer = variance(np.zeros_like(t1), t1) + variance(t2 + 1, np.full_like(t2, n - 1))
    total = (outer.astype(np.float32) + variance(t1 + 1, t2)).astype(np.float32)
    total = np.where(valid & (total > 0), total, np.float32(-1))
    # The first maximum in (t1, t2) order, as the classic search loops.
    best = int(np.argmax(total))
    columns = t1.shape[1]
    return low + best // columns, low + best % columns
