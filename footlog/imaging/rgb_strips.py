"""Decoded pictures of any Pillow mode -> 8-bit RGB, converted a strip of rows at a time.

Converting a whole 16-bit, float or transparent picture at once makes several full-size
copies (wide numpy arrays, a white canvas to composite on, ...): 3.5 GB for one 13000 x
13000 16-bit PNG. Here the picture is converted in strips of about `STRIP_PIXELS` pixels
and, when it is to be shrunk, each strip is first block-averaged by a whole factor
(`Image.reduce`, as Pillow's own `reducing_gap` does) before a bilinear resampling gives
the exact size, so memory beyond the decoded picture stays a small fraction of it.

Deep grey pictures (16-bit, 32-bit integer, 32-bit float) are mapped to 0..255 by the range
`deep_range` chooses. Transparency is composited on white. Colour profiles are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import cast

import numpy as np
from PIL import Image

#: Pixels converted at once: temporaries of a few megabytes whatever the picture's size.
STRIP_PIXELS = 1 << 20

#: Modes Pillow resamples as they are, without converting first.
DIRECT_MODES = frozenset({"RGB", "L"})

_TRANSPARENT_MODES = frozenset({"RGBA", "LA", "La", "RGBa", "PA"})

#: Bytes of temporaries per strip pixel: the cropped strip (up to 4), a float32 copy (4),
#: its 8-bit result (1) and an RGB strip (4), rounded up.
_STRIP_BYTES_PER_PIXEL = 16

Converter = Callable[[Image.Image], Image.Image]


class UnsupportedMode(ValueError):
    """Pillow cannot convert this mode to RGB (e.g. LAB TIFFs)."""


def is_deep(mode: str) -> bool:
    """16-bit or 32-bit integer, or 32-bit float, grey: "I;16", "I;16B", "I", "F"."""
    return mode.startswith("I") or mode == "F"


def reduction_factor(scale: float) -> int:
    """The whole factor to block-average by before resampling by `scale` (source px per
    result px): the bilinear filter is then left a reduction between 1x and 2x."""
    return max(1, int(scale))


def working_bytes(mode: str, size: tuple[int, int], out_size: tuple[int, int] | None) -> int:
    """Bytes needed beside a decoded picture (`mode`, `size` px) while it becomes an RGB
    picture of `out_size` px (`reduced_rgb`), or, for None, an array of its full size
    (`full_array`).

    Pillow resamples rows first, into a picture as wide as the result and as tall as the
    source, then columns; that first picture counts as much as the result.
    """
    width, height = size
    strips = min(STRIP_PIXELS, width * height) * _STRIP_BYTES_PER_PIXEL
    if out_size is None:
        return 3 * width * height + strips
    out_w, out_h = out_size
    result = 4 * out_w * out_h
    if mode in DIRECT_MODES:
        return (1 if mode == "L" else 4) * out_w * height + result
    factor = reduction_factor(min(width / out_w, height / out_h))
    inter_w, inter_h = math.ceil(width / factor), math.ceil(height / factor)
    sample = 1 if is_deep(mode) else 4  # deep pictures become grey (L), others RGB
    return sample * (inter_w + out_w) * inter_h + result + strips


def check_mode(mode: str) -> None:
    """Raise UnsupportedMode now, before decoding, when a `mode` picture cannot become RGB."""
    probe = Image.new(mode, (1, 1))
    try:
        converter(probe)(probe)
    except ValueError as exc:
        raise UnsupportedMode(mode) from exc


def reduced_rgb(im: Image.Image, size: tuple[int, int],
                box: tuple[float, float, float, float]) -> Image.Image:
    """The part `box` (x0, y0, x1, y1, decoded px) of a loaded picture, resampled to `size`
    px, as 8-bit RGB."""
    if im.mode in DIRECT_MODES:
        out = im.resize(size, Image.Resampling.BILINEAR, box=box)
    else:
        scale = min((box[2] - box[0]) / size[0], (box[3] - box[1]) / size[1])
        factor = reduction_factor(scale)
        inter = _reduced_by(im, factor)
        x0, y0, x1, y1 = box
        kbox = (x0 / factor, y0 / factor, x1 / factor, y1 / factor)
        out = inter.resize(size, Image.Resampling.BILINEAR, box=kbox)
    return out if out.mode == "RGB" else out.convert("RGB")


def full_array(im: Image.Image) -> np.ndarray:
    """A loaded picture of any mode as an H x W x 3 uint8 RGB array, made strip by strip:
    no full-size copy in another depth, nor the 2 copies Pillow's `tobytes` makes."""
    width, height = im.size
    out = np.empty((height, width, 3), np.uint8)
    convert = converter(im)
    for top, strip in _strips(im, _rows_per_strip(width, 1)):
        part = np.asarray(convert(strip))
        out[top : top + part.shape[0]] = part if part.ndim == 3 else part[..., None]
    return out


def converter(im: Image.Image) -> Converter:
    """How one strip of `im` becomes 8-bit: "L" for grey (deep or not), "RGB" otherwise."""
    mode = im.mode
    if is_deep(mode):
        low, high = deep_range(im)
        return lambda strip: Image.fromarray(deep_to_uint8(np.asarray(strip), low, high))
    if mode in DIRECT_MODES:
        return lambda strip: strip
    if mode in _TRANSPARENT_MODES or (mode == "P" and "transparency" in im.info):
        return _on_white
    # 1, P, CMYK, YCbCr...; CMYK is converted naively (no ICC), enough for geometry.
    return lambda strip: strip.convert("RGB")


def deep_range(im: Image.Image) -> tuple[float, float]:
    """The values of a deep grey picture that become 0 and 255.

    Its nominal range when the values fit it: 0..1 for floats, 0..255 for integers that are
    8-bit data in a wider container, 0..65535 for 16-bit data. Otherwise its own range from
    min(0, lowest) to its highest value. NaN and infinite values are left out.
    """
    low, high = _finite_extrema(im)
    if im.mode == "F":
        if low >= 0 and high <= 1:
            return 0.0, 1.0
    elif low >= 0 and high <= 255:
        return 0.0, 255.0
    elif low >= 0 and high <= 65535:
        return 0.0, 65535.0
    low = min(low, 0.0)
    return low, high if high > low else low + 1.0


def deep_to_uint8(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Deep grey values -> uint8, `low` -> 0 and `high` -> 255, linearly, rounded; NaN -> 0."""
    scaled = (values.astype(np.float32) - np.float32(low)) * np.float32(255.0 / (high - low))
    scaled = np.nan_to_num(scaled, nan=0.0, posinf=255.0, neginf=0.0)
    return np.clip(scaled, 0, 255, out=scaled).round().astype(np.uint8)


# --- strips ---------------------------------------------------------------------------------------


def _reduced_by(im: Image.Image, factor: int) -> Image.Image:
    """The whole picture, converted to 8 bits and block-averaged by `factor`."""
    width, height = im.size
    convert = converter(im)
    inter: Image.Image | None = None
    for top, strip in _strips(im, _rows_per_strip(width, factor)):
        part = convert(strip)
        if factor > 1:
            part = part.reduce(factor)
        if inter is None:
            size = (math.ceil(width / factor), math.ceil(height / factor))
            inter = Image.new(part.mode, size)
        # Strips start on multiples of `factor`: each block lies wholly in one strip.
        inter.paste(part, (0, top // factor))
    assert inter is not None  # a loaded picture has at least one row
    return inter


def _rows_per_strip(width: int, factor: int) -> int:
    """Rows per strip: about STRIP_PIXELS pixels, a multiple of `factor`."""
    return factor * max(1, STRIP_PIXELS // max(1, width * factor))


def _strips(im: Image.Image, rows: int) -> Iterator[tuple[int, Image.Image]]:
    """(top row, strip) for consecutive strips of `rows` rows (the last may be shorter)."""
    width, height = im.size
    for top in range(0, height, rows):
        yield top, im.crop((0, top, width, min(height, top + rows)))


def _finite_extrema(im: Image.Image) -> tuple[float, float]:
    """Lowest and highest finite value of a deep grey picture; (0, 1) when none is finite."""
    try:
        # One pass in C, no copy; one band, so (low, high) rather than one pair per band.
        low, high = cast(tuple[float, float], im.getextrema())
    except ValueError:  # e.g. big-endian "I;16B", which Pillow cannot scan
        low, high = math.nan, math.nan
    if math.isfinite(low) and math.isfinite(high):
        return float(low), float(high)
    found: list[tuple[float, float]] = []
    for _, strip in _strips(im, _rows_per_strip(im.size[0], 1)):
        values = np.asarray(strip)
        finite = values[np.isfinite(values)] if values.dtype.kind == "f" else values
        if finite.size:
            found.append((float(finite.min()), float(finite.max())))
    if not found:
        return 0.0, 1.0
    return min(lo for lo, _ in found), max(hi for _, hi in found)


def _on_white(strip: Image.Image) -> Image.Image:
    """A strip with transparency, composited on white, as RGB."""
    rgba = strip.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(white, rgba).convert("RGB")
