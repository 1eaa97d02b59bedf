"""A window in a page scene (tests/page_scenes.py), through the scene's own camera.

A window is a rectangle of glass in a vertical wall, divided by bars (its frame and
mullions) into panes. It shows in a foot photo in three ways, each rendered by following
the camera's rays:

- `"reflection"`: its mirror image in a glossy floor (white tiles, marble, varnished
  wood): each floor point the camera sees reflects the ray (z -> -z) toward the wall;
  where that ray meets a pane, the sky's light is added, a few to ~200 grey levels (it
  saturates), blurred by the gloss. The matte page and the foot do not reflect.
- `"sunlight"`: a patch of sun on the floor: a floor point is lit where the ray toward the
  sun passes through a pane; the patch is the window's parallelogram (its sides along the
  wall and along the sun's azimuth), crossed by the mullions' shadows, its edges blurred
  by the sun's 0.53 degrees (the penumbra: distance to the window x 0.0093). Lit floor is
  the floor's own colour and texture, 1.8-3.5 x brighter (it often saturates).
- `"frame"`: the window itself, seen past the floor when the camera is oblique: a French
  window or glazed door in a painted wall, its panes showing a graded, bluish sky above a
  textured band of trees and hedges, its bars light (painted) or dark (metal).

The wall occludes the floor beyond it whichever way the window shows, so it is in the
picture when the window is close. Lengths in mm (the floor at z = 0, z up), image px as the
camera's (the 2 x render of page_scenes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from page_scenes import _Noise

KINDS = ("reflection", "sunlight", "frame")
GLOSS = {"white_tile": 1.0, "marble": 1.0, "wood": 0.6}  # specular strength; others: matte
SUN_RADIUS = 0.0047  # rad, half the sun's angular diameter
WALL_HEIGHT = 2600.0
WALL_HALF_LENGTH = 3000.0
WALL_PAINT = np.array((222, 216, 204), np.float32)


@dataclass
class Window:
    """A window in a wall: the wall's base passes through `origin` (the window's centre
    along it), `along` and `inward` (into the room) are horizontal unit vectors; the
    glass spans `width` along the wall and `sill` to `sill + height` up, divided into
    `cols` x `rows` panes by bars `bar` mm wide (the outer frame too)."""

    origin: np.ndarray
    along: np.ndarray
    inward: np.ndarray
    width: float
    sill: float
    height: float
    cols: int
    rows: int
    bar: float

    def wall_coords(self, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(s, z): mm along the wall from the window's centre, and height, of points (... x 3)
        on the wall's plane."""
        d = pts[..., :2] - self.origin[:2]
        return d @ self.along, pts[..., 2]

    def panes(self, s: np.ndarray, z: np.ndarray, soft: np.ndarray | float = 0.0
              ) -> np.ndarray:
        """Fraction (0-1) of glass at wall coordinates (s, z): inside a pane, not on a bar;
        each edge a linear ramp `soft` mm wide (a penumbra), 0 for a sharp one."""
        soft = np.maximum(soft, 1e-3)

        def axis(x: np.ndarray, lo: float, length: float, n: int) -> np.ndarray:
            pane = (length - (n + 1) * self.bar) / n
            out = np.zeros_like(x)
            for k in range(n):
                a = lo + self.bar + k * (pane + self.bar)
                inside = np.minimum(x - a, a + pane - x)
                out += np.clip(inside / soft + 0.5, 0.0, 1.0)
            return np.minimum(out, 1.0)

        return (axis(s, -self.width / 2, self.width, self.cols)
                * axis(z, self.sill, self.height, self.rows))

    def outline(self) -> np.ndarray:
        """The glass's four corners (4 x 3, world mm)."""
        s = np.array([-1, 1, 1, -1]) * self.width / 2
        z = self.sill + np.array([1, 1, 0, 0]) * self.height
        xy = self.origin[:2] + s[:, None] * self.along
        return np.column_stack([xy, z])


def random_window(rng: np.random.Generator, kind: str) -> dict:
    """Sizes (mm) of a window divided into 2-6 panes: a small one for sun patches and
    reflections (the patch of a large one covers the whole view), a glazed door seen past
    the floor."""
    if kind == "frame":
        width, sill, height = rng.uniform(700, 1600), rng.uniform(0, 350), rng.uniform(1500, 2100)
    else:
        width, sill, height = rng.uniform(450, 1000), rng.uniform(500, 1000), rng.uniform(500, 1000)
    cols = int(rng.integers(1, 4))
    rows = int(rng.integers(1, 3)) if cols > 1 else 2  # 2-6 panes
    return {"width": float(width), "sill": float(sill), "height": float(height),
            "cols": cols, "rows": rows, "bar": float(rng.uniform(35, 80))}


def _horizontal(v: np.ndarray) -> np.ndarray:
    h = np.array([v[0], v[1]], float)
    return h / max(float(np.linalg.norm(h)), 1e-9)


def _turn(v: np.ndarray, deg: float) -> np.ndarray:
    a = math.radians(deg)
    return np.array([math.cos(a) * v[0] - math.sin(a) * v[1],
                     math.sin(a) * v[0] + math.cos(a) * v[1]])


def place(kind: str, rng: np.random.Generator, centre: np.ndarray, ray: np.ndarray,
          floor_point: np.ndarray) -> tuple[Window, np.ndarray | None]:
    """A window whose `kind` of showing falls on `floor_point` (floor mm, seen along the
    unit `ray` from the camera at `centre`), and the unit vector toward the sun
    (sunlight only)."""
    size = random_window(rng, kind)
    mid = size["sill"] + size["height"] / 2
    sun = None
    if kind == "sunlight":
        elevation = math.radians(rng.uniform(30, 60))
        azimuth = _horizontal(rng.standard_normal(2))
        sun = np.array([*(math.cos(elevation) * azimuth), math.sin(elevation)])
        # The patch's centre is the window's centre seen from the floor toward the sun.
        base = floor_point[:2] + mid / math.tan(elevation) * azimuth
        inward = _turn(-azimuth, rng.uniform(-35, 35))
    elif kind == "reflection":
        mirrored = np.array([ray[0], ray[1], -ray[2]])
        hit = floor_point + mid / mirrored[2] * mirrored
        base = hit[:2]
        inward = _turn(-_horizontal(mirrored), rng.uniform(-20, 20))
    else:  # frame: the wall's base runs through the floor point, facing the camera; the
        # window along it a little to one side (not always centred in the view)
        inward = _turn(-_horizontal(ray), rng.uniform(-15, 15))
        base = floor_point[:2] + rng.uniform(-300, 300) * np.array([-inward[1], inward[0]])
    along = np.array([-inward[1], inward[0]])
    window = Window(np.array([*base, 0.0]), along, inward, **size)
    return window, sun


def wall_hit(window: Window, centre: np.ndarray, rays: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray]:
    """Distance (mm along the unit `rays`, ... x 3) to the wall from `centre` (inf where the
    ray misses the wall: parallel, behind, beyond its extent), and the hit points."""
    n = np.array([*window.inward, 0.0])
    denom = rays @ n
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (window.origin - centre) @ n / denom
    pts = centre + np.nan_to_num(t)[..., None] * rays
    s, z = window.wall_coords(pts)
    ok = (t > 0) & (z >= 0) & (z <= WALL_HEIGHT) & (np.abs(s) <= WALL_HALF_LENGTH)
    return np.where(ok, t, np.inf), pts


def outdoor(window: Window, s: np.ndarray, z: np.ndarray, rng: np.random.Generator
            ) -> np.ndarray:
    """RGB (float) seen through the glass at wall coordinates (s, z): a bright bluish sky,
    graded with height, above a band of trees and hedges, textured (leaves, branches)."""
    up = np.clip((z - window.sill) / window.height, 0, 1)
    sky = np.array((205, 225, 250), np.float32) + (40 * up)[..., None]
    n1, n2 = _Noise(rng, 60.0), _Noise(rng, 12.0)
    crown = 0.12 + 0.05 * n1(s, s * 0 + 50.0)  # the hedge's top, a fraction of the height
    leaves = 0.5 + 0.25 * n2(s, z) + 0.15 * n1(s * 2, z * 2)
    tree = np.stack([60 + 70 * leaves, 90 + 80 * leaves, 50 + 50 * leaves], axis=-1)
    return np.where((up < crown)[..., None], tree, sky).astype(np.float32)


@dataclass
class WindowLight:
    """What a window does to a picture (2 x render px): `wall` where the wall (and the
    window in it) hides the floor, with `wall_colour` there; the floor's light multiplied
    by `gain` (sunlight); `added` grey levels of a reflection (before the matte page and
    the foot hide it); `shows` where the window's light or glass shows; `outline` (4 x 2
    px) the glass's, its reflection's or its sun patch's corners."""

    window: Window
    wall: np.ndarray
    wall_colour: np.ndarray
    gain: np.ndarray
    added: np.ndarray
    shows: np.ndarray
    outline: np.ndarray


def camera_rays(cam, uu: np.ndarray, vv: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Unit rays (H x W x 3, world) of the pinhole camera `cam` through px (uu, vv)."""
    w, h = cam.size
    d = np.stack([(uu - w / 2) / cam.focal_px, (vv - h / 2) / cam.focal_px, np.ones_like(uu)],
                 axis=-1)
    d = d @ cam.rotation  # camera -> world (the rotation's rows are the camera's axes)
    return d / np.linalg.norm(d, axis=-1, keepdims=True)


def render_window(kind: str, rng: np.random.Generator, cam, uu: np.ndarray,  # type: ignore[no-untyped-def]
                  vv: np.ndarray, floor: str, hit: np.ndarray, fx: np.ndarray,
                  fy: np.ndarray, page_dist: np.ndarray) -> WindowLight:
    """A window of `kind` placed so that it shows (on >= 2 % of the picture) and keeps off
    the page: its sun patch and its wall at least 40 mm from it (`page_dist`: floor mm of
    each pixel from the page's rectangle, or where a page would lie)."""
    rays = camera_rays(cam, uu, vv)
    floor_pts = np.stack([fx, fy, np.zeros_like(fx)], axis=-1)
    t_floor = np.where(hit, np.linalg.norm(floor_pts - cam.centre, axis=-1), np.inf)
    step = 12
    # Where the window's light falls, or the wall's base runs: off the page (its sun patch
    # or reflection spreads ~0.3 m around), for a wall on the far part of the floor in view.
    near = page_dist[::step, ::step]
    cand = hit[::step, ::step] & (near > (100 if kind == "frame" else 250))
    on_page = hit & (page_dist <= 0)
    if kind == "frame" and on_page.any():  # a room's wall, 0.3-1.2 m beyond the page
        beyond = floor_pts[::step, ::step, :2] - floor_pts[on_page][:, :2].mean(axis=0)
        ahead = rays[::step, ::step, :2] / np.linalg.norm(rays[::step, ::step, :2], axis=-1,
                                                          keepdims=True)
        depth = np.sum(beyond * ahead, axis=-1)
        cand &= (depth > 300) & (depth < 1200)
    ys, xs = np.nonzero(cand)
    for _ in range(40):
        if not len(ys):
            break
        k = int(rng.integers(len(ys)))
        y, x = ys[k] * step, xs[k] * step
        window, sun = place(kind, rng, cam.centre, rays[y, x], floor_pts[y, x])
        light = _light(window, sun, kind, rng, cam, rays, floor, hit, floor_pts, t_floor)
        near_page = hit & (page_dist <= 40)
        if (light.shows.mean() >= 0.02 and not (light.wall & near_page).any()
                and not ((light.gain > 1.01) & near_page).any()):
            return light
    raise ValueError(f"no place for a window ({kind}) in this view")


def _light(window: Window, sun: np.ndarray | None, kind: str, rng: np.random.Generator,
           cam, rays: np.ndarray, floor: str, hit: np.ndarray,  # type: ignore[no-untyped-def]
           floor_pts: np.ndarray, t_floor: np.ndarray) -> WindowLight:
    """The light of one placed `window` (and `sun`, toward it) over the picture's `rays`
    (unit, world), whose floor points are `floor_pts` at `t_floor` mm (inf: no floor)."""
    t_wall, on_wall = wall_hit(window, cam.centre, rays)
    wall = np.isfinite(t_wall) & (t_wall < t_floor)
    s, z = window.wall_coords(on_wall)
    glass = window.panes(s, z) * wall
    bars = np.array((238, 236, 230) if rng.random() < 0.6 else (62, 60, 58), np.float32)
    in_frame = ((np.abs(s) <= window.width / 2) & (z >= window.sill)
                & (z <= window.sill + window.height))
    paint = np.where(in_frame[..., None], bars, WALL_PAINT)
    wall_colour = paint + glass[..., None] * (outdoor(window, s, z, rng) - paint)
    floor_seen = hit & ~wall
    n = np.array([*window.inward, 0.0])
    gain = np.ones(hit.shape, np.float32)
    added = np.zeros(hit.shape, np.float32)
    corners = window.outline()
    if kind == "sunlight":
        assert sun is not None
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((window.origin - floor_pts) @ n) / float(sun @ n)
        t = np.where(floor_seen & (t > 0), t, 0.0)
        ps, pz = window.wall_coords(floor_pts + t[..., None] * sun)
        lit = window.panes(ps, pz, soft=2 * SUN_RADIUS * t) * (t > 0)
        gain = (1.0 + rng.uniform(0.8, 2.5) * lit).astype(np.float32)
        shows = lit > 0.5
        corners = corners - (corners[:, 2] / sun[2])[:, None] * sun  # down to the floor
    elif kind == "reflection":
        mirrored = rays * np.array([1.0, 1.0, -1.0])
        with np.errstate(divide="ignore", invalid="ignore"):
            t = ((window.origin - floor_pts) @ n) / (mirrored @ n)
        t = np.where(floor_seen & (t > 0), t, 0.0)
        ps, pz = window.wall_coords(floor_pts + t[..., None] * mirrored)
        sky = window.panes(ps, pz) * (t > 0) * (0.85 + 0.15 * np.clip(
            (pz - window.sill) / window.height, 0, 1))
        blur = float(rng.uniform(1.5, 5.0)) / GLOSS.get(floor, 1.0)  # px at 2 x
        sky = cv2.GaussianBlur(sky.astype(np.float32), (0, 0), blur)
        added = (rng.uniform(60, 200) * GLOSS.get(floor, 0.0) * sky).astype(np.float32)
        shows = added > 30
        corners = corners * np.array([1.0, 1.0, -1.0])  # the mirror image, below the floor
    else:
        shows = glass > 0.5
    outline = cam.project(corners) if (cam.to_camera(corners)[:, 2] > 0).all() else \
        np.full((4, 2), np.nan)
    return WindowLight(window, wall, wall_colour.astype(np.float32), gain, added, shows,
                       outline)
