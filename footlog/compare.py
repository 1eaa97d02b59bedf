"""Then and now: two photos of the same foot and view, aligned on their landmarks.

When both photos have a floor homography (sheet, page or card), the landmarks are aligned
on the floor plane in millimetres, so differences in camera height and tilt between the
two photos do not count as change; the residual is then in mm too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from footlog.domain.alignment import LandmarkAlignment, align_landmarks
from footlog.domain.calibration import apply_homography
from footlog.domain.photo import Photo
from footlog.domain.statistics import Repeatability
from footlog.imaging.photo_io import read_reduced
from footlog.storage.database import LibraryError
from footlog.storage.library import Library, Person
from footlog.storage.measure_store import load_landmarks, load_measures
from footlog.storage.photo_store import get_photo, list_photos

FIRST_COLOUR = (0, 176, 255)  # blue: the earlier photo
SECOND_COLOUR = (255, 111, 0)  # orange: the later photo
CAPTION_FRACTION = 30  # caption text height: the picture's longer side over this


@dataclass
class Comparison:
    first: Photo
    second: Photo
    alignment: LandmarkAlignment
    warp: np.ndarray  # 3 x 3: second photo's full-res px -> first photo's full-res px
    units: str  # "mm" when aligned on the floor plane, else "px"
    landmarks_first: dict[str, tuple[float, float]] = field(default_factory=dict)
    landmarks_second: dict[str, tuple[float, float]] = field(default_factory=dict)  # warped
    measures_first: dict[str, float] = field(default_factory=dict)
    measures_second: dict[str, float] = field(default_factory=dict)

    @property
    def mirrored(self) -> bool:
        return self.alignment.transform.mirrored

    def differences(self) -> dict[str, float]:
        """Second minus first, for each measure both photos have."""
        return {
            k: self.measures_second[k] - self.measures_first[k]
            for k in self.measures_first
            if k in self.measures_second
        }

    def summary(self) -> str:
        side = " (mirrored: left compared with right)" if self.mirrored else ""
        return (
            f"{self.first.taken_at[:10]} vs {self.second.taken_at[:10]}: aligned on "
            f"{len(self.alignment.names)} landmarks, residual "
            f"{self.alignment.residual_rms:.1f} {self.units}{side}"
        )


def _homography(photo: Photo) -> np.ndarray | None:
    return None if photo.calibration is None else photo.calibration.homography


def _points(landmarks: dict[str, Any]) -> dict[str, tuple[float, float]]:
    return {n: (lm.x, lm.y) for n, lm in landmarks.items()}


def compare_photos(lib: Library, first_id: int, second_id: int) -> Comparison:
    """Align photo `second_id` onto photo `first_id` (same view; feet may differ)."""
    first, second = get_photo(lib, first_id), get_photo(lib, second_id)
    if first.view != second.view:
        raise LibraryError(
            f"photo {first_id} is {first.view} and photo {second_id} is "
            f"{second.view}: compare photos of the same view"
        )
    lm_a, lm_b = _points(load_landmarks(lib, first_id)), _points(load_landmarks(lib, second_id))
    mirror = {first.foot, second.foot} == {"left", "right"}
    h_a, h_b = _homography(first), _homography(second)
    if h_a is not None and h_b is not None:
        names = sorted(set(lm_a) & set(lm_b))
        floor_a = (
            dict(
                zip(names, map(tuple, apply_homography(h_a, [lm_a[n] for n in names])), strict=True)
            )
            if names
            else {}
        )
        floor_b = (
            dict(
                zip(names, map(tuple, apply_homography(h_b, [lm_b[n] for n in names])), strict=True)
            )
            if names
            else {}
        )
        alignment = align_landmarks(floor_a, floor_b, mirror=mirror)
        warp = np.linalg.inv(h_a) @ alignment.transform.matrix() @ h_b
        units = "mm"
    else:
        alignment = align_landmarks(lm_a, lm_b, mirror=mirror)
        warp = alignment.transform.matrix()
        units = "px"
    warp = warp / warp[2, 2]
    warped_b = apply_homography(warp, list(lm_b.values())) if lm_b else np.zeros((0, 2))
    return Comparison(
        first,
        second,
        alignment,
        warp,
        units,
        landmarks_first=lm_a,
        landmarks_second=dict(zip(lm_b, map(tuple, warped_b), strict=True)),
        measures_first=load_measures(lib, first_id),
        measures_second=load_measures(lib, second_id),
    )


def default_pair(lib: Library, person: Person, foot: str, view: str) -> tuple[int, int] | None:
    """The oldest and the newest photo of a foot and view that have landmarks."""
    photos = [
        p
        for p in list_photos(lib, person)
        if p.foot == foot and p.view == view and p.measures
    ]
    if len(photos) < 2:
        return None
    photos.sort(key=lambda p: (p.taken_at, p.id))
    return photos[0].id, photos[-1].id


def repeatability_of(photos: list[Photo]) -> dict[str, Repeatability]:
    """How much a person's repeat photos of one day differ, per measure: the timeline's
    figures, over trusted photos (statistics.repeatability); `photos` as `list_photos`
    gives them."""
    from footlog.domain.timeline import build_timeline

    return build_timeline(photos, [], [], mileage=[]).stats.repeatability


def warped_second_image(
    lib: Library, comparison: Comparison, max_side: int = 1600
) -> tuple[np.ndarray, np.ndarray, float]:
    """(first image, second image warped onto it, scale) at reduced size.

    `scale` is full-resolution px of the first photo per px of the returned images.
    """
    a = read_reduced(lib.photo_path(comparison.first.file_name), max_side)
    b = read_reduced(lib.photo_path(comparison.second.file_name), max_side)
    to_full_b = np.diag([b.scale, b.scale, 1.0])
    to_reduced_a = np.diag([1 / a.scale, 1 / a.scale, 1.0])
    m = to_reduced_a @ comparison.warp @ to_full_b
    h, w = a.pixels.shape[:2]
    warped = cv2.warpPerspective(
        b.pixels,
        m,
        (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(0, 0, 0),
    )
    return a.pixels, warped, a.scale


def render_overlay(
    lib: Library,
    comparison: Comparison,
    opacity: float = 0.5,
    curtain: float | None = None,
    max_side: int = 1600,
) -> Image.Image:
    """The overlay as a picture: blended (or split by a curtain at a fraction of the width),
    with both photos' landmarks and outlines in two colours and a caption."""
    first, second, scale = warped_second_image(lib, comparison, max_side)
    if curtain is None:
        picture = (first * (1 - opacity) + second * opacity).astype(np.uint8)
    else:
        picture = first.copy()
        cut = round(curtain * first.shape[1])
        picture[:, cut:] = second[:, cut:]
    image = Image.fromarray(picture)
    draw = ImageDraw.Draw(image)
    radius = max(3, round(max(image.size) / 250))
    outlines = (
        (comparison.first.outline, np.eye(3), FIRST_COLOUR),
        (comparison.second.outline, comparison.warp, SECOND_COLOUR),
    )
    for outline, warp, colour in outlines:
        if outline:
            pts = apply_homography(warp, outline) / scale
            draw.line([tuple(p) for p in pts] + [tuple(pts[0])], fill=colour, width=2)
    for points, colour in (
        (comparison.landmarks_first, FIRST_COLOUR),
        (comparison.landmarks_second, SECOND_COLOUR),
    ):
        for x, y in points.values():
            cx, cy = x / scale, y / scale
            draw.ellipse(
                [cx - radius, cy - radius, cx + radius, cy + radius], outline=colour, width=2
            )
    _caption(draw, comparison, image.size)
    return image


def _caption(draw: ImageDraw.ImageDraw, comparison: Comparison, size: tuple[int, int]) -> None:
    # Sized on the picture's longer side: a tall photo printed a page high (the report)
    # kept 1/60 of its narrow width, too small to read on paper.
    font = ImageFont.load_default(size=max(12, max(size) // CAPTION_FRACTION))
    lines = [
        (f"{comparison.first.taken_at[:10]} (blue)", FIRST_COLOUR),
        (f"{comparison.second.taken_at[:10]} (orange)", SECOND_COLOUR),
        (comparison.summary().split(": ", 1)[1], (255, 255, 255)),
    ]
    y = 8.0  # px from the top
    for text, colour in lines:
        box = draw.textbbox((10, y), text, font=font)
        draw.rectangle([box[0] - 4, box[1] - 2, box[2] + 4, box[3] + 2], fill=(0, 0, 0))
        draw.text((10, y), text, fill=colour, font=font)
        y = box[3] + 6
