"""The image a detector works on: RGB, at most `work_side` px on its long side."""

from __future__ import annotations

import cv2
import numpy as np


def working_image(
    image_rgb_reduced: np.ndarray, scale_to_full: float, work_side: int
) -> tuple[np.ndarray, float]:
    """Shrink (never enlarge) to fit `work_side` px; returns the image and the scale from
    its pixels to full-resolution pixels of the photo."""
    img = np.ascontiguousarray(image_rgb_reduced[..., :3])
    h, w = img.shape[:2]
    k = min(1.0, work_side / max(h, w))
    if k < 1.0:
        img = cv2.resize(img, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)
    return img, scale_to_full * (w / img.shape[1])
