"""The foot-aligned frame: the foot rotated so that the toes point up (and mirrored so that
it looks like a right foot, big toe on the left, once the side is known).

In this frame every rule of the detector is simple and rotation-invariant: distal is -y,
medial is -x (after mirroring), the toe row is the upper envelope of the mask, the medial
border is the leftmost foot pixel of each row. Pixels keep the working image's size (a
rotation, no scaling), so lengths in W (forefoot width) carry over unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import cv2
import numpy as np


@dataclass
class Frame:
    """Foot mask, grey image and valid-edge mask resampled in the aligned frame.

    M: 2x3 affine map working image px -> aligned px; Minv its inverse.
    mask, valid: uint8 0/1; gray: float32 0..255 (luminance of the working image).
    mirrored: True when x was flipped (a left foot shown as a right one).
    """

    M: np.ndarray
    Minv: np.ndarray
    mask: np.ndarray
    gray: np.ndarray
    valid: np.ndarray
    mirrored: bool = False

    def to_image(self, p: np.ndarray) -> np.ndarray:
        """Aligned-frame points (..., 2) -> working-image points (..., 2), px."""
        p = np.asarray(p, float)
        return cast(np.ndarray, p @ self.Minv[:, :2].T + self.Minv[:, 2])

    def to_frame(self, p: np.ndarray) -> np.ndarray:
        """Working-image points (..., 2) -> aligned-frame points (..., 2), px."""
        p = np.asarray(p, float)
        return cast(np.ndarray, p @ self.M[:, :2].T + self.M[:, 2])

    def mirror(self) -> Frame:
        """The same frame flipped left-right (x -> w - 1 - x)."""
        w = self.mask.shape[1]
        flip = np.array([[-1.0, 0.0, w - 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        m = flip @ np.vstack([self.M, [0, 0, 1]])
        return Frame(m[:2], cv2.invertAffineTransform(m[:2]), self.mask[:, ::-1].copy(),
                     self.gray[:, ::-1].copy(), self.valid[:, ::-1].copy(), not self.mirrored)


def align(mask: np.ndarray, gray: np.ndarray, valid_edge: np.ndarray, distal: np.ndarray,
          margin: int = 8) -> Frame:
    """Rotate mask, grey and valid-edge images so that `distal` (unit vector) points up.

    The output canvas just holds the rotated foot mask plus `margin` px on every side.
    """
    # Rotation R with R @ distal = (0, -1): angle from distal to "up".
    up = np.array([0.0, -1.0])
    c = float(distal @ up)
    s = float(distal[0] * up[1] - distal[1] * up[0])
    rot = np.array([[c, -s], [s, c]])
    # The rotated extremes of the mask lie on its outer borders: rotate those, not every
    # foot pixel (same bounds, a few hundred points instead of ~100 000).
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    pts = np.vstack([cn.reshape(-1, 2) for cn in contours]).astype(float)
    q = pts @ rot.T
    lo = q.min(axis=0) - margin
    hi = q.max(axis=0) + margin
    m = np.hstack([rot, -lo[:, None]])
    size = (int(np.ceil(hi[0] - lo[0])) + 1, int(np.ceil(hi[1] - lo[1])) + 1)
    warp_mask = cv2.warpAffine(mask, m, size, flags=cv2.INTER_NEAREST, borderValue=0)
    warp_gray = _warp_replicate(gray.astype(np.float32), m, size)
    # Outside the working image nothing is a valid skin edge.
    warp_valid = cv2.warpAffine(valid_edge, m, size, flags=cv2.INTER_NEAREST, borderValue=0)
    return Frame(m, cv2.invertAffineTransform(m), warp_mask, warp_gray, warp_valid)


def _warp_replicate(img: np.ndarray, m: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """`cv2.warpAffine(..., INTER_LINEAR, BORDER_REPLICATE)`, ~4x faster: OpenCV's
    replicate border is slow, so the picture is padded by replication (as far as the output
    reaches outside it) and warped with a constant border, shifted by the padding."""
    h, w = img.shape[:2]
    inv = cv2.invertAffineTransform(m)
    corners = np.array([[0, 0], [size[0], 0], [0, size[1]], [size[0], size[1]]], float)
    src = corners @ inv[:, :2].T + inv[:, 2]
    pad = int(np.ceil(max(0.0, -src.min(), (src[:, 0] - w).max(), (src[:, 1] - h).max()))) + 2
    padded = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    shifted = m.copy()
    shifted[:, 2] -= m[:, :2] @ np.array([pad, pad], float)  # padded px = image px + pad
    return cv2.warpAffine(padded, shifted, size, flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT)


def row_extent(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Leftmost and rightmost foot column of every row (NaN for empty rows)."""
    w = mask.shape[1]
    has = mask.any(axis=1)
    left = np.where(has, np.argmax(mask, axis=1), np.nan).astype(float)
    right = np.where(has, w - 1 - np.argmax(mask[:, ::-1], axis=1), np.nan).astype(float)
    return left, right


def top_envelope(mask: np.ndarray) -> np.ndarray:
    """Topmost foot row of every column (NaN for empty columns): the distal profile."""
    has = mask.any(axis=0)
    return np.where(has, np.argmax(mask, axis=0), np.nan).astype(float)
