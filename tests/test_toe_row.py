"""The toe row: where a toe's tip is on its envelope, and what may pass for toe 2."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from synthetic_feet import make_foot

from footlog.analysis.dorsal import measure_dorsal
from footlog.analysis.toes import TIP_CAP, _is_toe, _tip_index
from footlog.domain.views import View
from footlog.measuring import measure_file

PHOTOS = Path(__file__).parent / "data" / "photos"


def _arc(n: int, radius: float, tilt: float = 0.0) -> np.ndarray:
    """Envelope (y down, px) of a toe's round end: a circular arc, optionally tilted."""
    x = np.arange(n) - (n - 1) / 2
    y = radius - np.sqrt(np.clip(radius**2 - x**2, 0.0, None))
    return y + tilt * x


def test_tip_of_a_flat_top_is_its_middle() -> None:
    e = np.array([9.0, 5, 2, 1, 1, 1, 1, 1, 2, 6, 9])
    # The single most distal column would be the first of the five level ones (3).
    assert _tip_index(e, 0, len(e) - 1, cap=0.0) == 5


def test_tip_of_a_round_end_barely_moves_with_axis_tilt() -> None:
    """A 4 degree tilt of the axis slides the most distal column of a round toe end along
    the arc; the middle of its distal stretch stays near the toe's middle."""
    n, radius = 41, 30.0
    level = _arc(n, radius)
    tilted = _arc(n, radius, tilt=np.tan(np.radians(4.0)))
    cap = TIP_CAP * 150  # a forefoot 150 px wide
    plain_shift = abs(int(np.argmin(tilted)) - int(np.argmin(level)))
    tip_shift = abs(_tip_index(tilted, 0, n - 1, cap) - _tip_index(level, 0, n - 1, cap))
    assert tip_shift < plain_shift


def test_a_slope_cut_at_a_nail_edge_is_not_toe_2() -> None:
    """The lateral slope of the big toe, cut off by a notch at its nail edge, descends
    from that notch into the 1-2 gap: its top is at its medial end."""
    slope = np.linspace(10.0, 40.0, 30)
    slope[0] = 12.0  # the small notch of the nail edge
    e = np.concatenate([slope, np.full(5, 60.0)])
    depth = np.zeros(len(e))
    depth[0] = 7.0  # a dark line runs proximally from the notch
    assert not _is_toe(e, 0, len(e) - 1, 1, rise=2.0, depth=depth)


def test_a_level_toe_2_passes() -> None:
    e = np.concatenate([[30.0], 30 - 20 * np.sin(np.linspace(0.1, np.pi - 0.1, 30)), [32.0]])
    depth = np.zeros(len(e))
    assert _is_toe(e, 0, len(e) - 1, 1, rise=2.0, depth=depth)


# With the page found from its edges, the mask holds the leg over the page and the
# paper/skin split moves by half a unit; the notches at the toes change by a pixel and the
# row, numbered by counting notches, is numbered one off again (the photo says `review`,
# see the test below). Numbering the row by anatomy, not by notches, is what fixes it.
@pytest.mark.xfail(strict=True, reason="toe row numbered by notches: one pixel renumbers it")
@pytest.mark.parametrize("name", ["toe2_tip", "toe3_tip", "toe4_tip"])
def test_toes_numbered_right_when_the_big_toe_nail_makes_a_notch(name: str) -> None:
    """ala-jaidi 3: the big toe's nail edge leaves a notch on white paper; taken for the
    1-2 cleft, every lesser toe was numbered one too far (toe 2 on the big toe)."""
    photo = PHOTOS / "ala-jaidi__3.jpg"
    ref = json.loads(photo.with_name(photo.name + ".json").read_text())["landmarks"]
    res = measure_file(photo, View.DORSAL)
    width = np.hypot(*np.subtract(ref["mt1_medial"], ref["mt5_lateral"]))
    err = np.hypot(*np.subtract(res.landmarks[name], ref[name])) / width
    assert err < 0.05


def test_a_row_numbered_one_off_is_not_ok() -> None:
    """ala-jaidi 3 again: whatever the numbering, a row that is off says so (never `ok`
    with a toe on its neighbour)."""
    photo = PHOTOS / "ala-jaidi__3.jpg"
    ref = json.loads(photo.with_name(photo.name + ".json").read_text())["landmarks"]
    res = measure_file(photo, View.DORSAL)
    width = np.hypot(*np.subtract(ref["mt1_medial"], ref["mt5_lateral"]))
    off = [n for n in ("toe2_tip", "toe3_tip", "toe4_tip")
           if np.hypot(*np.subtract(res.landmarks[n], ref[n])) / width >= 0.05]
    if off:
        assert res.status != "ok"
        assert any("toe" in w for w in res.warnings)


def test_a_crease_inside_the_little_toe_is_not_the_4_5_cleft() -> None:
    """ala-jaidi t: toes 4 and 5 staggered with no notch between 3 and 4; a crease inside
    the little toe was taken for the 4-5 cleft, and toe 4 was put on toe 5 (11.5 % W)."""
    photo = PHOTOS / "ala-jaidi__t.jpg"
    ref = json.loads(photo.with_name(photo.name + ".json").read_text())["landmarks"]
    res = measure_file(photo, View.DORSAL)
    width = np.hypot(*np.subtract(ref["mt1_medial"], ref["mt5_lateral"]))
    for name in ("toe4_tip", "toe5_tip"):
        assert np.hypot(*np.subtract(res.landmarks[name], ref[name])) / width < 0.05


def test_pressed_toes_still_give_the_angles_in_review() -> None:
    """Synthetic seed 1030: the big toe and toe 2 are pressed together with no notch, so no
    set of four clefts is plausible. The three other clefts still number toes 3-5, and the
    big toe is the medial end of the row: both angles are measured, in review."""
    foot = make_foot(1030)
    res = measure_dorsal(foot.image, 1.0)
    assert res.status == "review"
    assert any("big toe and the second toe could not be told apart" in w
               for w in res.warnings)
    assert "toe2_tip" not in res.landmarks
    for name in ("hallux_angle", "toe_splay"):
        assert abs(res.measures[name] - foot.measures[name]) < 1.0


def test_no_candidate_cleft_makes_an_incomplete_row() -> None:
    """With no candidate cleft, no cleft is chosen and the row says it is incomplete
    (the big toe alone is then placed, see find_toe_row)."""
    from footlog.analysis import toes

    e = np.concatenate([np.linspace(30, 5, 15), np.linspace(5, 40, 45)])
    cuts, _scores, complete = toes._choose_clefts([], np.zeros(len(e)), e, len(e), 60.0,
                                                  np.zeros(len(e)))
    assert cuts == [None] * 4 and not complete


def test_dip_depth_is_the_depth_below_the_lowest_local_bridge() -> None:
    """Against its definition, column by column, on random envelopes."""
    from footlog.analysis.toes import _dip_depth

    rng = np.random.default_rng(7)
    for _ in range(20):
        e = np.cumsum(rng.normal(0, 2, rng.integers(3, 60)))
        reach = int(rng.integers(1, 12))
        got = _dip_depth(e, reach)
        for i in range(1, len(e) - 1):
            bridges = [(e[j] * (k - i) + e[k] * (i - j)) / (k - j)
                       for j in range(max(0, i - reach), i)
                       for k in range(i + 1, min(len(e), i + reach + 1))]
            assert got[i] == pytest.approx(max(0.0, e[i] - min(bridges)), abs=1e-9)
        assert got[0] == 0.0 and got[-1] == 0.0
