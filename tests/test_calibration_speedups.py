"""The page search's fast paths give exactly what the plain computations give.

`page_profiles.profile` profiles the sides of many hypotheses at once, `masked_median`
replaces numpy's slow nanmedian, and `find_paper` / `calibrate` reuse the dorsal detector's
640-px working image when it is the very picture they would make: speed changes only,
checked here against the plain way.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from test_calibration import _scene
from testdata import PHOTOS

from footlog.analysis.working_image import working_image
from footlog.domain.calibration import A4
from footlog.imaging import calibration_paper as P
from footlog.imaging import page_profiles as PP
from footlog.imaging.calibration import calibrate
from footlog.imaging.page_lines import find_lines


def _page_photo(seed: int, size: tuple[int, int] = (750, 1000)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    raster = np.full((round(A4.height_mm * 4), round(A4.width_mm * 4), 3), 255, np.uint8)
    photo, _ = _scene(raster, (A4.width_mm, A4.height_mm), rng, cover_corner=seed % 2 == 1)
    return cv2.resize(photo, size, interpolation=cv2.INTER_LINEAR)


@pytest.mark.parametrize("seed", range(3))
def test_many_quads_at_once_are_each_quad_alone(seed: int) -> None:
    photo = _page_photo(seed)
    small = cv2.resize(photo, (480, 640), interpolation=cv2.INTER_AREA)
    grey = cv2.GaussianBlur(cv2.max(cv2.max(small[..., 0], small[..., 1]), small[..., 2]),
                            (3, 3), 0)
    pic = PP.picture(grey, small, find_lines(grey))
    rng = np.random.default_rng(seed)
    base = np.array([[60.0, 80.0], [420.0, 70.0], [430.0, 560.0], [50.0, 570.0]])
    quads = base[None] + rng.uniform(-15, 15, (5, 4, 2))
    together = PP.profile(pic, quads, PP.WIDE_SEARCH)
    for i in range(len(quads)):
        alone = PP.profile(pic, quads[i : i + 1], PP.WIDE_SEARCH).take(0)
        for name in ("points", "sign", "step", "good", "visible", "band", "page_grey",
                     "page_colour", "beyond", "lines"):
            a, b = getattr(together.take(i), name), getattr(alone, name)
            assert np.allclose(a, b, equal_nan=True, rtol=1e-6, atol=1e-6), name


@pytest.mark.parametrize("seed", range(4))
def test_masked_median_is_numpys(seed: int) -> None:
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(30, 4, 17))
    values[rng.random(values.shape) < 0.1] = 5.0  # ties
    mask = rng.random(values.shape) < rng.uniform(0.1, 0.9)
    mask[0, 0] = False  # a row with nothing: NaN
    with np.errstate(all="ignore"), pytest.warns(RuntimeWarning):
        want = np.nanmedian(np.where(mask, values, np.nan), axis=-1)
    assert np.array_equal(PP.masked_median(values, mask), want, equal_nan=True)


@pytest.mark.parametrize("seed", range(3))
def test_the_detectors_working_image_changes_nothing(seed: int) -> None:
    photo = _page_photo(seed)
    work, _ = working_image(photo, 4.0, P.WORK_SIDE)
    plain, shared = P.find_paper(photo), P.find_paper(photo, small=work)
    assert plain is not None and shared is not None
    assert np.array_equal(plain.quad, shared.quad) and plain.score == shared.score
    a, b = calibrate(photo, 4.0), calibrate(photo, 4.0, work_rgb=work)
    assert a.method == b.method != "none"
    assert np.array_equal(a.homography, b.homography)


def test_a_working_image_of_another_size_is_not_used() -> None:
    """16:9: INTER_AREA told a size or a factor gives different pixels, so the page search
    makes its own picture and the result is the plain one."""
    photo = _page_photo(1, (1000, 562))
    work, _ = working_image(photo, 4.0, P.WORK_SIDE)
    assert not P._is_reduction(work, photo.shape[:2], P.WORK_SIDE / 1000)
    plain, shared = P.find_paper(photo), P.find_paper(photo, small=work)
    assert (plain is None) == (shared is None)
    if plain is not None and shared is not None:
        assert np.array_equal(plain.quad, shared.quad)


def test_the_detectors_are_used_by_one_thread_at_a_time() -> None:
    """OpenCV's marker and line detectors are not safe to use from two threads at once (a
    page calibrated beside other work): a thread waits while another holds them."""
    import threading

    from footlog.imaging import calibration, page_lines

    grey = np.full((200, 200), 128, np.uint8)
    for lock, use in ((calibration.DETECTOR_LOCK, lambda: calibration._markers(grey)),
                      (page_lines._LSD_LOCK, lambda: page_lines.detect_segments(grey))):
        done = threading.Event()
        worker = threading.Thread(target=lambda use=use, done=done: (use(), done.set()))
        with lock:
            worker.start()
            assert not done.wait(0.2)  # waiting for the detector
        worker.join(10)
        assert done.is_set()


def test_two_pages_calibrated_at_once_are_those_calibrated_one_after_the_other() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from footlog.imaging.photo_io import read_reduced

    pictures = [read_reduced(PHOTOS / name, 1000) for name in
                ("ala-jaidi__2.jpg", "wildoctopus__barefeet1.jpeg", "ala-jaidi__t.jpg")]

    def one(red):  # type: ignore[no-untyped-def]
        return calibrate(red.pixels, red.scale).to_json()

    alone = [one(red) for red in pictures]
    with ThreadPoolExecutor(3) as pool:
        together = list(pool.map(one, pictures * 2))
    for got, want in zip(together, alone * 2, strict=True):
        got.pop("seconds", None)
        want = dict(want)
        want.pop("seconds", None)
        assert got == want
