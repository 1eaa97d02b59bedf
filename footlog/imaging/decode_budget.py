"""How much memory decoding one photo may take, estimated from its header before decoding.

A compressed file says little about its decoded size: a 360 KB PNG can hold 13000 x 13000
16-bit pixels (338 MB once decoded), a 5 KB TIFF twelve thousand square float pixels
(576 MB). Pillow's pixel limit (`Image.MAX_IMAGE_PIXELS`) does not see the difference
between 1 and 4 bytes per pixel, so footlog also counts bytes: `decode_cost` estimates the
peak memory of one read from the width, height and sample layout in the header, and
`reserve` holds that many bytes of a budget shared by every thread of the process (the
window makes thumbnails on several threads), waiting while other decodes use it.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from PIL import ExifTags, Image, ImageMode

from footlog.imaging.rgb_strips import working_bytes

#: Bytes that photo decoding may hold at once in one process (all threads together). With
#: the ~150 MB the measuring code itself needs, this keeps any single photo under 1 GB.
DECODE_BUDGET_BYTES = 500_000_000

#: Formats whose decoder fills buffers of its own that Pillow then copies, and how many
#: times the decoded size they hold while loading (measured): libheif through pillow-heif
#: 2, libwebp (an RGBA frame, returned as bytes, then unpacked) 4.
_DECODER_COPIES = {"HEIF": 2, "WEBP": 4}


def bytes_per_pixel(mode: str) -> int:
    """Bytes Pillow stores per pixel of `mode`: 1 for L and P, 2 for I;16, 4 for I and F,
    and 4 for every multi-band 8-bit mode (Pillow pads RGB pixels to 32 bits)."""
    try:
        layout = ImageMode.getmode(mode)
    except KeyError:
        return 4
    sample = np.dtype(layout.typestr).itemsize
    return sample if len(layout.bands) == 1 else 4 * sample


def decoded_bytes(im: Image.Image) -> int:
    """Bytes the decoded pixels of an opened (not yet loaded) image will take, at the size
    it will decode to (after `draft()` for a JPEG)."""
    width, height = im.size
    return width * height * bytes_per_pixel(im.mode)


def loading_bytes(im: Image.Image) -> int:
    """Peak bytes while Pillow loads an opened image: its decoded pixels, and the copies some
    decoders make (`_DECODER_COPIES`, or a TIFF turned upright while loading)."""
    copies = _DECODER_COPIES.get(im.format or "", 2 if _turns_on_load(im) else 1)
    return copies * decoded_bytes(im)


def _turns_on_load(im: Image.Image) -> bool:
    """A TIFF with an orientation tag: Pillow turns it upright while loading, in a copy."""
    tags = getattr(im, "tag_v2", None)
    return tags is not None and tags.get(ExifTags.Base.Orientation, 1) not in (1, None)


def decode_cost(im: Image.Image, out_size: tuple[int, int] | None) -> int:
    """Peak bytes of reading an opened image into an 8-bit RGB array of `out_size` px (None:
    its full decoded size).

    Loading peaks first (`loading_bytes`). While the result is made, the decoded picture and
    the conversion's working memory (`rgb_strips.working_bytes`) exist together. The decoded
    picture is then released; a reduction's Pillow image (4 bytes per pixel) and its array
    exist together, then the array and its upright copy (3 + 3).
    """
    working = working_bytes(im.mode, im.size, out_size)
    if out_size is None:
        after = 6 * im.size[0] * im.size[1]
    else:
        after = 4 * out_size[0] * out_size[1] + working_bytes("RGB", out_size, None)
    return max(loading_bytes(im), decoded_bytes(im) + working, after)


def megabytes(nbytes: int) -> str:
    """`nbytes` as a whole number of megabytes (10**6 bytes), rounded up: "339 MB"."""
    return f"{math.ceil(nbytes / 1e6)} MB"


class _Budget:
    """Bytes reserved by decodes in progress; a reservation waits until it fits."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.reserved = 0
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, nbytes: int) -> Iterator[None]:
        with self._changed:
            # A decode runs when it fits beside the others, or alone.
            self._changed.wait_for(
                lambda: self.reserved == 0 or self.reserved + nbytes <= self.capacity
            )
            self.reserved += nbytes
        try:
            yield
        finally:
            with self._changed:
                self.reserved -= nbytes
                self._changed.notify_all()


_BUDGET = _Budget(DECODE_BUDGET_BYTES)


def capacity() -> int:
    """The bytes all decodes of this process may hold at once."""
    return _BUDGET.capacity


def fits(nbytes: int) -> bool:
    """Whether a decode needing `nbytes` may run at all."""
    return nbytes <= _BUDGET.capacity


@contextmanager
def reserve(nbytes: int) -> Iterator[None]:
    """Hold `nbytes` of the process's decode budget for the duration of the block, waiting
    for other threads' decodes to finish when it does not fit beside them. Check `fits`
    first: a reservation larger than the whole budget would wait only for the others."""
    with _BUDGET.hold(nbytes):
        yield
