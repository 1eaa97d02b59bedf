"""Arch measures from landmarks: reference photos reproduced, exact shapes, invariances."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from footlog.domain.arch_measures import (
    floor_line_scale,
    join_polygons,
    medial_measures,
    plantar_measures,
    polygon_area,
    thirds_areas,
)

PHOTOS = Path(__file__).parent / "data" / "photos"


@pytest.mark.parametrize("name", ["ala-jaidi__ad.jpg", "ala-jaidi__l.jpg"])
def test_reference_medial_measures_are_reproduced(name: str) -> None:
    ref = json.loads((PHOTOS / f"{name}.json").read_text())
    got = medial_measures(ref["landmarks"])
    for k, v in ref["measures"].items():
        assert got[k] == pytest.approx(v, abs=1e-3)


def _rotate(lm: dict, deg: float, centre=(500.0, 400.0)) -> dict:
    c, s = math.cos(math.radians(deg)), math.sin(math.radians(deg))
    out = {}
    for k, (x, y) in lm.items():
        dx, dy = x - centre[0], y - centre[1]
        out[k] = (centre[0] + c * dx - s * dy, centre[1] + s * dx + c * dy)
    return out


def test_medial_measures_ignore_a_tilted_camera_and_give_mm_with_a_scale() -> None:
    # A level foot: floor y = 500, heel back x = 100, ball x = 380, toe x = 500.
    lm = {"heel_back": (100, 440), "toe_tip": (500, 490), "mtp1": (380, 500),
          "floor_heel": (160, 500), "floor_toe": (380, 500), "arch_apex": (260, 470),
          "dorsum_50": (300, 380)}
    want = {"arch_height_index": 120 / 280, "arch_height_ratio": 30 / 400}
    for deg in (0.0, 6.5, -12.0):
        got = medial_measures(_rotate(lm, deg))
        for k, v in want.items():
            assert got[k] == pytest.approx(v, abs=1e-9)
    assert medial_measures(lm, mm_per_px=0.5)["arch_height"] == pytest.approx(15.0)
    assert "arch_height" not in medial_measures(lm)
    # Missing landmarks leave their measures out instead of failing.
    partial = {k: v for k, v in lm.items() if k != "dorsum_50"}
    assert set(medial_measures(partial)) == {"arch_height_ratio"}


def test_floor_line_scale_of_a_similarity() -> None:
    h = np.array([[0.25, 0, 10], [0, 0.25, 5], [0, 0, 1.0]])
    assert floor_line_scale(h, (0, 0), (400, 30)) == pytest.approx(0.25)


def _rect(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)


def test_arch_index_of_a_drawn_print_is_exact() -> None:
    # Axis along -y (toes up), print from y = 300 (heel) to y = 0 (front): thirds of 100.
    # Heel 60 wide (y 200-300), midfoot 20 wide (y 100-200), forefoot 90 wide (y 0-100).
    # One outline: heel + midfoot + forefoot as a single polygon.
    poly = np.array([[0, 300], [60, 300], [60, 100], [70, 100], [70, 0], [-20, 0], [-20, 100],
                     [40, 100], [40, 200], [0, 200]], float)
    assert polygon_area(poly) == pytest.approx(6000 + 2000 + 9000)
    rear, middle, front = thirds_areas(poly, (30, 300), (30, -50))
    assert (rear, middle, front) == pytest.approx((6000, 2000, 9000))
    lm = {f"print_{i:02d}": tuple(p) for i, p in enumerate(poly)}
    lm |= {"heel_centre": (30, 280), "toe2": (30, -50),
           "heel_medial": (0, 250), "heel_lateral": (60, 250),
           "mid_medial": (40, 150), "mid_lateral": (60, 150),
           "fore_medial": (-20, 50), "fore_lateral": (70, 50)}
    got = plantar_measures(lm)
    assert got["arch_index"] == pytest.approx(2000 / 17000)
    assert got["chippaux_smirak_index"] == pytest.approx(20 / 90)
    assert got["staheli_index"] == pytest.approx(20 / 60)


def test_a_print_in_two_pieces_and_clarke_angle() -> None:
    heel, fore = _rect(0, 200, 60, 300), _rect(-20, 0, 70, 100)
    joined = join_polygons([heel, fore[::-1]])
    assert polygon_area(joined) == pytest.approx(6000 + 9000)
    assert thirds_areas(joined, (30, 300), (30, 0))[1] == pytest.approx(0.0, abs=1e-9)
    lm = {f"print_{i:02d}": tuple(p) for i, p in enumerate(joined)}
    # Clarke: tangent from (0, 0) to (0, 300), arch point 100 px inside at mid-height.
    lm |= {"heel_centre": (30, 280), "toe2": (30, -50), "clarke_fore": (0, 0),
           "clarke_heel": (0, 300), "clarke_arch": (100, 150)}
    got = plantar_measures(lm)
    assert got["arch_index"] == pytest.approx(0.0, abs=1e-9)
    assert got["clarke_angle"] == pytest.approx(math.degrees(math.atan2(100, 150)))
