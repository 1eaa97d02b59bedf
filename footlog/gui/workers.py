"""Background work: photo import and measuring, off the GUI thread.

A worker opens its own connection to the library: an SQLite connection must not be shared
between threads, and WAL lets the window keep reading while the worker writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

from footlog.app import import_photos
from footlog.storage.database import LibraryError
from footlog.storage.library import Library


class Worker(QObject):
    """Runs `job(progress, cancelled)` in its own thread and reports back by signals."""

    progress = Signal(int, int, str)  # done, total, what
    finished = Signal(object)  # the job's result
    failed = Signal(str)  # a sentence for the person

    def __init__(self, job: Callable[[Callable, Callable], Any]) -> None:
        super().__init__()
        self._job = job
        self._cancel = threading.Event()
        self._thread = QThread()
        self.moveToThread(self._thread)
        self._thread.started.connect(self._run)
        self.finished.connect(self._thread.quit)
        self.failed.connect(self._thread.quit)

    def start(self) -> None:
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


def photo_import_job(
    root: Path,
    person_name: str,
    paths: list[Path],
    overrides: dict[Path, dict[str, Any]] | None = None,
) -> Callable[[Callable, Callable], Any]:
    """A job importing and measuring photos; `overrides` holds per-file foot, view, date."""
    overrides = overrides or {}

    def job(progress: Callable, cancelled: Callable) -> Any:
        with Library.open(root) as lib:
            return import_photos(
                lib,
                paths,
                lib.person(person_name),
                progress=progress,
                cancelled=cancelled,
                overrides=overrides,
            )

    return job


def measure_again_job(root: Path, photo_ids: list[int]) -> Callable[[Callable, Callable], Any]:
    """A job running the detector again on library photos (manual landmarks kept)."""

    def job(progress: Callable, cancelled: Callable) -> Any:
        from footlog.app import measure_again

        with Library.open(root) as lib:
            return measure_again(lib, photo_ids, progress=progress, cancelled=cancelled)

    return job
