"""Procedural floors, evaluated at the floor point (mm) each pixel of the picture sees.

Each floor is a function of the floor coordinates X, Y (H x W float32, mm) and the pixel's
footprint `fp` (mm of floor per px, H x W), returning H x W x 3 float32 RGB in 0..255.
Working on the floor plane gives the perspective for free (tiles shrink with distance, and
grout lines thin out); the footprint lets fine detail fade where a pixel covers more than
it (no moire on a far tiled floor). Random choices come from the `rng` passed in.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import cv2
import numpy as np

FloorFn = Callable[[np.ndarray, np.ndarray, np.ndarray, np.random.Generator], np.ndarray]

_NOISE_SIDE = 512  # texels of each periodic noise texture
_FEATURE_TEXELS = 8.0  # size of one noise feature in texels


@functools.cache
def _noise_bank() -> tuple[np.ndarray, ...]:
    """Four periodic noise textures (zero mean, unit SD), from a fixed seed: smooth blobs,
    and three with more fine detail (power spectra falling as 1/f^2, 1/f^1.5, 1/f)."""
    rng = np.random.default_rng(20240612)
    n = _NOISE_SIDE
    fy = np.fft.fftfreq(n)[:, None]
    fx = np.fft.fftfreq(n)[None, :]
    f = np.hypot(fx, fy)
    cutoff = 1.0 / _FEATURE_TEXELS
    out = []
    for slope in (None, 2.0, 1.5, 1.0):
        white = np.fft.fft2(rng.standard_normal((n, n)))
        if slope is None:
            filt = np.exp(-(f / (0.5 * cutoff)) ** 2)
        else:
            filt = np.where(f > 0, (np.maximum(f, cutoff / 8) / cutoff) ** (-slope / 2), 0.0)
            filt *= np.exp(-(f / (4 * cutoff)) ** 2)
        tex = np.real(np.fft.ifft2(white * filt))
        tex = (tex - tex.mean()) / tex.std()
        out.append(tex.astype(np.float32))
    return tuple(out)


class Sampler:
    """Noise and pattern helpers over one picture's floor coordinates."""

    def __init__(self, x: np.ndarray, y: np.ndarray, fp: np.ndarray,
                 rng: np.random.Generator) -> None:
        self.x, self.y, self.fp, self.rng = x, y, fp, rng
        # Coarse noise is sampled on a smaller grid and enlarged (much cheaper); the grid's
        # px must stay well below a feature where the floor is seen at its coarsest.
        self._coarse_fp = float(np.percentile(fp[::8, ::8], 95))
        self._reduced: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def _grid(self, factor: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if factor == 1:
            return self.x, self.y, self.fp
        if factor not in self._reduced:
            h, w = self.x.shape
            size = (max(2, -(-w // factor)), max(2, -(-h // factor)))
            self._reduced[factor] = tuple(  # type: ignore[assignment]
                cv2.resize(a, size, interpolation=cv2.INTER_AREA)
                for a in (self.x, self.y, self.fp))
        return self._reduced[factor]

    def noise(self, scale_mm: float, kind: int = 0, stretch: float = 1.0,
              angle: float | None = None) -> np.ndarray:
        """Noise with features of `scale_mm` (`stretch` times longer along `angle`),
        faded where a pixel is larger than a feature."""
        a = self.rng.uniform(0, math.pi) if angle is None else angle
        c, s = math.cos(a), math.sin(a)
        k = _FEATURE_TEXELS / scale_mm
        ox, oy = self.rng.uniform(0, _NOISE_SIDE, 2)
        factor = 1
        for f in (4, 2):
            if scale_mm >= 4 * f * self._coarse_fp:
                factor = f
                break
        x, y, fp = self._grid(factor)
        u = (x * (c * k / stretch) + y * (s * k / stretch) + ox).astype(np.float32)
        v = (x * (-s * k) + y * (c * k) + oy).astype(np.float32)
        out = cv2.remap(_noise_bank()[kind], u, v, cv2.INTER_LINEAR,
                        borderMode=cv2.BORDER_WRAP)
        out *= np.clip(scale_mm / fp - 1.0, 0.0, 1.0)
        if factor > 1:
            out = cv2.resize(out, (self.x.shape[1], self.x.shape[0]),
                             interpolation=cv2.INTER_LINEAR)
        return out

    def grid(self, period: tuple[float, float], angle: float, offset: tuple[float, float]
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Tile coordinates of a grid of `period` (mm) turned by `angle`: the position in
        the tile (0..1, 0..1) and the tile's integer indices."""
        c, s = math.cos(angle), math.sin(angle)
        a = (self.x * c + self.y * s) / period[0] + offset[0]
        b = (-self.x * s + self.y * c) / period[1] + offset[1]
        ia, ib = np.floor(a), np.floor(b)
        return a - ia, b - ib, ia, ib

    def lines(self, frac: np.ndarray, period: float, width_mm: float) -> np.ndarray:
        """Coverage (0..1) of lines `width_mm` wide at the tile borders (frac = 0 or 1):
        the share of each pixel's footprint they cover, so that a far line thins out to a
        faint one instead of aliasing or vanishing."""
        dist = np.minimum(frac, 1.0 - frac)
        dist *= period
        half_px = self.fp * 0.5
        hi = np.minimum(dist + half_px, width_mm / 2)
        dist -= half_px
        np.maximum(dist, -width_mm / 2, out=dist)
        hi -= dist
        np.maximum(hi, 0.0, out=hi)
        hi /= self.fp
        return hi


def tile_hash(ia: np.ndarray, ib: np.ndarray, salt: float) -> np.ndarray:
    """A number in 0..1 that looks random and is the same over a whole tile (computed
    once per tile and looked up: a picture shows few tiles)."""
    a0, b0 = int(ia.min()), int(ib.min())
    ai, bi = (ia - a0).astype(np.int32), (ib - b0).astype(np.int32)
    ta = np.arange(a0, int(ia.max()) + 1, dtype=np.float64)[:, None]
    tb = np.arange(b0, int(ib.max()) + 1, dtype=np.float64)[None, :]
    v = np.sin(ta * 12.9898 + tb * 78.233 + salt * 37.719) * 43758.5453
    table = (v - np.floor(v)).astype(np.float32)
    return table[ai, bi]


def _rgb(*channels: np.ndarray) -> np.ndarray:
    return np.dstack(channels).astype(np.float32)


def _mix(a: np.ndarray, colour: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """a (H x W x 3) moved towards `colour` (3,) by `weight` (H x W, 0..1)."""
    c = np.asarray(colour, np.float32)
    out = a - c
    out *= (1.0 - weight)[..., None]
    out += c
    return out


def _tint(rng: np.random.Generator, base: float, spread: float) -> np.ndarray:
    """An RGB colour near grey level `base`, tinted slightly warm or cool."""
    warm = rng.uniform(-spread, spread)
    return np.array([base + warm, base + 0.3 * warm, base - warm], np.float32)


def marble(x: np.ndarray, y: np.ndarray, fp: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Polished white marble: large tiles, soft grey veins that jump at each joint."""
    s = Sampler(x, y, fp, rng)
    size = float(rng.choice([600.0, 800.0, 1000.0]))
    period = (size, size * float(rng.choice([1.0, 2.0])))
    fa, fb, ia, ib = s.grid(period, rng.uniform(0, math.pi), tuple(rng.uniform(0, 1, 2)))
    base = _tint(rng, rng.uniform(212, 238), 4)
    out = np.broadcast_to(base, (*x.shape, 3)).astype(np.float32)
    turb = s.noise(250, 0) + 0.5 * s.noise(80, 1) + 0.25 * s.noise(25, 2)
    wave = rng.uniform(150, 400)
    angle = rng.uniform(0, math.pi)
    phase = tile_hash(ia, ib, 1.0) * 2 * math.pi
    along = x * math.cos(angle) + y * math.sin(angle)
    veins = np.sin(2 * math.pi * along / wave + rng.uniform(2, 4) * turb + phase)
    width = rng.uniform(0.06, 0.25)
    vein = np.exp(-(veins / width) ** 2) * rng.uniform(0.2, 0.5)
    vein *= np.clip(0.6 + 0.4 * s.noise(60, 0), 0, 1)
    out = _mix(out, base * rng.uniform(0.55, 0.75), vein)
    out *= (1.0 + 0.025 * s.noise(120, 0) + 0.01 * s.noise(8, 3))[..., None]
    joint = np.maximum(s.lines(fa, period[0], rng.uniform(0.5, 2)),
                       s.lines(fb, period[1], rng.uniform(0.5, 2)))
    return _mix(out, base * 0.8, joint * 0.7)


def white_tile(x: np.ndarray, y: np.ndarray, fp: np.ndarray,
               rng: np.random.Generator) -> np.ndarray:
    """Glazed white tiles with grout lines."""
    s = Sampler(x, y, fp, rng)
    size = float(rng.choice([150.0, 200.0, 250.0, 300.0, 400.0, 600.0]))
    period = (size, size * float(rng.choice([1.0, 1.0, 2.0])))
    fa, fb, ia, ib = s.grid(period, rng.uniform(0, math.pi), tuple(rng.uniform(0, 1, 2)))
    base = _tint(rng, rng.uniform(210, 240), 5)
    per_tile = 1.0 + 0.025 * (tile_hash(ia, ib, 2.0) - 0.5)
    out = base[None, None, :] * per_tile[..., None]
    out = out * (1.0 + 0.012 * s.noise(40, 0) + 0.008 * s.noise(5, 3))[..., None]
    grout_colour = _tint(rng, rng.uniform(140, 205), 12)
    width = rng.uniform(2, 6)
    grout = np.maximum(s.lines(fa, period[0], width), s.lines(fb, period[1], width))
    grout_tex = grout_colour[None, None, :] * (1 + 0.06 * s.noise(3, 3))[..., None]
    return out + (grout_tex - out) * grout[..., None]


def _motif(u: np.ndarray, v: np.ndarray, kind: int) -> np.ndarray:
    """Signed distance (tile units, > 0 inside the green) of a cement-tile motif."""
    du, dv = u - 0.5, v - 0.5
    r_centre = np.hypot(du, dv)
    corner = np.hypot(np.minimum(u, 1 - u), np.minimum(v, 1 - v))
    if kind == 0:  # green field, white disc in the centre and quarter discs at the corners
        return np.minimum(r_centre - 0.32, corner - 0.32)
    if kind == 1:  # white diamond with a green dot, on green
        diamond = np.abs(du) + np.abs(dv)
        return np.maximum(diamond - 0.46, 0.12 - r_centre)
    if kind == 2:  # checkerboard of four squares
        return np.where((u < 0.5) == (v < 0.5), 1.0, -1.0) * np.minimum(
            np.abs(du), np.abs(dv))
    # green ring on white, green quarter discs at the corners
    ring = 0.06 - np.abs(r_centre - 0.3)
    return np.maximum(ring, 0.2 - corner)


def green_tiles(x: np.ndarray, y: np.ndarray, fp: np.ndarray,
                rng: np.random.Generator) -> np.ndarray:
    """Patterned cement tiles, green and white."""
    s = Sampler(x, y, fp, rng)
    size = float(rng.uniform(150, 250))
    fa, fb, ia, ib = s.grid((size, size), rng.uniform(0, math.pi), tuple(rng.uniform(0, 1, 2)))
    kind = int(rng.integers(0, 4))
    sd = _motif(fa, fb, kind)
    green = np.clip(sd * size / fp + 0.5, 0.0, 1.0)
    white = _tint(rng, rng.uniform(222, 244), 4)
    g = rng.uniform(0.0, 1.0)
    green_colour = np.array([30 + 40 * g, 105 + 40 * g, 70 + 35 * g], np.float32)
    out = _mix(np.broadcast_to(white, (*x.shape, 3)).astype(np.float32), green_colour, green)
    # Cement tiles differ a little from one to the next.
    out *= (1.0 + 0.03 * (tile_hash(ia, ib, 5.0) - 0.5) + 0.02 * s.noise(30, 0)
            + 0.015 * s.noise(4, 3))[..., None]
    grout = np.maximum(s.lines(fa, size, 1.5), s.lines(fb, size, 1.5))
    return _mix(out, _tint(rng, 170, 8), grout * 0.8)


_WOODS = (
    (185, 140, 95),  # light oak
    (160, 110, 65),  # oak
    (120, 75, 45),  # walnut
    (85, 55, 38),  # dark walnut
    (150, 135, 118),  # grey-washed
)


def wood(x: np.ndarray, y: np.ndarray, fp: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Wooden planks: staggered rows, a colour per plank, grain along them, dark seams."""
    s = Sampler(x, y, fp, rng)
    width = rng.uniform(80, 200)
    length = rng.uniform(500, 1500)
    angle = rng.uniform(0, math.pi)
    c, sn = math.cos(angle), math.sin(angle)
    along = x * c + y * sn
    across = -x * sn + y * c + rng.uniform(0, width)
    row = np.floor(across / width)
    fb = across / width - row
    shifted = along / length + tile_hash(row, row, 3.0)
    col = np.floor(shifted)
    fa = shifted - col
    base = np.array(_WOODS[int(rng.integers(0, len(_WOODS)))], np.float32)
    base *= rng.uniform(0.9, 1.1, 3).astype(np.float32)
    plank = 1.0 + 0.18 * (tile_hash(row, col, 4.0) - 0.5)
    grain = (s.noise(6, 2, stretch=40.0, angle=angle) * 0.09
             + s.noise(25, 0, stretch=20.0, angle=angle) * 0.06)
    spacing = rng.uniform(8, 25)
    rings = np.sin(2 * math.pi * (across + 30 * s.noise(120, 0)) / spacing)
    rings *= np.clip(spacing / (2 * fp) - 0.5, 0.0, 1.0)  # fade where a pixel spans a ring
    shade = plank + grain + 0.04 * rings
    out = base[None, None, :] * shade[..., None]
    seam = np.maximum(s.lines(fb, width, rng.uniform(0.8, 2)), s.lines(fa, length, 1.0))
    return _mix(out, base * 0.35, seam * 0.85)


def carpet(x: np.ndarray, y: np.ndarray, fp: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Carpet or a shaggy rug: loops of fibre (ridges of noise) over tufts, grey, beige,
    blue or brown."""
    s = Sampler(x, y, fp, rng)
    palette = ((165, 160, 150), (190, 180, 160), (95, 105, 125), (120, 95, 75), (200, 198, 192))
    base = np.array(palette[int(rng.integers(0, len(palette)))], np.float32)
    base *= rng.uniform(0.9, 1.15)
    shag = rng.uniform(0.0, 1.0)  # 0: a flat loop pile, 1: a deep shaggy rug
    loop = rng.uniform(3, 7)
    loops = np.clip(1 - np.abs(s.noise(loop, 0)), 0, 1) ** 2
    fine = np.clip(1 - np.abs(s.noise(loop / 2, 0)), 0, 1) ** 3
    tufts = np.tanh(s.noise(rng.uniform(3, 6), 0))
    shade = (0.62 + 0.3 * loops + 0.15 * fine + (0.05 + 0.2 * shag) * tufts
             + 0.05 * s.noise(1.2, 3) + 0.04 * s.noise(250, 0))
    out = base[None, None, :] * shade[..., None]
    # The gaps between tufts are slightly bluer or browner than the tips.
    out[..., 2] *= 1.0 + 0.03 * tufts
    return out


def concrete(x: np.ndarray, y: np.ndarray, fp: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    """Concrete or a bare earth floor: mottled grey or brown, speckles, pits, a crack."""
    s = Sampler(x, y, fp, rng)
    earthy = rng.uniform() < 0.35
    level = rng.uniform(105, 175)
    base = (np.array([level * 1.05, level * 0.92, level * 0.78], np.float32) if earthy
            else _tint(rng, level, 5))
    shade = (1.0 + 0.08 * s.noise(220, 0) + 0.06 * s.noise(25, 1) + 0.06 * s.noise(4, 3)
             + 0.08 * s.noise(1.2, 3))
    pits = np.clip(s.noise(2.0, 3) - 2.2, 0, None) * 0.5
    out = base[None, None, :] * (shade - pits)[..., None]
    crack_field = np.abs(s.noise(600, 0) + 0.15 * s.noise(40, 1))
    crack = np.clip((rng.uniform(0.3, 1.5) / 2 - crack_field * 300) / fp + 0.5, 0, 1)
    return _mix(out, base * 0.45, crack * (rng.uniform() < 0.5))


FLOORS: dict[str, FloorFn] = {
    "white_marble": marble,
    "white_tile": white_tile,
    "green_tiles": green_tiles,
    "wood": wood,
    "carpet": carpet,
    "concrete": concrete,
}
# Glazed or polished floors show a broad highlight.
GLOSSY = frozenset({"white_marble", "white_tile", "green_tiles"})
