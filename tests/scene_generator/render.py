"""Drawing a layout: floor, page, shadows, the foot and leg, then what a phone adds (uneven
light, a colour cast, blur, sensor noise) and the JPEG itself.

Everything drawn from the layout goes through the layout's homographies, so the truth (the
foot's mask, its landmarks, the page's corners) is exact for the picture drawn.
"""

from __future__ import annotations

import io
import math

import cv2
import numpy as np
from PIL import Image

from scene_generator.camera import apply, to_opencv
from scene_generator.floors import FLOORS, GLOSSY, Sampler
from scene_generator.layout import Layout

SHADOW_SCALE = 4  # shadows are drawn at 1/4 size (they are blurred anyway)
EDGE_SHARPEN = 2.0  # the warped alpha's slope is steepened this much (edges ~1 px wide)
EXIF_IFD = 0x8769
FOCAL_LENGTH_35MM = 0xA405  # FocalLengthIn35mmFilm
FOCAL_LENGTH = 0x920A  # FocalLength (mm)
PHONE_CROP_FACTOR = 6.0  # a phone's main sensor: 35 mm equivalent / real focal length


def floor_coordinates(layout: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The floor point (X, Y mm) each pixel's centre sees, and the pixel's footprint
    (mm per px: the square root of the area it covers on the floor)."""
    cam = layout.camera
    g = np.linalg.inv(cam.floor_homography()).astype(np.float32)
    xs = np.arange(cam.width, dtype=np.float32)[None, :] + 0.5
    ys = np.arange(cam.height, dtype=np.float32)[:, None] + 0.5
    w = g[2, 0] * xs + g[2, 1] * ys + g[2, 2]
    inv_w = 1.0 / w
    x = (g[0, 0] * xs + g[0, 1] * ys + g[0, 2]) * inv_w
    y = (g[1, 0] * xs + g[1, 1] * ys + g[1, 2]) * inv_w
    # The Jacobian of a homography has determinant det(G) / w^3.
    fp = np.sqrt(np.abs(np.float32(np.linalg.det(g.astype(np.float64)))) * np.abs(inv_w) ** 3)
    return x, y, fp


def _polygon_mask(shape: tuple[int, int], quad: np.ndarray) -> np.ndarray:
    """Antialiased coverage (0..1 float32) of a convex polygon given in continuous px."""
    out = np.zeros(shape, np.uint8)
    pts = np.round((quad - 0.5) * 16).astype(np.int32)  # 4 fractional bits
    cv2.fillConvexPoly(out, pts, 255, lineType=cv2.LINE_AA, shift=4)
    return out.astype(np.float32) / 255.0


def _continuation_rows(layout: Layout) -> int:
    """Rows of the leg's continuation drawn: down to the leg's drawn length."""
    c = layout.cutout
    step, top = c.leg_to_cutout[1, 1], c.leg_to_cutout[1, 2]
    end = c.hinge_y + layout.leg_length_px
    return max(0, min(len(c.leg_alpha), math.ceil((end - top) / step)))


def _page(layout: Layout, img: np.ndarray, x: np.ndarray, y: np.ndarray, fp: np.ndarray,
          rng: np.random.Generator) -> np.ndarray:
    """The page over the floor; returns its coverage (0..1)."""
    quad = layout.page_corners_px()
    if quad is None:
        return np.zeros(img.shape[:2], np.float32)
    cover = _polygon_mask(img.shape[:2], quad)
    level = rng.uniform(238, 252)
    tint = rng.uniform(-3, 3)
    paper = np.array([level + tint, level, level - tint], np.float32)
    h, w = img.shape[:2]
    x0, y0 = np.maximum(np.floor(quad.min(axis=0)).astype(int) - 1, 0)
    x1, y1 = np.minimum(np.ceil(quad.max(axis=0)).astype(int) + 1, [w, h])
    box = (slice(y0, y1), slice(x0, x1))
    # Paper grain, and light falling off across the page (it is never evenly lit).
    grain = 1.0 + 0.006 * Sampler(x[box], y[box], fp[box], rng).noise(1.5, 3)
    gy, gx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    centre = quad.mean(axis=0)
    slope = rng.uniform(-0.04, 0.04, 2) / max(float(np.ptp(quad, axis=0).max()), 1.0)
    grain *= 1.0 + slope[0] * (gx - centre[0]) + slope[1] * (gy - centre[1])
    img[box] += (paper[None, None, :] * grain[..., None] - img[box]) * cover[box][..., None]
    return cover


def _highlight(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A broad soft highlight (a window or lamp on a glossy floor), in grey levels."""
    h, w = shape
    small = np.zeros((max(2, h // 8), max(2, w // 8)), np.float32)
    cy, cx = rng.uniform(0, small.shape[0]), rng.uniform(0, small.shape[1])
    yy, xx = np.mgrid[: small.shape[0], : small.shape[1]].astype(np.float32)
    radius = rng.uniform(0.15, 0.45) * math.hypot(*small.shape)
    small = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2)) * rng.uniform(8, 35)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)


def _shadows(layout: Layout, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """How much light the foot and leg take away (0..1) on the floor and page."""
    h, w = shape
    small_shape = (max(2, h // SHADOW_SCALE), max(2, w // SHADOW_SCALE))
    down = np.diag([1 / SHADOW_SCALE, 1 / SHADOW_SCALE, 1.0])
    c = layout.cutout
    cam = layout.camera
    light = layout.light
    mask = c.mask.astype(np.float32)
    foot_src = mask.copy()
    foot_src[int(c.hinge_y) + 1 :] = 0
    leg_src = mask.copy()
    leg_src[: int(c.hinge_y)] = 0
    size = (small_shape[1], small_shape[0])
    # The foot's shadow: the foot lifted to a typical height, cast along the light.
    height = 0.3 * c.forefoot_px * np.linalg.norm(layout.foot_to_world[:2, 0])
    shift = np.eye(3)
    shift[:2, 2] = height * light[:2] / light[2]
    h_foot = down @ cam.floor_homography() @ shift @ layout.foot_to_world
    cast = cv2.warpPerspective(foot_src, to_opencv(h_foot), size, flags=cv2.INTER_LINEAR)
    # The leg's shadow: each point of its plane cast along the light onto the floor.
    def on_floor(v: np.ndarray) -> np.ndarray:
        return v - (v[2] / light[2]) * light

    h_leg = cam.plane_homography(on_floor(layout.leg_origin), on_floor(layout.leg_e1),
                                 on_floor(layout.leg_e2))
    h_leg = down @ h_leg @ np.array([[1, 0, 0], [0, 1, -c.hinge_y], [0, 0, 1.0]])
    leg = cv2.warpPerspective(leg_src, to_opencv(h_leg), size, flags=cv2.INTER_LINEAR)
    # Only the lower leg's shadow: a whole body would cast the rest, and a lone shin's
    # shadow far from the foot looks like a stick on the floor.
    rows = min(_continuation_rows(layout), int(1.5 * c.forefoot_px / c.leg_to_cutout[1, 1]))
    if rows:
        more = cv2.warpPerspective(c.leg_alpha[:rows], to_opencv(h_leg @ c.leg_to_cutout),
                                   size, flags=cv2.INTER_LINEAR)
        leg = np.maximum(leg, more)
    cast = np.maximum(cast, leg)
    # Soft edges from a broad light; a dark contact line where the foot meets the floor.
    foot_px = c.forefoot_px * math.sqrt(abs(np.linalg.det(h_foot[:2, :2]))) + 1.0
    cast = cv2.GaussianBlur(cast, (0, 0), max(1.0, rng.uniform(0.04, 0.15) * foot_px))
    contact = cv2.warpPerspective(foot_src, to_opencv(down @ layout.foot_homography), size,
                                  flags=cv2.INTER_LINEAR)
    contact = cv2.GaussianBlur(contact, (0, 0), max(0.7, 0.02 * foot_px))
    dark = rng.uniform(0.15, 0.45) * cast + rng.uniform(0.1, 0.3) * contact
    return cv2.resize(np.clip(dark, 0, 0.85), (w, h), interpolation=cv2.INTER_LINEAR)


def _warp_into(img: np.ndarray, mask: np.ndarray, src: np.ndarray, h: np.ndarray) -> None:
    """Warp the RGBA `src` (float32, alpha 0..1) by `h` (its px -> picture px) over `img`,
    only in the box it covers; mark where its alpha reaches 0.5 in `mask`."""
    rows, cols = src.shape[:2]
    corners = apply(h, np.array([[0, 0], [cols, 0], [cols, rows], [0, rows]], float))
    x0, y0 = np.maximum(np.floor(corners.min(axis=0)).astype(int) - 1, 0)
    x1, y1 = np.minimum(np.ceil(corners.max(axis=0)).astype(int) + 1,
                        [img.shape[1], img.shape[0]])
    if x1 <= x0 or y1 <= y0:
        return
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1.0]])
    # Premultiplied by alpha: where the picture's edge is resampled (a row cut at the
    # hinge, the leg's end), the colour must not mix in the black beyond it.
    premultiplied = src.copy()
    premultiplied[..., :3] *= src[..., 3:4]
    part = cv2.warpPerspective(premultiplied, to_opencv(shift @ h),
                               (int(x1 - x0), int(y1 - y0)), flags=cv2.INTER_LINEAR)
    alpha = part[..., 3:4]
    colour = part[..., :3] / np.maximum(alpha, 1e-4)
    box = img[y0:y1, x0:x1]
    a = np.clip((alpha - 0.5) * EDGE_SHARPEN + 0.5, 0.0, 1.0)
    box += (colour - box) * a
    mask[y0:y1, x0:x1] |= alpha[..., 0] >= 0.5


def _foot(layout: Layout, img: np.ndarray) -> np.ndarray:
    """The leg (on its plane, its continuation first) and the foot (on the floor) over the
    picture; returns the truth mask of both."""
    c = layout.cutout
    mask = np.zeros(img.shape[:2], bool)
    h_foot, h_leg = layout.foot_homography, layout.leg_homography
    rows = _continuation_rows(layout)
    if rows:
        src = np.dstack([c.leg_rgb[:rows], c.leg_alpha[:rows]])
        _warp_into(img, mask, src, h_leg @ c.leg_to_cutout)
    # Shrink the cut-out first when it is drawn much smaller (bilinear warping would alias).
    jac = np.linalg.det(_jacobian(h_foot, c.toe_centre))
    k = min(1.0, 1.5 * math.sqrt(abs(jac)))
    # A smooth mask keeps a smooth outline where the cut-out is enlarged (a leg near the
    # lens); its 0.5 level is the outline, and the alpha is sharpened again after warping.
    rgb, alpha = c.rgb, cv2.GaussianBlur(c.mask.astype(np.float32), (0, 0), 0.8)
    hinge = c.hinge_y
    if k < 0.95:
        size = (max(2, round(c.rgb.shape[1] * k)), max(2, round(c.rgb.shape[0] * k)))
        kx, ky = size[0] / c.rgb.shape[1], size[1] / c.rgb.shape[0]
        rgb = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
        alpha = cv2.resize(alpha, size, interpolation=cv2.INTER_AREA)
        grow = np.diag([1 / kx, 1 / ky, 1.0])
        h_foot, h_leg = h_foot @ grow, h_leg @ grow
        hinge *= ky
    rgba = np.dstack([rgb.astype(np.float32), alpha])
    # The two parts overlap by a px at the hinge, so that the seam is not half transparent.
    top = max(0, int(hinge) - 1)
    leg_src = np.ascontiguousarray(rgba[top:])
    _warp_into(img, mask, leg_src, h_leg @ np.array([[1, 0, 0], [0, 1, top], [0, 0, 1.0]]))
    _warp_into(img, mask, np.ascontiguousarray(rgba[: int(hinge) + 2]), h_foot)
    return mask


def _jacobian(h: np.ndarray, p: np.ndarray) -> np.ndarray:
    x, y = p
    u, v, s = h @ np.array([x, y, 1.0])
    return np.array([[(h[0, 0] * s - u * h[2, 0]) / s**2, (h[0, 1] * s - u * h[2, 1]) / s**2],
                     [(h[1, 0] * s - v * h[2, 0]) / s**2, (h[1, 1] * s - v * h[2, 1]) / s**2]])


def _phone(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Uneven light, vignetting, a white-balance cast, exposure, blur and sensor noise."""
    h, w = img.shape[:2]
    sh, sw = max(2, h // 16), max(2, w // 16)
    v, u = np.mgrid[0:sh, 0:sw].astype(np.float32)
    u, v = (u + 0.5) / sw - 0.5, (v + 0.5) / sh - 0.5
    gx, gy = rng.uniform(-0.3, 0.3, 2)
    gain = (1 + gx * u + gy * v) * (1 - rng.uniform(0.05, 0.35) * 2 * (u * u + v * v))
    cast = np.array([1 + rng.uniform(-0.12, 0.12), 1.0, 1 + rng.uniform(-0.12, 0.12)],
                    np.float32) * rng.uniform(0.82, 1.08)
    gain3 = gain.astype(np.float32)[..., None] * cast
    img = cv2.multiply(img, cv2.resize(gain3, (w, h), interpolation=cv2.INTER_LINEAR))
    sigma = rng.uniform(0.0, 1.4)
    if sigma > 0.3:
        img = cv2.GaussianBlur(img, (0, 0), sigma)
    noise = np.empty_like(img)
    cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))  # OpenCV's own generator: fast
    cv2.randn(noise, 0.0, float(rng.uniform(1, 4)))
    img = cv2.add(img, noise)
    return np.clip(img, 0, 255, out=img).astype(np.uint8)


def render(layout: Layout, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The picture (H x W x 3 uint8, before JPEG) and the foot's truth mask (H x W bool)."""
    x, y, fp = floor_coordinates(layout)
    img = FLOORS[layout.floor](x, y, fp, rng)
    img = np.ascontiguousarray(img, dtype=np.float32)
    page = _page(layout, img, x, y, fp, rng)
    if layout.floor in GLOSSY:
        img += (_highlight(img.shape[:2], rng) * (1 - 0.8 * page))[..., None]
    img *= (1 - _shadows(layout, img.shape[:2], rng))[..., None]
    mask = _foot(layout, img)
    return _phone(img, rng), mask


def encode_jpeg(rgb: np.ndarray, quality: int, focal_35mm: float | None) -> bytes:
    """JPEG bytes of `rgb`; with `focal_35mm`, EXIF FocalLengthIn35mmFilm and FocalLength
    (a phone's: the equivalent over PHONE_CROP_FACTOR) as a phone writes them."""
    im = Image.fromarray(rgb)
    exif = Image.Exif()
    if focal_35mm is not None:
        ifd = exif.get_ifd(EXIF_IFD)
        ifd[FOCAL_LENGTH_35MM] = round(focal_35mm)
        ifd[FOCAL_LENGTH] = round(focal_35mm / PHONE_CROP_FACTOR, 2)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=quality, exif=exif.tobytes())
    return buf.getvalue()


def decode_jpeg(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as im:
        return np.asarray(im.convert("RGB"))
