"""The window's one way to work off the GUI thread.

Two shapes of work, one module:

- `Worker`: a long job (import, measure again, backup, report) with progress and cancel,
  on a thread of its own. The job opens its own connection with `Library.open_for_thread`
  (an SQLite connection must not cross threads; WAL lets the window read meanwhile). A
  started worker is kept alive until its thread has ended, whoever dropped it: destroying a
  running QThread aborts the program, and the tab that started it may be closed first.
  `wait_for_workers` is called before the window quits.
- `PoolJob`: a short job that only reads files (a thumbnail, a preview, a photo's pixels),
  many at a time on a QThreadPool; it never touches the library.

Connect their signals to methods of a QObject living in the window's thread, never to a
lambda: a lambda has no thread, so Qt calls it in the thread that emits, and window code
run from a worker thread crashes the program.

Safe while other imports run: both. `Library.open_for_thread` neither migrates nor tidies
the library (the window's own `Library.open` did that once), so it never removes the
half-copied file of an import running in another thread. `Library.open` must not be called
from a worker thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThread, Signal

from footlog.storage.errors import LibraryError

# A job: job(progress(done, total, what), cancelled() -> bool) -> result.
Job = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]

_STARTED: set[Worker] = set()  # started workers whose threads may still run


class Worker(QObject):
    """Runs `job(progress, cancelled)` in its own thread and reports back by signals."""

    progress = Signal(int, int, str)  # done, total, what
    finished = Signal(object)  # the job's result
    failed = Signal(str)  # a sentence for the person

    def __init__(self, job: Job) -> None:
        super().__init__()
        self._job = job
        self._cancel = threading.Event()
        self._thread = QThread()
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)
        self.finished.connect(self._thread.quit)
        self.failed.connect(self._thread.quit)

    def start(self) -> None:
        # Finished workers are forgotten here, in the GUI thread, never from their own.
        _STARTED.difference_update([w for w in _STARTED if w._thread.isFinished()])
        _STARTED.add(self)
        self._thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, msecs: int = 60000) -> bool:
        return self._thread.wait(msecs)

    def _run(self) -> None:
        try:
            result = self._job(self.progress.emit, self._cancel.is_set)
        except LibraryError as exc:  # a sentence already meant for the person
            self.failed.emit(str(exc))
        except Exception as exc:  # report, never crash the window
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.finished.emit(result)


def wait_for_workers(msecs: int = 60_000) -> bool:
    """Wait for every started worker's thread to end (call before quitting); False on
    time-out."""
    return all(worker.wait(msecs) for worker in list(_STARTED))


class PoolSignals(QObject):
    """What a `PoolJob` hands back to the GUI thread: each result it emits, in order."""

    result = Signal(object)


class PoolJob(QRunnable):
    """`work(emit)` on a QThreadPool thread; `emit(value)` delivers `value` to the GUI
    thread through `signals.result`. Exceptions are the work's to catch and emit (a bad
    photo must not take the window down)."""

    def __init__(self, work: Callable[[Callable[[object], None]], None],
                 signals: PoolSignals) -> None:
        super().__init__()
        self.work, self.signals = work, signals

    def run(self) -> None:
        self.work(self.signals.result.emit)
