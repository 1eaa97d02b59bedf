"""Scenes of both feet standing side by side, as a person photographs their own feet: the
foot of a reference photo and its mirror image (a left foot from a right one, or the other
way round), on one page or on the bare floor, with the exact truth of each.

The first foot is drawn as in `layout.draw_layout`; the second is the mirrored cut-out
standing beside it on the medial side of the first (the left foot left of the right one
as the person sees them), a forefoot width or more between their centres, its leg rising
in a plane parallel to the first leg's. Everything is drawn through the layouts'
homographies, so each foot's mask and landmarks are exact for the picture drawn.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from scene_generator.cutouts import PHOTO_DIR, SOURCES, Cutout
from scene_generator.floors import FLOORS, GLOSSY
from scene_generator.layout import Layout, _acceptable, draw_layout
from scene_generator.render import (
    _foot,
    _highlight,
    _page,
    _phone,
    _shadows,
    decode_jpeg,
    encode_jpeg,
    floor_coordinates,
)
from scene_generator.scene import MAX_TRIES, picture_size

# Distance between the two feet's centres, in forefoot widths (feet together to a stance
# a little wider than the hips).
SPACING = (1.15, 1.8)
STAGGER = 0.3  # one foot a little ahead of the other, up to this many forefoot widths
MAX_OVERLAP = 0.02  # share of the smaller foot's mask the other may cover (legs crossing)


def source_side(name: str) -> str:
    """'left' or 'right': the foot of the reference photo `name` (a key of SOURCES)."""
    ref = PHOTO_DIR / (SOURCES[name] + ".json")
    return str(json.loads(ref.read_text())["side"])


def mirrored(cut: Cutout) -> Cutout:
    """The cut-out's mirror image: the same foot as the other side's foot. Landmark names
    are anatomical, so they keep their names and move with the pixels."""
    w = cut.rgb.shape[1]
    a, b = cut.leg_to_cutout[0, 0], cut.leg_to_cutout[0, 2]
    leg_w = cut.leg_rgb.shape[1]
    to_cutout = cut.leg_to_cutout.copy()
    # Leg px u maps to cut-out x = a u + b; mirrored, u' = leg_w - u and x' = w - x.
    to_cutout[0, 2] = w - a * leg_w - b
    return dataclasses.replace(
        cut, name=f"{cut.name} mirrored",
        rgb=np.ascontiguousarray(cut.rgb[:, ::-1]),
        mask=np.ascontiguousarray(cut.mask[:, ::-1]),
        landmarks={k: (w - x, y) for k, (x, y) in cut.landmarks.items()},
        leg_rgb=np.ascontiguousarray(cut.leg_rgb[:, ::-1]),
        leg_alpha=np.ascontiguousarray(cut.leg_alpha[:, ::-1]),
        leg_to_cutout=to_cutout,
    )


@dataclass(frozen=True)
class FootTruth:
    """One foot of a two-feet scene: its side, its mask (foot and leg, H x W bool) and its
    landmarks (px)."""

    side: str
    mask: np.ndarray
    landmarks: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class TwoFeetScene:
    """A generated photo of both feet; `feet` left first."""

    seed: int
    rgb: np.ndarray
    jpeg: bytes
    feet: tuple[FootTruth, FootTruth]
    paper: str | None
    floor: str
    source: str
    group: str

    @property
    def size(self) -> tuple[int, int]:
        return self.rgb.shape[1], self.rgb.shape[0]


def _beside(first: Layout, rng: np.random.Generator, size: tuple[int, int]) -> Layout | None:
    """The mirrored foot standing beside `first`'s foot, or None if it breaks a rule."""
    cut = first.cutout
    other = mirrored(cut)
    w = cut.rgb.shape[1]
    centre = float(cut.toe_centre[0])
    # Toes up in the cut-out: a right foot's big toe is on the left, and the left foot
    # stands on that side of it.
    towards = -1.0 if source_side(cut.name) == "right" else 1.0
    spacing = rng.uniform(*SPACING) * cut.forefoot_px
    shift = np.eye(3)
    shift[0, 2] = centre + towards * spacing - (w - centre)
    shift[1, 2] = rng.uniform(-STAGGER, STAGGER) * cut.forefoot_px
    foot_to_world = first.foot_to_world @ shift
    hinge = (foot_to_world @ np.array([0.0, cut.hinge_y, 1.0]))[:2]
    layout = dataclasses.replace(first, cutout=other, foot_to_world=foot_to_world,
                                 leg_origin=np.array([*hinge, 0.0]))
    return layout if _acceptable(layout, *size) else None


def render_pair(first: Layout, second: Layout, rng: np.random.Generator
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The picture (before JPEG) and each foot's mask as drawn (H x W bool; where the
    second covers the first, both hold the px)."""
    x, y, fp = floor_coordinates(first)
    img = np.ascontiguousarray(FLOORS[first.floor](x, y, fp, rng), dtype=np.float32)
    page = _page(first, img, x, y, fp, rng)
    if first.floor in GLOSSY:
        img += (_highlight(img.shape[:2], rng) * (1 - 0.8 * page))[..., None]
    shape = img.shape[:2]
    # Light taken away by either foot: shadows that overlap do not darken twice as much.
    lit = (1 - _shadows(first, shape, rng)) * (1 - _shadows(second, shape, rng))
    img *= lit[..., None]
    mask_a = _foot(first, img)
    mask_b = _foot(second, img)
    return _phone(img, rng), mask_a, mask_b


def generate_two_feet_scene(seed: int, megapixels: float | None = None) -> TwoFeetScene:
    """The two-feet scene of `seed` (the same seed, the same scene)."""
    rng = np.random.default_rng(seed)
    size = picture_size(rng, megapixels)
    for _ in range(MAX_TRIES):
        first = draw_layout(rng, size)
        second = None if first is None else _beside(first, rng, size)
        if second is None:
            continue
        picture, mask_a, mask_b = render_pair(first, second, rng)
        smaller = min(mask_a.sum(), mask_b.sum())
        if smaller > 0 and (mask_a & mask_b).sum() <= MAX_OVERLAP * smaller:
            break
    else:
        raise RuntimeError(f"no acceptable two-feet layout in {MAX_TRIES} tries for {seed}")
    quality = int(rng.integers(70, 96))
    jpeg = encode_jpeg(picture, quality, first.camera.focal_35mm if first.exif_focal else None)
    side = source_side(first.cutout.name)
    feet = [FootTruth(side, mask_a & ~mask_b, first.landmarks_px()),
            FootTruth("left" if side == "right" else "right", mask_b, second.landmarks_px())]
    feet.sort(key=lambda f: f.side != "left")
    return TwoFeetScene(seed, decode_jpeg(jpeg), jpeg, (feet[0], feet[1]),
                        None if first.paper is None else first.paper.name, first.floor,
                        first.cutout.name, first.cutout.group)


def generate_two_feet_scenes(count: int, seed: int = 0,
                             megapixels: float | None = None) -> Iterator[TwoFeetScene]:
    """`count` two-feet scenes from one `seed`, one at a time."""
    for s in np.random.SeedSequence(seed).generate_state(count):
        yield generate_two_feet_scene(int(s), megapixels)
