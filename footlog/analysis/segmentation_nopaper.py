"""A coarse foot mask made exact at working size, without a page to tell it from.

The coarse mask (found on a small copy of the picture, `foot_model`) is right away from its
boundary; in a band around that boundary each pixel is relabelled by the likelihood ratio
of two Gaussian colour models in Lab, the foot's and the floor's, learnt from the coarse
mask's inside and outside.

All sizes are fractions of the image side; nothing is tuned to one photo.
"""

from __future__ import annotations

from typing import cast

import cv2
import numpy as np

BAND = 0.012  # half-width of the relabelled band, share of the picture's long side
MIN_SAMPLES = 200  # px of foot and of floor needed to learn their colours


def refine_band(rgb: np.ndarray, coarse: np.ndarray) -> np.ndarray | None:
    """Relabel a band around the coarse (uint8 0/1) boundary by foot / floor Gaussian
    colour models; the largest region of the result, or None when there is too little of
    the foot or of the floor to learn their colours."""
    h, w = coarse.shape
    lab = cv2.cvtColor(rgb, cv2.COLOR_RGB2LAB).reshape(-1, 3).astype(np.float32)
    r = max(2, round(BAND * max(h, w)))
    ker = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1,) * 2)
    inner = cv2.erode(coarse, ker).ravel().astype(bool)
    outer = ~cv2.dilate(coarse, ker).ravel().astype(bool)
    if inner.sum() < MIN_SAMPLES or outer.sum() < MIN_SAMPLES:
        return None
    band = ~inner & ~outer
    in_band = lab[band]
    ll = []
    for sel in (inner, outer):
        # Every k-th pixel of the selection (~20000 of them), gathered by index: only
        # those are copied.
        where = np.flatnonzero(sel)
        x = lab[where[:: max(1, len(where) // 20000)]]
        mu = x.mean(axis=0)
        d = x - mu
        # The covariance by einsum, not np.cov: its matrix product goes to the threaded
        # BLAS, whose threads wait for cores on a busy machine (see outline._principal_axis).
        cov = np.einsum("ni,nj->ij", d, d) / max(len(d) - 1, 1) + np.eye(3)
        icov = np.linalg.inv(cov)
        dx = in_band - mu
        ll.append(-0.5 * np.einsum("ij,jk,ik->i", dx, icov, dx)
                  - 0.5 * np.log(np.linalg.det(cov)))
    out = inner.copy()
    out[band] = ll[0] > ll[1]
    mask: np.ndarray = out.reshape(h, w).astype(np.uint8)
    k = max(3, round(0.006 * max(h, w)) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k))
    mask = cv2.morphologyEx(cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel),
                            cv2.MORPH_CLOSE, kernel)
    # Labels and their areas counted apart: OpenCV's statistics cost ~4x the labelling.
    n, labels = cv2.connectedComponents(mask, connectivity=8)
    if n < 2:
        return None
    i = 1 + int(np.argmax(np.bincount(labels.ravel(), minlength=n)[1:]))
    return cast(np.ndarray, (labels == i).astype(np.uint8))
