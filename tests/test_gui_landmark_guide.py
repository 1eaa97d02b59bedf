"""The editor's landmark guide draws the foot as the photo's view shows it."""

from __future__ import annotations

import numpy as np
import pytest

from footlog.domain.views import DORSAL_LANDMARKS, MEDIAL_LANDMARKS, PLANTAR_LANDMARKS
from footlog.gui import landmark_guide as lg


def _render(qtbot, name: str) -> np.ndarray:
    guide = lg.LandmarkGuide()
    qtbot.addWidget(guide)
    guide.resize(110, 170)
    guide.set_landmark(name)
    img = guide.grab().toImage()
    w, h = img.width(), img.height()
    return np.array([[img.pixelColor(x, y).getRgb()[:3] for x in range(w)] for y in range(h)])


@pytest.mark.parametrize("names, positions", [
    (DORSAL_LANDMARKS, lg._POSITIONS), (MEDIAL_LANDMARKS, lg._SIDE_POSITIONS),
    (PLANTAR_LANDMARKS, lg._PRINT_POSITIONS)])
def test_every_landmark_of_a_view_has_a_place_in_its_picture(names, positions) -> None:
    for name in names:
        assert name in positions
        assert lg._view_of(name)[1] is positions


def test_a_print_point_is_shown_on_a_footprint(qtbot) -> None:
    """The highlighted dot (red) sits where the footprint schematic puts clarke_arch."""
    img = _render(qtbot, "clarke_arch")
    red = (img[..., 0] > 180) & (img[..., 1] < 60) & (img[..., 2] < 60)
    ys, xs = np.nonzero(red)
    assert len(xs) > 5
    h, w = red.shape
    k = min((w - 10) / 100, (h - 10) / 160)  # the 100 x 160 schematic, centred, 5 px margin
    cx, cy = lg._PRINT_POSITIONS["clarke_arch"]
    assert abs(xs.mean() - (w / 2 + (cx - 50) * k)) < 4
    assert abs(ys.mean() - (h / 2 + (cy - 80) * k)) < 4
    assert not np.array_equal(img, _render(qtbot, "mt1_medial"))
