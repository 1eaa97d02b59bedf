"""Plantar detector on synthetic prints whose arch index is exact by construction."""

from __future__ import annotations

import pytest
from synthetic_prints import PrintSpec, make_print, true_indices

from footlog.analysis.plantar import measure_plantar
from footlog.domain.views import Foot, Status, View
from footlog.measuring import compute_measures

CASES = [(0, 0, True), (10, -60, True), (40, -30, False), (70, 45, True), (55, 170, False)]


@pytest.mark.parametrize(("mid", "angle", "right"), CASES)
def test_arch_index_within_001(mid: float, angle: float, right: bool) -> None:
    p = make_print(PrintSpec(mid_width=mid, angle_deg=angle, right=right))
    truth = true_indices(p)
    res = measure_plantar(p.rgb, 1.0)
    assert res.status == Status.OK, res.warnings
    assert abs(res.measures["arch_index"] - truth["arch_index"]) < 0.01
    assert abs(res.measures["chippaux_smirak_index"] - truth["chippaux_smirak_index"]) < 0.03
    assert res.foot == (Foot.RIGHT if right else Foot.LEFT)
    # Everything is recomputed from landmarks alone (outline points included).
    again = compute_measures(View.PLANTAR, res.landmarks, res.foot, None)
    assert again == pytest.approx(res.measures)
    for name in ("heel_centre", "toe2", "mid_medial", "clarke_arch"):
        assert name in res.landmarks
    assert "thirds_lines" in res.extras["plantar"]


def test_axis_runs_to_the_second_toe() -> None:
    p = make_print(PrintSpec(mid_width=30, angle_deg=20))
    res = measure_plantar(p.rgb, 2.0)  # landmarks come back in full-resolution px
    tx, ty = res.landmarks["toe2"]
    assert abs(tx - p.toe2[0] * 2) < 4 and abs(ty - p.toe2[1] * 2) < 4


def test_blank_page_fails_plainly() -> None:
    import numpy as np

    res = measure_plantar(np.full((300, 200, 3), 230, np.uint8), 1.0)
    assert res.status == Status.FAILED and res.warnings
