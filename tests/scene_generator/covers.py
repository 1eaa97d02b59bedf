"""A foot in a sock or a shoe: the cut-out's foot covered before the scene is drawn.

footlog measures bare feet only; a covered foot must be told apart, never measured. These
covers make the generated scenes that teach and check that:

- a *sock*: the foot's region (and the ankle, up to a crew sock's height) recoloured with a
  knit colour (white, grey, black or strongly coloured, as socks are), shaded by the skin's
  own luminance so that the foot keeps its relief, with a fine rib along the foot; the toe
  clefts are smoothed over (the knit spans the webs, so no toe is seen);
- a *shoe*: a shoe-shaped region, larger than the foot (a toe box beyond the toes, a little
  wider), no toes, an upper of one colour with smooth shading, and a sole's rim along its
  outline; the ankle and leg above the collar stay bare.

The cover is drawn from its own generator (`cover_rng`), after the layout: the same seed
gives the same scene with or without a cover, and a scene without one is unchanged.
"""

from __future__ import annotations

import dataclasses
import math

import cv2
import numpy as np

from scene_generator.cutouts import Cutout, _bleed
from scene_generator.layout import Layout

COVERS = ("sock", "shoe")
COVER_STREAM = 0x50C5  # mixed with the seed: the cover's own random stream
# Socks and shoes: white, greys, black, navy and strong colours (RGB). Skin-coloured socks
# exist too, but then nothing in the colour tells them from a bare foot (a known limit).
SOCK_COLOURS = ((238, 238, 232), (200, 200, 198), (120, 120, 124), (40, 40, 44),
                (30, 40, 90), (170, 30, 40), (40, 120, 60), (230, 200, 40), (60, 110, 190))
SHOE_COLOURS = ((245, 245, 245), (25, 25, 28), (90, 90, 95), (150, 150, 155), (30, 45, 110),
                (190, 30, 35), (60, 130, 200), (230, 120, 30))
SOLE_COLOURS = ((240, 240, 236), (30, 30, 30), (170, 120, 70))
SOCK_HEIGHT = (0.3, 1.3)  # forefoot widths of leg above the hinge the sock covers
CLEFT_SPAN = 0.12  # forefoot widths: the radius of the disk that smooths the clefts over
RIB_PERIOD = 0.025  # forefoot widths between the knit's ribs
SHOE_COLLAR = (0.1, 0.35)  # forefoot widths of ankle above the hinge inside the shoe
SHOE_SIDE = (0.05, 0.09)  # forefoot widths the shoe extends beyond the foot's sides ...
SHOE_TOE = (0.12, 0.22)  # ... and beyond its toes
SOLE_RIM = 0.035  # forefoot widths: the sole's rim seen along the outline


def cover_rng(seed: int) -> np.random.Generator:
    """The cover's random stream for the scene of `seed` (not the scene's own)."""
    return np.random.default_rng([seed, COVER_STREAM])


def covered_layout(layout: Layout, kind: str, rng: np.random.Generator) -> Layout:
    """The layout with its foot in a `kind` ("sock" or "shoe") cover; same geometry."""
    if kind == "sock":
        return dataclasses.replace(layout, cutout=_sock(layout.cutout, rng))
    if kind == "shoe":
        pad = math.ceil(max(SHOE_TOE[1], SHOE_SIDE[1]) * layout.cutout.forefoot_px) + 4
        big = padded(layout.cutout, pad)
        # The padded cut-out's px are the old ones shifted by `pad`: the foot and the leg's
        # plane keep their place in the world.
        back = np.array([[1, 0, -pad], [0, 1, -pad], [0, 0, 1.0]])
        return dataclasses.replace(layout, cutout=_shoe(big, rng),
                                   foot_to_world=layout.foot_to_world @ back,
                                   leg_origin=layout.leg_origin - pad * layout.leg_e1)
    raise ValueError(f"unknown cover {kind!r}: one of {COVERS}")


def padded(cut: Cutout, pad: int) -> Cutout:
    """The cut-out with `pad` px of background added left, right and above (room for a
    shoe larger than the foot); every coordinate moves with it."""
    rgb = cv2.copyMakeBorder(cut.rgb, pad, 0, pad, pad, cv2.BORDER_REPLICATE)
    mask = cv2.copyMakeBorder(cut.mask, pad, 0, pad, pad, cv2.BORDER_CONSTANT, value=0)
    shift = np.array([[1, 0, pad], [0, 1, pad], [0, 0, 1.0]])
    return dataclasses.replace(
        cut, rgb=rgb, mask=mask,
        landmarks={k: (x + pad, y + pad) for k, (x, y) in cut.landmarks.items()},
        hinge_y=cut.hinge_y + pad, leg_to_cutout=shift @ cut.leg_to_cutout)


def _disk(radius: float) -> np.ndarray:
    r = max(1, round(radius))
    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * r + 1, 2 * r + 1))


def _shading(rgb: np.ndarray, region: np.ndarray, sigma: float) -> np.ndarray:
    """The skin's luminance over its median in `region`, smoothed by `sigma` px: the light
    and relief a cover keeps (1 where there was no skin)."""
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    known = region.astype(np.float32)
    num = cv2.GaussianBlur(grey * known, (0, 0), sigma)
    den = cv2.GaussianBlur(known, (0, 0), sigma)
    smooth = np.where(den > 0.05, num / np.maximum(den, 1e-6), 0.0)
    median = float(np.median(grey[region])) if region.any() else 1.0
    return np.where(den > 0.05, smooth / max(median, 1.0), 1.0).astype(np.float32)


def _paint(cut: Cutout, cover: np.ndarray, colour: np.ndarray, mask: np.ndarray) -> Cutout:
    """The cut-out with `colour` (H x W x 3 float) where `cover`, and its new `mask`."""
    rgb = cut.rgb.astype(np.float32)
    rgb[cover] = colour[cover]
    rgb = np.clip(rgb, 0, 255).astype(np.uint8)
    mask = mask.astype(np.uint8)
    mask[:, :2] = 0  # edge rows and columns are repeated when drawn (see cutouts._upright)
    mask[:, -2:] = 0
    mask[:2, :] = 0
    return dataclasses.replace(cut, rgb=_bleed(rgb, mask), mask=mask)


def _covered_part(cut: Cutout, reach: tuple[float, float], rng: np.random.Generator
                  ) -> tuple[int, np.ndarray, np.ndarray]:
    """(row where the cover ends, the foot's mask, the foot's part distal to that row): a
    cover reaches `reach` forefoot widths (drawn) past the ankle's hinge."""
    h = cut.mask.shape[0]
    end = int(min(h, cut.hinge_y + rng.uniform(*reach) * cut.forefoot_px))
    foot = cut.mask > 0
    part = np.zeros_like(foot)
    part[:end] = foot[:end]
    return end, foot, part


def _sock(cut: Cutout, rng: np.random.Generator) -> Cutout:
    w = cut.forefoot_px
    h = cut.mask.shape[0]
    top, foot, part = _covered_part(cut, SOCK_HEIGHT, rng)
    # The knit spans the webs between the toes: the foot's outline closed over them.
    closed = cv2.morphologyEx(part.astype(np.uint8), cv2.MORPH_CLOSE, _disk(CLEFT_SPAN * w)) > 0
    closed[top:] = False
    sock = closed | part
    base = np.array(SOCK_COLOURS[rng.integers(len(SOCK_COLOURS))], np.float32)
    base *= rng.uniform(0.9, 1.08)
    shade = _shading(cut.rgb, part, 0.02 * w) ** rng.uniform(0.7, 1.0)
    ys, xs = np.mgrid[: h, : cut.mask.shape[1]].astype(np.float32)
    rib = 1 + 0.04 * np.sin(2 * np.pi * xs / (RIB_PERIOD * w) + rng.uniform(0, 2 * np.pi))
    grain = 1 + 0.03 * cv2.GaussianBlur(
        rng.standard_normal(ys.shape).astype(np.float32), (0, 0), 0.7)
    colour = base[None, None] * (shade * rib * grain)[..., None]
    return _paint(cut, sock, colour, foot | sock)


def _shoe(cut: Cutout, rng: np.random.Generator) -> Cutout:
    w = cut.forefoot_px
    collar, foot, part = _covered_part(cut, SHOE_COLLAR, rng)
    # A shoe is the foot's convex hull, a little wider, longer at the toes, with no toes.
    hull = np.zeros(foot.shape, np.uint8)
    pts = cv2.findNonZero(part.astype(np.uint8))
    cv2.fillConvexPoly(hull, cv2.convexHull(pts), 1)
    side, toe = rng.uniform(*SHOE_SIDE) * w, rng.uniform(*SHOE_TOE) * w
    kernel = cv2.getStructuringElement(
        cv2.MORPH_ELLIPSE, (2 * round(side) + 1, 2 * round(toe) + 1))
    shoe = cv2.dilate(hull, kernel) > 0
    shoe[collar:] = False
    upper = np.array(SHOE_COLOURS[rng.integers(len(SHOE_COLOURS))], np.float32)
    sole = np.array(SOLE_COLOURS[rng.integers(len(SOLE_COLOURS))], np.float32)
    shade = _shading(cut.rgb, part, 0.08 * w) ** rng.uniform(0.4, 0.8)
    colour = upper[None, None] * shade[..., None]
    # The sole's rim: the band along the outline, away from the collar.
    inner = cv2.erode(shoe.astype(np.uint8), _disk(SOLE_RIM * w)) > 0
    rim = shoe & ~inner
    rim[max(0, collar - round(0.3 * w)):] = False
    colour[rim] = sole
    grain = 1 + 0.02 * cv2.GaussianBlur(
        rng.standard_normal(shoe.shape).astype(np.float32), (0, 0), 1.0)
    colour *= grain[..., None]
    return _paint(cut, shoe, colour, foot | shoe)
