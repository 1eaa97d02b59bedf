"""Reading EXIF values safely: a damaged block, a zero rational or padded text give None,
never an exception (the pixels of such a photo may still be fine).

Lengths: `per_mm` turns a focal-plane resolution into px per mm.
"""

from __future__ import annotations

import math

from PIL import Image


def safe_exif(im: Image.Image) -> Image.Exif:
    """The image's EXIF, or an empty one when it is damaged (the pixels may still be fine)."""
    try:
        return im.getexif()
    except Exception:  # broken EXIF blocks raise many kinds of errors inside Pillow
        return Image.Exif()


def safe_ifd(exif: Image.Exif, ifd: int) -> dict[int, object]:
    try:
        return dict(exif.get_ifd(ifd))
    except Exception:
        return {}


# EXIF FocalPlaneResolutionUnit: 2 inch (the default), 3 cm, 4 mm, 5 um (EXIF 2.32).
_MM_PER_UNIT = {2: 25.4, 3: 10.0, 4: 1.0, 5: 0.001}


def positive(value: object) -> float | None:
    """An EXIF number (integer or rational) when finite and positive, else None."""
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    return v if math.isfinite(v) and v > 0 else None


def whole(value: object) -> int | None:
    v = positive(value)
    return int(v) if v is not None and v == int(v) else None


def per_mm(resolution: object, unit: object) -> float | None:
    """EXIF FocalPlaneXResolution (px per `unit`) in px per mm, or None."""
    v = positive(resolution)
    mm = _MM_PER_UNIT.get(unit) if isinstance(unit, int) else None
    return None if v is None or mm is None else v / mm


def text(value: object) -> str | None:
    """An EXIF ASCII value, without the NUL padding and blanks some cameras write."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    value = value.replace("\x00", "").strip()
    return value or None
