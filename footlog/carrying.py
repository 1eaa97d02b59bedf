"""Carrying a person's confirmed landmarks onto a new photo of the same foot.

After the detector has measured a dorsal photo of a known foot, the person's confirmed
photos of that foot are ranked by how alike their landmarks are to the detector's
(`analysis.carry.likeness`, no image read), the likest CANDIDATES are registered onto the
new photo (`analysis.carry.carry`: outline first, on the floor plane when both have a
scale, then each toe tip matched by its neighbourhood in the image), and
`analysis.carry_merge.merge` decides what the photo keeps: a carried toe tip where the
detector put it elsewhere or found none (the photo then asks to be reviewed, naming it),
the detector's own landmarks everywhere else. docs/CARRYING.md has the figures behind it.

The grey neighbourhood of each confirmed photo's toes is cached in the library
(`storage.template_store`), so that carrying does not decode every confirmed photo again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from footlog.domain.photo import Photo
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View
from footlog.storage.library import Library
from footlog.storage.template_store import (
    ConfirmedPhoto,
    TemplateImage,
    confirmed_landmarks,
    confirmed_photo,
    load_template_image,
    store_template_image,
)

if TYPE_CHECKING:
    from footlog.analysis.carry import Shot

# OpenCV and the registration code (footlog.analysis.carry) are imported only once a person
# has a confirmed photo of the foot: importing a native library in any thread stalls the
# window's thread, and most photos have nothing to carry.

CANDIDATES = 3  # the likest confirmed photos registered onto a new one (~6 ms each)
# (W) the cached neighbourhood reaches beyond the outermost point landmark by the matched
# patch (analysis.carry.PATCH) and the search around it (SEARCH), plus this room for a
# moved toe.
CROP_ROOM = 0.1
TEMPLATE_SIDE = 1000  # px, long side of the reduced decode a template image is cut from


def carry_onto(lib: Library, photo: Photo, result: MeasureResult,
               pixels: np.ndarray, scale: float) -> None:
    """Carry the person's confirmed landmarks onto `result` (the detector's, for the photo
    row `photo`; `pixels`: the RGB picture it was measured on, `scale` full px per pixel),
    changing it in place: landmarks, `carried_from`, warnings and status. Does nothing
    for a view other than dorsal, an unknown foot, a failed detection, or a person with no
    confirmed photo of this foot."""
    if result.view != View.DORSAL or result.foot == Foot.UNKNOWN:
        return
    if result.status == Status.FAILED or not result.outline:
        return
    confirmed = confirmed_landmarks(lib, int(photo.person_id), str(result.foot),
                                    str(result.view), int(photo.id))
    if not confirmed:
        return
    import cv2

    from footlog.analysis.carry import POINT_LANDMARKS, Shot, carry, forefoot_width, likeness
    from footlog.analysis.carry_merge import merge

    new_lm = {n: np.asarray(p, float) for n, p in result.landmarks.items()}
    if forefoot_width(new_lm) is None:
        return
    ranked = sorted(confirmed, key=lambda pid: likeness(
        {n: np.asarray(p, float) for n, p in confirmed[pid].items()}, new_lm))
    shots = [s for s in (_template_shot(lib, confirmed_photo(lib, pid, confirmed[pid]))
                         for pid in ranked[:CANDIDATES]) if s is not None]
    if not shots:
        return
    gray = cv2.cvtColor(np.ascontiguousarray(pixels), cv2.COLOR_RGB2GRAY).astype(np.float32)
    h = None if result.calibration is None else result.calibration.homography
    new = Shot(new_lm, np.asarray(result.outline, float), gray, scale,
               int(photo.id), None if h is None else np.asarray(h, float))
    merged = merge(dict(result.landmarks), carry(shots, new, POINT_LANDMARKS))
    if not merged.carried_from and not merged.warnings:
        return
    result.landmarks = merged.landmarks
    result.carried_from = merged.carried_from
    result.warnings.extend(merged.warnings)
    if merged.doubtful and result.status == Status.OK:
        result.status = Status.REVIEW
    if merged.carried_from:
        from footlog.measuring import compute_measures

        result.measures = compute_measures(result.view, result.landmarks, result.foot,
                                           result.calibration)


def _template_shot(lib: Library, c: ConfirmedPhoto) -> Shot | None:
    from footlog.analysis.carry import Shot, forefoot_width

    lm = {n: np.asarray(p, float) for n, p in c.landmarks.items()}
    W = forefoot_width(lm)
    if W is None or len(c.outline) < 10:
        return None
    box = _crop_box(lm, W, c.size)
    if box is None:
        return None
    image = load_template_image(lib, c.photo_id)
    if image is None or not _covers(image, box):
        image = _cut_template_image(lib, c, box)
        if image is None:
            return None
        store_template_image(lib, c.photo_id, image)
    return Shot(lm, c.outline, image.gray.astype(np.float32), image.scale, c.photo_id,
                c.homography, image.origin)


def _crop_box(lm: dict[str, np.ndarray], W: float, size: tuple[int, int]
              ) -> np.ndarray | None:
    """(x0, y0, x1, y1) full px around the point landmarks, far enough beyond them for the
    match and its search (W: forefoot width, px), within the photo."""
    from footlog.analysis.carry import PATCH, POINT_LANDMARKS, SEARCH

    pts = np.array([lm[n] for n in POINT_LANDMARKS if n in lm])
    if len(pts) == 0:
        return None
    m = (PATCH + SEARCH + CROP_ROOM) * W
    lo = np.maximum(pts.min(axis=0) - m, 0.0)
    hi = np.minimum(pts.max(axis=0) + m, np.asarray(size, float))
    return None if np.any(hi - lo < 8) else np.array([*lo, *hi])


def _covers(image: TemplateImage, box: np.ndarray) -> bool:
    """Whether the cached image holds `box` (to a pixel of it): a landmark the person moved
    after the image was cut may need a wider one."""
    h, w = image.gray.shape
    ox, oy = image.origin
    inner = np.array([ox, oy, ox + w * image.scale, oy + h * image.scale])
    tol = 2 * image.scale  # the reduced decode rounds the photo's size
    return bool(np.all(box[:2] >= inner[:2] - tol) and np.all(box[2:] <= inner[2:] + tol))


def _cut_template_image(lib: Library, c: ConfirmedPhoto, box: np.ndarray
                        ) -> TemplateImage | None:
    import cv2

    from footlog.imaging.photo_io import PhotoError, read_reduced

    try:
        reduced = read_reduced(lib.photo_path(c.file_name), TEMPLATE_SIDE)
    except (OSError, PhotoError):
        return None  # a missing or damaged original: this photo is no template
    s = reduced.scale
    h, w = reduced.pixels.shape[:2]
    x0, y0 = (max(0, int(np.floor(v / s))) for v in box[:2])
    x1, y1 = min(w, int(np.ceil(box[2] / s))), min(h, int(np.ceil(box[3] / s)))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    crop = cv2.cvtColor(np.ascontiguousarray(reduced.pixels[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY)
    return TemplateImage(crop, s, (x0 * s, y0 * s))
