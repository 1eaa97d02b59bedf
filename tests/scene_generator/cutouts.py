"""The real feet the scenes are built from: each dorsal photo of tests/data/photos, its
hand-placed landmarks, and the mask of its foot and leg (tests/data/cutouts, made by
`make_cutouts.py`).

A `Cutout` is a foot turned so that its toes point up and its leg leaves through the bottom
edge of the picture, with a continuation of the leg below it (the colours and grain of its
last rows, widening towards the calf), so that a leg never ends in mid-air.

Pixel coordinates are continuous (the centre of pixel (i, j) is (i + 0.5, j + 0.5)), as in
`footlog.imaging.photo_io`.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from footlog.imaging.photo_io import read_reduced

TESTS = Path(__file__).resolve().parents[1]
PHOTO_DIR = TESTS / "data" / "photos"
CUTOUT_DIR = TESTS / "data" / "cutouts"
# Long side (px) of the picture each mask was cut from: `read_reduced(photo, MASK_SIDE)`.
MASK_SIDE = 1024

# Photo stem -> file name, for every dorsal photo with reference landmarks but
# ala-jaidi__gg, whose leg leaves the photo beside the heel: it cannot be continued from
# the ankle.
SOURCES: dict[str, str] = {
    "16i-nathan__11cc7b7caadb_0": "16i-nathan__11cc7b7caadb_0.jpg",
    "16i-nathan__3c49c53b8776_0": "16i-nathan__3c49c53b8776_0.jpg",
    "ala-jaidi__1": "ala-jaidi__1.jpg",
    "ala-jaidi__2": "ala-jaidi__2.jpg",
    "ala-jaidi__3": "ala-jaidi__3.jpg",
    "ala-jaidi__aaa": "ala-jaidi__aaa.jpg",
    "ala-jaidi__av": "ala-jaidi__av.jpg",
    "ala-jaidi__bbb": "ala-jaidi__bbb.jpg",
    "ala-jaidi__dd": "ala-jaidi__dd.jpg",
    "ala-jaidi__r": "ala-jaidi__r.jpg",
    "ala-jaidi__t": "ala-jaidi__t.jpg",
    "ala-jaidi__tt": "ala-jaidi__tt.jpg",
    "wildoctopus__barefeet1": "wildoctopus__barefeet1.jpeg",
}
# Where the photos come from (the part of the name before "__"), for per-source figures.
SOURCE_GROUPS = ("ala-jaidi", "16i-nathan", "wildoctopus")
TOES = ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip")
# Rows kept between the last landmark and the hinge where the leg starts to rise, as a
# fraction of the forefoot width: the ankle, which stays on the floor with the foot.
HINGE_MARGIN = 0.2
_BLEED_PX = 4  # foot colours are spread this far over the background (no halo of paper)
CONTINUATION_STEP = 1.5  # cut-out px per px of the leg's continuation
CONTINUATION_LENGTH = 7.5  # forefoot widths of leg below the cut-out (past the knee)
CALF_WIDENING = 1.8  # the leg widens by this much from the ankle to the calf ...
CALF_AT = 3.5  # ... reached this many forefoot widths below the cut-out
_PROFILE_ROWS = 12  # bottom rows that tell the leg's width where it leaves the picture
BAND_ROWS = 0.5  # forefoot widths at the bottom whose skin grain the leg carries on


@dataclass(frozen=True)
class Cutout:
    """One foot and leg, upright (toes up, leg leaving through the bottom edge).

    rgb: H x W x 3 uint8, the photo's pixels, foot colours spread a few px beyond the mask
        so that a resampled edge does not mix in the paper the foot stood on.
    mask: H x W uint8 0/1, the foot and leg.
    landmarks: name -> (x, y) px of `rgb` (the reference landmarks of the photo).
    hinge_y: px; below this row the leg rises from the floor (the ankle is above it).
    forefoot_px: |mt1_medial - mt5_lateral| in px of `rgb`.
    leg_*: the leg continued below the picture, at CONTINUATION_STEP px of `rgb` per px.
    """

    name: str
    group: str
    rgb: np.ndarray
    mask: np.ndarray
    landmarks: dict[str, tuple[float, float]]
    hinge_y: float
    forefoot_px: float
    leg_rgb: np.ndarray  # the continuation: h x w x 3 float32 ...
    leg_alpha: np.ndarray  # ... and its coverage (h x w float32, 0..1) ...
    leg_to_cutout: np.ndarray  # ... placed by this 3 x 3 map to px of `rgb` (below it)

    @property
    def toe_centre(self) -> np.ndarray:
        """Mean of the five toe tips (px)."""
        return np.mean([self.landmarks[t] for t in TOES], axis=0)


@functools.cache
def load_cutout(name: str) -> Cutout:
    """The cut-out of photo `name` (a key of SOURCES), read once per process."""
    photo = PHOTO_DIR / SOURCES[name]
    reduced = read_reduced(photo, MASK_SIDE)
    rgb = reduced.pixels
    with Image.open(CUTOUT_DIR / f"{name}.png") as im:
        mask = (np.asarray(im.convert("L")) > 127).astype(np.uint8)
    if mask.shape != rgb.shape[:2]:
        raise ValueError(f"{name}: mask {mask.shape} does not match the photo {rgb.shape[:2]}")
    ref = json.loads(photo.with_name(photo.name + ".json").read_text())
    marks = {k: np.asarray(v, float) / reduced.scale for k, v in ref["landmarks"].items()}
    return _upright(name, rgb, mask, marks)


def _leg_direction(mask: np.ndarray, toes: np.ndarray) -> np.ndarray:
    """Unit vector from the toes to where the mask leaves the frame (the leg's way out)."""
    edge = np.zeros_like(mask, bool)
    edge[0, :] = edge[-1, :] = True
    edge[:, 0] = edge[:, -1] = True
    ys, xs = np.nonzero(edge & (mask > 0))
    if len(xs) == 0:
        raise ValueError("the leg does not leave the photo: nothing to continue it from")
    exit_point = np.array([xs.mean() + 0.5, ys.mean() + 0.5])
    d = exit_point - toes
    return d / np.linalg.norm(d)


def _upright(name: str, rgb: np.ndarray, mask: np.ndarray,
             marks: dict[str, np.ndarray]) -> Cutout:
    """Turn the photo so that its leg points down, and cut it where the leg first meets
    the photo's edge (below that row the renderer repeats the last row)."""
    toes = np.mean([marks[t] for t in TOES], axis=0)
    b = _leg_direction(mask, toes)
    # Rotation taking b to (0, 1) (down), about the toes.
    angle = math.degrees(math.atan2(b[1], b[0])) - 90.0
    h, w = mask.shape
    rot = cv2.getRotationMatrix2D((0.0, 0.0), angle, 1.0)  # 2 x 3, OpenCV's sense of angle
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], float)
    turned = corners @ rot[:, :2].T
    lo = np.floor(turned.min(axis=0))
    size = np.ceil(turned.max(axis=0) - lo).astype(int)
    affine = rot.copy()
    affine[:, 2] -= lo  # continuous coordinates: p' = A p + t
    cv_affine = _continuous_to_cv(affine)
    big_rgb = cv2.warpAffine(rgb, cv_affine, tuple(size), flags=cv2.INTER_LINEAR)
    big_mask = cv2.warpAffine(mask * 255, cv_affine, tuple(size), flags=cv2.INTER_LINEAR)
    inside = cv2.warpAffine(np.full((h, w), 255, np.uint8), cv_affine, tuple(size),
                            flags=cv2.INTER_LINEAR)
    big_mask = (big_mask > 127).astype(np.uint8)
    turned_marks = {k: tuple(affine[:, :2] @ v + affine[:, 2]) for k, v in marks.items()}
    # The first row (below the landmarks) where the leg touches the photo's former edge.
    on_edge = (big_mask > 0) & (cv2.erode(inside, np.ones((5, 5), np.uint8)) < 255)
    rows = np.flatnonzero(on_edge.any(axis=1))
    lowest_mark = max(y for _, y in turned_marks.values())
    rows = rows[rows > lowest_mark]
    if len(rows) == 0:
        raise ValueError(f"{name}: the leg does not reach the photo's edge below the foot")
    cut = int(rows[0]) - 1
    forefoot = float(np.hypot(*np.subtract(turned_marks["mt1_medial"],
                                           turned_marks["mt5_lateral"])))
    if cut < lowest_mark + HINGE_MARGIN * forefoot:
        raise ValueError(f"{name}: the leg leaves the photo level with the foot's landmarks")
    # Left and right: the mask's extent down to the cut, plus a margin of background.
    cols = np.flatnonzero(big_mask[:cut].any(axis=0))
    top_rows = np.flatnonzero(big_mask[:cut].any(axis=1))
    pad = 16
    x0, x1 = max(int(cols[0]) - pad, 0), min(int(cols[-1]) + pad + 1, size[0])
    y0 = max(int(top_rows[0]) - pad, 0)
    crop_rgb = big_rgb[y0:cut, x0:x1]
    crop_mask = big_mask[y0:cut, x0:x1].copy()
    # Columns at the left and right edges are repeated too: no foot or leg may touch them.
    crop_mask[:, :2] = 0
    crop_mask[:, -2:] = 0
    crop_mask[:2, :] = 0
    marks_out = {k: (x - x0, y - y0) for k, (x, y) in turned_marks.items()}
    hinge = max(y for _, y in marks_out.values()) + HINGE_MARGIN * forefoot
    leg_rgb, leg_alpha, leg_to_cutout = _continuation(crop_rgb, crop_mask, forefoot, name)
    return Cutout(name, name.split("__")[0], _bleed(crop_rgb, crop_mask), crop_mask,
                  marks_out, float(hinge), forefoot, leg_rgb, leg_alpha, leg_to_cutout)


def _continuation(rgb: np.ndarray, mask: np.ndarray, forefoot: float, name: str
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The leg below the picture, widening towards the calf: the colours across its last
    rows, smoothed, carried down it with the light changing slowly along it, and a grain
    as strong as the skin's in the last BAND_ROWS forefoot widths (so that it joins the
    picture without a seam)."""
    h, w = mask.shape
    rows = slice(h - _PROFILE_ROWS, h)
    cover = mask[rows].sum(axis=0) >= _PROFILE_ROWS / 2
    cols = np.flatnonzero(cover)
    if len(cols) < 3:
        raise ValueError(f"{name}: the leg is not seen at the cut-out's bottom edge")
    x0, x1 = float(cols[0]), float(cols[-1] + 1)
    # Colours across the leg from a few px inside its outline (its edge px mix in the
    # floor), carried out to the sides so that a widened leg has skin up to its outline.
    inner = cv2.erode(mask, np.ones((5, 7), np.uint8)) > 0
    weight = inner[rows].astype(np.float32)
    count = weight.sum(axis=0)
    colour = (rgb[rows].astype(np.float32) * weight[..., None]).sum(axis=0)
    known = np.flatnonzero(count >= _PROFILE_ROWS / 2)
    if len(known) == 0:
        known = cols
        count, colour = np.ones(w), rgb[-1].astype(np.float32)
    colour = colour[known] / np.maximum(count[known], 1)[:, None]
    xs = np.arange(w, dtype=np.float32)
    profile = np.stack([np.interp(xs, known, colour[:, c]) for c in range(3)], axis=-1)
    profile = cv2.GaussianBlur(profile[None].astype(np.float32), (0, 0), 0.03 * forefoot)[0]
    # The skin's grain: its fine luminance detail inside the leg near the bottom.
    band = slice(h - max(8, round(BAND_ROWS * forefoot)), h)
    grey = cv2.cvtColor(rgb[band], cv2.COLOR_RGB2GRAY).astype(np.float32)
    detail = grey - cv2.GaussianBlur(grey, (0, 0), 3.0)
    skin = inner[band]
    grain = float(detail[skin].std() / max(grey[skin].mean(), 1.0)) if skin.any() else 0.03

    step = CONTINUATION_STEP
    n_rows = math.ceil(CONTINUATION_LENGTH * forefoot / step) + 1
    centre, half = (x0 + x1) / 2, (x1 - x0) / 2
    reach = half * CALF_WIDENING + 4 * step
    left = centre - reach
    n_cols = math.ceil(2 * reach / step)
    # Row 0 overlaps the picture's last px row (drawn under it: no seam).
    dist = (np.arange(n_rows, dtype=np.float32) + 0.5) * step - step
    ramp = np.clip(dist / (CALF_AT * forefoot), 0, 1)
    widen = 1 + (CALF_WIDENING - 1) * ramp * ramp * (3 - 2 * ramp)  # smoothstep
    x = left + (np.arange(n_cols, dtype=np.float32) + 0.5) * step
    map_x = (centre + (x[None, :] - centre) / widen[:, None] - 0.5).astype(np.float32)
    colours = cv2.remap(profile[None], map_x, np.zeros_like(map_x), cv2.INTER_LINEAR,
                        borderMode=cv2.BORDER_REPLICATE)
    rng = np.random.default_rng(sum(name.encode()))
    # Light changing slowly along the leg (none where it joins the picture) ...
    along = cv2.GaussianBlur(rng.standard_normal((n_rows, 1)).astype(np.float32), (0, 0),
                             forefoot / step)
    along = (along - along[0]) * (0.06 / max(float(along.std()), 1e-6))
    # ... and grain, a little longer along the leg (hair, creases) than across.
    noise = cv2.GaussianBlur(rng.standard_normal((n_rows, n_cols)).astype(np.float32),
                             (0, 0), sigmaX=0.8, sigmaY=1.6)
    noise *= grain / max(float(noise.std()), 1e-6)
    leg_rgb = np.clip(colours * (1 + along + noise)[..., None], 0, 255).astype(np.float32)
    # Coverage of each px by the leg's cross-section, so that its sides stay smooth lines
    # however much the leg is enlarged.
    inside = half * widen[:, None] - np.abs(x[None, :] - centre)
    leg_alpha = np.clip(inside / step + 0.5, 0.0, 1.0).astype(np.float32)
    to_cutout = np.array([[step, 0, left], [0, step, h - step], [0, 0, 1.0]])
    return leg_rgb, leg_alpha, to_cutout


def _continuous_to_cv(affine: np.ndarray) -> np.ndarray:
    """A 2 x 3 map of continuous coordinates as OpenCV's (pixel centres at integers)."""
    out = affine.copy()
    out[:, 2] += affine[:, :2] @ np.array([0.5, 0.5]) - 0.5
    return out


def _bleed(rgb: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Spread the foot's colours _BLEED_PX px over the background around it."""
    out = rgb.astype(np.float32)
    known = mask.astype(np.float32)
    for _ in range(_BLEED_PX):
        total = cv2.blur(out * known[..., None], (3, 3))
        weight = cv2.blur(known, (3, 3))
        grow = (weight > 0) & (known == 0)
        out[grow] = total[grow] / weight[grow][:, None]
        known[grow] = 1.0
    return np.clip(out, 0, 255).astype(np.uint8)
