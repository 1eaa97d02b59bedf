"""The camera's focal length read from a photo's EXIF (footlog.imaging.camera_focal)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from PIL import ExifTags, Image, TiffImagePlugin

from footlog.imaging.camera_focal import FULL_FRAME_DIAGONAL_MM, read_focal_length_px


def _jpeg(path: Path, size: tuple[int, int], orientation: int = 1, **tags: object) -> Path:
    """A JPEG of `size` (w, h) as stored, with the given EXIF tags (by ExifTags.Base name)."""
    exif = Image.Exif()
    if orientation != 1:
        exif[ExifTags.Base.Orientation] = orientation
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    for name, value in tags.items():
        if isinstance(value, float):
            value = TiffImagePlugin.IFDRational(round(value * 1000), 1000)
        sub[ExifTags.Base[name]] = value
    Image.fromarray(np.full((size[1], size[0], 3), 128, np.uint8)).save(path, exif=exif)
    return path


def test_35mm_equivalent_is_scaled_by_the_diagonal(tmp_path: Path) -> None:
    path = _jpeg(tmp_path / "a.jpg", (400, 300), FocalLengthIn35mmFilm=26)
    assert read_focal_length_px(path) == pytest.approx(26 / FULL_FRAME_DIAGONAL_MM * 500)


def test_the_orientation_does_not_change_it(tmp_path: Path) -> None:
    upright = read_focal_length_px(_jpeg(tmp_path / "a.jpg", (400, 300), FocalLengthIn35mmFilm=26))
    turned = read_focal_length_px(
        _jpeg(tmp_path / "b.jpg", (400, 300), orientation=6, FocalLengthIn35mmFilm=26))
    assert turned == pytest.approx(upright)


def test_focal_length_on_the_sensor_wins_and_follows_a_resize(tmp_path: Path) -> None:
    """FocalLength (mm) x FocalPlaneXResolution (px per mm, here given per cm) is the
    focal in px of the picture the camera wrote (PixelXDimension wide); a picture resized
    to half keeps the EXIF, and half the focal in px."""
    per_cm = 714.0  # 71.4 px per mm: a 4.2 mm lens is 300 px, 0.6 x a 500 px diagonal
    tags = dict(FocalLength=4.2, FocalPlaneXResolution=per_cm, FocalPlaneResolutionUnit=3,
                FocalLengthIn35mmFilm=99)
    full = read_focal_length_px(_jpeg(tmp_path / "a.jpg", (400, 300), **tags))
    assert full == pytest.approx(4.2 * per_cm / 10, rel=1e-3)
    half = read_focal_length_px(
        _jpeg(tmp_path / "b.jpg", (200, 150), ExifImageWidth=400, **tags))
    assert half == pytest.approx(full / 2, rel=1e-3)


@pytest.mark.parametrize("tags", [
    {},  # no lens data at all
    {"FocalLength": 4.2},  # a focal length without the sensor's size tells nothing
    {"FocalLengthIn35mmFilm": 1},  # 0.02 x the diagonal: no camera has such a lens
    {"FocalLengthIn35mmFilm": 0},  # "unknown", as some cameras write it
])
def test_nothing_usable_gives_none(tmp_path: Path, tags: dict) -> None:
    assert read_focal_length_px(_jpeg(tmp_path / "a.jpg", (400, 300), **tags)) is None


def test_a_file_that_is_no_photo_gives_none(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jpg"
    bad.write_text("not a photo")
    assert read_focal_length_px(bad) is None
    assert read_focal_length_px(tmp_path / "missing.jpg") is None


def test_a_real_phone_photo() -> None:
    """The Samsung photo in tests/data says 25 mm (35 mm equivalent) at 3120 x 4160."""
    path = Path(__file__).parent / "data" / "photos" / "16i-nathan__3c49c53b8776_0.jpg"
    assert read_focal_length_px(path) == pytest.approx(
        25 / FULL_FRAME_DIAGONAL_MM * math.hypot(3120, 4160))
