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


# With the page found from its edges the notches at the toes change by a pixel, and the
# row is numbered one off (toe 2 on the big toe). Reading the row by anatomy
# (toe_numbering) does not fix this photo yet: its 3-4 cleft is no candidate at all (toe 4
# stands 0.17 W behind toe 3, and the crease between them meets the envelope on toe 3's
# slope), so no reading puts toes 3 and 4 right; the rivals come close and the photo says
# review (see the test below).
@pytest.mark.xfail(strict=True, reason="the 3-4 cleft of this photo is no candidate")
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
    cuts, _scores, complete, _reading = toes._choose_clefts(
        [], np.zeros(len(e)), e, len(e), 60.0, np.zeros(len(e)))
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


def test_tips_on_the_arc_of_the_row_cost_nothing_a_phantom_toe_does() -> None:
    """Tips on a parabola convex distally (as on every reference photo) fit the arc; one
    tip out of line by a tenth of W (a phantom toe, a toe on its neighbour) costs about as
    much as a strong cleft supports (~3)."""
    from footlog.analysis.toe_numbering import arc_penalty

    W = 100.0
    xs = np.arange(0, 101, dtype=float)
    e = 1.0 * (xs - 30.0) ** 2 / W  # curvature 1 per W, toward the heel
    tips = [15, 38, 58, 75, 92]
    assert arc_penalty(xs, e, tips, W) < 0.1
    bent = e.copy()
    bent[58] += 0.1 * W
    assert arc_penalty(xs, bent, tips, W) > 2.5
    # A row whose tips do not recede from the middle is no distal arc.
    assert arc_penalty(xs, -e, tips, W) > 4.0


def test_four_toes_only_when_clearly_better_and_then_in_doubt() -> None:
    """Five toes is the usual row: four are read only well clear of five, and even then
    the photo says review; a close four-toe rival leaves five toes in doubt."""
    from footlog.analysis.toe_numbering import FOUR_TOES_MARGIN, Numbering, pick

    xs = np.arange(100, dtype=float)
    five = Numbering((30, 50, 65, 80), [15, 40, 57, 72, 90], 10.0, False)
    four = Numbering((30, 50, 65), [15, 40, 57, 75], 10.0 + FOUR_TOES_MARGIN + 0.5, True)
    best, doubt = pick([five, four], xs, 100.0)
    assert best is four and "four toes were read" in doubt
    best, doubt = pick([five, Numbering(four.cuts, four.tips, 9.8, True)], xs, 100.0)
    assert best is five and "four or five toes" in doubt
    best, doubt = pick([five, Numbering(four.cuts, four.tips, 5.0, True)], xs, 100.0)
    assert best is five and doubt == ""
    best, doubt = pick([four], xs, 100.0)
    assert best is four and "pressed against the fourth" in doubt
    # Two five-toe readings that put a toe in different places, close in score: doubt.
    shifted = Numbering((22, 35, 52, 70), [15, 28, 45, 62, 80], 9.8, False)
    assert "which toe is which" in pick([five, shifted], xs, 100.0)[1]


def test_a_tucked_little_toe_is_left_out_with_a_reason() -> None:
    """Synthetic seed 1014 with the little toe curled under the fourth: four toes show.
    Its points and the toe splay are left out, never put on the fourth toe, and the
    warnings say why; the hallux angle is still measured."""
    foot = make_foot(1014, tucked=True)
    res = measure_dorsal(foot.image, 1.0)
    assert "toe5_tip" not in res.landmarks and "toe5_lateral" not in res.landmarks
    assert "toe_splay" not in res.measures
    assert any("four toes" in w and "little toe" in w for w in res.warnings)
    assert "toe4_tip" in res.landmarks and "mt5_lateral" in res.landmarks
    assert abs(res.measures["hallux_angle"] - foot.measures["hallux_angle"]) < 1.0


def test_a_tucked_little_toe_is_never_guessed_into_ok() -> None:
    """With the little toe curled out of sight, a toe 5 can only be a phantom (a toe split
    in two, the row shifted by one): such a row must not be `ok`. (Two of these feet, 1008
    and 1011, read a phantom toe 5 with no rival reading close enough to doubt it; the row
    is read differently when the picture is turned or resized a little, and stability
    says so.)"""
    guessed = []
    for seed in range(1000, 1020):
        res = measure_dorsal(make_foot(seed, tucked=True).image, 1.0)
        if res.status == "ok" and "toe5_tip" in res.landmarks:
            guessed.append(seed)
    assert not guessed


def _dorsal_photos() -> list[Path]:
    return sorted(p.with_suffix("") for p in PHOTOS.glob("*.json")
                  if json.loads(p.read_text()).get("view") == "dorsal")


@pytest.mark.parametrize("photo", _dorsal_photos(), ids=lambda p: p.stem)
def test_no_photo_is_ok_with_a_toe_on_its_neighbour(photo: Path) -> None:
    """On every reference photo: a lesser toe put 0.1 W or more from its reference (the
    tips of neighbouring toes lie 0.11-0.23 W apart, a toe's tip is placed within ~0.05)
    is a row shifted or a phantom toe, and the photo must not be `ok`; a little toe left
    out must say why."""
    ref = json.loads(photo.with_name(photo.name + ".json").read_text())["landmarks"]
    res = measure_file(photo, View.DORSAL)
    width = np.hypot(*np.subtract(ref["mt1_medial"], ref["mt5_lateral"]))
    off = [n for n in ("toe2_tip", "toe3_tip", "toe4_tip", "toe5_tip")
           if n in res.landmarks
           and np.hypot(*np.subtract(res.landmarks[n], ref[n])) / width >= 0.1]
    assert not (off and res.status == "ok"), off
    if "toe5_tip" not in res.landmarks and res.status != "failed":
        assert any("little toe" in w or "toes [" in w for w in res.warnings)
