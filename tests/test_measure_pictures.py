"""The pictures of Help ▸ Measures and Taking Photos draw what the definitions say."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from footlog.charts.capture_pictures import camera_figure, sheet_figure
from footlog.charts.measure_pictures import EXAMPLES, dorsal_foot, figure_png, measure_figure
from footlog.domain.capture_guide import CAMERA_HEIGHT_CM, covered_cm
from footlog.domain.measure_guide import GUIDES


@pytest.mark.parametrize("angle", [EXAMPLES["hallux_angle"][0], EXAMPLES["hallux_angle"][1]])
def test_a_positive_hallux_angle_turns_the_big_toe_toward_the_others(angle: float) -> None:
    # A right foot from above, big toe on the left: toward the other toes is to the right.
    p = dorsal_foot(Figure().add_subplot(), hallux_angle=angle)
    b, h = p["border"], p["hallux_dir"]
    drawn = np.degrees(np.arctan2(b[0] * h[1] - b[1] * h[0], np.dot(b, h)))
    assert drawn == pytest.approx(-angle)  # clockwise, toward +x, when positive
    tip_shift = (p["hallux_dir"] - p["border"])[0]
    assert (tip_shift > 0) == (angle > 0)


@pytest.mark.parametrize("splay", [EXAMPLES["toe_splay"][0], EXAMPLES["toe_splay"][1]])
def test_a_positive_toe_splay_opens_toward_the_tips(splay: float) -> None:
    p = dorsal_foot(Figure().add_subplot(), toe_splay=splay)
    gap = [np.linalg.norm((p["mt5"] + p["toe5_dir"] * t) - (p["mt1"] + p["hallux_dir"] * t))
           for t in (0.0, 60.0)]
    assert (gap[1] > gap[0]) == (splay > 0)


def test_every_picture_draws() -> None:
    for name in GUIDES:
        png = figure_png(measure_figure(name))
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 2000, name
    for fig in (sheet_figure(), camera_figure()):
        assert len(figure_png(fig)) > 2000


def test_the_camera_height_covers_the_sheet_with_room() -> None:
    long_side, short_side = covered_cm(CAMERA_HEIGHT_CM)
    assert long_side == pytest.approx(92.6, abs=0.5) and short_side == pytest.approx(69.8, abs=0.5)
    assert short_side > 29.7 * 1.5  # an A4 sheet fits whichever way the phone is held
