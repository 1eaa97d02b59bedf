"""A scene: a phone photo of a real foot on a page (or on the bare floor) with its exact
truth, regenerated from its seed alone."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from scene_generator.covers import cover_rng, covered_layout
from scene_generator.layout import Layout, draw_layout
from scene_generator.render import decode_jpeg, encode_jpeg, render

MEGAPIXELS = (1.0, 2.0)  # the range of picture sizes drawn (million px)
MAX_TRIES = 200  # layouts drawn before giving up on a seed (a few per scene are refused)


@dataclass(frozen=True)
class SceneTruth:
    """What the scene shows, exactly. Image coordinates are continuous px (the centre of
    pixel (i, j) is (i + 0.5, j + 0.5)), as footlog's full-resolution coordinates.

    paper: "a4", "letter", or None when there is no page.
    corners_px: the page's corners TL, TR, BR, BL of its portrait frame (4 x 2), some may be
        outside the picture; None without a page.
    corner_visible: per corner, inside the picture and not under the foot or leg.
    page_cut: part of the page lies outside the picture.
    page_homography: image px -> page mm (footlog's floor frame), None without a page.
    foot_mask: H x W bool, the foot and the leg (skin and clothes).
    landmarks: the photo's reference landmarks, carried into this picture (px).
    floor: a key of `scene_generator.floors.FLOORS`.
    source: the photo the foot comes from (its stem); group: its source ("ala-jaidi"...).
    tilt_deg: the camera's axis from straight down; lift_deg: the leg plane from the floor.
    focal_35mm, focal_px: the camera's focal length; exif_focal: whether the JPEG says it.
    camera_height_mm: the lens above the floor; jpeg_quality: the JPEG's quality setting.
    cover: what covers the foot ("sock", "shoe"), None when it is bare.
    """

    paper: str | None
    corners_px: np.ndarray | None
    corner_visible: tuple[bool, bool, bool, bool] | None
    page_cut: bool
    page_homography: np.ndarray | None
    foot_mask: np.ndarray
    landmarks: dict[str, tuple[float, float]]
    floor: str
    source: str
    group: str
    tilt_deg: float
    lift_deg: float
    focal_35mm: float
    focal_px: float
    exif_focal: bool
    camera_height_mm: float
    jpeg_quality: int
    cover: str | None = None  # "sock" or "shoe" (`covers.py`), None for a bare foot

    @property
    def visible_corners(self) -> int:
        return sum(self.corner_visible) if self.corner_visible else 0

    @property
    def page_diagonal_px(self) -> float | None:
        """Mean length of the page's two diagonals in the picture (px)."""
        if self.corners_px is None:
            return None
        c = self.corners_px
        return float((np.linalg.norm(c[2] - c[0]) + np.linalg.norm(c[3] - c[1])) / 2)


@dataclass(frozen=True)
class Scene:
    """A generated photo: `rgb` is the JPEG decoded (what footlog reads), `jpeg` its bytes."""

    seed: int
    rgb: np.ndarray
    jpeg: bytes
    truth: SceneTruth

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) px."""
        return self.rgb.shape[1], self.rgb.shape[0]


def picture_size(rng: np.random.Generator, megapixels: float | None) -> tuple[int, int]:
    """(width, height): mostly portrait, 4:3 or 16:9, of `megapixels` (or drawn)."""
    drawn = rng.uniform(*MEGAPIXELS)  # drawn anyway: the same seed, the same scene at any size
    mp = drawn if megapixels is None else megapixels
    aspect = 4 / 3 if rng.uniform() < 0.75 else 16 / 9
    long_side = math.sqrt(mp * 1e6 * aspect)
    short_side = long_side / aspect
    w, h = round(short_side), round(long_side)
    return (w, h) if rng.uniform() < 0.8 else (h, w)


def generate_scene(seed: int, megapixels: float | None = None,
                   cover: str | None = None) -> Scene:
    """The scene of `seed` (the same seed gives the same scene, pixel for pixel).
    `megapixels`: the picture's size (default: drawn from MEGAPIXELS). `cover`: "sock" or
    "shoe" to show the same scene with the foot covered (`covers.py`), None: bare."""
    rng = np.random.default_rng(seed)
    size = picture_size(rng, megapixels)
    layout = None
    for _ in range(MAX_TRIES):
        layout = draw_layout(rng, size)
        if layout is not None:
            break
    if layout is None:
        raise RuntimeError(f"no acceptable layout in {MAX_TRIES} tries for seed {seed}")
    if cover is not None:
        # Drawn from the cover's own stream: the scene's own draws are not shifted.
        layout = covered_layout(layout, cover, cover_rng(seed))
    picture, mask = render(layout, rng)
    quality = int(rng.integers(70, 96))
    focal = layout.camera.focal_35mm
    jpeg = encode_jpeg(picture, quality, focal if layout.exif_focal else None)
    return Scene(seed, decode_jpeg(jpeg), jpeg, _truth(layout, mask, quality, cover))


def scene_seeds(count: int, seed: int) -> list[int]:
    """The seeds of the `count` scenes of a run started from `seed`."""
    return [int(s) for s in np.random.SeedSequence(seed).generate_state(count)]


def generate_scenes(count: int, seed: int = 0,
                    megapixels: float | None = None) -> Iterator[Scene]:
    """`count` scenes from one `seed`, one at a time (each ~2-6 MB in memory)."""
    for s in scene_seeds(count, seed):
        yield generate_scene(s, megapixels)


def _truth(layout: Layout, mask: np.ndarray, quality: int, cover: str | None = None
           ) -> SceneTruth:
    cam = layout.camera
    corners = layout.page_corners_px()
    visible = None
    cut = False
    if corners is not None:
        inside = (corners >= 0).all(axis=1) & (corners < [cam.width, cam.height]).all(axis=1)
        cut = not bool(inside.all())
        visible = tuple(
            bool(ok and not mask[int(y), int(x)])
            for ok, (x, y) in zip(inside, corners, strict=True)
        )
    c = layout.cutout
    return SceneTruth(
        paper=None if layout.paper is None else layout.paper.name,
        corners_px=corners,
        corner_visible=visible,  # type: ignore[arg-type]
        page_cut=cut,
        page_homography=layout.image_to_page(),
        foot_mask=mask,
        landmarks=layout.landmarks_px(),
        floor=layout.floor,
        source=c.name,
        group=c.group,
        tilt_deg=layout.tilt_deg,
        lift_deg=layout.lift_deg,
        focal_35mm=cam.focal_35mm,
        focal_px=cam.focal_px,
        exif_focal=layout.exif_focal,
        camera_height_mm=float(-cam.centre[2]),
        jpeg_quality=quality,
        cover=cover,
    )
