"""Measuring imported photos in a pool of processes: the same results as in the importing
process, a cancel that does not wait for the photos being measured, a detector's failure
reported, and no more photos handed over at once than the bound."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pytest
from testdata import noise_photos

from footlog import measure_pool
from footlog.app import import_photos
from footlog.imaging import photo_io
from footlog.storage.library import Library
from footlog.storage.measure_store import load_landmarks
from footlog.storage.photo_store import get_photo, list_photos, orphaned_pending

PHOTOS = Path(__file__).parent / "data" / "photos"
# A page (A4), a side view named "l" (the file name's weak hint), a card, and both feet
# of a seated person (split into two rows when measured).
REFERENCE = ("ala-jaidi__2.jpg", "ala-jaidi__l.jpg", "ala-jaidi__av.jpg",
             "hard/RafiansyahDS__91_66cm_17-May-2023-12_08_18.jpg")


def _snapshot(lib: Library) -> list[tuple]:
    """Every row's detection and measures, in an order that does not depend on timing."""
    rows = []
    for r in list_photos(lib):
        marks = {n: (s.x, s.y, s.source) for n, s in load_landmarks(lib, r.id).items()}
        calibration = None if r.calibration is None else repr(r.calibration.to_json())
        region = None if r.region is None else repr(r.region)
        rows.append((r.original_name, str(r.foot), str(r.view), str(r.status), region,
                     calibration, tuple(r.warnings), tuple(sorted(r.measures.items())),
                     tuple(sorted(marks.items()))))
    return sorted(rows)


def _small_jpegs(folder: Path, count: int) -> list[Path]:
    return noise_photos(folder, count, seed=5, size=(60, 80))


def test_a_pool_of_processes_measures_as_the_importing_process_does(tmp_path, monkeypatch):
    folder = tmp_path / "photos"
    folder.mkdir()
    for name in REFERENCE:
        shutil.copy(PHOTOS / name, folder / Path(name).name)
    real = measure_pool.PhotoMeasurer
    pooled_runs: list[bool] = []

    def noted(*args, **kwargs):  # type: ignore[no-untyped-def]
        measurer = real(*args, **kwargs)
        pooled_runs.append(measurer.pool is not None)
        return measurer

    monkeypatch.setattr(measure_pool, "PhotoMeasurer", noted)
    snapshots = []
    for processes in ("0", "2"):
        monkeypatch.setenv(measure_pool.PROCESSES_VARIABLE, processes)
        with Library.open(tmp_path / f"library-{processes}") as lib:
            import_photos(lib, [folder], lib.person())
            snapshots.append(_snapshot(lib))
    if pooled_runs != [False, True]:
        pytest.skip("no process can be started here")
    here, pooled = snapshots
    assert len(here) == len(REFERENCE) + 1  # both feet of the seated person
    assert pooled == here
    assert "failed" in {row[3] for row in here} and any(row[7] for row in here)


def test_the_import_decodes_each_photo_once(tmp_path, library, monkeypatch):
    decoded = []
    real = photo_io._load
    monkeypatch.setattr(photo_io, "_load", lambda im, path: (decoded.append(path),
                                                             real(im, path))[1])
    import_photos(library, [*_small_jpegs(tmp_path / "camera", 3)], library.person())
    assert len(decoded) == 3
    assert all(p.status != "pending" for p in list_photos(library))


class HeldDetector:
    """The detector, but holding every photo after the first `free` ones until released
    (and taking `delay` s over each), in a stand-in pool of threads that counts the
    photos handed over and not finished yet."""

    def __init__(self, free: int = 10**6, delay: float = 0.0) -> None:
        self.free = free
        self.delay = delay
        self.real = measure_pool.detect_all_feet
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.started = self.running = self.most_running = 0

    def __call__(self, job):  # type: ignore[no-untyped-def]
        with self.lock:
            self.started += 1
            held = self.started > self.free
        if held:
            self.release.wait(30)
        time.sleep(self.delay)
        return self.real(job)

    def use(self, monkeypatch, processes: int) -> None:
        """Make imports measure with this detector in a pool of `processes` threads."""
        monkeypatch.setenv(measure_pool.PROCESSES_VARIABLE, str(processes))
        monkeypatch.setattr(measure_pool, "start_pool", self._pool)
        monkeypatch.setattr(measure_pool, "detect_all_feet", self)

    def _pool(self, workers: int) -> ThreadPoolExecutor:
        detector = self

        class Counting(ThreadPoolExecutor):
            def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
                with detector.lock:
                    detector.running += 1
                    detector.most_running = max(detector.most_running, detector.running)
                future = super().submit(fn, *args, **kwargs)
                future.add_done_callback(detector._finished)
                return future

        return Counting(workers)

    def _finished(self, _future: Future) -> None:
        with self.lock:
            self.running -= 1


def test_no_more_photos_are_handed_over_than_the_bound(tmp_path, library, monkeypatch):
    detector = HeldDetector(delay=0.02)
    detector.use(monkeypatch, processes=2)
    report = import_photos(library, [*_small_jpegs(tmp_path / "camera", 12)], library.person())
    assert len(report.of("added")) == 12
    assert 2 <= detector.most_running <= measure_pool.AHEAD_PER_PROCESS * 2
    assert all(p.status != "pending" for p in list_photos(library))


def test_a_cancel_does_not_wait_for_the_photos_being_measured(tmp_path, library, monkeypatch):
    detector = HeldDetector(free=1)
    detector.use(monkeypatch, processes=2)
    stop = threading.Event()
    files = _small_jpegs(tmp_path / "camera", 8)
    # Cancelled as soon as the first photo is measured and stored; the others stay held.
    try:
        t0 = time.perf_counter()
        report = import_photos(library, files, library.person(), cancelled=stop.is_set,
                               progress=lambda done, total, what: done and stop.set())
        waited = time.perf_counter() - t0
    finally:
        detector.release.set()
    assert waited < 10  # a held photo is never waited for (it would hold 30 s)
    added = [o.photo_id for o in report.of("added")]
    assert 2 <= len(added) < len(files)  # the import stopped ahead of the end
    statuses = [get_photo(library, i).status for i in added]
    assert statuses.count("pending") == len(added) - 1
    # The photos left pending are free for the next import to measure, though this
    # process still lives.
    assert sorted(orphaned_pending(library)) == sorted(
        i for i, s in zip(added, statuses, strict=True) if s == "pending")
    # The next import (here of the same files, all already there) measures them.
    again = import_photos(library, files, library.person())
    assert len(again.of("duplicate")) == len(added)
    assert all(get_photo(library, i).status != "pending" for i in added)


def test_a_photo_the_detector_fails_on_in_a_process_is_reported(tmp_path, library):
    """A real measuring process, given a picture no detector can read: the photo is
    stored as failed, saying the detector stopped, and the batch goes on."""
    from footlog.storage.photo_store import DecodedImport, import_photo_decoded

    pool = measure_pool.start_pool(1)
    if pool is None:
        pytest.skip("no process can be started here")
    measurer = measure_pool.PhotoMeasurer(library, 2, pool=pool, processes=1)
    ids = []
    try:
        for i, path in enumerate(_small_jpegs(tmp_path / "camera", 2)):
            outcome, decoded = import_photo_decoded(library, path, library.person(),
                                                    decode_side=1000)
            assert decoded is not None and outcome.photo_id is not None
            if i == 0:  # a picture of the wrong shape (grey): the detector raises
                broken = photo_io.ReducedImage(np.zeros((4, 4), np.uint8), 1.0, 4, 4)
                decoded = DecodedImport(decoded.info, broken)
            measurer.measure(outcome.photo_id, decoded)
            ids.append(outcome.photo_id)
        measurer.finish()
    finally:
        measurer.close()
    bad, good = (get_photo(library, i) for i in ids)
    assert bad.status == "failed"
    assert any("detector stopped on this photo" in w for w in bad.warnings)
    assert good.status != "pending"


def test_a_measuring_process_that_dies_is_reported_and_the_rest_measured_here(
        tmp_path, library, monkeypatch):
    real = measure_pool.detect_all_feet
    calls = []

    def dies_on_the_second(job):  # type: ignore[no-untyped-def]
        calls.append(job.photo_id)
        if len(calls) == 2:
            raise BrokenProcessPool("a process of the pool ended abruptly")
        return real(job)

    monkeypatch.setenv(measure_pool.PROCESSES_VARIABLE, "1")
    monkeypatch.setattr(measure_pool, "start_pool", lambda n: ThreadPoolExecutor(1))
    monkeypatch.setattr(measure_pool, "detect_all_feet", dies_on_the_second)
    report = import_photos(library, _small_jpegs(tmp_path / "camera", 6), library.person())
    rows = [get_photo(library, o.photo_id) for o in report.of("added")]
    assert len(rows) == 6 and all(r.status != "pending" for r in rows)
    stopped = [r for r in rows if any("BrokenProcessPool" in w for w in r.warnings)]
    assert len(stopped) == 1  # (a real pool: every photo the dead process held)
    assert len(calls) == 2  # the photos after it were measured here
    assert all("Cancelled" not in w for r in rows for w in r.warnings)


def test_the_window_cancels_an_import_measured_by_processes(window, qtbot, tmp_path,
                                                            monkeypatch):
    """The window's import, measured by a real pool: Cancel ends it without waiting for
    the photos being measured; the library stays consistent, and the photos imported but
    not measured are left for the next import."""
    from footlog.storage.integrity import check_library

    monkeypatch.setenv(measure_pool.PROCESSES_VARIABLE, "2")
    paths = noise_photos(tmp_path / "camera", 16, size=(900, 1200))
    window.import_photos(paths, ask=False)
    window.worker.progress.connect(lambda done, total, what: done and window.cancel_work())
    qtbot.waitUntil(lambda: window.worker is None, timeout=60000)
    with Library.open(window.session.root) as lib:
        assert check_library(lib) == []
        rows = list_photos(lib)
        assert 1 <= len(rows) < len(paths)
        pending = sorted(r.id for r in rows if r.status == "pending")
        assert sorted(orphaned_pending(lib)) == pending
