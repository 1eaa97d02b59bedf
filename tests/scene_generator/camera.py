"""A pinhole phone camera above the floor, and the homographies of planes it sees.

World frame (mm): the floor is the plane z = 0, x and y lie on it, and z points DOWN into
the floor (x right, y towards the viewer, as on a map seen from above), so a height above
the floor is a negative z. Camera frame: x right, y down, z forward (OpenCV's). Image
coordinates are continuous px (the centre of pixel (i, j) is (i + 0.5, j + 0.5)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

FULL_FRAME_DIAGONAL_MM = math.hypot(36.0, 24.0)  # 43.27 mm: what "35 mm equivalent" means


@dataclass(frozen=True)
class Camera:
    """A camera of focal `focal_px` at `centre` (world mm) with rotation `rot` (rows: the
    camera's x, y, z axes in world coordinates), making `width` x `height` px pictures."""

    width: int
    height: int
    focal_px: float
    centre: np.ndarray
    rot: np.ndarray

    @property
    def k(self) -> np.ndarray:
        return np.array([[self.focal_px, 0, self.width / 2],
                         [0, self.focal_px, self.height / 2], [0, 0, 1.0]])

    @property
    def focal_35mm(self) -> float:
        """The 35 mm equivalent focal length (mm), by the diagonal."""
        return self.focal_px * FULL_FRAME_DIAGONAL_MM / math.hypot(self.width, self.height)

    def to_camera(self, world: np.ndarray) -> np.ndarray:
        """World points (N x 3, mm) -> camera coordinates (N x 3, mm; z = depth)."""
        return (np.asarray(world, float) - self.centre) @ self.rot.T

    def project(self, world: np.ndarray) -> np.ndarray:
        """World points (N x 3) -> image px (N x 2)."""
        cam = self.to_camera(world) @ self.k.T
        return cam[:, :2] / cam[:, 2:3]

    def plane_homography(self, origin: np.ndarray, e1: np.ndarray, e2: np.ndarray
                         ) -> np.ndarray:
        """Homography (a, b, 1) -> image px of the world points origin + a e1 + b e2."""
        t = -self.rot @ self.centre
        m = np.column_stack([self.rot @ e1, self.rot @ e2, self.rot @ origin + t])
        h = self.k @ m
        return h / h[2, 2]

    def floor_homography(self) -> np.ndarray:
        """Homography floor (x, y) mm -> image px."""
        return self.plane_homography(np.zeros(3), np.array([1.0, 0, 0]), np.array([0, 1.0, 0]))


def look_at_floor(width: int, height: int, focal_px: float, target: np.ndarray,
                  distance: float, tilt_deg: float, forward: np.ndarray,
                  roll_deg: float = 0.0) -> Camera:
    """A camera `distance` mm from the floor point `target` (x, y), looking at it with its
    axis `tilt_deg` from straight down, leaning towards the horizontal unit vector
    `forward`, which is "up" in the picture (the far side of the floor is at the top);
    `roll_deg` turns the picture about its axis (clockwise on screen)."""
    tilt = math.radians(tilt_deg)
    f = np.array([forward[0], forward[1], 0.0]) / math.hypot(forward[0], forward[1])
    axis = math.sin(tilt) * f + math.cos(tilt) * np.array([0, 0, 1.0])  # z down: looks down
    up = f - (f @ axis) * axis
    up /= np.linalg.norm(up)
    y_cam = -up
    x_cam = np.cross(y_cam, axis)
    roll = math.radians(roll_deg)
    x_r = math.cos(roll) * x_cam + math.sin(roll) * y_cam
    y_r = -math.sin(roll) * x_cam + math.cos(roll) * y_cam
    rot = np.vstack([x_r, y_r, axis])
    centre = np.array([target[0], target[1], 0.0]) - distance * axis
    return Camera(width, height, focal_px, centre, rot)


def focal_px_for(focal_35mm: float, width: int, height: int) -> float:
    """Focal length in px of a `focal_35mm` (35 mm equivalent) lens on a width x height
    picture."""
    return focal_35mm * math.hypot(width, height) / FULL_FRAME_DIAGONAL_MM


def apply(h: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """Points (N x 2) through the homography h."""
    p = np.asarray(pts, float).reshape(-1, 2)
    q = p @ h[:, :2].T + h[:, 2]
    return q[:, :2] / q[:, 2:3]


def to_opencv(h: np.ndarray) -> np.ndarray:
    """A homography of continuous px as OpenCV uses it (pixel centres at integers)."""
    shift = np.array([[1, 0, 0.5], [0, 1, 0.5], [0, 0, 1.0]])
    unshift = np.array([[1, 0, -0.5], [0, 1, -0.5], [0, 0, 1.0]])
    return unshift @ h @ shift
