"""Doubt from stability: perturbations map points exactly, renumbering is told from a tip
sliding on its own toe, and the detector's status follows what moved."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from synthetic_feet import make_foot

from footlog.analysis import stability
from footlog.analysis.dorsal import measure_dorsal
from footlog.analysis.stability import STABLE_DEG
from footlog.domain.results import MeasureResult
from footlog.domain.views import Foot, Status, View


def _spot(img: np.ndarray) -> np.ndarray:
    """Centroid (continuous px) of the bright spot of a grey-level picture."""
    m = cv2.moments(img[..., 0].astype(np.float32))
    return np.array([m["m10"] / m["m00"] + 0.5, m["m01"] / m["m00"] + 0.5])


@pytest.mark.parametrize("degrees,crop", [(-2.0, 0.0), (2.0, 0.0), (0.0, 0.03)])
def test_a_perturbation_maps_points_where_the_picture_moved_them(degrees: float,
                                                                  crop: float) -> None:
    """A bright spot found on the perturbed picture and mapped back lands where it was,
    to a tenth of a pixel, at 2.5 full-resolution px per px."""
    img = np.zeros((300, 400, 3), np.uint8)
    cv2.circle(img, (260, 110), 6, (255, 255, 255), -1, lineType=cv2.LINE_AA)
    scale = 2.5
    where = _spot(img) * scale
    foot_box = np.array([200.0, 60.0, 320.0, 160.0])  # the crop keeps clear of it
    warped, m = stability._perturb(img, degrees, crop, foot_box)
    assert warped.shape != img.shape or (degrees == 0 and crop == 0)
    found = _spot(warped) * scale
    back = stability._apply(cv2.invertAffineTransform(m), found[None], scale)[0]
    assert np.linalg.norm(back - where) < 0.1 * scale
    assert np.linalg.norm(stability._apply(m, where[None], scale)[0] - found) < 0.1 * scale


def _tips(xs: list[float]) -> dict[str, np.ndarray]:
    return {k: np.array([x, 100.0 + 5 * i]) for i, (k, x) in
            enumerate(zip(stability.TOE_TIPS, xs, strict=False))}


def test_a_tip_sliding_on_its_own_toe_is_no_renumbering() -> None:
    base = _tips([0, 30, 50, 68, 84])
    assert not stability._renumbered(base, _tips([2, 34, 53, 71, 86]))
    # The third toe's tip read on the fourth toe: renumbered.
    assert stability._renumbered(base, _tips([0, 30, 66, 68, 84]))
    # Four toes instead of five.
    assert stability._renumbered(base, _tips([0, 30, 50, 68]))


def test_the_spread_of_each_point_and_angle_is_the_farthest_it_moved(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """With a detector that shifts one landmark by a known amount on one perturbation, the
    spread is that amount (in W) and nothing else moves."""
    # The fake detector tells the perturbations apart by counting its calls: one at a time.
    monkeypatch.setattr(stability, "THREADS", 1)
    base = MeasureResult(View.DORSAL, Foot.RIGHT, Status.OK)
    base.landmarks = {"hallux_tip": (100.0, 50.0), "toe2_tip": (130.0, 60.0),
                      "mt1_medial": (90.0, 150.0)}
    base.measures = {"hallux_angle": 10.0}
    base.extras = {"axis": {"forefoot_width_px": 100.0}}
    base.outline = [(80.0, 40.0), (200.0, 40.0), (200.0, 300.0), (80.0, 300.0)]
    img = np.zeros((200, 150, 3), np.uint8)
    calls = []

    def remeasure(px: np.ndarray, scale: float, page: np.ndarray | None,
                  factor: float) -> MeasureResult:
        # Put each landmark where the perturbation moved it (a perfectly stable detector),
        # except mt1_medial on the third perturbation, 8 px off.
        k = len(calls)
        calls.append(factor)
        m = stability_maps[k]
        out = MeasureResult(View.DORSAL, Foot.RIGHT, Status.OK)
        out.landmarks = {n: tuple(stability._apply(m, np.array([p]), 2.0)[0])
                         for n, p in base.landmarks.items()}
        if k == 2:
            x, y = out.landmarks["mt1_medial"]
            out.landmarks["mt1_medial"] = (x + 8.0, y)
        out.measures = {"hallux_angle": 10.0 + (4.0 if k == 2 else 0.0)}
        return out

    stability_maps = [stability._perturb(img, d, c, stability._foot_box(base, 2.0))[1]
                      for _, d, _, c in stability.PERTURBATIONS]
    st = stability.measure_stability(img, 2.0, None, base, remeasure)
    assert calls == [f for _, _, f, _ in stability.PERTURBATIONS]
    assert st.spread["mt1_medial"] == pytest.approx(0.08, abs=1e-6)
    assert st.spread["hallux_tip"] < 1e-6 and st.spread["toe2_tip"] < 1e-6
    assert st.measure_spread["hallux_angle"] == pytest.approx(4.0)
    assert not st.renumbered and not st.lost and not st.side_changed


def test_a_stable_foot_is_ok_and_its_stability_is_recorded() -> None:
    """A clean synthetic foot: every angle stays within STABLE_DEG, so it is `ok`, and the
    figures behind that are kept with the result."""
    foot = make_foot(1003)
    res = measure_dorsal(foot.image, 1.0)
    st = res.extras["stability"]
    assert res.status == Status.OK, res.warnings
    assert not st["renumbered"] and not st["lost"]
    assert all(v <= STABLE_DEG for v in st["measure_spread"].values())
    assert set(st["spread"]) == set(res.landmarks)


def test_without_stability_the_notes_are_doubts() -> None:
    """Measured with stability off (as the benchmarks do), the hand-set notes still
    lower the status: a blurred foot is `review` then, whatever stability would say."""
    foot = make_foot(1003)
    blurred = cv2.GaussianBlur(foot.image, (0, 0), 6)
    res = measure_dorsal(blurred, 1.0, stability=False)
    assert "stability" not in res.extras
    assert any("blurred" in w for w in res.warnings)
    assert res.status != Status.OK


# 1003: `ok`, every run made; 1008 blurred: `review` at the third run; 1011: at the first.
@pytest.mark.parametrize("seed,blur", [(1003, 0.0), (1008, 2.5), (1011, 0.0)])
def test_runs_in_threads_give_the_figures_of_runs_one_after_another(
        monkeypatch: pytest.MonkeyPatch, seed: int, blur: float) -> None:
    """The perturbed runs made two at a time give the status, warnings and stability
    figures of the same runs made one after the other, whether every perturbation is run
    or the runs stop at the first doubt."""
    image = make_foot(seed).image
    if blur:
        image = cv2.GaussianBlur(image, (0, 0), blur)
    for forced in (True, None):
        results = []
        for threads in (1, 2):
            monkeypatch.setattr(stability, "THREADS", threads)
            res = measure_dorsal(image, 1.0, stability=forced)
            st = dict(res.extras["stability"]) if "stability" in res.extras else {}
            st.pop("seconds", None)
            results.append((res.status, res.warnings, st, res.landmarks, res.measures))
        assert results[0] == results[1]


def test_in_order_yields_in_order_and_nothing_runs_after_it_is_closed() -> None:
    """Results come in the items' order even when a later one is done first; closed early,
    the calls not started are never made and none is left running."""
    import threading
    import time

    started, finished = [], []
    lock = threading.Lock()

    def work(i: int) -> int:
        with lock:
            started.append(i)
        time.sleep(0.03 if i % 2 == 0 else 0.0)  # the odd ones finish first
        with lock:
            finished.append(i)
        return i * i

    assert list(stability.in_order(work, range(6), 2)) == [0, 1, 4, 9, 16, 25]
    assert sorted(started) == list(range(6))
    started.clear()
    finished.clear()
    results = stability.in_order(work, range(10), 2)
    assert next(results) == 0
    results.close()
    seen = sorted(finished)
    time.sleep(0.1)
    assert sorted(finished) == seen == sorted(started)  # nothing ran on after close
    assert len(started) <= 3  # the first, the one running beside it, the one queued
    assert list(stability.in_order(work, range(3), 1)) == [0, 1, 4]


# 1003: a full toe row; 1008 and 1002 blurred: a partial toe row whose measures the blur
# withdraws.
@pytest.mark.parametrize("seed,blur", [(1003, 0.0), (1008, 6.0), (1002, 2.5)])
def test_a_perturbed_run_finds_the_points_and_measures_of_a_full_run(seed: int,
                                                                     blur: float) -> None:
    """A perturbed run works out only the side, the landmarks and the measures (what
    stability compares): they are those of the full run, blurred foot included (whose
    blur may withdraw the measures of a partial toe row)."""
    image = make_foot(seed).image
    if blur:
        image = cv2.GaussianBlur(image, (0, 0), blur)
    full = measure_dorsal(image, 1.0, stability=False)
    part = measure_dorsal(image, 1.0, stability=False, points_only=True)
    assert (part.foot, part.landmarks, part.measures) == (full.foot, full.landmarks,
                                                         full.measures)
    assert part.outline is None and "stability" not in part.extras
