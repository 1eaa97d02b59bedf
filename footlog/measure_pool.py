"""Measuring imported photos in other processes, one per core, while the importing process
goes on copying, hashing and verifying the next ones.

Only the detection runs there (`feet_detection.detect_all_feet`: the picture the import
verified the photo with and the library's facts in, results out); the importing process
alone writes the library, each photo in its own transactions as when it measures the
photos itself, so a kill keeps what was done and `orphaned_pending` finds the rest. At
most `AHEAD_PER_PROCESS` photos per process wait or run at a time, so memory does not grow
with the batch. Where no pool can start (or is not worth starting), the same code runs
here, one photo after another, and gives the same results.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from footlog.feet_detection import PhotoJob, detect_all_feet, detect_feet
from footlog.storage.library import Library
from footlog.storage.photo_store import DecodedImport, release_pending

# The number of measuring processes; 0 measures in the importing process. Unset: one per
# core (os.cpu_count()).
PROCESSES_VARIABLE = "FOOTLOG_MEASURING_PROCESSES"
# Batches of fewer photos to measure are measured in the importing process: a pool's
# start (each process loads OpenCV and the detectors, ~0.5 s of a core) costs more than
# measuring two or three photos side by side saves (~0.2 s each at 12 MP).
POOL_MIN_PHOTOS = 4
# Photos handed to the pool ahead of the one measuring, per process: enough that no
# process waits for the importing one, few enough that the pictures waiting (~2 MB each)
# stay a handful whatever the batch's size.
AHEAD_PER_PROCESS = 2
# How often (s) a measuring process looks whether the process that started it still lives:
# killed, it cannot say so, and its pool must not go on measuring for no one.
PARENT_CHECK_S = 0.5
# How long (s) waiting for results goes without looking whether the import was cancelled.
WAIT_STEP_S = 0.05
# How much lower than the importing process's the measuring processes' scheduling priority
# is (POSIX niceness, 0-19): they keep every core busy, and the window's thread, and the
# import feeding them, must still get a core the moment they need one.
NICENESS = 10
# Loaded by each measuring process as it starts (once for all, by the fork server where
# there is one), so that the first photo it measures does not pay for them.
PRELOADED = ("footlog.feet_detection", "footlog.analysis.dorsal", "footlog.analysis.medial",
             "footlog.analysis.plantar", "footlog.analysis.two_feet",
             "footlog.analysis.view_guess", "footlog.imaging.calibration")

Cancelled = Callable[[], bool]


def measuring_processes() -> int:
    """How many processes measure beside an import: `PROCESSES_VARIABLE` when set, else
    one per core."""
    value = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if value.isdigit():
        return int(value)
    return os.cpu_count() or 1


def start_pool(processes: int) -> ProcessPoolExecutor | None:
    """A pool of `processes` measuring processes, or None where none can start: a frozen
    bundle (its executable would start the program again in each), or a system that
    refuses (no semaphores, no processes left)."""
    if processes < 1 or getattr(sys, "frozen", False):
        return None
    try:
        return ProcessPoolExecutor(processes, mp_context=_context(),
                                   initializer=_process_started, initargs=(os.getpid(),))
    except (OSError, ValueError, ImportError, NotImplementedError):
        return None


def _context() -> multiprocessing.context.BaseContext:
    """A way to start processes that is safe beside the window's threads: never a plain
    fork of this process. On Linux a fork server (started once, from a new interpreter,
    with the detectors loaded: each measuring process then starts in milliseconds);
    elsewhere a new interpreter each (macOS and Windows)."""
    if sys.platform.startswith("linux") and "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOADED))
        return context
    return multiprocessing.get_context("spawn")


def _process_started(parent_pid: int) -> None:
    """A measuring process's start: it yields the cores to its parent (`NICENESS`), ends
    itself when its parent is gone, and loads the detectors now, while the first photos
    are still being imported."""
    _lower_priority()
    # Ctrl+C in a terminal reaches every process of the command: the importing one stops
    # the pool and says what was kept; its measuring processes just end with it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with_parent, args=(parent_pid,), daemon=True).start()
    for name in PRELOADED:
        importlib.import_module(name)
    # One thread of OpenCV's own per process: the pool already keeps every core busy,
    # and more threads would only take turns with the other processes'.
    import cv2

    cv2.setNumThreads(1)


def _lower_priority() -> None:
    import psutil

    try:
        if sys.platform == "win32":
            psutil.Process().nice(psutil.BELOW_NORMAL_PRIORITY_CLASS)
        else:
            os.nice(NICENESS)
    except (OSError, psutil.Error):
        pass  # the work is the same at any priority


def _end_with_parent(parent_pid: int) -> None:
    import psutil

    while True:
        time.sleep(PARENT_CHECK_S)
        if not psutil.pid_exists(parent_pid):
            os._exit(0)


class PhotoMeasurer:
    """Measures the photos an import adds and stores their results: in a pool of
    processes for a batch worth one (`POOL_MIN_PHOTOS`), else here, one at a time.

    `measure` hands a photo over (waiting, while `AHEAD_PER_PROCESS` photos per process
    are already handed, for one to be stored); `finish` waits for the rest; `close` drops
    what is left (after a cancel), leaving those photos `pending` for a later import. Results
    are stored as they come, `on_stored(photo_id)` told of each.
    """

    def __init__(self, lib: Library, photos: int, cancelled: Cancelled | None = None,
                 on_stored: Callable[[int], None] | None = None,
                 pool: ProcessPoolExecutor | None = None, processes: int | None = None
                 ) -> None:
        self.lib = lib
        self.cancelled = cancelled or (lambda: False)
        self.on_stored = on_stored or (lambda _photo_id: None)
        processes = measuring_processes() if processes is None else processes
        if pool is None and photos >= POOL_MIN_PHOTOS:
            pool = start_pool(processes)
        self.pool = pool
        self.limit = AHEAD_PER_PROCESS * max(1, processes)
        self.in_flight: dict[Future, PhotoJob] = {}
        self.most_in_flight = 0  # the most photos handed over at once (memory's measure)

    def measure(self, photo_id: int, decoded: DecodedImport | None = None) -> None:
        """Measure `photo_id`'s photo (`decoded`: the picture its import verified it
        with), or hand it to the pool. Cancelled meanwhile, the photo is left `pending`."""
        if self.pool is not None:
            from footlog.library_measuring import photo_job

            try:
                job = photo_job(self.lib, photo_id, decoded=decoded)
            except Exception as exc:  # as measure_here: one photo never stops the batch
                _record_crash(self.lib, photo_id, exc)
                return
            self._wait_until(lambda: len(self.in_flight) < self.limit)
            if self.cancelled():
                release_pending(self.lib, [photo_id])
                return
        if self.pool is not None:  # (it may have broken meanwhile)
            try:
                future = self.pool.submit(detect_all_feet, job)
            except (BrokenProcessPool, RuntimeError, OSError):
                self._lose_pool()
            else:
                self.in_flight[future] = job
                self.most_in_flight = max(self.most_in_flight, len(self.in_flight))
                return
        measure_here(self.lib, photo_id, decoded)
        self.on_stored(photo_id)

    def store_finished(self) -> None:
        """Store the results that have come, without waiting."""
        for future in [f for f in self.in_flight if f.done()]:
            self._store(future)

    def finish(self) -> None:
        """Wait for every photo handed over and store it (stopping at a cancel)."""
        self._wait_until(lambda: not self.in_flight)

    def close(self) -> None:
        """Stop the pool: photos not measured yet (after a cancel) are dropped and left
        `pending`, free for `orphaned_pending`; a process measuring one ends with it."""
        self.store_finished()
        dropped = [job.photo_id for job in self.in_flight.values()]
        self.in_flight.clear()
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
        if dropped:
            release_pending(self.lib, dropped)

    def _wait_until(self, ready: Callable[[], bool]) -> None:
        """Store results as they come until `ready()` or the import is cancelled."""
        self.store_finished()
        while not ready() and not self.cancelled():
            done, _ = wait(list(self.in_flight), WAIT_STEP_S, FIRST_COMPLETED)
            for future in done:
                self._store(future)

    def _store(self, future: Future) -> None:
        job = self.in_flight.pop(future)
        from footlog.library_measuring import library_rows, store_row_detection

        try:
            # A photo dropped with a broken pool before it ran is measured here.
            found = detect_feet(job) if future.cancelled() else future.result()
            for row in library_rows(self.lib, job, found):
                store_row_detection(self.lib, row)
        except BrokenProcessPool as exc:
            # A measuring process died (killed, out of memory, a crash in native code):
            # which photo did it cannot be told; each photo it held is said to have
            # stopped the detector, to be measured again, and the rest are measured here.
            _record_crash(self.lib, job.photo_id, exc)
            self._lose_pool()
        except Exception as exc:  # as measure_here: one photo never stops the batch
            _record_crash(self.lib, job.photo_id, exc)
        self.on_stored(job.photo_id)

    def _lose_pool(self) -> None:
        """Go on without the pool (broken or refusing work)."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None


def measure_here(lib: Library, photo_id: int, decoded: DecodedImport | None = None) -> None:
    """Run the detector on a library photo in this process and store its result (manual
    landmarks kept). A detector that crashes on one photo marks that photo failed and
    lets the batch go on."""
    from footlog.library_measuring import measure_library_photo

    try:
        measure_library_photo(lib, photo_id, decoded)
    except Exception as exc:  # any detector bug must not lose an import
        _record_crash(lib, photo_id, exc)


def _record_crash(lib: Library, photo_id: int, exc: BaseException) -> None:
    from footlog.library_measuring import record_detector_crash

    record_detector_crash(lib, photo_id, exc)
