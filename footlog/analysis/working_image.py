"""The image a detector works on: RGB, at most `work_side` px on its long side."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from typing import Any

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


class WorkingPicture:
    """The working image of one decoded picture and the largest pale region on it
    (`segmentation.pale_region`), each made on first use and then kept: the search for two
    feet and the measuring of a lone foot both start from them, on the same pixels.

    It belongs to the very array it was made from: `fits` is true only for that array
    (the same object, not an equal one), at the same scale and working side, so another
    photo, another foot's picture (the other foot painted over) or another size never
    reuses it. The array must not be changed in place while it is in use.

    Work on the picture that can run beside other work (the page's calibration beside the
    search for two feet) may be started in a thread (`start`) and taken later (`made`).
    """

    def __init__(self, pixels: np.ndarray, scale_to_full: float, work_side: int) -> None:
        self.source = pixels
        self.scale_to_full = scale_to_full
        self.work_side = work_side
        self._started: dict[Hashable, Future[Any]] = {}

    def start(self, key: Hashable, make: Callable[[WorkingPicture], Any]) -> None:
        """Begin `make(self)` in a thread of its own, for `made(key, ...)` to take. The
        working image and the pale region are made first, here, so that both threads use
        the same ones."""
        _ = self.image, self.pale
        pool = ThreadPoolExecutor(1)
        self._started[key] = pool.submit(make, self)
        pool.shutdown(wait=False)  # the thread ends with its one task

    def drop(self, key: Hashable) -> None:
        """Wait for what `start(key, ...)` began, if anything, and drop it: when it is not
        wanted after all, it must not run on beside the work that follows."""
        started = self._started.pop(key, None)
        if started is not None:
            started.exception()  # waits; what went wrong is of no use either

    def made(self, key: Hashable, make: Callable[[WorkingPicture], Any]) -> Any:
        """What `start(key, ...)` began (waiting for it; taken once), else `make(self)`.
        `key` names all that the result depends on besides the picture."""
        started = self._started.pop(key, None)
        return make(self) if started is None else started.result()

    def fits(self, pixels: np.ndarray, scale_to_full: float, work_side: int) -> bool:
        """Whether this is the working picture of `pixels` at that scale and side."""
        return (pixels is self.source and scale_to_full == self.scale_to_full
                and work_side == self.work_side)

    @cached_property
    def _made(self) -> tuple[np.ndarray, float]:
        return working_image(self.source, self.scale_to_full, self.work_side)

    @property
    def image(self) -> np.ndarray:
        """The working image (RGB uint8, at most `work_side` px on its long side)."""
        return self._made[0]

    @property
    def f(self) -> float:
        """Full-resolution px per px of the working image."""
        return self._made[1]

    @cached_property
    def pale(self) -> np.ndarray | None:
        """The largest pale region of the working image (a convex polygon in its OpenCV
        px), or None: where a page probably lies."""
        from footlog.analysis.segmentation import pale_region

        return pale_region(self.image)


def working_picture(picture: WorkingPicture | None, pixels: np.ndarray, scale_to_full: float,
                    work_side: int) -> WorkingPicture:
    """`picture` when it is the working picture of `pixels` (`WorkingPicture.fits`), else a
    new one."""
    if picture is not None and picture.fits(pixels, scale_to_full, work_side):
        return picture
    return WorkingPicture(pixels, scale_to_full, work_side)


def to_full(point: Any, factor: float) -> tuple[float, float]:
    """A working-image pixel (column, row index) as a point of the full-resolution photo,
    `factor` full-resolution px per working px. Pixel index i is the continuous coordinate
    i + 0.5 (footlog.imaging.photo_io), and continuous coordinates scale by one factor."""
    return (float((point[0] + 0.5) * factor), float((point[1] + 0.5) * factor))
