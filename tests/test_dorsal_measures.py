"""Exact-geometry tests of the dorsal measures (docs/MEASURES.md, view `dorsal`)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from footlog.domain.dorsal_measures import (
    dorsal_measures,
    foot_length_mm,
    forefoot_width_mm,
    hallux_angle,
    infer_foot,
    toe_splay,
    toe_spread_ratio,
)
from footlog.domain.views import Foot

PHOTOS = Path(__file__).parent / "data" / "photos"


def _right_foot(ha: float, splay_lat: float) -> dict[str, np.ndarray]:
    """Right foot, toes up (distal = -y), big toe on the left (medial = -x).

    ha: hallux angle (deg, + lateral); splay_lat: how far the lateral toe line turns
    laterally (deg) from straight up.
    """
    def toward(p: np.ndarray, deg_clockwise: float, length: float) -> np.ndarray:
        a = math.radians(deg_clockwise)
        d = np.array([math.sin(a), -math.cos(a)])  # 0 deg = straight up
        return p + length * d

    mt1 = np.array([100.0, 300.0])
    mt5 = np.array([200.0, 320.0])
    return {
        "midfoot_medial": np.array([100.0, 500.0]),
        "mt1_medial": mt1,
        "hallux_medial": toward(mt1, ha, 80.0),
        "mt5_lateral": mt5,
        "toe5_lateral": toward(mt5, splay_lat, 60.0),
    }


def _transform(lm: dict[str, np.ndarray], deg: float, mirror: bool) -> dict[str, np.ndarray]:
    a = math.radians(deg)
    r = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    m = np.diag([-1.0, 1.0]) if mirror else np.eye(2)
    return {k: r @ m @ v + np.array([1000.0, 700.0]) for k, v in lm.items()}


@pytest.mark.parametrize("deg", [0, 37, 90, 180, 250, 333])
@pytest.mark.parametrize("mirror", [False, True])
@pytest.mark.parametrize("ha", [-8.0, 0.0, 12.0, 30.0])
def test_hallux_angle_sign_any_rotation_both_feet(deg: float, mirror: bool, ha: float) -> None:
    lm = _transform(_right_foot(ha, 0), deg, mirror)
    foot = Foot.LEFT if mirror else Foot.RIGHT
    got = hallux_angle(lm["midfoot_medial"], lm["mt1_medial"], lm["hallux_medial"], foot)
    assert got == pytest.approx(ha, abs=1e-9)
    assert infer_foot(lm["midfoot_medial"], lm["mt1_medial"], lm["mt5_lateral"]) == foot
    assert dorsal_measures(lm, Foot.UNKNOWN)["hallux_angle"] == pytest.approx(ha, abs=1e-9)


@pytest.mark.parametrize("deg", [0, 45, 200])
@pytest.mark.parametrize("mirror", [False, True])
@pytest.mark.parametrize("lat", [-10.0, 0.0, 7.0])
def test_toe_splay_sign(deg: float, mirror: bool, lat: float) -> None:
    # Medial line straight up; the lateral line turns laterally by `lat`: diverging
    # distally (positive splay) when lat > 0.
    lm = _transform(_right_foot(0.0, lat), deg, mirror)
    got = toe_splay(lm["mt1_medial"], lm["hallux_medial"], lm["mt5_lateral"],
                    lm["toe5_lateral"])
    assert got == pytest.approx(lat, abs=1e-9)


def test_toe_splay_medial_line_turning_medially_diverges() -> None:
    lm = _right_foot(-5.0, 0)  # big toe turns medially: lines diverge by 5 deg
    got = toe_splay(lm["mt1_medial"], lm["hallux_medial"], lm["mt5_lateral"],
                    lm["toe5_lateral"])
    assert got == pytest.approx(5.0, abs=1e-9)


def test_ratio_width_length() -> None:
    lm = {"mt1_medial": (0, 0), "mt5_lateral": (100, 0), "hallux_medial": (-10, -100),
          "toe5_lateral": (110, -90)}
    assert toe_spread_ratio(lm["mt1_medial"], lm["hallux_medial"], lm["mt5_lateral"],
                            lm["toe5_lateral"]) == pytest.approx(math.hypot(120, 10) / 100)
    assert forefoot_width_mm((0, 0), (30, 40), 0.5) == pytest.approx(25.0)
    # Heel at the origin, axis toward toe 2 straight up; hallux tip 5 px more distal.
    assert foot_length_mm((0, 0), [(0, -200), (10, -205)], (0, -200), 0.1) == pytest.approx(
        20.5)


def test_measures_need_their_landmarks() -> None:
    lm = {"mt1_medial": (0, 0), "mt5_lateral": (100, 0)}
    assert dorsal_measures(lm, Foot.RIGHT) == {}
    assert dorsal_measures(lm, Foot.RIGHT, scale_mm_per_px=0.2) == {"forefoot_width": 20.0}


def _references() -> list[Path]:
    out = []
    for p in sorted(PHOTOS.glob("*.json")):
        if json.loads(p.read_text()).get("view") == "dorsal":
            out.append(p)
    return out


@pytest.mark.parametrize("ref", _references(), ids=lambda p: p.name)
def test_reproduces_reference_measures(ref: Path) -> None:
    d = json.loads(ref.read_text())
    got = dorsal_measures(d["landmarks"], Foot(d["side"]))
    for k, v in d["measures"].items():
        assert got[k] == pytest.approx(v, abs=0.006 if k != "toe_spread_ratio" else 6e-5), k
    # The side read from the landmarks agrees with the reference's side.
    assert dorsal_measures(d["landmarks"], Foot.UNKNOWN) == got
