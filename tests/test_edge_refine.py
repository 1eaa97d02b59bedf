"""Sub-pixel tangent lines: the edge is found between pixels, and a shadow does not move it."""

from __future__ import annotations

import cv2
import numpy as np

from footlog.analysis.edge_refine import EdgeImage, bitangent, edge_points, refine_line

SKIN = np.array([196, 140, 110], np.float64)
PAPER = np.array([244, 243, 240], np.float64)


def _circle(c: tuple[float, float], r: float, n: int = 400) -> np.ndarray:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return np.stack([c[0] + r * np.cos(t), c[1] + r * np.sin(t)], axis=1)


def test_bitangent_of_two_circles_is_their_outer_common_tangent() -> None:
    """Two equal circles side by side: the outer tangent above them is y = cy - r."""
    a, b = _circle((0, 0), 5), _circle((30, 0), 5)
    p, q = bitangent(a, b, outward=np.array([0.0, -1.0]))
    assert abs(p[1] + 5) < 0.01 and abs(q[1] + 5) < 0.01
    assert abs(p[0]) < 0.3 and abs(q[0] - 30) < 0.3
    # Asking for the other side gives the tangent below them.
    p, q = bitangent(a, b, outward=np.array([0.0, 1.0]))
    assert abs(p[1] - 5) < 0.01 and abs(q[1] - 5) < 0.01


def _edge_image(x_edge: float, tilt_deg: float, shadow: float, size: int = 120,
                ss: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Skin left of the line x = x_edge + (y - size/2) * tan(tilt) (continuous px), paper
    right of it with a grey shadow band along the edge; antialiased by supersampling.
    Returns the image and a 4x coarser binary mask (the working image's)."""
    n = size * ss
    ys, xs = (np.mgrid[0:n, 0:n] + 0.5) / ss
    line = x_edge + (ys - size / 2) * np.tan(np.radians(tilt_deg))
    skin = xs < line
    shade = np.where((xs >= line) & (xs < line + 6), 1 - shadow, 1.0)
    img = np.where(skin[..., None], SKIN, PAPER * shade[..., None])
    img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)
    mask = cv2.resize(skin.astype(np.float32), (size // 4, size // 4),
                      interpolation=cv2.INTER_AREA) > 0.5
    return np.clip(img + 0.5, 0, 255).astype(np.uint8), mask.astype(np.uint8)


def test_edge_points_lie_on_the_true_edge_to_a_fraction_of_a_pixel() -> None:
    img, mask = _edge_image(60.37, 5.0, shadow=0.0)
    ei = EdgeImage(img, 1.0, mask, 4.0)
    pts = edge_points(ei, np.array([60.0, 60.0]), 25.0)
    assert len(pts) > 20
    line = 60.37 + (pts[:, 1] - 60) * np.tan(np.radians(5.0))
    assert np.abs(pts[:, 0] - line).max() < 0.25


def test_a_grey_shadow_beside_the_foot_does_not_pull_the_edge() -> None:
    """A shadow keeps the paper's chroma; only its lightness drops (here by 35 %)."""
    img, mask = _edge_image(60.37, 0.0, shadow=0.35)
    ei = EdgeImage(img, 1.0, mask, 4.0)
    pts = edge_points(ei, np.array([60.0, 60.0]), 25.0)
    assert len(pts) > 20
    assert np.abs(pts[:, 0] - 60.37).max() < 0.35


def test_refine_line_turns_a_coarse_line_onto_the_edge() -> None:
    """A binary line 1 px off at one end (a 1.3 deg error over 44 px) comes back to the
    edge's own direction."""
    img, mask = _edge_image(60.37, 3.0, shadow=0.2)
    ei = EdgeImage(img, 1.0, mask, 4.0)
    tan = np.tan(np.radians(3.0))
    p = np.array([60.37 + (38 - 60) * tan, 38.0])
    q = np.array([60.37 + (82 - 60) * tan + 1.0, 82.0])
    res = refine_line(ei, p, q, outward=np.array([1.0, 0.0]), width=200.0)
    assert res is not None
    d = res[1] - res[0]
    assert abs(np.degrees(np.arctan2(d[0], d[1])) - 3.0) < 0.3


def test_a_tip_moves_onto_the_sub_pixel_end_of_a_round_toe() -> None:
    """A toe's round end (radius 20 px) whose top is at y = 40.3, the working mask at half
    the resolution (forefoot 300 px): a tip placed a pixel inside on the coarse outline
    comes out along the axis onto the edge, to a fraction of a pixel."""
    from footlog.analysis.edge_refine import refine_tips

    size, ss = 120, 8
    ys, xs = (np.mgrid[0 : size * ss, 0 : size * ss] + 0.5) / ss
    skin = (((xs - 60.2) ** 2 + (ys - 60.3) ** 2 < 20.0**2)
            | ((ys > 60.3) & (abs(xs - 60.2) < 20)))
    img = np.where(skin[..., None], SKIN, PAPER)
    img = cv2.resize(img, (size, size), interpolation=cv2.INTER_AREA)
    mask = cv2.resize(skin.astype(np.float32), (size // 2, size // 2),
                      interpolation=cv2.INTER_AREA) > 0.5
    ei = EdgeImage(np.clip(img + 0.5, 0, 255).astype(np.uint8), 1.0, mask.astype(np.uint8),
                   2.0)
    lm = {"toe2_tip": (60.5, 41.5)}
    refine_tips(lm, ei, width=300.0, distal=np.array([0.0, -1.0]))
    assert lm["toe2_tip"][0] == 60.5 and abs(lm["toe2_tip"][1] - 40.3) < 0.2
