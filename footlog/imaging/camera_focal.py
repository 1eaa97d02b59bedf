"""The camera's focal length in pixels, from a photo's EXIF.

A page's side ratio can be read from its picture only through the focal length (see
`footlog.domain.page_geometry`). Phones write it two ways:

- FocalLengthIn35mmFilm: the focal length a full-frame camera (36 x 24 mm, diagonal
  43.27 mm) would need for the same view. Makers compute it from the diagonal (some from
  the width: 4 % apart on a 4:3 picture), so in px it is f35 / 43.27 x the picture's
  diagonal in px; `page_geometry.EXIF_FOCAL_TOLERANCE` allows for the difference;
- FocalLength (mm) with FocalPlaneXResolution (px per mm on the sensor): exact, when given
  (cameras write it; phones rarely).

A photo cropped or resized after it was taken keeps its EXIF but not its view: the
35 mm equivalent then lies. A resize is undone with PixelXDimension when written; a crop
cannot be seen, so a value implying a lens no camera has is dropped.
"""

from __future__ import annotations

import math
import os

from footlog.imaging.photo_io import PhotoError, PhotoFileInfo, probe

FULL_FRAME_DIAGONAL_MM = 43.27
# Focal lengths, per picture diagonal, of lenses that exist on cameras: 0.25 (an 11 mm
# equivalent ultra-wide) to 6 (a 260 mm telephoto). Outside: a broken or rewritten EXIF.
PLAUSIBLE_PER_DIAGONAL = (0.25, 6.0)


def focal_length_px(info: PhotoFileInfo) -> float | None:
    """The focal length in px of the full-resolution upright photo `info` describes, or
    None when its EXIF does not say (or says something no camera could)."""
    diag = math.hypot(info.width, info.height)
    focal = None
    if info.focal_length_mm and info.focal_plane_px_per_mm:
        focal = info.focal_length_mm * info.focal_plane_px_per_mm
        # The resolution is given for the picture the camera wrote: PixelXDimension wide.
        if info.exif_pixel_width and info.stored_width:
            focal *= info.stored_width / info.exif_pixel_width
    elif info.focal_length_35mm:
        focal = info.focal_length_35mm / FULL_FRAME_DIAGONAL_MM * diag
    if focal is None or diag <= 0:
        return None
    lo, hi = PLAUSIBLE_PER_DIAGONAL
    return focal if lo <= focal / diag <= hi else None


def read_focal_length_px(path: str | os.PathLike[str]) -> float | None:
    """`focal_length_px` of the photo file at `path` (its header only), None when the file
    does not say or cannot be read."""
    try:
        return focal_length_px(probe(path, verify=False))
    except PhotoError:
        return None
