"""Thumbnails of library photos, cached on disk beside the library (derived data)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from PIL import Image

from footlog.imaging.photo_io import read_reduced

THUMB_SIDE = 256  # px, long side


def thumbnail_path(cache_dir: Path, sha256: str, side: int = THUMB_SIDE) -> Path:
    return cache_dir / "thumbs" / f"{sha256[:2]}" / f"{sha256}_{side}.jpg"


def ensure_thumbnail(photo: Path, cache_dir: Path, sha256: str, side: int = THUMB_SIDE) -> Path:
    """Return the cached thumbnail of `photo`, making it first if needed.

    Written to a temporary name and renamed, so a reader never sees half a JPEG and two
    workers making the same thumbnail do no harm.
    """
    target = thumbnail_path(cache_dir, sha256, side)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    reduced = read_reduced(photo, side)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            Image.fromarray(reduced.pixels).save(handle, format="JPEG", quality=85)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return target
