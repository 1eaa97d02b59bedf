"""Where everything stands in a scene: the page on the floor, the foot on the page, the leg
rising from the ankle, the light and the camera; drawn at random from one seed.

All lengths are mm in the world frame of `camera.py` (floor z = 0, z down). The page's own
frame is footlog's (`footlog.domain.calibration`): origin at its top-left corner in
portrait, x along the short side, y along the long side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from footlog.domain.calibration import A4, LETTER, RectSize
from scene_generator.camera import Camera, apply, focal_px_for, look_at_floor
from scene_generator.cutouts import SOURCE_GROUPS, SOURCES, Cutout, load_cutout
from scene_generator.floors import FLOORS

NO_PAGE_SHARE = 0.12  # scenes without any page
CUT_PAGE_SHARE = 0.2  # scenes aimed off the page, so that the frame cuts it
CORNER_SHARE = 0.4  # feet placed so that the leg crosses a bottom corner of the page
EXIF_FOCAL_SHARE = 0.5  # scenes whose JPEG tells the 35 mm equivalent focal length
LEG_LENGTH_MM = 650.0  # ankle to near the knee: the leg never ends inside the picture
MIN_LEG_DEPTH_MM = 150.0  # the leg's far end stays this far in front of the lens
MAX_KNEE_HEIGHT = 0.75  # the leg drawn rises at most to this share of the camera's height
FOREFOOT_MM = (92.0, 108.0)  # real forefoot widths


@dataclass(frozen=True)
class Layout:
    """One scene's geometry (see the module's docstring for the frames)."""

    cutout: Cutout
    floor: str
    paper: RectSize | None
    camera: Camera
    page_to_world: np.ndarray  # 3 x 3: page mm (x, y, 1) -> floor mm (x, y, 1)
    foot_to_world: np.ndarray  # 3 x 3: cut-out px -> floor mm (the foot lies on the floor)
    leg_origin: np.ndarray  # world point of the cut-out's (0, hinge_y): the leg plane ...
    leg_e1: np.ndarray  # ... is origin + a e1 + b e2 for cut-out px (a, hinge_y + b)
    leg_e2: np.ndarray
    leg_length_px: float  # cut-out px of leg beyond the hinge that are drawn
    light: np.ndarray  # unit vector the light travels along (z > 0: downwards)
    tilt_deg: float
    lift_deg: float
    exif_focal: bool

    @property
    def foot_homography(self) -> np.ndarray:
        """Cut-out px -> image px for the foot (on the floor)."""
        h = self.camera.floor_homography() @ self.foot_to_world
        return h / h[2, 2]

    @property
    def leg_homography(self) -> np.ndarray:
        """Cut-out px -> image px for the leg (on its own plane)."""
        shift = np.array([[1, 0, 0], [0, 1, -self.cutout.hinge_y], [0, 0, 1.0]])
        return self.camera.plane_homography(self.leg_origin, self.leg_e1, self.leg_e2) @ shift

    def page_corners_px(self) -> np.ndarray | None:
        """The page's corners TL, TR, BR, BL (its portrait frame) in image px."""
        if self.paper is None:
            return None
        floor = apply(self.page_to_world, self.paper.corners_mm())
        return apply(self.camera.floor_homography(), floor)

    def image_to_page(self) -> np.ndarray | None:
        """Homography image px -> page mm, as footlog's calibration gives it."""
        if self.paper is None:
            return None
        h = np.linalg.inv(self.camera.floor_homography() @ self.page_to_world)
        return h / h[2, 2]

    def landmarks_px(self) -> dict[str, tuple[float, float]]:
        names = list(self.cutout.landmarks)
        pts = apply(self.foot_homography, np.array([self.cutout.landmarks[n] for n in names]))
        return {n: (float(x), float(y)) for n, (x, y) in zip(names, pts, strict=True)}

    def leg_far_edge_px(self) -> np.ndarray:
        """Image px (2 x 2) of the two ends of the drawn leg's far edge."""
        c = self.cutout
        end = c.hinge_y + self.leg_length_px
        row = int(np.clip((end - c.leg_to_cutout[1, 2]) / c.leg_to_cutout[1, 1], 0,
                          len(c.leg_alpha) - 1))
        cols = np.flatnonzero(c.leg_alpha[row] > 0.5)
        xs = c.leg_to_cutout[0, 2] + c.leg_to_cutout[0, 0] * np.array([cols[0], cols[-1] + 1])
        return apply(self.leg_homography, np.column_stack([xs, [end, end]]))


def _rot2(deg: float) -> np.ndarray:
    a = math.radians(deg)
    return np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])


def _affine(rot: np.ndarray, scale: float, src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """3 x 3 map p -> dst + scale * rot @ (p - src)."""
    m = np.eye(3)
    m[:2, :2] = scale * rot
    m[:2, 2] = dst - scale * rot @ src
    return m


def draw_layout(rng: np.random.Generator, size: tuple[int, int]) -> Layout | None:
    """One random layout for a picture of `size` (w, h) px, or None if it breaks a rule
    (the caller draws again): the foot on the page and its landmarks in the picture, at
    least 30 % of the page in it, the leg leaving it, the floor filling it."""
    width, height = size
    floor = str(rng.choice(list(FLOORS)))
    group = str(rng.choice(SOURCE_GROUPS))
    name = str(rng.choice([n for n in SOURCES if n.startswith(group + "__")]))
    cut = load_cutout(name)
    paper = None if rng.uniform() < NO_PAGE_SHARE else (A4 if rng.uniform() < 0.5 else LETTER)
    page = paper or A4  # without a page the foot still stands where a page would be

    # The foot on the page, toes towards its top edge. People stand off-centre and askew,
    # and often so that the leg crosses a bottom corner of the page.
    scale = rng.uniform(*FOREFOOT_MM) / cut.forefoot_px  # mm per cut-out px
    if rng.uniform() < CORNER_SHARE:
        side = rng.choice([-1.0, 1.0])
        across_mm = side * rng.uniform(25, 60)
        foot_turn = -side * rng.uniform(5, 25)  # the heel and leg swing out over the corner
    else:
        across_mm = float(np.clip(rng.normal(0, 20), -45, 45))
        foot_turn = float(np.clip(rng.normal(0, 8), -20, 20))
    toe_at = np.array([page.width_mm / 2 + across_mm, rng.uniform(15, 90)])
    foot_to_page = _affine(_rot2(foot_turn), scale, cut.toe_centre, toe_at)
    if paper is not None and not _on_page(cut, foot_to_page, page):
        return None
    page_turn = rng.uniform(0, 360)
    page_centre = np.array([page.width_mm / 2, page.height_mm / 2])
    page_to_world = _affine(_rot2(page_turn), 1.0, page_centre, np.zeros(2))
    foot_to_world = page_to_world @ foot_to_page

    # Directions on the floor: the foot's toes, and across it (cut-out x).
    toes_dir = foot_to_world[:2, :2] @ np.array([0.0, -1.0])
    toes_dir /= np.linalg.norm(toes_dir)
    across = foot_to_world[:2, :2] @ np.array([1.0, 0.0])
    across /= np.linalg.norm(across)

    # The camera: mostly held by the person standing on the foot (toes at the top of the
    # picture), sometimes from the side or in front (toes pointing down).
    where = rng.uniform()
    if where < 0.7:
        turn = rng.normal(0, 18)
    elif where < 0.85:
        turn = rng.choice([-90.0, 90.0]) + rng.normal(0, 15)
    else:
        turn = 180.0 + rng.normal(0, 15)
    forward = _rot2(turn) @ toes_dir
    behind = abs((turn + 180) % 360 - 180) < 60
    tele = rng.uniform() < 0.15
    focal_35 = rng.uniform(46, 56) if tele else rng.uniform(23, 30)
    focal = focal_px_for(focal_35, width, height)
    tilt = rng.uniform(0, 50)
    cam_height = math.exp(rng.uniform(math.log(350), math.log(1500))) * (1.8 if tele else 1.0)
    distance = cam_height / math.cos(math.radians(tilt))
    # Aim near the page (or where it would be), or so far off it that the frame cuts it:
    # by up to the floor's half-width in view.
    if paper is not None and rng.uniform() < CUT_PAGE_SHARE:
        half_view = distance * min(width, height) / (2 * focal)
        off = _rot2(rng.uniform(0, 360)) @ np.array([rng.uniform(0.5, 1.1) * half_view, 0])
    else:
        off = rng.uniform(-0.2, 0.2, 2) * page.height_mm
    camera = look_at_floor(width, height, focal, off, distance, tilt, forward,
                           roll_deg=rng.normal(0, 4))

    # The leg rises from the hinge towards the person (who holds the camera): steeply when
    # the camera is behind the foot, hardly when it is beside or in front of it; the knee
    # stays well below the camera.
    lift = rng.uniform(20, 85) if behind else rng.uniform(0, 20)
    b = -toes_dir
    rise = math.sin(math.radians(lift))
    e1 = np.array([*across, 0.0]) * scale
    e2 = (math.cos(math.radians(lift)) * np.array([*b, 0.0]) + rise * np.array([0, 0, -1.0]))
    e2 *= scale
    hinge_floor = (foot_to_world @ np.array([0.0, cut.hinge_y, 1.0]))[:2]
    origin = np.array([*hinge_floor, 0.0])
    length_mm = LEG_LENGTH_MM
    if rise > 0:
        length_mm = min(length_mm, MAX_KNEE_HEIGHT * cam_height / rise)
    # ... and the leg's far end stays in front of the lens.
    depth0 = camera.to_camera(origin[None])[0, 2]
    depth_rate = (camera.rot @ e2)[2]  # depth change per cut-out px along the leg
    length = length_mm / scale
    if depth_rate < 0:
        length = min(length, (depth0 - MIN_LEG_DEPTH_MM) / -depth_rate)
    if length <= 0:
        return None

    zenith = math.radians(rng.uniform(0, 30))
    light_az = rng.uniform(0, 2 * math.pi)
    light = np.array([math.sin(zenith) * math.cos(light_az),
                      math.sin(zenith) * math.sin(light_az), math.cos(zenith)])
    layout = Layout(cut, floor, paper, camera, page_to_world, foot_to_world, origin, e1, e2,
                    float(length), light, float(tilt), float(lift),
                    bool(rng.uniform() < EXIF_FOCAL_SHARE))
    if behind:
        # Seen from behind the foot, a leg comes down the picture towards the person; one
        # that went up it would be rising above the lens.
        hinge_px = camera.project(origin[None])[0]
        if layout.leg_far_edge_px().mean(axis=0)[1] <= hinge_px[1]:
            return None
    return layout if _acceptable(layout, width, height) else None


def _on_page(cut: Cutout, foot_to_page: np.ndarray, page: RectSize) -> bool:
    """Whether the toes and the forefoot stand on the page (within 5 mm of its edges)."""
    names = ("hallux_tip", "toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip", "mt1_medial",
             "mt5_lateral", "cleft12")
    pts = apply(foot_to_page, np.array([cut.landmarks[n] for n in names]))
    return bool(((pts >= -5) & (pts <= [page.width_mm + 5, page.height_mm + 5])).all())


def _acceptable(layout: Layout, width: int, height: int) -> bool:
    """The rules of `draw_layout`."""
    # The floor fills the picture: every corner's ray meets the floor in front of the lens.
    inv = np.linalg.inv(layout.camera.floor_homography())
    corners = np.array([[0, 0, 1], [width, 0, 1], [width, height, 1], [0, height, 1.0]])
    signs = np.sign((corners @ inv.T)[:, 2])
    if signs.min() != signs.max() or signs[0] == 0:
        return False
    margin = 0.03 * min(width, height)
    pts = np.array(list(layout.landmarks_px().values()))
    inside = ((pts >= margin) & (pts <= [width - margin, height - margin])).all()
    if not inside:
        return False
    # The leg must leave the picture: its far edge lies wholly outside it.
    a, b = np.round(layout.leg_far_edge_px()).astype(int)
    crosses, _, _ = cv2.clipLine((0, 0, width, height), tuple(map(int, a)), tuple(map(int, b)))
    if crosses:
        return False
    quad = layout.page_corners_px()
    return quad is None or _share_inside(quad, width, height) >= 0.3


def _share_inside(quad: np.ndarray, width: int, height: int) -> float:
    """Share of the quad's area inside the picture (by clipping the polygon)."""
    frame = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    area, _ = cv2.intersectConvexConvex(quad.astype(np.float32), frame)
    total = abs(cv2.contourArea(quad.astype(np.float32)))
    return float(area / total) if total > 0 else 0.0
