"""The working picture made once per decoded photo (working image and pale region), shared
by the search for two feet and the measuring of a lone foot: never reused for another
picture, size or view."""

from __future__ import annotations

import numpy as np
import pytest
from testdata import PHOTOS

from footlog.analysis import segmentation, two_feet
from footlog.analysis.dorsal import WORK_SIDE
from footlog.analysis.working_image import WorkingPicture, working_image, working_picture
from footlog.domain.views import Foot, View
from footlog.imaging.photo_io import read_reduced
from footlog.measuring import ANALYSIS_MAX_SIDE, measure_feet, measure_pixels


def _outcome(res):  # type: ignore[no-untyped-def]
    return res.view, res.foot, res.status, res.warnings, res.landmarks, res.measures


def test_it_fits_only_the_array_it_was_made_from() -> None:
    pixels = np.zeros((300, 400, 3), np.uint8)
    pic = WorkingPicture(pixels, 2.0, WORK_SIDE)
    assert pic.fits(pixels, 2.0, WORK_SIDE)
    assert not pic.fits(pixels.copy(), 2.0, WORK_SIDE)  # equal pixels, another picture
    assert not pic.fits(pixels, 2.5, WORK_SIDE)
    assert not pic.fits(pixels, 2.0, WORK_SIDE + 64)
    other = np.zeros_like(pixels)
    assert working_picture(pic, pixels, 2.0, WORK_SIDE) is pic
    made = working_picture(pic, other, 2.0, WORK_SIDE)
    assert made is not pic and made.source is other


def test_it_is_the_working_image_and_pale_region_made_fresh() -> None:
    red = read_reduced(PHOTOS / "ala-jaidi__2.jpg", ANALYSIS_MAX_SIDE)
    pic = WorkingPicture(red.pixels, red.scale, WORK_SIDE)
    img, f = working_image(red.pixels, red.scale, WORK_SIDE)
    assert np.array_equal(pic.image, img) and pic.f == f
    assert np.array_equal(pic.pale, segmentation.pale_region(img))
    assert pic.image is pic.image and pic.pale is pic.pale  # made once


def test_a_picture_of_another_photo_is_never_used() -> None:
    """Handed the working picture of another photo (its pale region already made), the
    measuring of a photo is the same as with none."""
    first = read_reduced(PHOTOS / "ala-jaidi__2.jpg", ANALYSIS_MAX_SIDE)
    second = read_reduced(PHOTOS / "wildoctopus__barefeet1.jpeg", ANALYSIS_MAX_SIDE)
    stale = WorkingPicture(first.pixels, first.scale, WORK_SIDE)
    assert stale.pale is not None
    alone = measure_pixels(second.pixels, second.scale, View.DORSAL, Foot.UNKNOWN)
    handed = measure_pixels(second.pixels, second.scale, View.DORSAL, Foot.UNKNOWN,
                            picture=stale)
    assert _outcome(handed) == _outcome(alone)
    assert handed.calibration.to_json() == alone.calibration.to_json()


def test_a_side_view_ignores_it() -> None:
    red = read_reduced(PHOTOS / "ala-jaidi__l.jpg", ANALYSIS_MAX_SIDE)
    pic = WorkingPicture(red.pixels, red.scale, WORK_SIDE)
    alone = measure_pixels(red.pixels, red.scale, View.MEDIAL, Foot.UNKNOWN)
    handed = measure_pixels(red.pixels, red.scale, View.MEDIAL, Foot.UNKNOWN, picture=pic)
    assert _outcome(handed) == _outcome(alone) and alone.view == View.MEDIAL
    assert "pale" not in pic.__dict__  # nothing was made for it


@pytest.mark.parametrize("view", [View.DORSAL, View.UNKNOWN])
def test_one_foot_finds_its_pale_region_once(monkeypatch: pytest.MonkeyPatch,
                                             view: View) -> None:
    """A photo of one foot: the search for a second foot and the measuring share one pale
    region, and the result is the one measured with its own."""
    red = read_reduced(PHOTOS / "ala-jaidi__2.jpg", ANALYSIS_MAX_SIDE)
    fresh = measure_pixels(red.pixels, red.scale, view, Foot.UNKNOWN)
    calls = []
    found = segmentation.pale_region

    def counted(rgb: np.ndarray) -> np.ndarray | None:
        calls.append(rgb.shape)
        return found(rgb)

    monkeypatch.setattr(segmentation, "pale_region", counted)
    # (Wherever else it may be imported from: the search for two feet made its own once.)
    monkeypatch.setattr(two_feet, "pale_region", counted, raising=False)
    results = measure_feet(red.pixels, red.scale, view, Foot.UNKNOWN)
    assert len(results) == 1 and len(calls) == 1
    assert _outcome(results[0]) == _outcome(fresh)


def test_work_started_in_a_thread_is_taken_once_and_only_by_its_key() -> None:
    pic = WorkingPicture(np.zeros((300, 400, 3), np.uint8), 1.0, WORK_SIDE)
    calls = []

    def make(p: WorkingPicture) -> tuple:
        calls.append(p)
        return (len(calls), p.image.shape)

    assert pic.made("a", make) == (1, (300, 400, 3))  # nothing started: made here
    pic.start("a", make)
    assert pic.made("b", make) == (3, (300, 400, 3))  # another key: made again
    assert pic.made("a", make) == (2, (300, 400, 3))  # the one started
    assert pic.made("a", make) == (4, (300, 400, 3))  # taken once: made again
    assert all(p is pic for p in calls)


@pytest.mark.parametrize("name,view,early", [("ala-jaidi__2.jpg", View.DORSAL, True),
                                             ("ala-jaidi__2.jpg", View.UNKNOWN, True),
                                             ("ala-jaidi__l.jpg", View.MEDIAL, False),
                                             ("ala-jaidi__l.jpg", View.UNKNOWN, False)])
def test_a_photo_from_above_is_calibrated_once_beside_the_search(
        monkeypatch: pytest.MonkeyPatch, name: str, view: View, early: bool) -> None:
    """A photo measured from above is calibrated once, in a thread started before the
    search for two feet, and gets the calibration it would get without; a side view is
    not calibrated early (its calibration needs its own detector's picture)."""
    import threading

    from footlog import measuring
    from footlog.analysis import spare_cores

    monkeypatch.setattr(spare_cores, "threads_to_use", lambda wanted=2: wanted)  # idle
    red = read_reduced(PHOTOS / name, ANALYSIS_MAX_SIDE)
    fresh = measure_pixels(red.pixels, red.scale, view, Foot.UNKNOWN)
    threads = []
    calibrate = measuring._calibrate

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread() is threading.main_thread())
        return calibrate(*args, **kwargs)

    monkeypatch.setattr(measuring, "_calibrate", counted)
    (res,) = measure_feet(red.pixels, red.scale, view, Foot.UNKNOWN)
    assert threads == [not early]  # once: in a thread of its own when early
    assert _outcome(res) == _outcome(fresh)
    assert res.calibration.to_json() == fresh.calibration.to_json()


def test_dropped_work_is_waited_for_and_not_taken() -> None:
    import threading
    import time

    pic = WorkingPicture(np.zeros((30, 40, 3), np.uint8), 1.0, WORK_SIDE)
    done = threading.Event()

    def slow(_: WorkingPicture) -> str:
        time.sleep(0.05)
        done.set()
        return "started"

    pic.start("a", slow)
    pic.drop("a")
    assert done.is_set()  # nothing runs on after it is dropped
    assert pic.made("a", lambda _: "made") == "made"
    pic.drop("never started")  # nothing to wait for


def test_both_feet_are_calibrated_one_at_a_time(tmp_path, monkeypatch: pytest.MonkeyPatch
                                                ) -> None:  # type: ignore[no-untyped-def]
    """A photo of both feet: the calibration of the whole picture started beside the
    search is dropped (waited for) before each foot's own picture is calibrated, so that no
    two calibrations ever run at once."""
    import threading
    import time

    from scene_generator.two_feet import generate_two_feet_scenes

    from footlog import measuring
    from footlog.analysis import spare_cores

    monkeypatch.setattr(spare_cores, "threads_to_use", lambda wanted=2: wanted)  # idle
    (scene,) = generate_two_feet_scenes(1, 0)
    photo = tmp_path / "both.jpg"
    photo.write_bytes(scene.jpeg)
    red = read_reduced(photo, ANALYSIS_MAX_SIDE)
    spans: list[tuple[float, float]] = []
    running = threading.Lock()
    calibrate = measuring._calibrate

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        assert running.acquire(blocking=False), "two calibrations at once"
        try:
            t0 = time.perf_counter()
            return calibrate(*args, **kwargs)
        finally:
            spans.append((t0, time.perf_counter()))
            running.release()

    monkeypatch.setattr(measuring, "_calibrate", timed)
    results = measure_feet(red.pixels, red.scale, View.DORSAL, Foot.UNKNOWN)
    assert len(results) == 2 and len(spans) == 3  # the whole picture's, then each foot's


@pytest.mark.parametrize("cores,load,threads", [(2, 0.2, 2), (2, 1.4, 2), (2, 1.6, 1),
                                                (8, 5.0, 2), (1, 0.0, 1), (4, None, 2)])
def test_threads_only_where_a_core_is_idle(monkeypatch: pytest.MonkeyPatch, cores: int,
                                           load: float | None, threads: int) -> None:
    import os

    from footlog.analysis.spare_cores import threads_to_use

    def loadavg() -> tuple[float, float, float]:
        if load is None:
            raise OSError("not known here")
        return (load, load, load)

    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(os, "getloadavg", loadavg)
    assert threads_to_use(2) == threads


def test_a_busy_machine_calibrates_after_the_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """No idle core: the page is calibrated when the foot is measured, in this thread."""
    from footlog.analysis import spare_cores
    from footlog.measuring import _calibration_key, start_calibration

    monkeypatch.setattr(spare_cores, "threads_to_use", lambda wanted=2: 1)
    pic = WorkingPicture(np.zeros((30, 40, 3), np.uint8), 1.0, WORK_SIDE)
    start_calibration(pic, None, "a4")
    assert pic.made(_calibration_key(None, "a4"), lambda _: "here") == "here"
