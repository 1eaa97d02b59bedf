"""Rendered photos of a page on a floor, seen through a pinhole camera, with exact truth.

A camera (focal length, height, tilt from straight down, heading, roll) looks at a floor:
white tiles with grout lines, green-and-white patterned tiles, white marble, wooden planks,
carpet or concrete. An A4 or US Letter page may lie on it; a foot stands on the page and a
leg rises from the heel (bare, or in trousers), hiding none, one or two of the page's
corners; the page may run out of the frame. Light falloff, a colour cast, a soft shadow of
the leg, a glare spot on glossy floors, blur, noise and JPEG compression. A window may be
added away from the page (tests/page_windows): its reflection on the floor, a patch of sun
through it, or the window itself past the floor.

Every floor pattern is evaluated at the floor point each pixel sees (2 x 2 supersampled), so
grout lines and planks converge exactly as a camera makes them. The truth is the page's
corners in image px (continuous px, pixel centres at i + 0.5, as `footlog.imaging.photo_io`)
and which of them show (inside the frame and not under the foot, leg or trousers).

Lengths on the floor are in mm, in the image in px.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import cv2
import numpy as np

from footlog.domain.calibration import A4, LETTER, RectSize, apply_homography

FLOORS = ("white_tile", "green_white", "marble", "wood", "carpet", "concrete")
GLOSSY = {"white_tile", "marble"}
# 35 mm-equivalent focal lengths of phone cameras (mm): main cameras 24-28 mm, and the 2x
# camera of many phones. The full-frame diagonal is 43.27 mm.
FOCALS_35MM = (24.0, 26.0, 28.0, 48.0)
FULL_FRAME_DIAGONAL_MM = 43.27
SKINS = ((226, 184, 160), (200, 146, 118), (168, 112, 84), (112, 74, 56))
TROUSERS = ((38, 40, 48), (52, 70, 110), (90, 84, 76))


@dataclass
class Camera:
    """A pinhole camera above the floor (z = 0, mm, z up); image px, centre of projection
    at the picture's centre."""

    focal_px: float
    rotation: np.ndarray  # 3 x 3, world -> camera (rows: image right, image down, forward)
    centre: np.ndarray  # camera position, world mm
    size: tuple[int, int]  # (w, h) px

    def to_camera(self, pts: np.ndarray) -> np.ndarray:
        return (np.asarray(pts, float) - self.centre) @ self.rotation.T

    def project(self, pts: np.ndarray) -> np.ndarray:
        """World points (N x 3, mm) -> image px (N x 2); only for points in front."""
        c = self.to_camera(pts)
        w, h = self.size
        return np.stack(
            [self.focal_px * c[:, 0] / c[:, 2] + w / 2, self.focal_px * c[:, 1] / c[:, 2] + h / 2],
            axis=1,
        )

    def floor_homography(self) -> np.ndarray:
        """3 x 3: floor (x, y) mm -> image px."""
        w, h = self.size
        k = np.array([[self.focal_px, 0, w / 2], [0, self.focal_px, h / 2], [0, 0, 1.0]])
        t = -self.rotation @ self.centre
        m = k @ np.column_stack([self.rotation[:, 0], self.rotation[:, 1], t])
        return m / m[2, 2]

    def floor_points(self, u: np.ndarray, v: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Floor (x, y) mm seen at image px (u, v), and whether the ray meets the floor
        within 6 m (beyond: a wall)."""
        w, h = self.size
        d = np.stack([(u - w / 2) / self.focal_px, (v - h / 2) / self.focal_px, np.ones_like(u)])
        dw = np.tensordot(self.rotation.T, d, axes=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = -self.centre[2] / dw[2]
        x, y = self.centre[0] + s * dw[0], self.centre[1] + s * dw[1]
        hit = (dw[2] < 0) & (np.hypot(x - self.centre[0], y - self.centre[1]) < 6000)
        return np.where(hit, x, 0.0), np.where(hit, y, 0.0), hit


def make_camera(focal_px: float, size: tuple[int, int], target: np.ndarray, distance: float,
                tilt_deg: float, heading_deg: float, roll_deg: float) -> Camera:
    """A camera `distance` mm from floor point `target` along its axis, the axis tilted
    `tilt_deg` from straight down toward the heading (degrees from the floor's +y)."""
    t, r = math.radians(tilt_deg), math.radians(roll_deg)
    z = np.array([0.0, math.sin(t), -math.cos(t)])  # forward
    y = np.array([0.0, -math.cos(t), -math.sin(t)])  # image down
    x = np.cross(y, z)  # image right
    # Roll: turn the image axes about the forward axis.
    x, y = math.cos(r) * x + math.sin(r) * y, -math.sin(r) * x + math.cos(r) * y
    a = math.radians(heading_deg)
    yaw = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1.0]])
    rot = np.stack([yaw @ x, yaw @ y, yaw @ z])
    centre = np.asarray(target, float) - distance * rot[2]
    return Camera(float(focal_px), rot, centre, size)


@dataclass
class Scene:
    image: np.ndarray  # H x W x 3 uint8 RGB
    floor: str
    paper: RectSize | None  # None: no page in the scene
    corners: np.ndarray | None  # 4 x 2 image px, the page's corners (TL, TR, BR, BL of the page)
    corner_seen: list[bool] = field(default_factory=list)
    focal_px: float = 0.0
    tilt_deg: float = 0.0
    homography: np.ndarray | None = None  # floor mm (page frame) -> image px
    # A window's glass, reflection or sun patch (tests/page_windows): its four corners
    # (image px, NaN when not all in front of the camera) and where it shows (H x W bool).
    window_quad: np.ndarray | None = None
    window_mask: np.ndarray | None = None

    @property
    def corners_shown(self) -> int:
        return sum(self.corner_seen)


# --- floors: colour at floor points (mm) ---------------------------------------------------


class _Noise:
    """Smooth value noise on the floor: a random grid of `cell_mm` sampled bilinearly."""

    def __init__(self, rng: np.random.Generator, cell_mm: float, extent_mm: float = 6000.0):
        self.cell = max(cell_mm, 2 * extent_mm / 3000)  # at most a 3000 x 3000 grid
        n = int(2 * extent_mm / self.cell) + 2
        self.grid = rng.standard_normal((n, n)).astype(np.float32)
        self.origin = -extent_mm

    def __call__(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        mx = ((x - self.origin) / self.cell).astype(np.float32)
        my = ((y - self.origin) / self.cell).astype(np.float32)
        return cv2.remap(self.grid, mx, my, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def _hash(i: np.ndarray, j: np.ndarray, seed: int) -> np.ndarray:
    """A pseudo-random number in [0, 1) per integer cell (i, j)."""
    v = np.sin(i * 12.9898 + j * 78.233 + seed * 0.7) * 43758.5453
    return v - np.floor(v)


def _grid(x: np.ndarray, y: np.ndarray, period: float, grout: float) -> tuple:
    """Tile indices and whether each point is on a grout line (width `grout` mm)."""
    i, j = np.floor(x / period), np.floor(y / period)
    fx, fy = x - i * period, y - j * period
    on = (fx < grout) | (fy < grout)
    return i, j, on


def floor_colour(kind: str, x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """RGB float (0-255) of the floor `kind` at floor points (x, y) mm."""
    seed = int(rng.integers(1 << 20))
    out = np.empty((*x.shape, 3), np.float32)
    if kind == "white_tile":
        period = float(rng.uniform(300, 600))
        grout = float(rng.uniform(3, 6))
        base = float(rng.uniform(212, 238))  # glazed white tiles reflect less than paper
        i, j, on = _grid(x + 137.0, y + 59.0, period, grout)
        tile = base + 4 * (_hash(i, j, seed) - 0.5)
        shade = tile - float(rng.uniform(15, 55)) * on
        out[:] = shade[..., None]
        out[..., 2] += 2  # a faintly cool white
    elif kind == "green_white":
        period = float(rng.uniform(100, 200))
        grout = float(rng.uniform(2, 3.5))
        green = np.array(rng.choice([(70, 140, 95), (40, 110, 80), (120, 170, 120)]), np.float32)
        white = np.array((236, 236, 228), np.float32)
        i, j, on = _grid(x, y, period, grout)
        if rng.random() < 0.5:
            is_green = ((i + j) % 2) == 1  # a chequerboard
        else:  # white tiles with a green border band
            fx, fy = x - i * period, y - j * period
            band = 0.18 * period
            is_green = (fx < band) | (fy < band) | (fx > period - band) | (fy > period - band)
        out[:] = np.where(is_green[..., None], green, white)
        out[on] = (200, 200, 195)
    elif kind == "marble":
        n1, n2 = _Noise(rng, 60.0), _Noise(rng, 15.0)
        v = np.sin((x * 0.8 + y * 0.6) / 55.0 + 3.0 * n1(x, y) + 0.8 * n2(x, y))
        vein = np.exp(-((v / 0.08) ** 2))
        base = float(rng.uniform(220, 240))
        shade = base - 45 * vein - 3 * n1(x * 2.1, y * 2.1)
        slab = float(rng.uniform(600, 900))
        _, _, on = _grid(x + 300, y + 300, slab, 1.5)
        shade = shade - 20 * on
        out[:] = shade[..., None]
        out[..., 0] += 1
    elif kind == "wood":
        width = float(rng.uniform(90, 150))
        row = np.floor(x / width)
        length = 1200.0
        offs = _hash(row, row * 0 + 1, seed) * length
        col = np.floor((y + offs) / length)
        tone = _hash(row, col, seed)
        grain = _Noise(rng, 2.5)(x * 3.0, y * 0.15) * 10 + _Noise(rng, 20.0)(x, y * 0.2) * 8
        fx = x - row * width
        fy = (y + offs) - col * length
        seam = (fx < 1.5) | (fy < 1.5)
        r = 150 + 40 * tone + grain - 60 * seam
        out[..., 0], out[..., 1], out[..., 2] = r, r * 0.66, r * 0.40
    elif kind == "carpet":
        fine, coarse = _Noise(rng, 2.0), _Noise(rng, 40.0)
        base = np.array(rng.choice([(150, 140, 128), (120, 118, 115), (170, 160, 150)]), np.float32)
        v = 28 * fine(x, y) + 10 * coarse(x, y)
        out[:] = base + v[..., None]
    else:  # concrete
        fine, mid = _Noise(rng, 3.0), _Noise(rng, 50.0)
        base = float(rng.uniform(95, 140))
        v = base + 12 * fine(x, y) + 14 * mid(x, y)
        speck = (fine(x * 3.1, y * 3.1) > 2.2) * 40
        out[:] = (v - speck)[..., None]
        out[..., 2] -= 4
    return out


# --- the scene ----------------------------------------------------------------------------

def _sheet_ink(sheet: str, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Reflectance (0.05 ink .. 1 paper) of footlog's calibration sheet at page mm (x, y),
    its markers drawn as the detector's dictionary makes them (test_calibration's raster)."""
    from test_calibration import RASTER, _sheet_raster

    from footlog.imaging.page_profiles import sample

    page = _sheet_raster(sheet)[..., 0].astype(np.float32)
    v = sample(page, np.stack([x * RASTER - 0.5, y * RASTER - 0.5], axis=1))
    return 0.05 + 0.95 * v / 255.0


def _foot_outline(paper: RectSize, flip: bool, rng: np.random.Generator) -> np.ndarray:
    """A right-foot-like outline on the page (page mm), heel near the page's bottom edge:
    the union of a heel, a midfoot narrowed on the arch's side, a forefoot and five toes,
    so that its border curves as a foot's does (no long straight stretches)."""
    w, h = paper.width_mm, paper.height_mm
    length = float(rng.uniform(235, 265))
    width = float(rng.uniform(88, 104))
    cx = w / 2 + rng.uniform(-12, 12)
    heel_y = h - rng.uniform(18, 30)
    k = 2.0  # raster px per mm
    canvas = np.zeros((int(h * k) + 1, int(w * k) + 1), np.uint8)

    def blob(x: float, y: float, rx: float, ry: float, angle: float = 0.0) -> None:
        cv2.ellipse(canvas, ((x * k, y * k), (2 * rx * k, 2 * ry * k), angle), 1, -1)

    blob(cx, heel_y - 0.13 * length, 0.32 * width, 0.14 * length)  # heel
    blob(cx + 0.08 * width, heel_y - 0.42 * length, 0.36 * width, 0.2 * length)  # midfoot
    blob(cx, heel_y - 0.68 * length, 0.5 * width, 0.15 * length)  # forefoot
    for t in range(5):  # toes, the big one medial (left for a right foot seen from above)
        tx = cx - 0.36 * width + t * 0.19 * width
        ty = heel_y - (0.93 - 0.03 * t * t / 2) * length
        blob(tx, ty, (0.13 if t == 0 else 0.08) * width, 0.06 * length)
    contours, _ = cv2.findContours(canvas, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=len).reshape(-1, 2).astype(float) / k
    if flip:  # heel at the top edge instead
        outline = np.stack([w - outline[:, 0], h - outline[:, 1]], 1)
    return outline


def render_scene(seed: int, floor: str | None = None, paper: RectSize | str | None = "random",
                 size: tuple[int, int] = (800, 600), tilt_deg: float | None = None,
                 corners_hidden: int | None = None, cut: bool = False, leg: bool = True,
                 glare: bool | None = None, focal_35mm: float | None = None,
                 sheet: str | None = None, fill: float | None = None,
                 window: str | None = None) -> Scene:
    """One scene from `seed`; arguments fix what they name (None / "random": drawn).

    `size` is (w, h) of the photo (landscape or portrait). `corners_hidden` asks the leg to
    cover that many page corners (0, 1 or 2; the truth says what it really covers); `cut`
    moves the page so that part of it is beyond the frame. `sheet` ("a4" or "letter")
    prints footlog's calibration sheet on the page (its markers and heel line). `fill`:
    the page's long side over the picture's short side (drawn in 0.25-0.85 otherwise).
    `window` (tests/page_windows.KINDS) puts a window in the scene, away from the page: its
    reflection on the floor, a patch of sun through it, or the window itself (the camera
    then oblique, 50-65 degrees, and farther: the page fills 0.25-0.45, unless given).
    """
    rng = np.random.default_rng(seed)
    # The window's own draws, so that a scene without one stays as it was.
    wrng = np.random.default_rng([seed, 1])
    if window == "frame":
        tilt_deg = float(wrng.uniform(50, 65)) if tilt_deg is None else tilt_deg
        fill = float(wrng.uniform(0.25, 0.45)) if fill is None else fill
    floor = floor or str(rng.choice(FLOORS))
    if sheet is not None:
        from footlog.imaging.calibration_sheet import LAYOUTS

        paper = LAYOUTS[sheet].paper
    if paper == "random":
        paper = A4 if rng.random() < 0.5 else LETTER
    w, h = size
    diag = math.hypot(w, h)
    f35 = focal_35mm or float(rng.choice(FOCALS_35MM, p=(0.3, 0.3, 0.25, 0.15)))
    focal = f35 / FULL_FRAME_DIAGONAL_MM * diag
    tilt = float(rng.uniform(0, 50)) if tilt_deg is None else tilt_deg
    if corners_hidden is None:
        corners_hidden = int(rng.choice([0, 1, 2], p=(0.4, 0.35, 0.25)))
    # The page: its long side along the floor's y (toward the camera's heading), turned a bit.
    turn = float(rng.uniform(-30, 30)) + (90.0 if rng.random() < 0.15 else 0.0)
    pw, ph = (paper.width_mm, paper.height_mm) if paper is not None else (210.0, 297.0)
    # Distance: the page's long side covers 25-85 % of the picture's short side (from
    # standing height with a main camera ~25 %, bent over it or with a 2x camera more).
    fill = float(rng.uniform(0.25, 0.85)) if fill is None else fill
    distance = focal * ph / (fill * min(w, h))
    target = np.array([rng.uniform(-0.15, 0.15) * pw, rng.uniform(-0.15, 0.15) * ph, 0.0])
    cam = make_camera(focal, (2 * w, 2 * h), target, distance, tilt,
                      heading_deg=float(rng.uniform(-20, 20)) + (180 if rng.random() < 0.1 else 0),
                      roll_deg=float(rng.uniform(-8, 8)))
    cam.focal_px *= 2  # rendered at 2 x, shrunk at the end
    a = math.radians(turn)
    rot2 = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    page_mm = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], float)
    page_centre = np.array([pw / 2, ph / 2])
    if cut:  # slide the page along its length until part of it is out of view
        shift = float(rng.uniform(0.55, 0.8)) * ph
        direction = rng.choice([-1.0, 1.0])
        page_offset = rot2 @ np.array([0.0, direction * shift])
    else:
        page_offset = np.zeros(2)

    # Page mm (x right, y down as printed) -> floor mm (z up): the page's y runs along the
    # floor's -y, so that seen from above the page reads as printed, not mirrored.
    flip_y = np.diag([1.0, -1.0])
    to_floor = rot2 @ flip_y

    def page_to_floor(p: np.ndarray) -> np.ndarray:
        return (np.asarray(p, float) - page_centre) @ to_floor.T + page_offset

    floor_to_page_m = np.eye(3)
    floor_to_page_m[:2, :2] = np.linalg.inv(to_floor)
    floor_to_page_m[:2, 2] = page_centre - np.linalg.inv(to_floor) @ page_offset

    # Pixel centres of the 2 x picture, their floor points.
    uu, vv = np.meshgrid(np.arange(2 * w) + 0.5, np.arange(2 * h) + 0.5)
    fx, fy, hit = cam.floor_points(uu, vv)
    colour = floor_colour(floor, fx, fy, rng)
    colour[~hit] = (205, 200, 190)  # a wall far away
    # Page mm of every pixel.
    px_ = floor_to_page_m[0, 0] * fx + floor_to_page_m[0, 1] * fy + floor_to_page_m[0, 2]
    py_ = floor_to_page_m[1, 0] * fx + floor_to_page_m[1, 1] * fy + floor_to_page_m[1, 2]
    on_page = hit & (px_ >= 0) & (px_ <= pw) & (py_ >= 0) & (py_ <= ph) & (paper is not None)
    if paper is not None:
        tint = np.array([248, 247, 244], np.float32) + rng.uniform(-6, 4, 3).astype(np.float32)
        grad = 1.0 - 0.04 * (py_ / ph)  # the paper's own faint shading
        ink = np.ones(on_page.shape, np.float32)
        if sheet is not None:
            ink[on_page] = _sheet_ink(sheet, px_[on_page], py_[on_page])
        colour[on_page] = tint * (grad * ink)[on_page][:, None]
    win = None
    if window is not None:
        from page_windows import render_window

        page_dist = np.hypot(np.maximum(np.maximum(-px_, px_ - pw), 0),
                             np.maximum(np.maximum(-py_, py_ - ph), 0))
        win = render_window(window, wrng, cam, uu, vv, floor, hit, fx, fy, page_dist)
        colour = np.where(win.wall[..., None], win.wall_colour, colour * win.gain[..., None])
    occluder = np.zeros((2 * h, 2 * w), bool)
    skin = np.array(SKINS[int(rng.integers(len(SKINS)))], np.float32)
    flip = bool(rng.random() < 0.2)
    heel_mm = None
    if paper is not None or rng.random() < 0.8:
        outline = _foot_outline(paper or A4, flip, rng)
        poly = np.vstack([page_to_floor(p) for p in outline])
        img_poly = apply_homography(cam.floor_homography(), poly)
        foot_mask = np.zeros((2 * h, 2 * w), np.uint8)
        cv2.fillPoly(foot_mask, [np.round(img_poly - 0.5).astype(np.int32)], 1)
        shade = 0.85 + 0.15 * np.clip((uu - uu.mean()) / w, -1, 1)[..., None]
        colour = np.where(foot_mask[..., None] > 0, skin * shade, colour)
        occluder |= foot_mask > 0
        heel_mm = page_to_floor(outline[np.argmax(outline[:, 1] * (-1 if flip else 1))])
    if leg and heel_mm is not None:
        colour, occluder = _draw_leg(colour, occluder, cam, heel_mm, corners_hidden, paper,
                                     page_to_floor, skin, rng)
    # Light: falloff across the picture and a colour cast.
    gx = (uu / (2 * w) - 0.5) * rng.uniform(-0.25, 0.25)
    gy = (vv / (2 * h) - 0.5) * rng.uniform(-0.25, 0.25)
    light = (1.0 + gx + gy)[..., None] * rng.uniform(0.94, 1.04, 3).astype(np.float32)
    colour = colour * light
    if glare if glare is not None else floor in GLOSSY and rng.random() < 0.6:
        gxc, gyc = rng.uniform(0.1, 0.9) * 2 * w, rng.uniform(0.1, 0.9) * 2 * h
        rad = rng.uniform(0.05, 0.15) * 2 * w
        spot = np.exp(-(((uu - gxc) ** 2 + (vv - gyc) ** 2) / (2 * rad**2)))
        colour += (rng.uniform(40, 90) * spot * (~on_page) * (~occluder))[..., None]
    if win is not None:  # the matte page does not reflect; the foot and leg hide it
        colour += (win.added * (~on_page) * (~occluder))[..., None]
    img = np.clip(colour, 0, 255).astype(np.uint8)
    img = cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA)
    occ_small = cv2.resize(occluder.astype(np.uint8) * 255, (w, h), interpolation=cv2.INTER_AREA)
    img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.4, 1.1)))
    img = np.clip(img + rng.normal(0, rng.uniform(1, 3.5), img.shape), 0, 255).astype(np.uint8)
    quality = int(rng.integers(70, 95))
    _, buf = cv2.imencode(".jpg", img[..., ::-1], [cv2.IMWRITE_JPEG_QUALITY, quality])
    img = cv2.imdecode(buf, cv2.IMREAD_COLOR)[..., ::-1].copy()
    extra = {}
    if win is not None:
        shows = cv2.resize(win.shows.astype(np.uint8) * 255, (w, h),
                           interpolation=cv2.INTER_AREA) > 127
        extra = {"window_quad": win.outline / 2, "window_mask": shows}
    if paper is None:
        return Scene(img, floor, None, None, [], focal, tilt, None, **extra)
    hom = cam.floor_homography()
    # The 2 x camera's px -> this picture's px: continuous coordinates halve.
    hom = np.diag([0.5, 0.5, 1.0]) @ hom
    page_to_floor_m = np.linalg.inv(floor_to_page_m)
    hom_page = hom @ page_to_floor_m
    hom_page /= hom_page[2, 2]
    corners = apply_homography(hom_page, page_mm)
    seen = []
    for cx, cy in corners:
        inside = 1.0 <= cx <= w - 1.0 and 1.0 <= cy <= h - 1.0
        covered = inside and occ_small[int(cy), int(cx)] > 64
        seen.append(bool(inside and not covered))
    return Scene(img, floor, paper, corners, seen, focal, tilt, hom_page, **extra)


def _draw_leg(colour, occluder, cam, heel_mm, corners_hidden, paper, page_to_floor, skin, rng):
    """A leg rising from the heel toward the camera: discs along its axis, in perspective.
    Aimed so that it covers `corners_hidden` page corners near the heel when it can."""
    h2, w2 = occluder.shape
    radius = float(rng.uniform(45, 60))
    trousers = rng.random() < 0.4
    cloth = np.array(TROUSERS[int(rng.integers(len(TROUSERS)))], np.float32)
    # Lean the leg toward the camera's foot on the floor, and sideways toward the corners
    # it should hide.
    below = cam.centre[:2]
    toward = below - heel_mm
    toward = toward / (np.linalg.norm(toward) + 1e-9)
    side = np.array([-toward[1], toward[0]])
    top = min(500.0, 0.6 * float(cam.centre[2]))  # the leg ends well below the camera
    lean = toward * rng.uniform(0.1, 0.3) * np.linalg.norm(below - heel_mm)
    if paper is not None and corners_hidden:
        corners = np.array([page_to_floor(p) for p in
                            ([0, 0], [paper.width_mm, 0], [paper.width_mm, paper.height_mm],
                             [0, paper.height_mm])])
        near = corners[np.argsort(np.linalg.norm(corners - heel_mm, axis=1))[:2]]
        if corners_hidden == 1:
            aim = near[int(rng.integers(2))]
            lean = lean + (aim - heel_mm) * 1.2
            radius *= 1.1
        else:
            radius *= 1.3
            lean = lean + (near.mean(axis=0) - heel_mm) * 1.2
    else:
        lean = lean + side * rng.uniform(-60, 60)
    zs = np.linspace(40, top, 60)
    axis = np.column_stack([heel_mm[0] + lean[0] * zs / top, heel_mm[1] + lean[1] * zs / top, zs])
    depth = cam.to_camera(axis)[:, 2]
    keep = depth > 0.3 * np.linalg.norm(cam.centre - axis[0])
    pts = cam.project(axis[keep])
    # The leg widens toward the knee; seen from above, its top is nearest the camera, but a
    # person holds the camera in front of the shin, so it never fills the frame.
    rad = np.minimum(cam.focal_px * radius * (1 + 0.3 * zs[keep] / top) / depth[keep],
                     0.14 * max(w2, h2))
    mask = np.zeros((h2, w2), np.uint8)
    cuff = zs[keep] > rng.uniform(120, 220)
    cloth_mask = np.zeros((h2, w2), np.uint8)
    for (x, y), r, c in zip(pts, rad, cuff, strict=True):
        if abs(x) > 4 * w2 or abs(y) > 4 * h2:
            continue
        cv2.circle(mask, (int(x), int(y)), int(r), 1, -1)
        if trousers and c:
            cv2.circle(cloth_mask, (int(x), int(y)), int(r * 1.15), 1, -1)
    # A soft shadow of the leg on the floor and page, to one side.
    off = (rng.uniform(-0.06, 0.06, 2) * w2).astype(int)
    shadow = np.roll(np.roll(mask.astype(np.float32), off[0], axis=1), off[1], axis=0)
    shadow = cv2.GaussianBlur(shadow, (0, 0), 0.02 * w2) * rng.uniform(0.15, 0.35)
    colour = colour * (1 - shadow)[..., None]
    yy = np.arange(h2)[:, None] / h2
    leg_col = skin * (0.8 + 0.2 * yy)[..., None]
    colour = np.where(mask[..., None] > 0, leg_col, colour)
    if trousers:
        colour = np.where(cloth_mask[..., None] > 0, cloth * (0.85 + 0.15 * yy)[..., None], colour)
    occluder = occluder | (mask > 0) | (cloth_mask > 0)
    return colour, occluder
